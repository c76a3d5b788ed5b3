"""The directory's editing in Chromium: an editor adds a helpline for Italy (a shelter's address
is refused on the way), publishes it, and a visitor finds it with the public directory's search.
axe on every page."""
import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import assert_accessible, browser, sign_in  # noqa: F401 (fixture)
from rete.portal.models import DirectoryEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_adds_a_helpline_and_a_visitor_finds_it(browser, live_server):  # noqa: F811
    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    make_user("editor@home.example", roles=[Role.CONTENT_EDITOR], organisation=home)

    # The editor opens the directory's tab and adds an entry.
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "editor@home.example")
    page.wait_for_url("**/start/")
    page.goto("/en/editor/")
    assert_accessible(page)
    page.get_by_role("navigation", name="Public portal").get_by_role("link", name="Service directory").click()
    page.wait_for_url("**/editor/directory/")
    assert "No entry matches these choices." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Add an entry").click()
    page.wait_for_url("**/editor/directory/new/")
    assert_accessible(page)
    page.locator("#id_name").fill("Linea Amica Lombardia")
    page.get_by_label("Kind of service").select_option("shelter")
    page.get_by_label("Organisation").select_option(label="Casa Esempio (Italy)")
    page.get_by_label("Region").fill("Lombardia")
    page.get_by_label("City").fill("Bergamo")
    page.get_by_label("Postal codes served").fill("240 241")
    page.get_by_label("Address").fill("Via Riservata 7")
    page.get_by_label("Phone").fill("800 000 111")
    page.get_by_label("Opening hours").fill("Day and night")
    page.get_by_label("Open day and night").check()
    page.get_by_label("Italian", exact=True).check()
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Talk to someone", exact=True).check()
    page.get_by_label("Help for someone I know", exact=True).check()
    page.get_by_label("Description").fill("Free helpline for women facing violence, and for the people close to them.")
    page.get_by_role("button", name="Save the entry").click()
    # A shelter never has an address: refused on the field, her input kept.
    page.get_by_text("A shelter's address is never published: leave it empty.").first.wait_for()
    assert page.locator("#id_name").input_value() == "Linea Amica Lombardia"
    assert page.locator("#id_address").input_value() == "Via Riservata 7"
    assert not DirectoryEntry.objects.exists()
    assert_accessible(page)
    # It is a helpline, in fact.
    page.get_by_label("Kind of service").select_option("helpline")
    page.locator("#id_address").fill("")
    page.get_by_role("button", name="Save the entry").click()
    page.get_by_text("The entry was saved.").first.wait_for()
    assert_accessible(page)
    entry = DirectoryEntry.objects.get()
    assert (entry.kind, entry.country, entry.organisation, entry.published) == ("helpline", "IT", home, False)
    assert entry.languages == ["en", "it"] and entry.needs == ["talk", "someone_i_know"] and entry.open_24_7
    page.get_by_role("button", name="Publish in the directory").click()
    page.get_by_text("The entry is in the public directory.").first.wait_for()
    assert_accessible(page)
    assert DirectoryEntry.objects.get().published

    # Back in the list, she finds it by place, accents and case aside.
    page.get_by_role("link", name="All entries").click()
    page.wait_for_url("**/editor/directory/")
    page.get_by_label("Name, place or postal code").fill("BERGAMO")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/editor/directory/?q=BERGAMO*")
    page.get_by_role("link", name="Linea Amica Lombardia").wait_for()
    assert_accessible(page)

    # A visitor finds it with the public directory's search.
    visitor_context, visitor, visitor_csp = new_page(browser, live_server)
    visitor.goto("/en/directory/")
    assert_accessible(visitor)
    visitor.get_by_label("Town, city or postal code").fill("241")
    visitor.get_by_label("What do you need?").select_option("someone_i_know")
    visitor.get_by_role("button", name="Search").click()
    visitor.get_by_role("heading", name="Linea Amica Lombardia").wait_for()
    html = visitor.content()
    assert "Helpline" in html and "Open day and night" in html and 'href="tel:800000111"' in html
    assert "Via Riservata" not in html
    assert_accessible(visitor)

    assert visitor_context.cookies() == []
    assert not csp_errors and not visitor_csp, (csp_errors, visitor_csp)
    visitor_context.close()
    context.close()
