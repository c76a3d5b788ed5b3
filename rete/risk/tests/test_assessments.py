"""Assessments in a case: start, answer (saved as she goes), band, override, sign-off, mandated
actions, reassessment due dates and events, corrections; through the services and the pages."""
import datetime
import json
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rete.cases import services as case_services
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role
from rete.core.services import StaleEdit
from rete.risk import instruments, services
from rete.risk.models import ActionStatus, AssessmentStatus, RiskAction, RiskAssessment, RiskStatus
from rete.risk.services import RiskError
from rete.risk.tests import fixtures

REASON = "Zeta-reason-7741: she fears for her life"
RATIONALE = "Zeta-rationale-7742: escalation after separation"
NOTE = "Zeta-note-7743"


def load(name, **changes):
    definition = fixtures.definition(name)
    definition.update(changes)
    return services.instrument_load(definition=definition, source=fixtures.path(name).read_bytes())


def codes(instrument):
    return [item["code"] for item in instruments.items(instrument.definition)]


def start(user, case, instrument, subject_type="case"):
    return services.assessment_start(by=user, subject_type=subject_type, subject_id=case.pk, instrument_id=instrument.pk)


def answer(user, assessment, answers, notes=None):
    return services.assessment_save_answers(by=user, assessment_id=assessment.pk, version=assessment.version, answers=answers,
                                            item_notes=notes or {})


def answered(instrument, yes=(), default="no"):
    return {code: ("yes" if code in yes else default) for code in codes(instrument)}


@pytest.fixture
def worker(network):
    return network[Role.CASEWORKER]


@pytest.fixture
def case(network, worker):
    """A case of the home organisation: the caseworker on its team, the supervisor its supervisor."""
    case = open_case(worker, network.home)
    case.__class__.objects.filter(pk=case.pk).update(supervisor=network[Role.SUPERVISOR])
    return case


@pytest.fixture
def count24(db):
    return load("count-24")


@pytest.fixture
def perpetrator_subject():
    """A subject type assessed on the perpetrator (the case, seen through its own rule), for the
    structured-judgement instrument: cases themselves are assessed on her situation."""
    from rete.cases import selectors
    from rete.risk import subjects

    subjects.register_subject(subjects.SubjectType(
        code="test-perpetrator", get=lambda user, pk: selectors.case_get(user=user, pk=pk),
        url=lambda obj: reverse("cases:case_detail", kwargs={"pk": obj.pk}), assesses=("perpetrator",)))
    yield "test-perpetrator"
    subjects._types.pop("test-perpetrator", None)


def sign(user, assessment, version, **kwargs):
    return services.assessment_sign(by=user, assessment_id=assessment.pk, version=version, **kwargs)


# ---- the lifecycle, for every scoring kind ------------------------------------------------------


@pytest.mark.django_db
def test_sum_lifecycle_sets_band_actions_due_dates_and_status(worker, case, count24):
    assessment = start(worker, case, count24)
    assert assessment.status == AssessmentStatus.DRAFT and assessment.subject_reference == case.reference
    yes = codes(count24)[:14]
    version = answer(worker, assessment, answered(count24, yes))
    signed = sign(worker, assessment, version)
    assert (signed.status, signed.score, signed.computed_band, signed.band, signed.band_rank) == ("signed", 14.0, "high", "high", 1)
    assert signed.signed_by == worker and signed.override_band == ""
    assert signed.next_due_at == signed.signed_at + datetime.timedelta(days=7)
    actions = {a.code: a for a in RiskAction.objects.filter(assessment=signed)}
    assert set(actions) == {"risk-conference", "safety-plan"}
    assert actions["risk-conference"].due_at == signed.signed_at + datetime.timedelta(days=2)
    assert actions["safety-plan"].due_at == signed.signed_at + datetime.timedelta(days=1)
    assert all(a.status == ActionStatus.OPEN and a.subject_id == case.pk and a.organisation_id == case.organisation_id for a in actions.values())
    status = RiskStatus.objects.get(subject_type="case", subject_id=case.pk)
    assert (status.assessment_id, status.band, status.band_rank, status.band_is_top) == (signed.pk, "high", 1, True)
    assert status.next_due_at == signed.next_due_at and status.due_reason == "schedule" and status.reminder_sent_at is None


