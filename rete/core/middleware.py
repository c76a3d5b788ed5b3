"""Request-wide rules: security headers, the audit origin, the person's time zone and language,
second-factor enforcement, nothing lost when a session expires, and the public pages' privacy."""
import json
import secrets
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rete.core import audit, crypto

WHO_COOKIE = "rete_who"
STASH_KEY = "rete_resume"


def client_ip(request):
    """The client's address for lockout and audit. X-Forwarded-For is believed only behind our
    own proxies (RETE_BEHIND_PROXY, RETE_PROXY_COUNT of them), and then only the entry the
    nearest trusted proxy added: anything left of it can be forged by the client."""
    import ipaddress

    remote = request.META.get("REMOTE_ADDR")
    if settings.RETE_BEHIND_PROXY and settings.RETE_PROXY_COUNT:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= settings.RETE_PROXY_COUNT:
            candidate = hops[-settings.RETE_PROXY_COUNT]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_origin(
            audit.RequestOrigin(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])
        )
        try:
            response = self.get_response(request)
        finally:
            audit.reset_origin(token)
        response.setdefault("Permissions-Policy", settings.RETE_PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Staff pages hold personal data: never in a shared browser's cache or history store.
            response["Cache-Control"] = "no-store, private"
        return response


class UserPreferencesMiddleware:
    """Dates and times in the person's time zone; the language she picks in the switcher
    becomes her preference (URL prefix decides the page's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            path_language = translation.get_language_from_path(request.path_info)
            if path_language and request.method == "GET":
                from rete.core.services import language_remember

                language_remember(user=user, language=path_language)
        else:
            timezone.deactivate()
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            signed = signing.dumps(user.pk, salt=WHO_COOKIE)
            if request.COOKIES.get(WHO_COOKIE) != signed:
                response.set_cookie(
                    WHO_COOKIE, signed, httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax"
                )
        return response


def _requires_login(view_func):
    return getattr(view_func, "login_required", True) and not getattr(view_func, "rete_public", False)


class ExpiredSessionMiddleware:
    """A form sent after the session ended is kept (encrypted, in the new session) and offered
    again once the same person has signed in, instead of being thrown away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.user.is_authenticated or not _requires_login(view_func):
            return None
        had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        # API calls and the page's own background requests (autosave, keep-alive) are not a
        # form she sent: keeping them would offer her a stray "send again" after signing in.
        if not had_session or request.path.startswith("/api/") or request.headers.get("X-Requested-With") == "fetch":
            return None
        who = request.COOKIES.get(WHO_COOKIE)
        try:
            user_hint = signing.loads(who, salt=WHO_COOKIE) if who else None
        except signing.BadSignature:
            user_hint = None
        if user_hint is None:
            return None
        fields = [
            (key, value)
            for key, values in request.POST.lists()
            for value in values
            if key != "csrfmiddlewaretoken" and "password" not in key
        ]
        token = secrets.token_urlsafe(16)
        request.session[STASH_KEY] = {
            "token": token,
            "path": request.get_full_path(),
            "user": user_hint,
            "data": crypto.encrypt(json.dumps(fields)),
            "had_files": bool(request.FILES),
        }
        messages.warning(
            request,
            _("Your session ended because of inactivity. Sign in again: what you were saving has been kept."),
        )
        resume = reverse("core:resume", kwargs={"token": token})
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={resume}")


def pop_stash(request, token):
    """The stashed form, if it belongs to this person and this link; removed once read."""
    stash = request.session.get(STASH_KEY)
    if not stash or stash.get("token") != token:
        return None
    del request.session[STASH_KEY]
    if stash.get("user") != request.user.pk:
        return None
    try:
        stash["fields"] = json.loads(crypto.decrypt(stash["data"]))
    except ValueError:
        return None
    return stash


class EnforceMfaMiddleware:
    """Staff enrol a second factor before anything else. The demo may relax this (and says so
    on every page); production refuses to start with that setting."""

    EXEMPT_PREFIXES = ("mfa_", "account_")
    EXEMPT_NAMES = {"core:keepalive", "quick_exit"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if settings.RETE_DEMO or not user.is_authenticated:
            return None
        if request.session.get("rete_mfa_ok"):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        url_name = match.url_name if match else ""
        if url_name and (url_name.startswith(self.EXEMPT_PREFIXES) or name in self.EXEMPT_NAMES):
            return None
        is_api = request.path.startswith("/api/")
        if not is_api and not _requires_login(view_func):
            return None
        from rete.core.selectors import user_has_strong_mfa

        if user_has_strong_mfa(user=user):
            request.session["rete_mfa_ok"] = True
            return None
        if is_api:
            from django.http import JsonResponse

            return JsonResponse({"detail": _("Set up a second factor for signing in before using the API.")}, status=403)
        messages.info(request, _("Before you continue, set up a second factor for signing in."))
        return redirect("mfa_activate_totp")


class PublicPrivacyMiddleware:
    """Public pages: nothing cached, no referrer, and no cookie for a visitor who is not
    signed in (someone else may check her phone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "rete_public", False):
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "no-referrer"
            if not request.user.is_authenticated:
                response.cookies.clear()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.rete_public = getattr(view_func, "rete_public", False)
        return None
