"""Part "mandate-assessment", risk: a man's risk assessed with Rete's perpetrator-side instrument
(rete-perpetrator-spj) through the risk pages, reached through the enrolment (404 for anyone who
may not open it); the enrolment page's risk section; and rising risk reaching the
partner-support service (the `signed` callback of the risk subject "enrolment")."""
import pathlib

import pytest
from django.test import RequestFactory

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.network.models import PartnerContactEvent
from rete.programmes.models import EnrolmentState
from rete.programmes.tests.factories import Programme, make_enrolment
from rete.risk import instruments, services as risk_services
from rete.risk.models import Instrument, RiskAssessment, RiskStatus

pytestmark = pytest.mark.django_db

SPJ = "rete-perpetrator-spj"
RATIONALE = "Sentinel-rationale-5581: he blames her and watches her"


@pytest.fixture
def spj(db):
    """Rete's shipped perpetrator-side instrument (installed after migrate; again if a test
    emptied the database)."""
    if not Instrument.objects.filter(code=SPJ).exists():
        risk_services.instruments_install_shipped()
    return Instrument.objects.filter(code=SPJ).order_by("-version").first()


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)


def sign(user, enrolment, spj, band):
    """Start, answer and sign an assessment through the services."""
    assessment = risk_services.assessment_start(by=user, subject_type="enrolment", subject_id=enrolment.pk, instrument_id=spj.pk)
    answers = {item["code"]: "absent" for item in instruments.items(spj.definition)}
    version = risk_services.assessment_save_answers(by=user, assessment_id=assessment.pk, version=assessment.version,
                                                    answers=answers)
    return risk_services.assessment_sign(by=user, assessment_id=assessment.pk, version=version, judged_band=band,
                                         rationale=RATIONALE)


def risk_raised_events():
    return list(PartnerContactEvent.objects.filter(kind="risk_raised"))


def test_a_facilitator_assesses_his_risk_through_the_pages_with_the_shipped_instrument(programme, enrolment, spj):
    client = client_for(programme.facilitator)
    page = client.get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))
    start_url = url("risk:assessment_start", subject_type="enrolment", subject_id=enrolment.pk)
    assert start_url in page.content.decode()
    assert "No risk assessment signed off yet." in page.content.decode()

    start = client.get(start_url)
    assert start.status_code == 200
    assert f'value="{spj.pk}"' in start.content.decode()
    assert not any(i.assesses == "victim" and f'value="{i.pk}"' in start.content.decode() for i in Instrument.objects.all())
    started = client.post(start_url, {"instrument": spj.pk})
    assert started.status_code == 302
    assessment = RiskAssessment.objects.get(subject_type="enrolment", subject_id=enrolment.pk)

    answers = {f"answer-{item['code']}": "present" for item in instruments.items(spj.definition)}
    saved = client.post(url("risk:assessment_edit", assessment_id=assessment.pk),
                        {"version": assessment.version, "review": "1", **answers})
    assert saved.status_code == 302
    assessment.refresh_from_db()
    signing = client.get(url("risk:assessment_sign", assessment_id=assessment.pk))
    assert signing.status_code == 200
    signed = client.post(url("risk:assessment_sign", assessment_id=assessment.pk),
                         {"version": assessment.version, "judged_band": "moderate", "rationale": RATIONALE})
    assert signed.status_code == 302
    status = RiskStatus.objects.get(subject_type="enrolment", subject_id=enrolment.pk)
    assert (status.band, status.band_rank, status.assessment_id) == ("moderate", 1, assessment.pk)

    page = client.get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk)).content.decode()
    label = instruments.text(instruments.band(spj.definition, "moderate")["label"], "en", definition=spj.definition)
    assert label in page
    assert url("risk:subject_history", subject_type="enrolment", subject_id=enrolment.pk) in page
    history = client.get(url("risk:subject_history", subject_type="enrolment", subject_id=enrolment.pk))
    assert history.status_code == 200
    # The coordinator of the programme reaches it too.
    assert client_for(programme.coordinator).get(url("risk:assessment_edit", assessment_id=assessment.pk)).status_code == 200


