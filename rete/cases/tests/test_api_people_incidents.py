import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rete.cases import services
from rete.cases.models import CaseActivity, Incident
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for
from rete.core.models import AuditEvent, Role

SENTINEL = "Marrowgate-84b2"


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home, given_name="Elena", family_name="Rossi", alias="Eli")


def _incident(**extra):
    today = timezone.localdate()
    data = {"incident_date": (today - datetime.timedelta(days=2)).isoformat(), "reported_on": today.isoformat(),
            "place_type": "home", "gbv_type": "physical_assault", "context_flags": ["ipv"],
            "narrative": "He pushed her " + SENTINEL, "injuries": True}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_people_of_a_case(network, case):
    worker = network[Role.CASEWORKER]
    services.related_person_add(by=worker, case=case, kind="child", name="Luca", relationship="child", birth_year=2016,
                                needs="school", weapons_access="yes")
    services.related_person_add(by=worker, case=case, kind="perpetrator", name="Marco", relationship="former_partner",
                                weapons_access="yes", known_to_police="no")
    data = client_for(worker).get(f"/api/v1/cases/{case.pk}/people/").json()
    assert data["person"]["given_name"] == "Elena" and data["person"]["family_name"] == "Rossi"
    assert data["person"]["display_name"] == "Elena Rossi (Eli)"
    by_kind = {row["kind"]: row for row in data["related"]}
    assert by_kind["child"]["name"] == "Luca" and by_kind["child"]["needs"] == "school"
    assert by_kind["child"]["weapons_access"] is None and by_kind["child"]["birth_year"] == 2016
    assert by_kind["perpetrator"]["weapons_access"] == "yes" and by_kind["perpetrator"]["needs"] is None
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk), actor=worker).count() == 1
    assert Client().get(f"/api/v1/cases/{case.pk}/people/").status_code == 401
    for intruder in (network["other_caseworker"], network.outsider, network[Role.POLICE_OFFICER]):
        assert_denied(client_for(intruder).get(f"/api/v1/cases/{case.pk}/people/"))


@pytest.mark.django_db
def test_record_list_and_read_incidents(network, case):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    response = client.post(f"/api/v1/cases/{case.pk}/incidents/", _incident(), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    incident = Incident.objects.get()
    assert created["id"] == incident.pk and created["gbv_type"] == "physical_assault" and created["context_flags"] == ["ipv"]
    assert created["reporting_delay"] == "0-3d" and created["recorded_by"] == worker.email
    assert incident.narrative == "He pushed her " + SENTINEL and incident.injuries and incident.recorded_by == worker
    assert CaseActivity.objects.filter(case=case, kind="incident").count() == 1
    event = AuditEvent.objects.get(action="case.incident_recorded")
    assert event.detail == {"incident": incident.pk, "gbv_type": "physical_assault"}
    assert SENTINEL not in str([e.detail for e in AuditEvent.objects.all()])
    listing = client.get(f"/api/v1/cases/{case.pk}/incidents/").json()
    assert listing["count"] == 1 and listing["results"][0]["narrative"] == "He pushed her " + SENTINEL
    detail = client.get(f"/api/v1/cases/{case.pk}/incidents/{incident.pk}/").json()
    assert detail["id"] == incident.pk and detail["place_type"] == "home"
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).count() == 2


@pytest.mark.django_db
def test_bad_incidents_get_400_with_field_errors(network, case):
    client = client_for(network[Role.CASEWORKER])
    path = f"/api/v1/cases/{case.pk}/incidents/"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    bad = [
        ({k: v for k, v in _incident().items() if k != "gbv_type"}, "gbv_type"),
        (_incident(gbv_type="murder"), "gbv_type"),
        (_incident(place_type="moon"), "place_type"),
        (_incident(context_flags=["nonsense"]), "context_flags"),
        (_incident(incident_date=tomorrow, reported_on=tomorrow), "incident_date"),
        (_incident(incident_date=timezone.localdate().isoformat(), reported_on=(timezone.localdate() - datetime.timedelta(days=5)).isoformat()), "reported_on"),
        (_incident(incident_date="not-a-date"), "incident_date"),
        (_incident(narrative="a\x00b"), "narrative"),
    ]
    for data, field in bad:
        response = client.post(path, data, content_type="application/json")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json(), (field, response.json())
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_incidents_are_scoped_like_the_pages(network, case):
    incident = services.incident_record(by=network[Role.CASEWORKER], case=case, incident_date=timezone.localdate(),
                                        reported_on=timezone.localdate(), place_type="home", gbv_type="psychological",
                                        context_flags=[], narrative="", reported_to_police=False, injuries=False, medical_care=False)
    other_case = open_case(network["other_caseworker"], network.other)
    foreign = services.incident_record(by=network["other_caseworker"], case=other_case, incident_date=timezone.localdate(),
                                       reported_on=timezone.localdate(), place_type="home", gbv_type="psychological",
                                       context_flags=[], narrative="", reported_to_police=False, injuries=False, medical_care=False)
    anonymous = Client()
    assert anonymous.get(f"/api/v1/cases/{case.pk}/incidents/").status_code == 401
    assert anonymous.post(f"/api/v1/cases/{case.pk}/incidents/", _incident(), content_type="application/json").status_code == 401
    assert anonymous.get(f"/api/v1/cases/{case.pk}/incidents/{incident.pk}/").status_code == 401
    for intruder in (network["other_caseworker"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(client.get(f"/api/v1/cases/{case.pk}/incidents/"))
        assert_denied(client.post(f"/api/v1/cases/{case.pk}/incidents/", _incident(), content_type="application/json"))
        # Even a bad body is refused as "not found" first.
        assert_denied(client.post(f"/api/v1/cases/{case.pk}/incidents/", {}, content_type="application/json"))
        assert_denied(client.get(f"/api/v1/cases/{case.pk}/incidents/{incident.pk}/"))
    assert_denied(client_for(network[Role.CASEWORKER]).get(f"/api/v1/cases/{case.pk}/incidents/{foreign.pk}/"))
    assert Incident.objects.count() == 2


@pytest.mark.django_db
def test_incident_listing_is_bounded(network, case, django_assert_max_num_queries):
    worker = network[Role.CASEWORKER]
    for i in range(25):
        services.incident_record(by=worker, case=case, incident_date=timezone.localdate() - datetime.timedelta(days=i),
                                 reported_on=timezone.localdate(), place_type="home", gbv_type="psychological",
                                 context_flags=[], narrative=f"n{i}", reported_to_police=False, injuries=False, medical_care=False)
    client = client_for(worker)
    client.get("/api/v1/me/")
    with django_assert_max_num_queries(18):
        data = client.get(f"/api/v1/cases/{case.pk}/incidents/?limit=20").json()
    assert data["count"] == 25 and len(data["results"]) == 20 and data["results"][0]["narrative"] == "n0"
    with django_assert_max_num_queries(18):
        assert client.get(f"/api/v1/cases/{case.pk}/people/").status_code == 200