@pytest.mark.django_db
def test_a_later_assessment_replaces_the_status_and_earlier_actions_stay_open(worker, case, count24):
    first = start(worker, case, count24)
    first = sign(worker, first, answer(worker, first, answered(count24, codes(count24)[:20])))
    RiskStatus.objects.filter(subject_id=case.pk).update(reminder_sent_at=timezone.now())
    second = start(worker, case, count24)
    second = sign(worker, second, answer(worker, second, answered(count24)))
    status = RiskStatus.objects.get(subject_type="case", subject_id=case.pk)
    assert (status.assessment_id, status.band, status.band_is_top, status.reminder_sent_at) == (second.pk, "standard", False, None)
    assert status.next_due_at == second.signed_at + datetime.timedelta(days=60)
    assert RiskAction.objects.filter(assessment=first, status="open").count() == 2
    assert list(RiskAction.objects.filter(assessment=second).values_list("code", flat=True)) == ["safety-plan"]


@pytest.mark.django_db
def test_weighted_sum_uses_the_weights(worker, case):
    weighted = load("weighted-20")
    assessment = start(worker, case, weighted)
    # w04 (4) + w08 (4) + w03 (3) = 11: moderate; "unknown" counts with its value 0.
    answers = answered(weighted, {"w04", "w08", "w03"}, default="unknown")
    signed = sign(worker, assessment, answer(worker, assessment, answers))
    assert (signed.score, signed.band) == (11.0, "moderate")
    assert [a.code for a in signed.actions.all()] == ["safety-plan"]
    assert signed.next_due_at == signed.signed_at + datetime.timedelta(days=30)


@pytest.mark.django_db
@pytest.mark.parametrize("yes, band", [((), "not-triggered"), (("g2",), "triggered"), (("q04", "q05", "q06"), "not-triggered"),
                                       (("q04", "q05", "q06", "q07"), "triggered")])
def test_gate_or_count_any_gate_or_four_of_the_rest(worker, case, yes, band):
    gate = load("gate-11")
    assessment = start(worker, case, gate)
    signed = sign(worker, assessment, answer(worker, assessment, answered(gate, yes)))
    assert signed.band == band
    assert RiskAction.objects.filter(assessment=signed).count() == (1 if band == "triggered" else 0)
    if band == "triggered":
        action = signed.actions.get()
        assert action.due_at == signed.signed_at + datetime.timedelta(hours=1) and action.agency == "police"


@pytest.mark.django_db
def test_judgement_needs_the_judged_band_and_a_rationale(worker, case, perpetrator_subject):
    judgement = load("judgement-20")
    assessment = start(worker, case, judgement, subject_type=perpetrator_subject)
    version = answer(worker, assessment, {code: "partly" for code in codes(judgement)}, notes={codes(judgement)[0]: NOTE})
    with pytest.raises(RiskError) as refused:
        sign(worker, assessment, version, rationale=RATIONALE)
    assert refused.value.field == "judged_band"
    with pytest.raises(RiskError) as refused:
        sign(worker, assessment, version, judged_band="high", rationale="short")
    assert refused.value.field == "rationale"
    signed = sign(worker, assessment, version, judged_band="high", rationale=RATIONALE)
    assert (signed.score, signed.computed_band, signed.band, signed.band_rank, signed.rationale) == (None, "high", "high", 2, RATIONALE)
    assert sorted(signed.actions.values_list("code", flat=True)) == ["inform-partner-support", "risk-conference"]
    assert signed.item_notes == {codes(judgement)[0]: NOTE}


@pytest.mark.django_db
def test_a_case_is_not_assessed_with_a_perpetrator_instrument_nor_another_organisations(network, worker, case):
    judgement = load("judgement-20")
    private = load("gate-11", code="other-private-gate")
    from rete.risk.models import Instrument

    Instrument.objects.filter(pk=private.pk).update(organisation=network.other)
    for instrument_id in (judgement.pk, private.pk, "nonsense", 999999):
        with pytest.raises(RiskError):
            services.assessment_start(by=worker, subject_type="case", subject_id=case.pk, instrument_id=instrument_id)
    assert not RiskAssessment.objects.exists()


# ---- override, missing answers, stale versions -----------------------------------------------------


