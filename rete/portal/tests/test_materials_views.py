"""Materials, the pages: the public list and downloads (counted, 404 for what is not offered),
the editors' list, form, stale edits and staff preview (audited, not counted), ownership and
bounded queries."""
import pytest

from rete.conftest import client_for, url
from rete.core.models import AuditEvent
from rete.portal.models import Material, PageStatus, PageVersion, ReachCount, ReachKind
from rete.portal.services import materials as services
from rete.portal.tests.factories_events_materials import make_campaign, make_material, make_published_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    page, _english = make_published_page(country="IT", slug="help-now", title="Help is near")
    make_published_page(country="IT", slug="help-now", language="it", title="L'aiuto è vicino")
    return page


def _downloads(material):
    return list(ReachCount.objects.filter(kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}")
                .values_list("language", "country", "campaign_ref", "count"))


# ---- public pages -----------------------------------------------------------------------------


def test_the_public_list_shows_published_materials_of_the_country_in_their_languages(client, network, page):
    editor = network["content_editor"]
    leaflet = make_material(editor, network.home, page, name="Leaflet")
    make_material(editor, network.home, page, name="Hidden draft", published=False)
    cy_page, _version = make_published_page(country="CY", slug="help-cy", language="el", title="Βοήθεια")
    make_material(network["other_content_editor"], network.other, cy_page, name="Cypriot")
    response = client.get(url("portal:materials", lang="it"))
    assert response.status_code == 200 and not response.cookies
    html = response.content.decode()
    assert "L&#x27;aiuto è vicino" in html and "Βοήθεια" not in html  # Italian by default in Italian
    assert url("portal:material_pdf", lang="it", material_id=leaflet.pk, language="en") in html
    assert url("portal:material_pdf", lang="it", material_id=leaflet.pk, language="it") in html
    assert html.count('.pdf"') == 2  # the draft is not offered
    greek = client.get(url("portal:materials", lang="el")).content.decode()
    assert "Βοήθεια" in greek and "vicino" not in greek
    everything = client.get(url("portal:materials") + "?country=all").content.decode()
    assert "Βοήθεια" in everything and "Help is near" in everything


