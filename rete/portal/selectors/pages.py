"""Reads of the information pages: what a visitor may read (published versions only) and what
an editor may see (the pages of her organisations' countries; anything else is 404). Each
function issues a fixed number of queries, whatever the number of pages and versions."""
import difflib

from django.conf import settings

from rete.core import access
from rete.core.models import Country
from rete.portal.models import InfoPage, PageStatus, PageVersion

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
OPEN_STATUSES = (PageStatus.DRAFT, PageStatus.IN_REVIEW, PageStatus.RETURNED)
# What a list needs of a version: never the text itself.
LIST_FIELDS = ("id", "page_id", "language", "number", "title", "summary", "status", "created_by_id", "created_at",
               "submitted_at", "reviewed_by_id", "reviewed_at", "published_at", "change_note", "version")


def _preferred(versions: dict, language: str):
    """The version in her language, else English, else the first of the portal's languages."""
    for code in [language, "en", *LANGUAGE_CODES]:
        if code in versions:
            return versions[code]
    return None


# ---- public ----------------------------------------------------------------------------------

def country_from_url(country: str) -> str:
    """"it" → "IT"; anything else (upper case included: one address per page) is not a page."""
    if not country or country != country.lower() or country.upper() not in Country.values:
        access.deny()
    return country.upper()


def info_page_list(*, country: str, language: str) -> dict:
    """The published pages of a country, each in her language where it exists (else English,
    else another language): {"general": [...], "professionals": [...]}, each item
    {"page", "version", "translated"}. One query."""
    versions = (PageVersion.objects.filter(status=PageStatus.PUBLISHED, page__country=country)
                .select_related("page").only(*[f for f in LIST_FIELDS if not f.endswith("_by_id")], "page__id",
                                             "page__slug", "page__country", "page__position", "page__for_professionals")
                .order_by("page__position", "page__slug", "language"))
    by_page = {}
    for version in versions:
        by_page.setdefault(version.page_id, {})[version.language] = version
    items = {"general": [], "professionals": []}
    for per_language in by_page.values():
        version = _preferred(per_language, language)
        item = {"page": version.page, "version": version, "translated": version.language == language}
        items["professionals" if version.page.for_professionals else "general"].append(item)
    return items


def info_page_public(*, country: str, slug: str, language: str) -> dict:
    """The published page for a visitor: in her language, else English, else another one; 404
    when it is published in no language. Two queries."""
    page = InfoPage.objects.filter(country=country, slug=slug).first()
    if page is None:
        access.deny()
    versions = {v.language: v for v in PageVersion.objects.filter(page=page, status=PageStatus.PUBLISHED)}
    version = _preferred(versions, language)
    if version is None:
        access.deny()
    return {"page": page, "version": version, "translated": version.language == language,
            "languages": [code for code in LANGUAGE_CODES if code in versions]}


# ---- editors ---------------------------------------------------------------------------------

def _countries(user) -> list[str]:
    from rete.portal.selectors import editor_countries

    return editor_countries(user=user)


def editor_page_get(*, user, page_id) -> InfoPage:
    page = InfoPage.objects.filter(pk=page_id).first()
    if page is None or page.country not in _countries(user):
        access.deny()
    return page


def editor_version_get(*, user, version_id) -> PageVersion:
    version = (PageVersion.objects.filter(pk=version_id).select_related("page", "created_by", "reviewed_by").first())
    if version is None or version.page.country not in _countries(user):
        access.deny()
    return version


def editor_language(language: str) -> str:
    if language not in LANGUAGE_CODES:
        access.deny()
    return language


def page_matrix(*, countries, language: str = "en") -> list[dict]:
    """Rows of the editors' overview: per country, its pages, each with one cell per language
    ({"language", "published", "open"}), titled in her language where it exists. Two queries."""
    labels = dict(Country.choices)
    pages = list(InfoPage.objects.filter(country__in=countries).order_by("country", "position", "slug"))
    versions = (PageVersion.objects.filter(page__in=[p.pk for p in pages]).exclude(status=PageStatus.SUPERSEDED)
                .select_related("created_by").only(*LIST_FIELDS, "created_by__first_name", "created_by__last_name",
                                                    "created_by__email"))
    cells = {}
    for version in versions:
        slot = cells.setdefault((version.page_id, version.language), {"published": None, "open": None})
        slot["published" if version.status == PageStatus.PUBLISHED else "open"] = version
    groups = []
    for country in countries:
        rows = []
        for page in (p for p in pages if p.country == country):
            row_cells = [{"language": code, **cells.get((page.pk, code), {"published": None, "open": None})}
                         for code in LANGUAGE_CODES]
            title = _preferred({c["language"]: (c["published"] or c["open"]) for c in row_cells
                                if c["published"] or c["open"]}, language)
            rows.append({"page": page, "title": title.title if title else page.slug, "cells": row_cells})
        groups.append({"code": country, "name": labels.get(country, country), "rows": rows})
    return groups


def page_versions_waiting(*, user, countries, which: str):
    """"in_review": versions of her countries waiting for someone else's review; "mine": her
    drafts and her versions returned with comments. One query (the caller paginates)."""
    versions = (PageVersion.objects.filter(page__country__in=countries).select_related("page", "created_by")
                .only(*LIST_FIELDS, "page__country", "page__slug", "page__position", "created_by__first_name",
                      "created_by__last_name", "created_by__email"))
    if which == "in_review":
        versions = versions.filter(status=PageStatus.IN_REVIEW).exclude(created_by=user)
    else:
        versions = versions.filter(status__in=[PageStatus.DRAFT, PageStatus.RETURNED], created_by=user)
    return versions.order_by("page__country", "page__position", "page__slug", "language", "pk")


