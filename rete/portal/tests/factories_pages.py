"""Information pages for tests (part "pages"): through the services where editors are at hand,
directly otherwise."""
from django.utils import timezone

from rete.portal.models import InfoPage, PageStatus, PageVersion
from rete.portal.services import pages as services

BODY = "Paragraph one.\n\n## What you can do\n\n- Call the helpline.\n- Talk to a support centre."


def make_page(author, reviewer, *, country="IT", slug="test-page", language="en", title="How to report",
              body=BODY, draft_body=None):
    """A page published (version 1, written by `author`, published by `reviewer`) with a draft
    (version 2, by `author`) on top. Returns (page, published, draft)."""
    first = services.page_create(by=author, country=country, slug=slug, language=language, title=title,
                                 summary="Where and how to report violence.", body=body, change_note="First version")
    first = services.page_submit(by=author, draft=first, version=first.version)
    published = services.page_publish(by=reviewer, version=first, notify=False)
    draft = services.page_draft_save(by=author, page=first.page, language=language, title=title,
                                     summary="Where and how to report violence.",
                                     body=draft_body or body + "\n\nA new paragraph.", change_note="New paragraph")
    return first.page, published, draft


def published_page(*, country="IT", slug="test-page", language="en", title="How to report", body=BODY, summary=""):
    """A page with a published version in `language` (created if missing). Returns (page, version)."""
    page, _created = InfoPage.objects.get_or_create(country=country, slug=slug)
    version = PageVersion.objects.filter(page=page, language=language, status=PageStatus.PUBLISHED).first()
    if version is None:
        number = PageVersion.objects.filter(page=page, language=language).count() + 1
        now = timezone.now()
        version = PageVersion.objects.create(page=page, language=language, number=number, title=title, summary=summary,
                                             body=body, status=PageStatus.PUBLISHED, submitted_at=now, reviewed_at=now,
                                             published_at=now)
    return page, version
