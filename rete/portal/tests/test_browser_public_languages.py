"""Every public page, in each of the five languages, in Chromium: axe finds nothing, no cookie
is left and nothing is requested from another host."""
import pytest
from django.conf import settings

from rete.cases.tests.test_browser_flow import new_page
from rete.core.tests.test_browser import assert_accessible, browser  # noqa: F401 (fixture)
from rete.portal.tests.public_values import public_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_public_page_is_accessible_in_every_language(browser, live_server):  # noqa: F811
    from rete.portal.demo import load_demo_directory

    load_demo_directory()
    paths = [path for path in public_paths() if not path.endswith((".pdf", ".ics", ".zip"))]
    context, page, csp_errors = new_page(browser, live_server)
    elsewhere = []
    page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(live_server.url) else None)
    for language, _name in settings.LANGUAGES:
        for path in paths:
            response = page.goto(path.replace("/en/", f"/{language}/", 1))
            assert response.status == 200, (language, path)
            assert_accessible(page)
    assert context.cookies() == []
    assert not elsewhere, elsewhere
    assert not csp_errors, csp_errors
    context.close()
