"""Objects of the perpetrator programme for the access-policy walk: each part appends a provider
returning the URL keyword values its URLs need. The walked enrolment belongs to the home
organisation, taken by the home facilitator (its case manager, so on its staff), active on a
published pathway with a legal mandate: the home facilitator and programme coordinator reach it,
everyone else gets 404."""
from rete.cases.tests.policy_values import provider  # noqa: F401 (the providers below register with it)

_walked = {}


def walked_enrolment(network):
    """The walked enrolment (made once per walk)."""
    if _walked.get("network") is not network:
        from django.utils import timezone

        from rete.programmes.models import EnrolmentState
        from rete.programmes.services import enrolments as services
        from rete.programmes.tests.factories import make_mandate, make_pathway_version

        _walked.clear()
        facilitator = network["facilitator"]
        version = make_pathway_version(network["programme_coordinator"], network.home)
        enrolment = services.enquiry_record(by=facilitator, organisation=network.home, source="court_165",
                                            participant={"given_name": "Walked", "family_name": "Man", "birth_year": 1979},
                                            own_request_on=timezone.localdate())
        make_mandate(enrolment, facilitator)
        services.information_contact_record(by=facilitator, enrolment=enrolment, on=timezone.localdate())
        services.enrolment_transition(by=facilitator, enrolment=enrolment, to_state=EnrolmentState.ASSESSING, reason="He asked.")
        services.suitability_decide(by=facilitator, enrolment=enrolment, decision="accepted", reason="Suitable.",
                                    pathway_version=version, start_state=EnrolmentState.ACTIVE)
        enrolment.refresh_from_db()
        _walked.update(network=network, objects=(enrolment, version))
    return _walked["objects"]


@provider
def _enrolment(network, case):
    enrolment, version = walked_enrolment(network)
    return {"enrolment_id": enrolment.pk}


# Partner safety (part "partner-safety"): the walked enrolment has an open partner-contact link to
# a separate partner-support service, so that the walk renders the section with its link.


@provider
def _partner_safety(network, case):
    from rete.conftest import make_organisation, make_user
    from rete.core.models import Role
    from rete.programmes.services.partner import partner_contact_request

    enrolment, _version = walked_enrolment(network)
    support = make_organisation("walksupport", name="Walked Partner Support")
    make_user("partner@walksupport.example", roles=[Role.PARTNER_SUPPORT_WORKER], organisation=support)
    partner_contact_request(by=network["facilitator"], enrolment=enrolment, support_organisation_id=support.pk,
                            note="Walked request.")
    return {}


@provider
def _mandate(network, case):
    """Part "mandate-assessment": a recipient of the walked enrolment's mandate."""
    from rete.programmes.services import mandate as mandate_services

    enrolment, _version = walked_enrolment(network)
    recipient = mandate_services.recipient_add(by=network["facilitator"], enrolment=enrolment, kind="court",
                                               name="Tribunale di Esempio, sezione penale", contact="pec@tribunale.example",
                                               reports=["start", "periodic", "final"])
    return {"mandate_recipient_id": recipient.pk}


@provider
def _intake(network, case):
    """Part "intake": the walked enrolment's staff row (the home facilitator, its case manager)."""
    from rete.programmes.selectors.enrolments import enrolment_staff

    enrolment, _version = walked_enrolment(network)
    return {"enrolment_staff_id": enrolment_staff(enrolment=enrolment)[0].pk}


@provider
def _court_reports(network, case):
    """Part "court-reports": the walked enrolment's start notice (due since he started on a
    pathway that tells the court), drafted, assessed and signed off, for its page and its PDF."""
    from rete.programmes.models import ReportKind
    from rete.programmes.services import court_reports as report_services

    enrolment, _version = walked_enrolment(network)
    report = enrolment.court_reports.get(kind=ReportKind.START)
    if report.status == "due":
        report = report_services.report_draft(by=network["facilitator"], report=report)
        report = report_services.report_edit(by=network["facilitator"], report=report, version=report.version,
                                             assessment="He started as the order requires.", language="en")
        report = report_services.report_sign(by=network["programme_coordinator"], report=report, version=report.version)
    return {"court_report_id": report.pk}


