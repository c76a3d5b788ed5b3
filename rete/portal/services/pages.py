"""Information pages: writing a version, review by a second person, publishing, and the pages
Rete ships. Every write is atomic, checks the editor's countries inside and leaves an audit
event (ids, languages, numbers and field names only, never the text).

A page has, per language, a series of numbered versions. At most one is *open* at a time: a
draft (edited by any editor of the page's country, with optimistic locking), a version waiting
for review (frozen), or a version returned with comments. Review publishes it (the previously
published one becomes superseded) or returns it; editing a returned version starts the next
draft from its text, and the returned one is then marked as replaced. Submitted versions are
never rewritten or deleted; only a draft that was never submitted can be discarded."""
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.portal.models import InfoPage, PageStatus, PageVersion

SHIPPED_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
TEXT_FIELDS = ("title", "summary", "body", "change_note")
# Addresses a page may link to: the portal itself (a path), a phone number, an e-mail address.
LOCAL_LINK_SCHEMES = ("tel:", "mailto:")


# ---- checks ----------------------------------------------------------------------------------

def _editor_organisation(by, country):
    """The organisation through which she edits this country's pages (for the audit trail);
    a country outside her reach is refused like a page that does not exist."""
    from rete.portal.selectors import editor_organisations

    organisations = [o for o in editor_organisations(user=by) if o.country == country]
    if not organisations:
        access.deny()
    return sorted(organisations, key=lambda o: o.pk)[0]


def external_links(text: str) -> list[str]:
    """The link targets in a page's text that lead to another site. Public pages never send a
    visitor elsewhere without her seeing it: another site's address is written as text."""
    from rete.portal.markup import _parser

    found = []

    def walk(tokens):
        for token in tokens:
            if token.type == "link_open":
                href = (token.attrGet("href") or "").strip()
                lowered = href.lower()
                if lowered.startswith(LOCAL_LINK_SCHEMES):
                    continue
                if lowered.startswith("//") or ":" in lowered.split("/", 1)[0]:
                    found.append(href)
            if token.children:
                walk(token.children)

    walk(_parser().parse(text or ""))
    return found


def _clean_text(*, language, title, summary, body, change_note) -> dict:
    if language not in LANGUAGE_CODES:
        raise ServiceError(_("Choose one of the portal's languages."), field="language")
    values = {"title": (title or "").strip(), "summary": (summary or "").strip(), "body": (body or "").strip(),
              "change_note": (change_note or "").strip()}
    if not values["title"]:
        raise ServiceError(_("Give the page a title."), field="title")
    if not values["body"]:
        raise ServiceError(_("Write the page's text."), field="body")
    if external_links(values["body"]):
        raise ServiceError(_("Public pages do not link to other sites, so that nothing is loaded or followed from "
                             "elsewhere: write the other site's address as plain text instead."), field="body")
    return values


def _open_versions(page, language):
    """The page's versions in this language that are not superseded: at most the published one
    and one open version (draft, waiting for review or returned)."""
    return list(PageVersion.objects.select_for_update().filter(page=page, language=language)
                .exclude(status=PageStatus.SUPERSEDED).order_by("-number"))


def _next_number(page, language) -> int:
    return (PageVersion.objects.filter(page=page, language=language).aggregate(top=Max("number"))["top"] or 0) + 1


def _lock_page(page) -> InfoPage:
    # One writer at a time per page: numbering and "one open version" hold on every database.
    return InfoPage.objects.select_for_update().get(pk=page.pk)


def contributor_ids(version: PageVersion) -> set[int]:
    """Everyone who wrote into this version: its author and whoever saved its draft. None of
    them may review it."""
    from rete.core.models import AuditEvent

    saved_by = AuditEvent.objects.filter(object_type=PageVersion._meta.label_lower, object_id=str(version.pk),
                                         action="portal.page_draft_saved", actor__isnull=False).values_list("actor_id", flat=True)
    return {pk for pk in [version.created_by_id, *saved_by] if pk}


