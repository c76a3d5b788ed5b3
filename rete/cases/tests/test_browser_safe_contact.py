"""Safe contact in Chromium: a visitor asks a service to contact her (in English, then in Greek),
with no cookie left in her browser and no request to another host; then a caseworker of that
organisation finds the request in the queue and opens a case from it. Axe on every page."""
import re

import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_request(page, organisation, alias):
    page.locator("select[name=organisation]").select_option(str(organisation.pk))
    page.locator("input[name=safe_to_contact][value=yes]").check()
    page.locator("input[name=name_or_alias]").fill(alias)
    page.locator("input[name=phone]").fill("347 555 0199")
    page.locator("input[name=safe_times]").fill("Weekdays 9-12")
    page.locator("input[name=code_word]").fill("Pizza")
    page.locator("textarea[name=message]").fill("I would like to talk.")
    page.locator("select[name=heard_about]").select_option("leaflet")


def test_a_visitor_asks_for_contact_and_a_caseworker_opens_a_case(browser, live_server):  # noqa: F811
    from django.core.cache import cache

    from rete.cases.models import Case, ContactRequest, ContactRequestStatus

    cache.clear()
    home = make_organisation("home", name="Casa Esempio", languages=("it", "el"))
    make_organisation("other", name="Other Centre", country="CY", languages=("el",))
    make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)

    # The visitor: the form and the thank-you page in English, then in Greek.
    context, page, csp_errors = new_page(browser, live_server)
    elsewhere = []
    page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(live_server.url) else None)
    page.goto("/en/")
    page.get_by_role("link", name="Ask a service to contact you safely").click()
    page.wait_for_url("**/en/contact/")
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()  # nothing filled in: 400, calm errors
    assert page.get_by_role("alert").count() >= 1
    assert_accessible(page)
    fill_request(page, home, "Anna")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your request has been sent"
    assert_accessible(page)

    page.goto("/el/contact/")
    assert page.locator("html").get_attribute("lang") == "el"
    assert page.locator("input[name=phone]").get_attribute("autocomplete") == "off"
    assert_accessible(page)
    fill_request(page, home, "Ελένη")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1 and "1522" in page.content()
    assert_accessible(page)
    assert context.cookies() == []
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    assert elsewhere == []
    assert csp_errors == []
    context.close()
    assert ContactRequest.objects.filter(organisation=home).count() == 2
    greek = next(r for r in ContactRequest.objects.all() if r.name_or_alias == "Ελένη")
    assert greek.language == "el"

    # The caseworker: the start page, the queue, the request, a case opened from it.
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    page.get_by_role("link", name="2 requests for contact waiting").click()
    page.wait_for_url("**/cases/requests/")
    assert_accessible(page)
    assert "Ελένη" in page.content()
    page.goto(f"/en/cases/requests/{greek.pk}/")
    assert "347 555 0199" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Open a case from this request").click()
    assert page.get_by_label("Name she wants to be called").input_value() == "Ελένη"
    assert page.get_by_label("Safe phone").input_value() == "347 555 0199"
    assert_accessible(page)
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case = Case.objects.get()
    greek.refresh_from_db()
    assert greek.case == case and greek.status == ContactRequestStatus.HANDLED
    page.goto("/en/cases/requests/")
    assert "Ελένη" not in page.content() and "Anna" in page.content()
    assert csp_errors == []
    context.close()
