"""Access to justice: complaints, protection orders, proceedings, hearings; their reminders."""
import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import formats, timezone, translation

from rete.cases import selectors, services, tasks
from rete.cases.models import CaseActivity, Complaint, Hearing, ProtectionOrder
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _today():
    return timezone.localdate()


def _days(n):
    return (_today() + datetime.timedelta(days=n)).isoformat()


ORDER = {"kind": "protection", "court": "Tribunale Qz", "court_reference": "RG 12/2026", "status": "granted",
         "applied_on": _days(-20), "issued_on": _days(-10), "expires_on": _days(10), "conditions": "Keep-away-500m-Zx9"}


@pytest.fixture
def case(network):
    case = open_case(network[Role.CASEWORKER], network.home, given_name="Zofia", family_name="Quellbrunn")
    case.__class__.objects.filter(pk=case.pk).update(supervisor=network[Role.SUPERVISOR])
    case.refresh_from_db()
    return case


def _proceeding(network, case, **extra):
    values = {"kind": "criminal", "court": "Court of Qz", "court_reference": "", "status": "pending", "outcome": ""}
    values.update(extra)
    return services.proceeding_add(by=network[Role.CASEWORKER], case=case, **values)


def _hearing(network, case, proceeding, at, **extra):
    values = {"at": at, "place": "Room 4", "purpose": "Her testimony", "accompanied": False}
    values.update(extra)
    return services.hearing_add(by=network[Role.CASEWORKER], case=case, proceeding_id=proceeding.pk, **values)


def _order(network, case, **extra):
    values = {**ORDER, **extra}
    for key in ("applied_on", "issued_on", "expires_on"):
        if isinstance(values[key], str):
            values[key] = datetime.date.fromisoformat(values[key]) if values[key] else None
    return services.order_add(by=network[Role.CASEWORKER], case=case, **values)


# ---- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_complaint_through_the_pages(network, case):
    client = client_for(network[Role.CASEWORKER])
    assert client.get(url("cases:complaint_add", pk=case.pk)).status_code == 200
    data = {"filed_on": _days(3), "authority": "Questura Qx-77", "authority_reference": "", "status": "filed", "notes": "Complaint-note-Kq4"}
    response = client.post(url("cases:complaint_add", pk=case.pk), data)
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be in the future" in page
    assert "Questura Qx-77" in page and "Complaint-note-Kq4" in page and not Complaint.objects.exists()
    response = client.post(url("cases:complaint_add", pk=case.pk), {**data, "filed_on": _days(-1), "status": "nonsense"})
    assert response.status_code == 400 and not Complaint.objects.exists()
    response = client.post(url("cases:complaint_add", pk=case.pk), {**data, "filed_on": _days(-1)})
    assert response.status_code == 302 and response["Location"].endswith(url("cases:justice", pk=case.pk))
    complaint = Complaint.objects.get()
    assert complaint.notes == "Complaint-note-Kq4" and complaint.recorded_by == network[Role.CASEWORKER]
    justice = client.get(url("cases:justice", pk=case.pk)).content.decode()
    assert "Questura Qx-77" in justice and "Complaint-note-Kq4" in justice
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Access to justice" in detail and "Complaint: Filed" in detail
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_complaint")
        assert "Kq4" not in cursor.fetchone()[0]
    event = AuditEvent.objects.get(action="case.complaint_recorded")
    assert event.detail == {"complaint": complaint.pk, "status": "filed"}
    # Reading the justice page is reading the case.
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).count() >= 2
    # Editing: the status moves on, the timeline says so with labels only.
    response = client.post(url("cases:complaint_edit", pk=case.pk, complaint_id=complaint.pk),
                           {**data, "filed_on": _days(-1), "status": "investigation", "version": complaint.version})
    assert response.status_code == 302
    assert Complaint.objects.get().status == "investigation"
    event = AuditEvent.objects.get(action="case.complaint_updated")
    assert event.detail["fields"] == ["status"] and "Kq4" not in str(event.detail)
    texts = [a.text for a in CaseActivity.objects.filter(case=case, kind="justice")]
    assert "Complaint: Under investigation" in texts and not any("Kq4" in t for t in texts)


