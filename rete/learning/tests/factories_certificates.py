"""Held events with sessions, participants and their attendance, for the tests of certificates and
of the funders' report (part "certificates")."""
import datetime

from django.utils import timezone

from rete.learning.models import EventSession, EventStatus, SessionAttendance
from rete.learning.tests.factories import make_event, make_registration


def held_event(by, host, *, sessions=4, hours=2, title="Transnational workshop", starts_on=None, **extra):
    """An event marked as held, with `sessions` sessions of `hours` hours each."""
    starts_on = starts_on or (timezone.localdate() - datetime.timedelta(days=10))
    event = make_event(by, host, title=title, starts_on=starts_on, status=EventStatus.OPEN, **extra)
    from rete.learning.services import events as event_services

    event = event_services.event_set_status(by=by, event=event, status=EventStatus.HELD)
    start = timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time(9, 0)))
    for number in range(sessions):
        begins = start + datetime.timedelta(hours=number * (hours + 1))
        EventSession.objects.create(event=event, title=f"Session {number + 1}", starts_at=begins,
                                    ends_at=begins + datetime.timedelta(hours=hours))
    return event


def attend(registration, statuses, *, by):
    """Records `statuses` (one per session, in order; None leaves a session unrecorded)."""
    sessions = list(EventSession.objects.filter(event=registration.event).order_by("starts_at", "pk"))
    for session, status in zip(sessions, statuses):
        if status:
            SessionAttendance.objects.create(registration=registration, session=session, status=status, recorded_by=by)
    return registration


def participant(event, statuses, *, by, **profile):
    return attend(make_registration(event, **profile), statuses, by=by)
