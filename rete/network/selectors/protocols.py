"""Every read of cooperation protocols; the ONE place that decides who sees which version.

Reading a version:
- a DRAFT: the coordinators (COORDINATE_PROTOCOLS) of the protocol's coordinating organisation;
- a CIRCULATING version: also the comment roles (COMMENT_PROTOCOLS) of its parties;
- an ADOPTED or SUPERSEDED version: also every active member of the coordinating organisation
  or of a party of that version.
Everything else is 404, the protocol itself too when she can read none of its versions.
Editing: a DRAFT only, by the coordinators of the coordinating organisation. Every function
issues a fixed number of queries, whatever the number of protocols, versions and parties."""
from django.db.models import Exists, OuterRef, Prefetch, Q

from rete.core import access
from rete.core.models import Membership, Organisation
from rete.core.selectors import active_memberships, organisations_with
from rete.network import texts
from rete.network.models import (
    SECTION_FIELDS,
    Pathway,
    PathwayStep,
    Protocol,
    ProtocolParty,
    ProtocolVersion,
    SharingRule,
    VersionStatus,
)

READABLE_BY_MEMBERS = (VersionStatus.ADOPTED, VersionStatus.SUPERSEDED)
# The text columns of a version: lists never need them.
_SECTION_COLUMNS = [texts.column(field, code) for field in SECTION_FIELDS for code in texts.LANGUAGE_CODES] + list(
    SECTION_FIELDS)


def _organisation_ids(user, capability=None) -> set[int]:
    return {m.organisation_id for m in active_memberships(user=user) if capability is None or m.role in capability}


def readable_versions(*, user) -> Q | None:
    """The protocol versions she may read, as one filter on ProtocolVersion; None when none."""
    member = _organisation_ids(user)
    if not member:
        return None
    coordinate = _organisation_ids(user, access.COORDINATE_PROTOCOLS)
    comment = _organisation_ids(user, access.COMMENT_PROTOCOLS)
    scope = Q(protocol__organisation_id__in=coordinate) if coordinate else Q(pk__in=[])
    if comment:
        commenting_party = ProtocolParty.objects.filter(version=OuterRef("pk"), organisation_id__in=comment)
        scope |= Q(status=VersionStatus.CIRCULATING) & Q(Exists(commenting_party))
    member_party = ProtocolParty.objects.filter(version=OuterRef("pk"), organisation_id__in=member)
    scope |= Q(status__in=READABLE_BY_MEMBERS) & (Q(protocol__organisation_id__in=member) | Q(Exists(member_party)))
    return scope


def can_read(*, user, version) -> bool:
    """The rule of `readable_versions` for a version in hand (its parties from the prefetch
    cache when there is one)."""
    if can_coordinate(user=user, protocol=version.protocol):
        return True
    if version.status == VersionStatus.DRAFT:
        return False
    party_orgs = {party.organisation_id for party in version.parties.all()}
    if version.status == VersionStatus.CIRCULATING:
        return bool(party_orgs & _organisation_ids(user, access.COMMENT_PROTOCOLS))
    return bool((party_orgs | {version.protocol.organisation_id}) & _organisation_ids(user))


def can_coordinate(*, user, protocol) -> bool:
    """She coordinates protocols at the protocol's coordinating organisation."""
    return access.has_capability(user, protocol.organisation_id, access.COORDINATE_PROTOCOLS)


def can_edit(*, user, version) -> bool:
    """A draft, and she coordinates protocols at its coordinating organisation."""
    return version.status == VersionStatus.DRAFT and can_coordinate(user=user, protocol=version.protocol)


def party_for(*, user, version, capability):
    """The party of `version` that is an organisation where she holds `capability`, else None
    (uses the prefetched parties when there are)."""
    for party in version.parties.all():
        if access.has_capability(user, party.organisation_id, capability):
            return party
    return None


def coordinating_organisations(*, user) -> list[Organisation]:
    """The organisations where she may create and coordinate protocols."""
    return organisations_with(user=user, capability=access.COORDINATE_PROTOCOLS)


def may_use_protocols(*, user) -> bool:
    """For the navigation, on every staff page, so without a query: every member of an
    organisation may look up the protocols her organisation is party to (the list says when
    there are none yet)."""
    from rete.core.selectors import active_memberships

    return bool(active_memberships(user=user))


def organisation_directory(*, user) -> list[Organisation]:
    """Every organisation of the network with at least one active member, for choosing the
    parties of a protocol; only for those who coordinate protocols somewhere. One query."""
    if not coordinating_organisations(user=user):
        return []
    active = Membership.objects.filter(organisation=OuterRef("pk"), ended_at__isnull=True)
    return list(Organisation.objects.filter(Exists(active)).order_by("country", "name", "pk"))


def title_in(protocol, language: str) -> texts.Shown:
    return texts.get(protocol, "title", language)


def protocol_list(*, user) -> list[Protocol]:
    """The protocols of which she can read at least one version, each with
    `readable_versions` (newest first), `in_force` (the adopted version, when she can read it)
    and `latest` (the newest version she can read). One query."""
    scope = readable_versions(user=user)
    if scope is None:
        return []
    versions = (ProtocolVersion.objects.filter(scope).select_related("protocol", "protocol__organisation")
                .defer(*_SECTION_COLUMNS).order_by("protocol__country", "protocol__territory", "protocol_id", "-number"))
    protocols: dict[int, Protocol] = {}
    for version in versions:
        protocol = protocols.get(version.protocol_id)
        if protocol is None:
            protocol = protocols[version.protocol_id] = version.protocol
            protocol.readable_versions = []
            protocol.in_force = None
        version.protocol = protocol
        protocol.readable_versions.append(version)
        if version.status == VersionStatus.ADOPTED:
            protocol.in_force = version
    for protocol in protocols.values():
        protocol.latest = protocol.readable_versions[0]
    return list(protocols.values())


