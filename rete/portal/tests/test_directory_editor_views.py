"""The directory's editing, the pages: the list of her countries' entries (search by name or
place, filters, bounded queries), adding and editing (a shelter's address refused on the field
with her input kept, other languages kept), stale edits with both versions, publishing, the tab,
and ownership."""
import pytest

from rete.conftest import client_for, url
from rete.core.models import AuditEvent
from rete.portal.models import DirectoryEntry, EntryKind
from rete.portal.services import directory as services
from rete.portal.tests.factories_directory import entry_values, make_entry

pytestmark = pytest.mark.django_db


def _form(values=None, **overrides) -> dict:
    values = {**(values or entry_values()), **overrides}
    data = {key: value for key, value in values.items() if value not in (None, False)}
    data["organisation"] = values["organisation"].pk if values.get("organisation") else ""
    for flag in ("open_24_7", "published"):
        if values.get(flag):
            data[flag] = "on"
    return data


@pytest.fixture
def entries(network):
    return {
        "milano": make_entry(name="Centro Aiuto Donne", city="Milano", published=True),
        "roma": make_entry(name="Sportello Roma", city="Roma", region="Lazio", postal_codes="001", kind=EntryKind.LEGAL_AID),
        "shelter": make_entry(name="Casa Sicura", kind=EntryKind.SHELTER, address="", city="Forlì", published=True),
        "cy": make_entry(name="Κέντρο Λευκωσίας", country="CY", city="Λευκωσία", published=True),
    }


def _names(html, entries):
    return {key for key, entry in entries.items() if entry.name in html}


def test_the_list_shows_her_countries_entries_published_or_not(network, entries):
    response = client_for(network["content_editor"]).get(url("portal:editor_directory"))
    html = response.content.decode()
    assert response.status_code == 200
    assert _names(html, entries) == {"milano", "roma", "shelter"}
    assert 'aria-current="page">Service directory<' in html
    assert url("portal:editor_directory_edit", entry_id=entries["roma"].pk) in html
    cypriot = client_for(network["other_content_editor"]).get(url("portal:editor_directory")).content.decode()
    assert _names(cypriot, entries) == {"cy"}


@pytest.mark.parametrize("query, expected", [
    ("?q=forli", {"shelter"}),  # accents and case ignored, as in the public search
    ("?q=AIUTO", {"milano"}),
    ("?q=001", {"roma"}),
    ("?q=lazio+roma", {"roma"}),
    ("?kind=legal_aid", {"roma"}),
    ("?published=no", {"roma"}),
    ("?published=yes", {"milano", "shelter"}),
    ("?country=IT&published=yes&q=casa", {"shelter"}),
])
def test_the_list_searches_and_filters(network, entries, query, expected):
    html = client_for(network["content_editor"]).get(url("portal:editor_directory") + query).content.decode()
    assert _names(html, entries) == expected


def test_the_list_refuses_choices_outside_hers_with_400(network, entries):
    staff = client_for(network["content_editor"])
    for query in ("?country=CY", "?kind=spa", "?published=maybe"):
        response = staff.get(url("portal:editor_directory") + query)
        assert response.status_code == 400 and "Please check the choices above." in response.content.decode()


def test_the_list_pages_and_makes_a_bounded_number_of_queries(network, django_assert_max_num_queries):
    for number in range(60):
        make_entry(name=f"Centro {number:02d}", organisation=network.home if number % 2 else None)
    staff = client_for(network["content_editor"])
    staff.get(url("portal:editor_directory"))  # warm-up: the session, the memberships
    with django_assert_max_num_queries(10):
        first = staff.get(url("portal:editor_directory")).content.decode()
    with django_assert_max_num_queries(10):
        second = staff.get(url("portal:editor_directory") + "?q=centro&page=2").content.decode()
    assert "Page 1 of 2" in first and "Centro 49" in first and "Centro 50" not in first
    assert "Page 2 of 2" in second and "Centro 59" in second and "q=centro&amp;page=1" in second
    # The form offers the network's organisations of her countries in one query, however many.
    from rete.conftest import make_organisation

    for number in range(5):
        make_organisation(f"centre-{number}")
    entry = DirectoryEntry.objects.last()
    with django_assert_max_num_queries(10):
        html = staff.get(url("portal:editor_directory_edit", entry_id=entry.pk)).content.decode()
    assert "Centre-4 Centre (Italy)" in html


