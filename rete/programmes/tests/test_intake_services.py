"""The enrolment's life in services.enrolments (part "intake"): the enquiry (adults only, his own
request, duplicates by blind index), the changes of state (only the allowed ones, each with its
reason; his own request before the assessment; a pathway before the programme; the decision
states only through the suitability decision), his details (versioned), the people working with
him (never someone without a programme role, never someone on the partner-support side) and the
audit trail (ids and codes only)."""
import datetime

import pytest
from django.utils import timezone

from rete.conftest import make_user
from rete.core.models import AuditEvent, Membership, Role
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import states
from rete.programmes.models import EnrolmentStaff, EnrolmentState, StaffRole, StateChange
from rete.programmes.selectors import enrolments as selectors
from rete.programmes.selectors import intake as intake_selectors
from rete.programmes.services import enrolments as services
from rete.programmes.services.intake import enrolment_record_view
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db
S = EnrolmentState


@pytest.fixture
def programme(network):
    return Programme()


def enquiry(programme, *, by=None, **person):
    values = {"given_name": "Bruno", "family_name": "Esposito", "birth_year": 1975, **person}
    return services.enquiry_record(by=by or programme.facilitator, organisation=programme.organisation, source="court_165",
                                   participant=values, referrer_body="Tribunale di Esempio", enquiry_note="Asked about the groups.")


def transition(enrolment, by, to_state, reason="For the test."):
    enrolment.refresh_from_db()
    return services.enrolment_transition(by=by, enrolment=enrolment, to_state=to_state, reason=reason, version=enrolment.version)


def audit_details():
    return str(list(AuditEvent.objects.values_list("action", "detail")))


# ---- the enquiry -------------------------------------------------------------------------------


def test_an_enquiry_opens_an_enrolment_with_its_case_manager(programme):
    enrolment = enquiry(programme, phone="+39 333 123 4567")
    assert enrolment.state == S.ENQUIRY and enrolment.reference.startswith("PROG-P")
    assert enrolment.own_request_on is None
    staff = selectors.enrolment_staff(enrolment=enrolment)
    assert [(row.user, row.role) for row in staff] == [(programme.facilitator, StaffRole.CASE_MANAGER)]
    assert StateChange.objects.get(enrolment=enrolment).to_state == S.ENQUIRY
    event = AuditEvent.objects.get(action="programmes.enquiry_recorded")
    assert event.detail == {"enrolment": enrolment.pk, "source": "court_165", "own_request": False}
    assert "Bruno" not in audit_details() and "Esposito" not in audit_details() and "groups" not in audit_details()


def test_the_enquiry_is_for_people_who_work_with_men_at_the_programme(network, programme):
    for user in (network["caseworker"], programme.partner_worker, network["facilitator"], network.outsider):
        with pytest.raises(Exception) as refused:
            enquiry(programme, by=user)
        assert refused.type.__name__ == "Http404"


@pytest.mark.parametrize("person, field", [
    ({"birth_year": None, "date_of_birth": "2010-05-01"}, "date_of_birth"),
    ({"birth_year": timezone.localdate().year - 17}, "birth_year"),
    ({"given_name": " "}, "given_name"),
    ({"birth_year": None, "date_of_birth": "1 May 1980"}, "date_of_birth"),
])
def test_the_enquiry_refuses_a_minor_and_bad_details(programme, person, field):
    with pytest.raises(ServiceError) as refused:
        enquiry(programme, **person)
    assert refused.value.field == field
    if field in ("date_of_birth", "birth_year") and "May" not in str(person.get("date_of_birth")):
        assert "adults only" in refused.value.message
    assert not StateChange.objects.exists()


def test_an_adult_born_eighteen_years_ago_today_is_taken(programme):
    today = timezone.localdate()
    born = today.replace(year=today.year - 18) if not (today.month == 2 and today.day == 29) else today.replace(year=today.year - 18, day=28)
    enrolment = enquiry(programme, birth_year=None, date_of_birth=born.isoformat())
    assert enrolment.participant.birth_year == born.year


