import pytest
from django.http import Http404

from rete.cases import services
from rete.cases.models import Case, CaseActivity, CaseNote, CaseStatus
from rete.cases.tests.helpers import open_case
from rete.conftest import url, assert_denied, client_for, make_user
from rete.core.models import AuditEvent, Role
from rete.core.services import StaleEdit



@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home)


def fresh(case):
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_notes_are_encrypted_on_the_timeline_and_audited_without_text(network, case):
    from django.db import connection

    services.note_add(by=network[Role.CASEWORKER], case=case, body="She called from a friend's phone: Xylo-42")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_casenote")
        assert "Xylo-42" not in cursor.fetchone()[0]
    assert CaseActivity.objects.filter(case=case, kind="note").exists()
    event = AuditEvent.objects.get(action="case.note_added")
    assert "Xylo" not in str(event.detail)


@pytest.mark.django_db
def test_hold_resume_and_stale_versions(network, case):
    worker = network[Role.CASEWORKER]
    services.case_put_on_hold(by=worker, case=case, version=case.version, reason="She is abroad for a month")
    assert fresh(case).status == CaseStatus.ON_HOLD
    with pytest.raises(StaleEdit):
        services.case_resume(by=worker, case=fresh(case), version=case.version)  # the old version
    services.case_resume(by=worker, case=fresh(case), version=fresh(case).version)
    assert fresh(case).status == CaseStatus.OPEN


