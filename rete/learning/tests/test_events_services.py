"""Writing training events (part "events"): the event, its status, sessions, materials and
invitation links — happy paths, refusals, and audit events with ids and codes only."""
import datetime
import zoneinfo

import pytest
from django.db import connection
from django.http import Http404

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.learning import tokens
from rete.learning.models import EventMaterial, EventSession, EventStatus, Invitation, SessionAttendance
from rete.learning.services import events as services
from rete.learning.tests.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

ROME = zoneinfo.ZoneInfo("Europe/Rome")
T = datetime.time


def _session(by, event, day=None, start=T(9, 0), end=T(11, 0), title="Opening"):
    return services.session_add(by=by, event=event, title=title, day=day or event.starts_on, start_time=start,
                                end_time=end)


def _actions(prefix="learning.event."):
    return list(AuditEvent.objects.filter(action__startswith=prefix).order_by("seq"))


def _values(event, **changes):
    values = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    values.update(changes)
    return values


# ---- the event --------------------------------------------------------------------------------


def test_a_runner_creates_an_event_and_it_is_audited(network):
    event = make_event(network["trainer"], network.home, title="  Risk assessment  ")
    assert event.status == EventStatus.DRAFT and event.title == "Risk assessment"
    [audit] = _actions("learning.event.created")
    assert audit.detail == {"event": event.pk, "kind": "seminar"} and audit.actor == network["trainer"]


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "dpo", "other_trainer", "other_network_coordinator"])
def test_only_the_hosts_runners_create_events(network, who):
    with pytest.raises(Http404):
        make_event(network[who], network.home)


@pytest.mark.parametrize("field, value", [("time_zone", "Mars/Olympus"), ("country", "FR"), ("languages", ["xx"]),
                                          ("online_link", "javascript:alert(1)"), ("certificate_min_attendance", 101),
                                          ("title", "x" * 201), ("capacity", 0)])
def test_bad_values_are_refused_on_their_field(network, field, value):
    with pytest.raises(ServiceError) as refused:
        make_event(network["trainer"], network.home, **{field: value})
    assert refused.value.field == field


def test_update_records_changed_fields_and_refuses_a_stale_version(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    updated = services.event_update(by=network["network_coordinator"], event=event, version=event.version,
                                    **_values(event, title="New title", capacity=40))
    assert updated.version == event.version + 1
    assert _actions("learning.event.updated")[-1].detail == {"event": event.pk, "fields": ["capacity", "title"]}
    with pytest.raises(StaleEdit) as stale:
        services.event_update(by=trainer, event=event, version=event.version, **_values(event, title="Mine"))
    assert stale.value.current.title == "New title"
    with pytest.raises(Http404):
        services.event_update(by=network["other_trainer"], event=event, version=None, **_values(event))


def test_new_dates_must_keep_the_sessions(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, days=3)
    _session(trainer, event, day=event.ends_on)
    with pytest.raises(ServiceError) as refused:
        services.event_update(by=trainer, event=event, version=None,
                              **_values(event, ends_on=event.starts_on + datetime.timedelta(days=1)))
    assert refused.value.field == "starts_on"
    # A time zone far to the west moves the session's morning to the day before the first day.
    first = _session(trainer, event, day=event.starts_on, start=T(0, 30), end=T(1, 0), title="Early")
    assert first.starts_at.astimezone(ROME).time() == T(0, 30)
    with pytest.raises(ServiceError):
        services.event_update(by=trainer, event=event, version=None, **_values(event, time_zone="America/New_York"))
    services.event_update(by=trainer, event=event, version=None, **_values(event, description="Longer."))


# ---- status -----------------------------------------------------------------------------------


def test_registration_opens_only_with_a_session(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    with pytest.raises(ServiceError):
        services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)
    _session(trainer, event)
    event = services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN, version=event.version)
    assert event.status == EventStatus.OPEN
    assert _actions("learning.event.status")[-1].detail == {"event": event.pk, "from_status": "draft",
                                                            "to_status": "open"}
    with pytest.raises(StaleEdit):
        services.event_change_status(by=trainer, event=event, status=EventStatus.CLOSED, version=event.version - 1)
    with pytest.raises(ServiceError):  # not a step from open
        services.event_change_status(by=trainer, event=event, status=EventStatus.DRAFT)
    with pytest.raises(Http404):
        services.event_change_status(by=network["caseworker"], event=event, status=EventStatus.CLOSED)


def test_registration_does_not_open_after_its_closing_date(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, starts_on=datetime.date.today() + datetime.timedelta(days=5),
                       registration_closes_on=datetime.date.today() - datetime.timedelta(days=1))
    _session(trainer, event)
    with pytest.raises(ServiceError):
        services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)


