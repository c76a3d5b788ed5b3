"""Writing protocols (services/protocols.py): drafts only, coordinators only, per language."""
import pytest
from django.http import Http404
from django.utils import translation

from rete.conftest import make_organisation, make_user
from rete.core.models import AuditEvent, OrganisationKind, Role
from rete.core.services import ServiceError, StaleEdit
from rete.network import texts
from rete.network.models import Pathway, PathwayStep, ProtocolParty, ProtocolVersion, SharingRule, VersionStatus
from rete.network.services import protocols as services
from rete.network.tests.factories_protocols import make_protocol, set_status


def _last(action):
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def _fresh(version):
    return ProtocolVersion.objects.select_related("protocol").get(pk=version.pk)


def test_a_coordinator_creates_a_protocol_with_a_draft_version_1(network):
    coordinator = network["network_coordinator"]
    version = services.protocol_create(by=coordinator, organisation=network.home, title="Protocollo", territory="Milano",
                                       country="IT", language="it")
    assert (version.number, version.status, version.source_language) == (1, VersionStatus.DRAFT, "it")
    assert version.protocol.title_it == "Protocollo" and not version.protocol.title_en
    assert [p.organisation_id for p in version.parties.all()] == [network.home.pk]
    event = _last("network.protocol_created")
    assert event.actor == coordinator and event.organisation == network.home
    assert event.detail == {"protocol": version.protocol_id, "version": version.pk, "country": "IT", "language": "it"}


def test_only_a_coordinator_of_the_organisation_creates_one(network):
    for person in [network["org_admin"], network["other_network_coordinator"]]:
        with pytest.raises(Http404):
            services.protocol_create(by=person, organisation=network.home, title="T", territory="M", country="IT",
                                     language="it")
    with pytest.raises(ServiceError) as refused:
        services.protocol_create(by=network["network_coordinator"], organisation=network.home, title="  ",
                                 territory="M", country="IT", language="it")
    assert refused.value.field == "title"
    with pytest.raises(ServiceError):
        services.protocol_create(by=network["network_coordinator"], organisation=network.home, title="T",
                                 territory="M", country="IT", language="xx")


def test_a_translation_goes_to_the_named_languages_column_and_reading_falls_back(network):
    coordinator = network["network_coordinator"]
    version = make_protocol(coordinator, network.home, purpose="Proteggere le donne.")
    # Her interface is in Italian while she writes the English translation.
    with translation.override("it"):
        services.version_edit(by=coordinator, version=version, version_token=_fresh(version).version, language="en",
                              values={"purpose": "To protect women.", "title": "Network protocol"})
    version = _fresh(version)
    assert version.purpose_it == "Proteggere le donne."
    assert version.purpose_en == "To protect women."
    assert version.protocol.title_it == "Protocollo della rete" and version.protocol.title_en == "Network protocol"
    assert texts.get(version, "purpose", "en", source="it") == texts.Shown("To protect women.", "en")
    assert texts.get(version, "purpose", "el", source="it") == texts.Shown("Proteggere le donne.", "it")
    assert texts.get(version, "principles", "el", source="it") == texts.Shown("", "")
    event = _last("network.version_edited")
    assert event.detail == {"protocol": version.protocol_id, "version": version.pk, "language": "en",
                            "fields": ["purpose", "title"]}


def test_a_stale_edit_is_refused_with_what_is_saved(network):
    coordinator = network["network_coordinator"]
    version = make_protocol(coordinator, network.home)
    seen = _fresh(version).version
    services.version_edit(by=coordinator, version=version, version_token=seen, language="it",
                          values={"principles": "Prima la sicurezza."})
    with pytest.raises(StaleEdit) as stale:
        services.version_edit(by=coordinator, version=version, version_token=seen, language="it",
                              values={"principles": "Altro."})
    assert stale.value.current.principles_it == "Prima la sicurezza."
    # Nothing to change, but a form opened before the last save: still stale.
    with pytest.raises(StaleEdit):
        services.version_edit(by=coordinator, version=version, version_token=seen, language="it",
                              values={"principles": "Prima la sicurezza."})


