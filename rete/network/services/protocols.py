"""Writing cooperation protocols: creating one, and editing a DRAFT version's text (one language
at a time, with optimistic locking), parties, pathways with their steps, and sharing rules.

Every write is atomic, locks the version, checks inside that she coordinates protocols at the
protocol's coordinating organisation (else 404, as for a protocol that does not exist) and that
the version is still a draft (else a refusal: a circulated, adopted or superseded version is
never rewritten, whatever a form posts), and leaves an audit event with ids, languages and field
names only, never the text. Translated fields are written through rete.network.texts, into the
named language's column."""
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.models import Country, OrganisationKind
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.network import texts
from rete.network.models import (
    SECTION_FIELDS,
    EntryPoint,
    LegalBasis,
    Pathway,
    PathwayStep,
    Protocol,
    ProtocolParty,
    ProtocolVersion,
    ReferralService,
    ShareCategory,
    SharingRule,
    VersionStatus,
)
from rete.network.selectors import protocols as selectors

# The protocol's own translated fields, edited with the version's text.
PROTOCOL_FIELDS = ("title", "territory")
# The longest time limit of a step: a year, in hours.
MAX_TIME_LIMIT_HOURS = 24 * 366


# ---- checks ----------------------------------------------------------------------------------

def _language(language) -> str:
    if language not in texts.LANGUAGE_CODES:
        raise ServiceError(_("Choose one of Rete's languages."), field="language")
    return language


def _editable(by, version) -> ProtocolVersion:
    """The version, locked for this transaction, when she may edit it: 404 when she does not
    coordinate its protocol, a refusal when it is no longer a draft."""
    locked = (ProtocolVersion.objects.select_for_update(of=("self",))
              .select_related("protocol", "protocol__organisation").filter(pk=version.pk).first())
    if locked is None:
        access.deny()
    if not selectors.can_coordinate(user=by, protocol=locked.protocol):
        access.deny()
    if locked.status != VersionStatus.DRAFT:
        raise ServiceError(_("This version is no longer a draft: it cannot be changed. Start a new version to "
                             "change the protocol."))
    return locked