def test_nobody_else_reaches_his_risk(network, programme, enrolment, spj):
    assessment = sign(programme.facilitator, enrolment, spj, "low")
    other = Programme("alt")
    for user in (programme.cofacilitator, programme.partner_worker, other.facilitator, other.coordinator, network.outsider,
                 network.superuser, network["caseworker"], network["facilitator"]):
        client = client_for(user)
        assert_denied(client.get(url("risk:assessment_start", subject_type="enrolment", subject_id=enrolment.pk)))
        assert_denied(client.post(url("risk:assessment_start", subject_type="enrolment", subject_id=enrolment.pk),
                                  {"instrument": spj.pk}))
        assert_denied(client.get(url("risk:assessment_edit", assessment_id=assessment.pk)))
        assert_denied(client.get(url("risk:subject_history", subject_type="enrolment", subject_id=enrolment.pk)))
        assert_denied(client.get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk)))
    assert RiskAssessment.objects.count() == 1


def test_a_higher_band_reaches_the_partner_support_service_at_once(programme, enrolment, spj):
    sign(programme.facilitator, enrolment, spj, "low")
    assert risk_raised_events() == []  # a first assessment below the top band: nothing rose
    sign(programme.facilitator, enrolment, spj, "moderate")
    assert len(risk_raised_events()) == 1
    sign(programme.facilitator, enrolment, spj, "moderate")
    sign(programme.facilitator, enrolment, spj, "low")
    assert len(risk_raised_events()) == 1  # the same band or a lower one: nothing new
    sign(programme.facilitator, enrolment, spj, "high")
    assert len(risk_raised_events()) == 2
    raised = AuditEvent.objects.filter(action="programmes.risk_raised").order_by("seq")
    assert [(e.detail["previous_rank"], e.detail["rank"]) for e in raised] == [(0, 1), (0, 2)]
    assert all(e.detail["reached"] == ["partner"] for e in raised)
    assert not any(RATIONALE in repr(e.detail) for e in AuditEvent.objects.all())


def test_a_first_assessment_in_the_top_band_reaches_the_partner_support_service(programme, enrolment, spj):
    sign(programme.coordinator, enrolment, spj, "high")
    assert len(risk_raised_events()) == 1


def test_without_a_partner_contact_nothing_is_sent_but_the_raise_is_audited(programme, spj):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    sign(programme.facilitator, enrolment, spj, "high")
    assert risk_raised_events() == []
    assert AuditEvent.objects.get(action="programmes.risk_raised").detail["reached"] == []


def test_a_correction_that_is_not_in_force_tells_no_one(programme, enrolment, spj):
    first = sign(programme.facilitator, enrolment, spj, "low")
    sign(programme.facilitator, enrolment, spj, "low")
    draft = risk_services.assessment_correct(by=programme.facilitator, assessment_id=first.pk)
    risk_services.assessment_sign(by=programme.facilitator, assessment_id=draft.pk, version=draft.version, judged_band="high",
                                  rationale=RATIONALE)
    assert risk_raised_events() == []  # history corrected; the band in force did not change


def test_the_risk_section_is_read_in_a_fixed_number_of_queries(programme, enrolment, spj, django_assert_max_num_queries):
    from rete.programmes.views import mandate as views

    def section():
        request = RequestFactory().get("/")
        request.user = programme.facilitator
        return views._risk_section(request, enrolment)

    with django_assert_max_num_queries(4):
        assert section()["risk_current"] is None
    for band in ("low", "moderate", "high", "low"):
        sign(programme.facilitator, enrolment, spj, band)
    risk_services.assessment_start(by=programme.facilitator, subject_type="enrolment", subject_id=enrolment.pk, instrument_id=spj.pk)
    with django_assert_max_num_queries(4):
        shown = section()
    assert shown["risk_status"].band == "low" and len(shown["risk_drafts"]) == 1 and shown["risk_actions"]


def test_the_risk_app_never_imports_the_programmes():
    risk = pathlib.Path(risk_services.__file__).resolve().parent
    for path in risk.rglob("*.py"):
        if "tests" in path.parts:
            continue
        assert "rete.programmes" not in path.read_text(encoding="utf-8"), path
