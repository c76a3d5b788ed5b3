"""/api/v1/programmes/ (part "api"): an enrolment's attendance (never the notes), compliance
findings (numbers and dates only) and court reports (never their content): audited, bounded."""
import datetime

import pytest
from django.utils import timezone

from rete.conftest import client_for
from rete.core.models import AuditEvent
from rete.programmes.models import Attendance, ComplianceEvent, CourtReport, EnrolmentState, SessionStatus
from rete.programmes.services.compliance import compliance_evaluate
from rete.programmes.services.court_reports import report_due
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db


def api(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


@pytest.fixture
def programme(network):
    return Programme()


def attend(programme, enrolment, sessions, statuses, *, note=""):
    """Attendance for `sessions` (held), with the statuses in order."""
    rows = []
    for session, status in zip(sessions, statuses):
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
        rows.append(Attendance.objects.create(session=session, enrolment=enrolment, status=status,
                                              participation="adequate" if status in ("present", "late") else "",
                                              note=note, recorded_by=programme.facilitator, recorded_at=timezone.now()))
    return rows


def test_attendance(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[enrolment], sessions=3, starts_on=enrolment.started_on)
    sessions = list(group.sessions.order_by("starts_at"))
    attend(programme, enrolment, sessions, ["present", "late", "absent"], note="He spoke about his brother.")
    response = client_for(programme.facilitator).get(api("programmes_api:enrolment_attendance", enrolment_id=enrolment.pk))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 3
    latest = data["results"][0]
    assert set(latest) == {"id", "session", "session_at", "session_date", "session_kind", "session_kind_label", "status",
                           "status_label", "participation", "participation_label"}
    assert latest["session"] == sessions[2].pk and latest["status"] == "absent" and latest["status_label"] == "Absent"
    assert latest["session_kind"] == "group" and latest["participation"] == "" and latest["participation_label"] == ""
    assert latest["session_date"] == timezone.localtime(sessions[2].starts_at).date().isoformat()
    assert data["results"][2]["status"] == "present" and data["results"][2]["participation"] == "adequate"
    assert "brother" not in response.content.decode()
    event = AuditEvent.objects.get(action="programmes.enrolment_viewed")
    assert event.detail == {"enrolment": enrolment.pk, "via": "api", "part": "attendance"}


def test_compliance_findings(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[enrolment], sessions=4, starts_on=enrolment.started_on)
    attend(programme, enrolment, list(group.sessions.order_by("starts_at")), ["absent", "absent", "present", "present"])
    found = compliance_evaluate(by=programme.facilitator, enrolment=enrolment,
                                as_of=enrolment.started_on + datetime.timedelta(days=30))
    assert found
    ComplianceEvent.objects.filter(pk=found[0].pk).update(response="We talked with him and his lawyer.")
    odd = ComplianceEvent.objects.create(enrolment=enrolment, rule="absences", level="warning", key="odd",
                                   detail={"absences": 2, "who": "someone's name", "from": "2026-01-05"},
                                   at=timezone.now())
    response = client_for(programme.coordinator).get(api("programmes_api:enrolment_compliance_events",
                                                         enrolment_id=enrolment.pk))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(found) + 1
    rows = {row["id"]: row for row in data["results"]}
    row = rows[found[0].pk]
    assert set(row) == {"id", "rule", "rule_label", "level", "level_label", "at", "detail", "status", "status_label"}
    assert row["rule"] == found[0].rule and row["level"] == found[0].level and row["status"] == "open"
    assert row["detail"] == found[0].detail and row["rule_label"]
    assert rows[odd.pk]["detail"] == {"absences": 2, "from": "2026-01-05"}  # numbers and dates only
    body = response.content.decode()
    assert "lawyer" not in body and "someone" not in body
    assert AuditEvent.objects.filter(action="programmes.enrolment_viewed", detail__part="compliance_events").count() == 1


def test_court_reports(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True)
    today = timezone.localdate()
    periodic = report_due(enrolment=enrolment, kind="periodic", due_on=today + datetime.timedelta(days=60),
                          period_from=today, period_to=today + datetime.timedelta(days=56))
    start = CourtReport.objects.get(enrolment=enrolment, kind="start")
    signed_at = timezone.now()
    CourtReport.objects.filter(pk=start.pk).update(status="signed", signed_at=signed_at, signed_by=programme.coordinator,
                                                   facts={"sessions": 3, "note": "facts text"},
                                                   assessment="He engages well with the group.")
    response = client_for(programme.facilitator).get(api("programmes_api:enrolment_court_reports", enrolment_id=enrolment.pk))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 2
    first, second = data["results"]
    assert set(first) == {"id", "kind", "kind_label", "status", "status_label", "due_on", "period_from", "period_to",
                          "signed_at", "sent_at"}
    assert first["id"] == start.pk and first["kind"] == "start" and first["status"] == "signed" and first["signed_at"]
    assert first["sent_at"] is None and first["period_from"] is None
    assert second["id"] == periodic.pk and second["kind"] == "periodic" and second["status"] == "due"
    assert second["period_from"] == today.isoformat() and second["due_on"] == (today + datetime.timedelta(days=60)).isoformat()
    body = response.content.decode()
    assert "engages well" not in body and "facts text" not in body
    assert AuditEvent.objects.filter(action="programmes.enrolment_viewed", detail__part="court_reports").count() == 1


def test_the_lists_run_a_fixed_number_of_queries(network, programme, django_assert_max_num_queries):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True)
    group = make_group(programme, members=[enrolment], sessions=15, starts_on=enrolment.started_on)
    attend(programme, enrolment, list(group.sessions.all()), ["present", "late", "excused"] * 5, note="Note.")
    now = timezone.now()
    for i in range(15):
        ComplianceEvent.objects.create(enrolment=enrolment, rule="weekly_frequency", level="warning", key=f"week-{i}",
                                       detail={"year": 2026, "week": i + 1, "attended": 1, "required": 2}, at=now)
        report_due(enrolment=enrolment, kind="compliance", due_on=timezone.localdate() + datetime.timedelta(days=i))
    client = client_for(programme.facilitator)
    for name in ("programmes_api:enrolment_attendance", "programmes_api:enrolment_compliance_events",
                 "programmes_api:enrolment_court_reports"):
        with django_assert_max_num_queries(20):
            response = client.get(api(name, enrolment_id=enrolment.pk))
        assert response.status_code == 200 and response.json()["count"] >= 15, name
    with django_assert_max_num_queries(20):
        page = client.get(api("programmes_api:enrolment_attendance", enrolment_id=enrolment.pk) + "?limit=5&offset=5")
    assert len(page.json()["results"]) == 5 and page.json()["next"]