def review_refusal(*, user, version: PageVersion) -> str:
    """Why she cannot review this version, or "" when she can (four eyes)."""
    from rete.portal.selectors import editor_countries

    if version.page.country not in editor_countries(user=user):
        return _("You do not edit this country's pages.")
    if version.status != PageStatus.IN_REVIEW:
        return _("This version is not waiting for review: it is %(status)s.") % {
            "status": str(version.get_status_display()).lower()}
    if user.pk in contributor_ids(version):
        return _("You wrote or edited this version: another editor of the country has to review it (four eyes).")
    return ""


# ---- writes ----------------------------------------------------------------------------------

@transaction.atomic
def page_create(*, by, country, slug, position=100, for_professionals=False, language, title, summary="", body,
                change_note="") -> PageVersion:
    """A new page of one of her countries with its first version, a draft in one language."""
    organisation = _editor_organisation(by, country)
    slug = (slug or "").strip().lower()
    from django.core.validators import validate_slug

    try:
        validate_slug(slug)
    except Exception:
        raise ServiceError(_("Use only lower-case letters, digits and hyphens in the address."), field="slug") from None
    values = _clean_text(language=language, title=title, summary=summary, body=body, change_note=change_note)
    if InfoPage.objects.filter(country=country, slug=slug).exists():
        raise ServiceError(_("This country already has a page at this address: choose another one."), field="slug")
    page = InfoPage.objects.create(country=country, slug=slug, position=position, for_professionals=bool(for_professionals))
    version = PageVersion.objects.create(page=page, language=language, number=1, status=PageStatus.DRAFT, created_by=by,
                                         **values)
    audit.record(action="portal.page_created", actor=by, organisation=organisation, obj=page,
                 detail={"page": page.pk, "country": country, "slug": slug, "language": language, "version": version.pk})
    return version


@transaction.atomic
def page_draft_save(*, by, page: InfoPage, language, draft_id=None, version=None, title, summary="", body,
                    change_note="") -> PageVersion:
    """Save the open draft of the page in this language, or start one (draft_id None). A draft
    saved by someone else since she opened it (its version moved on), submitted or discarded,
    raises StaleEdit with what is there now (None when nothing is)."""
    organisation = _editor_organisation(by, page.country)
    values = _clean_text(language=language, title=title, summary=summary, body=body, change_note=change_note)
    page = _lock_page(page)
    current = _open_versions(page, language)
    open_version = next((v for v in current if v.status != PageStatus.PUBLISHED), None)
    if draft_id is None:
        if open_version is not None and open_version.status in (PageStatus.DRAFT, PageStatus.IN_REVIEW):
            raise StaleEdit(open_version)  # someone started (or submitted) a draft meanwhile
        if open_version is not None:  # returned: the new draft replaces it; its text and comments stay
            PageVersion.objects.filter(pk=open_version.pk).update(status=PageStatus.SUPERSEDED)
        draft = PageVersion.objects.create(page=page, language=language, number=_next_number(page, language),
                                           status=PageStatus.DRAFT, created_by=by, **values)
        audit.record(action="portal.page_draft_saved", actor=by, organisation=organisation, obj=draft,
                     detail={"page": page.pk, "language": language, "number": draft.number, "started": True,
                             "after_return": open_version.number if open_version is not None else None})
        return draft
    if open_version is None or open_version.pk != draft_id or open_version.status != PageStatus.DRAFT:
        raise StaleEdit(open_version)
    changed = sorted(field for field in TEXT_FIELDS if getattr(open_version, field) != values[field])
    if not changed:
        if open_version.version != version:
            raise StaleEdit(open_version)
        return open_version
    versioned_update(PageVersion, pk=open_version.pk, version=version, **values)
    audit.record(action="portal.page_draft_saved", actor=by, organisation=organisation, obj=open_version,
                 detail={"page": page.pk, "language": language, "number": open_version.number, "fields": changed})
    return PageVersion.objects.get(pk=open_version.pk)


