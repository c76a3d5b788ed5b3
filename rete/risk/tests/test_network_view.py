"""The network view: counts by organisation and band, overdue reassessments and actions; for
network coordinators and platform administrators only; no reference and no name; two GROUP BYs."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import Role
from rete.risk import selectors
from rete.risk.models import RiskAction, RiskStatus
from rete.risk.tests.history_helpers import load, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument():
    return load("count-24")


def populate(network, instrument, *, home_high=2, home_standard=1, other_high=1):
    cases = {"home": [], "other": []}
    for n in range(home_high + home_standard):
        case = open_case(network[Role.CASEWORKER], network.home, given_name="Wilhelmina", family_name=f"Fairweather{n}")
        signed(network[Role.CASEWORKER], case, instrument, yes=20 if n < home_high else 2)
        cases["home"].append(case)
    for n in range(other_high):
        case = open_case(network["other_caseworker"], network.other)
        signed(network["other_caseworker"], case, instrument, yes=20)
        cases["other"].append(case)
    return cases


def test_counts_per_organisation_and_band(network, instrument):
    cases = populate(network, instrument)
    now = timezone.now()
    RiskStatus.objects.filter(subject_id=cases["home"][0].pk).update(next_due_at=now - datetime.timedelta(days=1))
    RiskAction.objects.filter(subject_id=cases["home"][1].pk, code="risk-conference").update(due_at=now - datetime.timedelta(hours=1))

    overview = selectors.network_overview(user=network[Role.NETWORK_COORDINATOR])
    assert [o["name"] for o in overview] == ["Home Support Centre", "Other Support Centre"]
    home = {r["band"]: r for r in overview[0]["rows"]}
    assert home["high"]["subjects"] == 2 and home["high"]["overdue"] == 1 and home["high"]["actions_overdue"] == 1
    assert home["high"]["label"] == "High" and home["standard"]["label"] == "Standard"
    assert home["standard"]["subjects"] == 1 and home["standard"]["overdue"] == 0
    assert [r["band"] for r in overview[0]["rows"]] == ["high", "standard"]  # highest first
    assert overview[1]["rows"][0]["subjects"] == 1

    response = client_for(network[Role.NETWORK_COORDINATOR]).get(url("risk:network"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Home Support Centre" in html and "Other Support Centre" in html and "High" in html
    for case in cases["home"] + cases["other"]:
        assert case.reference not in html
    assert "Wilhelmina" not in html and "Fairweather" not in html


def test_only_coordinators_and_superusers(network, instrument):
    populate(network, instrument, home_high=1, home_standard=0, other_high=0)
    assert client_for(network.superuser).get(url("risk:network")).status_code == 200
    assert client_for(network["other_network_coordinator"]).get(url("risk:network")).status_code == 200
    for user in (network[Role.CASEWORKER], network[Role.SUPERVISOR], network[Role.ORG_ADMIN], network[Role.DPO], network.outsider):
        assert_denied(client_for(user).get(url("risk:network")))


def test_empty_network(network):
    response = client_for(network[Role.NETWORK_COORDINATOR]).get(url("risk:network"))
    assert response.status_code == 200 and "No risk assessment has been signed" in response.content.decode()


def test_network_view_queries_are_bounded(network, instrument):
    coordinator = network[Role.NETWORK_COORDINATOR]
    populate(network, instrument, home_high=1, home_standard=1, other_high=1)
    client = client_for(coordinator)
    client.get(url("risk:network"))
    with CaptureQueriesContext(connection) as captured:
        client.get(url("risk:network"))
    few = len(captured.captured_queries)
    other_instrument = load("count-24", code="test-count-24-d")
    populate(network, instrument, home_high=4, home_standard=3, other_high=3)
    populate(network, other_instrument, home_high=2, home_standard=2, other_high=0)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url("risk:network")).content.decode()
    assert len(captured.captured_queries) == few
    assert html.count("<tbody>") == 2
    group_bys = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert len(group_bys) == 2


def test_closed_cases_are_not_counted(network, instrument):
    from rete.cases.models import Case

    cases = populate(network, instrument, home_high=2, home_standard=0, other_high=0)
    Case.objects.filter(pk=cases["home"][0].pk).update(status="closed")
    overview = selectors.network_overview(user=network[Role.NETWORK_COORDINATOR])
    assert {r["band"]: r["subjects"] for r in overview[0]["rows"]} == {"high": 1}
