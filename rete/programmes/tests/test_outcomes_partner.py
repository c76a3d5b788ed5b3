"""The partner's outcome questionnaire (part "outcomes"), in the partner-support service only: the
section of the partner-contact link's page, recording her answers (encrypted, audited, once per
timepoint, 400 keeping the data) and reading them; 404 for the programme's facilitators and
coordinator and for anyone who works with the man; SENTINEL: nothing of her answers reaches a
programme page, the figures or their CSV."""
import datetime
import re
from urllib.parse import urlencode

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import AuditEvent, Role
from rete.network.models import PartnerContactLink, PartnerEventKind, PartnerOutcomeResponse
from rete.network.selectors import partner_outcomes as network_selectors
from rete.network.services import partner_contact as link_services
from rete.network.services import partner_outcomes as network_services
from rete.programmes import questionnaires
from rete.programmes.models import EnrolmentState
from rete.programmes.selectors.outcomes import questionnaire_for
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import outcomes as services
from rete.programmes.services.outcomes import SHIPPED_DIR
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
    return make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)


@pytest.fixture
def link(enrolment):
    return PartnerContactLink.objects.get(enrolment_id=enrolment.pk)


def her_questionnaire(link):
    return questionnaire_for(respondent="partner", organisation_id=link.support_organisation_id)


def answers_for(questionnaire, timepoint, pick=0):
    return {item["code"]: item["options"][pick]["code"] for item in questionnaires.items(questionnaire.definition, timepoint=timepoint)}


def post_data(questionnaire, timepoint, answers, answered_on=None):
    data = {"timepoint": timepoint, "questionnaire": questionnaire.pk,
            "answered_on": (answered_on or timezone.localdate()).isoformat()}
    data.update({f"item-{code}": option for code, option in answers.items()})
    return data


def record_url(link, **query):
    return url("network:partner_outcome_record", partner_link_id=link.pk) + (f"?{urlencode(query)}" if query else "")