@pytest.mark.django_db
def test_override_only_raises_the_band_and_needs_a_reason(worker, case, count24):
    assessment = start(worker, case, count24)
    version = answer(worker, assessment, answered(count24, codes(count24)[:3]))
    for band, reason, field in [("standard", REASON, "override_band"), ("nonsense", REASON, "override_band"),
                                ("high", "", "override_reason"), ("high", "too short", "override_reason"), ("", REASON, "override_band")]:
        with pytest.raises(RiskError) as refused:
            sign(worker, assessment, version, override_band=band, override_reason=reason)
        assert refused.value.field == field
    assert RiskAssessment.objects.get(pk=assessment.pk).status == "draft"
    signed = sign(worker, assessment, version, override_band="high", override_reason=REASON)
    assert (signed.score, signed.computed_band, signed.override_band, signed.band, signed.band_rank) == (3.0, "standard", "high", "high", 1)
    assert signed.override_reason == REASON
    assert sorted(signed.actions.values_list("code", flat=True)) == ["risk-conference", "safety-plan"]
    assert RiskStatus.objects.get(subject_id=case.pk).band == "high"


@pytest.mark.django_db
def test_the_top_band_cannot_be_raised(worker, case, count24):
    assessment = start(worker, case, count24)
    version = answer(worker, assessment, answered(count24, codes(count24)))
    with pytest.raises(RiskError):
        sign(worker, assessment, version, override_band="high", override_reason=REASON)


@pytest.mark.django_db
def test_missing_answers_are_refused_by_name(worker, case, count24):
    assessment = start(worker, case, count24)
    answers = answered(count24)
    del answers["c05"], answers["c17"]
    version = answer(worker, assessment, answers)
    with pytest.raises(RiskError) as refused:
        sign(worker, assessment, version)
    assert refused.value.missing == ["c05", "c17"]
    assert "Counted question 5" in refused.value.message and "Counted question 17" in refused.value.message
    assert not RiskAction.objects.exists() and not RiskStatus.objects.exists()


@pytest.mark.django_db
def test_unknown_codes_are_refused(worker, case, count24):
    assessment = start(worker, case, count24)
    for answers in ({"nope": "yes"}, {"c01": "maybe"}):
        with pytest.raises(RiskError):
            answer(worker, assessment, answers)
    with pytest.raises(RiskError):
        answer(worker, assessment, {}, notes={"nope": "text"})


@pytest.mark.django_db
def test_a_stale_version_is_refused(worker, case, count24):
    assessment = start(worker, case, count24)
    answer(worker, assessment, {"c01": "yes"})
    with pytest.raises(StaleEdit):
        answer(worker, assessment, {"c01": "no"})
    with pytest.raises(StaleEdit):
        sign(worker, assessment, assessment.version)
    assert RiskAssessment.objects.get(pk=assessment.pk).answers == {"c01": "yes"}


# ---- immutability and corrections ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_assessment_never_changes_and_a_correction_is_a_linked_draft(network, worker, case, count24):
    assessment = start(worker, case, count24)
    signed = sign(worker, assessment, answer(worker, assessment, answered(count24, codes(count24)[:14])))
    before = RiskAssessment.objects.filter(pk=signed.pk).values().get()
    with pytest.raises(RiskError):
        services.assessment_save_answers(by=worker, assessment_id=signed.pk, version=signed.version, answers=answered(count24))
    with pytest.raises(RiskError):
        sign(worker, signed, signed.version)
    correction = services.assessment_correct(by=worker, assessment_id=signed.pk)
    assert (correction.status, correction.corrects_id, correction.instrument_id) == ("draft", signed.pk, count24.pk)
    assert correction.answers == signed.answers
    assert services.assessment_correct(by=worker, assessment_id=signed.pk).pk == correction.pk  # the same open draft
    with pytest.raises(RiskError):
        services.assessment_correct(by=worker, assessment_id=correction.pk)  # a draft is changed, not corrected
    version = answer(worker, correction, answered(count24, codes(count24)[:2]))
    corrected = sign(worker, correction, version)
    assert RiskAssessment.objects.filter(pk=signed.pk).values().get() == before
    status = RiskStatus.objects.get(subject_id=case.pk)
    assert (status.assessment_id, status.band) == (corrected.pk, "standard")
    with pytest.raises(RiskError):
        services.assessment_correct(by=worker, assessment_id=signed.pk)  # corrected already: correct the correction


@pytest.mark.django_db
def test_correcting_an_older_assessment_leaves_the_newer_one_in_force(worker, case, count24):
    old = start(worker, case, count24)
    old = sign(worker, old, answer(worker, old, answered(count24)))
    newer = start(worker, case, count24)
    newer = sign(worker, newer, answer(worker, newer, answered(count24, codes(count24)[:15])))
    correction = services.assessment_correct(by=worker, assessment_id=old.pk)
    sign(worker, correction, correction.version)
    assert RiskStatus.objects.get(subject_id=case.pk).assessment_id == newer.pk


