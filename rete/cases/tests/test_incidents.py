import datetime

import pytest
from django.db import connection

from rete.cases.models import Incident, ReportingDelay, reporting_delay
from rete.cases.tests.helpers import open_case
from rete.conftest import url, assert_denied, client_for
from rete.core.models import AuditEvent, Role



NO = {f"q_{k}": "no" for k in ("rape", "sexual", "physical", "marriage", "denial", "psychological")}
BASE = {"incident_date": "2026-11-01", "reported_on": "2026-11-10", "place_type": "home", "narrative": "Qwerty-narrative-88",
        "context_flags": ["ipv"], "injuries": "on"}


@pytest.mark.parametrize("delay, bucket", [(0, "0-3d"), (3, "0-3d"), (4, "4-5d"), (6, "6-14d"), (14, "6-14d"), (20, "2w-1m"), (40, "1m+")])
def test_reporting_delay_buckets(delay, bucket):
    day = datetime.date(2026, 1, 1)
    assert reporting_delay(day, day + datetime.timedelta(days=delay)) == ReportingDelay(bucket)


@pytest.mark.django_db
def test_the_first_yes_in_gbvims_order_decides_and_needs_confirmation(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    client = client_for(network[Role.CASEWORKER])
    answers = {**NO, "q_physical": "yes", "q_psychological": "yes"}
    response = client.post(url("cases:incident_add", pk=case.pk), {**BASE, **answers})
    page = response.content.decode()
    assert response.status_code == 200 and "Proposed type: Physical assault" in page
    assert "Qwerty-narrative-88" in page and not Incident.objects.exists()
    response = client.post(url("cases:incident_add", pk=case.pk), {**BASE, **answers, "confirm": "physical_assault"})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.gbv_type == "physical_assault" and incident.reporting_delay == "6-14d" and incident.context_flags == ["ipv"]
    event = AuditEvent.objects.get(action="case.incident_recorded")
    assert "Qwerty" not in str(event.detail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM cases_incident")
        assert "Qwerty" not in cursor.fetchone()[0]
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Physical assault" in page and "6–14 days" in page


@pytest.mark.django_db
def test_a_stale_confirmation_does_not_save_a_different_type(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:incident_add", pk=case.pk), {**BASE, **NO, "q_rape": "yes", "confirm": "psychological"})
    assert response.status_code == 200 and "Proposed type: Rape" in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_no_yes_means_not_gbv(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    response = client_for(network[Role.CASEWORKER]).post(url("cases:incident_add", pk=case.pk), {**BASE, **NO, "confirm": "non_gbv"})
    assert response.status_code == 302 and Incident.objects.get().gbv_type == "non_gbv"


@pytest.mark.django_db
def test_incident_dates_are_checked_and_nothing_is_lost(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    response = client_for(network[Role.CASEWORKER]).post(url("cases:incident_add", pk=case.pk),
                                                          {**BASE, **NO, "incident_date": "2026-11-12", "reported_on": "2026-11-10"})
    assert response.status_code == 400
    assert "before the incident" in response.content.decode() and "Qwerty-narrative-88" in response.content.decode()


@pytest.mark.django_db
def test_it_checks_ownership(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    for intruder in (network["other_caseworker"], network.outsider, network[Role.POLICE_OFFICER]):
        assert_denied(client_for(intruder).post(url("cases:incident_add", pk=case.pk), {**BASE, **NO, "confirm": "non_gbv"}))
    assert not Incident.objects.exists()
