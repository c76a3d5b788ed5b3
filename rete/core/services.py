"""Every write in core: keyword-only, atomic, audited in the same transaction."""
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rete.core import access, audit
from rete.core.models import Membership, Organisation, Role, User
from rete.core.selectors import forget_memberships


class StaleEdit(Exception):
    """Someone saved the record after this form was opened; carries the current version."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


class ServiceError(Exception):
    """A refusal the person can act on; the message is translated and shown to her."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _require(user, organisation, capability):
    if not access.has_capability(user, organisation.pk, capability):
        access.deny()


def versioned_update(model, *, pk, version, **values):
    """UPDATE … WHERE version = the one the editor saw; zero rows means a stale edit."""
    updated = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1, **values)
    if not updated:
        raise StaleEdit(model.objects.get(pk=pk))


@dataclass
class MemberInvitation:
    member: User
    created: bool


@transaction.atomic
def member_invite(*, by, organisation: Organisation, email, first_name, last_name, roles, language) -> MemberInvitation:
    """Add a person to the organisation with the given roles. A new account gets no password;
    she sets one through the link e-mailed to her, then enrols a second factor."""
    _require(by, organisation, access.MANAGE_MEMBERS)
    roles = _validate_roles(roles)
    email = email.strip().lower()
    member = User.objects.filter(email__iexact=email).first()
    created = member is None
    if created:
        member = User.objects.create_user(email=email, first_name=first_name.strip(), last_name=last_name.strip(), language=language)
        member.set_unusable_password()
        member.save(update_fields=["password"])
    elif member.is_service_account:
        from django.utils.translation import gettext as _

        raise ServiceError(_("This address belongs to a service account."), field="email")
    existing = set(
        Membership.objects.filter(user=member, organisation=organisation, ended_at__isnull=True).values_list("role", flat=True)
    )
    added = [role for role in roles if role not in existing]
    Membership.objects.bulk_create([Membership(user=member, organisation=organisation, role=role) for role in added])
    audit.record(
        action="member.invited" if created else "member.roles_added",
        actor=by,
        organisation=organisation,
        obj=member,
        detail={"roles_added": added},
    )
    if created:
        transaction.on_commit(lambda: _send_invitation(member.pk))
    forget_memberships(member)
    return MemberInvitation(member=member, created=created)


def _send_invitation(user_id):
    # Runs after commit: the e-mail must never announce an account that was rolled back.
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    member = User.objects.get(pk=user_id)
    with translation.override(member.language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(member), "key": default_token_generator.make_token(member)},
        )
        context = {"member": member, "link": settings.RETE_BASE_URL.rstrip("/") + path}
        subject = render_to_string("core/email/invitation_subject.txt", context).strip()
        body = render_to_string("core/email/invitation.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [member.email])


def _validate_roles(roles):
    from django.utils.translation import gettext as _

    valid = {choice[0] for choice in Role.choices}
    roles = sorted(set(roles))
    if not roles:
        raise ServiceError(_("Choose at least one role."), field="roles")
    unknown = [role for role in roles if role not in valid]
    if unknown:
        raise ServiceError(_("Unknown role."), field="roles")
    return roles


@transaction.atomic
def member_update(*, by, organisation: Organisation, member: User, version: int, first_name, last_name, phone, language, roles):
    """Change a member's details and roles at this organisation in one versioned save."""
    _require(by, organisation, access.MANAGE_MEMBERS)
    roles = _validate_roles(roles)
    current = set(
        Membership.objects.filter(user=member, organisation=organisation, ended_at__isnull=True).values_list("role", flat=True)
    )
    removed = sorted(current - set(roles))
    added = sorted(set(roles) - current)
    if member.pk == by.pk and Role.ORG_ADMIN in removed:
        from django.utils.translation import gettext as _

        raise ServiceError(_("You cannot remove your own administrator role; ask another administrator."), field="roles")
    before = User.objects.get(pk=member.pk)
    changes = {}
    for field, value in (("first_name", first_name.strip()), ("last_name", last_name.strip()), ("language", language)):
        if getattr(before, field) != value:
            changes[field] = value
    phone = (phone or "").strip()
    if before.phone != phone:
        changes["phone"] = phone
    # The version moves on any change, role changes included, so two admins editing the same
    # person cannot overwrite each other.
    if changes or added or removed:
        versioned_update(User, pk=member.pk, version=version, **changes)
    elif before.version != version:
        raise StaleEdit(before)
    now = timezone.now()
    Membership.objects.filter(user=member, organisation=organisation, role__in=removed, ended_at__isnull=True).update(ended_at=now)
    Membership.objects.bulk_create([Membership(user=member, organisation=organisation, role=role) for role in added])
    if changes or added or removed:
        # Field names only; the values (names, phone) stay out of the log.
        audit.record(
            action="member.updated",
            actor=by,
            organisation=organisation,
            obj=member,
            detail={"fields": sorted(changes), "roles_added": added, "roles_removed": removed},
        )
    forget_memberships(member)
    return User.objects.get(pk=member.pk)


@transaction.atomic
def member_remove(*, by, organisation: Organisation, member: User):
    """End every membership the person holds here. The account stays (it may belong to other
    organisations) and the history stays with it."""
    _require(by, organisation, access.MANAGE_MEMBERS)
    if member.pk == by.pk:
        from django.utils.translation import gettext as _

        raise ServiceError(_("You cannot remove yourself from the organisation."))
    ended = Membership.objects.filter(user=member, organisation=organisation, ended_at__isnull=True)
    roles = sorted(ended.values_list("role", flat=True))
    ended.update(ended_at=timezone.now())
    audit.record(action="member.removed", actor=by, organisation=organisation, obj=member, detail={"roles_removed": roles})
    forget_memberships(member)


@transaction.atomic
def preferences_update(*, user: User, version: int, language, time_zone, phone):
    values = {"language": language, "time_zone": time_zone, "phone": (phone or "").strip()}
    before = User.objects.get(pk=user.pk)
    changed = sorted(
        f for f, v in (("language", language), ("time_zone", time_zone), ("phone", (phone or "").strip())) if getattr(before, f) != v
    )
    if not changed:
        if before.version != version:
            raise StaleEdit(before)
        return before
    versioned_update(User, pk=user.pk, version=version, **values)
    audit.record(action="user.preferences_updated", actor=user, obj=user, detail={"fields": changed})
    return User.objects.get(pk=user.pk)


def language_remember(*, user: User, language: str):
    """The language a person last chose follows her to the next sign-in and her e-mails.
    Not audited: it is her own preference, not personal data of anyone else."""
    if getattr(user, "is_authenticated", False) and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


@transaction.atomic
def audit_record_read(*, user, organisation=None, obj=None, action="record.viewed", detail=None):
    """Reads of protected records leave a trace too."""
    return audit.record(action=action, actor=user, organisation=organisation, obj=obj, detail=detail)