def test_an_editor_adds_an_entry(network):
    staff = client_for(network["content_editor"])
    page = staff.get(url("portal:editor_directory_add")).content.decode()
    assert '<option value="IT"' in page and '<option value="CY"' not in page  # her countries only
    assert network.home.name in page and network.other.name not in page  # the organisations of her countries
    for label in ("Italian", "Bulgarian", "Talk to someone", "Help for men who want to stop"):
        assert label in page
    response = staff.post(url("portal:editor_directory_add"), _form(organisation=network.home, open_24_7=True))
    entry = DirectoryEntry.objects.get()
    assert response.status_code == 302 and response.url == url("portal:editor_directory_edit", entry_id=entry.pk)
    assert entry.organisation == network.home and entry.open_24_7 and not entry.published
    assert entry.languages == ["en", "it"] and entry.needs == ["talk", "legal"]
    assert AuditEvent.objects.filter(action="portal.directory_entry_added", object_id=str(entry.pk)).exists()
    html = staff.get(response.url).content.decode()
    assert "It is not in the public directory until you publish it." in html and 'value="Via Esempio 3"' in html


def test_a_shelters_address_is_refused_on_the_field_and_her_input_kept(network):
    staff = client_for(network["content_editor"])
    data = _form(name="Casa Rifugio", kind=EntryKind.SHELTER, address="Via Segreta 1", city="Bologna")
    response = staff.post(url("portal:editor_directory_add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    # The message is on the address field, tied to it for screen readers.
    assert ('<ul class="errorlist" id="id_address_error"><li>A shelter&#x27;s address is never published: leave it empty.'
            '</li></ul>') in html
    assert 'aria-invalid="true" aria-describedby="id_address_helptext id_address_error" id="id_address"' in html
    assert 'value="Casa Rifugio"' in html and 'value="Via Segreta 1"' in html and 'value="Bologna"' in html
    assert not DirectoryEntry.objects.exists()
    # The same in Italian: the message is translated.
    italian = staff.post(url("portal:editor_directory_add", lang="it"), data).content.decode()
    assert "leave it empty" not in italian
    # Other values outside her choices are refused as well.
    for overrides in ({"country": "CY"}, {"organisation": network.other}, {"languages": ["xx"]}, {"needs": ["magic"]}):
        assert staff.post(url("portal:editor_directory_add"), _form(**overrides)).status_code == 400, overrides
    assert not DirectoryEntry.objects.exists()


def test_editing_keeps_languages_the_form_does_not_offer(network):
    entry = make_entry(languages=["it", "ar", "fa"])
    staff = client_for(network["content_editor"])
    page = staff.get(url("portal:editor_directory_edit", entry_id=entry.pk)).content.decode()
    assert "Also listed, and kept as they are: Arabic, Persian." in page
    response = staff.post(url("portal:editor_directory_edit", entry_id=entry.pk),
                          _form(languages=["it", "en"], city="Monza", version=entry.version))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.city == "Monza" and entry.languages == ["en", "it", "ar", "fa"] and entry.version == 2


def test_a_stale_edit_answers_409_with_both_versions(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    entry = make_entry()
    services.directory_entry_update(by=coordinator, entry=entry, version=entry.version, **entry_values(hours="Their hours"))
    data = _form(hours="My hours", version=entry.version)
    staff = client_for(editor)
    response = staff.post(url("portal:editor_directory_edit", entry_id=entry.pk), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html and "My hours" in html and "Their hours" in html
    assert DirectoryEntry.objects.get(pk=entry.pk).hours == "Their hours"
    assert 'name="version" value="2"' in html
    # Saving again (the form now carries the saved version) keeps hers.
    response = staff.post(url("portal:editor_directory_edit", entry_id=entry.pk), {**data, "version": 2})
    assert response.status_code == 302 and DirectoryEntry.objects.get(pk=entry.pk).hours == "My hours"
    # A form without its version is refused, not guessed.
    response = staff.post(url("portal:editor_directory_edit", entry_id=entry.pk), _form(hours="Other"))
    assert response.status_code == 400 and DirectoryEntry.objects.get(pk=entry.pk).hours == "My hours"


def test_publish_and_take_out_from_the_editors_page(network, client):
    entry = make_entry(name="Linea Ascolto", kind=EntryKind.HELPLINE, address="", city="Torino")
    staff = client_for(network["content_editor"])
    public = url("portal:directory") + "?q=torino"
    assert "Linea Ascolto" not in client.get(public).content.decode()
    response = staff.post(url("portal:editor_directory_publish", entry_id=entry.pk), {"publish": "1", "version": entry.version})
    assert response.status_code == 302
    assert "Linea Ascolto" in client.get(public).content.decode()
    page = staff.get(url("portal:editor_directory_edit", entry_id=entry.pk)).content.decode()
    assert "The entry is in the public directory." in page and "Take it out of the directory" in page
    # A stale button (an older version) is refused with the entry shown again.
    response = staff.post(url("portal:editor_directory_publish", entry_id=entry.pk), {"publish": "0", "version": entry.version})
    assert response.status_code == 409 and DirectoryEntry.objects.get(pk=entry.pk).published
    assert "Someone changed this entry while you were looking at it." in response.content.decode()
    response = staff.post(url("portal:editor_directory_publish", entry_id=entry.pk), {"publish": "0", "version": entry.version + 1})
    assert response.status_code == 302 and not DirectoryEntry.objects.get(pk=entry.pk).published
    assert "Linea Ascolto" not in client.get(public).content.decode()
    assert staff.post(url("portal:editor_directory_publish", entry_id=entry.pk), {"publish": "1"}).status_code == 400
    assert staff.get(url("portal:editor_directory_publish", entry_id=entry.pk)).status_code == 405


def test_it_checks_ownership(network, client):
    entry = make_entry(published=False)
    pages = [url("portal:editor_directory"), url("portal:editor_directory_add"),
             url("portal:editor_directory_edit", entry_id=entry.pk)]
    action = url("portal:editor_directory_publish", entry_id=entry.pk)
    # The Cypriot organisation's content editor: her own list works, the Italian entry is 404.
    cypriot = client_for(network["other_content_editor"])
    assert cypriot.get(pages[0]).status_code == 200 and entry.name not in cypriot.get(pages[0]).content.decode()
    assert cypriot.get(pages[2]).status_code == 404
    assert cypriot.post(pages[2], _form(country="CY", version=entry.version)).status_code == 404
    assert cypriot.post(action, {"version": entry.version, "publish": "1"}).status_code == 404
    for person in (network.outsider, network["caseworker"], network.superuser):
        for page in pages:
            assert client_for(person).get(page).status_code == 404, (person, page)
        assert client_for(person).post(pages[1], _form()).status_code == 404
        assert client_for(person).post(action, {"version": entry.version, "publish": "1"}).status_code == 404
    for page in pages + [action]:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.post(action, {"version": entry.version, "publish": "1"}).status_code in (302, 403)
    entry.refresh_from_db()
    assert not entry.published and entry.version == 1 and DirectoryEntry.objects.count() == 1


def test_a_change_in_the_admin_makes_an_open_editors_form_stale(network):
    entry = make_entry()
    admin = client_for(network.superuser)
    page = admin.get(f"/admin/portal/directoryentry/{entry.pk}/change/")
    assert page.status_code == 200
    data = {**_form(hours="Admin hours"), "languages": '["it", "en"]', "needs": '["talk", "legal"]', "_save": "Save"}
    response = admin.post(f"/admin/portal/directoryentry/{entry.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.hours == "Admin hours" and entry.version == 2
    response = client_for(network["content_editor"]).post(url("portal:editor_directory_edit", entry_id=entry.pk),
                                                          _form(hours="Editor hours", version=1))
    assert response.status_code == 409 and DirectoryEntry.objects.get(pk=entry.pk).hours == "Admin hours"
