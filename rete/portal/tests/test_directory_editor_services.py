"""The directory's editing, the services: the entry's own rules (a shelter never has an address),
the editor's country scope, optimistic locking, publishing, and an audit trail that holds the kind
and the country, never what she typed."""
import json

import pytest
from django.http import Http404
from django.utils import translation

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.portal.models import DirectoryEntry, EntryKind
from rete.portal.selectors import directory_search
from rete.portal.services import directory as services
from rete.portal.tests.factories_directory import entry_values, make_entry

pytestmark = pytest.mark.django_db


def _audit(prefix="portal.directory_entry_"):
    return list(AuditEvent.objects.filter(action__startswith=prefix).order_by("seq"))


def test_an_editor_adds_an_unpublished_entry_and_it_is_audited_without_what_she_typed(network):
    editor = network["content_editor"]
    entry = services.directory_entry_create(by=editor, **entry_values(organisation=network.home))
    assert not entry.published and entry.version == 1 and entry.organisation == network.home
    assert "milano" in entry.search_text and "201" in entry.search_text
    [added] = _audit()
    assert added.action == "portal.directory_entry_added" and added.actor == editor
    assert added.object_id == str(entry.pk) and added.detail == {"kind": "victim_support", "country": "IT"}
    assert not directory_search(q="Milano").exists()


def test_an_entry_added_published_is_in_the_public_directory_and_both_are_audited(network):
    entry = services.directory_entry_create(by=network["network_coordinator"],
                                            **entry_values(kind=EntryKind.HELPLINE, published=True, address=""))
    assert list(directory_search(q="milano")) == [entry]
    assert [event.action for event in _audit()] == ["portal.directory_entry_added", "portal.directory_entry_published"]
    assert _audit()[1].detail == {"kind": "helpline", "country": "IT"}


def test_a_shelter_never_has_an_address(network):
    editor = network["content_editor"]
    with pytest.raises(ServiceError) as refused, translation.override("en"):
        services.directory_entry_create(by=editor, **entry_values(kind=EntryKind.SHELTER, address="Via Segreta 1"))
    assert refused.value.field == "address"
    assert refused.value.message == "A shelter's address is never published: leave it empty."
    assert not DirectoryEntry.objects.exists() and not _audit()
    # Nor can an existing entry become a shelter while it keeps its address.
    entry = services.directory_entry_create(by=editor, **entry_values())
    with pytest.raises(ServiceError) as refused:
        services.directory_entry_update(by=editor, entry=entry, version=entry.version, **entry_values(kind=EntryKind.SHELTER))
    assert refused.value.field == "address"
    entry.refresh_from_db()
    assert entry.kind == EntryKind.VICTIM_SUPPORT and entry.version == 1
    shelter = services.directory_entry_update(by=editor, entry=entry, version=entry.version,
                                              **entry_values(kind=EntryKind.SHELTER, address=""))
    assert shelter.is_shelter and shelter.address == "" and shelter.version == 2


@pytest.mark.parametrize("overrides, field", [
    ({"name": "  "}, "name"),
    ({"country": "CY"}, "country"),
    ({"needs": ["talk", "magic"]}, "needs"),
    ({"kind": "spa"}, "kind"),
    ({"website": "not a website"}, "website"),
])
def test_invalid_entries_are_refused_with_the_field(network, overrides, field):
    with pytest.raises(ServiceError) as refused:
        services.directory_entry_create(by=network["content_editor"], **entry_values(**overrides))
    assert refused.value.field == field
    assert not DirectoryEntry.objects.exists()


def test_the_organisation_must_be_of_the_entrys_country(network):
    editor = network["content_editor"]
    with pytest.raises(ServiceError) as refused:
        services.directory_entry_create(by=editor, **entry_values(organisation=network.other))  # Cypriot
    assert refused.value.field == "organisation"
    from rete.conftest import make_organisation

    # Any organisation of the network in Italy will do, not only her own.
    milan = make_organisation("milan-centre", name="Centro Milano")
    assert services.directory_entry_create(by=editor, **entry_values(organisation=milan)).organisation == milan


def test_people_who_do_not_edit_the_portal_cannot_add_entries(network):
    for person in (network["caseworker"], network["other_content_editor"], network.outsider, network.superuser):
        with pytest.raises(ServiceError):
            services.directory_entry_create(by=person, **entry_values())
    assert not DirectoryEntry.objects.exists()