def test_the_enquiry_refuses_a_first_contact_in_the_future_and_a_request_dated_ahead(programme):
    with pytest.raises(ServiceError) as refused:
        services.enquiry_record(by=programme.facilitator, organisation=programme.organisation, source="self",
                                participant={"given_name": "Ugo"}, enquiry_at=timezone.now() + datetime.timedelta(days=1))
    assert refused.value.field == "enquiry_at"
    with pytest.raises(ServiceError) as refused:
        services.enquiry_record(by=programme.facilitator, organisation=programme.organisation, source="self",
                                participant={"given_name": "Ugo"}, own_request_on=timezone.localdate() + datetime.timedelta(days=1))
    assert refused.value.field == "own_request_on"
    with pytest.raises(ServiceError) as refused:
        services.enquiry_record(by=programme.facilitator, organisation=programme.organisation, source="nobody",
                                participant={"given_name": "Ugo"})
    assert refused.value.field == "source"


def test_duplicates_are_found_by_name_and_year_and_by_phone(programme):
    first = enquiry(programme, phone="333 123 4567")
    org = programme.organisation
    # The same man, his name typed differently (case, accents, spaces), the same year.
    by_name = selectors.participant_duplicates(organisation=org, given_name="  bruno ", family_name="ESPOSITO", birth_year=1975)
    assert [e.pk for e in by_name] == [first.pk]
    # Another year of birth: not the same man by name.
    assert selectors.participant_duplicates(organisation=org, given_name="Bruno", family_name="Esposito", birth_year=1976) == []
    # The same phone, written otherwise, under another name.
    by_phone = selectors.participant_duplicates(organisation=org, given_name="Carlo", phone="(333) 123-4567")
    assert [e.pk for e in by_phone] == [first.pk]
    # Another programme never sees him.
    other = Programme("altro")
    assert selectors.participant_duplicates(organisation=other.organisation, given_name="Bruno", family_name="Esposito",
                                            birth_year=1975, phone="333 123 4567") == []


def test_the_duplicate_warning_says_what_matched_and_whether_she_may_open_it(programme):
    first = enquiry(programme, phone="333 123 4567")
    org = programme.organisation
    found = intake_selectors.enquiry_duplicates(user=programme.facilitator, organisation=org, given_name="Bruno",
                                                family_name="Esposito", birth_year=1975, phone="333 123 4567")
    assert found == [{"pk": first.pk, "reference": first.reference, "state": "Enquiry", "enquiry_at": first.enquiry_at,
                      "visible": True, "same_name": True, "same_phone": True}]
    # Her colleague is not on his staff: told of the match, but not given the way in.
    found = intake_selectors.enquiry_duplicates(user=programme.cofacilitator, organisation=org, given_name="Other",
                                                phone="3331234567")
    assert [(d["reference"], d["visible"], d["same_name"], d["same_phone"]) for d in found] == [(first.reference, False, False, True)]
    assert intake_selectors.enquiry_duplicates(user=programme.coordinator, organisation=org, given_name="Nobody") == []


# ---- his own request and the information contact ----------------------------------------------------


def test_own_request_and_information_contact(programme):
    enrolment = enquiry(programme)
    today = timezone.localdate()
    with pytest.raises(ServiceError) as refused:
        services.own_request_record(by=programme.facilitator, enrolment=enrolment, on=today + datetime.timedelta(days=1))
    assert refused.value.field == "own_request_on"
    with pytest.raises(ServiceError):
        services.own_request_record(by=programme.facilitator, enrolment=enrolment, on=None)
    services.own_request_record(by=programme.facilitator, enrolment=enrolment, on=today, note="I want to stop shouting.",
                                version=enrolment.version)
    with pytest.raises(StaleEdit):
        services.own_request_record(by=programme.facilitator, enrolment=enrolment, on=today, version=enrolment.version)
    with pytest.raises(ServiceError) as refused:
        services.information_contact_record(by=programme.facilitator, enrolment=enrolment, on=today + datetime.timedelta(days=1))
    assert refused.value.field == "information_contact_on"
    enrolment.refresh_from_db()
    services.information_contact_record(by=programme.facilitator, enrolment=enrolment, on=today, version=enrolment.version)
    enrolment.refresh_from_db()
    assert enrolment.state == S.INFORMATION and enrolment.information_contact_on == today
    assert enrolment.own_request_note == "I want to stop shouting."
    assert "shouting" not in audit_details()
    assert AuditEvent.objects.filter(action="programmes.own_request_recorded").count() == 1
    # Someone who does not work with him reaches nothing.
    with pytest.raises(Exception) as refused:
        services.own_request_record(by=programme.cofacilitator, enrolment=enrolment, on=today)
    assert refused.type.__name__ == "Http404"


