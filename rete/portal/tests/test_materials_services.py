"""Materials, the services and the composition: validation, scope, stale edits, the QR code's
address (with the campaign's code), and what the PDF says (never a shelter's address)."""
import io
import re

import pypdf
import pytest
from django.http import Http404
from django.template.loader import render_to_string

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.portal.models import DirectoryEntry, EntryKind, Material
from rete.portal.services import materials as services
from rete.portal.tests.factories_events_materials import make_campaign, make_material, make_published_page

pytestmark = pytest.mark.django_db


def _values(network, page, /, **overrides):
    values = dict(name="Waiting-room leaflet", kind="leaflet", page=page, organisation=network.home, campaign=None,
                  show_directory=True, published=False)
    values.update(overrides)
    return values


def _text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def page():
    return make_published_page(country="IT", slug="help-now", title="Help is near", summary="Free, confidential, day and night.")[0]


def test_an_editor_creates_a_material_from_a_page_of_her_country(network, page):
    material = services.material_create(by=network["content_editor"], **_values(network, page))
    assert material.country == "IT" and material.page == page and not material.published
    audit = AuditEvent.objects.get(action="portal.material_created")
    assert audit.detail == {"country": "IT", "kind": "leaflet", "page": page.pk, "published": False}


@pytest.mark.parametrize("change, field", [
    ({"name": " "}, "name"),
    ({"kind": "banner"}, "kind"),
    ({"page": None}, "page"),
])
def test_invalid_materials_are_refused(network, page, change, field):
    with pytest.raises(ServiceError) as refused:
        services.material_create(by=network["content_editor"], **_values(network, page, **change))
    assert refused.value.field == field


def test_the_page_organisation_and_campaign_must_be_of_her_countries(network, page):
    editor = network["content_editor"]
    cypriot, _version = make_published_page(country="CY", slug="help-cy")
    with pytest.raises(ServiceError) as refused:
        services.material_create(by=editor, **_values(network, cypriot))
    assert refused.value.field == "page"
    with pytest.raises(ServiceError) as refused:
        services.material_create(by=editor, **_values(network, page, organisation=network.other))
    assert refused.value.field == "organisation"
    with pytest.raises(ServiceError) as refused:
        services.material_create(by=editor, **_values(network, page, campaign=make_campaign(network.other, slug="cy")))
    assert refused.value.field == "campaign"
    for person in (network["caseworker"], network["other_content_editor"], network.outsider):
        with pytest.raises(ServiceError):
            services.material_create(by=person, **_values(network, page))
    assert not Material.objects.exists()


def test_a_stale_edit_is_refused_and_another_countrys_editor_gets_404(network, page):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    material = make_material(editor, network.home, page, published=False)
    services.material_update(by=coordinator, material=material, version=material.version, **_values(network, page, name="Theirs"))
    with pytest.raises(StaleEdit) as stale:
        services.material_update(by=editor, material=material, version=material.version, **_values(network, page, name="Mine"))
    assert stale.value.current.name == "Theirs"
    with pytest.raises(Http404):
        services.material_update(by=network["other_content_editor"], material=material, version=stale.value.current.version,
                                 **_values(network, page, name="Stranger's"))
    assert Material.objects.get(pk=material.pk).name == "Theirs"
    assert AuditEvent.objects.get(action="portal.material_changed").detail["fields"] == ["name"]


def test_the_qr_code_leads_to_the_page_in_the_language_with_the_campaigns_code(network, page, settings):
    settings.RETE_BASE_URL = "https://portal.rete.example/"
    material = make_material(network["content_editor"], network.home, page)
    assert services.page_url(material=material, language="en") == "https://portal.rete.example/en/info/it/help-now/"
    campaign = make_campaign(network.home, slug="ribbon25")
    material = make_material(network["content_editor"], network.home, page, campaign=campaign)
    assert services.page_url(material=material, language="it") == "https://portal.rete.example/it/info/it/help-now/?c=ribbon25"


def test_the_material_html_carries_the_qr_code_as_svg_and_its_language(network, page):
    material = make_material(network["content_editor"], network.home, page, campaign=make_campaign(network.home))
    html = services.material_html(material=material, version=page.versions.get(), language="en")
    assert '<html lang="en">' in html
    assert "<svg" in html and "<path" in html  # the QR code, drawn inline (nothing fetched)
    assert "/en/info/it/help-now/?c=white-ribbon" in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "").replace(
        services.page_url(material=material, language="en"), "")


