"""The programme's aggregated outcome figures (part "outcomes"): what happened to the men, their
answers and their partners' (as counts from the partner-support service) by timepoint, partner
contacts by status; every figure about fewer than five people suppressed; the period filter;
the page and the CSV for the programme's coordinators only, audited with the period only; a
fixed number of queries whatever the number of answers."""
import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.network.models import PartnerContactLink, PartnerOutcomeResponse
from rete.network.services import partner_outcomes as network_services
from rete.programmes import questionnaires
from rete.programmes.models import EnrolmentState, OutcomeResponse
from rete.programmes.selectors import outcomes as selectors
from rete.programmes.selectors.outcomes import questionnaire_for
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import outcomes as services
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped():
    services.questionnaires_install_shipped()


@pytest.fixture
def programme(network):
    return Programme()


def answers(questionnaire, timepoint, *, reporting):
    """Every item answered with its lowest value, or (reporting) its highest."""
    out = {}
    for item in questionnaires.items(questionnaire.definition, timepoint=timepoint):
        valued = [o for o in item["options"] if o["value"] is not None]
        chosen = max(valued, key=lambda o: o["value"]) if reporting else min(valued, key=lambda o: o["value"])
        out[item["code"]] = chosen["code"]
    return out


def men(programme, count, **kwargs):
    return [make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True, given_name=f"Uomo{n}", **kwargs)
            for n in range(count)]


def record_him(programme, enrolment, timepoint, *, reporting):
    questionnaire = questionnaire_for(respondent="man", organisation_id=programme.organisation.pk)
    return services.outcome_record(by=programme.facilitator, enrolment=enrolment, questionnaire=questionnaire,
                                   timepoint=timepoint, answers=answers(questionnaire, timepoint, reporting=reporting),
                                   answered_on=timezone.localdate())


def record_her(programme, enrolment, timepoint, *, reporting):
    link = PartnerContactLink.objects.get(enrolment_id=enrolment.pk)
    questionnaire = questionnaire_for(respondent="partner", organisation_id=link.support_organisation_id)
    return network_services.partner_outcome_record(by=programme.partner_worker, link=link, questionnaire=questionnaire,
                                                   timepoint=timepoint, answers=answers(questionnaire, timepoint, reporting=reporting),
                                                   answered_on=timezone.localdate())


@pytest.fixture
def scene(programme):
    """Six men started; two dropped out during the group stage. His answers at intake: five of
    six report violence. Her answers at intake: three of five report fear; at follow-up two."""
    enrolments = men(programme, 6)
    for enrolment in enrolments[:2]:
        enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=enrolment,
                                                to_state=EnrolmentState.DROPPED_OUT, reason="He stopped coming.")
    for n, enrolment in enumerate(enrolments):
        record_him(programme, enrolment, "intake", reporting=n < 5)
    for n, enrolment in enumerate(enrolments[:5]):
        record_her(programme, enrolment, "intake", reporting=n < 3)
    for enrolment in enrolments[:2]:
        record_her(programme, enrolment, "follow_up", reporting=False)
    return enrolments


def figures_of(programme, **query):
    return client_for(programme.coordinator).get(url("programmes:outcome_figures"), query)


def test_the_figures_suppress_small_numbers(programme, scene):
    page = figures_of(programme)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Outcomes of Prog Programme for Men" in html
    figures = page.context["figures"]
    flow = {str(label): cell for label, cell in figures["flow"]}
    assert flow["Enquiries"].value == 6 and flow["Started the programme"].value == 6 and flow["Accepted"].value == 6
    assert flow["Dropped out"].why == "small" and flow["Excluded"].value == 0
    phases = {str(label): cell for label, cell in figures["drop_out_phases"]}
    assert phases["During the programme"].why == "small" and phases["Before the assessment"].value == 0
    assert all(not cell.shown for _label, cell in figures["drop_out_stages"])
    men_rows = {row["indicator"]: dict(row["cells"]) for row in figures["men"]["rows"]}
    assert men_rows["physical_violence"]["intake"] == {"respondents": 6, "reporting": 5, "percent": 83}
    assert men_rows["physical_violence"]["end"]["percent"] is None
    her_rows = {row["indicator"]: dict(row["cells"]) for row in figures["partners"]["rows"]}
    assert her_rows["fear"]["intake"] == {"respondents": 5, "reporting": 3, "percent": 60}
    assert her_rows["fear"]["follow_up"]["percent"] is None  # two women: not shown
    assert dict(figures["partners"]["answered"])["follow_up"].why == "small"
    assert figures["partner_contact"]["total"].value == 6
    assert "83% (5 of 6)" in html and "60% (3 of 5)" in html and "fewer than 5" in html
    # No personal data: no name, no reference.
    for enrolment in scene:
        assert enrolment.reference not in html and enrolment.participant.given_name not in html
    event = AuditEvent.objects.get(action="programmes.outcomes_viewed")
    assert event.organisation == programme.organisation and event.actor == programme.coordinator
    assert set(event.detail) == {"start", "end"}
    assert event.detail["end"] == timezone.localdate().isoformat()


def test_the_period_filters_the_figures(programme, scene):
    # An answer given long ago is outside the default period (the last twelve months).
    old = OutcomeResponse.objects.filter(enrolment=scene[0]).first()
    OutcomeResponse.objects.filter(pk=old.pk).update(answered_on=timezone.localdate() - datetime.timedelta(days=400))
    figures = figures_of(programme).context["figures"]
    rows = {row["indicator"]: dict(row["cells"]) for row in figures["men"]["rows"]}
    assert rows["physical_violence"]["intake"]["respondents"] == 5
    start, end = figures["start"], figures["end"]
    assert end == timezone.localdate() and (end - start).days in (364, 365)
    earlier = figures_of(programme, start="2020-01-01", end="2020-12-31").context["figures"]
    assert {str(label): cell.value for label, cell in earlier["flow"]}["Enquiries"] == 0
    assert earlier["men"]["rows"] == [] and earlier["partners"]["rows"] == []


