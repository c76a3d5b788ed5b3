"""Reads for the life of a protocol version: what the lifecycle panel of the version page shows
her (and which actions it offers), the parties' comments, the review flag and the printed
document. Who may read a version at all is decided in selectors/protocols.py only; this module
builds on it and never widens it."""
import datetime

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rete.core import access
from rete.core.models import OrganisationKind
from rete.network import texts
from rete.network.models import (
    SECTION_FIELDS,
    EntryPoint,
    LegalBasis,
    ProtocolComment,
    ProtocolParty,
    ProtocolVersion,
    ReferralService,
    ShareCategory,
    VersionStatus,
)
from rete.network.selectors.protocols import can_coordinate, version_get

REVIEW_NOTICE_DAYS = 30  # a review is reminded this many days ahead, and again every as many days

OTHER_SECTION_LABELS = {
    "general": _("The protocol as a whole"),
    "parties": _("Parties and their roles"),
    "pathways": _("Pathways and time limits"),
    "sharing": _("Sharing rules"),
}


# The parts of a protocol in the order it is printed: the narrative sections with the parties,
# pathways and sharing rules where a reader looks for them.
DOCUMENT_ORDER = (*SECTION_FIELDS[:2], "parties", "pathways", SECTION_FIELDS[2], "sharing", *SECTION_FIELDS[3:])


def section_label(section: str):
    """The heading of a section a comment may point to (lazy: shown in the reader's language)."""
    if section in SECTION_FIELDS:
        return capfirst(ProtocolVersion._meta.get_field(section).verbose_name)
    return OTHER_SECTION_LABELS.get(section or "general", section)


def comment_section_choices() -> list[tuple[str, str]]:
    """In the order of the printed protocol, the whole protocol first."""
    return [(key, section_label(key)) for key in ("general", *DOCUMENT_ORDER)]


def review_due(*, version, today) -> str:
    """"overdue" when an adopted version's review date has passed, "due" when it falls within
    REVIEW_NOTICE_DAYS, else ""."""
    if version.status != VersionStatus.ADOPTED or version.review_date is None:
        return ""
    if version.review_date < today:
        return "overdue"
    if version.review_date <= today + datetime.timedelta(days=REVIEW_NOTICE_DAYS):
        return "due"
    return ""


def circulation_problems(version) -> list[str]:
    """What stops a draft from being circulated (empty when nothing does); uses the prefetched
    parties when there are."""
    from django.conf import settings
    from django.utils.translation import gettext

    problems = []
    if not list(version.parties.all()):
        problems.append(gettext("Add at least one party: the protocol is circulated to its parties."))
    if not (getattr(version, texts.column("purpose", version.source_language), "") or "").strip():
        problems.append(gettext("Write the purpose in the language the protocol is written in (%(language)s).") % {
            "language": dict(settings.LANGUAGES).get(version.source_language, version.source_language)})
    return problems


# ---- comments --------------------------------------------------------------------------------

def may_read_comments(*, user, version) -> bool:
    """The people who could read the version while it circulated: the coordinators and the
    commenting roles of its parties (a version she cannot read at all never gets here)."""
    if can_coordinate(user=user, protocol=version.protocol):
        return True
    return any(access.has_capability(user, party.organisation_id, access.COMMENT_PROTOCOLS)
               for party in version.parties.all())


def version_comments(*, user, version) -> list[ProtocolComment]:
    """The comments on a version she may read, oldest first, with organisation and author;
    404 when she may not read them. One query."""
    if not may_read_comments(user=user, version=version):
        access.deny()
    return list(ProtocolComment.objects.filter(version=version).select_related("organisation", "author")
                .order_by("created_at", "pk"))


def comments_by_section(comments) -> list[dict]:
    """[{"section", "label", "comments"}] in the order of the printed protocol; sections without
    comments are left out."""
    groups = {key: [] for key, _label in comment_section_choices()}
    for comment in comments:
        groups.setdefault(comment.section or "general", []).append(comment)
    return [{"section": key, "label": section_label(key), "comments": items} for key, items in groups.items() if items]


def party_get(*, user, party_id) -> ProtocolParty:
    """A party of a version she may read, with that version (its contents prefetched) as
    `party.version`; 404 otherwise. Six queries."""
    version_id = ProtocolParty.objects.filter(pk=party_id).values_list("version_id", flat=True).first()
    if version_id is None:
        access.deny()
    version = version_get(user=user, version_id=version_id)
    party = next((p for p in version.parties.all() if p.pk == party_id), None)
    if party is None:  # pragma: no cover (moved between the two reads)
        access.deny()
    party.version = version
    return party


# ---- the panel -------------------------------------------------------------------------------

def _protocol_versions(protocol) -> list[dict]:
    """Number and status of every version of the protocol (a handful of rows). One query."""
    return list(ProtocolVersion.objects.filter(protocol=protocol).order_by("-number").values("pk", "number", "status"))