def _text(value, *, limit=None, field=None, required_message=None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ServiceError(required_message, field=field)
    if limit and len(value) > limit:
        raise ServiceError(_("This text is too long (at most %(limit)d characters).") % {"limit": limit}, field=field)
    return value


def _choice(value, choices, *, field, message):
    if value not in choices.values:
        raise ServiceError(message, field=field)
    return value


def _put_all(obj, language, values: dict) -> list[str]:
    """Write the translated values in `language`; the names of those that changed."""
    changed = []
    for field, value in values.items():
        if (getattr(obj, texts.column(field, language), "") or "") != value:
            changed.append(field)
        texts.put(obj, field, language, value)
    return changed


def _translated_update_fields(fields, language) -> list[str]:
    return [texts.column(field, language) for field in fields]


def _audit(action, *, by, version, obj, detail):
    audit.record(action=action, actor=by, organisation=version.protocol.organisation, obj=obj,
                 detail={"protocol": version.protocol_id, "version": version.pk, **detail})


# ---- protocols -------------------------------------------------------------------------------

@transaction.atomic
def protocol_create(*, by, organisation, title, territory, country, language) -> ProtocolVersion:
    """A new protocol coordinated by one of her organisations, with its version 1 as a draft
    written in `language`; her organisation is its first party."""
    if not access.has_capability(by, organisation.pk, access.COORDINATE_PROTOCOLS):
        access.deny()
    language = _language(language)
    title = _text(title, limit=300, field="title", required_message=_("Give the protocol a title."))
    territory = _text(territory, limit=200, field="territory",
                      required_message=_("Say which area the protocol covers, e.g. a city or a district."))
    country = _choice(country, Country, field="country", message=_("Choose a country."))
    protocol = Protocol(organisation=organisation, country=country, created_by=by)
    texts.put(protocol, "title", language, title)
    texts.put(protocol, "territory", language, territory)
    protocol.save()
    version = ProtocolVersion.objects.create(protocol=protocol, number=1, status=VersionStatus.DRAFT,
                                             source_language=language, created_by=by)
    ProtocolParty.objects.create(version=version, organisation=organisation)
    audit.record(action="network.protocol_created", actor=by, organisation=organisation, obj=protocol,
                 detail={"protocol": protocol.pk, "version": version.pk, "country": country, "language": language})
    return version


@transaction.atomic
def version_edit(*, by, version, version_token, language, values: dict, review_date=None) -> ProtocolVersion:
    """Save a draft's text in one language: `values` maps the section fields (SECTION_FIELDS)
    and the protocol's title and territory to their text in `language` (a field left out is
    not changed); the review date is the version's. `version_token` is the version's lock as
    she opened the form: saved by someone else since, it raises StaleEdit with what is there."""
    language = _language(language)
    locked = _editable(by, version)
    unknown = set(values) - set(SECTION_FIELDS) - set(PROTOCOL_FIELDS)
    if unknown:
        raise ServiceError(_("This field cannot be edited here."))
    cleaned = {field: _text(value, limit=300 if field == "title" else 200 if field == "territory" else 20000,
                            field=field) for field, value in values.items()}
    if language == locked.source_language:
        # The title and territory may be translated, never emptied in the language it is written in.
        if "title" in cleaned and not cleaned["title"]:
            raise ServiceError(_("Give the protocol a title."), field="title")
        if "territory" in cleaned and not cleaned["territory"]:
            raise ServiceError(_("Say which area the protocol covers, e.g. a city or a district."), field="territory")
    protocol = locked.protocol
    section_values = {f: v for f, v in cleaned.items() if f in SECTION_FIELDS}
    protocol_values = {f: v for f, v in cleaned.items() if f in PROTOCOL_FIELDS}
    changed = [f for f, v in section_values.items() if (getattr(locked, texts.column(f, language)) or "") != v]
    changed += [f for f, v in protocol_values.items() if (getattr(protocol, texts.column(f, language)) or "") != v]
    if locked.review_date != review_date:
        changed.append("review_date")
    if not changed:
        if locked.version != version_token:
            raise StaleEdit(locked)
        return locked
    updates = {texts.column(f, language): v for f, v in section_values.items()}
    updates["review_date"] = review_date
    versioned_update(ProtocolVersion, pk=locked.pk, version=version_token, **updates)
    if any(f in PROTOCOL_FIELDS for f in changed):
        _put_all(protocol, language, protocol_values)
        protocol.save(update_fields=_translated_update_fields(protocol_values, language))
    _audit("network.version_edited", by=by, version=locked, obj=locked,
           detail={"language": language, "fields": sorted(changed)})
    return ProtocolVersion.objects.select_related("protocol").get(pk=locked.pk)


# ---- parties ---------------------------------------------------------------------------------

def _party_organisation(by, organisation_id):
    organisation = next((o for o in selectors.organisation_directory(user=by) if o.pk == organisation_id), None)
    if organisation is None:
        raise ServiceError(_("Choose one of the network's organisations."), field="organisation")
    return organisation


def _party_values(*, role, signatory_name, signatory_title) -> dict:
    return {"role": _text(role, limit=5000, field="role"),
            "signatory_name": _text(signatory_name, limit=200, field="signatory_name"),
            "signatory_title": _text(signatory_title, limit=200, field="signatory_title")}


@transaction.atomic
def party_add(*, by, version, organisation_id, language, role="", signatory_name="", signatory_title="") -> ProtocolParty:
    """An organisation joins a draft as a party; its role is written in `language`."""
    language = _language(language)
    locked = _editable(by, version)
    organisation = _party_organisation(by, organisation_id)
    values = _party_values(role=role, signatory_name=signatory_name, signatory_title=signatory_title)
    if ProtocolParty.objects.filter(version=locked, organisation=organisation).exists():
        raise ServiceError(_("This organisation is already a party to this version."), field="organisation")
    party = ProtocolParty(version=locked, organisation=organisation, signatory_name=values["signatory_name"],
                          signatory_title=values["signatory_title"])
    texts.put(party, "role", language, values["role"])
    party.save()
    _audit("network.party_added", by=by, version=locked, obj=party,
           detail={"organisation": organisation.pk, "language": language})
    return party


@transaction.atomic
def party_change(*, by, party, organisation_id, language, role="", signatory_name="", signatory_title="") -> ProtocolParty:
    """Change a party of a draft: the organisation, its role in `language`, its signatory."""
    language = _language(language)
    locked = _editable(by, party.version)
    party = ProtocolParty.objects.select_for_update().filter(pk=party.pk, version=locked).first()
    if party is None:
        access.deny()
    values = _party_values(role=role, signatory_name=signatory_name, signatory_title=signatory_title)
    changed = []
    if organisation_id != party.organisation_id:
        if party.organisation_id == locked.protocol.organisation_id:
            raise ServiceError(_("The coordinating organisation is always a party to its protocol."), field="organisation")
        organisation = _party_organisation(by, organisation_id)
        if ProtocolParty.objects.filter(version=locked, organisation=organisation).exclude(pk=party.pk).exists():
            raise ServiceError(_("This organisation is already a party to this version."), field="organisation")
        party.organisation = organisation
        changed.append("organisation")
    for field in ("signatory_name", "signatory_title"):
        if getattr(party, field) != values[field]:
            setattr(party, field, values[field])
            changed.append(field)
    changed += _put_all(party, language, {"role": values["role"]})
    if changed:
        party.save(update_fields=["organisation", "signatory_name", "signatory_title", texts.column("role", language)])
        _audit("network.party_changed", by=by, version=locked, obj=party,
               detail={"organisation": party.organisation_id, "language": language, "fields": sorted(changed)})
    return party


@transaction.atomic
def party_remove(*, by, party) -> None:
    locked = _editable(by, party.version)
    party = ProtocolParty.objects.select_for_update().filter(pk=party.pk, version=locked).first()
    if party is None:
        access.deny()
    if party.organisation_id == locked.protocol.organisation_id:
        raise ServiceError(_("The coordinating organisation is always a party to its protocol."))
    _audit("network.party_removed", by=by, version=locked, obj=party, detail={"organisation": party.organisation_id})
    party.delete()


# ---- pathways --------------------------------------------------------------------------------

def _pathway_values(*, name, entry_point, service, urgent, criteria) -> dict:
    return {
        "name": _text(name, limit=200, field="name", required_message=_("Give the pathway a name.")),
        "entry_point": _choice(entry_point, EntryPoint, field="entry_point", message=_("Choose an entry point.")),
        "service": _choice(service, ReferralService, field="service", message=_("Choose the service it leads to.")),
        "urgent": bool(urgent),
        "criteria": _text(criteria, limit=5000, field="criteria"),
    }


def _step_values(steps) -> list[dict]:
    """Steps in order: {"id" (an existing step's, or None), "action", "responsible_kind",
    "time_limit_hours"}."""
    cleaned = []
    for step in steps:
        action = _text(step.get("action"), limit=2000, field="steps",
                       required_message=_("Say what is done at each step."))
        kind = _choice(step.get("responsible_kind"), OrganisationKind, field="steps",
                       message=_("Choose which kind of agency takes each step."))
        hours = step.get("time_limit_hours")
        if not isinstance(hours, int) or isinstance(hours, bool) or hours < 1 or hours > MAX_TIME_LIMIT_HOURS:
            raise ServiceError(_("Give each step a time limit between one hour and one year."), field="steps")
        cleaned.append({"id": step.get("id"), "action": action, "responsible_kind": kind, "time_limit_hours": hours})
    if not cleaned:
        raise ServiceError(_("A pathway needs at least one step."), field="steps")
    return cleaned


def _save_steps(pathway, language, steps) -> dict:
    """Make the pathway's steps those listed, in that order: existing ones (by id) changed,
    new ones added, the others removed. Counts for the audit trail."""
    existing = {step.pk: step for step in PathwayStep.objects.filter(pathway=pathway)}
    kept, added, changed = set(), 0, 0
    for position, values in enumerate(steps, start=1):
        step = existing.get(values["id"]) if values["id"] else None
        if step is None:
            step = PathwayStep(pathway=pathway, position=position, responsible_kind=values["responsible_kind"],
                               time_limit_hours=values["time_limit_hours"])
            texts.put(step, "action", language, values["action"])
            step.save()
            added += 1
            continue
        kept.add(step.pk)
        differs = _put_all(step, language, {"action": values["action"]})
        for field in ("responsible_kind", "time_limit_hours", "position"):
            value = position if field == "position" else values[field]
            if getattr(step, field) != value:
                setattr(step, field, value)
                differs.append(field)
        if differs:
            step.save(update_fields=["position", "responsible_kind", "time_limit_hours", texts.column("action", language)])
            changed += 1
    removed = [pk for pk in existing if pk not in kept]
    PathwayStep.objects.filter(pk__in=removed).delete()
    return {"steps_added": added, "steps_changed": changed, "steps_removed": len(removed)}


@transaction.atomic
def pathway_add(*, by, version, language, name, entry_point, service, urgent=False, criteria="", steps) -> Pathway:
    """A pathway of a draft, with its steps in order; its texts are written in `language`."""
    language = _language(language)
    locked = _editable(by, version)
    values = _pathway_values(name=name, entry_point=entry_point, service=service, urgent=urgent, criteria=criteria)
    steps = _step_values([{**step, "id": None} for step in steps])
    position = (Pathway.objects.filter(version=locked).aggregate(top=Max("position"))["top"] or 0) + 1
    pathway = Pathway(version=locked, position=position, entry_point=values["entry_point"], service=values["service"],
                      urgent=values["urgent"])
    _put_all(pathway, language, {"name": values["name"], "criteria": values["criteria"]})
    pathway.save()
    counts = _save_steps(pathway, language, steps)
    _audit("network.pathway_added", by=by, version=locked, obj=pathway,
           detail={"language": language, "steps": counts["steps_added"]})
    return pathway


@transaction.atomic
def pathway_change(*, by, pathway, language, name, entry_point, service, urgent=False, criteria="", steps) -> Pathway:
    """Change a draft's pathway and its steps (listed in their new order; an existing step by
    its id, a new one without; a step left out is removed). Texts are written in `language`."""
    language = _language(language)
    locked = _editable(by, pathway.version)
    pathway = Pathway.objects.select_for_update().filter(pk=pathway.pk, version=locked).first()
    if pathway is None:
        access.deny()
    values = _pathway_values(name=name, entry_point=entry_point, service=service, urgent=urgent, criteria=criteria)
    steps = _step_values(steps)
    changed = _put_all(pathway, language, {"name": values["name"], "criteria": values["criteria"]})
    for field in ("entry_point", "service", "urgent"):
        if getattr(pathway, field) != values[field]:
            setattr(pathway, field, values[field])
            changed.append(field)
    if changed:
        pathway.save(update_fields=["entry_point", "service", "urgent",
                                    *_translated_update_fields(("name", "criteria"), language)])
    counts = _save_steps(pathway, language, steps)
    if changed or any(counts.values()):
        _audit("network.pathway_changed", by=by, version=locked, obj=pathway,
               detail={"language": language, "fields": sorted(changed), **counts})
    return pathway


@transaction.atomic
def pathway_remove(*, by, pathway) -> None:
    locked = _editable(by, pathway.version)
    pathway = Pathway.objects.select_for_update().filter(pk=pathway.pk, version=locked).first()
    if pathway is None:
        access.deny()
    _audit("network.pathway_removed", by=by, version=locked, obj=pathway, detail={})
    pathway.delete()


# ---- sharing rules ---------------------------------------------------------------------------

def _rule_values(*, receiver_kind, categories, legal_basis, note) -> dict:
    categories = list(dict.fromkeys(categories or []))
    if any(category not in ShareCategory.values for category in categories):
        raise ServiceError(_("Choose among the categories listed."), field="categories")
    return {
        "receiver_kind": _choice(receiver_kind, OrganisationKind, field="receiver_kind",
                                 message=_("Choose the kind of agency the rule is for.")),
        # Kept in the order of the list of categories, whatever the order they were posted in.
        "categories": [category for category in ShareCategory.values if category in categories],
        "legal_basis": _choice(legal_basis, LegalBasis, field="legal_basis", message=_("Choose the legal basis.")),
        "note": _text(note, limit=5000, field="note"),
    }


def _kind_taken():
    return ServiceError(_("This version already has a sharing rule for this kind of agency: change that rule "
                          "instead."), field="receiver_kind")


@transaction.atomic
def rule_add(*, by, version, language, receiver_kind, categories, legal_basis, note="") -> SharingRule:
    """A sharing rule of a draft: which categories may go to which kind of agency, on which
    legal basis. One rule per kind of agency; the note is written in `language`."""
    language = _language(language)
    locked = _editable(by, version)
    values = _rule_values(receiver_kind=receiver_kind, categories=categories, legal_basis=legal_basis, note=note)
    if SharingRule.objects.filter(version=locked, receiver_kind=values["receiver_kind"]).exists():
        raise _kind_taken()
    rule = SharingRule(version=locked, receiver_kind=values["receiver_kind"], categories=values["categories"],
                       legal_basis=values["legal_basis"])
    texts.put(rule, "note", language, values["note"])
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise _kind_taken() from None
    _audit("network.rule_added", by=by, version=locked, obj=rule,
           detail={"receiver_kind": rule.receiver_kind, "categories": rule.categories, "legal_basis": rule.legal_basis,
                   "language": language})
    return rule


@transaction.atomic
def rule_change(*, by, rule, language, receiver_kind, categories, legal_basis, note="") -> SharingRule:
    language = _language(language)
    locked = _editable(by, rule.version)
    rule = SharingRule.objects.select_for_update().filter(pk=rule.pk, version=locked).first()
    if rule is None:
        access.deny()
    values = _rule_values(receiver_kind=receiver_kind, categories=categories, legal_basis=legal_basis, note=note)
    if (values["receiver_kind"] != rule.receiver_kind
            and SharingRule.objects.filter(version=locked, receiver_kind=values["receiver_kind"]).exists()):
        raise _kind_taken()
    changed = _put_all(rule, language, {"note": values["note"]})
    for field in ("receiver_kind", "categories", "legal_basis"):
        if getattr(rule, field) != values[field]:
            setattr(rule, field, values[field])
            changed.append(field)
    if changed:
        rule.save(update_fields=["receiver_kind", "categories", "legal_basis", texts.column("note", language)])
        _audit("network.rule_changed", by=by, version=locked, obj=rule,
               detail={"receiver_kind": rule.receiver_kind, "categories": rule.categories,
                       "legal_basis": rule.legal_basis, "language": language, "fields": sorted(changed)})
    return rule


@transaction.atomic
def rule_remove(*, by, rule) -> None:
    locked = _editable(by, rule.version)
    rule = SharingRule.objects.select_for_update().filter(pk=rule.pk, version=locked).first()
    if rule is None:
        access.deny()
    _audit("network.rule_removed", by=by, version=locked, obj=rule, detail={"receiver_kind": rule.receiver_kind})
    rule.delete()


def sharing_allowed(*, version, receiver_kind) -> tuple[list[str], str]:
    """What a protocol version lets travel to an agency of `receiver_kind`: (categories, legal
    basis); ([], "") without a rule for that kind. A read: see selectors.protocols."""
    return selectors.sharing_allowed(version=version, receiver_kind=receiver_kind)
