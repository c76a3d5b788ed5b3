"""Writing practices: drafting and editing the source text (by the owner's members, while the
practice is a draft or returned), translating it per field into any of the five languages (a
translation records the source revision it was made from, rete.learning.translations),
attachments, and the one way a practice changes state (`practice_transition`, used by the review
services). Every write is atomic, locks the row, checks the capability inside (else 404), keeps
the search text of each language in step and leaves an audit event with ids, codes and field
names only (never the texts or the contact)."""
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError, StaleEdit
from rete.learning import access, search, states, translations
from rete.learning.models import (FACET_CHOICES, PRACTICE_TEXT_FIELDS, Facet, Practice, PracticeFacet,
                                  PracticeSearchText, PracticeStateChange, PracticeStatus)
from rete.network import texts

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
TITLE_MAX = 200
TEXT_MAX = 20000


def _audit(action, by, practice, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=practice.organisation, obj=practice,
                 detail={"practice": practice.pk, **detail})


def locked(by, practice, capability=None) -> Practice:
    """The practice locked for this transaction; 404 unless she holds `capability` at its
    organisation (when one is given)."""
    pk = getattr(practice, "pk", practice)
    row = Practice.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=pk).first()
    if row is None or (capability is not None and not core_access.has_capability(by, row.organisation_id, capability)):
        core_access.deny()
    return row


def _check_version(row, version):
    if version is not None and int(version) != row.version:
        raise StaleEdit(row)


def _clean_texts(values: dict, *, require_title: bool) -> dict:
    cleaned = {}
    for field in PRACTICE_TEXT_FIELDS:
        if field not in values:
            continue
        value = (values.get(field) or "").strip()
        limit = TITLE_MAX if field == "title" else TEXT_MAX
        if len(value) > limit:
            raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": limit}, field=field)
        cleaned[field] = value
    if require_title and not cleaned.get("title"):
        raise ServiceError(_("Give the practice a title."), field="title")
    return cleaned


def _clean_facets(facets: dict) -> dict:
    cleaned = {}
    for facet, choices in FACET_CHOICES.items():
        values = sorted(set(facets.get(facet, []) or []))
        unknown = [v for v in values if v not in choices.values]
        if unknown:
            raise ServiceError(_("Choose from the list."), field=facet)
        cleaned[facet] = values
    return cleaned


def _set_facets(practice, facets: dict):
    PracticeFacet.objects.filter(practice=practice).delete()
    PracticeFacet.objects.bulk_create([PracticeFacet(practice=practice, facet=facet, value=value)
                                       for facet, values in facets.items() for value in values])


def refresh_search_text(practice):
    """One normalised document per language that has any text (the title included)."""
    keep = []
    for code in LANGUAGE_CODES:
        parts = [getattr(practice, texts.column(field, code), "") or "" for field in PRACTICE_TEXT_FIELDS]
        if not any(p.strip() for p in parts):
            continue
        keep.append(code)
        PracticeSearchText.objects.update_or_create(practice=practice, language=code,
                                                    defaults={"document": search.document(parts)})
    PracticeSearchText.objects.filter(practice=practice).exclude(language__in=keep).delete()


def _put_texts(practice, language, values):
    for field, value in values.items():
        texts.put(practice, field, language, value)


@transaction.atomic
def practice_create(*, by, organisation, source_language, country, pillar, texts_by_field: dict, facets: dict,
                    contact="", started_on=None, public=False) -> Practice:
    if not core_access.has_capability(by, organisation.pk, access.SHARE_PRACTICES):
        core_access.deny()
    if source_language not in LANGUAGE_CODES:
        raise ServiceError(_("Choose from the list."), field="source_language")
    values = _clean_texts(texts_by_field, require_title=True)
    facets = _clean_facets(facets)
    practice = Practice(organisation=organisation, source_language=source_language, country=country, pillar=pillar,
                        contact=(contact or "").strip(), started_on=started_on, public=bool(public), created_by=by,
                        source_revisions=translations.bump({}, [f for f, v in values.items() if v]))
    _put_texts(practice, source_language, values)
    practice.save()
    _set_facets(practice, facets)
    refresh_search_text(practice)
    _audit("practice.created", by, practice, language=source_language, fields=sorted(f for f, v in values.items() if v))
    return practice