def test_a_bad_period_is_refused_with_400_and_kept(programme):
    page = figures_of(programme, start="2026-05-01", end="2026-01-01")
    assert page.status_code == 400
    assert 'value="2026-05-01"' in page.content.decode()
    future = figures_of(programme, start="2020-01-01", end=(timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    assert future.status_code == 400
    assert not AuditEvent.objects.filter(action="programmes.outcomes_viewed").exists()


def test_the_csv(programme, scene):
    response = client_for(programme.coordinator).get(url("programmes:outcome_figures_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert "no personal data" in rows[0][0]
    assert rows[1] == ["part", "figure", "when", "value"]
    table = {(row[0], row[1], row[2]): row[3] for row in rows[2:]}
    assert table[("Men", "Enquiries", "")] == "6"
    assert table[("Men", "Dropped out", "")] == "fewer than 5"
    assert table[("Men's answers", "Physical violence", "Intake")] == "83% (5 of 6)"
    assert table[("Partners' answers", "Fear of him", "Intake")] == "60% (3 of 5)"
    assert table[("Partners' answers", "Fear of him", "Six-month follow-up")] == "fewer than 5"
    assert table[("Partners", "Partner contact requested", "")] == "6"
    for enrolment in scene:
        assert enrolment.reference not in text and enrolment.participant.given_name not in text
    event = AuditEvent.objects.get(action="programmes.outcomes_exported")
    assert set(event.detail) == {"start", "end"} and event.actor == programme.coordinator


def test_it_checks_ownership(network, programme, scene):
    other = Programme("other-prog")
    for user in (programme.facilitator, programme.cofacilitator, programme.partner_worker, network.outsider, network.superuser):
        assert_denied(client_for(user).get(url("programmes:outcome_figures")))
        assert_denied(client_for(user).get(url("programmes:outcome_figures_csv")))
    # Another programme's coordinator sees her own programme, and cannot ask for this one.
    assert client_for(other.coordinator).get(url("programmes:outcome_figures")).context["organisation"] == other.organisation
    assert_denied(client_for(other.coordinator).get(url("programmes:outcome_figures"), {"organisation": programme.organisation.slug}))
    assert_denied(client_for(other.coordinator).get(url("programmes:outcome_figures_csv"), {"organisation": programme.organisation.slug}))
    anonymous = client_for(None).get(url("programmes:outcome_figures"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_drop_out_is_counted_at_each_phase(programme):
    before = make_enrolment(programme, state=EnrolmentState.INFORMATION)
    during_assessment = make_enrolment(programme, state=EnrolmentState.ASSESSING)
    waiting = make_enrolment(programme, state=EnrolmentState.WAITING)
    in_programme = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    excluded = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    for enrolment in (before, during_assessment, waiting, in_programme):
        enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=enrolment,
                                                to_state=EnrolmentState.DROPPED_OUT, reason="He stopped.")
    enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=excluded, to_state=EnrolmentState.EXCLUDED,
                                            reason="Threats in the group.")
    today = timezone.localdate()
    flow, phases, stages = selectors.flow_counts(organisation_id=programme.organisation.pk, start=today, end=today)
    assert flow["dropped_out"] == 4 and flow["excluded"] == 1 and flow["enquiries"] == 5
    assert flow["assessments"] == 4 and flow["accepted"] == 3 and flow["assessed"] == 3 and flow["started"] == 2
    assert phases == {"before_assessment": 1, "during_assessment": 1, "before_start": 1, "during_programme": 1}
    assert stages == {"group": 1}
    assert selectors.stage_names(organisation_id=programme.organisation.pk)["group"] == "Group programme"


def test_the_figures_issue_a_fixed_number_of_queries(programme, django_assert_max_num_queries):
    first = men(programme, 1)
    record_him(programme, first[0], "intake", reporting=True)
    record_her(programme, first[0], "intake", reporting=True)
    client = client_for(programme.coordinator)
    client.get(url("programmes:outcome_figures"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("programmes:outcome_figures")).status_code == 200
    more = men(programme, 7)
    for n, enrolment in enumerate(first + more):
        for timepoint in questionnaires.TIMEPOINTS:
            if not OutcomeResponse.objects.filter(enrolment=enrolment, timepoint=timepoint).exists():
                record_him(programme, enrolment, timepoint, reporting=n % 2 == 0)
            if not PartnerOutcomeResponse.objects.filter(link__enrolment_id=enrolment.pk, timepoint=timepoint).exists():
                record_her(programme, enrolment, timepoint, reporting=n % 3 == 0)
    assert OutcomeResponse.objects.count() == 32 and PartnerOutcomeResponse.objects.count() == 32
    with django_assert_max_num_queries(len(few)):
        page = client.get(url("programmes:outcome_figures"))
    assert page.status_code == 200
    rows = {row["indicator"]: dict(row["cells"]) for row in page.context["figures"]["partners"]["rows"]}
    assert rows["fear"]["follow_up"]["respondents"] == 8
    with django_assert_max_num_queries(len(few)):
        assert client.get(url("programmes:outcome_figures_csv")).status_code == 200
