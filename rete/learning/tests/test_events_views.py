"""The pages of training events (part "events"): who reaches what (404 otherwise), forms that
keep her entries, the stale edit, uploads and downloads, invitation links shown once, the
calendar file, and a number of queries that does not grow with the data."""
import datetime

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rete.conftest import assert_denied, url
from rete.core.models import AuditEvent
from rete.learning.models import EventMaterial, EventSession, EventStatus, Invitation, SessionAttendance, TrainingEvent
from rete.learning.services import events as services
from rete.learning.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

T = datetime.time


def _session(by, event, *, day=None, start=T(9, 0), end=T(11, 0), title="Opening", speakers=""):
    return services.session_add(by=by, event=event, title=title, day=day or event.starts_on, start_time=start,
                                end_time=end, speakers=speakers)


def _open_event(network, **extra):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, **extra)
    _session(trainer, event, speakers="Anna Rossi; Eleni Georgiou")
    return services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)


def _event_post(event=None, **changes):
    start = datetime.date.today() + datetime.timedelta(days=20)
    data = {"kind": "workshop", "title": "Interviewing children", "description": "For police and caseworkers.",
            "agenda": "Morning: theory.", "starts_on": start.isoformat(), "ends_on": start.isoformat(),
            "time_zone": "Europe/Rome", "country": "IT", "venue": "Casa delle donne", "city": "Rome", "online": "",
            "online_link": "", "capacity": "25", "languages": ["it", "en"], "interpretation": "",
            "registration_closes_on": "", "certificate_min_attendance": "75", "follow_up_after_days": "90"}
    if event is not None:
        data["version"] = str(event.version)
    data.update(changes)
    return data


# ---- who reaches what -------------------------------------------------------------------------


def test_it_checks_ownership(network, as_user):
    """Every page of an event the other organisation's runners (and the home caseworker, for the
    runners' pages) do not reach answers 404, like an event that does not exist."""
    event = _open_event(network)
    session = event.sessions.get()
    material = services.material_add(by=network["trainer"], event=event, title="Slides", filename="s.pdf",
                                     data=b"%PDF-1.4 x")
    invitation, _token = services.invitation_create(by=network["trainer"], event=event, label="Police",
                                                    expires_on=event.starts_on)
    ids = {"training_event_id": event.pk}
    runner_gets = [url("learning:event_edit", **ids), url("learning:event_session_add", **ids),
                   url("learning:event_session_edit", **ids, event_session_id=session.pk),
                   url("learning:event_invitations", **ids),
                   url("learning:event_material_download", **ids, event_material_id=material.pk)]
    runner_posts = [url("learning:event_status", **ids), url("learning:event_session_delete", **ids,
                                                             event_session_id=session.pk),
                    url("learning:event_material_add", **ids),
                    url("learning:event_material_delete", **ids, event_material_id=material.pk),
                    url("learning:event_invitation_revoke", **ids, invitation_id=invitation.pk),
                    url("learning:event_edit", **ids), url("learning:event_session_add", **ids),
                    url("learning:event_invitations", **ids)]
    for person in (network["other_trainer"], network["other_network_coordinator"], network["caseworker"]):
        client = as_user(person)
        for path in runner_gets:
            assert_denied(client.get(path))
        for path in runner_posts:
            assert_denied(client.post(path, {"status": "cancelled", "version": event.version, "confirm": "1"}))
    assert TrainingEvent.objects.get(pk=event.pk).status == EventStatus.OPEN
    assert EventSession.objects.filter(pk=session.pk).exists() and EventMaterial.objects.filter(pk=material.pk).exists()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    # Members see the open event, not its runners' pages; a member of no organisation nothing.
    assert as_user(network["other_caseworker"]).get(url("learning:event_detail", **ids)).status_code == 200
    assert_denied(as_user(network.superuser).get(url("learning:event_detail", **ids)))
    assert_denied(as_user(network.superuser).get(url("learning:event_list")))
    # A session or material of another event through this one's address: 404.
    other = make_event(network["trainer"], network.home)
    client = as_user(network["trainer"])
    assert_denied(client.get(url("learning:event_session_edit", training_event_id=other.pk, event_session_id=session.pk)))
    assert_denied(client.get(url("learning:event_material_download", training_event_id=other.pk,
                                 event_material_id=material.pk)))


