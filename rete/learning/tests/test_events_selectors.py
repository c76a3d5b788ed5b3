"""Reading training events (part "events"): the tabs of the list, who sees the inside of an
event (online link, materials), sessions and materials of one event only; and the pure helpers
(speakers, times in the event's time zone, the calendar file)."""
import datetime
import zoneinfo

import icalendar
import pytest
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rete.learning import calendar
from rete.learning.models import EventStatus
from rete.learning.selectors import events as selectors
from rete.learning.services import events as services
from rete.learning.tests.factories import make_event, make_registration

T = datetime.time


class _Session:
    def __init__(self, speakers):
        self.speakers = speakers


def test_speakers_are_named_once_in_order():
    sessions = [_Session("Anna Rossi, psychologist; Eleni  Georgiou"), _Session("eleni georgiou\nPetr Novák;"),
                _Session("")]
    assert selectors.speakers(sessions) == ["Anna Rossi, psychologist", "Eleni Georgiou", "Petr Novák"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=30), max_size=6))
def test_speakers_never_repeat_or_hold_empty_names(values):
    names = selectors.speakers([_Session(v) for v in values])
    assert all(name and name == name.strip() for name in names)
    assert len({n.casefold() for n in names}) == len(names)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)),
       st.times(), st.sampled_from(["Europe/Rome", "Asia/Nicosia", "Europe/Sofia", "UTC"]))
def test_local_times_go_round(day, time, zone):
    moment = calendar.local_datetime(zone, day, time)
    assert moment.tzinfo is not None
    # Clocks change in the small hours: the day always comes back, and the time too unless it
    # was skipped by the change to summer time (then it is an hour later).
    assert calendar.local_date(moment, zone) == day
    back = calendar.local_time(moment, zone)
    shift = (datetime.datetime.combine(day, back) - datetime.datetime.combine(day, time.replace(tzinfo=None, fold=0)))
    assert shift in (datetime.timedelta(0), datetime.timedelta(hours=1))


def test_an_invalid_time_zone_falls_back_to_the_sites():
    assert not calendar.valid_zone("Mars/Olympus") and not calendar.valid_zone("")
    assert calendar.zone("Mars/Olympus").key == "Europe/Rome"


@pytest.mark.django_db
def test_the_tabs_hold_coming_and_past_events_in_their_order(network):
    trainer, today = network["trainer"], datetime.date.today()
    later = make_event(trainer, network.home, starts_on=today + datetime.timedelta(days=40))
    sooner = make_event(trainer, network.home, starts_on=today + datetime.timedelta(days=10))
    running = make_event(trainer, network.home, starts_on=today - datetime.timedelta(days=1), days=3)
    past = make_event(trainer, network.home, starts_on=today - datetime.timedelta(days=30))
    older = make_event(trainer, network.home, starts_on=today - datetime.timedelta(days=60))
    assert list(selectors.event_overview(user=trainer, upcoming=True, today=today)) == [running, sooner, later]
    assert list(selectors.event_overview(user=trainer, upcoming=False, today=today)) == [past, older]
    # Drafts are the runners' only.
    assert list(selectors.event_overview(user=network["caseworker"], upcoming=True, today=today)) == []


@pytest.mark.django_db
def test_the_inside_of_an_event_is_for_runners_and_registered_participants(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    services.session_add(by=trainer, event=event, title="Opening", day=event.starts_on, start_time=T(9, 0),
                         end_time=T(10, 0))
    services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)
    material = services.material_add(by=trainer, event=event, title="Slides", filename="s.pdf", data=b"%PDF-1.4 x")
    registered = make_registration(event, user=network["caseworker"])
    waiting = make_registration(event, user=network["supervisor"], status="waiting")
    assert selectors.may_see_inside(user=trainer, event=event)
    assert selectors.may_see_inside(user=network["network_coordinator"], event=event)
    assert selectors.may_see_inside(user=network["caseworker"], event=event, registration=registered)
    assert not selectors.may_see_inside(user=network["supervisor"], event=event, registration=waiting)
    assert not selectors.may_see_inside(user=network["other_trainer"], event=event)
    assert selectors.event_material_get(user=network["caseworker"], event=event, pk=material.pk) == material
    for outsider in (network["supervisor"], network["police_officer"], network["other_trainer"]):
        with pytest.raises(Http404):
            selectors.event_material_get(user=outsider, event=event, pk=material.pk)
    other = make_event(trainer, network.home)
    with pytest.raises(Http404):
        selectors.event_material_get(user=trainer, event=other, pk=material.pk)


@pytest.mark.django_db
def test_sessions_and_invitations_belong_to_their_event(network):
    trainer = network["trainer"]
    event, other = make_event(trainer, network.home), make_event(trainer, network.home)
    session = services.session_add(by=trainer, event=event, title="Opening", day=event.starts_on, start_time=T(9, 0),
                                   end_time=T(10, 0))
    assert selectors.event_session_get(event=event, pk=session.pk) == session
    with pytest.raises(Http404):
        selectors.event_session_get(event=other, pk=session.pk)
    [row] = selectors.event_sessions(event=event)
    assert row.attendance_count == 0
    services.invitation_create(by=trainer, event=event, label="Police", expires_on=event.starts_on)
    assert len(selectors.event_invitations(event=event)) == 1 and selectors.event_invitations(event=other) == []


@pytest.mark.django_db
def test_the_calendar_file_has_each_session_in_the_events_time_zone(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, time_zone="Asia/Nicosia", online=True,
                       online_link="https://meet.example/room", venue="Hotel Hilton", city="Nicosia")
    services.session_add(by=trainer, event=event, title="Opening", day=event.starts_on, start_time=T(9, 30),
                         end_time=T(12, 0), room="Room A")
    services.session_add(by=trainer, event=event, title="Closing", day=event.ends_on, start_time=T(14, 0),
                         end_time=T(15, 0))
    parsed = icalendar.Calendar.from_ical(calendar.event_calendar(event, include_online_link=False))
    items = parsed.walk("VEVENT")
    assert [str(item["SUMMARY"]) for item in items] == ["Transnational workshop: Opening", "Transnational workshop: Closing"]
    start = items[0].decoded("DTSTART")
    nicosia = zoneinfo.ZoneInfo("Asia/Nicosia")
    assert start == datetime.datetime.combine(event.starts_on, T(9, 30), tzinfo=nicosia)
    assert items[0]["DTSTART"].params["TZID"] == "Asia/Nicosia"
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Nicosia"]
    assert str(items[0]["LOCATION"]) == "Room A, Hotel Hilton, Nicosia, Online"
    assert "meet.example" not in parsed.to_ical().decode()
    assert str(items[0]["URL"]).endswith(f"/learning/events/{event.pk}/")
    with_link = calendar.event_calendar(event, include_online_link=True, url="https://rete.example/mine/")
    assert b"meet.example/room" in with_link and b"https://rete.example/mine/" in with_link


@pytest.mark.django_db
def test_an_event_without_sessions_is_one_entry_over_its_days(network):
    event = make_event(network["trainer"], network.home, days=3)
    [item] = icalendar.Calendar.from_ical(calendar.event_calendar(event, include_online_link=True)).walk("VEVENT")
    assert item.decoded("DTSTART") == event.starts_on
    assert item.decoded("DTEND") == event.ends_on + datetime.timedelta(days=1)
    assert str(item["STATUS"]) == "CONFIRMED"
