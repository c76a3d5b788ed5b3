"""The man's outcome questionnaire (part "outcomes"): the section of the enrolment page with his
timepoints, recording his answers at a timepoint (encrypted, audited, once per timepoint, 400
keeping the data), reading them (an audited read), and who may do either (404 for anyone who may
not open his enrolment)."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.programmes import questionnaires
from rete.programmes.models import EnrolmentState, OutcomeResponse, Suitability
from rete.programmes.selectors import outcomes as selectors
from rete.programmes.services import outcomes as services
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped():
    services.questionnaires_install_shipped()


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return make_enrolment(programme, state=EnrolmentState.ACTIVE)


def man_questionnaire(enrolment):
    return selectors.questionnaire_for(respondent="man", organisation_id=enrolment.organisation_id)


def answers_for(questionnaire, timepoint, pick=0):
    return {item["code"]: item["options"][pick]["code"] for item in questionnaires.items(questionnaire.definition, timepoint=timepoint)}


def post_data(questionnaire, timepoint, answers, answered_on=None):
    data = {"timepoint": timepoint, "questionnaire": questionnaire.pk,
            "answered_on": (answered_on or timezone.localdate()).isoformat()}
    data.update({f"item-{code}": option for code, option in answers.items()})
    return data


def record_url(enrolment, **query):
    from urllib.parse import urlencode

    return url("programmes:outcome_record", enrolment_id=enrolment.pk) + (f"?{urlencode(query)}" if query else "")


def test_the_section_shows_his_timepoints(programme, enrolment):
    page = client_for(programme.facilitator).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Outcome questionnaires" in html
    for label in ("Intake", "Mid-way", "End", "Six-month follow-up"):
        assert label in html
    questionnaire = man_questionnaire(enrolment)
    assert f"?timepoint=intake&amp;questionnaire={questionnaire.pk}" in html  # intake is due: he is accepted
    assert "after 22 sessions; he has attended 0" in html  # half of the group stage's 44


def test_the_schedule_follows_his_pathway():
    today = datetime.date(2026, 6, 1)

    class Pathway:
        stages = [{"code": "group", "kind": "group", "min_sessions": 10}]

    class Man:
        suitability, state = Suitability.ACCEPTED, EnrolmentState.ACTIVE
        decided_at = timezone.make_aware(datetime.datetime(2026, 1, 5, 10))
        pathway_version_id, pathway_version = 1, Pathway()
        ended_on = follow_up_due_on = None

    man = Man()
    plan = selectors.schedule(enrolment=man, attended=4, today=today)
    assert plan["intake"] == {"status": "due", "due_on": datetime.date(2026, 1, 5)}
    assert plan["mid"]["status"] == "not_yet" and plan["mid"]["after"] == 5
    assert selectors.schedule(enrolment=man, attended=5, today=today)["mid"]["status"] == "due"
    assert plan["end"]["status"] == plan["follow_up"]["status"] == "not_yet"
    man.ended_on, man.state = datetime.date(2026, 3, 1), EnrolmentState.DROPPED_OUT
    plan = selectors.schedule(enrolment=man, attended=3, today=today)
    assert plan["mid"]["status"] == "not_applicable"  # he left before mid-way
    assert plan["end"] == {"status": "due", "due_on": datetime.date(2026, 3, 1)}
    assert plan["follow_up"] == {"status": "not_yet", "due_on": datetime.date(2026, 8, 30)}
    assert selectors.schedule(enrolment=man, attended=3, today=datetime.date(2026, 9, 1))["follow_up"]["status"] == "due"
    man.suitability, man.state = Suitability.NOT_SUITABLE, EnrolmentState.NOT_SUITABLE
    assert {v["status"] for v in selectors.schedule(enrolment=man, attended=0, today=today).values()} == {"not_applicable"}
    man.suitability, man.state = "", EnrolmentState.ASSESSING
    assert selectors.schedule(enrolment=man, attended=0, today=today)["intake"]["status"] == "not_yet"


def test_recording_and_reading_his_answers(programme, enrolment):
    questionnaire = man_questionnaire(enrolment)
    client = client_for(programme.facilitator)
    form = client.get(record_url(enrolment, timepoint="intake", questionnaire=questionnaire.pk))
    assert form.status_code == 200
    html = form.content.decode()
    assert "<fieldset" in html and "<legend" in html and 'type="radio"' in html
    assert "Did you push, grab, slap, hit or kick your partner or ex-partner" in html
    answers = answers_for(questionnaire, "intake", pick=3)  # "often", or the fourth option
    response = client.post(record_url(enrolment), post_data(questionnaire, "intake", answers))
    saved = OutcomeResponse.objects.get(enrolment=enrolment)
    assert response.status_code == 302 and response["Location"].endswith(
        url("programmes:outcome_response_detail", outcome_response_id=saved.pk))
    assert saved.answers == answers and saved.timepoint == "intake" and saved.recorded_by == programme.facilitator
    # Encrypted at rest: the option codes are not in the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM programmes_outcomeresponse WHERE id = %s", [saved.pk])
        raw = cursor.fetchone()[0]
    assert "often" not in raw and "physical" not in raw
    event = AuditEvent.objects.get(action="programmes.outcome_recorded")
    assert event.detail == {"enrolment": enrolment.pk, "questionnaire": "rete-men-outcomes", "version": 1, "timepoint": "intake"}
    # Read-only, and every read audited.
    page = client_for(programme.coordinator).get(url("programmes:outcome_response_detail", outcome_response_id=saved.pk))
    assert page.status_code == 200
    assert "Often" in page.content.decode() and "<form" not in page.content.decode().split("<main", 1)[-1].split("</main>")[0]
    viewed = AuditEvent.objects.get(action="programmes.outcome_viewed")
    assert viewed.actor == programme.coordinator and viewed.detail["timepoint"] == "intake"
    # The section now links to them.
    section = client.get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk)).content.decode()
    assert url("programmes:outcome_response_detail", outcome_response_id=saved.pk) in section


def test_bad_input_is_refused_with_400_and_the_data_kept(programme, enrolment):
    questionnaire = man_questionnaire(enrolment)
    client = client_for(programme.facilitator)
    answers = answers_for(questionnaire, "intake")
    missing = dict(answers)
    del missing["injury"]
    response = client.post(record_url(enrolment), post_data(questionnaire, "intake", missing))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose an answer." in html
    assert re.search(r'<input[^>]*name="item-physical" value="never"[^>]*checked', html)  # his answers are kept
    assert not re.search(r'<input[^>]*name="item-injury"[^>]*checked', html)
    future = client.post(record_url(enrolment), post_data(questionnaire, "intake", answers,
                                                          answered_on=timezone.localdate() + datetime.timedelta(days=2)))
    assert future.status_code == 400 and "future" in future.content.decode()
    wrong = client.post(record_url(enrolment), {**post_data(questionnaire, "intake", answers), "item-physical": "maybe"})
    assert wrong.status_code == 400
    assert not OutcomeResponse.objects.exists()


def test_his_answers_are_recorded_once_per_timepoint(programme, enrolment):
    questionnaire = man_questionnaire(enrolment)
    client = client_for(programme.facilitator)
    answers = answers_for(questionnaire, "intake")
    assert client.post(record_url(enrolment), post_data(questionnaire, "intake", answers)).status_code == 302
    saved = OutcomeResponse.objects.get()
    again = client.get(record_url(enrolment, timepoint="intake", questionnaire=questionnaire.pk))
    assert again.status_code == 302 and again["Location"].endswith(
        url("programmes:outcome_response_detail", outcome_response_id=saved.pk))
    refused = client.post(record_url(enrolment), post_data(questionnaire, "intake", answers_for(questionnaire, "intake", 1)))
    assert refused.status_code == 400 and "already recorded" in refused.content.decode()
    assert OutcomeResponse.objects.count() == 1
    # Without a timepoint, the form opens at the first one not answered yet.
    page = client.get(record_url(enrolment))
    assert page.status_code == 200 and 'name="timepoint" value="mid"' in page.content.decode()


def test_it_checks_ownership(network, programme, enrolment):
    questionnaire = man_questionnaire(enrolment)
    answers = answers_for(questionnaire, "intake")
    saved = services.outcome_record(by=programme.facilitator, enrolment=enrolment, questionnaire=questionnaire,
                                    timepoint="intake", answers=answers, answered_on=timezone.localdate())
    other = Programme("other-prog")
    strangers = (network.outsider, other.facilitator, other.coordinator, programme.cofacilitator,  # not on his staff
                 programme.partner_worker, network["programme_coordinator"], network.superuser)
    for user in strangers:
        client = client_for(user)
        assert_denied(client.get(record_url(enrolment, timepoint="mid")))
        assert_denied(client.post(record_url(enrolment), post_data(questionnaire, "mid", answers_for(questionnaire, "mid"))))
        assert_denied(client.get(url("programmes:outcome_response_detail", outcome_response_id=saved.pk)))
    assert OutcomeResponse.objects.count() == 1
    anonymous = client_for(None).get(record_url(enrolment))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    mine = client_for(programme.facilitator)
    assert_denied(mine.get(record_url(enrolment, timepoint="someday")))
    assert_denied(mine.get(record_url(enrolment, questionnaire="nope")))
    partner_questionnaire = selectors.questionnaire_for(respondent="partner", organisation_id=enrolment.organisation_id)
    assert_denied(mine.get(record_url(enrolment, questionnaire=partner_questionnaire.pk)))
    assert_denied(mine.get(url("programmes:outcome_response_detail", outcome_response_id=saved.pk + 999)))


def test_the_section_issues_a_fixed_number_of_queries(programme, enrolment):
    def count():
        fresh = type(enrolment).objects.select_related("pathway_version", "organisation").get(pk=enrolment.pk)
        with CaptureQueriesContext(connection) as queries:
            data = selectors.outcome_section(enrolment=fresh)
        return len(queries), data

    before, _data = count()
    questionnaire = man_questionnaire(enrolment)
    for timepoint in questionnaires.TIMEPOINTS:
        services.outcome_record(by=programme.facilitator, enrolment=enrolment, questionnaire=questionnaire,
                                timepoint=timepoint, answers=answers_for(questionnaire, timepoint), answered_on=timezone.localdate())
    after, data = count()
    assert before == after <= 3
    assert all(len(row["responses"]) == 1 for row in data["rows"])


def test_the_enrolment_page_stays_bounded_with_his_answers(programme, enrolment, django_assert_max_num_queries):
    questionnaire = man_questionnaire(enrolment)
    client = client_for(programme.facilitator)
    page = url("programmes:enrolment_detail", enrolment_id=enrolment.pk)
    client.get(page)
    with CaptureQueriesContext(connection) as first:
        client.get(page)
    for timepoint in questionnaires.TIMEPOINTS:
        services.outcome_record(by=programme.facilitator, enrolment=enrolment, questionnaire=questionnaire,
                                timepoint=timepoint, answers=answers_for(questionnaire, timepoint), answered_on=timezone.localdate())
    with django_assert_max_num_queries(len(first) + 2):  # the audit/session writes may differ slightly
        assert client.get(page).status_code == 200
