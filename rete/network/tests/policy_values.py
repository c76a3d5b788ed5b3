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
