"""/api/v1/programmes/ (part "api"): ownership on every URL (404 for the outsider, another
programme, a facilitator not on the enrolment, partner-support workers; 401 without credentials),
the list (filters, references only, bounded), one enrolment (his name, the mandate with its case
number, the partner contact as the programme may see it; audited)."""
import datetime

import pytest
from django.test import Client

from rete.conftest import assert_denied, client_for
from rete.core.models import AuditEvent
from rete.programmes.models import EnrolmentState, ReferralSource
from rete.programmes.tests.factories import Programme, make_enrolment, make_mandate

pytestmark = pytest.mark.django_db

READS = ("programmes_api:enrolment_detail", "programmes_api:enrolment_state_changes", "programmes_api:enrolment_attendance",
         "programmes_api:enrolment_compliance_events", "programmes_api:enrolment_court_reports")


@pytest.fixture
def programme(network):
    return Programme()


def api(name, **kwargs):
    """API URLs carry no language prefix."""
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def test_it_checks_ownership(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True, partner_contact=True)
    other = Programme("elsewhere")
    theirs = make_enrolment(other, state=EnrolmentState.ACTIVE)
    outsiders = (network.outsider, network.superuser, programme.cofacilitator,  # a facilitator not on the enrolment
                 programme.partner_worker, network["partner_support_worker"], network["facilitator"],
                 network["programme_coordinator"], other.facilitator, other.coordinator, network["caseworker"],
                 network["dpo"])
    for user in outsiders:
        client = client_for(user)
        for name in READS:
            assert_denied(client.get(api(name, enrolment_id=enrolment.pk)))
        assert_denied(client.post(api("programmes_api:enrolment_transition", enrolment_id=enrolment.pk),
                                  {"to_state": "suspended", "reason": "No.", "version": enrolment.version},
                                  content_type="application/json"))
    for user in (programme.facilitator, programme.coordinator):
        client = client_for(user)
        for name in READS:
            assert_denied(client.get(api(name, enrolment_id=theirs.pk)))  # another programme's man
            assert_denied(client.get(api(name, enrolment_id=enrolment.pk + 10000)))  # none such
            assert client.get(api(name, enrolment_id=enrolment.pk)).status_code == 200
    # Partner-support workers and people of other services have no list at all.
    for user in (programme.partner_worker, network["partner_support_worker"], network["caseworker"], network.outsider):
        assert_denied(client_for(user).get(api("programmes_api:enrolment_list")))
    anonymous = Client()
    assert anonymous.get(api("programmes_api:enrolment_list")).status_code == 401
    for name in READS:
        assert anonymous.get(api(name, enrolment_id=enrolment.pk)).status_code == 401
    assert anonymous.post(api("programmes_api:enrolment_transition", enrolment_id=enrolment.pk), {},
                          content_type="application/json").status_code == 401
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ACTIVE
    assert not AuditEvent.objects.filter(action="programmes.enrolment_viewed", actor__in=outsiders).exists()


def test_a_facilitator_of_his_group_reaches_him(network, programme):
    from rete.programmes.tests.factories import make_group

    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    client = client_for(programme.cofacilitator)
    assert_denied(client.get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)))
    make_group(programme, members=[enrolment], facilitators=[programme.cofacilitator])
    assert client.get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)).status_code == 200


