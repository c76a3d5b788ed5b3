"""Who reads which protocol version (selectors/protocols.py), per status and role."""
import pytest
from django.http import Http404

from rete.conftest import make_organisation, make_user
from rete.core import access
from rete.core.models import Membership, OrganisationKind, Role
from rete.network.models import VersionStatus
from rete.network.selectors import protocols as selectors
from rete.network.tests.factories_protocols import make_protocol, next_draft, set_status


@pytest.fixture
def third(network):
    """An organisation that is party to nothing, with a coordinator and a caseworker."""
    organisation = make_organisation("third", name="Third Centre")
    return {"organisation": organisation,
            "coordinator": make_user("coordinator@third.example", roles=[Role.NETWORK_COORDINATOR], organisation=organisation),
            "caseworker": make_user("caseworker@third.example", roles=[Role.CASEWORKER], organisation=organisation)}


def _reads(user, version) -> bool:
    try:
        selectors.version_get(user=user, version_id=version.pk)
    except Http404:
        found = False
    else:
        found = True
    # The in-memory rule says the same as the query.
    assert selectors.can_read(user=user, version=selectors._with_contents(type(version).objects.filter(pk=version.pk)).get()) is found
    return found


def test_a_draft_is_read_by_the_coordinating_organisations_coordinators_only(network, third):
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other])
    assert _reads(network["network_coordinator"], version)
    for reader in [network["org_admin"], network["supervisor"], network["caseworker"], network["other_network_coordinator"],
                   network["other_org_admin"], network.outsider, network.superuser, third["coordinator"]]:
        assert not _reads(reader, version), reader


def test_a_circulating_version_is_read_by_the_comment_roles_of_its_parties(network, third):
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other],
                            status=VersionStatus.CIRCULATING)
    for reader in [network["network_coordinator"], network["org_admin"], network["supervisor"],
                   network["other_org_admin"], network["other_supervisor"], network["other_network_coordinator"],
                   network.outsider]:  # the outsider is an admin of the other organisation, a party
        assert _reads(reader, version), reader
    for reader in [network["caseworker"], network["dpo"], network["other_caseworker"], third["coordinator"],
                   network.superuser]:
        assert not _reads(reader, version), reader


@pytest.mark.parametrize("status", [VersionStatus.ADOPTED, VersionStatus.SUPERSEDED])
def test_an_adopted_or_superseded_version_is_read_by_every_member_of_the_parties(network, third, status):
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other], status=status)
    for reader in [network["caseworker"], network["dpo"], network["content_editor"], network["other_caseworker"],
                   network["other_police_officer"], network.outsider]:
        assert _reads(reader, version), reader
    for reader in [third["coordinator"], third["caseworker"], network.superuser, None]:
        assert not _reads(reader, version), reader


def test_an_ended_membership_reads_nothing(network):
    version = make_protocol(network["network_coordinator"], network.home, status=VersionStatus.ADOPTED)
    worker = network["caseworker"]
    Membership.objects.filter(user=worker).update(ended_at="2020-01-01T00:00:00Z")
    worker = type(worker).objects.get(pk=worker.pk)
    assert not _reads(worker, version)


def test_the_protocol_is_404_when_she_reads_none_of_its_versions(network, third):
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other])
    assert selectors.protocol_get(user=network["network_coordinator"], protocol_id=version.protocol_id).latest == version
    for reader in [network["caseworker"], network["other_org_admin"], third["coordinator"], network.superuser]:
        with pytest.raises(Http404):
            selectors.protocol_get(user=reader, protocol_id=version.protocol_id)
    with pytest.raises(Http404):
        selectors.protocol_get(user=network["network_coordinator"], protocol_id=version.protocol_id + 1000)


def test_the_list_shows_the_version_in_force_and_the_latest_she_can_read(network, third):
    coordinator = network["network_coordinator"]
    adopted = make_protocol(coordinator, network.home, parties=[network.other], status=VersionStatus.ADOPTED)
    draft = next_draft(coordinator, adopted)
    only_draft = make_protocol(coordinator, network.home, title="Bozza")
    make_protocol(third["coordinator"], third["organisation"], title="Altrui", status=VersionStatus.ADOPTED)

    mine = {p.pk: p for p in selectors.protocol_list(user=coordinator)}
    assert set(mine) == {adopted.protocol_id, only_draft.protocol_id}
    assert mine[adopted.protocol_id].in_force.pk == adopted.pk
    assert mine[adopted.protocol_id].latest.pk == draft.pk
    assert mine[only_draft.protocol_id].in_force is None

    theirs = {p.pk: p for p in selectors.protocol_list(user=network["other_caseworker"])}
    assert set(theirs) == {adopted.protocol_id}
    assert theirs[adopted.protocol_id].latest.pk == adopted.pk  # never the draft
    assert selectors.protocol_list(user=network.superuser) == []