def test_the_title_cannot_be_emptied_in_the_language_it_is_written_in(network):
    coordinator = network["network_coordinator"]
    version = make_protocol(coordinator, network.home)
    with pytest.raises(ServiceError):
        services.version_edit(by=coordinator, version=version, version_token=_fresh(version).version, language="it",
                              values={"title": ""})
    services.version_edit(by=coordinator, version=version, version_token=_fresh(version).version, language="en",
                          values={"title": ""})  # a translation may stay empty


WRITES = {
    "version_edit": lambda by, v: services.version_edit(by=by, version=v, version_token=v.version, language="it",
                                                        values={"purpose": "Nuovo."}),
    "party_add": lambda by, v: services.party_add(by=by, version=v, organisation_id=v._spare.pk, language="it"),
    "party_change": lambda by, v: services.party_change(by=by, party=v.parties.exclude(organisation=v.protocol.organisation).get(),
                                                        organisation_id=v._other.pk, language="it", role="Nuovo."),
    "party_remove": lambda by, v: services.party_remove(by=by, party=v.parties.exclude(organisation=v.protocol.organisation).get()),
    "pathway_add": lambda by, v: services.pathway_add(by=by, version=v, language="it", name="N", entry_point="police",
                                                      service="legal", steps=[{"action": "A", "responsible_kind": "police",
                                                                               "time_limit_hours": 2}]),
    "pathway_change": lambda by, v: services.pathway_change(by=by, pathway=v.pathways.first(), language="it", name="N",
                                                            entry_point="police", service="legal",
                                                            steps=[{"action": "A", "responsible_kind": "police",
                                                                    "time_limit_hours": 2}]),
    "pathway_remove": lambda by, v: services.pathway_remove(by=by, pathway=v.pathways.first()),
    "rule_add": lambda by, v: services.rule_add(by=by, version=v, language="it", receiver_kind="health",
                                                categories=["identity"], legal_basis="consent"),
    "rule_change": lambda by, v: services.rule_change(by=by, rule=v.sharing_rules.first(), language="it",
                                                      receiver_kind="police", categories=[], legal_basis="consent"),
    "rule_remove": lambda by, v: services.rule_remove(by=by, rule=v.sharing_rules.first()),
}


@pytest.fixture
def protocol(network):
    spare = make_organisation("spare", name="Spare Centre")
    make_user("admin@spare.example", roles=[Role.ORG_ADMIN], organisation=spare)
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other])
    version._spare, version._other = spare, network.other
    return version


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("status", [VersionStatus.CIRCULATING, VersionStatus.ADOPTED, VersionStatus.SUPERSEDED])
def test_a_version_that_is_no_longer_a_draft_is_never_changed(network, protocol, write, status):
    set_status(protocol, status)
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError):
        WRITES[write](network["network_coordinator"], _fresh(protocol) if write == "version_edit" else protocol)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_only_the_coordinators_of_the_coordinating_organisation_write(network, protocol, write):
    for person in [network["org_admin"], network["other_network_coordinator"], network.outsider]:
        with pytest.raises(Http404):
            WRITES[write](person, _fresh(protocol) if write == "version_edit" else protocol)
    WRITES[write](network["network_coordinator"], _fresh(protocol) if write == "version_edit" else protocol)


def test_parties_are_added_changed_and_removed(network, protocol):
    coordinator = network["network_coordinator"]
    party = services.party_add(by=coordinator, version=protocol, organisation_id=protocol._spare.pk, language="it",
                               role="Ospita.", signatory_name="Anna Bianchi", signatory_title="Presidente")
    assert (party.role_it, party.role_en) == ("Ospita.", None)
    assert _last("network.party_added").detail == {"protocol": protocol.protocol_id, "version": protocol.pk,
                                                    "organisation": protocol._spare.pk, "language": "it"}
    with pytest.raises(ServiceError) as twice:
        services.party_add(by=coordinator, version=protocol, organisation_id=protocol._spare.pk, language="it")
    assert twice.value.field == "organisation"
    with pytest.raises(ServiceError):
        services.party_add(by=coordinator, version=protocol, organisation_id=999999, language="it")

    services.party_change(by=coordinator, party=party, organisation_id=protocol._spare.pk, language="en",
                          role="Gives shelter.", signatory_name="Anna Bianchi", signatory_title="Presidente")
    party.refresh_from_db()
    assert (party.role_it, party.role_en) == ("Ospita.", "Gives shelter.")
    assert _last("network.party_changed").detail["fields"] == ["role"]
    with pytest.raises(ServiceError):
        services.party_change(by=coordinator, party=party, organisation_id=network.other.pk, language="it")

    services.party_remove(by=coordinator, party=party)
    assert not ProtocolParty.objects.filter(pk=party.pk).exists()
    assert _last("network.party_removed").detail["organisation"] == protocol._spare.pk


