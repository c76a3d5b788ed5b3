"""Every page of the public portal, in every language: no cookie, nothing cached, no referrer,
nothing from another host."""
import re

import pytest
from django.conf import settings

from rete.portal.tests.public_values import public_paths

pytestmark = pytest.mark.django_db

HOST = re.compile(r"""(?:src|href|action|srcset|data)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_public_pages_set_no_cookie_and_load_nothing_from_elsewhere(client, language):
    paths = public_paths()
    assert len(paths) >= 8
    for path in paths:
        response = client.get(path.replace("/en/", f"/{language}/", 1))
        assert response.status_code == 200, path
        assert not response.cookies, (path, response.cookies)
        assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer", path
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download (PDF, calendar file): the headers above are what matters
        html = response.content.decode()
        # The quick-exit button names where it leaves to: the only other host on the page.
        html = re.sub(r'data-exit-url="[^"]*"', "", html)
        assert not HOST.search(html), (path, HOST.search(html).group(0))
        assert f'lang="{language}"' in html, path
