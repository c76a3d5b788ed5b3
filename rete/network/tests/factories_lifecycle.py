"""Protocol versions ready for their lifecycle (part "protocol-lifecycle"): written straight into
the per-language columns, in Italian with an English translation, with parties, a pathway with
steps and a sharing rule."""
import datetime

from django.utils import timezone

from rete.network import texts
from rete.network.models import SECTION_FIELDS, Pathway, PathwayStep, Protocol, ProtocolParty, ProtocolVersion, SharingRule

SECTION_TEXT = {
    "it": {field: f"Testo italiano della sezione {field}.\n\nSecondo paragrafo {field}." for field in SECTION_FIELDS},
    "en": {field: f"English text of the section {field}.\n\nSecond paragraph {field}." for field in SECTION_FIELDS},
}


def put_columns(obj, field, values: dict):
    for language, value in values.items():
        setattr(obj, texts.column(field, language), value)


def make_version(organisation, *, parties=(), by=None, language="it", translated=("en",), signatories=None,
                 title="Protocollo della rete antiviolenza di Esempio") -> ProtocolVersion:
    """Version 1 of a new protocol coordinated by `organisation`, a draft; the coordinating
    organisation is its first party, then `parties`."""
    protocol = Protocol(organisation=organisation, country=organisation.country, created_by=by)
    put_columns(protocol, "title", {language: title, **{code: f"{title} ({code})" for code in translated}})
    put_columns(protocol, "territory", {language: "Esempio", **{code: "Example" for code in translated}})
    protocol.save()
    version = ProtocolVersion(protocol=protocol, number=1, source_language=language, created_by=by)
    for field in SECTION_FIELDS:
        put_columns(version, field, {code: SECTION_TEXT.get(code, SECTION_TEXT["en"])[field]
                                     for code in (language, *translated)})
    version.save()
    signatories = signatories or {}
    for position, party_organisation in enumerate((organisation, *parties)):
        party = ProtocolParty(version=version, organisation=party_organisation,
                              signatory_name=signatories.get(party_organisation.slug, f"Signatory {position}"),
                              signatory_title="Director")
        put_columns(party, "role", {language: f"Ruolo di {party_organisation.slug}",
                                    **{code: f"Role of {party_organisation.slug}" for code in translated}})
        party.save()
    pathway = Pathway(version=version, position=1, entry_point="police", service="shelter", urgent=True)
    put_columns(pathway, "name", {language: "Allontanamento urgente", **{code: "Urgent removal" for code in translated}})
    put_columns(pathway, "criteria", {language: "Pericolo immediato.", **{code: "Immediate danger." for code in translated}})
    pathway.save()
    for position, (hours, kind) in enumerate(((4, "police"), (72, "victim_support")), start=1):
        step = PathwayStep(pathway=pathway, position=position, responsible_kind=kind, time_limit_hours=hours)
        put_columns(step, "action", {language: f"Passo {position}", **{code: f"Step {position}" for code in translated}})
        step.save()
    rule = SharingRule(version=version, receiver_kind="police", categories=["identity", "risk"], legal_basis="consent")
    put_columns(rule, "note", {language: "Solo con consenso.", **{code: "Only with consent." for code in translated}})
    rule.save()
    return version


def circulate(version, by, days=14):
    from rete.network.services import lifecycle

    return lifecycle.version_circulate(by=by, version=version, comments_until=timezone.localdate() + datetime.timedelta(days=days))


def sign_all(version, by_coordinator):
    """Every party signed off on paper (recorded by the coordinator)."""
    from rete.network.services import lifecycle

    for party in ProtocolParty.objects.filter(version=version, signed_off_at__isnull=True).select_related("version__protocol"):
        lifecycle.party_sign_record(by=by_coordinator, party=party, signed_on=timezone.localdate(),
                                    signatory_name=party.signatory_name or "Someone")


def adopt(version, by, years=2):
    from rete.network.services import lifecycle

    return lifecycle.version_adopt(by=by, version=version,
                                   review_date=timezone.localdate() + datetime.timedelta(days=365 * years))


def adopted_version(organisation, coordinator, *, parties=()):
    version = make_version(organisation, parties=parties, by=coordinator)
    circulate(version, coordinator)
    sign_all(version, coordinator)
    return adopt(version, coordinator)