@provider
def _pathways(network, case):
    """Part "pathways": the walked enrolment's published pathway version, and a draft version 2
    of the same pathway (for the edit URLs), whose first stage is walked too."""
    from rete.programmes.services import pathways as pathway_services

    _enrolment, version = walked_enrolment(network)
    draft = pathway_services.version_copy(by=network["programme_coordinator"], version=version)
    return {"pathway_version_id": version.pk, "pathway_draft_id": draft.pk, "stage_code": draft.stages[0]["code"]}


@provider
def _groups_sessions(network, case):
    """Part "groups-sessions": a running group of the home programme facilitated by the home
    facilitator with the walked enrolment among its men and a schedule of sessions (the first
    one held, its attendance recorded); a session with him alone; a compliance finding of his."""
    import datetime

    from django.utils import timezone

    from rete.programmes.models import ComplianceEvent
    from rete.programmes.services import groups as group_services
    from rete.programmes.services import sessions as session_services

    enrolment, _version = walked_enrolment(network)
    coordinator, facilitator = network["programme_coordinator"], network["facilitator"]
    today = timezone.localdate()
    group = group_services.group_create(
        by=coordinator, organisation=network.home, name="Walked Tuesday group", stage_kind="group", language="it",
        weekdays=[today.isoweekday()], start_time=datetime.time(18, 30), duration_minutes=120,
        starts_on=today - datetime.timedelta(days=14), ends_on=today + datetime.timedelta(days=28), capacity=12,
        place="Room 2", status="running")
    member = group_services.facilitator_add(by=coordinator, group=group, user=facilitator)
    place = group_services.member_place(by=coordinator, group=group, enrolment=enrolment, joined_on=group.starts_on)
    sessions = session_services.schedule_generate(by=facilitator, group=group)
    first = min(sessions, key=lambda s: s.starts_at)
    session_services.register_save(by=facilitator, session=first, version=first.version, topic="Responsibility",
                                   notes="Walked notes.", facilitator_ids=[facilitator.pk],
                                   rows=[{"enrolment_id": enrolment.pk, "status": "present", "participation": "adequate"}])
    session_services.individual_session_record(
        by=facilitator, enrolment=enrolment, kind="individual", starts_at=timezone.now() - datetime.timedelta(days=1),
        duration_minutes=60, topic="Check-in", status="present")
    event, _created = ComplianceEvent.objects.get_or_create(
        enrolment=enrolment, key="walked-warning",
        defaults={"rule": "absences", "level": "warning", "detail": {"absences": 2, "threshold": 2}, "at": timezone.now()})
    return {"group_id": group.pk, "group_facilitator_id": member.pk, "group_member_id": place.pk, "session_id": first.pk,
            "compliance_event_id": event.pk}


# Outcome monitoring (part "outcomes"): his answers at intake recorded on the walked enrolment;
# the form is walked at mid-way (not answered yet).
@provider
def _outcomes(network, case):
    from django.utils import timezone

    from rete.programmes.services import outcomes as services

    enrolment, _version = walked_enrolment(network)
    services.questionnaires_install_shipped()
    response = services.outcome_record(by=network["facilitator"], enrolment=enrolment, questionnaire=None, timepoint="intake",
                                       answers=walked_answers("man", "intake"), answered_on=timezone.localdate())
    return {"outcome_response_id": response.pk}


def walked_answers(respondent, timepoint):
    """The first option of every item asked at the timepoint, in Rete's own questionnaire."""
    from rete.programmes import questionnaires
    from rete.programmes.selectors.outcomes import questionnaires_available

    questionnaire = next(q for q in questionnaires_available(respondent=respondent, organisation_id=None)
                         if q.organisation_id is None)
    return {item["code"]: item["options"][0]["code"] for item in questionnaires.items(questionnaire.definition, timepoint=timepoint)}
