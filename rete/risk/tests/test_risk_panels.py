"""Risk on the start page (reassessments and actions due, in-app reminders) and on the caseload
(a "Risk band" column and filter): need to know, references only, bounded queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.cases.tests.helpers import open_case
from rete.conftest import client_for, make_user, url
from rete.core.models import Role
from rete.risk import selectors
from rete.risk.models import RiskAction, RiskStatus
from rete.risk.tests.history_helpers import load, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument():
    return load("count-24")


def supervised_case(network, **person):
    case = open_case(network[Role.CASEWORKER], network.home, **person)
    case.__class__.objects.filter(pk=case.pk).update(supervisor=network[Role.SUPERVISOR])
    return case


def panel_html(user) -> str:
    html = client_for(user).get(url("core:start")).content.decode()
    if 'id="risk-due-title"' not in html:
        return ""
    start = html.index('aria-labelledby="risk-due-title"')
    return html[start:html.index("</section>", start)]


def overdue(case, *, days=1):
    RiskStatus.objects.filter(subject_type="case", subject_id=case.pk).update(next_due_at=timezone.now() - datetime.timedelta(days=days))


# ---- the start panel ----


def test_start_panel_shows_due_work_by_reference_only(network, instrument):
    worker = network[Role.CASEWORKER]
    late = supervised_case(network, given_name="Ottilie", family_name="Brambleworth")
    soon = supervised_case(network, given_name="Philippa", family_name="Thistledown")
    signed(worker, late, instrument, yes=15)  # high: actions due in 1 and 2 days, reassessment in 7
    signed(worker, soon, instrument, yes=3)  # standard: safety plan in 7 days, reassessment in 60
    overdue(late)
    RiskAction.objects.filter(subject_id=late.pk, code="risk-conference").update(due_at=timezone.now() - datetime.timedelta(hours=3))

    panel = panel_html(worker)
    assert "Reassessments overdue" in panel and "1 reassessment is overdue." in panel
    assert late.reference in panel and "High" in panel
    assert "1 action is past its due date." in panel and "Refer to the risk conference" in panel
    # Due within 7 days: the high case's safety plan (1 day), the standard case's (7 days).
    assert soon.reference in panel and "Make or review her safety plan" in panel
    assert f'href="/en/cases/{late.pk}/"' in panel
    for name in ("Ottilie", "Brambleworth", "Philippa", "Thistledown"):
        assert name not in panel


def test_the_case_supervisor_sees_it_and_outsiders_do_not(network, instrument):
    case = supervised_case(network)
    signed(network[Role.CASEWORKER], case, instrument, yes=15)
    overdue(case)
    assert case.reference in panel_html(network[Role.SUPERVISOR])
    colleague = make_user("colleague@home.example", roles=[Role.CASEWORKER], organisation=network.home)
    assert panel_html(colleague) and case.reference not in panel_html(colleague)
    assert case.reference not in panel_html(network["other_caseworker"])
    assert case.reference not in panel_html(network["other_supervisor"])
    # No case role, no panel.
    for user in (network[Role.TRAINER], network[Role.NETWORK_COORDINATOR], network.outsider, network.superuser):
        assert panel_html(user) == ""
        assert selectors.risk_due_summary(user=user) is None


def test_a_closed_case_leaves_the_panel(network, instrument):
    worker = network[Role.CASEWORKER]
    case = supervised_case(network)
    signed(worker, case, instrument, yes=15)
    overdue(case)
    assert case.reference in panel_html(worker)
    case.__class__.objects.filter(pk=case.pk).update(status="closed")
    assert case.reference not in panel_html(worker)


def test_nothing_due(network, instrument):
    worker = network[Role.CASEWORKER]
    panel = panel_html(worker)
    assert "No reassessment is overdue." in panel and "No risk action is overdue." in panel


def test_done_actions_are_not_due(network, instrument):
    worker = network[Role.CASEWORKER]
    case = supervised_case(network)
    signed(worker, case, instrument, yes=15)
    RiskAction.objects.filter(subject_id=case.pk).update(status="done", due_at=timezone.now() - datetime.timedelta(days=1))
    summary = selectors.risk_due_summary(user=worker)
    assert summary["actions_overdue_total"] == 0 and summary["actions_soon_total"] == 0


def _summary_queries(user):
    user = user.__class__.objects.get(pk=user.pk)  # a fresh request: no membership cache
    with CaptureQueriesContext(connection) as captured:
        summary = selectors.risk_due_summary(user=user)
    return len(captured.captured_queries), summary


def test_start_panel_queries_are_bounded(network, instrument):
    worker = network[Role.CASEWORKER]
    cases = [supervised_case(network) for _ in range(2)]
    for case in cases:
        signed(worker, case, instrument, yes=15)
        overdue(case)
    few, summary = _summary_queries(worker)
    assert summary["reassessments_overdue_total"] == 2
    cases += [supervised_case(network) for _ in range(12)]
    for case in cases[2:]:
        signed(worker, case, instrument, yes=15)
        overdue(case)
    many, summary = _summary_queries(worker)
    assert many == few <= 8
    assert summary["reassessments_overdue_total"] == 14 and len(summary["reassessments_overdue"]) == 10
    assert summary["actions_soon_total"] == 28 and len(summary["actions_soon"]) == 10


# ---- the caseload ----


def caseload(user, **params):
    return client_for(user).get(url("cases:caseload"), params)


def test_caseload_risk_column_and_filter(network, instrument):
    worker = network[Role.CASEWORKER]
    top = supervised_case(network)
    standard = supervised_case(network)
    late = supervised_case(network)
    never = supervised_case(network)
    signed(worker, top, instrument, yes=20)
    signed(worker, standard, instrument, yes=1)
    signed(worker, late, instrument, yes=2)
    overdue(late)

    html = caseload(worker).content.decode()
    assert "Risk band" in html and "highest band" in html and "not assessed" in html and "reassessment overdue" in html

    def refs(**params):
        response = caseload(worker, **params)
        assert response.status_code == 200
        body = response.content.decode()
        return {c.reference for c in (top, standard, late, never) if c.reference in body}

    assert refs(risk="top") == {top.reference}
    assert refs(risk="assessed") == {top.reference, standard.reference, late.reference}
    assert refs(risk="none") == {never.reference}
    assert refs(risk="overdue") == {late.reference}
    assert refs() == {top.reference, standard.reference, late.reference, never.reference}
    # An unknown value is ignored like the other filters (the form is invalid; nothing filters).
    assert caseload(worker, risk="bogus").status_code == 200


def test_caseload_in_another_language_labels_the_band(network, instrument):
    worker = network[Role.CASEWORKER]
    case = supervised_case(network)
    signed(worker, case, instrument, yes=20)
    html = client_for(worker).get(url("cases:caseload", lang="it")).content.decode()
    assert "Alto" in html


def test_caseload_queries_do_not_grow_with_the_cases(network, instrument):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    for n in range(2):
        signed(worker, supervised_case(network), instrument, yes=n * 15)
    client.get(url("cases:caseload"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("cases:caseload")).status_code == 200
    few = len(captured.captured_queries)
    other = load("count-24", code="test-count-24-c")
    for n in range(10):
        signed(worker, supervised_case(network), other if n % 2 else instrument, yes=n * 2)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("cases:caseload"), {"risk": "assessed"}).status_code == 200
    assert len(captured.captured_queries) <= few


def test_case_list_keeps_its_signature(network):
    from rete.cases import selectors as case_selectors

    case = supervised_case(network)
    rows = list(case_selectors.case_list(user=network[Role.CASEWORKER]))
    assert [r.pk for r in rows] == [case.pk] and rows[0].risk_band is None
    with pytest.raises(ValueError):
        case_selectors.case_list(user=network[Role.CASEWORKER], risk="nonsense")