def test_a_draft_is_hidden_from_members(network, as_user):
    draft = make_event(network["trainer"], network.home, title="Draft seminar")
    path = url("learning:event_detail", training_event_id=draft.pk)
    for who in ("caseworker", "dpo", "other_trainer"):
        assert_denied(as_user(network[who]).get(path))
        assert_denied(as_user(network[who]).get(url("learning:event_ics", training_event_id=draft.pk)))
        assert b"Draft seminar" not in as_user(network[who]).get(url("learning:event_list")).content
    assert as_user(network["network_coordinator"]).get(path).status_code == 200
    assert b"Draft seminar" in as_user(network["trainer"]).get(url("learning:event_list")).content


def test_post_only_actions_answer_405_to_get(network, as_user):
    event = _open_event(network)
    client = as_user(network["trainer"])
    assert client.get(url("learning:event_status", training_event_id=event.pk)).status_code == 405
    assert client.get(url("learning:event_material_add", training_event_id=event.pk)).status_code == 405
    assert client.get(url("learning:event_session_delete", training_event_id=event.pk,
                          event_session_id=event.sessions.get().pk)).status_code == 405


# ---- the list ---------------------------------------------------------------------------------


def test_the_list_shows_places_waiting_and_the_new_event_link_to_runners(network, as_user):
    event = _open_event(network, capacity=3, title="Coming seminar")
    make_registration(event, user=network["caseworker"])
    make_registration(event, full_name="Wanda Waiting", email="w@outside.example", status="waiting")
    past = make_event(network["trainer"], network.home, title="Old seminar",
                      starts_on=datetime.date.today() - datetime.timedelta(days=20))
    services.event_set_status(by=network["trainer"], event=past, status=EventStatus.OPEN)
    page = as_user(network["police_officer"]).get(url("learning:event_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "Coming seminar" in text and "Old seminar" not in text
    assert "2 places left" in text and "1 waiting" in text
    assert url("learning:event_add") not in text
    past_text = as_user(network["police_officer"]).get(url("learning:event_list") + "?when=past").content.decode()
    assert "Old seminar" in past_text and "Coming seminar" not in past_text
    assert url("learning:event_add") in as_user(network["trainer"]).get(url("learning:event_list")).content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_is_bounded(network, as_user, django_assert_max_num_queries, count):
    for number in range(count):
        event = _open_event(network, title=f"Seminar {number}")
        make_registration(event, full_name=f"P{number} Person", email=f"p{number}@outside.example")
    client = as_user(network["caseworker"])
    with django_assert_max_num_queries(12):
        response = client.get(url("learning:event_list"))
    assert response.status_code == 200 and response.content.decode().count("Seminar ") == count


# ---- new event and edit -----------------------------------------------------------------------


def test_a_runner_creates_an_event(network, as_user):
    client = as_user(network["trainer"])
    assert client.get(url("learning:event_add")).status_code == 200
    response = client.post(url("learning:event_add"), _event_post())
    event = TrainingEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == url("learning:event_detail", training_event_id=event.pk)
    assert event.host == network.home and event.languages == ["en", "it"] and event.status == EventStatus.DRAFT
    assert_denied(as_user(network["caseworker"]).get(url("learning:event_add")))
    assert_denied(as_user(network["caseworker"]).post(url("learning:event_add"), _event_post()))


def test_bad_input_is_kept_with_the_reason(network, as_user):
    client = as_user(network["trainer"])
    data = _event_post(title="Kept title", venue="", online="", languages=[], ends_on="2000-01-01")
    response = client.post(url("learning:event_add"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="Kept title"' in text and "Choose at least one language." in text
    response = client.post(url("learning:event_add"), _event_post(title="Kept title", venue="", online=""))
    assert response.status_code == 400 and "Give the venue, or mark the event as online." in response.content.decode()
    assert not TrainingEvent.objects.exists()


def test_a_stale_edit_shows_both_versions(network, as_user):
    event = make_event(network["trainer"], network.home, title="First title")
    client = as_user(network["trainer"])
    page = client.get(url("learning:event_edit", training_event_id=event.pk))
    assert page.status_code == 200 and "First title" in page.content.decode()
    stale = _event_post(event, title="My title")
    services.event_update(by=network["network_coordinator"], event=event, version=event.version,
                          **{**{f: getattr(event, f) for f in services.EDITABLE_FIELDS}, "title": "Their title"})
    response = client.post(url("learning:event_edit", training_event_id=event.pk), stale)
    text = response.content.decode()
    assert response.status_code == 409 and "Their title" in text and 'value="My title"' in text
    assert f'name="version" value="{event.version + 1}"' in text
    again = client.post(url("learning:event_edit", training_event_id=event.pk), _event_post(event, title="My title",
                                                                                              version=event.version + 1))
    assert again.status_code == 302 and TrainingEvent.objects.get(pk=event.pk).title == "My title"


# ---- the event's page -------------------------------------------------------------------------


def test_the_online_link_and_materials_are_for_registered_participants_and_runners(network, as_user):
    event = _open_event(network, online=True, online_link="https://meet.example/secret-room")
    services.material_add(by=network["trainer"], event=event, title="Handout", filename="h.txt", data=b"hello")
    make_registration(event, user=network["caseworker"])
    make_registration(event, user=network["supervisor"], status="waiting")
    for who, sees in (("trainer", True), ("caseworker", True), ("supervisor", False), ("police_officer", False),
                      ("other_caseworker", False)):
        text = as_user(network[who]).get(url("learning:event_detail", training_event_id=event.pk)).content.decode()
        assert ("secret-room" in text) is sees, who
        assert ("Handout" in text) is sees, who
        assert "Anna Rossi" in text and "Eleni Georgiou" in text


def test_session_times_are_shown_in_the_events_time_zone(network, as_user):
    event = make_event(network["trainer"], network.home, time_zone="Asia/Nicosia")
    _session(network["trainer"], event, start=T(9, 30), end=T(11, 15))
    viewer = network["trainer"]
    viewer.time_zone = "Europe/Rome"
    viewer.save()
    text = as_user(viewer).get(url("learning:event_detail", training_event_id=event.pk)).content.decode()
    assert "09:30–11:15" in text and "Asia/Nicosia" in text


@pytest.mark.parametrize("count", [1, 10])
def test_the_event_page_is_bounded(network, as_user, django_assert_max_num_queries, count):
    event = _open_event(network)
    for number in range(count - 1):
        _session(network["trainer"], event, title=f"Session {number}", start=T(12, number), end=T(13, number))
    for number in range(count):
        services.material_add(by=network["trainer"], event=event, title=f"M{number}", filename="m.txt", data=b"x")
        make_registration(event, full_name=f"P{number} Person", email=f"p{number}@outside.example")
    for who in ("trainer", "caseworker"):
        client = as_user(network[who])
        with django_assert_max_num_queries(40):
            response = client.get(url("learning:event_detail", training_event_id=event.pk))
        assert response.status_code == 200


def test_the_page_renders_the_sections_of_the_other_parts(network, as_user, monkeypatch):
    from rete.learning.views import sections

    monkeypatch.setattr(sections, "_sections", {})
    sections.register_section("event", "probe", order=1, template="learning/events_email_cancelled_subject.txt",
                              context=lambda request, obj: {"title": "PROBE-" + str(obj.pk)})
    event = _open_event(network)
    text = as_user(network["caseworker"]).get(url("learning:event_detail", training_event_id=event.pk)).content.decode()
    assert f"PROBE-{event.pk}" in text


# ---- status -----------------------------------------------------------------------------------


def test_status_actions(network, as_user, mailoutbox, django_capture_on_commit_callbacks):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    client = as_user(trainer)
    path = url("learning:event_status", training_event_id=event.pk)
    page = client.get(url("learning:event_detail", training_event_id=event.pk)).content.decode()
    assert "Add at least one session before opening registration" in page
    refused = client.post(path, {"status": "open", "version": event.version})
    assert refused.status_code == 400 and "Add at least one session" in refused.content.decode()
    _session(trainer, event)
    assert client.post(path, {"status": "open", "version": event.version}).status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    assert client.post(path, {"status": "closed", "version": event.version - 1}).status_code == 409
    assert client.post(path, {"status": "bogus", "version": event.version}).status_code == 400
    make_registration(event, user=network["caseworker"])
    unconfirmed = client.post(path, {"status": "cancelled", "version": event.version})
    assert unconfirmed.status_code == 400 and TrainingEvent.objects.get(pk=event.pk).status == EventStatus.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path, {"status": "cancelled", "version": event.version, "confirm": "1"})
    assert done.status_code == 302 and TrainingEvent.objects.get(pk=event.pk).status == EventStatus.CANCELLED
    assert [mail.to for mail in mailoutbox] == [[network["caseworker"].email]]
    assert_denied(as_user(network["caseworker"]).post(path, {"status": "closed", "version": event.version}))


# ---- sessions ---------------------------------------------------------------------------------


def test_sessions_add_edit_delete(network, as_user):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, days=2)
    client = as_user(trainer)
    add = url("learning:event_session_add", training_event_id=event.pk)
    assert client.get(add).status_code == 200
    outside = client.post(add, {"title": "Kept session", "day": (event.ends_on + datetime.timedelta(days=3)).isoformat(),
                                "start_time": "09:00", "end_time": "10:00", "room": "Hall B", "speakers": ""})
    text = outside.content.decode()
    assert outside.status_code == 400 and 'value="Kept session"' in text and 'value="Hall B"' in text
    assert "must fall within the event" in text
    backwards = client.post(add, {"title": "S", "day": event.starts_on.isoformat(), "start_time": "10:00",
                                  "end_time": "09:00"})
    assert backwards.status_code == 400 and "must end after it starts" in backwards.content.decode()
    assert client.post(add, {"title": "Opening", "day": event.starts_on.isoformat(), "start_time": "09:00",
                             "end_time": "10:30", "room": "", "speakers": "A. Rossi"}).status_code == 302
    session = EventSession.objects.get()
    edit = url("learning:event_session_edit", training_event_id=event.pk, event_session_id=session.pk)
    form = client.get(edit).content.decode()
    assert 'value="09:00"' in form and 'value="10:30"' in form and f'value="{event.starts_on.isoformat()}"' in form
    assert client.post(edit, {"title": "Welcome", "day": event.ends_on.isoformat(), "start_time": "11:00",
                              "end_time": "12:00"}).status_code == 302
    session.refresh_from_db()
    assert session.title == "Welcome" and session.starts_at.astimezone(datetime.timezone.utc).hour in (9, 10)
    registration = make_registration(event, user=network["caseworker"])
    SessionAttendance.objects.create(registration=registration, session=session, status="present", recorded_by=trainer)
    delete = url("learning:event_session_delete", training_event_id=event.pk, event_session_id=session.pk)
    refused = client.post(delete)
    assert refused.status_code == 400 and "Attendance has been recorded" in refused.content.decode()
    SessionAttendance.objects.all().delete()
    assert client.post(delete).status_code == 302 and not EventSession.objects.exists()


# ---- materials --------------------------------------------------------------------------------


def test_upload_download_and_delete_a_material(network, as_user):
    event = _open_event(network)
    client = as_user(network["trainer"])
    add = url("learning:event_material_add", training_event_id=event.pk)
    fake = client.post(add, {"title": "Kept material title",
                             "file": SimpleUploadedFile("slides.pdf", b"<script>x</script>")})
    text = fake.content.decode()
    assert fake.status_code == 400 and 'value="Kept material title"' in text and "not what its name says" in text
    done = client.post(add, {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides")})
    assert done.status_code == 302
    material = EventMaterial.objects.get()
    download = url("learning:event_material_download", training_event_id=event.pk, event_material_id=material.pk)
    assert_denied(as_user(network["caseworker"]).get(download))  # not registered
    make_registration(event, user=network["caseworker"])
    response = as_user(network["caseworker"]).get(download)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 slides"
    assert response["Content-Disposition"].startswith("attachment;") and "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="learning.event.material_downloaded", actor=network["caseworker"]).count() == 1
    delete = url("learning:event_material_delete", training_event_id=event.pk, event_material_id=material.pk)
    assert_denied(as_user(network["caseworker"]).post(delete))
    assert client.post(delete).status_code == 302 and not EventMaterial.objects.exists()


def test_a_too_large_material_keeps_the_form(network, as_user, settings):
    settings.RETE_ATTACHMENT_MAX_BYTES = 50
    event = _open_event(network)
    response = as_user(network["trainer"]).post(url("learning:event_material_add", training_event_id=event.pk),
                                                {"title": "Big one", "file": SimpleUploadedFile("a.txt", b"x" * 200)})
    assert response.status_code == 400 and 'value="Big one"' in response.content.decode()
    assert "too large" in response.content.decode() and not EventMaterial.objects.exists()


# ---- invitations ------------------------------------------------------------------------------


def test_an_invitation_link_is_shown_once(network, as_user):
    event = _open_event(network)
    client = as_user(network["trainer"])
    path = url("learning:event_invitations", training_event_id=event.pk)
    assert client.get(path).status_code == 200
    bad = client.post(path, {"label": "Kept label", "expires_on": "2000-01-01", "max_uses": ""})
    assert bad.status_code == 400 and 'value="Kept label"' in bad.content.decode()
    made = client.post(path, {"label": "Police academy", "expires_on": event.starts_on.isoformat(), "max_uses": "5"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    invitation = Invitation.objects.get()
    text = made.content.decode()
    token = text.split('<code class="hash">')[1].split("</code>")[0].rstrip("/").rsplit("/", 1)[-1]
    from rete.learning import tokens

    assert tokens.token_hash(token) == invitation.token_hash
    later = client.get(path).content.decode()
    assert "Police academy" in later and token not in later
    revoke = url("learning:event_invitation_revoke", training_event_id=event.pk, invitation_id=invitation.pk)
    assert client.post(revoke).status_code == 302
    assert Invitation.objects.get().revoked_at is not None


# ---- the calendar file ------------------------------------------------------------------------


def test_the_calendar_file(network, as_user):
    event = _open_event(network, online=True, online_link="https://meet.example/secret-room", time_zone="Europe/Sofia")
    for who, has_link in (("trainer", True), ("caseworker", False)):
        response = as_user(network[who]).get(url("learning:event_ics", training_event_id=event.pk))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        [item] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert item["DTSTART"].params["TZID"] == "Europe/Sofia"
        assert item.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime.combine(event.starts_on, T(9, 0))
        assert (b"secret-room" in response.content) is has_link


def test_a_person_who_runs_training_at_two_organisations_chooses_the_host(network, as_user):
    from rete.core.models import Membership, Role

    trainer = network["trainer"]
    Membership.objects.create(user=trainer, organisation=network.other, role=Role.TRAINER)
    client = as_user(trainer)
    form = client.get(url("learning:event_add")).content.decode()
    assert 'name="host"' in form and "Other Support Centre" in form
    response = client.post(url("learning:event_add"), _event_post(host=str(network.other.pk), country="CY",
                                                                 time_zone="Asia/Nicosia"))
    assert response.status_code == 302 and TrainingEvent.objects.get().host == network.other
    refused = client.post(url("learning:event_add"), _event_post(host="999999", title="Kept"))
    assert refused.status_code == 400 and TrainingEvent.objects.count() == 1