@pytest.mark.django_db
def test_closure_needs_another_supervisor_and_can_be_returned(network, case):
    worker, supervisor = network[Role.CASEWORKER], network[Role.SUPERVISOR]
    common = dict(reason="goals_met", safety_plan_reviewed=True, knows_how_to_return=True, services_ended=True, summary="")
    with pytest.raises(services.CaseError):
        services.closure_request(by=worker, case=case, version=case.version, **common)  # no supervisor named
    services.closure_request(by=worker, case=case, version=case.version, supervisor=supervisor, **common)
    with pytest.raises(services.CaseError):
        services.closure_request(by=worker, case=fresh(case), version=fresh(case).version, **common)
    with pytest.raises(Http404):
        services.closure_decide(by=worker, case=case, approve=True, note="")  # not a supervisor
    services.closure_decide(by=supervisor, case=case, approve=False, note="Review the safety plan first")
    assert fresh(case).status == CaseStatus.OPEN
    with pytest.raises(services.CaseError):
        services.closure_request(by=supervisor, case=fresh(case), version=fresh(case).version, **common)  # she cannot decide her own
    second = make_user("second@home.example", roles=[Role.SUPERVISOR], organisation=network.home)
    services.team_add(by=worker, case=fresh(case), member=supervisor)  # she works on the case herself now
    services.closure_request(by=supervisor, case=fresh(case), version=fresh(case).version, supervisor=second, **common)
    with pytest.raises(services.CaseError):
        services.closure_decide(by=supervisor, case=case, approve=True, note="")  # her own proposal
    services.closure_decide(by=second, case=case, approve=True, note="")
    closed = fresh(case)
    assert closed.status == CaseStatus.CLOSED and closed.closed_at
    assert AuditEvent.objects.filter(action="case.closed", object_id=str(case.pk)).exists()
    services.case_reopen(by=worker, case=closed, version=closed.version, reason="New incident reported")
    assert fresh(case).status == CaseStatus.REOPENED
    kinds = list(CaseActivity.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["opened", "supervisor", "closure_requested", "closure_returned", "team_joined", "supervisor", "closure_requested",
                     "closure_approved", "reopened"]


@pytest.mark.django_db
def test_team_changes(network, case):
    worker = network[Role.CASEWORKER]
    police = network[Role.POLICE_OFFICER]
    with pytest.raises(services.CaseError):
        services.team_remove(by=worker, case=case, member=worker)  # the last one stays
    services.team_add(by=worker, case=case, member=police)
    with pytest.raises(services.CaseError):
        services.team_add(by=worker, case=case, member=network[Role.TRAINER])  # no case role
    with pytest.raises(services.CaseError):
        services.team_add(by=worker, case=case, member=network["other_caseworker"])
    services.team_remove(by=worker, case=case, member=worker)
    with pytest.raises(Http404):
        services.note_add(by=worker, case=case, body="no longer on the team")


@pytest.mark.django_db
def test_case_page_actions_in_the_browser_forms(network, case, django_assert_max_num_queries):
    client = client_for(network[Role.CASEWORKER])
    assert client.post(url("cases:note_add", pk=case.pk), {"body": ""}).status_code == 400
    assert client.post(url("cases:note_add", pk=case.pk), {"body": "First call"}).status_code == 302
    response = client.post(url("cases:case_hold", pk=case.pk), {"version": case.version, "reason": "travel"})
    assert response.status_code == 302
    response = client.post(url("cases:case_resume", pk=case.pk), {"version": case.version})
    assert response.status_code == 409 and "changed while you were looking" in response.content.decode()
    for i in range(40):
        services.note_add(by=network[Role.CASEWORKER], case=case, body=f"note {i}")
    # Every section of the case file costs a fixed number of queries (about 30 in all; the risk
    # conferences section and the navigation's seat lookup add one each).
    with django_assert_max_num_queries(38):
        page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "note 39" in page and "note 0<" not in page  # newest first, paginated


@pytest.mark.django_db
def test_closure_flow_through_the_pages(network, case):
    worker = client_for(network[Role.CASEWORKER])
    response = worker.post(url("cases:closure_request", pk=case.pk), {"version": case.version, "reason": "other", "summary": ""})
    assert response.status_code == 400 and "Explain the reason" in response.content.decode()
    response = worker.post(url("cases:closure_request", pk=case.pk), {"version": case.version, "reason": "goals_met", "safety_plan_reviewed": "on"})
    assert response.status_code == 400 and "Choose the supervisor" in response.content.decode()
    response = worker.post(url("cases:closure_request", pk=case.pk), {"version": case.version, "reason": "goals_met", "safety_plan_reviewed": "on",
                                                                      "supervisor": network[Role.SUPERVISOR].pk})
    assert response.status_code == 302 and fresh(case).supervisor == network[Role.SUPERVISOR]
    supervisor = client_for(network[Role.SUPERVISOR])
    assert supervisor.get(url("cases:closure_decide", pk=case.pk)).status_code == 200
    assert_denied(worker.get(url("cases:closure_decide", pk=case.pk)))
    response = supervisor.post(url("cases:closure_decide", pk=case.pk), {"decision": "return", "note": ""})
    assert response.status_code == 400
    assert supervisor.post(url("cases:closure_decide", pk=case.pk), {"decision": "approve"}).status_code == 302
    assert fresh(case).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_it_checks_ownership(network, case):
    for intruder in (network["other_caseworker"], network["other_supervisor"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(client.post(url("cases:note_add", pk=case.pk), {"body": "x"}))
        assert_denied(client.post(url("cases:case_hold", pk=case.pk), {"version": 1}))
        assert_denied(client.post(url("cases:team_change", pk=case.pk), {"member": intruder.pk}))
        assert_denied(client.get(url("cases:closure_request", pk=case.pk)))
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
def test_timeline_api(network, case, django_assert_max_num_queries):
    for i in range(15):
        services.note_add(by=network[Role.CASEWORKER], case=case, body=f"note {i}")
    client = client_for(network[Role.CASEWORKER])
    client.get("/api/v1/me/")
    with django_assert_max_num_queries(20):
        data = client.get(f"/api/v1/cases/{case.pk}/timeline/?limit=5").json()
    assert data["count"] == 16 and data["results"][0]["note"] == "note 14"
    assert_denied(client_for(network["other_caseworker"]).get(f"/api/v1/cases/{case.pk}/timeline/"))


@pytest.mark.django_db
def test_reading_a_closure_summary_is_audited(network, case):
    services.closure_request(by=network[Role.CASEWORKER], case=case, version=case.version, reason="other", safety_plan_reviewed=False,
                             knows_how_to_return=True, services_ended=True, summary="She moved in with her sister",
                             supervisor=network[Role.SUPERVISOR])
    client_for(network[Role.SUPERVISOR]).get(url("cases:closure_decide", pk=case.pk))
    assert AuditEvent.objects.filter(action="case.viewed", actor=network[Role.SUPERVISOR], object_id=str(case.pk)).exists()
