"""The service directory in Chromium, in English and Greek: search without JavaScript tricks,
an axe check on every page, no request to another host, no cookie left behind."""
import re

import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.core.tests.test_browser import assert_accessible, browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_the_directory_in_english_and_greek(browser, live_server):  # noqa: F811
    from rete.portal.demo import load_demo_directory

    load_demo_directory()
    context, page, csp_errors = new_page(browser, live_server)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    # English: the home page lists every country's helplines and leads to the directory.
    page.goto("/en/")
    assert_accessible(page)
    assert page.locator('a[href="tel:1522"]').count() and page.locator('a[href="tel:1440"]').count()
    page.get_by_role("navigation", name="Helplines of another country").get_by_role("link", name="Cyprus").click()
    assert page.locator('a[href="tel:1522"]').count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Find a service near you").click()
    page.wait_for_url(re.compile(r".*/en/directory/\?country=CY$"))
    assert_accessible(page)
    page.get_by_label("Town, city or postal code").fill("nicosia")
    page.get_by_label("What do you need?").select_option("police")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="Cyprus Police – Domestic violence office").wait_for()
    assert page.get_by_role("heading", name="APHVF – Family violence support centre").count() == 0
    assert_accessible(page)
    page.get_by_label("Town, city or postal code").fill("Atlantis")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*q=Atlantis.*"))
    assert "No service matches" in page.content()
    assert page.locator('a[href="tel:1440"]').count() and page.locator('main a[href="tel:112"]').count()
    assert_accessible(page)

    # Greek: the home page shows Cyprus by default; the directory searches the postal prefix.
    page.goto("/el/")
    assert_accessible(page)
    assert page.locator('a[href="tel:1440"]').count() and page.locator('a[href="tel:1522"]').count() == 0
    page.goto("/el/directory/")
    assert_accessible(page)
    page.locator("#id_q").fill("1010")
    page.locator("#id_open_24_7").check()
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/el/directory/\?.*q=1010.*"))
    assert page.get_by_role("heading", name="APHVF – Family violence support centre").count() == 0  # not 24/7
    page.locator("#id_open_24_7").uncheck()
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*open_24_7).*q=1010.*"))
    page.get_by_role("heading", name="APHVF – Family violence support centre").wait_for()
    assert_accessible(page)

    elsewhere = [address for address in requests if not address.startswith(live_server.url)]
    assert elsewhere == [], elsewhere
    assert context.cookies() == []
    assert not csp_errors, csp_errors
    context.close()
