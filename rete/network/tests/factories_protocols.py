"""Protocols for tests: written through the services (a draft), statuses set directly."""
from django.utils import timezone

from rete.core.models import OrganisationKind
from rete.network.models import ProtocolVersion, VersionStatus
from rete.network.services import protocols as services


def make_protocol(coordinator, organisation, *, title="Protocollo della rete", territory="Milano", language="it",
                  purpose="Proteggere le donne.", parties=(), pathways=1, steps=1, rules=(OrganisationKind.POLICE,),
                  status=VersionStatus.DRAFT) -> ProtocolVersion:
    """A protocol coordinated by `organisation` with version 1 written in `language`: its
    purpose, the extra `parties` (organisations), `pathways` pathways of `steps` steps each, a
    sharing rule per kind in `rules`; then given `status` directly."""
    version = services.protocol_create(by=coordinator, organisation=organisation, title=title, territory=territory,
                                       country=organisation.country, language=language)
    version = services.version_edit(by=coordinator, version=version, version_token=version.version, language=language,
                                    values={"purpose": purpose})
    for other in parties:
        services.party_add(by=coordinator, version=version, organisation_id=other.pk, language=language,
                           role="Accoglie le donne.", signatory_name="Maria Rossi", signatory_title="Direttrice")
    for number in range(pathways):
        services.pathway_add(
            by=coordinator, version=version, language=language, name=f"Percorso {number + 1}", entry_point="police",
            service="shelter", urgent=number == 0, criteria="Pericolo immediato.",
            steps=[{"action": f"Passo {n + 1}", "responsible_kind": OrganisationKind.SHELTER, "time_limit_hours": 24 * (n + 1)}
                   for n in range(steps)])
    for kind in rules:
        services.rule_add(by=coordinator, version=version, language=language, receiver_kind=kind,
                          categories=["identity", "risk"], legal_basis="consent", note="Solo con il consenso.")
    set_status(version, status)
    return ProtocolVersion.objects.select_related("protocol").get(pk=version.pk)


def set_status(version, status):
    now = timezone.now()
    stamps = {VersionStatus.CIRCULATING: {"circulated_at": now},
              VersionStatus.ADOPTED: {"circulated_at": now, "adopted_at": now},
              VersionStatus.SUPERSEDED: {"circulated_at": now, "adopted_at": now, "superseded_at": now}}.get(status, {})
    ProtocolVersion.objects.filter(pk=version.pk).update(status=status, **stamps)


def next_draft(coordinator, version) -> ProtocolVersion:
    """A new draft version after `version` (directly, as the test's shortcut), with the same
    parties and nothing else."""
    from rete.network.models import ProtocolParty

    draft = ProtocolVersion.objects.create(protocol=version.protocol, number=version.number + 1,
                                           source_language=version.source_language, created_by=coordinator)
    for party in ProtocolParty.objects.filter(version=version):
        ProtocolParty.objects.create(version=draft, organisation=party.organisation)
    return draft
