"""The self-checks and the pages about quick exit and browsing safely: public, no cookies, not
cached, nothing from another host, and a questionnaire that cannot send anything."""
import re

import pytest
from django.contrib.staticfiles import finders

from rete.conftest import url

PAGES = ["portal:self_check", "portal:self_check_me", "portal:self_check_other",
         "portal:quick_exit_info", "portal:browsing_safely"]


def assert_private_public_page(response):
    assert response.status_code == 200
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]
    # The quick-exit destination is where the button leads, never a request this page makes.
    html = re.sub(r'data-exit-url="[^"]*"', "", response.content.decode())
    assert not re.search(r"https?://", html), re.findall(r".{40}https?://.{40}", html)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?//""", html)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "el"])
@pytest.mark.parametrize("name", PAGES)
def test_public_page_is_private(client, name, lang):
    assert_private_public_page(client.get(url(name, lang=lang)))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:self_check_me", "portal:self_check_other"])
def test_questionnaire_cannot_send_anything(client, name):
    html = client.get(url(name)).content.decode()
    form = re.search(r"<form\b[^>]*data-self-check[^>]*>(.*?)</form>", html, re.S)
    assert form, "the questionnaire form is missing"
    opening = re.search(r"<form\b[^>]*>", form.group(0)).group(0)
    assert "action=" not in opening and "method=" not in opening
    assert not re.search(r"<form\b[^>]*method=[\"']?post", html, re.I)
    assert not re.search(r"\sname=", form.group(1)), "a named field would be sent"
    assert form.group(1).count('type="checkbox"') >= 12
    assert 'data-danger' in form.group(1)
    # The result region is announced and the explanation is there without JavaScript.
    assert 'aria-live="polite"' in html
    assert "If you ticked any of questions" in html
    assert "These results are not definitive" in html
    assert "/static/rete/selfcheck.js" in html
    assert 'href="tel:112"' in html


@pytest.mark.django_db
def test_helplines_of_the_visitors_language_come_first(client):
    html = client.get(url("portal:self_check_me", lang="it")).content.decode()
    assert html.index("1522") < min(html.index("1440"), html.index("116 006"), html.index("0800 1 8676"))
    html = client.get(url("portal:self_check_me", lang="el")).content.decode()
    assert html.index("1440") < html.index("1522")
    assert 'href="tel:08001 8676"' not in html and 'href="tel:080018676"' in client.get(url("portal:browsing_safely")).content.decode()


@pytest.mark.django_db
def test_footer_links_the_pages(client):
    html = client.get(url("portal:home")).content.decode()
    for name in ("portal:quick_exit_info", "portal:browsing_safely", "portal:self_check"):
        assert f'href="{url(name)}"' in html


@pytest.mark.django_db
def test_post_is_refused_without_500(client):
    for name in PAGES:
        assert client.post(url(name), {"q1": "on"}).status_code == 405


def test_script_is_a_static_file_and_stores_nothing():
    path = finders.find("rete/selfcheck.js")
    assert path
    source = open(path, encoding="utf-8").read()
    source = re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", source, flags=re.S))  # code only
    for forbidden in ("localStorage", "sessionStorage", "document.cookie", "fetch(", "XMLHttpRequest", "location", "sendBeacon"):
        assert forbidden not in source, forbidden