@transaction.atomic
def practice_update(*, by, practice, version, country, pillar, texts_by_field: dict, facets: dict, contact="",
                    started_on=None, public=False) -> Practice:
    """Edits the source text and the record's details (draft or returned only)."""
    row = locked(by, practice, access.SHARE_PRACTICES)
    _check_version(row, version)
    if row.status not in states.EDITABLE:
        raise ServiceError(_("This practice is being reviewed: its text can no longer be changed."))
    values = _clean_texts(texts_by_field, require_title=True)
    facets = _clean_facets(facets)
    changed = [f for f, v in values.items()
               if v != (getattr(row, texts.column(f, row.source_language), "") or "")]
    _put_texts(row, row.source_language, values)
    row.source_revisions = translations.bump(row.source_revisions, changed)
    row.translation_revisions = translations.record(row.translation_revisions, row.source_revisions,
                                                    row.source_language, PRACTICE_TEXT_FIELDS)
    row.country, row.pillar, row.started_on, row.public = country, pillar, started_on, bool(public)
    row.contact = (contact or "").strip()
    row.version += 1
    row.save()
    _set_facets(row, facets)
    refresh_search_text(row)
    _audit("practice.updated", by, row, fields=sorted(changed))
    return row


@transaction.atomic
def practice_translate(*, by, practice, version, language, texts_by_field: dict) -> Practice:
    """Sets the texts of one language other than the source; an emptied field removes that
    translation. Each field given is marked as translated from the current source revision."""
    row = locked(by, practice)
    from rete.learning.selectors.practices import may_translate

    if not may_translate(user=by, practice=row):
        core_access.deny()
    _check_version(row, version)
    if language not in LANGUAGE_CODES:
        raise ServiceError(_("Choose from the list."), field="language")
    if language == row.source_language:
        raise ServiceError(_("This is the language the practice is written in: edit the practice itself."), field="language")
    values = _clean_texts(texts_by_field, require_title=False)
    _put_texts(row, language, values)
    filled = [f for f, v in values.items() if v]
    emptied = [f for f, v in values.items() if not v]
    row.translation_revisions = translations.forget(
        translations.record(row.translation_revisions, row.source_revisions, language, filled), language, emptied)
    row.version += 1
    row.save()
    refresh_search_text(row)
    _audit("practice.translated", by, row, language=language, fields=sorted(filled))
    return row


def practice_transition(*, by, row: Practice, to_status, reason="") -> Practice:
    """Moves a locked practice to `to_status` if the state machine allows it, with its history
    row and audit event. Callers lock the row and check who may take the step."""
    if not states.allowed(row.status, to_status):
        raise ServiceError(_("This step is not possible from the practice's current status."))
    from_status = row.status
    row.status = to_status
    now = timezone.now()
    if to_status == PracticeStatus.SUBMITTED:
        row.submitted_at = now
    if to_status == PracticeStatus.PUBLISHED:
        row.published_at = now
    row.version += 1
    row.save(update_fields=["status", "submitted_at", "published_at", "version", "updated_at"])
    PracticeStateChange.objects.create(practice=row, from_status=from_status, to_status=to_status, by=by, reason=reason)
    _audit("practice.status", by, row, from_status=from_status, to_status=to_status)
    return row


@transaction.atomic
def practice_submit(*, by, practice, version=None) -> Practice:
    """The owner sends a draft (or a returned practice, changed) to the network's review."""
    row = locked(by, practice, access.SHARE_PRACTICES)
    _check_version(row, version)
    if not (getattr(row, texts.column("summary", row.source_language), "") or "").strip():
        raise ServiceError(_("Write a summary before submitting the practice."), field="summary")
    if not (getattr(row, texts.column("description", row.source_language), "") or "").strip():
        raise ServiceError(_("Describe the practice before submitting it."), field="description")
    return practice_transition(by=by, row=row, to_status=PracticeStatus.SUBMITTED)


__all__ = ["Facet", "practice_create", "practice_update", "practice_translate", "practice_transition", "practice_submit",
           "refresh_search_text", "locked"]
