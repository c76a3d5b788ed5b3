"""The protocol pages (views/protocols.py): who reaches them, the editor's 400 and 409 paths,
and a bounded number of queries."""
import pytest

from rete.conftest import assert_denied, client_for, make_organisation, make_user, url
from rete.core.models import AuditEvent, OrganisationKind, Role
from rete.network.models import Pathway, PathwayStep, ProtocolParty, ProtocolVersion, SharingRule, VersionStatus
from rete.network.tests.factories_protocols import make_protocol, next_draft, set_status


@pytest.fixture
def draft(network):
    return make_protocol(network["network_coordinator"], network.home, parties=[network.other], pathways=1, steps=2)


def _urls(version):
    party = version.parties.exclude(organisation=version.protocol.organisation).first() or version.parties.first()
    pathway, rule = version.pathways.first(), version.sharing_rules.first()
    return {
        "network:protocol_detail": url("network:protocol_detail", protocol_id=version.protocol_id),
        "network:version_detail": url("network:version_detail", version_id=version.pk),
        "network:version_edit": url("network:version_edit", version_id=version.pk, language="en"),
        "network:party_add": url("network:party_add", version_id=version.pk),
        "network:party_edit": url("network:party_edit", party_id=party.pk, language="it"),
        "network:pathway_add": url("network:pathway_add", version_id=version.pk),
        "network:pathway_edit": url("network:pathway_edit", pathway_id=pathway.pk, language="it"),
        "network:rule_add": url("network:rule_add", version_id=version.pk),
        "network:rule_edit": url("network:rule_edit", rule_id=rule.pk, language="it"),
    }




def _removal_urls(version):
    party = version.parties.exclude(organisation=version.protocol.organisation).first()
    return {"network:party_remove": url("network:party_remove", party_id=party.pk),
            "network:pathway_remove": url("network:pathway_remove", pathway_id=version.pathways.first().pk),
            "network:rule_remove": url("network:rule_remove", rule_id=version.sharing_rules.first().pk)}


def test_it_checks_ownership_of_a_draft(network, draft):
    """A draft: its coordinators only. The other organisation is a party, but a draft is not
    circulated yet; the outsider, the home organisation's other roles and anonymous get nothing."""
    for name, path in _urls(draft).items():
        assert client_for(network["network_coordinator"]).get(path).status_code == 200, name
        for person in [network["org_admin"], network["caseworker"], network["other_network_coordinator"],
                       network["other_org_admin"], network.outsider, network.superuser]:
            assert_denied(client_for(person).get(path))
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    for name, path in _removal_urls(draft).items():
        assert client_for(network["network_coordinator"]).get(path).status_code == 405
        for person in [network["org_admin"], network["other_network_coordinator"], network.outsider]:
            assert_denied(client_for(person).post(path))
        assert client_for(None).post(path).status_code == 302
    assert ProtocolParty.objects.filter(version=draft).count() == 2


def test_it_checks_ownership_of_an_adopted_version(network, draft):
    """Adopted: every member of a party reads it, nobody edits it, not even with a crafted POST."""
    set_status(draft, VersionStatus.ADOPTED)
    third = make_organisation("third", name="Third Centre")
    stranger = make_user("coordinator@third.example", roles=[Role.NETWORK_COORDINATOR], organisation=third)
    urls = _urls(draft)
    for name in ("network:protocol_detail", "network:version_detail"):
        for person in [network["caseworker"], network["other_caseworker"], network["network_coordinator"]]:
            assert client_for(person).get(urls[name]).status_code == 200
        assert_denied(client_for(stranger).get(urls[name]))
    coordinator = client_for(network["network_coordinator"])
    for name, path in urls.items():
        if name not in ("network:protocol_detail", "network:version_detail"):
            assert_denied(coordinator.get(path))
            assert_denied(coordinator.post(path, {"version": draft.version, "purpose_it": "x", "name": "x"}))
    for path in _removal_urls(draft).values():
        assert_denied(coordinator.post(path))
    assert draft.pathways.count() == 1 and draft.sharing_rules.count() == 1 and draft.parties.count() == 2


def test_the_list_and_the_new_protocol_page(network, draft):
    coordinator = client_for(network["network_coordinator"])
    page = coordinator.get(url("network:protocol_list")).content.decode()
    assert "Protocollo della rete" in page and url("network:protocol_add") in page
    page = client_for(network["caseworker"]).get(url("network:protocol_list")).content.decode()
    assert "Protocollo della rete" not in page and url("network:protocol_add") not in page
    assert_denied(client_for(network["org_admin"]).get(url("network:protocol_add")))

    response = coordinator.post(url("network:protocol_add"), {"title": "", "territory": "Roma", "country": "IT",
                                                               "organisation": network.home.pk, "language": "it"})
    assert response.status_code == 400 and 'value="Roma"' in response.content.decode()
    response = coordinator.post(url("network:protocol_add"), {"title": "Rete di Roma", "territory": "Roma", "country": "IT",
                                                               "organisation": network.other.pk, "language": "it"})
    assert response.status_code == 400  # not one of her organisations
    response = coordinator.post(url("network:protocol_add"), {"title": "Rete di Roma", "territory": "Roma", "country": "IT",
                                                               "organisation": network.home.pk, "language": "it"})
    version = ProtocolVersion.objects.get(protocol__title_it="Rete di Roma")
    assert response.status_code == 302
    assert response["Location"] == url("network:version_edit", version_id=version.pk, language="it")