def test_the_list_shows_references_never_names(network, programme):
    first = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True, source=ReferralSource.COURT_165,
                           given_name="Ettore", family_name="Nomelista")
    second = make_enrolment(programme, given_name="Bruno", family_name="Altronome")
    response = client_for(programme.coordinator).get(api("programmes_api:enrolment_list"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and {"next", "previous", "results"} <= set(data)
    rows = {row["id"]: row for row in data["results"]}
    row = rows[first.pk]
    assert set(row) == {"id", "reference", "version", "state", "state_label", "stage", "stage_name", "pathway", "source",
                        "source_label", "enquiry_at", "started_on", "ended_on", "last_activity_at", "mandate"}
    assert row["reference"] == first.reference and row["state"] == "active" and row["state_label"] == "Active"
    assert row["stage"] == "group" and row["stage_name"] == "Group programme"
    assert row["pathway"] == {"name": "Standard pathway", "version": 1}
    assert row["source"] == "court_165" and row["started_on"] == first.started_on.isoformat()
    assert row["mandate"]["basis"] == "art_165_cp" and row["mandate"]["court"] == "Tribunale di Esempio"
    assert row["mandate"]["sessions_per_week"] == 2 and row["mandate"]["deadline"]
    assert "case_number" not in row["mandate"]
    assert rows[second.pk]["mandate"] is None and rows[second.pk]["pathway"] is None
    body = response.content.decode()
    for text in ("Ettore", "Nomelista", "Bruno", "Altronome", "RG 1234/2026"):
        assert text not in body
    assert not AuditEvent.objects.filter(action="programmes.enrolment_viewed").exists()  # a list is not a reading


def test_the_list_filters(network, programme):
    active = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    enquiry = make_enrolment(programme)
    closed = make_enrolment(programme, state=EnrolmentState.INFORMATION)
    from rete.programmes.services import enrolments as services

    services.enrolment_transition(by=programme.facilitator, enrolment=closed, to_state="closed", reason="He did not come back.")
    client = client_for(programme.facilitator)
    path = api("programmes_api:enrolment_list")

    def ids(query):
        response = client.get(path + query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {active.pk, enquiry.pk, closed.pk}
    assert ids("?state=active") == {active.pk}
    assert ids("?open=true") == {active.pk, enquiry.pk}
    assert ids(f"?reference={enquiry.reference[-4:]}") == {enquiry.pk}
    assert ids("?reference=nothing-like-it") == set()
    assert ids("?mine=true") == {active.pk, enquiry.pk, closed.pk}
    assert client_for(programme.coordinator).get(path + "?mine=true").json()["count"] == 0
    assert client_for(programme.coordinator).get(path).json()["count"] == 3
    assert client_for(programme.cofacilitator).get(path).json()["count"] == 0  # works with none of them
    for query in ("?state=nonsense", "?open=maybe", "?reference=" + "x" * 101, "?reference=a%00b"):
        response = client.get(path + query)
        assert response.status_code == 400, (query, response.status_code)
    assert client.get(path + "?limit=99999999999999999999&offset=99999999999999999999").status_code in (200, 400)


def test_the_list_runs_a_fixed_number_of_queries(network, programme, django_assert_max_num_queries):
    for i in range(12):
        enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE if i % 2 else EnrolmentState.ENQUIRY,
                                   given_name=f"Man{i}")
        if i % 3 == 0:
            make_mandate(enrolment, programme.facilitator)
    client = client_for(programme.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(api("programmes_api:enrolment_list"))
    assert response.status_code == 200 and len(response.json()["results"]) == 12


def test_one_enrolment_with_his_name_mandate_and_partner_contact_is_audited(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, source=ReferralSource.COURT_165, mandate=True,
                               partner_contact=True, given_name="Aldo", family_name="Esempio")
    from rete.programmes.models import Enrolment

    Enrolment.objects.filter(pk=enrolment.pk).update(referrer_body="Tribunale di Esempio, sezione penale")
    response = client_for(programme.facilitator).get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reference"] == enrolment.reference and data["version"] == enrolment.version
    assert data["participant"] == {"name": "Aldo Esempio", "birth_year": 1980}
    assert data["referrer_body"] == "Tribunale di Esempio, sezione penale"
    assert data["own_request_on"] == enrolment.own_request_on.isoformat()
    assert data["enquiry_at"] and data["started_on"] and data["ended_on"] is None and data["follow_up_due_on"] is None
    mandate = data["mandate"]
    assert mandate["case_number"] == "RG 1234/2026" and mandate["basis"] == "art_165_cp"
    assert mandate["court"] == "Tribunale di Esempio" and mandate["sessions_per_week"] == 2
    assert mandate["deadline"] == (enrolment.mandate.order_on.replace(year=enrolment.mandate.order_on.year + 5)).isoformat()
    partner = data["partner_contact"]
    assert set(partner) == {"reference", "service", "requested_at", "shared_status", "ended"}
    assert partner["reference"].startswith("PC-") and partner["service"] == programme.support.name
    assert partner["shared_status"] is None and partner["ended"] is False
    event = AuditEvent.objects.get(action="programmes.enrolment_viewed")
    assert event.actor == programme.facilitator and event.organisation == programme.organisation
    assert event.detail == {"enrolment": enrolment.pk, "via": "api", "part": "detail"}


def test_one_enrolment_before_a_pathway_or_mandate(network, programme):
    enrolment = make_enrolment(programme)
    data = client_for(programme.facilitator).get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)).json()
    assert data["state"] == "enquiry" and data["pathway"] is None and data["stage"] == "" and data["stage_name"] == ""
    assert data["mandate"] is None and data["partner_contact"] is None


def test_mandate_deadline_when_the_order_names_one(network, programme):
    enrolment = make_enrolment(programme)
    make_mandate(enrolment, programme.facilitator, deadline=datetime.date(2031, 3, 1))
    data = client_for(programme.facilitator).get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)).json()
    assert data["mandate"]["deadline"] == "2031-03-01"


def test_labels_are_in_the_callers_language(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    programme.facilitator.language = "it"
    programme.facilitator.save(update_fields=["language"])
    from django.utils import translation

    with translation.override("it"):
        expected = str(EnrolmentState.ACTIVE.label)
    data = client_for(programme.facilitator).get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)).json()
    assert data["state_label"] == expected


def test_the_detail_runs_a_fixed_number_of_queries(network, programme, django_assert_max_num_queries):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True, partner_contact=True)
    client = client_for(programme.facilitator)
    with django_assert_max_num_queries(20):
        assert client.get(api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)).status_code == 200


def test_urls_are_named_as_documented():
    assert api("programmes_api:enrolment_list") == "/api/v1/programmes/enrolments/"
    assert api("programmes_api:enrolment_detail", enrolment_id=7) == "/api/v1/programmes/enrolments/7/"
