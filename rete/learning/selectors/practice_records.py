"""Reads of the staff pages of practices (part "practice-records"): the list with its filters,
the attachments and the state history of a practice already reached through
selectors.practices.practice_get (which decides who sees it), and what the pages say about
each language of a practice (no query: from the record's own columns)."""
from rete.core import access as core_access
from rete.core.selectors import active_memberships
from rete.learning import access, translations
from rete.learning.models import PRACTICE_TEXT_FIELDS, Practice, PracticeAttachment, PracticeStateChange
from rete.learning.selectors import practices
from rete.network import texts

LANGUAGE_CODES = texts.LANGUAGE_CODES

# What a language version of a practice is, for the translation pages.
SOURCE, MISSING, PARTIAL, STALE, COMPLETE = "source", "missing", "partial", "stale", "complete"


def member_organisation_ids(*, user) -> set[int]:
    return {m.organisation_id for m in active_memberships(user=user)}


def record_list(*, user, mine=False, query="", country="", pillar="", target_group="", violence_form="", status=""):
    """The practices she may see (selectors.practices), for members of the network only; `mine`
    keeps those of her own organisations."""
    own = member_organisation_ids(user=user)
    if not own:
        return Practice.objects.none()
    queryset = practices.practice_list(user=user, query=query, country=country, pillar=pillar,
                                       target_group=target_group, violence_form=violence_form, status=status)
    if mine:
        queryset = queryset.filter(organisation_id__in=own)
    return queryset


def attachment_list(*, practice) -> list[PracticeAttachment]:
    """The files of a practice she reached through practice_get (their content left out)."""
    return list(PracticeAttachment.objects.filter(practice=practice).defer("content").select_related("uploaded_by"))


def attachment_get(*, practice, pk, with_content=False) -> PracticeAttachment:
    """One file of a practice she reached through practice_get; 404 for any other id."""
    queryset = PracticeAttachment.objects.filter(practice=practice, pk=pk)
    if not with_content:
        queryset = queryset.defer("content")
    attachment = queryset.first()
    if attachment is None:
        core_access.deny()
    return attachment


def state_history(*, practice) -> list[PracticeStateChange]:
    return list(PracticeStateChange.objects.filter(practice=practice).select_related("by"))


def owns(*, user, practice) -> bool:
    """She shares practices for the organisation the practice belongs to."""
    return core_access.has_capability(user, practice.organisation_id, access.SHARE_PRACTICES)


def may_manage_attachments(*, user, practice) -> bool:
    """Files are added and removed by the owner's members while the text may change."""
    return practices.may_edit(user=user, practice=practice)


# ---- languages of a practice (pure) -----------------------------------------------------------

def text_in(practice, field, language) -> str:
    return getattr(practice, texts.column(field, language), "") or ""


def fields_with_text(practice, language) -> set[str]:
    return {field for field in PRACTICE_TEXT_FIELDS if text_in(practice, field, language).strip()}


def languages_with_text(practice) -> list[str]:
    """The languages in which the practice has any text, the source first."""
    found = [code for code in LANGUAGE_CODES if fields_with_text(practice, code)]
    source = practice.source_language
    return sorted(found, key=lambda code: (code != source, LANGUAGE_CODES.index(code)))


def stale_in(practice, language) -> set[str]:
    """The fields whose text in `language` was translated before the source last changed."""
    if language == practice.source_language:
        return set()
    return set(translations.stale_fields(practice.source_revisions or {}, practice.translation_revisions or {},
                                         language, fields_with_text(practice, language)))


def language_status(practice, language) -> str:
    """source, missing (no text), stale (some text out of date), partial (some source text not
    translated) or complete."""
    if language == practice.source_language:
        return SOURCE
    mine = fields_with_text(practice, language)
    if not mine:
        return MISSING
    if stale_in(practice, language):
        return STALE
    if fields_with_text(practice, practice.source_language) - mine:
        return PARTIAL
    return COMPLETE
