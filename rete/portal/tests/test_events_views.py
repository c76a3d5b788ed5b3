"""Events, the pages: the public calendar (country and kind, cancelled ones marked, times of the
event's country), an event's page, calendar files parsed back, reach, and the editors' pages
(her time zone, validation, stale edits, publish and cancel, ownership, bounded queries)."""
import datetime
import zoneinfo

import icalendar
import pytest

from rete.conftest import client_for, url
from rete.portal.models import PublicEvent, ReachCount, ReachKind
from rete.portal.services import events as services
from rete.portal.tests.factories_events_materials import event_values, make_campaign, make_event

pytestmark = pytest.mark.django_db


def _at(year, month, day, hour, minute, zone):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def events(network):
    editor = network["content_editor"]
    other_editor = network["other_content_editor"]
    now = datetime.datetime.now(datetime.timezone.utc)
    year = now.year + 1
    return {
        "it": make_event(editor, network.home, title="Giornata informativa a Milano",
                         starts_at=_at(year, 3, 8, 10, 0, "Europe/Rome"), ends_at=_at(year, 3, 8, 13, 0, "Europe/Rome")),
        "workshop": make_event(editor, network.home, title="Laboratorio", kind="workshop",
                               starts_at=_at(year, 3, 9, 10, 0, "Europe/Rome"), ends_at=_at(year, 3, 9, 12, 0, "Europe/Rome")),
        "cancelled": make_event(editor, network.home, title="Stand in piazza", kind="stand", cancelled=True),
        "draft": make_event(editor, network.home, title="Not ready yet", published=False),
        "past": make_event(editor, network.home, title="Last year's day", starts_at=now - datetime.timedelta(days=30, hours=3),
                           ends_at=now - datetime.timedelta(days=30)),
        "cy": make_event(other_editor, network.other, title="Ημέρα ενημέρωσης", language="el", city="Λευκωσία",
                         starts_at=_at(year, 3, 8, 10, 0, "Asia/Nicosia"), ends_at=_at(year, 3, 8, 12, 0, "Asia/Nicosia"),
                         venue="", address="", online_url="https://meet.example.org/cy"),
    }


# ---- public pages -----------------------------------------------------------------------------


def test_the_calendar_lists_coming_published_events_with_cancelled_ones_marked(client, events):
    response = client.get(url("portal:events") + "?country=it")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("it", "workshop", "cancelled"):
        assert events[key].title in html
    assert "Not ready yet" not in html and "Last year" not in html and "Ημέρα ενημέρωσης" not in html
    assert "Cancelled: Stand in piazza" in html
    assert not response.cookies and response["Cache-Control"] == "no-store"
    # Ten o'clock in Milan, said so; no link to another host.
    assert f"{events['it'].starts_at.year}-03-08T10:00:00+01:00" in html and "10 a.m." in html and "time in Italy" in html
    assert "meet.example.org" not in html


def test_the_calendar_follows_the_language_and_can_show_every_country_and_a_kind(client, events):
    greek = client.get(url("portal:events", lang="el")).content.decode()
    assert "Ημέρα ενημέρωσης" in greek and "Giornata informativa" not in greek
    # The Cypriot event shows Nicosia's time (10:00), not Rome's (09:00).
    assert f"{events['cy'].starts_at.year}-03-08T10:00:00+02:00" in greek
    everything = client.get(url("portal:events") + "?country=all").content.decode()
    assert "Ημέρα ενημέρωσης" in everything and "Giornata informativa" in everything
    workshops = client.get(url("portal:events") + "?country=it&kind=workshop").content.decode()
    assert "Laboratorio" in workshops and "Giornata informativa" not in workshops


def test_an_unknown_kind_is_a_400_not_an_error(client, events):
    assert client.get(url("portal:events") + "?kind=party").status_code == 400


def test_an_events_page_and_an_unpublished_one(client, events):
    event = events["cy"]
    response = client.get(url("portal:event_detail", event_id=event.pk))
    html = response.content.decode()
    assert response.status_code == 200 and event.title in html and "Online" in html
    assert "meet.example.org/cy" in html and 'href="https://meet' not in html  # shown as text, not a link
    assert client.get(url("portal:event_detail", event_id=events["draft"].pk)).status_code == 404
    assert client.get(url("portal:event_ics", event_id=events["draft"].pk)).status_code == 404
    assert client.get(url("portal:event_detail", event_id=999999)).status_code == 404


