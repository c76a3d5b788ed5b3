"""Information pages in Chromium: an editor writes the Italian "reporting" page in Italian,
previews and submits it; a second editor reviews the changes and returns it with a comment; the
first fixes and resubmits; the second publishes; a visitor reads the new text at once; the
history keeps every version. An axe check on every page."""
import re

import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import assert_accessible, browser, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_review_return_fix_publish_and_read(browser, live_server):  # noqa: F811
    from rete.portal.models import InfoPage, PageStatus, PageVersion
    from rete.portal.services.pages import pages_install_shipped
    from rete.portal.tests.factories_pages import published_page

    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    make_user("editor@home.example", roles=[Role.CONTENT_EDITOR], organisation=home, first_name="Elena", last_name="Editor")
    make_user("coordinator@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=home, first_name="Carla",
              last_name="Coordinator")
    pages_install_shipped()
    if not PageVersion.objects.filter(page__country="IT", page__slug="reporting", status=PageStatus.PUBLISHED).exists():
        published_page(country="IT", slug="reporting", language="en", title="How to report", body="How to report.")
    reporting = InfoPage.objects.get(country="IT", slug="reporting")
    edit_url = f"/en/editor/pages/{reporting.pk}/it/"

    editor_context, editor, editor_errors = new_page(browser, live_server)
    sign_in(editor, "editor@home.example")
    editor.wait_for_url("**/start/")
    editor.goto("/en/editor/pages/")
    editor.get_by_role("table", name="Italy").wait_for()
    assert_accessible(editor)

    # She writes the Italian text (from the published Italian text, or translating another one).
    editor.goto(edit_url)
    assert_accessible(editor)
    editor.get_by_label("Title").fill("Come denunciare la violenza")
    body = editor.locator("#id_body")
    body.fill(body.input_value() + "\n\nPuoi denunciare in qualsiasi stazione dei Carabinieri.")
    editor.get_by_label("What changed").fill("Dove denunciare")
    editor.get_by_role("button", name="Save the draft").click()
    editor.get_by_text("The draft was saved").first.wait_for()
    assert_accessible(editor)
    editor.get_by_role("link", name="Preview").first.click()
    editor.get_by_text("Preview – not published").first.wait_for()
    assert "stazione dei Carabinieri" in editor.content() and editor.locator('a[href="tel:1522"]').count()
    assert_accessible(editor)
    editor.get_by_role("link", name="Back to editing").click()
    editor.get_by_role("button", name="Submit for review").click()
    editor.get_by_text("submitted for review").first.wait_for()
    assert editor.get_by_label("Title").count() == 0  # frozen while it waits
    assert_accessible(editor)

    # A second editor reviews the changes and returns the version with a comment.
    reviewer_context, reviewer, reviewer_errors = new_page(browser, live_server)
    sign_in(reviewer, "coordinator@home.example")
    reviewer.wait_for_url("**/start/")
    reviewer.goto("/en/editor/")
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name=re.compile("page version waits for your review")).click()
    reviewer.get_by_role("table", name="Versions waiting for your review").wait_for()
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="Come denunciare la violenza").click()
    reviewer.get_by_role("heading", name=re.compile("^What changed")).wait_for()
    assert reviewer.locator("ins", has_text="stazione dei Carabinieri").count()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Return it with comments").click()
    reviewer.get_by_text("Say what should change").first.wait_for()
    assert_accessible(reviewer)
    reviewer.get_by_label("Comments for the author").fill("Aggiungi il numero 1522.")
    reviewer.get_by_role("button", name="Return it with comments").click()
    reviewer.get_by_text("was returned to its author").first.wait_for()
    assert_accessible(reviewer)

    # She reads the comment, fixes the text and submits again.
    editor.goto(edit_url)
    editor.get_by_text("Aggiungi il numero 1522.").first.wait_for()
    assert_accessible(editor)
    body = editor.locator("#id_body")
    body.fill(body.input_value() + " Oppure chiama il 1522, giorno e notte.")
    editor.get_by_role("button", name="Save the draft").click()
    editor.get_by_text("The draft was saved").first.wait_for()
    editor.get_by_role("button", name="Submit for review").click()
    editor.get_by_text("submitted for review").first.wait_for()

    # The reviewer publishes it.
    reviewer.goto("/en/editor/pages/?status=in_review")
    reviewer.get_by_role("link", name="Come denunciare la violenza").click()
    reviewer.get_by_role("button", name="Publish this version").wait_for()
    assert reviewer.locator("ins", has_text="giorno e notte").count()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Publish this version").click()
    reviewer.get_by_text("was published").first.wait_for()
    assert reviewer.get_by_text("Returned with comments, then replaced by a later version").count()
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name=re.compile(r"^Changes from version \d+ to \d+$")).first.click()
    reviewer.get_by_role("heading", name=re.compile(r"^Changes from version")).wait_for()
    assert_accessible(reviewer)

    # A visitor reads the new text at once, in Italian.
    visitor_context, visitor, visitor_errors = new_page(browser, live_server)
    visitor.goto("/it/info/it/reporting/")
    visitor.get_by_role("heading", level=1, name="Come denunciare la violenza").wait_for()
    assert "giorno e notte" in visitor.content()
    assert visitor.title() == "Come denunciare la violenza"
    assert not visitor_context.cookies()
    assert_accessible(visitor)
    visitor.goto("/it/info/")
    visitor.get_by_role("link", name="Come denunciare la violenza").wait_for()
    assert_accessible(visitor)

    versions = PageVersion.objects.filter(page=reporting, language="it").order_by("number")
    assert [v.status for v in versions][-2:] == [PageStatus.SUPERSEDED, PageStatus.PUBLISHED]
    assert not (editor_errors or reviewer_errors or visitor_errors)
    for context in (editor_context, reviewer_context, visitor_context):
        context.close()


def test_shipped_pages_read_well_in_every_language(browser, live_server):  # noqa: F811
    """The pages Rete ships, as a visitor finds them: the country's list and each page, in
    each language (a page not yet translated shows its notice); axe on every one."""
    from django.conf import settings

    from rete.portal.models import PageStatus, PageVersion
    from rete.portal.services.pages import pages_install_shipped

    pages_install_shipped()
    slugs = sorted(set(PageVersion.objects.filter(page__country="IT", status=PageStatus.PUBLISHED)
                       .values_list("page__slug", flat=True)))
    if not slugs:
        pytest.skip("no shipped page text yet (rete/portal/content/<language>.yaml)")
    context, page, csp_errors = new_page(browser, live_server)
    for language, _name in settings.LANGUAGES:
        page.goto(f"/{language}/info/?country=IT")
        assert page.locator(f'a[href="/{language}/info/it/{slugs[0]}/"]').count()
        assert_accessible(page)
        for slug in slugs:
            response = page.goto(f"/{language}/info/it/{slug}/")
            assert response.status == 200, (language, slug)
            assert page.locator('main a[href="tel:1522"]').count()
            assert_accessible(page)
    assert context.cookies() == [] and not csp_errors
    context.close()