def test_a_leaflet_prints_title_text_helplines_112_services_and_the_address(network, page, settings):
    settings.RETE_BASE_URL = "https://portal.rete.example"
    DirectoryEntry.objects.create(name="Casa Sicura", kind=EntryKind.SHELTER, country="IT", city="Roma", phone="06 555 0101",
                                  published=True)
    DirectoryEntry.objects.create(name="Centro Aiuto", kind=EntryKind.VICTIM_SUPPORT, country="IT", city="Milano",
                                  address="Via Aperta 5", phone="02 555 0199", published=True)
    DirectoryEntry.objects.create(name="Unpublished line", kind=EntryKind.HELPLINE, country="IT", phone="800 000", published=False)
    campaign = make_campaign(network.home, slug="ribbon25")
    material = make_material(network["content_editor"], network.home, page, campaign=campaign)
    content = services.material_pdf(material=material, version=page.versions.get(), language="en", cached=False)
    assert content.startswith(b"%PDF")
    text = _text(content)
    assert "Help is near" in text and "Free, confidential, day and night." in text
    assert "What you can do" in text and "Call the helpline: it is free." in text  # the page's whole text
    assert "1522" in text and "112" in text
    assert "Casa Sicura" in text and "06 555 0101" in text and "Centro Aiuto" in text
    assert "Via Aperta" not in text and "Unpublished line" not in text
    assert "https://portal.rete.example/en/info/it/help-now/?c=ribbon25" in _squeezed(text)
    reader = pypdf.PdfReader(io.BytesIO(content))
    # A5 with 3 mm of bleed on every side (and room for the crop marks): larger than the trim box.
    trim = reader.pages[0].trimbox
    assert round(float(trim.width) / 72 * 25.4) == 148 and round(float(trim.height) / 72 * 25.4) == 210
    assert float(reader.pages[0].mediabox.width) > float(trim.width)


def test_a_shelters_address_is_never_printed_even_if_one_slipped_in(network, page):
    material = make_material(network["content_editor"], network.home, page)
    shelter = DirectoryEntry(name="Safe house", kind=EntryKind.SHELTER, country="IT", city="Roma", phone="06 1",
                             address="Via Segreta 1", published=True)
    context = services.material_context(material=material, version=page.versions.get(), language="en")
    context["entries"] = [shelter]
    html = render_to_string("documents/material_leaflet.html", {**context, "LANGUAGE_CODE": "en"})
    assert "Safe house" in html and "Via Segreta" not in html


def test_the_services_listed_are_bounded_and_optional(network, page, django_assert_max_num_queries):
    for number in range(12):
        DirectoryEntry.objects.create(name=f"Service {number:02}", kind=EntryKind.VICTIM_SUPPORT, country="IT", city="Roma",
                                      phone=f"06 555 01{number:02}", published=True)
    material = make_material(network["content_editor"], network.home, page)
    version = page.versions.get()
    with django_assert_max_num_queries(1):
        context = services.material_context(material=material, version=version, language="en")
    assert len(context["entries"]) == 8
    material.show_directory = False
    assert services.material_context(material=material, version=page.versions.get(), language="en")["entries"] == []


@pytest.mark.parametrize("kind, size_mm", [("poster", (297, 420)), ("card", (74, 105))])
def test_posters_and_cards(network, page, kind, size_mm):
    material = make_material(network["content_editor"], network.home, page, kind=kind)
    content = services.material_pdf(material=material, version=page.versions.get(), language="en", cached=False)
    reader = pypdf.PdfReader(io.BytesIO(content))
    trim = reader.pages[0].trimbox
    assert (round(float(trim.width) / 72 * 25.4), round(float(trim.height) / 72 * 25.4)) == size_mm
    assert len(reader.pages) == 1
    text = _text(content)
    assert "Help is near" in text and "1522" in text and "112" in text
    assert "Call the helpline: it is free." not in text  # only a leaflet prints the whole text
    if kind == "card":
        assert "Free, confidential" not in text  # a card: title, helplines, QR code only


def test_generated_pdfs_are_cached_per_material_and_page_version(network, page):
    material = make_material(network["content_editor"], network.home, page)
    version = page.versions.get()
    first = services.material_pdf(material=material, version=version, language="en")
    from django.core.cache import cache

    assert any(first == cache.get(key) for key in [
        f"portal:material:{material.pk}:{material.version}:{version.pk}:en:"])
    _page, newer = make_published_page(country="IT", slug="help-now", title="Help is nearer")
    assert "Help is nearer" in _text(services.material_pdf(material=material, version=newer, language="en"))
