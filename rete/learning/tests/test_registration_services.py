"""Registration services (part "registration"): members and outside professionals register,
places and the waiting list under the event's lock, cancellations promote the first waiting,
invitation limits, personal links, attendance; audit events carry ids and codes only."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from rete.core.models import AuditEvent
from rete.core.services import ServiceError
from rete.learning import tokens
from rete.learning.models import EventStatus, Invitation, Registration, SessionAttendance
from rete.learning.services import events as event_services
from rete.learning.services import registrations as services
from rete.learning.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

PROFILE = {"organisation_name": "Home Support Centre", "organisation_kind": "victim_support", "country": "IT",
           "profession": "social_worker", "sex": "female", "language": "en"}


def outside(name="Olga Outside", email="olga@outside.example", **extra):
    return {**PROFILE, "full_name": name, "email": email, "organisation_name": "District hospital",
            "organisation_kind": "health", **extra}


def open_event(network, **extra):
    extra.setdefault("capacity", 2)
    return make_event(network["trainer"], network.home, status=EventStatus.OPEN, **extra)


def invite(network, event, **extra):
    extra.setdefault("expires_on", event.starts_on)
    return event_services.invitation_create(by=network["trainer"], event=event, label="Police academy", **extra)


def add_session(network, event, day=None, start=9):
    return event_services.session_add(by=network["trainer"], event=event, title=f"Session at {start}",
                                      day=day or event.starts_on, start_time=datetime.time(start, 0),
                                      end_time=datetime.time(start + 2, 0))


# ---- members ------------------------------------------------------------------------------------


def test_a_member_registers_herself_and_then_waits_when_full(network, django_capture_on_commit_callbacks):
    event = open_event(network, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    assert first.status == "registered" and first.user == network["caseworker"]
    assert first.full_name == network["caseworker"].get_full_name() and first.email == "caseworker@home.example"
    assert first.email_index == tokens.email_index("CASEWORKER@home.example ")
    assert mail.outbox[-1].to == ["caseworker@home.example"]
    assert f"/en/learning/my-training/{first.pk}/" in mail.outbox[-1].body
    second = services.register_member(by=network["other_caseworker"], event=event, profile=PROFILE)
    assert second.status == "waiting"


def test_registering_twice_is_refused_clearly(network):
    event = open_event(network)
    services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    with pytest.raises(ServiceError, match="already registered"):
        services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_is_refused_when_not_open(network):
    draft = make_event(network["trainer"], network.home)
    with pytest.raises(Exception) as denied:  # a draft is not even visible to a member
        services.register_member(by=network["caseworker"], event=draft, profile=PROFILE)
    assert denied.typename == "Http404"
    closed = make_event(network["trainer"], network.home, status=EventStatus.OPEN)
    event_services.event_set_status(by=network["trainer"], event=closed, status=EventStatus.CLOSED)
    with pytest.raises(ServiceError, match="not open"):
        services.register_member(by=network["caseworker"], event=closed, profile=PROFILE)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    past = open_event(network)
    type(past).objects.filter(pk=past.pk).update(registration_closes_on=yesterday)
    with pytest.raises(ServiceError, match="not open"):
        services.register_member(by=network["caseworker"], event=past, profile=PROFILE)
    with pytest.raises(Exception) as denied:
        services.register_member(by=network.superuser, event=open_event(network), profile=PROFILE)
    assert denied.typename == "Http404"


def test_a_bad_profile_names_the_field(network):
    event = open_event(network)
    for field, value in (("organisation_name", " "), ("sex", "x"), ("profession", ""), ("language", "fr"),
                         ("country", "FR")):
        with pytest.raises(ServiceError) as refused:
            services.register_member(by=network["caseworker"], event=event, profile={**PROFILE, field: value})
        assert refused.value.field == field
    assert services.register_member(by=network["caseworker"], event=event, profile={**PROFILE, "country": "XX"})


def test_after_cancelling_she_may_register_again_at_the_end_of_the_queue(network):
    event = open_event(network, capacity=1)
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    services.registration_cancel(by=network["caseworker"], registration=mine)
    services.register_member(by=network["supervisor"], event=event, profile=PROFILE)
    again = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    assert again.pk == mine.pk and again.status == "waiting" and again.cancelled_at is None


# ---- cancelling and the waiting list ---------------------------------------------------------------


def test_a_cancellation_promotes_the_first_waiting(network, django_capture_on_commit_callbacks):
    event = open_event(network, capacity=1)
    holder = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    first_waiting = services.register_member(by=network["supervisor"], event=event, profile=PROFILE)
    token = invite(network, event)[1]
    second_waiting = services.register_outside(invitation_token=token, profile=outside()).registration
    assert (first_waiting.status, second_waiting.status) == ("waiting", "waiting")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=network["caseworker"], registration=holder)
    statuses = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    assert statuses == {holder.pk: "cancelled", first_waiting.pk: "registered", second_waiting.pk: "waiting"}
    assert [m.to for m in mail.outbox] == [["supervisor@home.example"]]
    assert "A place for you" in mail.outbox[0].subject
    # The runner cancels the promoted one: the outside professional moves up and gets a new link.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(by=network["trainer"], registration=first_waiting)
    second_waiting.refresh_from_db()
    assert second_waiting.status == "registered"
    assert mail.outbox[-1].to == ["olga@outside.example"] and "/training/me/" in mail.outbox[-1].body
    event_audit = AuditEvent.objects.filter(action="learning.registration.cancelled").order_by("seq")
    assert [e.detail["via"] for e in event_audit] == ["self", "runner"]
    assert event_audit.last().detail["promoted"] == [second_waiting.pk]


def test_cancelling_a_waiting_registration_promotes_nobody(network):
    event = open_event(network, capacity=1)
    services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    waiting = services.register_member(by=network["supervisor"], event=event, profile=PROFILE)
    third = services.register_member(by=network["trainer"], event=event, profile=PROFILE)
    services.registration_cancel(by=network["supervisor"], registration=waiting)
    third.refresh_from_db()
    assert third.status == "waiting"


def test_more_places_go_to_those_waiting_before_a_newcomer(network):
    event = open_event(network, capacity=1)
    services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    waiting = services.register_member(by=network["supervisor"], event=event, profile=PROFILE)
    type(event).objects.filter(pk=event.pk).update(capacity=2)
    newcomer = services.register_member(by=network["trainer"], event=event, profile=PROFILE)
    waiting.refresh_from_db()
    assert (waiting.status, newcomer.status) == ("registered", "waiting")


def test_who_may_cancel(network):
    event = open_event(network)
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    for stranger in (network["supervisor"], network["other_trainer"], network.outsider, None):
        with pytest.raises(Exception) as denied:
            services.registration_cancel(by=stranger, registration=mine)
        assert denied.typename == "Http404"
    with pytest.raises(Exception) as denied:
        services.registration_cancel(token="wrong", registration=mine)
    assert denied.typename == "Http404"
    services.registration_cancel(by=network["network_coordinator"], registration=mine)
    with pytest.raises(ServiceError, match="already cancelled"):
        services.registration_cancel(by=network["caseworker"], registration=mine)


def test_registrations_of_an_event_that_is_over_stay(network):
    event = open_event(network, starts_on=timezone.localdate())
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    event_services.event_set_status(by=network["trainer"], event=event, status=EventStatus.HELD)
    with pytest.raises(ServiceError, match="over"):
        services.registration_cancel(by=network["caseworker"], registration=mine)


# ---- outside professionals ----------------------------------------------------------------------------


def test_an_outside_professional_registers_through_an_invitation(network, django_capture_on_commit_callbacks):
    event = open_event(network)
    invitation, token = invite(network, event, max_uses=2)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.register_outside(invitation_token=token, profile=outside(language="it"))
    registration = result.registration
    assert not result.already and registration.status == "registered" and registration.user is None
    assert registration.invitation == invitation and registration.full_name == "Olga Outside"
    assert registration.access_token_hash == tokens.token_hash(result.token)
    invitation.refresh_from_db()
    assert invitation.uses == 1
    message = mail.outbox[-1]
    assert message.to == ["olga@outside.example"]
    assert f"/it/training/me/{result.token}/" in message.body  # her language, her link
    assert "Olga" not in message.body


def test_the_same_address_twice_sends_a_new_link_to_that_address_only(network, django_capture_on_commit_callbacks):
    event = open_event(network)
    invitation, token = invite(network, event)
    first = services.register_outside(invitation_token=token, profile=outside())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.register_outside(invitation_token=token, profile=outside(name="Someone Else",
                                                                                  email=" OLGA@outside.example"))
    assert again.already and again.registration.pk == first.registration.pk
    assert again.token != first.token
    registration = Registration.objects.get(pk=first.registration.pk)
    assert registration.full_name == "Olga Outside"  # nothing changed but the link
    assert registration.access_token_hash == tokens.token_hash(again.token)
    assert [m.to for m in mail.outbox] == [["olga@outside.example"]]
    assert again.token in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert Registration.objects.filter(event=event).count() == 1


def test_invitation_limits_expiry_and_revocation(network):
    event = open_event(network)
    invitation, token = invite(network, event, max_uses=1)
    services.register_outside(invitation_token=token, profile=outside())
    with pytest.raises(Exception) as denied:  # used up
        services.register_outside(invitation_token=token, profile=outside(email="second@outside.example"))
    assert denied.typename == "Http404"
    invitation, token = invite(network, event)
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(Exception) as denied:
        services.register_outside(invitation_token=token, profile=outside(email="third@outside.example"))
    assert denied.typename == "Http404"
    invitation, token = invite(network, event)
    event_services.invitation_revoke(by=network["trainer"], event=event, invitation_id=invitation.pk)
    with pytest.raises(Exception) as denied:
        services.register_outside(invitation_token=token, profile=outside(email="fourth@outside.example"))
    assert denied.typename == "Http404"
    with pytest.raises(Exception) as denied:
        services.register_outside(invitation_token="not-a-token", profile=outside(email="fifth@outside.example"))
    assert denied.typename == "Http404"
    assert Registration.objects.filter(event=event).count() == 1


def test_outside_registration_checks_name_and_address(network):
    event = open_event(network)
    _invitation, token = invite(network, event)
    with pytest.raises(ServiceError) as refused:
        services.register_outside(invitation_token=token, profile=outside(email="not an address"))
    assert refused.value.field == "email"
    with pytest.raises(ServiceError) as refused:
        services.register_outside(invitation_token=token, profile=outside(name="  "))
    assert refused.value.field == "full_name"
    event_services.event_set_status(by=network["trainer"], event=event, status=EventStatus.CLOSED)
    with pytest.raises(ServiceError, match="not open"):
        services.register_outside(invitation_token=token, profile=outside())


def test_cancelling_through_the_personal_link(network):
    event = open_event(network)
    result = services.register_outside(invitation_token=invite(network, event)[1], profile=outside())
    services.registration_cancel(token=result.token, registration=result.registration)
    assert Registration.objects.get(pk=result.registration.pk).status == "cancelled"
    assert AuditEvent.objects.filter(action="learning.registration.cancelled").get().actor is None


def test_a_runner_sends_the_link_again(network, django_capture_on_commit_callbacks):
    event = open_event(network)
    result = services.register_outside(invitation_token=invite(network, event)[1], profile=outside())
    old_hash = Registration.objects.get(pk=result.registration.pk).access_token_hash
    with pytest.raises(Exception) as denied:
        services.participant_link_resend(by=network["caseworker"], registration=result.registration)
    assert denied.typename == "Http404"
    with pytest.raises(Exception) as denied:
        services.participant_link_resend(by=network["other_trainer"], registration=result.registration)
    assert denied.typename == "Http404"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_link_resend(by=network["trainer"], registration=result.registration)
    registration = Registration.objects.get(pk=result.registration.pk)
    assert registration.access_token_hash not in ("", old_hash)
    assert mail.outbox[0].to == ["olga@outside.example"]
    member = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    with pytest.raises(ServiceError, match="signing in"):
        services.participant_link_resend(by=network["trainer"], registration=member)


# ---- attendance -------------------------------------------------------------------------------------------


def test_attendance_for_registered_participants_in_one_write(network, django_assert_max_num_queries):
    event = open_event(network, capacity=3, starts_on=timezone.localdate())
    session = add_session(network, event)
    people = [make_registration(event, full_name=f"P{i} Person", email=f"p{i}@x.example") for i in range(3)]
    waiting = make_registration(event, full_name="W Waiting", email="w@x.example", status="waiting")
    rows = {people[0].pk: "present", people[1].pk: "late", people[2].pk: ""}
    with django_assert_max_num_queries(12):
        assert services.attendance_record(by=network["trainer"], session=session, rows=rows) == 2
    rows = {people[0].pk: "absent", people[1].pk: "late", people[2].pk: "excused"}
    services.attendance_record(by=network["network_coordinator"], session=session, rows=rows)
    saved = dict(SessionAttendance.objects.filter(session=session).values_list("registration_id", "status"))
    assert saved == {people[0].pk: "absent", people[1].pk: "late", people[2].pk: "excused"}
    with pytest.raises(ServiceError, match="registered participants only"):
        services.attendance_record(by=network["trainer"], session=session, rows={waiting.pk: "present"})
    with pytest.raises(ServiceError):
        services.attendance_record(by=network["trainer"], session=session, rows={people[0].pk: "asleep"})
    for stranger in (network["caseworker"], network["other_trainer"]):
        with pytest.raises(Exception) as denied:
            services.attendance_record(by=stranger, session=session, rows={people[0].pk: "present"})
        assert denied.typename == "Http404"
    audit = AuditEvent.objects.filter(action="learning.attendance.recorded").order_by("seq").last()
    assert audit.detail["counts"] == {"present": 0, "late": 1, "excused": 1, "absent": 1}


def test_the_number_of_queries_of_attendance_does_not_grow(network, django_assert_max_num_queries):
    event = open_event(network, capacity=30, starts_on=timezone.localdate())
    session = add_session(network, event)
    people = [make_registration(event, full_name=f"P{i} Person", email=f"p{i}@x.example") for i in range(20)]
    with django_assert_max_num_queries(12):
        services.attendance_record(by=network["trainer"], session=session, rows={people[0].pk: "present"})
    with django_assert_max_num_queries(12):
        services.attendance_record(by=network["trainer"], session=session, rows={p.pk: "present" for p in people})
    assert SessionAttendance.objects.filter(session=session).count() == 20


def test_attendance_waits_for_the_day_of_the_session(network):
    event = open_event(network)
    session = add_session(network, event)
    person = make_registration(event)
    with pytest.raises(ServiceError, match="day of the session"):
        services.attendance_record(by=network["trainer"], session=session, rows={person.pk: "present"})


# ---- the audit trail ------------------------------------------------------------------------------------


def test_no_personal_data_in_the_audit_trail(network):
    event = open_event(network, capacity=1, starts_on=timezone.localdate())
    session = add_session(network, event)
    mine = services.register_member(by=network["caseworker"], event=event, profile=PROFILE)
    _invitation, token = invite(network, event)
    result = services.register_outside(invitation_token=token, profile=outside(organisation_name="Secret Hospital"))
    services.register_outside(invitation_token=token, profile=outside())
    services.participant_link_resend(by=network["trainer"], registration=result.registration)
    services.attendance_record(by=network["trainer"], session=session, rows={mine.pk: "present"})
    services.registration_cancel(by=network["caseworker"], registration=mine)
    services.participants_record_view(by=network["trainer"], event=event, exported=1)
    events = AuditEvent.objects.filter(action__startswith="learning.registration.") | AuditEvent.objects.filter(
        action__in=["learning.attendance.recorded", "learning.participants.exported"])
    text = " ".join(str(e.detail) for e in events)
    assert events.count() >= 6
    for secret in ("Olga", "olga@", "outside.example", "caseworker@", "Secret Hospital", "District", token,
                   result.token, network["caseworker"].last_name):
        assert secret not in text


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_places(network):
    """Places are counted under the event's row lock: four members registering at once for two
    places give two places and two on the waiting list (PostgreSQL; SQLite writes one at a time)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    event = open_event(network, capacity=2)
    people = [network[role] for role in ("caseworker", "supervisor", "trainer", "facilitator")]
    barrier, errors = threading.Barrier(len(people)), []

    def register(user):
        try:
            barrier.wait()
            services.register_member(by=user, event=event, profile=PROFILE)
        except Exception as exc:  # pragma: no cover (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["registered", "registered", "waiting", "waiting"]
