"""Every read of training events: the only place that decides who sees which event.

Every member sees events that are not drafts (to register herself); the host organisation's
trainers and network coordinators see and run all of its events. A participant reaches her own
registration: a member through her account, an outside professional through her personal link."""
from django.db.models import Count, Q

from rete.core import access as core_access
from rete.core.selectors import active_memberships
from rete.learning import access, tokens
from rete.learning.models import EventStatus, Registration, RegistrationStatus, TrainingEvent


def runs_training_at(*, user) -> list:
    """The organisations whose events she runs."""
    seen = {}
    for m in active_memberships(user=user):
        if m.role in access.RUN_TRAINING:
            seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def _visible_q(user) -> Q:
    q = ~Q(status=EventStatus.DRAFT)
    hosts = [o.pk for o in runs_training_at(user=user)]
    if hosts:
        q |= Q(host_id__in=hosts)
    return q


def event_list(*, user, status="", upcoming=None, today=None):
    """Events she may see with the number registered and waiting (a fixed number of queries)."""
    if not active_memberships(user=user):
        return TrainingEvent.objects.none()
    queryset = TrainingEvent.objects.filter(_visible_q(user))
    if status:
        queryset = queryset.filter(status=status)
    if upcoming is True and today is not None:
        queryset = queryset.filter(ends_on__gte=today)
    if upcoming is False and today is not None:
        queryset = queryset.filter(ends_on__lt=today)
    return queryset.select_related("host").annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
        waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )


def event_get(*, user, pk) -> TrainingEvent:
    """An event she may see (to read it and register)."""
    if not active_memberships(user=user):
        core_access.deny()
    event = TrainingEvent.objects.filter(_visible_q(user), pk=pk).select_related("host").first()
    if event is None:
        core_access.deny()
    return event


def may_run(*, user, event) -> bool:
    return core_access.has_capability(user, event.host_id, access.RUN_TRAINING)


def event_manage_get(*, user, pk) -> TrainingEvent:
    """An event of an organisation whose training she runs (404 otherwise)."""
    event = TrainingEvent.objects.filter(pk=pk).select_related("host").first()
    if event is None or not may_run(user=user, event=event):
        core_access.deny()
    return event


def own_registration(*, user, event) -> Registration | None:
    """Her registration for the event (any status), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registration_by_token(*, token) -> Registration:
    """An outside participant's registration from her personal link (404 for anything else)."""
    if not token:
        core_access.deny()
    registration = (Registration.objects.filter(access_token_hash=tokens.token_hash(token))
                    .exclude(access_token_hash="").select_related("event", "event__host").first())
    if registration is None:
        core_access.deny()
    return registration


# ---- part "events": the list by tab, an event's sessions, materials and invitations ----------


def event_overview(*, user, upcoming: bool, today):
    """The events page of one tab: coming (or under way) soonest first, past most recent first;
    with host and the numbers registered and waiting (a fixed number of queries)."""
    queryset = event_list(user=user, upcoming=upcoming, today=today)
    return queryset.order_by("starts_on", "pk") if upcoming else queryset.order_by("-starts_on", "-pk")


def may_see_inside(*, user, event, registration=None) -> bool:
    """The online link and the materials: for the people who run the event and for her once
    her place is confirmed (registered, not waiting or cancelled)."""
    if may_run(user=user, event=event):
        return True
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


def event_sessions(*, event) -> list:
    """The sessions in time order, each with the number of attendance rows recorded."""
    from rete.learning.models import EventSession

    return list(EventSession.objects.filter(event=event).annotate(attendance_count=Count("attendance"))
                .order_by("starts_at", "pk"))


def event_session_get(*, event, pk):
    """One session of the event (404 for another event's)."""
    from rete.learning.models import EventSession

    session = EventSession.objects.filter(event=event, pk=pk).first()
    if session is None:
        core_access.deny()
    return session


def event_materials(*, event) -> list:
    """The materials without their content."""
    from rete.learning.models import EventMaterial

    return list(EventMaterial.objects.filter(event=event).defer("content").order_by("uploaded_at", "pk"))


def event_material_get(*, user, event, pk):
    """A material with its content, for the runners and registered participants (404 otherwise)."""
    from rete.learning.models import EventMaterial

    if not may_see_inside(user=user, event=event, registration=own_registration(user=user, event=event)):
        core_access.deny()
    material = EventMaterial.objects.filter(event=event, pk=pk).first()
    if material is None:
        core_access.deny()
    return material


def event_invitations(*, event) -> list:
    """The event's invitation links, newest first (only their hashes are kept)."""
    from rete.learning.models import Invitation

    return list(Invitation.objects.filter(event=event).order_by("-created_at", "-pk"))


def speakers(sessions) -> list[str]:
    """The speakers named in the sessions (separated by semicolons or new lines), each once, in
    the order they first speak. Pure: works on the sessions already read."""
    seen, names = set(), []
    for session in sessions:
        for name in str(session.speakers or "").replace("\n", ";").split(";"):
            name = " ".join(name.split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names
