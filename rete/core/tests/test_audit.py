import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from rete.core import audit
from rete.core.models import AuditEvent, AuditVerification


def _raw_update(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_events_chain_and_verify():
    first = audit.record(action="a.one", detail={"n": 1})
    second = audit.record(action="a.two")
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    assert audit.verify().ok


@pytest.mark.django_db
def test_details_refuse_long_free_text():
    with pytest.raises(ValueError):
        audit.record(action="x", detail={"note": "x" * 201})
    with pytest.raises(ValueError):
        audit.record(action="x", detail={"when": object()})


@pytest.mark.django_db
def test_an_event_rolled_back_with_its_change_leaves_no_trace():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            audit.record(action="rolled.back")
            raise RuntimeError
    assert not AuditEvent.objects.filter(action="rolled.back").exists()


@pytest.mark.django_db
def test_verify_detects_an_altered_event():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the alteration itself (see the trigger test)")
    audit.record(action="a.one")
    target = audit.record(action="a.two", detail={"roles_added": ["caseworker"]})
    audit.record(action="a.three")
    _raw_update("UPDATE core_auditevent SET detail = %s WHERE seq = %s", ['{"roles_added": ["dpo"]}', target.seq])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == target.seq and "altered" in result.problem


@pytest.mark.django_db
def test_verify_detects_a_removed_event():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the deletion itself (see the trigger test)")
    audit.record(action="a.one")
    removed = audit.record(action="a.two")
    audit.record(action="a.three")
    _raw_update("DELETE FROM core_auditevent WHERE seq = %s", [removed.seq])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == removed.seq and "missing" in result.problem


@pytest.mark.django_db
def test_verify_detects_a_rewritten_chain_link():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the alteration itself")
    audit.record(action="a.one")
    target = audit.record(action="a.two")
    _raw_update("UPDATE core_auditevent SET prev_hash = %s WHERE seq = %s", ["f" * 64, target.seq])
    assert audit.verify().first_bad_seq == target.seq


@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_on_the_audit_table():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    event = audit.record(action="a.one")
    for sql in ("UPDATE core_auditevent SET action = 'x' WHERE seq = %s", "DELETE FROM core_auditevent WHERE seq = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic():
                _raw_update(sql, [event.seq])
    assert audit.verify().ok


@pytest.mark.django_db
def test_the_command_reports_and_stores_the_result(capsys):
    audit.record(action="a.one")
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    assert AuditVerification.objects.first().ok
    if connection.vendor == "sqlite":
        _raw_update("UPDATE core_auditevent SET action = 'forged' WHERE seq = 1", [])
        with pytest.raises(CommandError, match="NOT intact"):
            call_command("audit", "verify")
        assert not AuditVerification.objects.first().ok


@pytest.mark.django_db
def test_origin_is_recorded_from_the_request(client):
    client.get("/en/", HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="192.0.2.7")
    token = audit.set_origin(audit.RequestOrigin(ip_address="192.0.2.7", user_agent="TestBrowser/1.0"))
    try:
        event = audit.record(action="with.origin")
    finally:
        audit.reset_origin(token)
    assert event.ip_address == "192.0.2.7" and event.user_agent == "TestBrowser/1.0"