def lifecycle_context(*, user, version, today=None) -> dict:
    """What the lifecycle panel of a version page shows her and which actions it offers. The
    version comes from selectors.protocols.version_get (parties prefetched). Two queries at most."""
    from django.utils import timezone

    today = today or timezone.localdate()
    protocol = version.protocol
    coordinator = can_coordinate(user=user, protocol=protocol)
    status = version.status
    circulating = status == VersionStatus.CIRCULATING
    parties = []
    for party in version.parties.all():
        signed = party.signed_off_at is not None
        parties.append({
            "party": party, "signed": signed, "on_paper": signed and party.signed_off_by_id is None,
            "may_sign": circulating and not signed and access.has_capability(user, party.organisation_id, access.SIGN_PROTOCOLS),
            "may_record": circulating and not signed and coordinator,
        })
    comment_party = None
    if circulating:
        comment_party = next((row["party"] for row in parties
                              if access.has_capability(user, row["party"].organisation_id, access.COMMENT_PROTOCOLS)), None)
    comments = None
    if may_read_comments(user=user, version=version):
        comments = list(ProtocolComment.objects.filter(version=version).select_related("organisation", "author")
                        .order_by("created_at", "pk"))
    versions = _protocol_versions(protocol) if coordinator else []
    opened = next((v for v in versions if v["status"] in (VersionStatus.DRAFT, VersionStatus.CIRCULATING)), None)
    in_force = next((v for v in versions if v["status"] == VersionStatus.ADOPTED), None)
    start_from = in_force or (versions[0] if versions else None)
    return {
        "version": version,
        "status": status,
        "coordinator": coordinator,
        "parties": parties,
        "missing": [row["party"] for row in parties if not row["signed"]],
        "signed_count": sum(1 for row in parties if row["signed"]),
        "comment_party": comment_party,
        "comments": comments,
        "may_circulate": coordinator and status == VersionStatus.DRAFT,
        "circulation_problems": circulation_problems(version) if coordinator and status == VersionStatus.DRAFT else [],
        "may_reopen": coordinator and circulating,
        "may_adopt": coordinator and circulating,
        "comments_closed": circulating and version.comments_until is not None and version.comments_until < today,
        "open_version": opened,
        "may_start_new": coordinator and opened is None and start_from is not None and start_from["pk"] == version.pk,
        "next_number": (versions[0]["number"] + 1) if versions else version.number + 1,
        "review_due": review_due(version=version, today=today),
        "pdf_languages": texts.LANGUAGE_CODES,
        "today": today,
    }


# ---- the printed protocol --------------------------------------------------------------------

def _shown(obj, field, language, source):
    shown = texts.get(obj, field, language, source=source)
    return {"text": shown.text, "language": shown.language, "fallback": bool(shown.text) and shown.language != language}


def protocol_document(*, version, language) -> dict:
    """Everything the printed version shows, in `language` where a translation exists and
    otherwise in the version's own language, with a note on each field that falls back. The
    version comes from selectors.protocols.version_get (contents prefetched): no query."""
    source = version.source_language
    protocol = version.protocol
    kinds = dict(OrganisationKind.choices)
    entry_points, services = dict(EntryPoint.choices), dict(ReferralService.choices)
    categories, bases = dict(ShareCategory.choices), dict(LegalBasis.choices)
    sections = {field: {"kind": "section", "field": field, **_shown(version, field, language, source)}
                for field in SECTION_FIELDS}
    parties = [{"party": party, "organisation": party.organisation, "role": _shown(party, "role", language, source)}
               for party in version.parties.all()]
    pathways = []
    for pathway in version.pathways.all():
        pathways.append({
            "pathway": pathway, "name": _shown(pathway, "name", language, source),
            "criteria": _shown(pathway, "criteria", language, source),
            "entry_point": entry_points.get(pathway.entry_point, pathway.entry_point),
            "service": services.get(pathway.service, pathway.service),
            "steps": [{"step": step, "action": _shown(step, "action", language, source),
                       "responsible": kinds.get(step.responsible_kind, step.responsible_kind)}
                      for step in pathway.steps.all()],
        })
    rules = [{"rule": rule, "receiver": kinds.get(rule.receiver_kind, rule.receiver_kind),
              "categories": [categories.get(code, code) for code in rule.categories or []],
              "legal_basis": bases.get(rule.legal_basis, rule.legal_basis), "note": _shown(rule, "note", language, source)}
             for rule in version.sharing_rules.all()]
    structured = {"parties": {"kind": "parties", "parties": parties}, "pathways": {"kind": "pathways", "pathways": pathways},
                  "sharing": {"kind": "sharing", "rules": rules}}
    parts = []
    for number, key in enumerate(DOCUMENT_ORDER, start=1):
        part = sections[key] if key in sections else structured[key]
        parts.append({**part, "number": number, "anchor": f"part-{key}", "heading": section_label(key)})
    return {
        "version": version, "protocol": protocol, "language": language, "source_language": source,
        "title": _shown(protocol, "title", language, source), "territory": _shown(protocol, "territory", language, source),
        "parts": parts, "parties": parties, "signatories_number": len(parts) + 1,
        "in_force": version.status == VersionStatus.ADOPTED,
        "signatories": [row for row in parties if row["party"].signed_off_at is not None],
    }
