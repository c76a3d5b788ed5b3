"""Registration pages (part "registration"): the event page's section, registering, cancelling,
the participants' list and its CSV, the attendance register, her training and her registration,
and the public pages behind an invitation link and a personal link. Who reaches what, refusals
that keep her entries, bounded queries."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from rete.conftest import assert_denied, client_for, reauthenticated, url
from rete.core.models import AuditEvent
from rete.learning.models import EventStatus, Registration, SessionAttendance
from rete.learning.services import events as event_services
from rete.learning.services import registrations as services
from rete.learning.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

PROFILE = {"organisation_name": "Home Support Centre", "organisation_kind": "victim_support", "country": "IT",
           "profession": "social_worker", "sex": "female", "language": "en"}
OUTSIDE = {**PROFILE, "full_name": "Olga Outside", "email": "olga@outside.example", "organisation_name": "District hospital"}


def get(user, name, **kwargs):
    return client_for(user).get(url(name, **kwargs))


def post(user, name, data=None, **kwargs):
    return client_for(user).post(url(name, **kwargs), data or {})


@pytest.fixture
def event(network):
    event = make_event(network["trainer"], network.home, status=EventStatus.OPEN, capacity=2, online=True,
                       online_link="https://meet.example/room-42", starts_on=timezone.localdate())
    event_services.session_add(by=network["trainer"], event=event, title="Opening", day=event.starts_on,
                               start_time=datetime.time(0, 0), end_time=datetime.time(0, 30))
    return event


def session_of(event):
    return event.sessions.get()


def invitation_token(network, event, **extra):
    return event_services.invitation_create(by=network["trainer"], event=event, label="Academy",
                                            expires_on=event.ends_on, **extra)[1]


# ---- the event page's section and the registration form ------------------------------------------------


def test_the_event_page_offers_registration_then_shows_her_status(network, event):
    page = get(network["caseworker"], "learning:event_detail", training_event_id=event.pk).content.decode()
    assert url("learning:event_register", training_event_id=event.pk) in page
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    page = get(network["caseworker"], "learning:event_detail", training_event_id=event.pk).content.decode()
    assert "You are registered." in page
    assert url("learning:my_registration", registration_id=mine.pk) in page
    assert url("learning:registration_cancel", registration_id=mine.pk) in page
    assert url("learning:event_participants", training_event_id=event.pk) not in page
    runner = get(network["trainer"], "learning:event_detail", training_event_id=event.pk).content.decode()
    assert url("learning:event_participants", training_event_id=event.pk) in runner
    assert "1 of 2 places taken." in runner


def test_registering_from_the_form(network, event, django_capture_on_commit_callbacks):
    user = network["caseworker"]
    page = get(user, "learning:event_register", training_event_id=event.pk).content.decode()
    assert 'value="Home Support Centre"' in page  # her organisation by default
    assert "funders" in page  # sex and profession: why they are asked
    with django_capture_on_commit_callbacks(execute=True):
        response = post(user, "learning:event_register", PROFILE, training_event_id=event.pk)
    registration = Registration.objects.get(event=event, user=user)
    assert response.status_code == 302
    assert response["Location"] == url("learning:my_registration", registration_id=registration.pk)
    assert len(mail.outbox) == 1
    again = post(user, "learning:event_register", PROFILE, training_event_id=event.pk)
    assert again.status_code == 400 and "already registered" in again.content.decode()


def test_a_refused_registration_keeps_her_entries(network, event):
    data = {**PROFILE, "organisation_name": "My own words", "sex": ""}
    response = post(network["caseworker"], "learning:event_register", data, training_event_id=event.pk)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="My own words"' in page and "This field is required." in page
    assert not Registration.objects.exists()


def test_the_form_says_when_registration_is_not_open(network, event):
    event_services.event_set_status(by=network["trainer"], event=event, status=EventStatus.CLOSED)
    page = get(network["caseworker"], "learning:event_register", training_event_id=event.pk)
    assert page.status_code == 200 and "not open" in page.content.decode()
    refused = post(network["caseworker"], "learning:event_register", PROFILE, training_event_id=event.pk)
    assert refused.status_code == 400 and not Registration.objects.exists()


def test_it_checks_ownership(network, event):
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    assert get(network["caseworker"], "learning:my_registration", registration_id=mine.pk).status_code == 200
    for stranger in (network["supervisor"], network["trainer"], network["other_caseworker"], network.superuser):
        assert_denied(get(stranger, "learning:my_registration", registration_id=mine.pk))
    for stranger in (network["supervisor"], network["other_trainer"], network.outsider):
        assert_denied(post(stranger, "learning:registration_cancel", registration_id=mine.pk))
    assert Registration.objects.get(pk=mine.pk).status == "registered"
    assert get(network["caseworker"], "learning:registration_cancel", registration_id=mine.pk).status_code == 405
    draft = make_event(network["trainer"], network.home)
    assert_denied(get(network["caseworker"], "learning:event_register", training_event_id=draft.pk))


def test_cancelling_from_her_page_and_by_a_runner(network, event):
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    response = post(network["caseworker"], "learning:registration_cancel", registration_id=mine.pk)
    assert response["Location"] == url("learning:my_registration", registration_id=mine.pk)
    assert Registration.objects.get(pk=mine.pk).status == "cancelled"
    other = services.register_member(by=network["supervisor"], event=event, profile=PROFILE)
    response = post(network["trainer"], "learning:registration_cancel", registration_id=other.pk)
    assert response["Location"] == url("learning:event_participants", training_event_id=event.pk)
    assert Registration.objects.get(pk=other.pk).status == "cancelled"


# ---- her training ----------------------------------------------------------------------------------------


def test_her_training_and_her_registration_page(network, event, django_assert_max_num_queries):
    user = network["caseworker"]
    mine = services.register_member(by=user, event=event, profile=PROFILE)
    page = get(user, "learning:my_training").content.decode()
    assert url("learning:my_registration", registration_id=mine.pk) in page and event.title in page
    page = get(user, "learning:my_registration", registration_id=mine.pk).content.decode()
    assert "https://meet.example/room-42" in page and "Opening" in page and "Not recorded" in page
    services.attendance_record(by=network["trainer"], session=session_of(event), rows={mine.pk: "late"})
    page = get(user, "learning:my_registration", registration_id=mine.pk).content.decode()
    assert "Late" in page
    start = get(user, "core:start").content.decode()
    assert url("learning:my_registration", registration_id=mine.pk) in start
    client = client_for(user)
    client.get(url("learning:my_training"))
    with django_assert_max_num_queries(12):
        assert client.get(url("learning:my_training")).status_code == 200


def test_a_waiting_participant_sees_her_number_and_no_online_link(network, event):
    for role in ("supervisor", "trainer"):
        services.register_member(by=network[role], event=event, profile=PROFILE)
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    page = get(network["caseworker"], "learning:my_registration", registration_id=mine.pk).content.decode()
    assert "waiting list (number 1)" in page
    assert "meet.example" not in page


# ---- the runners' pages ---------------------------------------------------------------------------------


def test_the_participants_page_is_for_runners_and_bounded(network, event, django_assert_max_num_queries):
    make_registration(event, full_name="Ada First", email="ada@x.example")
    assert_denied(get(network["caseworker"], "learning:event_participants", training_event_id=event.pk))
    assert_denied(get(network["other_trainer"], "learning:event_participants", training_event_id=event.pk))
    client = client_for(network["trainer"])
    client.get(url("learning:event_participants", training_event_id=event.pk))
    with django_assert_max_num_queries(20):
        page = client.get(url("learning:event_participants", training_event_id=event.pk)).content.decode()
    assert "Ada First" in page
    for i in range(20):
        make_registration(event, full_name=f"Person {i}", email=f"p{i}@x.example", status="waiting")
    with django_assert_max_num_queries(20):
        page = client.get(url("learning:event_participants", training_event_id=event.pk)).content.decode()
    assert "Person 19" in page
    assert AuditEvent.objects.filter(action="learning.participants.viewed").count() == 3


def test_the_csv_export_asks_for_the_password_and_is_audited(network, event):
    make_registration(event, full_name="Ada First", email="ada@x.example", organisation_name="=HYPERLINK(1)")
    assert_denied(get(network["caseworker"], "learning:event_participants_csv", training_event_id=event.pk))
    assert get(network["trainer"], "learning:event_participants_csv", training_event_id=event.pk).status_code == 302
    client = reauthenticated(client_for(network["trainer"]), network["trainer"])
    response = client.get(url("learning:event_participants_csv", training_event_id=event.pk))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "Ada First" in body and "ada@x.example" in body and "'=HYPERLINK(1)" in body
    assert "trainer@home.example" in body.splitlines()[0]  # who exported it
    exported = AuditEvent.objects.get(action="learning.participants.exported")
    assert exported.detail == {"event": event.pk, "rows": 1}


def test_sending_the_link_again(network, event, django_capture_on_commit_callbacks):
    result = services.register_outside(invitation_token=invitation_token(network, event), profile=OUTSIDE)
    assert get(network["trainer"], "learning:participant_link_resend", registration_id=result.registration.pk).status_code == 405
    assert_denied(post(network["caseworker"], "learning:participant_link_resend", registration_id=result.registration.pk))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(network["trainer"], "learning:participant_link_resend", registration_id=result.registration.pk)
    assert response.status_code == 302 and mail.outbox[0].to == ["olga@outside.example"]
    assert_denied(get(None, "learning_public:participant_home", participant_token=result.token))


def test_the_attendance_register(network, event, django_assert_max_num_queries):
    person = make_registration(event, full_name="Ada First", email="ada@x.example")
    waiting = make_registration(event, full_name="Wanda Waiting", email="w@x.example", status="waiting")
    session = session_of(event)
    kwargs = {"training_event_id": event.pk, "attendance_session_id": session.pk}
    for stranger in (network["caseworker"], network["other_trainer"]):
        assert_denied(get(stranger, "learning:attendance_register", **kwargs))
        assert_denied(post(stranger, "learning:attendance_register", {f"r{person.pk}": "present"}, **kwargs))
    other = make_event(network["trainer"], network.home, status=EventStatus.OPEN)
    assert_denied(get(network["trainer"], "learning:attendance_register", training_event_id=other.pk,
                      attendance_session_id=session.pk))
    page = get(network["trainer"], "learning:attendance_register", **kwargs).content.decode()
    assert "Ada First" in page and "Wanda" not in page
    bad = post(network["trainer"], "learning:attendance_register", {f"r{person.pk}": "asleep"}, **kwargs)
    assert bad.status_code == 400 and not SessionAttendance.objects.exists()
    done = post(network["trainer"], "learning:attendance_register", {f"r{person.pk}": "present",
                                                                     f"r{waiting.pk}": "present"}, **kwargs)
    assert done.status_code == 302
    assert dict(SessionAttendance.objects.values_list("registration_id", "status")) == {person.pk: "present"}
    page = get(network["trainer"], "learning:attendance_register", **kwargs).content.decode()
    assert re.search(rf'name="r{person.pk}" value="present"[^>]*checked', page)


def test_the_attendance_register_is_bounded(network, event, django_assert_max_num_queries):
    session = session_of(event)
    kwargs = {"training_event_id": event.pk, "attendance_session_id": session.pk}
    people = [make_registration(event, full_name="Ada First", email="ada@x.example")]
    client = client_for(network["trainer"])
    client.get(url("learning:attendance_register", **kwargs))
    with django_assert_max_num_queries(15):
        assert client.get(url("learning:attendance_register", **kwargs)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.post(url("learning:attendance_register", **kwargs),
                           {f"r{p.pk}": "present" for p in people}).status_code == 302
    people += [make_registration(event, full_name=f"Person {i}", email=f"p{i}@x.example") for i in range(19)]
    with django_assert_max_num_queries(15):
        assert client.get(url("learning:attendance_register", **kwargs)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.post(url("learning:attendance_register", **kwargs),
                           {f"r{p.pk}": "late" for p in people}).status_code == 302
    assert SessionAttendance.objects.filter(status="late").count() == 20


# ---- public pages ---------------------------------------------------------------------------------------


def test_joining_through_an_invitation(network, event, django_capture_on_commit_callbacks):
    token = invitation_token(network, event)
    assert_denied(get(None, "learning_public:join", invitation_token="not-a-token"))
    client = client_for(None)
    page = client.get(url("learning_public:join", invitation_token=token))
    assert page.status_code == 200 and event.title in page.content.decode() and not page.cookies
    assert "meet.example" not in page.content.decode()  # the online link is for registered participants
    bad = client.post(url("learning_public:join", invitation_token=token), {**OUTSIDE, "email": "nope"})
    assert bad.status_code == 400 and 'value="Olga Outside"' in bad.content.decode() and not bad.cookies
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("learning_public:join", invitation_token=token), OUTSIDE)
    assert done.status_code == 200 and "You are registered." in done.content.decode() and not done.cookies
    assert done["Cache-Control"] == "no-store"
    link = mail.outbox[-1].body
    assert "/training/me/" in link
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url("learning_public:join", invitation_token=token), OUTSIDE)
    assert "already registered" in again.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_a_revoked_or_expired_invitation_is_a_404(network, event):
    invitation, token = event_services.invitation_create(by=network["trainer"], event=event, label="x",
                                                         expires_on=event.ends_on)
    event_services.invitation_revoke(by=network["trainer"], event=event, invitation_id=invitation.pk)
    assert_denied(get(None, "learning_public:join", invitation_token=token))
    assert_denied(post(None, "learning_public:join", OUTSIDE, invitation_token=token))
    invitation, token = event_services.invitation_create(by=network["trainer"], event=event, label="x",
                                                         expires_on=event.ends_on, max_uses=1)
    assert post(None, "learning_public:join", OUTSIDE, invitation_token=token).status_code == 200
    assert_denied(get(None, "learning_public:join", invitation_token=token))  # used up


def test_the_personal_page(network, event):
    result = services.register_outside(invitation_token=invitation_token(network, event), profile=OUTSIDE)
    token = result.token
    assert_denied(get(None, "learning_public:participant_home", participant_token="wrong"))
    client = client_for(None)
    page = client.get(url("learning_public:participant_home", participant_token=token))
    text = page.content.decode()
    assert page.status_code == 200 and not page.cookies
    assert "Olga Outside" in text and "https://meet.example/room-42" in text and "Opening" in text
    calendar = client.get(url("learning_public:participant_calendar", participant_token=token))
    assert calendar.status_code == 200 and b"BEGIN:VCALENDAR" in calendar.content
    assert b"room-42" in calendar.content
    assert client.get(url("learning_public:participant_cancel", participant_token=token)).status_code == 405
    cancelled = client.post(url("learning_public:participant_cancel", participant_token=token))
    assert cancelled.status_code == 200 and "Your registration was cancelled." in cancelled.content.decode()
    assert Registration.objects.get(pk=result.registration.pk).status == "cancelled"
    assert "meet.example" not in cancelled.content.decode()
    assert_denied(client.get(url("learning_public:participant_calendar", participant_token=token)))
    twice = client.post(url("learning_public:participant_cancel", participant_token=token))
    assert twice.status_code == 400


def test_the_personal_page_is_bounded(network, event, django_assert_max_num_queries):
    result = services.register_outside(invitation_token=invitation_token(network, event), profile=OUTSIDE)
    client = client_for(None)
    with django_assert_max_num_queries(20):
        assert client.get(url("learning_public:participant_home", participant_token=result.token)).status_code == 200
    for day in range(1, 4):
        event_services.session_add(by=network["trainer"], event=event, title=f"Day {day}", day=event.ends_on,
                                   start_time=datetime.time(9 + day, 0), end_time=datetime.time(10 + day, 0))
    with django_assert_max_num_queries(20):
        assert client.get(url("learning_public:participant_home", participant_token=result.token)).status_code == 200
