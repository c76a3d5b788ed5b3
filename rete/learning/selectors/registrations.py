"""Every read of registrations, the waiting list and attendance (part "registration").

A member sees her own registrations; an event's runners (trainers and network coordinators of
the host organisation) see its participants with their names, the waiting list and the
attendance; an outside professional reaches her registration through her personal link, and
the registration form through a valid invitation link. Anything else is a 404. Every function
issues a fixed number of queries, whatever the number of participants."""
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from rete.core import access as core_access
from rete.core.selectors import active_memberships
from rete.learning import tokens
from rete.learning.models import (
    EventSession,
    EventStatus,
    Invitation,
    Registration,
    RegistrationStatus,
    SessionAttendance,
    TrainingEvent,
)
from rete.learning.selectors.events import event_get, may_run

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def counts(*, event) -> dict:
    """{"registered": n, "waiting": n} (one query)."""
    return Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)))


def waiting_position(*, registration) -> int | None:
    """Her place on the waiting list, 1 = next to move up (one query), or None."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    before = Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITING).filter(
        Q(registered_at__lt=registration.registered_at) | Q(registered_at=registration.registered_at, pk__lt=registration.pk))
    return before.count() + 1


def member_registration(*, user, event) -> Registration | None:
    """Her own registration for the event (any status), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).first()


def may_register(*, user) -> bool:
    """Members of the network register themselves (memberships are cached per request)."""
    return bool(active_memberships(user=user))


# ---- her own registrations -----------------------------------------------------------------------


def my_registrations(*, user):
    """Her registrations with their events, the coming ones first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return (Registration.objects.filter(user=user).select_related("event", "event__host")
            .order_by("-event__starts_on", "-pk"))


def my_upcoming(*, user, today=None, limit=5) -> list:
    """Her registrations (with a place or waiting) for events that are not over (one query)."""
    if not active_memberships(user=user):
        return []
    today = today or timezone.localdate()
    return list(Registration.objects.filter(user=user, status__in=ACTIVE, event__ends_on__gte=today)
                .exclude(event__status=EventStatus.CANCELLED).select_related("event")
                .order_by("event__starts_on", "pk")[:limit])


def my_registration_get(*, user, pk) -> Registration:
    """Her own registration (404 for anyone else's)."""
    if not getattr(user, "is_authenticated", False):
        core_access.deny()
    registration = Registration.objects.filter(pk=pk, user=user).select_related("event", "event__host").first()
    if registration is None:
        core_access.deny()
    return registration


def registration_for_cancel(*, user, pk) -> Registration:
    """A registration she may cancel: her own, or one of an event she runs (404 otherwise)."""
    registration = Registration.objects.filter(pk=pk).select_related("event", "event__host").first()
    if registration is None or not getattr(user, "is_authenticated", False):
        core_access.deny()
    if registration.user_id != user.pk and not may_run(user=user, event=registration.event):
        core_access.deny()
    return registration


def registration_manage_get(*, user, pk) -> Registration:
    """A registration of an event she runs (404 otherwise)."""
    registration = Registration.objects.filter(pk=pk).select_related("event", "event__host").first()
    if registration is None or not may_run(user=user, event=registration.event):
        core_access.deny()
    return registration


# ---- the runners' lists ----------------------------------------------------------------------------


def participant_list(*, user, event) -> dict:
    """The event's participants for its runners: {"registered", "waiting" (in order), "cancelled"}
    (one query; names are decrypted as the rows are read)."""
    if not may_run(user=user, event=event):
        core_access.deny()
    rows = list(Registration.objects.filter(event=event).order_by("registered_at", "pk"))
    grouped = {"registered": [], "waiting": [], "cancelled": []}
    for row in rows:
        grouped[row.status].append(row)
    for position, row in enumerate(grouped["waiting"], start=1):
        row.position = position
    return grouped


def session_manage_get(*, user, event, pk) -> EventSession:
    """A session of an event she runs (404 otherwise)."""
    if not may_run(user=user, event=event):
        core_access.deny()
    session = EventSession.objects.filter(event=event, pk=pk).first()
    if session is None:
        core_access.deny()
    return session


def event_sessions(*, event) -> list:
    """The event's sessions in order (one query)."""
    return list(EventSession.objects.filter(event=event).order_by("starts_at", "pk"))


def attendance_rows(*, user, event, session) -> list[dict]:
    """One row per registered participant with her attendance at the session, if recorded
    (two queries)."""
    if not may_run(user=user, event=event) or session.event_id != event.pk:
        core_access.deny()
    registrations = list(Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
                         .order_by("registered_at", "pk"))
    saved = {row.registration_id: row for row in SessionAttendance.objects.filter(
        session=session, registration__in=[r.pk for r in registrations])}
    return [{"registration": r, "attendance": saved.get(r.pk)} for r in registrations]


# ---- the participant's page ------------------------------------------------------------------------


def participant_sessions(*, registration) -> list:
    """The event's sessions, each with `my_attendance` (her attendance, or None) (two queries)."""
    sessions = list(EventSession.objects.filter(event_id=registration.event_id).prefetch_related(
        Prefetch("attendance", queryset=SessionAttendance.objects.filter(registration=registration),
                 to_attr="mine")))
    for session in sessions:
        session.my_attendance = session.mine[0] if session.mine else None
    return sessions


# ---- invitations -------------------------------------------------------------------------------------


def invitation_valid(invitation, *, today=None) -> bool:
    today = today or timezone.localdate()
    return (invitation.revoked_at is None and invitation.expires_on >= today
            and (invitation.max_uses is None or invitation.uses < invitation.max_uses))


def invitation_by_token(*, token, today=None) -> Invitation:
    """A valid invitation from its link, with its event (404 when unknown, revoked, expired or
    used up, or when its event is a draft)."""
    if not token:
        core_access.deny()
    invitation = (Invitation.objects.filter(token_hash=tokens.token_hash(token))
                  .select_related("event", "event__host").first())
    if invitation is None or not invitation_valid(invitation, today=today) or invitation.event.status == EventStatus.DRAFT:
        core_access.deny()
    return invitation


def event_for_register(*, user, pk) -> TrainingEvent:
    """An event she may see (and so register for)."""
    return event_get(user=user, pk=pk)