# ---- the changes of state ---------------------------------------------------------------------------


def test_only_the_allowed_changes_from_the_enquiry(programme):
    enrolment = enquiry(programme)
    for target in S.values:
        if states.allowed(S.ENQUIRY, target) or target in states.DECISION_STATES:
            continue
        with pytest.raises(ServiceError) as refused:
            transition(enrolment, programme.facilitator, target)
        assert refused.value.field == "to_state"
    enrolment.refresh_from_db()
    assert enrolment.state == S.ENQUIRY and StateChange.objects.filter(enrolment=enrolment).count() == 1


def test_only_the_allowed_changes_from_active(programme):
    enrolment = make_enrolment(programme, state=S.ACTIVE)
    for target in S.values:
        if states.allowed(S.ACTIVE, target) or target in states.DECISION_STATES:
            continue
        with pytest.raises(ServiceError) as refused:
            transition(enrolment, programme.facilitator, target)
        assert "cannot go" in refused.value.message
    transition(enrolment, programme.facilitator, S.SUSPENDED, "Hospital stay of three weeks.")
    enrolment.refresh_from_db()
    assert enrolment.state == S.SUSPENDED
    assert states.next_states(S.SUSPENDED) == [S.MOTIVATIONAL, S.ACTIVE, S.EXCLUDED, S.DROPPED_OUT]


def test_a_change_needs_its_reason(programme):
    enrolment = enquiry(programme)
    for reason in ("", "   "):
        with pytest.raises(ServiceError) as refused:
            transition(enrolment, programme.facilitator, S.INFORMATION, reason)
        assert refused.value.field == "reason"
    with pytest.raises(ServiceError) as refused:
        transition(enrolment, programme.facilitator, S.INFORMATION, "x" * (services.REASON_MAX + 1))
    assert refused.value.field == "reason"
    with pytest.raises(ServiceError) as refused:
        transition(enrolment, programme.facilitator, "nowhere")
    assert refused.value.field == "to_state"


def test_the_assessment_needs_his_own_request(programme):
    enrolment = enquiry(programme)
    with pytest.raises(ServiceError) as refused:
        transition(enrolment, programme.facilitator, S.ASSESSING)
    assert "own request" in refused.value.message
    services.own_request_record(by=programme.facilitator, enrolment=enrolment, on=timezone.localdate())
    transition(enrolment, programme.facilitator, S.ASSESSING, "He asked for it.")
    enrolment.refresh_from_db()
    assert enrolment.state == S.ASSESSING


def test_the_programme_needs_a_pathway_and_the_decision_states_need_the_decision(programme):
    enrolment = make_enrolment(programme, state=S.ASSESSING)
    for target in (S.ACTIVE, S.MOTIVATIONAL):
        with pytest.raises(ServiceError) as refused:
            transition(enrolment, programme.facilitator, target)
        assert "pathway" in refused.value.message
    for target in states.DECISION_STATES:
        with pytest.raises(ServiceError) as refused:
            transition(enrolment, programme.facilitator, target)
        assert "suitability decision" in refused.value.message
    enrolment.refresh_from_db()
    assert enrolment.state == S.ASSESSING
    services.suitability_decide(by=programme.coordinator, enrolment=enrolment, decision="accepted", reason="Suitable.",
                                pathway_version=programme.pathway_version, version=enrolment.version)
    enrolment.refresh_from_db()
    assert enrolment.state == S.WAITING and enrolment.pathway_version == programme.pathway_version
    transition(enrolment, programme.facilitator, S.ACTIVE, "The group starts.")
    enrolment.refresh_from_db()
    assert enrolment.state == S.ACTIVE and enrolment.started_on == timezone.localdate() and enrolment.stage == "group"