def protocol_get(*, user, protocol_id) -> Protocol:
    """The protocol with `readable_versions` (newest first), `in_force` and `latest`; 404 when
    she can read none of its versions. Two queries."""
    scope = readable_versions(user=user)
    if scope is None:
        access.deny()
    protocol = Protocol.objects.select_related("organisation").filter(pk=protocol_id).first()
    if protocol is None:
        access.deny()
    versions = list(ProtocolVersion.objects.filter(scope, protocol=protocol).defer(*_SECTION_COLUMNS)
                    .select_related("created_by").order_by("-number"))
    if not versions:
        access.deny()
    for version in versions:
        version.protocol = protocol
    protocol.readable_versions = versions
    protocol.in_force = next((v for v in versions if v.status == VersionStatus.ADOPTED), None)
    protocol.latest = versions[0]
    return protocol


def _with_contents(queryset):
    return queryset.select_related("protocol", "protocol__organisation").prefetch_related(
        Prefetch("parties", queryset=ProtocolParty.objects.select_related("organisation", "signed_off_by")
                 .order_by("pk")),
        Prefetch("pathways", queryset=Pathway.objects.order_by("position", "pk").prefetch_related(
            Prefetch("steps", queryset=PathwayStep.objects.order_by("position", "pk")))),
        Prefetch("sharing_rules", queryset=SharingRule.objects.order_by("receiver_kind", "pk")),
    )


def version_get(*, user, version_id) -> ProtocolVersion:
    """A version she may read, with its protocol, parties (organisations), pathways (steps) and
    sharing rules; 404 when out of reach. Five queries."""
    scope = readable_versions(user=user)
    if scope is None:
        access.deny()
    version = _with_contents(ProtocolVersion.objects.filter(scope, pk=version_id)).first()
    if version is None:
        access.deny()
    return version


def version_for_edit(*, user, version_id) -> ProtocolVersion:
    """A draft she may edit, with its contents; 404 otherwise (a reader who may not edit too)."""
    version = version_get(user=user, version_id=version_id)
    if not can_edit(user=user, version=version):
        access.deny()
    return version


def _editable_child(model, *, user, pk, related=()):
    obj = model.objects.select_related("version", "version__protocol", *related).filter(pk=pk).first()
    if obj is None or not can_edit(user=user, version=obj.version):
        access.deny()
    return obj


def party_for_edit(*, user, party_id) -> ProtocolParty:
    """A party of a draft she may edit; 404 otherwise."""
    return _editable_child(ProtocolParty, user=user, pk=party_id, related=("organisation",))


def pathway_for_edit(*, user, pathway_id) -> Pathway:
    """A pathway of a draft she may edit, with its steps in order; 404 otherwise."""
    pathway = _editable_child(Pathway, user=user, pk=pathway_id)
    pathway.step_list = list(PathwayStep.objects.filter(pathway=pathway).order_by("position", "pk"))
    return pathway


def rule_for_edit(*, user, rule_id) -> SharingRule:
    """A sharing rule of a draft she may edit; 404 otherwise."""
    return _editable_child(SharingRule, user=user, pk=rule_id)


def version_in_force(*, protocol) -> ProtocolVersion | None:
    """The adopted version of a protocol (at most one), else None. Not a visibility check."""
    return ProtocolVersion.objects.filter(protocol=protocol, status=VersionStatus.ADOPTED).first()


def sharing_allowed(*, version, receiver_kind) -> tuple[list[str], str]:
    """What `version` lets travel to an agency of `receiver_kind`: (categories, legal basis);
    ([], "") when it has no rule for that kind. Uses the prefetched rules when there are."""
    for rule in version.sharing_rules.all():
        if rule.receiver_kind == receiver_kind:
            return list(rule.categories or []), rule.legal_basis
    return [], ""


def translated_objects(version) -> list[tuple[object, tuple[str, ...]]]:
    """Every translated text of a version with its fields: its sections, its protocol's title
    and territory, each party's role, each pathway's name and criteria, each step's action and
    each sharing rule's note (from the prefetched contents)."""
    items = [(version, SECTION_FIELDS), (version.protocol, ("title", "territory"))]
    items += [(party, ("role",)) for party in version.parties.all()]
    for pathway in version.pathways.all():
        items.append((pathway, ("name", "criteria")))
        items += [(step, ("action",)) for step in pathway.steps.all()]
    items += [(rule, ("note",)) for rule in version.sharing_rules.all()]
    return items


def complete_languages(version) -> list[str]:
    """The languages in which every text of the version that is written in some language is
    written too (no query with the contents prefetched by version_get)."""
    complete = set(texts.LANGUAGE_CODES)
    for obj, fields in translated_objects(version):
        complete &= set(texts.translated_languages(obj, fields))
    return [code for code in texts.LANGUAGE_CODES if code in complete]


def party_organisation_ids(*, version) -> list[int]:
    """The organisations that are parties to a version (uses the prefetched parties when there are)."""
    return [party.organisation_id for party in version.parties.all()]
