"""The self-checks in Chromium: answered in the page with no request at all, nothing stored,
no cookie; axe clean on the self-check pages and the pages about quick exit and browsing
safely, in English and Greek."""
import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import url
from rete.core.tests.test_browser import assert_accessible, browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["portal:self_check", "portal:self_check_me", "portal:self_check_other",
         "portal:quick_exit_info", "portal:browsing_safely"]


def recorder(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def assert_nothing_kept(context, page):
    assert context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_pages_are_accessible_and_stay_on_this_host(browser, live_server):  # noqa: F811
    context, page, csp_errors = new_page(browser, live_server)
    requests = recorder(page)
    for lang in ("en", "el"):
        for name in PAGES:
            page.goto(url(name, lang=lang))
            assert_accessible(page)
    assert requests and all(r.startswith(live_server.url) for r in requests), [r for r in requests if not r.startswith(live_server.url)]
    assert_nothing_kept(context, page)
    assert not csp_errors, csp_errors
    context.close()


@pytest.mark.parametrize("lang", ["en", "el"])
def test_am_i_at_risk_is_answered_in_the_page_only(browser, live_server, lang):  # noqa: F811
    context, page, csp_errors = new_page(browser, live_server)
    address = url("portal:self_check_me", lang=lang)
    page.goto(address)
    page.wait_for_load_state("networkidle")
    requests = recorder(page)  # from here on: nothing at all may be requested
    region = page.locator("#self-check-result")
    submit = page.locator("form[data-self-check] button[type=submit]")
    boxes = page.locator("form[data-self-check] input[type=checkbox]")
    assert page.locator("[data-without-script]").is_hidden()

    def shown_level():
        visible = region.locator("[data-level]:visible")
        assert visible.count() == 1
        return visible.get_attribute("data-level")

    submit.click()
    assert shown_level() == "none"
    assert page.evaluate("document.activeElement.tagName") == "H2"
    assert region.locator("[data-result-notice]").is_visible()

    page.locator("form[data-self-check] input[type=checkbox]:not([data-danger])").nth(1).check()
    submit.click()
    assert shown_level() == "abuse"
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == region.locator("[data-level=abuse] h2").inner_text().strip()
    assert_accessible(page)

    page.locator("form[data-self-check] input[data-danger]").first.check()
    submit.click()
    assert shown_level() == "danger"
    assert "tel:112" in region.locator("[data-level=danger]").inner_html()
    assert_accessible(page)

    # Clear my answers: every box unticked, the result gone.
    page.locator("form[data-self-check] button[type=reset]").click()
    assert boxes.evaluate_all("els => els.filter(e => e.checked).length") == 0
    assert region.locator("[data-level]:visible").count() == 0

    page.wait_for_timeout(300)
    assert requests == [], requests
    assert page.url.endswith(address)
    assert_nothing_kept(context, page)
    assert not csp_errors, csp_errors
    context.close()


def test_without_javascript_the_explanation_is_shown(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(url("portal:self_check_other"))
    assert page.get_by_role("heading", name="How to read your answers").is_visible()
    assert page.locator("form[data-self-check] button[type=submit]").is_hidden()
    assert context.cookies() == []
    context.close()