def test_another_countrys_editor_cannot_touch_the_entry(network):
    entry = make_entry()
    stranger = network["other_content_editor"]
    with pytest.raises(Http404):
        services.directory_entry_update(by=stranger, entry=entry, version=entry.version, **entry_values(country="CY"))
    with pytest.raises(Http404):
        services.directory_entry_publish(by=stranger, entry=entry, version=entry.version, publish=True)
    # A changed object in memory does not widen the scope: the saved country decides.
    entry.country = "CY"
    with pytest.raises(Http404):
        services.directory_entry_publish(by=stranger, entry=entry, version=entry.version, publish=True)
    entry.refresh_from_db()
    assert entry.country == "IT" and not entry.published
    # Nor can an Italian editor move an entry to a country she does not edit.
    with pytest.raises(ServiceError) as refused:
        services.directory_entry_update(by=network["content_editor"], entry=entry, version=entry.version,
                                        **entry_values(country="CY"))
    assert refused.value.field == "country"


def test_a_stale_edit_is_refused_with_the_saved_version(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    entry = make_entry()
    services.directory_entry_update(by=coordinator, entry=entry, version=entry.version, **entry_values(city="Bergamo"))
    with pytest.raises(StaleEdit) as stale:
        services.directory_entry_update(by=editor, entry=entry, version=entry.version, **entry_values(city="Brescia"))
    assert stale.value.current.city == "Bergamo" and stale.value.current.version == 2
    saved = DirectoryEntry.objects.get(pk=entry.pk)
    assert saved.city == "Bergamo" and "bergamo" in saved.search_text and "milano" not in saved.search_text
    [changed] = _audit("portal.directory_entry_changed")
    assert changed.actor == coordinator and changed.detail == {"kind": "victim_support", "country": "IT"}


def test_saving_unchanged_values_changes_nothing(network):
    editor = network["content_editor"]
    entry = make_entry(languages=["it", "en", "ar"])
    again = services.directory_entry_update(by=editor, entry=entry, version=entry.version,
                                            **entry_values(languages=["en", "ar", "it"]))  # the same, in another order
    assert again.version == entry.version and again.languages == ["it", "en", "ar"]
    assert not _audit("portal.directory_entry_changed")
    with pytest.raises(StaleEdit):  # unchanged, but from an older form: still refused
        services.directory_entry_update(by=editor, entry=entry, version=entry.version + 5, **entry_values())


def test_publish_and_unpublish_are_audited_and_versioned(network):
    editor = network["content_editor"]
    entry = make_entry(kind=EntryKind.HELPLINE)
    entry = services.directory_entry_publish(by=editor, entry=entry, version=entry.version, publish=True)
    assert entry.published and entry.version == 2 and list(directory_search(q="Milano")) == [entry]
    stale_version = entry.version
    entry = services.directory_entry_publish(by=editor, entry=entry, version=entry.version, publish=False)
    assert not entry.published and not directory_search(q="Milano").exists()
    with pytest.raises(StaleEdit):
        services.directory_entry_publish(by=editor, entry=entry, version=stale_version, publish=True)
    # Publishing through the form's box is audited the same way; the other fields unchanged.
    entry = services.directory_entry_update(by=editor, entry=entry, version=entry.version,
                                            **entry_values(kind=EntryKind.HELPLINE, published=True))
    assert entry.published
    events = _audit()
    assert [event.action for event in events] == ["portal.directory_entry_added", "portal.directory_entry_published",
                                                  "portal.directory_entry_unpublished", "portal.directory_entry_published"]
    for event in events:
        assert event.detail == {"kind": "helpline", "country": "IT"}
    assert {event.actor for event in events[1:]} == {editor}


def test_no_audit_detail_holds_free_text(network):
    editor = network["content_editor"]
    entry = services.directory_entry_create(by=editor, **entry_values(published=True))
    services.directory_entry_update(by=editor, entry=entry, version=entry.version,
                                    **entry_values(name="Renamed centre", description="Secret note", published=True))
    details = json.dumps([event.detail for event in _audit()])
    for typed in ("Centro Aiuto", "Renamed", "Secret", "Via Esempio", "Milano", "0000", "centro.example", "Step-free"):
        assert typed not in details