# ---- actions -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_actions_are_done_or_cancelled_with_a_note(worker, case, count24):
    assessment = start(worker, case, count24)
    signed = sign(worker, assessment, answer(worker, assessment, answered(count24, codes(count24))))
    first, second = signed.actions.order_by("pk")
    done = services.action_complete(by=worker, action_id=first.pk, status="done")
    assert (done.status, done.completed_by, done.completed_at is not None) == ("done", worker, True)
    with pytest.raises(RiskError):
        services.action_complete(by=worker, action_id=first.pk, status="cancelled", note=NOTE)
    with pytest.raises(RiskError):
        services.action_complete(by=worker, action_id=second.pk, status="cancelled")
    with pytest.raises(RiskError):
        services.action_complete(by=worker, action_id=second.pk, status="open")
    cancelled = services.action_complete(by=worker, action_id=second.pk, status="cancelled", note=NOTE)
    assert (cancelled.status, cancelled.note) == ("cancelled", NOTE)


# ---- events that make a reassessment due ------------------------------------------------------------


@pytest.mark.django_db
def test_an_event_makes_a_reassessment_due_only_when_the_instrument_lists_it(worker, case):
    gate = load("gate-11")  # reassess_on: [new_incident]
    assert services.subject_event(by=worker, subject_type="case", subject_id=case.pk, event="new_incident") is None
    assessment = start(worker, case, gate)
    signed = sign(worker, assessment, answer(worker, assessment, answered(gate)))
    RiskStatus.objects.filter(subject_id=case.pk).update(reminder_sent_at=timezone.now())
    assert services.subject_event(by=worker, subject_type="case", subject_id=case.pk, event="separation") is False
    status = RiskStatus.objects.get(subject_id=case.pk)
    assert (status.next_due_at, status.due_reason) == (signed.next_due_at, "schedule")
    before = timezone.now()
    assert services.subject_event(by=worker, subject_type="case", subject_id=case.pk, event="new_incident") is True
    status = RiskStatus.objects.get(subject_id=case.pk)
    assert before <= status.next_due_at <= timezone.now() and status.due_reason == "new_incident" and status.reminder_sent_at is None
    with pytest.raises(RiskError):
        services.subject_event(by=worker, subject_type="case", subject_id=case.pk, event="schedule")
    events = list(AuditEvent.objects.filter(action__in=["risk.reassessment_due", "risk.event_recorded"]).order_by("seq")
                  .values_list("action", "detail"))
    assert [(a, d["event"], d["due"]) for a, d in events] == [("risk.event_recorded", "separation", False),
                                                              ("risk.reassessment_due", "new_incident", True)]


@pytest.mark.django_db
def test_an_overdue_reassessment_keeps_its_earlier_date_after_an_event(worker, case, count24):
    assessment = start(worker, case, count24)
    sign(worker, assessment, answer(worker, assessment, answered(count24)))
    long_ago = timezone.now() - datetime.timedelta(days=5)
    RiskStatus.objects.filter(subject_id=case.pk).update(next_due_at=long_ago)
    services.subject_event(by=worker, subject_type="case", subject_id=case.pk, event="separation")
    status = RiskStatus.objects.get(subject_id=case.pk)
    assert (status.next_due_at, status.due_reason) == (long_ago, "separation")


@pytest.mark.django_db
def test_recording_an_incident_or_a_breached_order_makes_the_reassessment_due(worker, case, count24):
    assessment = start(worker, case, count24)
    sign(worker, assessment, answer(worker, assessment, answered(count24)))
    today = timezone.localdate()
    case_services.incident_record(by=worker, case=case, incident_date=today, reported_on=today, place_type="home",
                                  gbv_type="physical_assault", context_flags=[], narrative="", reported_to_police=False, injuries=False,
                                  medical_care=False)
    status = RiskStatus.objects.get(subject_id=case.pk)
    assert status.due_reason == "new_incident" and status.next_due_at <= timezone.now()
    RiskStatus.objects.filter(pk=status.pk).update(next_due_at=timezone.now() + datetime.timedelta(days=9), due_reason="schedule")
    order = case_services.order_add(by=worker, case=case, kind="protection", court="Court", court_reference="", status="granted",
                                    applied_on=today, issued_on=today, expires_on=None, conditions="")
    assert RiskStatus.objects.get(pk=status.pk).due_reason == "schedule"
    case_services.order_update(by=worker, case=case, order_id=order.pk, version=order.version, kind="protection", court="Court",
                               court_reference="", status="breached", applied_on=today, issued_on=today, expires_on=None, conditions="")
    status = RiskStatus.objects.get(pk=status.pk)
    assert status.due_reason == "order_breach" and status.next_due_at <= timezone.now()


