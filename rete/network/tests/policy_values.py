"""Objects of the cooperation network for the access-policy walk: each part adds a provider
returning the URL keyword values its URLs need."""
from rete.cases.tests.policy_values import provider  # noqa: F401 (the providers below register with it)

# Protocols, reading and editing (part "protocol-editor").


@provider
def _protocols(network, case):
    """An Italian protocol coordinated by the home organisation, its only party: version 1
    adopted (one pathway of one step, one sharing rule), version 2 a draft. The URLs get the
    adopted version's objects: every home member reads it, and its edit pages are 404 for
    everyone because it is not a draft."""
    from rete.network.models import VersionStatus
    from rete.network.tests.factories_protocols import make_protocol, next_draft

    coordinator = network["network_coordinator"]
    adopted = make_protocol(coordinator, network.home, pathways=1, steps=1, status=VersionStatus.ADOPTED)
    next_draft(coordinator, adopted)
    return {"protocol_id": adopted.protocol_id, "version_id": adopted.pk, "party_id": adopted.parties.get().pk,
            "pathway_id": adopted.pathways.get().pk, "rule_id": adopted.sharing_rules.get().pk, "language": "en"}


# Referrals (parts "referral-sender" and "referral-receiver").


@provider
def _referral(network, case):
    """A referral of the walked case (home organisation) to a THIRD organisation (police), party
    with home to an adopted protocol whose police rule needs no consent: the case's team reach
    the sender's pages; the receiver's pages are 404 for every walked persona (none of them
    belongs to the receiver)."""
    from rete.conftest import make_organisation, make_user
    from rete.core.models import OrganisationKind, Role
    from rete.network.models import SharingRule, VersionStatus
    from rete.network.services.referrals import referral_send
    from rete.network.tests.factories_protocols import make_protocol

    third = make_organisation("third", name="Third Police Station")
    third.kinds = [OrganisationKind.POLICE]
    third.save(update_fields=["kinds"])
    make_user("officer@third.example", roles=[Role.POLICE_OFFICER], organisation=third)  # a party has members
    version = make_protocol(network["network_coordinator"], network.home, title="Protocollo con la polizia",
                            parties=[third], rules=(OrganisationKind.POLICE,), status=VersionStatus.ADOPTED)
    SharingRule.objects.filter(version=version).update(categories=["identity", "risk"], legal_basis="legal_obligation")
    referral = referral_send(by=network["caseworker"], case=case, to_organisation=third, service="police",
                             categories=["identity"], request="Please call her.")
    return {"case_id": case.pk, "referral_id": referral.pk}


# Partner contact (part "partner-contact").


@provider
def _partner_link(network, case):
    """A link from a perpetrator programme (a THIRD organisation, requested by its facilitator)
    to the home organisation as the partner-support service: the home partner-support worker
    reaches it."""
    from rete.network.tests.factories_partner import make_link, make_programme

    programme, facilitator = make_programme("walkprog")
    link = make_link(facilitator, programme, network.home, enrolment_id=990001)
    return {"partner_link_id": link.pk}


# Risk conferences from a case (part "conference-case").


@provider
def _conference_case(network, case):
    """The walked case referred (without her consent, with a written reason) to a series of the
    home organisation whose home representatives are the caseworker, the supervisor and the
    network coordinator; on the agenda of a planned meeting, with one action for home. The
    referral stays on the agenda, so a later incident flags no repeat."""
    import datetime

    from django.utils import timezone

    from rete.network.services import conferences as services
    from rete.network.tests.factories_conferences import make_meeting, make_series

    coordinator = network["network_coordinator"]
    series = make_series(network, name="Walked MARAC", members=())
    referral = services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="judgement",
                                         reasons="He threatened her again last night.",
                                         without_consent_reason="She cannot be reached safely; the threat is imminent.")
    meeting = make_meeting(network, series)
    services.agenda_build(by=coordinator, meeting=meeting)
    action = services.action_add(by=coordinator, item=meeting.items.get(referral=referral), agency=network.home,
                                 description="Safety visit.", due_on=timezone.localdate() + datetime.timedelta(days=7))
    return {"conference_referral_id": referral.pk, "conference_action_id": action.pk}


# Risk conferences, the coordinators' and representatives' pages (part "conference-pages").


@provider
def _conference_pages(network, case):
    """A series coordinated by the home organisation, its only member (home caseworker,
    supervisor and network coordinator represent it), a case of home referred to it and a
    planned meeting with that case on its agenda. No `member_id`: that name is the core
    member pages' (a user id); the conference URLs taking it are POST only, 405 to a GET
    whatever the value."""
    from rete.network.services import conferences as services
    from rete.network.tests.factories_conferences import make_meeting, make_series, refer_case

    series = make_series(network, name="Walked MARAC", members=())
    refer_case(network, series)
    meeting = make_meeting(network, series)
    services.agenda_build(by=network["network_coordinator"], meeting=meeting)
    representative = series.members.get().representatives.order_by("pk").first()
    return {"series_id": series.pk, "conference_member_id": representative.member_id, "representative_id": representative.pk,
            "meeting_id": meeting.pk, "item_id": meeting.items.get().pk, "language": "en"}


# The partner's outcome questionnaires (issue 6, part "outcomes"): her answers at intake on a
# link from another programme to the home service, recorded by the home partner-support worker.
# The form is walked on the walked link at mid-way.


@provider
def _partner_outcomes(network, case):
    from django.utils import timezone

    from rete.network.services.partner_outcomes import partner_outcome_record
    from rete.network.tests.factories_partner import make_link, make_programme
    from rete.programmes.services.outcomes import questionnaires_install_shipped
    from rete.programmes.tests.policy_values import walked_answers

    questionnaires_install_shipped()
    programme, facilitator = make_programme("walkoutcomes")
    link = make_link(facilitator, programme, network.home, enrolment_id=990002)
    response = partner_outcome_record(by=network["partner_support_worker"], link=link, questionnaire=None, timepoint="intake",
                                      answers=walked_answers("partner", "intake"), answered_on=timezone.localdate())
    return {"partner_outcome_id": response.pk}
