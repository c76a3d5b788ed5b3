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
