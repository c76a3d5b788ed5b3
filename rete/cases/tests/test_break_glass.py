import pytest
from django.core import mail

from rete.cases.models import BreakGlassAccess, CaseActivity
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, reauthenticated, url
from rete.core.models import AuditEvent, Role

REASON = "She is at the door, Quokka-77, and her caseworker cannot be reached"


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home, given_name="Ottilie")


@pytest.mark.django_db
def test_a_supervisor_sees_only_that_the_case_exists_until_she_breaks_the_glass(network, case, django_capture_on_commit_callbacks):
    supervisor = network[Role.SUPERVISOR]
    client = client_for(supervisor)
    page = client.get(url("cases:case_detail", pk=case.pk))
    assert page.status_code == 200 and "not on this case" in page.content.decode() and "Ottilie" not in page.content.decode()
    assert_denied(client.get(url("cases:incident_add", pk=case.pk)))
    # The password is asked again first.
    response = client.post(url("cases:break_glass", pk=case.pk), {"reason": REASON})
    assert response.status_code == 302 and "reauthenticate" in response["Location"] and not BreakGlassAccess.objects.exists()
    reauthenticated(client, supervisor)
    assert client.post(url("cases:break_glass", pk=case.pk), {"reason": "because"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cases:break_glass", pk=case.pk), {"reason": REASON})
    assert response.status_code == 302
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Ottilie" in page
    assert CaseActivity.objects.filter(case=case, kind="break_glass", actor=supervisor).exists()
    event = AuditEvent.objects.get(action="case.break_glass")
    assert "Quokka" not in str(event.detail)
    # The data-protection officer of the organisation is told, without the reason.
    assert [m.to for m in mail.outbox] == [[network[Role.DPO].email]]
    assert case.reference in mail.outbox[0].body and "Quokka" not in mail.outbox[0].body
    # She reads the reason on her review page; the reading is audited.
    review = client_for(network[Role.DPO]).get(url("cases:break_glass_review")).content.decode()
    assert "Quokka-77" in review and AuditEvent.objects.filter(action="case.break_glass_reviewed").exists()
    assert "Quokka" not in client_for(network.outsider).get(url("cases:break_glass_review")).content.decode()


@pytest.mark.django_db
def test_break_glass_is_for_supervisors_of_the_organisation_only(network, case):
    for intruder in (network["other_supervisor"], network[Role.POLICE_OFFICER], network[Role.DPO], network.outsider):
        client = client_for(intruder)
        reauthenticated(client, intruder)
        assert_denied(client.get(url("cases:case_detail", pk=case.pk)))
        assert_denied(client.post(url("cases:break_glass", pk=case.pk), {"reason": REASON}))
    colleague = client_for(network[Role.CASEWORKER])
    assert_denied(client_for(network[Role.SUPERVISOR]).get(url("cases:break_glass_review")))
    assert colleague.get(url("cases:case_detail", pk=case.pk)).status_code == 200
    assert not BreakGlassAccess.objects.exists()


@pytest.mark.django_db
def test_the_case_supervisor_reads_it_without_breaking_the_glass(network, case):
    worker = client_for(network[Role.CASEWORKER])
    assert worker.post(url("cases:supervisor_change", pk=case.pk), {"supervisor": "999999"}).status_code == 400
    assert worker.post(url("cases:supervisor_change", pk=case.pk), {"supervisor": network[Role.SUPERVISOR].pk}).status_code == 302
    assert "Ottilie" in client_for(network[Role.SUPERVISOR]).get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert AuditEvent.objects.filter(action="case.supervisor_changed").exists()


@pytest.mark.django_db
def test_the_named_supervisor_is_told_and_finds_the_closure_on_her_start_page(network, case, django_capture_on_commit_callbacks):
    from rete.cases import services

    with django_capture_on_commit_callbacks(execute=True):
        services.closure_request(by=network[Role.CASEWORKER], case=case, version=case.version, reason="goals_met", safety_plan_reviewed=True,
                                 knows_how_to_return=True, services_ended=True, summary="Ottilie moved", supervisor=network[Role.SUPERVISOR])
    assert [m.to for m in mail.outbox] == [[network[Role.SUPERVISOR].email]]
    assert case.reference in mail.outbox[0].body and "Ottilie" not in mail.outbox[0].body
    start = client_for(network[Role.SUPERVISOR]).get(url("core:start")).content.decode()
    assert "Closures waiting for your decision" in start and url("cases:closure_decide", pk=case.pk) in start
    assert "Closures waiting" not in client_for(network[Role.CASEWORKER]).get(url("core:start")).content.decode()
    # Data-protection officers find their review page in the menu.
    assert url("cases:break_glass_review") in client_for(network[Role.DPO]).get(url("core:start")).content.decode()
