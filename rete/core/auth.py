"""Glue between Rete and django-allauth / django-axes: no self-signup, TOTP secrets encrypted
with Rete's keys, sign-ins and failures in the audit trail."""
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation

from rete.core import audit, crypto


def axes_username(request, credentials):
    """Axes locks username+IP; allauth's form calls the e-mail field "login"."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login", "")
    return (value or "").strip().lower()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Staff accounts are created by organisation admins.
        return False

    def get_login_redirect_url(self, request):
        # Land in the person's own language, whatever the sign-in page was shown in.
        language = getattr(request.user, "language", None) or translation.get_language()
        with translation.override(language):
            return reverse("core:start")


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def get_public_key_credential_rp_entity(self):
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "Rete"
        return entity


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit.record(action="auth.signed_in", actor=user)
    _count_sign_in_as_recent_authentication(request)


def _count_sign_in_as_recent_authentication(request):
    """Someone who has just typed her password and code is not asked for them again within the
    re-authentication window (e.g. to enrol her second factor right after first sign-in)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    if request is None or not hasattr(request, "session"):
        return
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list) and records:
        for record in records:
            record["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action="auth.signed_out", actor=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    from rete.core.models import User

    # Name the account only when it exists: a mistyped password in the e-mail box must not
    # end up in the log.
    typed = axes_username(request, credentials)
    target = User.objects.filter(email__iexact=typed).only("id", "email").first() if typed else None
    audit.record(
        action="auth.sign_in_failed",
        object_type="core.user" if target else "",
        object_id=str(target.pk) if target else "",
        detail={"account_exists": bool(target)},
    )


def _audit_account_change(action):
    def receiver_(sender, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        detail = {}
        authenticator = kwargs.get("authenticator")
        if authenticator is not None:
            detail["type"] = str(authenticator.type)
        audit.record(action=action, actor=user if getattr(user, "is_authenticated", False) else None,
                     object_type="core.user", object_id=str(getattr(user, "pk", "") or ""), detail=detail)

    return receiver_


def _connect_account_signals():
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals

    for signal, action in (
        (account_signals.password_changed, "auth.password_changed"),
        (account_signals.password_set, "auth.password_set"),
        (account_signals.password_reset, "auth.password_reset"),
        (mfa_signals.authenticator_added, "auth.second_factor_added"),
        (mfa_signals.authenticator_removed, "auth.second_factor_removed"),
        (mfa_signals.authenticator_reset, "auth.second_factor_reset"),
    ):
        signal.connect(_audit_account_change(action), weak=False, dispatch_uid=f"rete-{action}")


_connect_account_signals()


def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    from rete.core.models import User

    target = User.objects.filter(email__iexact=username or "").only("id").first() if username else None
    audit.record(
        action="auth.locked_out",
        object_type="core.user" if target else "",
        object_id=str(target.pk) if target else "",
        detail={"account_exists": bool(target)},
    )


def _connect_lockout_signal():
    from axes.signals import user_locked_out

    user_locked_out.connect(_audit_lockout, weak=False, dispatch_uid="rete-auth.locked_out")


_connect_lockout_signal()