def test_the_link_page_shows_her_timepoints(programme, link):
    page = client_for(programme.partner_worker).get(url("network:partner_link_detail", partner_link_id=link.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Her outcome questionnaires" in html
    assert f"?timepoint=intake&amp;questionnaire={her_questionnaire(link).pk}" in html
    assert "Six-month follow-up" in html


def test_her_schedule_follows_the_programme_events():
    class Link:
        requested_at = timezone.make_aware(datetime.datetime(2026, 1, 5, 10))

    started = timezone.make_aware(datetime.datetime(2026, 1, 20, 10))
    ended = timezone.make_aware(datetime.datetime(2026, 7, 1, 10))
    plan = network_selectors.partner_schedule(link=Link(), events=[(PartnerEventKind.STARTED, started)], today=datetime.date(2026, 3, 1))
    assert plan["intake"] == {"status": "due", "due_on": datetime.date(2026, 1, 5)}
    assert plan["mid"] == {"status": "not_yet", "due_on": datetime.date(2026, 4, 21)}
    assert plan["end"]["status"] == plan["follow_up"]["status"] == "not_yet"
    events = [(PartnerEventKind.STARTED, started), (PartnerEventKind.COMPLETED, ended)]
    plan = network_selectors.partner_schedule(link=Link(), events=events, today=datetime.date(2027, 1, 1))
    assert plan["mid"]["status"] == plan["end"]["status"] == plan["follow_up"]["status"] == "due"
    assert plan["follow_up"]["due_on"] == datetime.date(2026, 12, 30)
    early = [(PartnerEventKind.STARTED, started), (PartnerEventKind.DROPPED_OUT, started + datetime.timedelta(days=10))]
    assert network_selectors.partner_schedule(link=Link(), events=early, today=datetime.date(2026, 3, 1))["mid"]["status"] == "not_applicable"


def test_recording_and_reading_her_answers(programme, link):
    worker = programme.partner_worker
    questionnaire = her_questionnaire(link)
    client = client_for(worker)
    form = client.get(record_url(link, timepoint="intake", questionnaire=questionnaire.pk))
    assert form.status_code == 200
    html = form.content.decode()
    assert "<fieldset" in html and "Have you felt afraid of him?" in html
    answers = answers_for(questionnaire, "intake", pick=3)
    response = client.post(record_url(link), post_data(questionnaire, "intake", answers))
    saved = PartnerOutcomeResponse.objects.get(link=link)
    assert response.status_code == 302 and response["Location"].endswith(
        url("network:partner_outcome_detail", partner_outcome_id=saved.pk))
    assert saved.answers == answers and saved.recorded_by == worker
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM network_partneroutcomeresponse WHERE id = %s", [saved.pk])
        raw = cursor.fetchone()[0]
    assert "often" not in raw and "afraid" not in raw
    event = AuditEvent.objects.get(action="network.partner_outcome_recorded")
    assert event.organisation == programme.support and event.detail["timepoint"] == "intake"
    assert set(event.detail) == {"link", "support", "questionnaire", "version", "timepoint"}
    detail = client.get(url("network:partner_outcome_detail", partner_outcome_id=saved.pk))
    assert detail.status_code == 200 and "Often" in detail.content.decode()
    assert AuditEvent.objects.filter(action="network.partner_outcome_viewed", actor=worker).count() == 1
    # Once per timepoint: the form now leads to her answers; a second set is refused.
    again = client.get(record_url(link, timepoint="intake", questionnaire=questionnaire.pk))
    assert again.status_code == 302
    refused = client.post(record_url(link), post_data(questionnaire, "intake", answers_for(questionnaire, "intake", 1)))
    assert refused.status_code == 400 and "already recorded" in refused.content.decode()
    assert PartnerOutcomeResponse.objects.count() == 1


def test_bad_input_is_refused_with_400_and_the_data_kept(programme, link):
    questionnaire = her_questionnaire(link)
    client = client_for(programme.partner_worker)
    answers = answers_for(questionnaire, "intake")
    del answers["injury"]
    response = client.post(record_url(link), post_data(questionnaire, "intake", answers))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose an answer." in html
    assert re.search(r'<input[^>]*name="item-afraid" value="never"[^>]*checked', html)
    early = client.post(record_url(link), post_data(questionnaire, "intake", answers_for(questionnaire, "intake"),
                                                    answered_on=datetime.date(2000, 1, 1)))
    assert early.status_code == 400
    assert not PartnerOutcomeResponse.objects.exists()


def test_it_checks_ownership(network, programme, enrolment, link):
    questionnaire = her_questionnaire(link)
    saved = network_services.partner_outcome_record(by=programme.partner_worker, link=link, questionnaire=questionnaire,
                                                    timepoint="intake", answers=answers_for(questionnaire, "intake"),
                                                    answered_on=timezone.localdate())
    # A partner-support worker of her service who also works with him in the programme.
    both = make_user("both@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    from rete.core.models import Membership

    Membership.objects.create(user=both, organisation=programme.support, role=Role.PARTNER_SUPPORT_WORKER)
    enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=both, role="facilitator")
    strangers = (programme.facilitator, programme.cofacilitator, programme.coordinator, both, network.outsider,
                 network["partner_support_worker"], network["caseworker"], network.superuser)
    for user in strangers:
        client = client_for(user)
        assert_denied(client.get(record_url(link, timepoint="mid")))
        assert_denied(client.post(record_url(link), post_data(questionnaire, "mid", answers_for(questionnaire, "mid"))))
        assert_denied(client.get(url("network:partner_outcome_detail", partner_outcome_id=saved.pk)))
    assert PartnerOutcomeResponse.objects.count() == 1
    anonymous = client_for(None).get(url("network:partner_outcome_detail", partner_outcome_id=saved.pk))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    worker = client_for(programme.partner_worker)
    man_questionnaire = questionnaire_for(respondent="man", organisation_id=programme.organisation.pk)
    assert_denied(worker.get(record_url(link, questionnaire=man_questionnaire.pk)))
    assert_denied(worker.get(record_url(link, timepoint="later")))


def test_the_link_section_issues_a_fixed_number_of_queries(programme, link):
    worker = programme.partner_worker
    questionnaire = her_questionnaire(link)

    def count():
        with CaptureQueriesContext(connection) as queries:
            network_selectors.partner_outcome_section(user=worker, link=link)
        return len(queries)

    before = count()
    for timepoint in questionnaires.TIMEPOINTS:
        network_services.partner_outcome_record(by=worker, link=link, questionnaire=questionnaire, timepoint=timepoint,
                                                answers=answers_for(questionnaire, timepoint), answered_on=timezone.localdate())
    assert count() == before <= 3


# ---- SENTINEL -------------------------------------------------------------------------------------

SENTINEL = "SNTLHERANSWER"


def test_sentinel_nothing_of_her_answers_reaches_the_programme(tmp_path, network, programme, enrolment, link):
    """Her service uses its own licensed questionnaire whose every text carries a sentinel; she
    answers it at every timepoint. The programme's pages (the enrolment page and its outcome
    pages, the figures and their CSV) show none of it, and its staff cannot open her answers."""
    definition = yaml.safe_load((SHIPPED_DIR / "rete-partner-outcomes.yaml").read_text())
    definition["code"] = "sentinel-partner-outcomes"

    def mark(node):
        if isinstance(node, dict):
            if set(node) == set(questionnaires.LANGUAGES):
                return {lang: f"{SENTINEL} {text}" for lang, text in node.items()}
            return {key: mark(value) for key, value in node.items()}
        if isinstance(node, list):
            return [mark(value) for value in node]
        return node

    definition = mark(definition)
    licensed = services.questionnaire_load(definition=definition, source=yaml.safe_dump(definition).encode(),
                                           organisation=programme.support)
    worker = programme.partner_worker
    for timepoint in questionnaires.TIMEPOINTS:
        network_services.partner_outcome_record(by=worker, link=link, questionnaire=licensed, timepoint=timepoint,
                                                answers=answers_for(licensed, timepoint, pick=3), answered_on=timezone.localdate())
    # His answers too, so that his pages have content.
    man = questionnaire_for(respondent="man", organisation_id=programme.organisation.pk)
    his = services.outcome_record(by=programme.facilitator, enrolment=enrolment, questionnaire=man, timepoint="intake",
                                  answers=answers_for(man, "intake"), answered_on=timezone.localdate())
    # The support worker sees the sentinel on her side (the test is not vacuous).
    assert SENTINEL in client_for(worker).get(url("network:partner_link_detail", partner_link_id=link.pk)).content.decode()
    pages = [url("programmes:enrolment_detail", enrolment_id=enrolment.pk),
             url("programmes:outcome_record", enrolment_id=enrolment.pk),
             url("programmes:outcome_response_detail", outcome_response_id=his.pk),
             url("programmes:outcome_figures"), url("programmes:outcome_figures_csv")]
    answer_ids = list(PartnerOutcomeResponse.objects.values_list("pk", flat=True))
    for user in (programme.facilitator, programme.cofacilitator, programme.coordinator):
        client = client_for(user)
        for page in pages:
            response = client.get(page, follow=True)
            assert SENTINEL not in response.content.decode(), (user, page)
            assert "partner-contact/outcomes" not in response.content.decode()
        for pk in answer_ids:
            assert_denied(client.get(url("network:partner_outcome_detail", partner_outcome_id=pk)))
        assert_denied(client.get(url("network:partner_link_detail", partner_link_id=link.pk)))
    # The programme's facilitators get no figures at all; the coordinator only counts.
    assert_denied(client_for(programme.facilitator).get(url("programmes:outcome_figures")))
    assert client_for(programme.coordinator).get(url("programmes:outcome_figures")).status_code == 200


def test_the_programme_side_gets_only_suppressed_counts(programme, link):
    from django.http import Http404

    today = timezone.localdate()
    with pytest.raises(Http404):
        network_selectors.partner_outcome_counts(user=programme.facilitator, programme_organisation_id=programme.organisation.pk,
                                                 start=today, end=today)
    with pytest.raises(Http404):
        network_selectors.partner_contact_counts(user=programme.partner_worker,
                                                 programme_organisation_id=programme.organisation.pk, start=today, end=today)
    questionnaire = her_questionnaire(link)
    network_services.partner_outcome_record(by=programme.partner_worker, link=link, questionnaire=questionnaire,
                                            timepoint="intake", answers=answers_for(questionnaire, "intake", pick=3),
                                            answered_on=today)
    counts = network_selectors.partner_outcome_counts(user=programme.coordinator,
                                                      programme_organisation_id=programme.organisation.pk, start=today, end=today)
    assert set(counts) == {"answered", "rows"}
    assert dict(counts["answered"])["intake"].why == "small"  # one woman: not shown
    assert all(share["percent"] is None for row in counts["rows"] for _t, share in row["cells"])

    def plain(value):  # only codes, numbers and protected cells: no row, no link, no date
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, questionnaires.Cell))

    assert plain(counts)
    link_services.partner_status_set(by=programme.partner_worker, link=link, status="engaged", share=False, version=link.version)
    contact = network_selectors.partner_contact_counts(user=programme.coordinator,
                                                       programme_organisation_id=programme.organisation.pk, start=today, end=today)
    assert plain(contact) and contact["total"].why == "small" and dict(contact["statuses"])["engaged"].why == "small"
