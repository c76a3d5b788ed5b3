"""Rete settings. Everything that differs between machines comes from the environment.

RETE_ENV selects the posture: "development" (default; keys generated under var/),
"test", or "production" (refuses to start with DEBUG, the demo relaxations or missing keys).
"""
from pathlib import Path
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RETE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


RETE_ENV = os.environ.get("RETE_ENV", "development")
if RETE_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"RETE_ENV must be development, test or production, not {RETE_ENV!r}")
PRODUCTION = RETE_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
# The demo relaxes MFA enrolment and shows a banner on every page saying so.
RETE_DEMO = env_bool("RETE_DEMO", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if RETE_DEMO:
        problems.append("RETE_DEMO is on")
    if len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is missing or shorter than 50 characters")
    if not os.environ.get("RETE_FIELD_KEYS") and not os.environ.get("RETE_KEY_FILE"):
        problems.append("RETE_FIELD_KEYS (or RETE_KEY_FILE) is not set")
    if not os.environ.get("RETE_INDEX_KEY") and not os.environ.get("RETE_KEY_FILE"):
        problems.append("RETE_INDEX_KEY (or RETE_KEY_FILE) is not set")
    if not env_list("ALLOWED_HOSTS"):
        problems.append("ALLOWED_HOSTS is empty")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))
elif not SECRET_KEY:
    from rete.core.keyfile import local_secret  # generated once under var/, never committed

    SECRET_KEY = local_secret(VAR_DIR, "django_secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "modeltranslation",  # before the admin, as the library requires
    "django.contrib.admin",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "rete.core",
    "rete.cases",
    "rete.risk",
    "rete.network",
    "rete.programmes",
    "rete.learning",
    "rete.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rete.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rete.core.middleware.UserPreferencesMiddleware",
    "rete.core.middleware.ExpiredSessionMiddleware",
    "rete.core.middleware.PublicPrivacyMiddleware",
    "rete.portal.reach.ReachCounterMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "rete.core.middleware.EnforceMfaMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rete.urls"
WSGI_APPLICATION = "rete.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rete" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rete.core.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite (WAL) under var/ by default, anything dj-database-url understands otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "rete.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache: TOTP replay protection and rate limits must hold across processes.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rete_cache"}}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:start"

# django-allauth: staff accounts are created by organisation admins, never by signup.
ACCOUNT_ADAPTER = "rete.core.auth.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Rete] "
ACCOUNT_PREVENT_ENUMERATION = True
# Lockout is django-axes' job, per username *and* IP: allauth's per-username limit would let
# anyone lock a worker out by typing her address.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_ADAPTER = "rete.core.auth.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Rete"
# One step either side: phones whose clocks drift by a few seconds still work.
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION

AXES_FAILURE_LIMIT = int(os.environ.get("RETE_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("RETE_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "rete.core.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "rete.core.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The client address (lockout and audit): X-Forwarded-For only behind our own proxies.
RETE_BEHIND_PROXY = env_bool("RETE_BEHIND_PROXY")
RETE_PROXY_COUNT = int(os.environ.get("RETE_PROXY_COUNT", "1" if RETE_BEHIND_PROXY else "0"))
AXES_CLIENT_IP_CALLABLE = "rete.core.middleware.client_ip"
AXES_VERBOSE = False

# Sessions: idle sessions end after RETE_IDLE_MINUTES; every request slides the window.
RETE_IDLE_MINUTES = int(os.environ.get("RETE_IDLE_MINUTES", "30"))
RETE_IDLE_WARNING_SECONDS = int(os.environ.get("RETE_IDLE_WARNING_MINUTES", "3")) * 60
SESSION_COOKIE_AGE = RETE_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "rete.core.views.csrf_failure"

# HTTPS: secure cookies and HSTS whenever the deployment says it is served over TLS.
RETE_HTTPS = env_bool("RETE_HTTPS", default=PRODUCTION)
SESSION_COOKIE_SECURE = RETE_HTTPS
CSRF_COOKIE_SECURE = RETE_HTTPS
SECURE_SSL_REDIRECT = RETE_HTTPS and env_bool("RETE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 63072000 if RETE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = RETE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if RETE_BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing from another host, no inline code without a nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}
RETE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), publickey-credentials-get=(self)"
)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("it", _("Italian")),
    ("el", _("Greek")),
    ("cs", _("Czech")),
    ("bg", _("Bulgarian")),
]
LOCALE_PATHS = [BASE_DIR / "rete" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Rome"
USE_THOUSAND_SEPARATOR = True
RETE_TIME_ZONES = ["Asia/Nicosia", "Europe/Rome", "Europe/Prague", "Europe/Sofia", "UTC"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing directory before collectstatic
STATICFILES_DIRS = [BASE_DIR / "rete" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Field encryption and blind indexes (see rete/core/crypto.py and docs/data-protection.md).
RETE_KEY_FILE = Path(os.environ.get("RETE_KEY_FILE", VAR_DIR / "keys.json"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rete <rete@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": os.environ.get("RETE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then gets 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rete.core.api.BoundedPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "rete.core.api.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rete API",
    "DESCRIPTION": "The Rete API. Every call sees what the same person sees in the pages, nothing more.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}

ADMIN_URL = os.environ.get("RETE_ADMIN_URL", "admin/")
# The address people reach Rete at, for links in e-mails.
# Reference content translated per field (django-modeltranslation): one column per language.
# No automatic fallback: rete/network/texts.py falls back to the text's own source language.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
MODELTRANSLATION_AUTO_POPULATE = False

RETE_BASE_URL = os.environ.get("RETE_BASE_URL", "http://127.0.0.1:8000")
RETE_QUICK_EXIT_URL = os.environ.get("RETE_QUICK_EXIT_URL", "https://www.wikipedia.org/")
# Documents on a case: the largest file accepted, in bytes. Uploads are held in memory up to this
# size (never written unencrypted to a temporary file); a request far beyond it gets a 413 page.
RETE_ATTACHMENT_MAX_BYTES = int(os.environ.get("RETE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Images of social media posts on the portal's content calendar (PNG, JPEG or WebP): the largest
# accepted, in bytes.
RETE_POST_IMAGE_MAX_BYTES = int(os.environ.get("RETE_POST_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
# One name per shared choice set in the API schema (fields called "status" or "kind" hold
# different choices in different records).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update({
    "YesNoUnknownEnum": "rete.cases.models.YesNoUnknown",
    "RelatedKindEnum": "rete.cases.models.RelatedKind",
    "CaseStatusEnum": "rete.cases.models.CaseStatus",
    "ServiceStatusEnum": "rete.cases.models.ServiceStatus",
    "ServiceKindEnum": "rete.cases.models.ServiceKind",
    "ReferralStatusEnum": "rete.network.models.ReferralStatus",
    "ShareCategoryEnum": "rete.network.models.ShareCategory",
})