def test_a_stale_change_is_refused(programme):
    enrolment = enquiry(programme)
    seen = enrolment.version
    transition(enrolment, programme.facilitator, S.INFORMATION)
    with pytest.raises(StaleEdit):
        services.enrolment_transition(by=programme.facilitator, enrolment=enrolment, to_state=S.DROPPED_OUT, reason="Gone.",
                                      version=seen)
    enrolment.refresh_from_db()
    assert enrolment.state == S.INFORMATION


def test_every_change_is_recorded_and_audited_without_its_reason(programme):
    enrolment = make_enrolment(programme, state=S.ACTIVE)
    transition(enrolment, programme.coordinator, S.NON_COMPLIANT, "Oppositional attitude in three sessions.")
    transition(enrolment, programme.coordinator, S.EXCLUDED, "Threatened a group member.")
    history = intake_selectors.state_history(enrolment=enrolment)
    assert [(c.from_state, c.to_state) for c in history[:2]] == [(S.NON_COMPLIANT, S.EXCLUDED), (S.ACTIVE, S.NON_COMPLIANT)]
    assert history[0].reason == "Threatened a group member." and history[0].by == programme.coordinator
    assert history[-1].to_state == S.ENQUIRY
    changes = AuditEvent.objects.filter(action="programmes.state_changed", object_id=str(enrolment.pk))
    assert {(e.detail["from"], e.detail["to"]) for e in changes} >= {(S.ACTIVE, S.NON_COMPLIANT), (S.NON_COMPLIANT, S.EXCLUDED)}
    assert "Threatened" not in audit_details() and "Oppositional" not in audit_details()
    enrolment.refresh_from_db()
    assert enrolment.ended_on == timezone.localdate()
    transition(enrolment, programme.coordinator, S.FOLLOW_UP, "Six-month follow-up.")
    enrolment.refresh_from_db()
    assert enrolment.follow_up_due_on == timezone.localdate() + datetime.timedelta(days=182)
    transition(enrolment, programme.coordinator, S.CLOSED, "Follow-up done.")
    enrolment.refresh_from_db()
    assert states.next_states(enrolment.state) == []


# ---- his details ---------------------------------------------------------------------------------------


def test_his_details_are_corrected_with_the_version_he_saw(programme):
    enrolment = enquiry(programme)
    person = enrolment.participant
    services.participant_update(by=programme.facilitator, enrolment=enrolment, version=person.version, phone="02 1234 5678",
                                email="bruno@example.org")
    person.refresh_from_db()
    assert person.phone == "02 1234 5678" and person.version == 2 and person.phone_index
    with pytest.raises(StaleEdit) as stale:
        services.participant_update(by=programme.facilitator, enrolment=enrolment, version=1, phone="000")
    assert stale.value.current.phone == "02 1234 5678"
    with pytest.raises(ServiceError) as refused:
        services.participant_update(by=programme.facilitator, enrolment=enrolment, version=2, birth_year=timezone.localdate().year - 10)
    assert refused.value.field == "birth_year"
    assert "02 1234" not in audit_details() and "bruno@" not in audit_details()
    event = AuditEvent.objects.get(action="programmes.participant_updated")
    assert event.detail["fields"] == ["email", "phone"]


# ---- the people working with him -----------------------------------------------------------------------


def test_staff_are_assigned_and_ended(programme):
    enrolment = enquiry(programme)
    row = services.staff_assign(by=programme.facilitator, enrolment=enrolment, user=programme.cofacilitator, role=StaffRole.FACILITATOR)
    with pytest.raises(ServiceError) as refused:
        services.staff_assign(by=programme.facilitator, enrolment=enrolment, user=programme.cofacilitator, role=StaffRole.FACILITATOR)
    assert refused.value.field == "user"
    with pytest.raises(ServiceError) as refused:
        services.staff_assign(by=programme.facilitator, enrolment=enrolment, user=programme.coordinator, role="boss")
    assert refused.value.field == "role"
    first = EnrolmentStaff.objects.get(enrolment=enrolment, user=programme.facilitator)
    services.staff_end(by=programme.cofacilitator, enrolment=enrolment, staff_id=first.pk)
    with pytest.raises(ServiceError) as refused:
        services.staff_end(by=programme.cofacilitator, enrolment=enrolment, staff_id=row.pk)
    assert "Someone must keep working with him" in refused.value.message
    assert [r.user for r in selectors.enrolment_staff(enrolment=enrolment)] == [programme.cofacilitator]
    assert AuditEvent.objects.get(action="programmes.staff_assigned").detail == {
        "enrolment": enrolment.pk, "user": programme.cofacilitator.pk, "role": "facilitator"}