def test_an_events_calendar_file_parsed_back(client, events, settings):
    settings.RETE_BASE_URL = "https://portal.rete.example"
    event = events["it"]
    response = client.get(url("portal:event_ics", event_id=event.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert not response.cookies and response["Cache-Control"] == "no-store"
    calendar = icalendar.Calendar.from_ical(response.content)
    [item] = calendar.walk("VEVENT")
    assert str(item["UID"]) == f"portal-event-{event.pk}@portal.rete.example"
    start, end = item["DTSTART"].dt, item["DTEND"].dt
    assert start.utcoffset() == datetime.timedelta(0) and b"DTSTART:" in response.content and b"Z\r\n" in response.content
    assert start == event.starts_at and end == event.ends_at
    assert start.hour == event.starts_at.astimezone(datetime.timezone.utc).hour  # 10:00 in Rome = 09:00 UTC in March
    assert str(item["SUMMARY"]) == event.title
    assert str(item["DESCRIPTION"]) == "Come and meet us.\nCoffee offered."  # plain text, no mark-up
    assert "Town hall" in str(item["LOCATION"])
    assert str(item["URL"]) == f"https://portal.rete.example/en/events/{event.pk}/"
    assert str(item["STATUS"]) == "CONFIRMED"
    assert item["DTSTAMP"]


def test_a_cancelled_events_file_says_so(client, events):
    response = client.get(url("portal:event_ics", event_id=events["cancelled"].pk))
    [item] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(item["STATUS"]) == "CANCELLED"


def test_the_calendar_feed_and_its_country_filter(client, events):
    response = client.get(url("portal:events_ics"))
    uids = {str(item["UID"]) for item in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    expected = {events[key].pk for key in ("it", "workshop", "cancelled", "cy")}
    assert uids == {f"portal-event-{pk}@127.0.0.1" for pk in expected}
    italian = client.get(url("portal:events_ics") + "?country=it")
    uids = {str(item["UID"]) for item in icalendar.Calendar.from_ical(italian.content).walk("VEVENT")}
    assert f"portal-event-{events['cy'].pk}@127.0.0.1" not in uids and len(uids) == 3


def test_calendar_downloads_are_counted_not_as_page_views(client, network, events):
    campaign = make_campaign(network.home)
    event = events["it"]
    PublicEvent.objects.filter(pk=event.pk).update(campaign=campaign)
    client.get(url("portal:event_ics", event_id=event.pk))
    client.get(url("portal:event_ics", event_id=event.pk))
    counter = ReachCount.objects.get(kind=ReachKind.CALENDAR_DOWNLOAD, key=f"event/{event.pk}")
    assert (counter.count, counter.country, counter.language, counter.campaign_ref) == (2, "IT", "en", campaign.pk)
    client.get(url("portal:events_ics", lang="it") + "?country=it")
    feed = ReachCount.objects.get(kind=ReachKind.CALENDAR_DOWNLOAD, key="calendar")
    assert (feed.count, feed.country, feed.language, feed.campaign_ref) == (1, "IT", "it", 0)
    assert not ReachCount.objects.filter(kind=ReachKind.PAGE_VIEW, key__contains="ics").exists()
    client.get(url("portal:events"))
    assert ReachCount.objects.filter(kind=ReachKind.PAGE_VIEW, key="portal:events").exists()


def test_the_public_calendar_and_feed_make_a_bounded_number_of_queries(client, network, django_assert_max_num_queries):
    editor = network["content_editor"]
    for number in range(12):
        make_event(editor, network.home, title=f"Day {number}")
    with django_assert_max_num_queries(6):
        assert client.get(url("portal:events") + "?country=it").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url("portal:events_ics")).status_code == 200


# ---- the editors' pages -------------------------------------------------------------------------


def _form(values, **overrides) -> dict:
    data = {key: value for key, value in values.items() if key not in ("organisation", "campaign", "starts_at", "ends_at")}
    data.update(organisation=values["organisation"].pk, campaign="", starts_at="2030-05-04T18:30", ends_at="2030-05-04T20:00")
    data.update(overrides)
    return data


def test_an_editor_adds_an_event_in_her_own_time_zone(network):
    editor = network["content_editor"]
    editor.time_zone = "Asia/Nicosia"
    editor.save()
    client = client_for(editor)
    page = client.get(url("portal:editor_event_add"))
    assert page.status_code == 200 and "Asia/Nicosia" in page.content.decode()
    response = client.post(url("portal:editor_event_add"), _form(event_values(network.home)))
    event = PublicEvent.objects.get()
    assert response.status_code == 302 and response.url == url("portal:editor_event_edit", event_id=event.pk)
    # 18:30 in Nicosia (UTC+3 in May) is 15:30 UTC.
    assert event.starts_at == datetime.datetime(2030, 5, 4, 15, 30, tzinfo=datetime.timezone.utc)
    assert not event.published and event.created_by == editor
    # Opened again, the form shows her own time, not UTC.
    assert 'value="2030-05-04T18:30"' in client.get(response.url).content.decode()


def test_invalid_input_keeps_her_values_and_says_why(network):
    client = client_for(network["content_editor"])
    data = _form(event_values(network.home, title="Serata aperta", venue="", online_url=""), ends_at="2030-05-04T17:00")
    response = client.post(url("portal:editor_event_add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Serata aperta" in html and "The event must end after it starts." in html
    assert "Give the venue, or the online link" in html
    assert not PublicEvent.objects.exists()
    # A value outside her choices (another organisation) is refused as well.
    response = client.post(url("portal:editor_event_add"), _form(event_values(network.home), organisation=network.other.pk))
    assert response.status_code == 400 and not PublicEvent.objects.exists()


def test_a_stale_edit_answers_409_with_both_versions(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    event = make_event(editor, network.home, published=False)
    services.event_update(by=coordinator, event=event, version=event.version, **event_values(network.home, title="Their title",
                                                                                             starts_at=event.starts_at, ends_at=event.ends_at))
    data = _form(event_values(network.home, title="My title"), version=event.version)
    response = client_for(editor).post(url("portal:editor_event_edit", event_id=event.pk), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html and "My title" in html and "Their title" in html
    assert PublicEvent.objects.get(pk=event.pk).title == "Their title"
    # Saving again (the form now carries the saved version) keeps hers.
    fresh = PublicEvent.objects.get(pk=event.pk)
    response = client_for(editor).post(url("portal:editor_event_edit", event_id=event.pk), {**data, "version": fresh.version})
    assert response.status_code == 302 and PublicEvent.objects.get(pk=event.pk).title == "My title"


def test_publish_withdraw_and_cancel_from_the_editors_page(network, client):
    editor = network["content_editor"]
    event = make_event(editor, network.home, published=False)
    staff = client_for(editor)
    assert client.get(url("portal:event_detail", event_id=event.pk)).status_code == 404
    response = staff.post(url("portal:editor_event_publish", event_id=event.pk), {"publish": "1", "version": event.version})
    assert response.status_code == 302
    assert client.get(url("portal:event_detail", event_id=event.pk)).status_code == 200
    event.refresh_from_db()
    # A stale button (an older version) is refused with the event shown again.
    response = staff.post(url("portal:editor_event_cancel", event_id=event.pk), {"version": event.version - 1})
    assert response.status_code == 409 and not PublicEvent.objects.get(pk=event.pk).cancelled
    response = staff.post(url("portal:editor_event_cancel", event_id=event.pk), {"version": event.version})
    assert response.status_code == 302 and PublicEvent.objects.get(pk=event.pk).cancelled
    assert "Cancelled" in client.get(url("portal:event_detail", event_id=event.pk)).content.decode()
    event.refresh_from_db()
    response = staff.post(url("portal:editor_event_publish", event_id=event.pk), {"publish": "0", "version": event.version})
    assert response.status_code == 302 and not PublicEvent.objects.get(pk=event.pk).published
    assert staff.post(url("portal:editor_event_publish", event_id=event.pk), {"publish": "1"}).status_code == 400
    assert staff.get(url("portal:editor_event_publish", event_id=event.pk)).status_code == 405


def test_it_checks_ownership(network, client):
    event = make_event(network["content_editor"], network.home, published=False)
    pages = [url("portal:editor_events"), url("portal:editor_event_add"), url("portal:editor_event_edit", event_id=event.pk)]
    actions = [url("portal:editor_event_publish", event_id=event.pk), url("portal:editor_event_cancel", event_id=event.pk)]
    # The Cypriot organisation's content editor: her own list works, the Italian event is 404.
    cypriot = client_for(network["other_content_editor"])
    assert cypriot.get(pages[0]).status_code == 200 and event.title not in cypriot.get(pages[0]).content.decode()
    assert cypriot.get(pages[2]).status_code == 404
    for action in actions:
        assert cypriot.post(action, {"version": event.version, "publish": "1"}).status_code == 404
    for person in (network.outsider, network["caseworker"], network.superuser):
        for page in pages:
            assert client_for(person).get(page).status_code == 404, (person, page)
        for action in actions:
            assert client_for(person).post(action, {"version": event.version, "publish": "1"}).status_code == 404
    for page in pages + actions:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    event.refresh_from_db()
    assert not event.published and not event.cancelled


def test_the_editors_list_filters_and_makes_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    editor = network["content_editor"]
    campaign = make_campaign(network.home)
    for number in range(8):
        make_event(editor, network.home, title=f"Coming {number}", campaign=campaign)
    now = datetime.datetime.now(datetime.timezone.utc)
    make_event(editor, network.home, title="Gone by", starts_at=now - datetime.timedelta(days=3),
               ends_at=now - datetime.timedelta(days=3) + datetime.timedelta(hours=1))
    staff = client_for(editor)
    with django_assert_max_num_queries(12):
        html = staff.get(url("portal:editor_events")).content.decode()
    assert "Coming 7" in html and "Gone by" not in html
    past = staff.get(url("portal:editor_events") + "?when=past").content.decode()
    assert "Gone by" in past and "Coming 1" not in past
    assert staff.get(url("portal:editor_events") + "?country=CY").status_code == 400  # not one of hers