@pytest.mark.django_db
def test_order_dates_must_follow_each_other(network, case):
    client = client_for(network[Role.CASEWORKER])
    add = url("cases:order_add", pk=case.pk)
    cases = [
        ({"issued_on": _days(-30)}, "cannot be issued before it was applied for"),
        ({"expires_on": _days(-15)}, "cannot expire before it was issued"),
        ({"issued_on": ""}, "Give the date the order was issued"),
        ({"applied_on": _days(2), "issued_on": _days(3)}, "cannot be in the future"),
    ]
    for change, message in cases:
        response = client.post(add, {**ORDER, **change})
        page = response.content.decode()
        assert response.status_code == 400 and message in page, change
        assert "Tribunale Qz" in page and "Keep-away-500m-Zx9" in page
    assert not ProtectionOrder.objects.exists()
    with pytest.raises(services.CaseError):
        _order(network, case, issued_on=_days(-10), expires_on=_days(-11))
    # A granted order whose date has passed is recorded as entered; only the tick expires it.
    assert client.post(add, {**ORDER, "expires_on": _days(-1)}).status_code == 302
    assert ProtectionOrder.objects.get().status == "granted"


@pytest.mark.django_db
def test_order_recorded_encrypted_and_highlighted(network, case):
    client = client_for(network[Role.CASEWORKER])
    assert client.post(url("cases:order_add", pk=case.pk), ORDER).status_code == 302
    order = ProtectionOrder.objects.get()
    assert order.conditions == "Keep-away-500m-Zx9" and order.expires_on == datetime.date.fromisoformat(ORDER["expires_on"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT conditions FROM cases_protectionorder")
        assert "Zx9" not in cursor.fetchone()[0]
    event = AuditEvent.objects.get(action="case.order_recorded")
    assert "Zx9" not in str(event.detail) and event.detail["kind"] == "protection" and event.detail["status"] == "granted"
    justice = client.get(url("cases:justice", pk=case.pk)).content.decode()
    assert "Expires within 14 days" in justice and "Keep-away-500m-Zx9" in justice
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "expires soon" in detail and "Protection order: Granted" in detail and "Zx9" not in detail
    _order(network, case, expires_on=_days(90), conditions="")
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert detail.count("expires soon") == 1


@pytest.mark.django_db
def test_stale_order_edit_is_refused_with_both_versions(network, case):
    order = _order(network, case)
    first, second = client_for(network[Role.CASEWORKER]), client_for(network[Role.SUPERVISOR])
    edit = url("cases:order_edit", pk=case.pk, order_id=order.pk)
    assert 'value="Tribunale Qz"' in first.get(edit).content.decode()
    mine = {**ORDER, "version": order.version}
    assert first.post(edit, {**mine, "court": "Tribunale Alpha"}).status_code == 302
    response = second.post(edit, {**mine, "court": "Tribunale Beta", "conditions": "New-cond-Yy"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this record" in page and "Tribunale Alpha" in page and "Tribunale Beta" in page
    assert "New-cond-Yy" in page  # her entries are kept
    assert ProtectionOrder.objects.get().court == "Tribunale Alpha"
    # Saving again, knowingly, with the fresh version goes through.
    fresh = ProtectionOrder.objects.get()
    assert f'name="version" value="{fresh.version}"' in page
    assert second.post(edit, {**mine, "version": fresh.version, "court": "Tribunale Beta"}).status_code == 302
    assert ProtectionOrder.objects.get().court == "Tribunale Beta"
    # An edit without a version is never saved blindly.
    assert second.post(edit, {**ORDER, "court": "Gamma"}).status_code == 409
    assert ProtectionOrder.objects.get().court == "Tribunale Beta"


@pytest.mark.django_db
def test_proceedings_and_hearings_through_the_pages(network, case):
    client = client_for(network[Role.CASEWORKER])
    data = {"kind": "family", "court": "Family court Qz", "court_reference": "", "status": "pending", "outcome": "Outcome-secret-Pw3"}
    assert client.post(url("cases:proceeding_add", pk=case.pk), {**data, "kind": "bogus"}).status_code == 400
    assert client.post(url("cases:proceeding_add", pk=case.pk), data).status_code == 302
    proceeding = case.proceedings.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome FROM cases_proceeding")
        assert "Pw3" not in cursor.fetchone()[0]
    assert "Pw3" not in str(AuditEvent.objects.get(action="case.proceeding_recorded").detail)
    hearing_add = url("cases:hearing_add", pk=case.pk, proceeding_id=proceeding.pk)
    assert client.get(hearing_add).status_code == 200
    response = client.post(hearing_add, {"at": "not a date", "place": "Aula Q7"})
    assert response.status_code == 400 and "Aula Q7" in response.content.decode()
    past = timezone.localtime() - datetime.timedelta(days=40)
    soon = timezone.localtime() + datetime.timedelta(days=6)
    later = timezone.localtime() + datetime.timedelta(days=60)
    for when, place in ((later, "Aula Later"), (past, "Aula Past"), (soon, "Aula Soon")):
        response = client.post(hearing_add, {"at": when.strftime("%Y-%m-%dT%H:%M"), "place": place, "purpose": "hearing"})
        assert response.status_code == 302, place  # a past hearing is recorded without complaint
    # A second proceedings without hearings comes after the one with a hearing coming up.
    _proceeding(network, case, court="Civil court Zz")
    page = client.get(url("cases:justice", pk=case.pk)).content.decode()
    assert page.index("Family court Qz") < page.index("Civil court Zz")
    assert page.index("Aula Soon") < page.index("Aula Later") < page.index("Aula Past")
    assert "1 past hearing" in page and "Outcome-secret-Pw3" in page
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert formats.date_format(soon, "SHORT_DATETIME_FORMAT") in detail  # the next hearing
    # Another case's proceedings cannot receive hearings from here.
    other_case = open_case(network[Role.CASEWORKER], network.home)
    assert_denied(client.get(url("cases:hearing_add", pk=other_case.pk, proceeding_id=proceeding.pk)))
    edit = url("cases:proceeding_edit", pk=case.pk, proceeding_id=proceeding.pk)
    assert client.post(edit, {**data, "status": "concluded", "version": proceeding.version}).status_code == 302
    assert case.proceedings.get(pk=proceeding.pk).status == "concluded"
    response = client.post(edit, {**data, "status": "appeal", "version": proceeding.version})
    assert response.status_code == 409 and "Concluded" in response.content.decode() and "Under appeal" in response.content.decode()


@pytest.mark.django_db
def test_hearing_edit_resets_the_reminder_and_refuses_stale_edits(network, case):
    proceeding = _proceeding(network, case)
    hearing = _hearing(network, case, proceeding, timezone.now() + datetime.timedelta(days=2))
    Hearing.objects.filter(pk=hearing.pk).update(reminder_sent_at=timezone.now())
    first, second = client_for(network[Role.CASEWORKER]), client_for(network[Role.SUPERVISOR])
    edit = url("cases:hearing_edit", pk=case.pk, hearing_id=hearing.pk)
    page = first.get(edit).content.decode()
    version = hearing.version
    assert f'name="version" value="{version}"' in page
    when = timezone.localtime(hearing.at).strftime("%Y-%m-%dT%H:%M")
    # Only the place changes: the reminder already sent stands.
    assert first.post(edit, {"at": when, "place": "Room 9", "purpose": "Her testimony", "version": version}).status_code == 302
    assert Hearing.objects.get().reminder_sent_at is not None
    moved = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = second.post(edit, {"at": moved, "place": "Room 12", "purpose": "Her testimony", "version": version})
    page = response.content.decode()
    assert response.status_code == 409 and "Room 9" in page and "Room 12" in page
    assert Hearing.objects.get().place == "Room 9"
    fresh = Hearing.objects.get().version
    assert second.post(edit, {"at": moved, "place": "Room 12", "purpose": "Her testimony", "version": fresh}).status_code == 302
    hearing = Hearing.objects.get()
    assert hearing.place == "Room 12" and hearing.reminder_sent_at is None
    event = AuditEvent.objects.filter(action="case.hearing_updated").latest("seq")
    assert sorted(event.detail["fields"]) == ["at", "place"]


@pytest.mark.django_db
def test_another_organisation_gets_404_everywhere(network, case):
    complaint = services.complaint_add(by=network[Role.CASEWORKER], case=case, filed_on=_today(), authority="Police",
                                       authority_reference="", status="filed", notes="")
    order = _order(network, case)
    proceeding = _proceeding(network, case)
    hearing = _hearing(network, case, proceeding, timezone.now() + datetime.timedelta(days=10))
    urls = [
        url("cases:justice", pk=case.pk), url("cases:complaint_add", pk=case.pk),
        url("cases:complaint_edit", pk=case.pk, complaint_id=complaint.pk), url("cases:order_add", pk=case.pk),
        url("cases:order_edit", pk=case.pk, order_id=order.pk), url("cases:proceeding_add", pk=case.pk),
        url("cases:proceeding_edit", pk=case.pk, proceeding_id=proceeding.pk),
        url("cases:hearing_add", pk=case.pk, proceeding_id=proceeding.pk), url("cases:hearing_edit", pk=case.pk, hearing_id=hearing.pk),
    ]
    for intruder in (network["other_caseworker"], network[Role.POLICE_OFFICER], network["other_supervisor"]):
        client = client_for(intruder)
        for address in urls:
            assert_denied(client.get(address))
            if "/justice/" in address and not address.endswith("/justice/"):  # the overview is GET only (405 for a POST)
                assert_denied(client.post(address, {**ORDER, "filed_on": _days(-1), "authority": "x", "at": "2026-01-01T10:00"}))
    # Sub-objects of one case are not reachable through another case of the same team.
    other_case = open_case(network[Role.CASEWORKER], network.home)
    client = client_for(network[Role.CASEWORKER])
    assert_denied(client.get(url("cases:order_edit", pk=other_case.pk, order_id=order.pk)))
    assert_denied(client.post(url("cases:complaint_edit", pk=other_case.pk, complaint_id=complaint.pk),
                              {"filed_on": _days(-1), "authority": "x", "status": "filed", "version": 1}))
    with pytest.raises(Exception):
        services.order_update(by=network[Role.CASEWORKER], case=other_case, order_id=order.pk, version=order.version, **{
            k: getattr(order, k) for k in services.ORDER_FIELDS})
    assert not AuditEvent.objects.filter(action="case.order_updated").exists()


@pytest.mark.django_db
def test_pages_run_a_fixed_number_of_queries(network, case, django_assert_max_num_queries):
    for i in range(12):
        _order(network, case, court=f"Court {i}")
        services.complaint_add(by=network[Role.CASEWORKER], case=case, filed_on=_today(), authority=f"Police {i}",
                               authority_reference="", status="filed", notes=f"note {i}")
        proceeding = _proceeding(network, case, court=f"Court of {i}")
        for j in range(3):
            _hearing(network, case, proceeding, timezone.now() + datetime.timedelta(days=j * 20 - 15))
    client = client_for(network[Role.CASEWORKER])
    client.get(url("cases:justice", pk=case.pk))
    with django_assert_max_num_queries(25):
        page = client.get(url("cases:justice", pk=case.pk)).content.decode()
    assert "Court of 11" in page and "Police 11" in page
    with django_assert_max_num_queries(40):
        detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Next hearing" in detail
    with django_assert_max_num_queries(25):
        assert client.get(url("cases:order_edit", pk=case.pk, order_id=ProtectionOrder.objects.first().pk)).status_code == 200


# ---- the tick: reminders and expiries ----------------------------------------------------------


def _due_setup(network, case):
    proceeding = _proceeding(network, case, court="Court-Hidden-Qq")
    soon = _hearing(network, case, proceeding, timezone.now() + datetime.timedelta(days=2), place="Place-Hidden-Pp")
    _hearing(network, case, proceeding, timezone.now() + datetime.timedelta(days=5))  # not yet
    _hearing(network, case, proceeding, timezone.now() - datetime.timedelta(days=1))  # already happened
    expiring = _order(network, case, expires_on=_days(10))
    _order(network, case, expires_on=_days(30))  # not yet
    _order(network, case, status="applied", issued_on=None, expires_on=_days(5))  # not in force
    lapsed = _order(network, case, issued_on=_days(-10), expires_on=_days(-1))
    return soon, expiring, lapsed


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_tick_sends_reminders_once_and_expires_orders(network, case, django_capture_on_commit_callbacks):
    supervisor = network[Role.SUPERVISOR]
    supervisor.language = "it"
    supervisor.save(update_fields=["language"])
    soon, expiring, lapsed = _due_setup(network, case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 2
    # Two reminders, each to the caseworker on the team and the case's supervisor.
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([network[Role.CASEWORKER].email] * 2 + [supervisor.email] * 2)
    for message in mail.outbox:
        text = message.subject + message.body
        assert case.reference in text and f"/cases/{case.pk}/" in message.body
        for secret in ("Zofia", "Quellbrunn", "Keep-away", "Zx9", "Court-Hidden", "Place-Hidden", "Tribunale", "testimony"):
            assert secret not in text, secret
    hearing_mail = [m for m in mail.outbox if "hearing" in m.body.lower() or "udienza" in m.body.lower()]
    assert len(hearing_mail) == 2
    # Each in the recipient's language and time zone.
    for message in mail.outbox:
        recipient = network[Role.CASEWORKER] if message.to[0] == network[Role.CASEWORKER].email else supervisor
        with translation.override(recipient.language), timezone.override(zoneinfo.ZoneInfo(recipient.time_zone)):
            dates = {formats.date_format(timezone.localtime(soon.at), "SHORT_DATE_FORMAT"), formats.date_format(expiring.expires_on, "SHORT_DATE_FORMAT")}
        assert any(d in message.subject for d in dates), (recipient.language, message.subject)
    soon.refresh_from_db()
    expiring.refresh_from_db()
    lapsed.refresh_from_db()
    assert soon.reminder_sent_at and expiring.expiry_reminder_sent_at
    assert lapsed.status == "expired" and lapsed.version == 2
    activity = CaseActivity.objects.filter(case=case, kind="justice", actor__isnull=True).get()
    assert activity.text.endswith(": Expired") or "Expired" in activity.text or "Scadut" in activity.text
    expired_event = AuditEvent.objects.get(action="case.order_expired")
    assert expired_event.actor is None and expired_event.detail["order"] == lapsed.pk and "Zx9" not in str(expired_event.detail)
    assert AuditEvent.objects.filter(action="case.reminder_queued").count() == 2
    # The second tick sends nothing and expires nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 0
    assert len(mail.outbox) == 4 and AuditEvent.objects.filter(action="case.order_expired").count() == 1
    # Moving the hearing (within the window) earns a new reminder, once.
    client = client_for(network[Role.CASEWORKER])
    moved = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("cases:hearing_edit", pk=case.pk, hearing_id=soon.pk),
                           {"at": moved, "place": "Place-Hidden-Pp", "purpose": "", "version": soon.version})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 1
    assert len(mail.outbox) == 6


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_tick_command_and_stale_tasks(network, case, django_capture_on_commit_callbacks):
    from io import StringIO

    soon, _expiring, _lapsed = _due_setup(network, case)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick", stdout=out)
    assert "2 task(s) enqueued." in out.getvalue() and len(mail.outbox) == 4
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick", stdout=out)
    assert "0 task(s) enqueued." in out.getvalue() and len(mail.outbox) == 4
    # A queued reminder whose hearing moved in the meantime sends nothing (the next tick will).
    Hearing.objects.filter(pk=soon.pk).update(reminder_sent_at=None)
    tasks.send_hearing_reminder.call(soon.pk)
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_tick_enqueues_on_the_database_backend_without_sending(network, case, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    _due_setup(network, case)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.tick(timezone.now()) == 2
        assert DBTaskResult.objects.count() == 2 and len(mail.outbox) == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.tick(timezone.now()) == 0
        assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_reminders_skip_people_who_left_and_closed_cases(network, case, django_capture_on_commit_callbacks):
    from rete.cases.models import CaseStatus
    from rete.core.models import Membership

    Membership.objects.filter(user=network[Role.SUPERVISOR]).update(ended_at=timezone.now())
    _due_setup(network, case)
    closed = open_case(network[Role.CASEWORKER], network.home)
    _order(network, closed, expires_on=_days(3))
    closed.__class__.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 2
    assert [m.to[0] for m in mail.outbox] == [network[Role.CASEWORKER].email] * 2


@pytest.mark.django_db
def test_justice_due_for_the_start_page(network, case, django_assert_max_num_queries):
    soon, expiring, _lapsed = _due_setup(network, case)
    worker = network[Role.CASEWORKER]
    with django_assert_max_num_queries(4):
        due = selectors.justice_due(user=worker)
    assert soon in due["hearings"] and len(due["hearings"]) == 2  # within 14 days: in 2 and in 5 days
    assert [o.pk for o in due["orders"]][0] == _lapsed.pk and expiring in due["orders"]
    assert due["hearings"][0].proceeding.case.reference == case.reference
    assert selectors.justice_due(user=network["other_caseworker"]) == {"hearings": [], "orders": []}
    assert selectors.justice_due(user=network[Role.TRAINER]) == {"hearings": [], "orders": []}


@pytest.mark.django_db
def test_case_page_summary_in_two_queries(network, case, django_assert_num_queries):
    worker = network[Role.CASEWORKER]
    case = selectors.case_get(user=worker, pk=case.pk)
    with django_assert_num_queries(2):
        empty = selectors.justice_summary(user=worker, case=case)
    assert empty["complaints_count"] == 0 and empty["next_hearing"] is None and empty["orders_in_force"] == []
    for _ in range(3):
        services.complaint_add(by=worker, case=case, filed_on=_today(), authority="Police", authority_reference="", status="filed", notes="")
    open_one = _proceeding(network, case, kind="family")
    _proceeding(network, case, status="concluded")
    _hearing(network, case, open_one, timezone.now() + datetime.timedelta(days=9), accompanied=True)
    first = _hearing(network, case, open_one, timezone.now() + datetime.timedelta(days=4), accompanied=True)
    _hearing(network, case, open_one, timezone.now() - datetime.timedelta(days=4))
    _order(network, case)
    _order(network, case, status="refused")
    with django_assert_num_queries(2):
        summary = selectors.justice_summary(user=worker, case=case)
    assert summary["complaints_count"] == 3 and summary["open_proceedings_count"] == 1
    assert summary["next_hearing"].at == first.at and summary["next_hearing"].proceeding.get_kind_display() == "Family (separation, custody)"
    assert [o.status for o in summary["orders_in_force"]] == ["granted"] and summary["orders_in_force"][0].expiry_state == "soon"


@pytest.mark.django_db
def test_coming_hearings_and_expiring_orders_are_on_her_start_page(network):
    import datetime

    from django.utils import timezone

    from rete.cases import services as case_services
    from rete.cases.tests.helpers import open_case as open_

    worker = network["caseworker"]
    case = open_(worker, network.home)
    proceeding = case_services.proceeding_add(by=worker, case=case, kind="family", court="Tribunale di Esempio", court_reference="",
                                              status="pending", outcome="")
    case_services.hearing_add(by=worker, case=case, proceeding_id=proceeding.pk, at=timezone.now() + datetime.timedelta(days=2),
                              place="Aula 3", purpose="Separation", accompanied=False)
    today = timezone.localdate()
    case_services.order_add(by=worker, case=case, kind="protection", court="Tribunale di Esempio", court_reference="", status="granted",
                            applied_on=today - datetime.timedelta(days=60), issued_on=today - datetime.timedelta(days=50),
                            expires_on=today + datetime.timedelta(days=5), conditions="")
    page = client_for(worker).get(url("core:start")).content.decode()
    assert page.count(case.reference) >= 2 and "hearing on" in page and "expires on" in page
    other = client_for(network["other_caseworker"]).get(url("core:start")).content.decode()
    assert case.reference not in other