def test_staff_must_work_with_men_at_the_programme(network, programme):
    enrolment = enquiry(programme)
    elsewhere = Programme("altro")
    for user in (programme.partner_worker, network["caseworker"], elsewhere.facilitator, network["facilitator"]):
        with pytest.raises(ServiceError) as refused:
            services.staff_assign(by=programme.facilitator, enrolment=enrolment, user=user, role=StaffRole.FACILITATOR)
        assert refused.value.field == "user"
    assert all(u.pk != programme.partner_worker.pk for u in selectors.staff_choices(organisation_id=programme.organisation.pk))


def _partner_side_facilitator(programme, enrolment):
    """A facilitator of the programme who is also a partner-support worker of the support service
    and has read the events of this enrolment's partner-contact link."""
    from rete.network.services.partner_contact import partner_event_mark_seen, partner_link_request

    dual = make_user("dual@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    Membership.objects.create(user=dual, organisation=programme.support, role=Role.PARTNER_SUPPORT_WORKER)
    link = partner_link_request(by=programme.facilitator, programme_organisation=programme.organisation, enrolment_id=enrolment.pk,
                                enrolment_reference=enrolment.reference, support_organisation=programme.support)
    assert partner_event_mark_seen(by=dual, link=link) == 1
    return dual


def test_staff_never_include_someone_on_the_partner_support_side(programme):
    enrolment = enquiry(programme)
    dual = _partner_side_facilitator(programme, enrolment)
    assert dual in selectors.staff_choices(organisation_id=programme.organisation.pk)
    with pytest.raises(ServiceError) as refused:
        services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=dual, role=StaffRole.FACILITATOR)
    assert "partner-support side" in refused.value.message
    assert not EnrolmentStaff.objects.filter(enrolment=enrolment, user=dual).exists()
    # On another man's enrolment she may work.
    other = enquiry(programme, given_name="Dario", phone="")
    services.staff_assign(by=programme.coordinator, enrolment=other, user=dual, role=StaffRole.FACILITATOR)


def test_staff_on_the_partner_case_team_are_refused_too(network, programme):
    """The partner's case attached to the link: whoever is on its team is on the partner side."""
    from rete.cases.models import CaseAssignment
    from rete.cases.tests.helpers import open_case
    from rete.network.services.partner_contact import partner_link_attach_case, partner_link_request

    enrolment = enquiry(programme)
    link = partner_link_request(by=programme.facilitator, programme_organisation=programme.organisation, enrolment_id=enrolment.pk,
                                enrolment_reference=enrolment.reference, support_organisation=programme.support)
    Membership.objects.create(user=programme.partner_worker, organisation=programme.support, role=Role.CASEWORKER)
    case = open_case(programme.partner_worker, programme.support)
    partner_link_attach_case(by=programme.partner_worker, link=link, case=case)
    dual = make_user("dual2@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    CaseAssignment.objects.create(case=case, user=dual)
    with pytest.raises(ServiceError) as refused:
        services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=dual, role=StaffRole.FACILITATOR)
    assert refused.value.field == "user"


# ---- reading is audited ----------------------------------------------------------------------------------


def test_reading_an_enrolment_is_audited_with_ids_only(programme):
    enrolment = enquiry(programme)
    enrolment_record_view(by=programme.coordinator, enrolment=enrolment)
    event = AuditEvent.objects.get(action="programmes.enrolment_viewed")
    assert event.actor == programme.coordinator and event.object_id == str(enrolment.pk)
    assert event.detail == {"enrolment": enrolment.pk}
    assert event.organisation == programme.organisation