def test_protocol_list_and_version_get_make_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    coordinator = network["network_coordinator"]
    extra = [make_organisation(f"party{n}", name=f"Party {n}") for n in range(3)]
    for n, organisation in enumerate(extra):
        make_user(f"admin@party{n}.example", roles=[Role.ORG_ADMIN], organisation=organisation)
    for n in range(4):
        version = make_protocol(coordinator, network.home, title=f"P{n}", parties=extra, pathways=3, steps=3,
                                rules=[OrganisationKind.POLICE, OrganisationKind.SHELTER, OrganisationKind.HEALTH],
                                status=VersionStatus.ADOPTED)
        next_draft(coordinator, version)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(2):
        assert len(selectors.protocol_list(user=coordinator)) == 4
    with django_assert_max_num_queries(5):
        version = selectors.version_get(user=coordinator, version_id=version.pk)
        selectors.complete_languages(version)
        assert len(selectors.party_organisation_ids(version=version)) == 4
        assert selectors.sharing_allowed(version=version, receiver_kind=OrganisationKind.HEALTH)[1] == "consent"
    with django_assert_max_num_queries(2):
        assert len(selectors.protocol_get(user=coordinator, protocol_id=version.protocol_id).readable_versions) == 2


def test_can_edit_only_a_draft_as_a_coordinator_of_the_coordinating_organisation(network):
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other])
    assert selectors.can_edit(user=network["network_coordinator"], version=version)
    assert selectors.can_coordinate(user=network["network_coordinator"], protocol=version.protocol)
    for other in [network["org_admin"], network["other_network_coordinator"], network.superuser]:
        assert not selectors.can_edit(user=other, version=version)
        assert not selectors.can_coordinate(user=other, protocol=version.protocol)
    for status in [VersionStatus.CIRCULATING, VersionStatus.ADOPTED, VersionStatus.SUPERSEDED]:
        set_status(version, status)
        version.refresh_from_db()
        assert not selectors.can_edit(user=network["network_coordinator"], version=version)
        with pytest.raises(Http404):
            selectors.version_for_edit(user=network["network_coordinator"], version_id=version.pk)
        with pytest.raises(Http404):
            selectors.party_for_edit(user=network["network_coordinator"], party_id=version.parties.first().pk)
        with pytest.raises(Http404):
            selectors.pathway_for_edit(user=network["network_coordinator"], pathway_id=version.pathways.first().pk)
        with pytest.raises(Http404):
            selectors.rule_for_edit(user=network["network_coordinator"], rule_id=version.sharing_rules.first().pk)


def test_party_for_finds_her_organisations_party_when_she_holds_the_capability(network):
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other])
    party = selectors.party_for(user=network["other_org_admin"], version=version, capability=access.SIGN_PROTOCOLS)
    assert party.organisation_id == network.other.pk
    assert selectors.party_for(user=network["other_supervisor"], version=version, capability=access.SIGN_PROTOCOLS) is None
    assert selectors.party_for(user=network["other_supervisor"], version=version,
                               capability=access.COMMENT_PROTOCOLS).organisation_id == network.other.pk
    assert selectors.party_for(user=network["other_caseworker"], version=version, capability=access.COMMENT_PROTOCOLS) is None


def test_version_in_force_and_sharing_allowed(network):
    coordinator = network["network_coordinator"]
    version = make_protocol(coordinator, network.home, rules=[OrganisationKind.POLICE])
    assert selectors.version_in_force(protocol=version.protocol) is None
    set_status(version, VersionStatus.ADOPTED)
    assert selectors.version_in_force(protocol=version.protocol).pk == version.pk
    assert selectors.sharing_allowed(version=version, receiver_kind=OrganisationKind.POLICE) == (["identity", "risk"], "consent")
    assert selectors.sharing_allowed(version=version, receiver_kind=OrganisationKind.SHELTER) == ([], "")


def test_the_directory_lists_active_organisations_to_coordinators_only(network):
    dormant = make_organisation("dormant", name="Dormant Centre")
    make_user("gone@dormant.example", roles=[Role.CASEWORKER], organisation=dormant)
    Membership.objects.filter(organisation=dormant).update(ended_at="2020-01-01T00:00:00Z")
    listed = {o.pk for o in selectors.organisation_directory(user=network["network_coordinator"])}
    assert {network.home.pk, network.other.pk} <= listed
    assert dormant.pk not in listed
    assert selectors.organisation_directory(user=network["caseworker"]) == []


def test_complete_languages_and_the_navigation_check(network):
    from rete.network import texts
    from rete.network.services import protocols as services

    coordinator = network["network_coordinator"]
    version = make_protocol(coordinator, network.home, pathways=0, rules=[])
    version = selectors.version_get(user=coordinator, version_id=version.pk)
    assert selectors.complete_languages(version) == ["it"]
    services.version_edit(by=coordinator, version=version, version_token=version.version, language="en",
                          values={"purpose": "To protect women.", "title": "Network protocol", "territory": "Milan"})
    version = selectors.version_get(user=coordinator, version_id=version.pk)
    assert selectors.complete_languages(version) == ["en", "it"]
    assert texts.get(version, "purpose", "el", source="it").language == "it"

    # The menu entry: every member of an organisation, without a query; a superuser with no
    # membership has nothing to look up.
    assert selectors.may_use_protocols(user=coordinator) and selectors.may_use_protocols(user=network["caseworker"])
    assert not selectors.may_use_protocols(user=network.superuser)