@transaction.atomic
def page_submit(*, by, draft: PageVersion, version) -> PageVersion:
    """Send the draft, as she last saw it, for review; its text is frozen from now on."""
    organisation = _editor_organisation(by, draft.page.country)
    _lock_page(draft.page)
    current = PageVersion.objects.get(pk=draft.pk)
    if current.status != PageStatus.DRAFT:
        raise ServiceError(_("This version has already been submitted."))
    if current.version != version:
        raise StaleEdit(current)
    now = timezone.now()
    versioned_update(PageVersion, pk=current.pk, version=version, status=PageStatus.IN_REVIEW, submitted_at=now)
    audit.record(action="portal.page_submitted", actor=by, organisation=organisation, obj=current,
                 detail={"page": current.page_id, "language": current.language, "number": current.number})
    return PageVersion.objects.get(pk=current.pk)


@transaction.atomic
def page_draft_discard(*, by, draft: PageVersion, version) -> None:
    """Throw away a draft that was never submitted. A draft started after a return gives the
    returned version its place back, comments included."""
    organisation = _editor_organisation(by, draft.page.country)
    _lock_page(draft.page)
    current = PageVersion.objects.filter(pk=draft.pk).first()
    if current is None:
        return  # already discarded: nothing left to do
    if current.status != PageStatus.DRAFT:
        raise ServiceError(_("Only a draft that was never submitted can be discarded."))
    if current.version != version:
        raise StaleEdit(current)
    previous = (PageVersion.objects.filter(page_id=current.page_id, language=current.language, number__lt=current.number)
                .order_by("-number").first())
    current.delete()
    restored = None
    if previous is not None and previous.status == PageStatus.SUPERSEDED and previous.published_at is None \
            and previous.reviewed_at is not None:
        PageVersion.objects.filter(pk=previous.pk).update(status=PageStatus.RETURNED)
        restored = previous.number
    audit.record(action="portal.page_draft_discarded", actor=by, organisation=organisation,
                 object_type=PageVersion._meta.label_lower, object_id=str(draft.pk),
                 detail={"page": current.page_id, "language": current.language, "number": current.number,
                         "returned_restored": restored})


def _reviewable(by, version: PageVersion):
    organisation = _editor_organisation(by, version.page.country)
    _lock_page(version.page)
    current = PageVersion.objects.select_related("page").get(pk=version.pk)
    refusal = review_refusal(user=by, version=current)
    if refusal:
        raise ServiceError(refusal)
    return organisation, current


@transaction.atomic
def page_publish(*, by, version: PageVersion, notify=True) -> PageVersion:
    """A second editor publishes the version: visitors read it at once; the version published
    until now is kept as superseded."""
    organisation, current = _reviewable(by, version)
    now = timezone.now()
    replaced = (PageVersion.objects.filter(page_id=current.page_id, language=current.language, status=PageStatus.PUBLISHED)
                .values_list("number", flat=True).first())
    PageVersion.objects.filter(page_id=current.page_id, language=current.language,
                               status=PageStatus.PUBLISHED).update(status=PageStatus.SUPERSEDED)
    PageVersion.objects.filter(pk=current.pk).update(status=PageStatus.PUBLISHED, reviewed_by=by, reviewed_at=now,
                                                     published_at=now)
    audit.record(action="portal.page_published", actor=by, organisation=organisation, obj=current,
                 detail={"page": current.page_id, "language": current.language, "number": current.number,
                         "replaced": replaced})
    if notify and current.created_by_id and current.created_by_id != by.pk:
        pk = current.pk
        transaction.on_commit(lambda: _tell_the_author(pk, "published"))
    return PageVersion.objects.get(pk=current.pk)


