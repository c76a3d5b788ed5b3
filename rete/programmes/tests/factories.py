"""Programmes for tests: a perpetrator programme (facilitators, a coordinator), a separate
partner-support service, a published pathway, enrolments brought to a state through the
services, groups with sessions."""
import datetime

from django.utils import timezone

from rete.conftest import make_organisation, make_user
from rete.core.models import OrganisationKind, Role
from rete.programmes import pathways
from rete.programmes.models import (
    Enrolment,
    EnrolmentState,
    Group,
    GroupFacilitator,
    GroupMember,
    LegalMandate,
    MandateBasis,
    Pathway,
    PathwayStatus,
    PathwayVersion,
    ReferralSource,
    Session,
    SessionKind,
)
from rete.programmes.services import enrolments as services


class Programme:
    """A programme organisation with two facilitators and a coordinator, and a partner-support
    service (its own organisation) with a partner-support worker."""

    def __init__(self, slug="prog"):
        self.organisation = make_organisation(slug, name=f"{slug.title()} Programme for Men")
        self.organisation.kinds = [OrganisationKind.PERPETRATOR_PROGRAMME]
        self.organisation.save(update_fields=["kinds"])
        self.facilitator = make_user(f"facilitator@{slug}.example", roles=[Role.FACILITATOR], organisation=self.organisation)
        self.cofacilitator = make_user(f"cofacilitator@{slug}.example", roles=[Role.FACILITATOR], organisation=self.organisation)
        self.coordinator = make_user(f"coordinator@{slug}.example", roles=[Role.PROGRAMME_COORDINATOR],
                                     organisation=self.organisation)
        self.support = make_organisation(f"{slug}-support", name=f"{slug.title()} Partner Support")
        self.partner_worker = make_user(f"partner@{slug}-support.example", roles=[Role.PARTNER_SUPPORT_WORKER],
                                        organisation=self.support)
        self.pathway_version = make_pathway_version(self.coordinator, self.organisation)


def make_pathway_version(by, organisation, *, name="Standard pathway", rules=None, notifications=None, stages=None):
    pathway = Pathway.objects.create(organisation=organisation, name=name, created_by=by)
    return PathwayVersion.objects.create(
        pathway=pathway, number=1, status=PathwayStatus.PUBLISHED, stages=stages or pathways.DEFAULT_STAGES,
        rules={**pathways.DEFAULT_RULES, **(rules or {})},
        notifications=notifications or pathways.DEFAULT_NOTIFICATIONS, created_by=by, published_by=by,
        published_at=timezone.now())


def make_enrolment(programme, *, by=None, state=EnrolmentState.ENQUIRY, source=ReferralSource.SELF, given_name="Marco",
                   family_name="Testa", mandate=False, partner_contact=False) -> Enrolment:
    """An enrolment brought to `state` through the services (ENQUIRY, INFORMATION, ASSESSING,
    WAITING, MOTIVATIONAL or ACTIVE, and beyond through enrolment_transition)."""
    by = by or programme.facilitator
    today = timezone.localdate()
    enrolment = services.enquiry_record(by=by, organisation=programme.organisation, source=source,
                                        participant={"given_name": given_name, "family_name": family_name, "birth_year": 1980},
                                        own_request_on=today)
    if mandate:
        make_mandate(enrolment, by)
    if partner_contact:
        from rete.network.services.partner_contact import partner_link_request

        partner_link_request(by=by, programme_organisation=programme.organisation, enrolment_id=enrolment.pk,
                             enrolment_reference=enrolment.reference, support_organisation=programme.support)
    path = {
        EnrolmentState.ENQUIRY: [],
        EnrolmentState.INFORMATION: ["information"],
        EnrolmentState.ASSESSING: ["information", "assessing"],
        EnrolmentState.WAITING: ["information", "assessing", "accept:waiting"],
        EnrolmentState.MOTIVATIONAL: ["information", "assessing", "accept:motivational"],
        EnrolmentState.ACTIVE: ["information", "assessing", "accept:active"],
    }
    steps = path.get(state)
    if steps is None:
        steps = path[EnrolmentState.ACTIVE] + [f"to:{state}"]
    for step in steps:
        enrolment.refresh_from_db()
        if step == "information":
            services.information_contact_record(by=by, enrolment=enrolment, on=today)
        elif step == "assessing":
            services.enrolment_transition(by=by, enrolment=enrolment, to_state=EnrolmentState.ASSESSING, reason="He asked to start.")
        elif step.startswith("accept:"):
            services.suitability_decide(by=by, enrolment=enrolment, decision="accepted", reason="Motivated; accepts the rules.",
                                        pathway_version=programme.pathway_version, start_state=step.split(":")[1])
        else:
            services.enrolment_transition(by=by, enrolment=enrolment, to_state=step.split(":")[1], reason="For the test.")
    enrolment.refresh_from_db()
    return enrolment


def make_mandate(enrolment, by, **values):
    today = timezone.localdate()
    defaults = {"basis": MandateBasis.ART_165_CP, "court": "Tribunale di Esempio", "case_number": "RG 1234/2026",
                "order_on": today - datetime.timedelta(days=30), "sessions_per_week": 2, "duration_weeks": 26,
                "favourable_outcome_condition": "Regular attendance and active participation.", "consent_recorded": True}
    defaults.update(values)
    return LegalMandate.objects.create(enrolment=enrolment, created_by=by, **defaults)


def make_group(programme, *, name="Tuesday and Thursday group", members=(), facilitators=None, sessions=0,
               starts_on=None) -> Group:
    """A running group with its facilitators, members and `sessions` planned sessions on Tuesdays
    and Thursdays from `starts_on` (default: four weeks ago)."""
    starts_on = starts_on or timezone.localdate() - datetime.timedelta(days=28)
    group = Group.objects.create(organisation=programme.organisation, name=name, language="it", weekdays=[2, 4],
                                 start_time=datetime.time(18, 30), starts_on=starts_on, status="running",
                                 created_by=programme.coordinator)
    for user in facilitators if facilitators is not None else (programme.facilitator, programme.cofacilitator):
        GroupFacilitator.objects.create(group=group, user=user)
    for enrolment in members:
        GroupMember.objects.create(group=group, enrolment=enrolment, joined_on=starts_on)
    day, made = starts_on, 0
    while made < sessions:
        if day.isoweekday() in (2, 4):
            made += 1
            at = timezone.make_aware(datetime.datetime.combine(day, group.start_time))
            Session.objects.create(organisation=programme.organisation, kind=SessionKind.GROUP, group=group, number=made,
                                   starts_at=at, duration_minutes=120, topic=f"Session {made}")
        day += datetime.timedelta(days=1)
    return group