# ---- the pages -----------------------------------------------------------------------------------------


def radios(body, name):
    return re.findall(rf'<input type="radio" name="{re.escape(name)}"[^>]*>', body)


@pytest.mark.django_db
def test_the_whole_flow_through_the_pages(worker, case, count24):
    client = client_for(worker)
    page = client.get(url("risk:assessment_start", subject_type="case", subject_id=case.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Test count (24 items)" in body or count24.definition["title"]["en"] in body
    assert "Invented for Rete" in body  # the licence note
    assert client.post(url("risk:assessment_start", subject_type="case", subject_id=case.pk), {}).status_code == 400
    response = client.post(url("risk:assessment_start", subject_type="case", subject_id=case.pk), {"instrument": count24.pk})
    assessment = RiskAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == url("risk:assessment_edit", assessment_id=assessment.pk)

    edit = client.get(url("risk:assessment_edit", assessment_id=assessment.pk)).content.decode()
    assert edit.count("<fieldset") == 24 and edit.count("<legend>") == 24
    assert len(radios(edit, "answer-c01")) == 3
    assert f'data-autosave-url="{url("risk:assessment_autosave", assessment_id=assessment.pk)}"' in edit
    assert "data-autosave-status" in edit

    data = {"version": assessment.version, **{f"answer-{c}": "yes" for c in codes(count24)[:15]}, "save": "1"}
    response = client.post(url("risk:assessment_edit", assessment_id=assessment.pk), data)
    assert response.status_code == 302
    edit = client.get(url("risk:assessment_edit", assessment_id=assessment.pk)).content.decode()
    assert "15 of 24 questions answered" in edit and "High" in edit  # the band so far, computed on the server
    assert any("checked" in tag for tag in radios(edit, "answer-c01"))

    # "Review and sign" with questions still open: the sign-off page names them, with links.
    data = {"version": RiskAssessment.objects.get().version, **{f"answer-{c}": "yes" for c in codes(count24)[:15]}, "review": "1"}
    response = client.post(url("risk:assessment_edit", assessment_id=assessment.pk), data)
    assert response["Location"] == url("risk:assessment_sign", assessment_id=assessment.pk)
    sign_page = client.get(response["Location"]).content.decode()
    assert "9 questions are not answered yet" in sign_page and f"#item-c16" in sign_page
    version = RiskAssessment.objects.get().version
    refused = client.post(url("risk:assessment_sign", assessment_id=assessment.pk), {"version": version})
    assert refused.status_code == 400 and "Still unanswered" in refused.content.decode()

    data = {"version": version, **{f"answer-{c}": ("yes" if n < 3 else "no") for n, c in enumerate(codes(count24))}, "review": "1"}
    assert client.post(url("risk:assessment_edit", assessment_id=assessment.pk), data).status_code == 302
    sign_page = client.get(url("risk:assessment_sign", assessment_id=assessment.pk)).content.decode()
    assert "Standard" in sign_page and '<option value="high">' in sign_page and '<option value="standard">' not in sign_page
    version = RiskAssessment.objects.get().version
    refused = client.post(url("risk:assessment_sign", assessment_id=assessment.pk), {"version": version, "override_band": "high"})
    assert refused.status_code == 400 and '<option value="high" selected>' in refused.content.decode()
    response = client.post(url("risk:assessment_sign", assessment_id=assessment.pk),
                           {"version": version, "override_band": "high", "override_reason": REASON})
    assert response.status_code == 302 and response["Location"] == url("risk:assessment_edit", assessment_id=assessment.pk)
    shown = client.get(response["Location"]).content.decode()
    assert "Signed off" in shown and "computed: Standard" in shown and REASON in shown
    assert "Refer to the risk conference" in shown and "Correct this assessment" in shown
    # Signed: a POST to the form is refused, and the sign-off page sends her back.
    assert client.post(url("risk:assessment_edit", assessment_id=assessment.pk), data).status_code == 400
    assert client.get(url("risk:assessment_sign", assessment_id=assessment.pk)).status_code == 302

    # The case page: band, overridden from, next reassessment, open actions, links.
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Risk assessment" in page and "computed: Standard" in page and "Refer to the risk conference" in page
    assert url("risk:assessment_start", subject_type="case", subject_id=case.pk) in page
    assert url("risk:event_record", subject_type="case", subject_id=case.pk) in page
    assert url("risk:subject_history", subject_type="case", subject_id=case.pk) in page

    # Actions: done, or no longer needed with a note.
    action = RiskAction.objects.filter(assessment=assessment).order_by("pk").first()
    refused = client.post(url("risk:action_update", action_id=action.pk), {"status": "cancelled"})
    assert refused.status_code == 400
    response = client.post(url("risk:action_update", action_id=action.pk), {"status": "done"})
    assert response.status_code == 302 and RiskAction.objects.get(pk=action.pk).status == "done"

    # A correction starts from the same answers.
    response = client.post(url("risk:assessment_correct", assessment_id=assessment.pk))
    correction = RiskAssessment.objects.get(corrects=assessment)
    assert response["Location"] == url("risk:assessment_edit", assessment_id=correction.pk)
    assert "This is a correction" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_judgement_instrument_through_the_pages(worker, case, perpetrator_subject):
    judgement = load("judgement-20")
    client = client_for(worker)
    response = client.post(url("risk:assessment_start", subject_type=perpetrator_subject, subject_id=case.pk), {"instrument": judgement.pk})
    assessment = RiskAssessment.objects.get()
    edit = client.get(response["Location"]).content.decode()
    assert 'name="note-f01"' in edit or f'name="note-{codes(judgement)[0]}"' in edit
    data = {"version": assessment.version, **{f"answer-{c}": "present" for c in codes(judgement)}, f"note-{codes(judgement)[0]}": NOTE,
            "review": "1"}
    assert client.post(url("risk:assessment_edit", assessment_id=assessment.pk), data).status_code == 302
    sign_page = client.get(url("risk:assessment_sign", assessment_id=assessment.pk)).content.decode()
    assert 'name="judged_band"' in sign_page and 'name="rationale"' in sign_page and 'name="override_band"' not in sign_page
    version = RiskAssessment.objects.get().version
    assert client.post(url("risk:assessment_sign", assessment_id=assessment.pk), {"version": version, "judged_band": "medium"}).status_code == 400
    response = client.post(url("risk:assessment_sign", assessment_id=assessment.pk),
                           {"version": version, "judged_band": "medium", "rationale": RATIONALE})
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert RATIONALE in shown and NOTE in shown and "Inform the partner-support worker" in shown


@pytest.mark.django_db
def test_autosave_saves_as_she_goes_and_a_colleagues_save_makes_hers_stale(network, worker, case, count24):
    assessment = start(worker, case, count24)
    client = client_for(worker)
    autosave = url("risk:assessment_autosave", assessment_id=assessment.pk)
    opened = assessment.version
    assert client.post(autosave, {"version": opened, "answer-c01": "yes"}).status_code == 204
    # The page still carries the version it was opened with: her next saves go through.
    assert client.post(autosave, {"version": opened, "answer-c01": "yes", "answer-c02": "no"}).status_code == 204
    assert RiskAssessment.objects.get().answers == {"c01": "yes", "c02": "no"}
    response = client.post(url("risk:assessment_edit", assessment_id=assessment.pk),
                           {"version": opened, "answer-c01": "yes", "answer-c02": "yes", "save": "1"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="risk.assessment_saved").count() == 1  # autosaves are not audited
    assert client.post(autosave, {"version": opened, "answer-c01": "maybe"}).status_code == 400
    assert client.post(autosave, {"answer-c01": "yes"}).status_code == 400

    # A colleague (the supervisor) saves meanwhile: her autosave fails, her save shows both versions.
    current = RiskAssessment.objects.get()
    services.assessment_save_answers(by=network[Role.SUPERVISOR], assessment_id=current.pk, version=current.version,
                                     answers={"c01": "no"})
    assert client.post(autosave, {"version": opened, "answer-c01": "yes"}).status_code == 409
    response = client.post(url("risk:assessment_edit", assessment_id=assessment.pk),
                           {"version": opened, "answer-c01": "unknown", "save": "1"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this record" in body and "Not known" in body
    assert RiskAssessment.objects.get().answers == {"c01": "no"}
    # Her entries stay in the form, with the saved version: saving again keeps hers, knowingly.
    fresh_version = RiskAssessment.objects.get().version
    assert f'name="version" value="{fresh_version}"' in body
    assert any("checked" in tag and "unknown" in tag for tag in radios(body, "answer-c01"))
    response = client.post(url("risk:assessment_edit", assessment_id=assessment.pk),
                           {"version": fresh_version, "answer-c01": "unknown", "save": "1"})
    assert response.status_code == 302 and RiskAssessment.objects.get().answers == {"c01": "unknown"}


@pytest.mark.django_db
def test_signing_a_stale_review_answers_409_with_both_versions(network, worker, case, count24):
    assessment = start(worker, case, count24)
    version = answer(worker, assessment, answered(count24))
    client = client_for(worker)
    page = client.get(url("risk:assessment_sign", assessment_id=assessment.pk)).content.decode()
    assert f'name="version" value="{version}"' in page
    services.assessment_save_answers(by=network[Role.SUPERVISOR], assessment_id=assessment.pk, version=version,
                                     answers=answered(count24, codes(count24)[:16]))
    response = client.post(url("risk:assessment_sign", assessment_id=assessment.pk),
                           {"version": version, "reviewed_band": "standard", "reviewed_score": "0", "reviewed_answered": "24"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this record" in body and "Standard" in body and "High" in body
    assert RiskAssessment.objects.get().status == "draft"


@pytest.mark.django_db
def test_the_something_changed_form(worker, case, count24):
    client = client_for(worker)
    event_url = url("risk:event_record", subject_type="case", subject_id=case.pk)
    assert client.post(event_url, {"event": "new_incident"}).status_code == 400  # recorded from the case file itself
    assert client.post(event_url, {}).status_code == 400
    assessment = start(worker, case, count24)
    sign(worker, assessment, answer(worker, assessment, answered(count24)))
    response = client.post(event_url, {"event": "perpetrator_release"})
    assert response.status_code == 302 and response["Location"] == url("cases:case_detail", pk=case.pk)
    assert RiskStatus.objects.get(subject_id=case.pk).due_reason == "perpetrator_release"
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "due because of: The perpetrator" in page and "overdue" in page


# ---- need to know ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_organisations_caseworker_gets_404_everywhere(network, worker, case, count24):
    signed = start(worker, case, count24)
    signed = sign(worker, signed, answer(worker, signed, answered(count24, codes(count24))))
    draft = start(worker, case, count24)
    action = signed.actions.first()
    for person in (network["other_caseworker"], network["other_supervisor"], network[Role.POLICE_OFFICER], network.outsider):
        client = client_for(person)
        for name, kwargs in [("risk:assessment_start", {"subject_type": "case", "subject_id": case.pk}),
                             ("risk:assessment_edit", {"assessment_id": draft.pk}), ("risk:assessment_edit", {"assessment_id": signed.pk}),
                             ("risk:assessment_sign", {"assessment_id": draft.pk})]:
            assert_denied(client.get(url(name, **kwargs)))
            assert_denied(client.post(url(name, **kwargs), {"version": 1, "instrument": count24.pk, "answer-c01": "yes"}))
        for name, kwargs in [("risk:assessment_autosave", {"assessment_id": draft.pk}),
                             ("risk:assessment_correct", {"assessment_id": signed.pk}),
                             ("risk:action_update", {"action_id": action.pk}),
                             ("risk:event_record", {"subject_type": "case", "subject_id": case.pk})]:
            assert_denied(client.post(url(name, **kwargs), {"version": 1, "status": "done", "event": "separation"}))
    # Nothing changed.
    assert RiskAssessment.objects.get(pk=draft.pk).answers == {} and RiskAction.objects.get(pk=action.pk).status == "open"
    assert RiskAssessment.objects.count() == 2 and RiskStatus.objects.get().due_reason == "schedule"
    with pytest.raises(Exception) as refused:
        services.assessment_save_answers(by=network["other_caseworker"], assessment_id=draft.pk, version=draft.version, answers={})
    assert refused.type.__name__ == "Http404"
    # Unknown subject types and missing records: the same 404.
    client = client_for(worker)
    assert_denied(client.get(url("risk:assessment_start", subject_type="nothing", subject_id=case.pk)))
    assert_denied(client.get(url("risk:assessment_edit", assessment_id=999999)))


@pytest.mark.django_db
def test_a_caseworker_taken_off_the_team_loses_the_assessment_at_once(network, worker, case, count24):
    from rete.cases.models import CaseAssignment

    draft = start(worker, case, count24)
    client = client_for(worker)
    assert client.get(url("risk:assessment_edit", assessment_id=draft.pk)).status_code == 200
    CaseAssignment.objects.filter(case=case, user=worker).update(ended_at=timezone.now())
    assert_denied(client.get(url("risk:assessment_edit", assessment_id=draft.pk)))


# ---- data protection: encryption and audit ------------------------------------------------------------


@pytest.mark.django_db
def test_answers_notes_and_reasons_are_encrypted_in_the_database(worker, case, count24):
    assessment = start(worker, case, count24)
    version = answer(worker, assessment, answered(count24, codes(count24)[:2]), notes={"c01": NOTE})
    signed = sign(worker, assessment, version, override_band="high", override_reason=REASON)
    services.action_complete(by=worker, action_id=signed.actions.first().pk, status="cancelled", note=NOTE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers, item_notes, override_reason FROM risk_riskassessment WHERE id = %s", [signed.pk])
        row = cursor.fetchone()
        cursor.execute("SELECT note FROM risk_riskaction")
        notes = [r[0] for r in cursor.fetchall()]
    raw = " ".join(row + tuple(notes))
    assert all(value.startswith("fernet:") for value in row)
    for clear in ("c01", "c24", '"yes"', NOTE, REASON):
        assert clear not in raw


@pytest.mark.django_db
def test_every_step_is_audited_without_answers_notes_or_reasons(worker, case, count24, perpetrator_subject):
    assessment = start(worker, case, count24)
    client = client_for(worker)
    client.get(url("risk:assessment_edit", assessment_id=assessment.pk))
    version = answer(worker, assessment, answered(count24, codes(count24)[:2]), notes={"c01": NOTE})
    signed = sign(worker, assessment, version, override_band="high", override_reason=REASON)
    services.action_complete(by=worker, action_id=signed.actions.first().pk, status="cancelled", note=NOTE)
    services.assessment_correct(by=worker, assessment_id=signed.pk)
    services.subject_event(by=worker, subject_type="case", subject_id=case.pk, event="separation")
    judgement = load("judgement-20")
    other = start(worker, case, judgement, subject_type=perpetrator_subject)
    sign(worker, other, answer(worker, other, {c: "absent" for c in codes(judgement)}), judged_band="low", rationale=RATIONALE)
    events = list(AuditEvent.objects.filter(action__startswith="risk.").order_by("seq"))
    actions = [e.action for e in events]
    for expected in ("risk.assessment_started", "risk.assessment_viewed", "risk.assessment_saved", "risk.assessment_signed",
                     "risk.action_completed", "risk.correction_started", "risk.reassessment_due"):
        assert expected in actions
    signed_event = next(e for e in events if e.action == "risk.assessment_signed")
    assert signed_event.detail["computed_band"] == "standard" and signed_event.detail["band"] == "high"
    assert signed_event.detail["overridden"] is True and signed_event.detail["instrument"] == "test-count-24"
    dumped = json.dumps([e.detail for e in events])
    for secret in (NOTE, REASON, RATIONALE, "Zeta", '"c01"', '"yes"', "answers"):
        assert secret not in dumped


# ---- bounded queries ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_assessment_and_case_pages_run_a_bounded_number_of_queries(django_assert_max_num_queries, worker, case, count24):
    client = client_for(worker)
    client.get(url("cases:case_detail", pk=case.pk))  # warm caches (sessions, content types)

    def case_page_queries():
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as captured:
            assert client.get(url("cases:case_detail", pk=case.pk)).status_code == 200
        return len(captured)

    first = start(worker, case, count24)
    sign(worker, first, answer(worker, first, answered(count24, codes(count24))))
    start(worker, case, count24)
    one = case_page_queries()
    for n in range(6):
        extra = start(worker, case, count24)
        sign(worker, extra, answer(worker, extra, answered(count24, codes(count24)[:14 + n % 2 * 10])))
        start(worker, case, count24)
    assert RiskAction.objects.count() > 10 and RiskAssessment.objects.filter(status="draft").count() == 7
    assert case_page_queries() == one

    last = RiskAssessment.objects.filter(status="signed").order_by("-pk").first()
    with django_assert_max_num_queries(25):
        assert client.get(url("risk:assessment_edit", assessment_id=last.pk)).status_code == 200
    draft = RiskAssessment.objects.filter(status="draft").order_by("-pk").first()
    with django_assert_max_num_queries(25):
        assert client.get(url("risk:assessment_edit", assessment_id=draft.pk)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url("risk:assessment_sign", assessment_id=draft.pk)).status_code == 200