@transaction.atomic
def page_return(*, by, version: PageVersion, comment, notify=True) -> PageVersion:
    """A second editor returns the version with comments; its author (or any editor) then
    starts the next draft from it."""
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError(_("Say what should change: the comments go back to the author."), field="comment")
    organisation, current = _reviewable(by, version)
    PageVersion.objects.filter(pk=current.pk).update(status=PageStatus.RETURNED, reviewed_by=by,
                                                     reviewed_at=timezone.now(), review_comment=comment)
    audit.record(action="portal.page_returned", actor=by, organisation=organisation, obj=current,
                 detail={"page": current.page_id, "language": current.language, "number": current.number})
    if notify and current.created_by_id and current.created_by_id != by.pk:
        pk = current.pk
        transaction.on_commit(lambda: _tell_the_author(pk, "returned"))
    return PageVersion.objects.get(pk=current.pk)


def _tell_the_author(version_id, outcome):
    """After commit: the author learns that her version was published or returned. The e-mail
    names the page and links to it; the comments themselves are read in Rete."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    version = PageVersion.objects.select_related("page", "created_by").get(pk=version_id)
    author = version.created_by
    if author is None or not author.is_active or not author.email:
        return
    with translation.override(author.language or settings.LANGUAGE_CODE):
        path = reverse("portal:editor_page_edit", kwargs={"page_id": version.page_id, "language": version.language})
        context = {"version": version, "title": version.title, "number": version.number,
                   "language": version.language, "link": settings.RETE_BASE_URL.rstrip("/") + path}
        subject = render_to_string(f"portal/editor/pages_email_{outcome}_subject.txt", context).strip()
        body = render_to_string(f"portal/editor/pages_email_{outcome}.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [author.email])


# ---- the pages Rete ships --------------------------------------------------------------------

def _load_yaml(path):
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@transaction.atomic
def pages_install_shipped(*, content_dir=None) -> int:
    """For each country and each page listed in pages.yaml: the page if missing and, for each
    language whose file has the page, a published version 1 (the common text, then the
    country's section) — only where the page has no version at all in that language, so an
    editor's work is never overwritten. Running it again adds nothing. Returns how many
    versions were created."""
    from rete.core.models import Country

    content_dir = Path(content_dir) if content_dir else SHIPPED_CONTENT_DIR
    listing = content_dir / "pages.yaml"
    if not listing.exists():
        return 0
    entries = [entry for entry in (_load_yaml(listing) or []) if isinstance(entry, dict) and entry.get("slug")]
    texts = {}
    for code in LANGUAGE_CODES:
        path = content_dir / f"{code}.yaml"
        if path.exists():
            loaded = _load_yaml(path)
            texts[code] = loaded if isinstance(loaded, dict) else {}
    existing = {(page.country, page.slug): page for page in InfoPage.objects.filter(slug__in=[e["slug"] for e in entries])}
    have = set(PageVersion.objects.filter(page__in=existing.values()).values_list("page_id", "language").distinct())
    now = timezone.now()
    created_pages = created_versions = 0
    for country in Country.values:
        for entry in entries:
            slug = str(entry["slug"])
            page = existing.get((country, slug))
            if page is None:
                page = InfoPage.objects.create(country=country, slug=slug, position=int(entry.get("position", 100)),
                                               for_professionals=bool(entry.get("for_professionals", False)))
                created_pages += 1
            for language, content in texts.items():
                item = content.get(slug)
                if not isinstance(item, dict) or (page.pk, language) in have:
                    continue
                title = str(item.get("title") or "").strip()
                body = str(item.get("body") or "").strip()
                if not title or not body:
                    continue
                section = str((item.get("countries") or {}).get(country) or "").strip()
                PageVersion.objects.create(
                    page=page, language=language, number=1, status=PageStatus.PUBLISHED, title=title[:200],
                    summary=str(item.get("summary") or "").strip()[:400],
                    body=body + ("\n\n" + section if section else ""), published_at=now, submitted_at=now, reviewed_at=now)
                have.add((page.pk, language))
                created_versions += 1
    if created_pages or created_versions:
        audit.record(action="portal.pages_installed", detail={"pages": created_pages, "versions": created_versions})
    return created_versions
