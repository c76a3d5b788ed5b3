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