def test_an_event_is_marked_held_from_its_first_day(network):
    trainer = network["trainer"]
    coming = make_event(trainer, network.home)
    _session(trainer, coming)
    services.event_change_status(by=trainer, event=coming, status=EventStatus.OPEN)
    with pytest.raises(ServiceError):
        services.event_change_status(by=trainer, event=coming, status=EventStatus.HELD)
    today = make_event(trainer, network.home, starts_on=datetime.date.today(), days=1)
    _session(trainer, today)
    services.event_change_status(by=trainer, event=today, status=EventStatus.OPEN)
    held = services.event_change_status(by=trainer, event=today, status=EventStatus.HELD)
    assert held.status == EventStatus.HELD
    with pytest.raises(ServiceError):  # over: no more changes
        services.event_update(by=trainer, event=held, version=None, **_values(held, title="Later"))
    with pytest.raises(ServiceError):
        _session(trainer, held)


def test_cancelling_tells_registered_and_waiting_participants_after_commit(network, mailoutbox,
                                                                           django_capture_on_commit_callbacks):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, title="Working with interpreters")
    _session(trainer, event)
    services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)
    make_registration(event, user=network["caseworker"], language="it")
    make_registration(event, full_name="Olga Outside", email="olga@outside.example", status="waiting")
    make_registration(event, full_name="Carl Cancelled", email="carl@outside.example", status="cancelled")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.event_change_status(by=trainer, event=event, status=EventStatus.CANCELLED)
        assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {network["caseworker"].email, "olga@outside.example"}
    member, outside = by_address[network["caseworker"].email], by_address["olga@outside.example"]
    assert "Working with interpreters" in member.subject
    assert f"/learning/events/{event.pk}/" in member.body
    assert "Working with interpreters" in outside.body and "http" not in outside.body
    assert "Olga" not in outside.body and "Ada" not in member.body  # no names, not even her own


# ---- sessions ---------------------------------------------------------------------------------


def test_sessions_are_typed_in_the_events_time_zone(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, time_zone="Asia/Nicosia")
    session = _session(trainer, event, start=T(9, 30), end=T(11, 0))
    nicosia = zoneinfo.ZoneInfo("Asia/Nicosia")
    assert session.starts_at == datetime.datetime.combine(event.starts_on, T(9, 30), tzinfo=nicosia)
    assert _actions("learning.event.session_added")[-1].detail == {"event": event.pk, "session": session.pk}


@pytest.mark.parametrize("changes, field", [
    ({"day": "before"}, "day"), ({"day": "after"}, "day"), ({"start": T(12, 0), "end": T(11, 0)}, "end_time"),
    ({"title": "  "}, "title")])
def test_a_session_falls_within_the_event(network, changes, field):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, days=2)
    day = {"before": event.starts_on - datetime.timedelta(days=1),
           "after": event.ends_on + datetime.timedelta(days=1)}.get(changes.get("day"), event.starts_on)
    with pytest.raises(ServiceError) as refused:
        services.session_add(by=trainer, event=event, title=changes.get("title", "A"), day=day,
                             start_time=changes.get("start", T(9, 0)), end_time=changes.get("end", T(10, 0)))
    assert refused.value.field == field
    assert not EventSession.objects.exists()


def test_session_update_and_delete(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home, days=2)
    session = _session(trainer, event)
    other = make_event(trainer, network.home)
    with pytest.raises(Http404):
        services.session_update(by=trainer, event=other, session_id=session.pk, title="x", day=other.starts_on,
                                start_time=T(9, 0), end_time=T(10, 0))
    with pytest.raises(Http404):
        services.session_delete(by=network["other_trainer"], event=event, session_id=session.pk)
    services.session_update(by=trainer, event=event, session_id=session.pk, title="Opening", day=event.ends_on,
                            start_time=T(9, 0), end_time=T(11, 0), room="Hall")
    assert _actions("learning.event.session_updated")[-1].detail == {"event": event.pk, "session": session.pk,
                                                                     "fields": ["ends_at", "room", "starts_at"]}
    services.session_delete(by=trainer, event=event, session_id=session.pk)
    assert not EventSession.objects.filter(pk=session.pk).exists()
    assert _actions("learning.event.session_removed")[-1].detail == {"event": event.pk, "session": session.pk}


def test_a_session_with_attendance_or_the_last_one_of_an_open_event_stays(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    first, second = _session(trainer, event), _session(trainer, event, start=T(14, 0), end=T(16, 0), title="Two")
    services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)
    registration = make_registration(event, user=network["caseworker"])
    SessionAttendance.objects.create(registration=registration, session=first, status="present", recorded_by=trainer)
    with pytest.raises(ServiceError):
        services.session_delete(by=trainer, event=event, session_id=first.pk)
    SessionAttendance.objects.all().delete()
    services.session_delete(by=trainer, event=event, session_id=second.pk)
    with pytest.raises(ServiceError):
        services.session_delete(by=trainer, event=event, session_id=first.pk)


