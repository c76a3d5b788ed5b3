"""The service directory and the home page's helplines: search by place (accent-insensitive),
postal code, need, country and 24/7; shelters never show an address; public and private pages."""
import re

import pytest
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.db import connection

from rete.conftest import url
from rete.portal.demo import load_demo_directory
from rete.portal.models import DirectoryEntry, EntryKind, Need
from rete.portal.services import directory_entry_save

pytestmark = pytest.mark.django_db


def assert_private_public_page(response, status=200):
    assert response.status_code == status
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    # No other host: only the quick exit's destination (a data attribute read by the script when
    # she leaves) may name one; nothing is loaded or linked from elsewhere.
    elsewhere = re.sub(r'data-exit-url="[^"]*"', "", html)
    assert not re.search(r"https?://", elsewhere), re.findall(r".{40}https?://.{40}", elsewhere)
    assert not re.search(r"""(?:src|href|action|srcset|content)\s*=\s*["']?(?:https?:)?//""", html)
    return html


def entry(**values):
    values = {"kind": EntryKind.VICTIM_SUPPORT, "country": "CZ", "published": True, **values}
    return directory_entry_save(entry=DirectoryEntry(**values))


@pytest.fixture
def directory():
    load_demo_directory()
    entry(name="Centrum Plzeň", city="Plzeň", region="Plzeňský kraj", postal_codes="301 312", needs=[Need.TALK],
          phone="+420 377 000 000", website="https://plzen.example/")
    entry(name="Hidden draft", city="Plzeň", published=False)


def search(client, lang="en", **params):
    response = client.get(url("portal:directory", lang=lang), params)
    return assert_private_public_page(response)


def names(html):
    return re.findall(r'<h3 id="entry-\d+">(.*?)</h3>', html)


def test_place_search_ignores_accents_and_case(client, directory):
    assert names(search(client, q="Plzen")) == ["Centrum Plzeň"]
    assert names(search(client, q="PLZEŇ")) == ["Centrum Plzeň"]
    assert "Hidden draft" not in search(client, q="plzen")
    html = search(client, q="Nicosia")
    assert "APHVF – Family violence support centre" in names(html)
    assert "Cyprus Police – Domestic violence office" in names(html)


def test_postal_prefix_search(client, directory):
    assert names(search(client, q="1010")) == ["APHVF – Family violence support centre"]
    assert names(search(client, q="301")) == ["Centrum Plzeň"]


def test_need_country_and_24_7_filters(client, directory):
    assert names(search(client, need="men_stop")) == ["CIPM – Programme for men who want to stop using violence"]
    html = search(client, country="BG")
    assert set(names(html)) == {"0800 1 8676 – Animus Association helpline",
                                "0800 11 977 – Alliance for Protection against Gender-Based Violence",
                                "Demetra – Support centre", "European emergency number 112"}
    html = search(client, country="BG", open_24_7="on")
    assert "0800 1 8676 – Animus Association helpline" not in names(html)
    assert "Open day and night" in html


def test_a_card_shows_phone_hours_languages_and_website_as_text(client, directory):
    html = search(client, q="Plzen")
    assert 'href="tel:+420377000000"' in html
    assert "plzen.example" in html  # as text, never as a link to another host
    html = search(client, q="Burgas")
    assert "Bulgarian, English" in html and "9:00" in html
    html = search(client, lang="el", q="Burgas")
    assert "Βουλγαρικά" in html


def test_no_results_suggest_the_national_helpline_and_112(client, directory):
    html = search(client, q="Atlantis", country="IT")
    assert "No service matches" in html
    assert 'href="tel:1522"' in html and 'href="tel:112"' in html
    assert 'href="tel:1440"' not in html


def test_bad_input_re_renders_with_400(client, directory):
    response = client.get(url("portal:directory"), {"country": "XX", "q": "Roma"})
    html = assert_private_public_page(response, status=400)
    assert 'value="Roma"' in html


def test_shelters_never_show_an_address(client, directory):
    shelter = DirectoryEntry(name="Safe house", kind=EntryKind.SHELTER, country="IT", city="Roma",
                             address="Via Segreta 1", published=True)
    with pytest.raises(Exception):
        directory_entry_save(entry=shelter)
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectoryEntry.objects.create(name="Safe house", kind=EntryKind.SHELTER, country="IT", address="Via Segreta 1")
    # Even an address that slipped into an object is never rendered for a shelter.
    html = render_to_string("portal/includes/directory_entry.html", {"entry": shelter})
    assert "Via Segreta" not in html and "Not published" in html
    shelter.address = ""
    directory_entry_save(entry=shelter)
    html = search(client, q="roma")
    assert "Safe house" in html and "Via Segreta" not in html
    office = entry(name="Office", country="IT", city="Roma", address="Piazza Aperta 2")
    assert "Piazza Aperta 2" in search(client, q="roma")
    assert office.pk


def test_queries_are_bounded(client, directory):
    for number in range(30):
        entry(name=f"Centre {number}", city="Brno", postal_codes="602")
    search(client, q="warm-up")  # the day's first visit also creates the page's reach counter (a constant)
    with CaptureQueriesContext(connection) as first:
        html = search(client, q="brno")
    assert "Page 1 of 2" in html and 'rel="next"' in html
    with CaptureQueriesContext(connection) as second:
        search(client, q="brno", page="2")
    assert len(first) == len(second) <= 4
    search(client, page="999")  # out of range: the last page, never an error


@pytest.mark.parametrize("lang", ["en", "it", "el", "cs", "bg"])
def test_directory_and_home_are_private_in_every_language(client, directory, lang):
    assert_private_public_page(client.get(url("portal:directory", lang=lang)))
    assert_private_public_page(client.get(url("portal:home", lang=lang)))


def test_home_shows_the_helplines_of_her_country(client):
    html = assert_private_public_page(client.get(url("portal:home", lang="it")))
    assert 'href="tel:1522"' in html and 'href="tel:1440"' not in html and 'href="tel:112"' in html
    html = assert_private_public_page(client.get(url("portal:home", lang="el")))
    assert 'href="tel:1440"' in html and 'href="tel:1522"' not in html
    html = assert_private_public_page(client.get(url("portal:home", lang="en")))
    for number in ("1522", "1440", "116006", "080018676", "080011977", "112"):
        assert f'href="tel:{number}"' in html
    html = assert_private_public_page(client.get(url("portal:home", lang="it"), {"country": "BG"}))
    assert 'href="tel:080011977"' in html and 'href="tel:1522"' not in html
    assert 'href="?country=all#helplines"' in html
    assert url("portal:directory", lang="it") + "?country=BG" in html
    html = assert_private_public_page(client.get(url("portal:home", lang="cs"), {"country": "all"}))
    assert 'href="tel:1522"' in html and 'href="tel:116006"' in html


def test_demo_directory_loads_twice_without_duplicates():
    first = load_demo_directory()
    assert load_demo_directory() == first == DirectoryEntry.objects.count()
