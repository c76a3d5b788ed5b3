"""Every read in core. The only place that decides what a user may see."""
from allauth.mfa.models import Authenticator
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Cast

from rete.core import access
from rete.core.models import AuditEvent, AuditVerification, Membership, Organisation, Role, User

_CACHE_ATTR = "_rete_active_memberships"


def active_memberships(*, user) -> list[Membership]:
    """The user's current memberships with their organisations, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, ended_at__isnull=True)
            .select_related("organisation")
            .order_by("organisation__name", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organisation_list(*, user) -> list[Organisation]:
    seen = {}
    for membership in active_memberships(user=user):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def organisation_get(*, user, slug, capability=None) -> Organisation:
    """An organisation the user belongs to (and, if given, holds the capability in)."""
    for membership in active_memberships(user=user):
        if membership.organisation.slug == slug and (capability is None or membership.role in capability):
            return membership.organisation
    access.deny()


def organisations_with(*, user, capability) -> list[Organisation]:
    return [m.organisation for m in active_memberships(user=user) if m.role in capability]


def roles_by_organisation(*, user) -> list[tuple[Organisation, list[str]]]:
    grouped: dict[int, tuple[Organisation, list[str]]] = {}
    for membership in active_memberships(user=user):
        grouped.setdefault(membership.organisation_id, (membership.organisation, []))[1].append(membership.role)
    return list(grouped.values())


def _with_mfa(queryset):
    strong = Authenticator.objects.filter(
        user=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    return queryset.annotate(has_mfa=Exists(strong))


def member_list(*, user, organisation: Organisation, query: str = ""):
    """Members of an organisation the user administers, each with `org_roles` and `has_mfa`."""
    if not access.has_capability(user, organisation.pk, access.MANAGE_MEMBERS):
        access.deny()
    current = Membership.objects.filter(organisation=organisation, ended_at__isnull=True)
    users = User.objects.filter(Exists(current.filter(user=OuterRef("pk"))))
    if query:
        users = users.filter(
            Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(email__icontains=query)
        )
    users = _with_mfa(users).prefetch_related(Prefetch("memberships", queryset=current, to_attr="org_memberships"))
    return users.order_by("last_name", "first_name", "email")


def member_get(*, user, organisation: Organisation, member_id) -> User:
    try:
        member_id = int(member_id)
    except (TypeError, ValueError):
        access.deny()
    member = member_list(user=user, organisation=organisation).filter(pk=member_id).first()
    if member is None:
        access.deny()
    return member


def member_roles(member) -> list[str]:
    return sorted({m.role for m in getattr(member, "org_memberships", [])})


def audit_scope(*, user) -> Q | None:
    """What part of the trail a user may read: a data-protection officer reads the events of
    her organisations and those of their members (sign-ins carry no organisation); a platform
    superuser reads everything. None means nothing."""
    if getattr(user, "is_superuser", False):
        return Q()
    organisations = organisations_with(user=user, capability=access.READ_AUDIT)
    if not organisations:
        return None
    org_ids = [o.pk for o in organisations]
    members = Membership.objects.filter(organisation_id__in=org_ids)
    member_ids_as_text = members.annotate(text_id=Cast("user_id", CharField())).values("text_id")
    return (
        Q(organisation_id__in=org_ids)
        | Q(organisation__isnull=True, actor_id__in=members.values("user_id"))
        # Failed sign-ins have no actor; they name the targeted account as the record.
        | Q(organisation__isnull=True, actor__isnull=True, object_type="core.user", object_id__in=member_ids_as_text)
    )


def audit_event_list(*, user, action="", actor="", object_type="", object_id="", since=None, until=None):
    scope = audit_scope(user=user)
    if scope is None:
        access.deny()
    events = AuditEvent.objects.filter(scope).select_related("organisation")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-seq")


def audit_event_get(*, user, seq) -> AuditEvent:
    try:
        seq = int(seq)
    except (TypeError, ValueError):
        access.deny()
    event = audit_event_list(user=user).filter(seq=seq).first()
    if event is None:
        access.deny()
    return event


def audit_latest_verification(*, user):
    if audit_scope(user=user) is None:
        access.deny()
    return AuditVerification.objects.first()


def audit_actions(*, user) -> list[str]:
    scope = audit_scope(user=user)
    if scope is None:
        access.deny()
    return list(AuditEvent.objects.filter(scope).order_by("action").values_list("action", flat=True).distinct()[:200])


CONTACT_ROLES = (Role.SUPERVISOR, Role.ORG_ADMIN, Role.DPO)


def organisation_contacts(*, user) -> list[tuple[Organisation, list[tuple[str, User]]]]:
    """Whom to ask at each of the user's organisations: supervisors, administrators and the
    data-protection officer. One query, whatever the size of the organisations."""
    organisations = organisation_list(user=user)
    if not organisations:
        return []
    rows = (
        Membership.objects.filter(organisation__in=organisations, role__in=CONTACT_ROLES, ended_at__isnull=True)
        .exclude(user=user)
        .select_related("user")
        .order_by("organisation_id", "role", "user__last_name", "user__first_name")
    )
    grouped = {o.pk: (o, []) for o in organisations}
    for membership in rows[:200]:
        grouped[membership.organisation_id][1].append((membership.role, membership.user))
    return [entry for entry in grouped.values() if entry[1]]


def recent_sign_ins(*, user, limit=5):
    """The person's own recent sign-ins and failures, so she can spot one that was not her."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        AuditEvent.objects.filter(
            Q(actor=user, action="auth.signed_in")
            | Q(object_type="core.user", object_id=str(user.pk), action="auth.sign_in_failed")
        ).order_by("-seq")[:limit]
    )


def user_has_strong_mfa(*, user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def admin_overview(*, user) -> list[dict]:
    """For organisation admins: per organisation, members and how many lack a second factor."""
    from django.db.models import Count

    organisations = organisations_with(user=user, capability=access.MANAGE_MEMBERS)
    if not organisations:
        return []
    strong = Authenticator.objects.filter(
        user=OuterRef("user_id"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    # One query for all the organisations she administers: distinct people per organisation,
    # and of those, how many have no strong second factor.
    counts = {
        row["organisation_id"]: row
        for row in Membership.objects.filter(organisation__in=organisations, ended_at__isnull=True)
        .annotate(has_mfa=Exists(strong))
        .values("organisation_id")
        .annotate(
            members=Count("user_id", distinct=True),
            without_mfa=Count("user_id", distinct=True, filter=Q(has_mfa=False)),
        )
    }
    return [
        {"organisation": o, "members": counts.get(o.pk, {}).get("members", 0), "without_mfa": counts.get(o.pk, {}).get("without_mfa", 0)}
        for o in organisations
    ]


ROLE_ORDER = [choice[0] for choice in Role.choices]