# ---- materials --------------------------------------------------------------------------------


def test_a_material_is_checked_stored_encrypted_and_audited_without_its_name(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    material = services.material_add(by=trainer, event=event, title="", filename="Secret-agenda.pdf",
                                     data=b"%PDF-1.4 top secret slides")
    assert material.title == "Secret-agenda" and material.content_type == "application/pdf"
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM learning_eventmaterial WHERE id = %s", [material.pk])
        raw = bytes(cursor.fetchone()[0])
    assert b"top secret" not in raw
    assert bytes(EventMaterial.objects.get(pk=material.pk).content) == b"%PDF-1.4 top secret slides"
    [audit] = _actions("learning.event.material_added")
    assert audit.detail == {"event": event.pk, "material": material.pk, "content_type": "application/pdf", "size": 26}
    assert "Secret" not in str(audit.detail)


def test_a_file_that_is_not_what_it_says_or_too_large_is_refused(network, settings):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    with pytest.raises(ServiceError) as refused:
        services.material_add(by=trainer, event=event, title="Slides", filename="slides.pdf", data=b"<html>x</html>")
    assert refused.value.field == "file"
    settings.RETE_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ServiceError):
        services.material_add(by=trainer, event=event, title="Slides", filename="notes.txt", data=b"x" * 11)
    assert not EventMaterial.objects.exists()
    with pytest.raises(Http404):
        services.material_add(by=network["caseworker"], event=event, title="", filename="a.txt", data=b"hello")


def test_material_delete(network):
    trainer = network["trainer"]
    event, other = make_event(trainer, network.home), make_event(trainer, network.home)
    material = services.material_add(by=trainer, event=event, title="Notes", filename="notes.txt", data=b"hello")
    with pytest.raises(Http404):
        services.material_delete(by=trainer, event=other, material_id=material.pk)
    services.material_delete(by=network["network_coordinator"], event=event, material_id=material.pk)
    assert not EventMaterial.objects.exists()
    assert _actions("learning.event.material_removed")[-1].detail == {"event": event.pk, "material": material.pk}


# ---- invitations ------------------------------------------------------------------------------


def test_an_invitation_keeps_only_the_hash_of_its_token(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    invitation, token = services.invitation_create(by=trainer, event=event, label="Police academy of Lazio",
                                                   expires_on=event.starts_on, max_uses=5)
    assert invitation.token_hash == tokens.token_hash(token) and len(token) >= 24
    assert not Invitation.objects.filter(token_hash=token).exists()
    [audit] = _actions("learning.event.invitation_created")
    assert audit.detail == {"event": event.pk, "invitation": invitation.pk, "expires_on": event.starts_on.isoformat(),
                            "max_uses": 5}
    assert "Lazio" not in str(audit.detail) and token not in str(audit.detail)


@pytest.mark.parametrize("change, field", [({"label": " "}, "label"), ({"expires_on": "yesterday"}, "expires_on"),
                                           ({"expires_on": "after"}, "expires_on"), ({"max_uses": 0}, "max_uses")])
def test_invitation_refusals(network, change, field):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    expires = {"yesterday": datetime.date.today() - datetime.timedelta(days=1),
               "after": event.ends_on + datetime.timedelta(days=1)}.get(change.get("expires_on"), event.starts_on)
    with pytest.raises(ServiceError) as refused:
        services.invitation_create(by=trainer, event=event, label=change.get("label", "Police"), expires_on=expires,
                                   max_uses=change.get("max_uses"))
    assert refused.value.field == field


def test_revoking_an_invitation(network):
    trainer = network["trainer"]
    event = make_event(trainer, network.home)
    invitation, _token = services.invitation_create(by=trainer, event=event, label="Police", expires_on=event.starts_on)
    with pytest.raises(Http404):
        services.invitation_revoke(by=network["other_network_coordinator"], event=event, invitation_id=invitation.pk)
    revoked = services.invitation_revoke(by=trainer, event=event, invitation_id=invitation.pk)
    assert revoked.revoked_at is not None
    services.invitation_revoke(by=trainer, event=event, invitation_id=invitation.pk)  # twice: nothing more
    assert len(_actions("learning.event.invitation_revoked")) == 1
    with pytest.raises(Http404):
        services.invitation_revoke(by=trainer, event=event, invitation_id=invitation.pk + 1000)