def test_a_public_download_is_counted_per_language_and_campaign(client, network, page):
    campaign = make_campaign(network.home)
    material = make_material(network["content_editor"], network.home, page, campaign=campaign)
    response = client.get(url("portal:material_pdf", material_id=material.pk, language="it"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="help-now-leaflet-it.pdf"'
    assert response["Cache-Control"] == "no-store" and not response.cookies
    assert _downloads(material) == [("it", "IT", campaign.pk, 1)]
    client.get(url("portal:material_pdf", lang="el", material_id=material.pk, language="it"))  # cached the second time
    assert _downloads(material) == [("it", "IT", campaign.pk, 2)]
    assert not ReachCount.objects.filter(kind=ReachKind.PAGE_VIEW, key="portal:material_pdf").exists()


def test_what_is_not_offered_is_404(client, network, page):
    editor = network["content_editor"]
    draft = make_material(editor, network.home, page, published=False)
    material = make_material(editor, network.home, page)
    assert client.get(url("portal:material_pdf", material_id=draft.pk, language="en")).status_code == 404
    assert client.get(url("portal:material_pdf", material_id=material.pk, language="bg")).status_code == 404  # not published in Bulgarian
    assert client.get(url("portal:material_pdf", material_id=material.pk, language="xx")).status_code == 404
    assert client.get(url("portal:material_pdf", material_id=999999, language="en")).status_code == 404
    # A version waiting for review is not published: still 404.
    PageVersion.objects.create(page=page, language="cs", number=1, title="Pomoc", body="Text", status=PageStatus.IN_REVIEW)
    assert client.get(url("portal:material_pdf", material_id=material.pk, language="cs")).status_code == 404
    assert not ReachCount.objects.filter(kind=ReachKind.MATERIAL_DOWNLOAD).exists()


def test_the_public_list_makes_a_bounded_number_of_queries(client, network, django_assert_max_num_queries):
    editor = network["content_editor"]
    for number in range(6):
        page, _version = make_published_page(country="IT", slug=f"page-{number}", title=f"Page {number}")
        make_published_page(country="IT", slug=f"page-{number}", language="it", title=f"Pagina {number}")
        make_material(editor, network.home, page, name=f"Material {number}")
    with django_assert_max_num_queries(6):
        html = client.get(url("portal:materials") + "?country=it").content.decode()
    assert "Page 5" in html


# ---- the editors' pages -------------------------------------------------------------------------


def _form(network, page, **overrides):
    data = {"name": "Pharmacy poster", "kind": "poster", "page": page.pk, "organisation": network.home.pk, "campaign": "",
            "show_directory": "on", "published": "on"}
    data.update(overrides)
    return data


def test_an_editor_adds_a_material_and_sees_its_languages(network, page):
    staff = client_for(network["content_editor"])
    form = staff.get(url("portal:editor_material_add"))
    assert form.status_code == 200 and "help-now" in form.content.decode()
    response = staff.post(url("portal:editor_material_add"), _form(network, page))
    material = Material.objects.get()
    assert response.status_code == 302 and response.url == url("portal:editor_material_edit", material_id=material.pk)
    assert (material.kind, material.country, material.published, material.show_directory) == ("poster", "IT", True, True)
    html = staff.get(response.url).content.decode()
    assert url("portal:editor_material_pdf", material_id=material.pk, language="en") in html
    assert url("portal:editor_material_pdf", material_id=material.pk, language="it") in html
    assert url("portal:editor_material_pdf", material_id=material.pk, language="bg") not in html
    assert "Not published in this language" in html


def test_invalid_input_is_a_400_with_her_values(network, page):
    staff = client_for(network["content_editor"])
    cy_page, _version = make_published_page(country="CY", slug="help-cy")
    response = staff.post(url("portal:editor_material_add"), _form(network, page, name="", kind="banner"))
    assert response.status_code == 400 and "Pharmacy" not in response.content.decode()
    response = staff.post(url("portal:editor_material_add"), _form(network, cy_page, name="Keep me"))
    assert response.status_code == 400 and "Keep me" in response.content.decode()
    assert not Material.objects.exists()


def test_a_stale_edit_answers_409_with_both_versions(network, page):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    material = make_material(editor, network.home, page, name="Original")
    services.material_update(by=coordinator, material=material, version=material.version, name="Their name", kind="leaflet",
                             page=page, organisation=network.home, campaign=None, show_directory=True, published=True)
    response = client_for(editor).post(url("portal:editor_material_edit", material_id=material.pk),
                                       _form(network, page, name="My name", version=material.version))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html and "My name" in html and "Their name" in html
    assert Material.objects.get(pk=material.pk).name == "Their name"


def test_the_staff_preview_is_audited_and_not_counted(network, page):
    material = make_material(network["content_editor"], network.home, page, published=False)
    staff = client_for(network["network_coordinator"])
    response = staff.get(url("portal:editor_material_pdf", material_id=material.pk, language="it"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not ReachCount.objects.filter(kind=ReachKind.MATERIAL_DOWNLOAD).exists()
    printed = AuditEvent.objects.get(action="portal.material_printed")
    assert printed.detail == {"language": "it", "kind": "leaflet"} and printed.actor == network["network_coordinator"]
    assert staff.get(url("portal:editor_material_pdf", material_id=material.pk, language="bg")).status_code == 404


def test_it_checks_ownership(network, client, page):
    material = make_material(network["content_editor"], network.home, page, published=False)
    pages = [url("portal:editor_materials"), url("portal:editor_material_add"),
             url("portal:editor_material_edit", material_id=material.pk),
             url("portal:editor_material_pdf", material_id=material.pk, language="en")]
    cypriot = client_for(network["other_content_editor"])
    listing = cypriot.get(pages[0])
    assert listing.status_code == 200 and material.name not in listing.content.decode()
    assert cypriot.get(pages[2]).status_code == 404 and cypriot.get(pages[3]).status_code == 404
    assert cypriot.post(pages[2], _form(network, page, version=material.version)).status_code == 404
    for person in (network.outsider, network["caseworker"], network.superuser):
        for address in pages:
            assert client_for(person).get(address).status_code == 404, (person, address)
    for address in pages:
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not AuditEvent.objects.filter(action="portal.material_printed").exists()
    assert Material.objects.get(pk=material.pk).version == material.version


def test_the_editors_list_makes_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    editor = network["content_editor"]
    campaign = make_campaign(network.home)
    for number in range(6):
        page, _version = make_published_page(country="IT", slug=f"page-{number}")
        make_material(editor, network.home, page, name=f"Material {number}", campaign=campaign)
    staff = client_for(editor)
    with django_assert_max_num_queries(12):
        html = staff.get(url("portal:editor_materials")).content.decode()
    assert "Material 5" in html