def test_the_list_flags_an_overdue_review(network, draft):
    import datetime

    set_status(draft, VersionStatus.ADOPTED)
    ProtocolVersion.objects.filter(pk=draft.pk).update(review_date=datetime.date(2020, 1, 31))
    page = client_for(network["caseworker"]).get(url("network:protocol_list")).content.decode()
    assert "overdue" in page


def test_the_version_reads_in_any_language_with_a_note_where_it_falls_back(network, draft):
    coordinator = client_for(network["network_coordinator"])
    page = coordinator.get(url("network:version_detail", version_id=draft.pk) + "?lang=en").content.decode()
    assert "Proteggere le donne." in page
    assert "Not yet translated into English: shown in Italian." in page
    assert "Passo 1" in page and "1 day" in page and "2 days" in page
    assert "Her identity (name, date of birth)" in page and "Her consent" in page
    page = coordinator.get(url("network:version_detail", version_id=draft.pk) + "?lang=it").content.decode()
    assert "Not yet translated" not in page
    # An unknown language falls back to hers.
    assert coordinator.get(url("network:version_detail", version_id=draft.pk) + "?lang=xx").status_code == 200


def test_editing_the_text_writes_the_language_and_answers_400_and_409(network, draft):
    coordinator = client_for(network["network_coordinator"])
    edit = url("network:version_edit", version_id=draft.pk, language="en")
    page = coordinator.get(edit).content.decode()
    assert "Proteggere le donne." in page  # the source text beside the field
    seen = ProtocolVersion.objects.get(pk=draft.pk).version
    data = {"version": seen, "title": "Network protocol", "purpose": "To protect women.", "review_date": "2027-02-30"}
    response = coordinator.post(edit, data)
    assert response.status_code == 400 and "To protect women." in response.content.decode()

    data["review_date"] = "2027-03-01"
    response = coordinator.post(edit, data)
    assert response.status_code == 302
    version = ProtocolVersion.objects.get(pk=draft.pk)
    assert (version.purpose_en, version.purpose_it, str(version.review_date)) == (
        "To protect women.", "Proteggere le donne.", "2027-03-01")
    assert AuditEvent.objects.filter(action="network.version_edited").latest("seq").detail["fields"] == [
        "purpose", "review_date", "title"]

    data["purpose"] = "Something else."  # the same form, opened before the save
    response = coordinator.post(edit, data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this record" in page and "Something else." in page and "To protect women." in page
    assert ProtocolVersion.objects.get(pk=draft.pk).purpose_en == "To protect women."
    assert_denied(coordinator.get(url("network:version_edit", version_id=draft.pk, language="xx")))


def test_parties_are_added_and_edited_from_the_pages(network, draft):
    spare = make_organisation("spare", name="Spare Centre")
    make_user("admin@spare.example", roles=[Role.ORG_ADMIN], organisation=spare)
    coordinator = client_for(network["network_coordinator"])
    add = url("network:party_add", version_id=draft.pk)
    page = coordinator.get(add).content.decode()
    assert "Spare Centre" in page and "Other Support Centre" not in page  # already a party
    response = coordinator.post(add, {"organisation": network.other.pk, "role": "Doppio"})
    assert response.status_code == 400 and "Doppio" in response.content.decode()
    response = coordinator.post(add, {"organisation": spare.pk, "role": "Ospita.", "signatory_name": "Anna Bianchi"})
    assert response.status_code == 302
    party = ProtocolParty.objects.get(version=draft, organisation=spare)
    response = coordinator.post(url("network:party_edit", party_id=party.pk, language="en"),
                                {"organisation": spare.pk, "role": "Gives shelter.", "signatory_name": "Anna Bianchi"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert (party.role_it, party.role_en) == ("Ospita.", "Gives shelter.")
    response = coordinator.post(url("network:party_remove", party_id=draft.parties.get(organisation=network.home).pk))
    assert response.status_code == 302 and draft.parties.filter(organisation=network.home).exists()
    assert coordinator.post(url("network:party_remove", party_id=party.pk)).status_code == 302
    assert not ProtocolParty.objects.filter(pk=party.pk).exists()


def test_a_pathway_and_its_steps_from_the_page(network, draft):
    coordinator = client_for(network["network_coordinator"])
    add = url("network:pathway_add", version_id=draft.pk)
    assert coordinator.get(add).status_code == 200
    data = {"name": "Pronto soccorso", "entry_point": "health", "service": "psychological", "criteria": "",
            "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "50",
            "steps-0-action": "Visita", "steps-0-responsible_kind": "health", "steps-0-time_limit": "2",
            "steps-0-unit": "hours", "steps-0-ORDER": "2",
            "steps-1-action": "Colloquio", "steps-1-responsible_kind": "victim_support", "steps-1-time_limit": "3",
            "steps-1-unit": "days", "steps-1-ORDER": "1",
            "steps-2-unit": "hours"}
    bad = dict(data, **{"steps-1-time_limit": "0"})
    response = coordinator.post(add, bad)
    assert response.status_code == 400 and "Colloquio" in response.content.decode()
    assert coordinator.post(add, dict(data, name="")).status_code == 400
    assert coordinator.post(add, data).status_code == 302
    pathway = Pathway.objects.get(version=draft, name_it="Pronto soccorso")
    steps = list(PathwayStep.objects.filter(pathway=pathway).order_by("position"))
    assert [(s.action_it, s.time_limit_hours) for s in steps] == [("Colloquio", 72), ("Visita", 2)]

    edit = url("network:pathway_edit", pathway_id=pathway.pk, language="en")
    page = coordinator.get(edit).content.decode()
    assert "Colloquio" in page and 'value="3"' in page
    data = {"name": "Emergency department", "entry_point": "health", "service": "psychological", "criteria": "",
            "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "2", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "50",
            "steps-0-id": steps[0].pk, "steps-0-action": "Interview", "steps-0-responsible_kind": "victim_support",
            "steps-0-time_limit": "3", "steps-0-unit": "days", "steps-0-ORDER": "1",
            "steps-1-id": steps[1].pk, "steps-1-action": "Visit", "steps-1-responsible_kind": "health",
            "steps-1-time_limit": "2", "steps-1-unit": "hours", "steps-1-ORDER": "2", "steps-1-DELETE": "on",
            "steps-2-unit": "hours"}
    assert coordinator.post(edit, data).status_code == 302
    steps = list(PathwayStep.objects.filter(pathway=pathway))
    assert [(s.action_it, s.action_en) for s in steps] == [("Colloquio", "Interview")]


def test_sharing_rules_from_the_page_with_a_clear_error_for_a_kind_taken(network, draft):
    coordinator = client_for(network["network_coordinator"])
    add = url("network:rule_add", version_id=draft.pk)
    response = coordinator.post(add, {"receiver_kind": "police", "categories": ["identity"], "legal_basis": "consent",
                                      "note": "Ancora"})
    assert response.status_code == 400
    assert "already has a sharing rule for this kind of agency" in response.content.decode()
    response = coordinator.post(add, {"receiver_kind": "shelter", "categories": ["identity", "contact"],
                                      "legal_basis": "consent", "note": "Solo indirizzo sicuro."})
    assert response.status_code == 302
    rule = SharingRule.objects.get(version=draft, receiver_kind="shelter")
    assert rule.categories == ["identity", "contact"] and rule.note_it == "Solo indirizzo sicuro."
    response = coordinator.post(url("network:rule_edit", rule_id=rule.pk, language="en"),
                                {"receiver_kind": "shelter", "categories": ["contact"], "legal_basis": "consent",
                                 "note": "Safe address only."})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.categories, rule.note_it, rule.note_en) == (["contact"], "Solo indirizzo sicuro.", "Safe address only.")
    assert coordinator.post(url("network:rule_remove", rule_id=rule.pk)).status_code == 302
    assert not SharingRule.objects.filter(pk=rule.pk).exists()


def test_the_pages_make_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    coordinator = network["network_coordinator"]
    extra = [make_organisation(f"party{n}", name=f"Party {n}") for n in range(3)]
    for n, organisation in enumerate(extra):
        make_user(f"admin@party{n}.example", roles=[Role.ORG_ADMIN], organisation=organisation)
    for n in range(4):
        version = make_protocol(coordinator, network.home, title=f"P{n}", parties=extra, pathways=3, steps=3,
                                rules=[OrganisationKind.POLICE, OrganisationKind.SHELTER, OrganisationKind.HEALTH],
                                status=VersionStatus.ADOPTED)
        draft = next_draft(coordinator, version)
    client = client_for(coordinator)
    pages = [url("network:protocol_list"), url("network:protocol_detail", protocol_id=version.protocol_id),
             url("network:version_detail", version_id=version.pk), url("network:version_detail", version_id=draft.pk),
             url("network:pathway_edit", pathway_id=Pathway.objects.filter(version=version).first().pk, language="en")]
    set_status(version, VersionStatus.DRAFT)  # so that its pathway can be edited
    ProtocolVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.SUPERSEDED)
    for path in pages:
        with django_assert_max_num_queries(15):
            assert client.get(path).status_code == 200, path


def test_the_navigation_shows_protocols_to_every_member(network, draft):
    protocols = url("network:protocol_list")
    for person in (network["network_coordinator"], network["caseworker"], network["other_caseworker"]):
        assert protocols in client_for(person).get(url("core:start")).content.decode()
    assert protocols not in client_for(network.superuser).get(url("core:start")).content.decode()
    # A member of a party does not find a draft in the list: drafts are the coordinators' own.
    page = client_for(network["other_caseworker"]).get(protocols).content.decode()
    assert url("network:protocol_detail", protocol_id=draft.protocol_id) not in page