def test_the_coordinating_organisation_stays_a_party(network, protocol):
    coordinator = network["network_coordinator"]
    own = protocol.parties.get(organisation=network.home)
    with pytest.raises(ServiceError):
        services.party_remove(by=coordinator, party=own)
    with pytest.raises(ServiceError):
        services.party_change(by=coordinator, party=own, organisation_id=protocol._spare.pk, language="it")


def test_a_pathway_with_its_steps_is_added_reordered_and_translated(network, protocol):
    coordinator = network["network_coordinator"]
    pathway = services.pathway_add(
        by=coordinator, version=protocol, language="it", name="Allontanamento", entry_point="police", service="shelter",
        urgent=True, criteria="Pericolo.",
        steps=[{"action": "Chiama il centro", "responsible_kind": "police", "time_limit_hours": 1},
               {"action": "Accoglie", "responsible_kind": "shelter", "time_limit_hours": 48}])
    first, second = PathwayStep.objects.filter(pathway=pathway).order_by("position")
    assert (first.action_it, first.position, second.time_limit_hours) == ("Chiama il centro", 1, 48)
    assert _last("network.pathway_added").detail["steps"] == 2

    # In English: the steps swapped, the first one dropped, a new one added.
    services.pathway_change(
        by=coordinator, pathway=pathway, language="en", name="Removal from home", entry_point="police",
        service="shelter", urgent=True, criteria="Danger.",
        steps=[{"id": second.pk, "action": "Takes her in", "responsible_kind": "shelter", "time_limit_hours": 24},
               {"id": None, "action": "Legal advice", "responsible_kind": "victim_support", "time_limit_hours": 72}])
    pathway.refresh_from_db()
    assert (pathway.name_it, pathway.name_en) == ("Allontanamento", "Removal from home")
    steps = list(PathwayStep.objects.filter(pathway=pathway).order_by("position"))
    assert [s.pk for s in steps][0] == second.pk and len(steps) == 2
    assert (steps[0].action_it, steps[0].action_en, steps[0].time_limit_hours, steps[0].position) == (
        "Accoglie", "Takes her in", 24, 1)
    assert (steps[1].action_it, steps[1].action_en) == (None, "Legal advice")
    detail = _last("network.pathway_changed").detail
    assert (detail["steps_added"], detail["steps_changed"], detail["steps_removed"]) == (1, 1, 1)
    assert detail["fields"] == ["criteria", "name"]

    services.pathway_remove(by=coordinator, pathway=pathway)
    assert not Pathway.objects.filter(pk=pathway.pk).exists()


@pytest.mark.parametrize("steps, field", [
    ([], "steps"),
    ([{"action": "", "responsible_kind": "police", "time_limit_hours": 2}], "steps"),
    ([{"action": "A", "responsible_kind": "nobody", "time_limit_hours": 2}], "steps"),
    ([{"action": "A", "responsible_kind": "police", "time_limit_hours": 0}], "steps"),
    ([{"action": "A", "responsible_kind": "police", "time_limit_hours": 24 * 400}], "steps"),
])
def test_a_pathway_needs_valid_steps(network, protocol, steps, field):
    with pytest.raises(ServiceError) as refused:
        services.pathway_add(by=network["network_coordinator"], version=protocol, language="it", name="N",
                             entry_point="police", service="legal", steps=steps)
    assert refused.value.field == field