def page_state(*, page: InfoPage, language: str) -> dict:
    """What is there of the page in one language: the published version, the open one (draft,
    waiting for review, returned), and the comments of the last return when the open draft
    follows one. Two queries at most."""
    state = {"published": None, "open": None, "returned": None}
    for version in (PageVersion.objects.filter(page=page, language=language).exclude(status=PageStatus.SUPERSEDED)
                    .select_related("created_by", "reviewed_by")):
        state["published" if version.status == PageStatus.PUBLISHED else "open"] = version
    opened = state["open"]
    if opened is not None and opened.status == PageStatus.RETURNED:
        state["returned"] = opened
    elif opened is not None and opened.status == PageStatus.DRAFT and opened.number > 1:
        previous = (PageVersion.objects.filter(page=page, language=language, number=opened.number - 1)
                    .select_related("reviewed_by").first())
        if previous is not None and previous.reviewed_at is not None and previous.published_at is None:
            state["returned"] = previous
    return state


def translation_source(*, page: InfoPage, language: str):
    """The published version a new translation starts from: English, else another language."""
    versions = {v.language: v for v in PageVersion.objects.filter(page=page, status=PageStatus.PUBLISHED)
                .exclude(language=language)}
    return _preferred(versions, "en")


def page_history(*, page: InfoPage, language: str) -> list[PageVersion]:
    """Every version in this language, newest first, without their text. One query."""
    return list(PageVersion.objects.filter(page=page, language=language).select_related("created_by", "reviewed_by")
                .only(*LIST_FIELDS, "review_comment", "created_by__first_name", "created_by__last_name", "created_by__email",
                      "reviewed_by__first_name", "reviewed_by__last_name", "reviewed_by__email").order_by("-number"))


def page_version_by_number(*, page: InfoPage, language: str, number) -> PageVersion | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return PageVersion.objects.filter(page=page, language=language, number=number).first()


def published_version(*, page: InfoPage, language: str) -> PageVersion | None:
    return PageVersion.objects.filter(page=page, language=language, status=PageStatus.PUBLISHED).first()


# ---- comparing versions ----------------------------------------------------------------------

def _line_diff(old: str, new: str, context: int = 2) -> list[dict]:
    """Line by line: {"kind": "same" | "added" | "removed" | "skipped", "text", "count"}; long
    unchanged stretches are folded to `context` lines around each change."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            same = old_lines[i1:i2]
            keep_head = 0 if i1 == 0 and j1 == 0 else context  # lines after the change above
            keep_tail = 0 if i2 == len(old_lines) and j2 == len(new_lines) else context  # lines before the change below
            if len(same) <= keep_head + keep_tail + 1:
                rows += [{"kind": "same", "text": line} for line in same]
                continue
            rows += [{"kind": "same", "text": line} for line in same[:keep_head]]
            rows.append({"kind": "skipped", "count": len(same) - keep_head - keep_tail})
            rows += [{"kind": "same", "text": line} for line in same[len(same) - keep_tail:]]
            continue
        removed, added = old_lines[i1:i2], new_lines[j1:j2]
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        # A changed line shows as before/after with the changed words marked; lines with no
        # counterpart as wholly removed or added.
        for before, after in zip(removed[:paired], added[:paired]):
            old_words, new_words = _word_segments(before, after)
            rows.append({"kind": "before", "segments": old_words})
            rows.append({"kind": "after", "segments": new_words})
        rows += [{"kind": "removed", "text": line} for line in removed[paired:]]
        rows += [{"kind": "added", "text": line} for line in added[paired:]]
    return rows


def _word_segments(before: str, after: str):
    """The two lines as [{"text", "changed"}] segments, split at word boundaries."""
    import re

    old_words, new_words = re.findall(r"\s+|[^\s]+", before), re.findall(r"\s+|[^\s]+", after)
    old_segments, new_segments = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if i2 > i1:
            old_segments.append({"text": "".join(old_words[i1:i2]), "changed": tag != "equal"})
        if j2 > j1:
            new_segments.append({"text": "".join(new_words[j1:j2]), "changed": tag != "equal"})
    return old_segments, new_segments


def version_diff(old: PageVersion | None, new: PageVersion) -> dict:
    """The changes from `old` (None: a first version) to `new`, field by field, for people who
    read them with or without colour: {"fields": [{"name", "label", "rows", "changed"}], "changed"}."""
    fields = []
    for name, label in (("title", PageVersion._meta.get_field("title").verbose_name),
                        ("summary", PageVersion._meta.get_field("summary").verbose_name),
                        ("body", PageVersion._meta.get_field("body").verbose_name)):
        before, after = getattr(old, name, "") if old is not None else "", getattr(new, name)
        rows = _line_diff(before, after)
        fields.append({"name": name, "label": label, "rows": rows, "changed": (before or "") != (after or "")})
    return {"fields": fields, "changed": any(field["changed"] for field in fields)}


def published_languages(*, page: InfoPage) -> list[str]:
    codes = set(PageVersion.objects.filter(page=page, status=PageStatus.PUBLISHED).values_list("language", flat=True))
    return [code for code in LANGUAGE_CODES if code in codes]