def test_a_step_of_another_pathway_is_never_touched(network, protocol):
    coordinator = network["network_coordinator"]
    other_step = PathwayStep.objects.filter(pathway__version=protocol).first()
    pathway = services.pathway_add(by=coordinator, version=protocol, language="it", name="N", entry_point="police",
                                   service="legal", steps=[{"action": "A", "responsible_kind": "police", "time_limit_hours": 2}])
    services.pathway_change(by=coordinator, pathway=pathway, language="it", name="N", entry_point="police", service="legal",
                            steps=[{"id": other_step.pk, "action": "Preso", "responsible_kind": "police", "time_limit_hours": 3}])
    other_step.refresh_from_db()
    assert other_step.action_it != "Preso" and other_step.pathway_id != pathway.pk


def test_one_sharing_rule_per_kind_of_agency(network, protocol):
    coordinator = network["network_coordinator"]
    rule = services.rule_add(by=coordinator, version=protocol, language="it", receiver_kind="shelter",
                             categories=["risk", "identity", "risk"], legal_basis="vital_interests", note="Urgente.")
    assert rule.categories == ["identity", "risk"]  # the list's order, once each
    assert _last("network.rule_added").detail["categories"] == ["identity", "risk"]
    with pytest.raises(ServiceError) as taken:
        services.rule_add(by=coordinator, version=protocol, language="it", receiver_kind="shelter", categories=[],
                          legal_basis="consent")
    assert taken.value.field == "receiver_kind"
    with pytest.raises(ServiceError) as taken:
        services.rule_change(by=coordinator, rule=rule, language="it", receiver_kind=OrganisationKind.POLICE,
                             categories=[], legal_basis="consent")
    assert taken.value.field == "receiver_kind"
    with pytest.raises(ServiceError) as unknown:
        services.rule_change(by=coordinator, rule=rule, language="it", receiver_kind="shelter",
                             categories=["diary"], legal_basis="consent")
    assert unknown.value.field == "categories"

    services.rule_change(by=coordinator, rule=rule, language="en", receiver_kind="health", categories=["needs"],
                         legal_basis="consent", note="Urgent.")
    rule.refresh_from_db()
    assert (rule.receiver_kind, rule.categories, rule.note_it, rule.note_en) == ("health", ["needs"], "Urgente.", "Urgent.")
    assert services.sharing_allowed(version=protocol, receiver_kind="health") == (["needs"], "consent")
    assert services.sharing_allowed(version=protocol, receiver_kind="shelter") == ([], "")
    services.rule_remove(by=coordinator, rule=rule)
    assert not SharingRule.objects.filter(pk=rule.pk).exists()
    assert _last("network.rule_removed").detail["receiver_kind"] == "health"


def test_the_audit_trail_never_holds_the_text(network, protocol):
    coordinator = network["network_coordinator"]
    secret = "A sentence nobody should find in the log"
    services.version_edit(by=coordinator, version=_fresh(protocol), version_token=_fresh(protocol).version, language="en",
                          values={"purpose": secret})
    services.rule_add(by=coordinator, version=protocol, language="en", receiver_kind="health", categories=[],
                      legal_basis="consent", note=secret)
    assert not [e for e in AuditEvent.objects.all() if secret in str(e.detail)]


def test_writing_in_english_from_an_italian_interface_leaves_the_italian_column_alone(network):
    coordinator = network["network_coordinator"]
    with translation.override("it"):
        version = make_protocol(coordinator, network.home, title="Network protocol", territory="Milan", language="en",
                                purpose="To protect women.", pathways=1, steps=1, rules=["police"])
    version = _fresh(version)
    pathway = version.pathways.get()
    step = pathway.steps.get()
    rule = version.sharing_rules.get()
    assert (version.protocol.title_en, version.protocol.title_it) == ("Network protocol", None)
    assert (pathway.name_en, pathway.name_it, step.action_en, step.action_it) == ("Percorso 1", None, "Passo 1", None)
    assert (rule.note_en, rule.note_it) == ("Solo con il consenso.", None)
