"""The foundations every part builds on: creating and translating practices, stale translations,
full-text search on this database, who sees which practice and event."""
import pytest

from rete.conftest import assert_denied
from rete.core.services import ServiceError, StaleEdit
from rete.learning import search, translations
from rete.learning.models import EventStatus, PracticeSearchText, PracticeStatus
from rete.learning.selectors import events as event_selectors
from rete.learning.selectors import practices as selectors
from rete.learning.services import practices as services
from rete.learning.tests.factories import make_event, make_practice

pytestmark = pytest.mark.django_db


def test_normalise_strips_accents_and_case():
    assert search.normalise("Protección ΒΊΑ Násilí") == "proteccion βια nasili"
    assert search.words("  safety-luggage! ") == ["safety", "luggage"]
    assert search.matching_practice_ids("  !! ") is None


def test_search_finds_a_practice_by_prefix_in_any_language(network):
    practice = make_practice(network["caseworker"], network.home)
    services.practice_translate(by=network["caseworker"], practice=practice, version=practice.version, language="cs",
                                texts_by_field={"title": "Bezpečnostní zavazadlo", "summary": "Nouzová taška."})
    other = make_practice(network["caseworker"], network.home, texts={"title": "Men's group in Burgas", "summary": "x"})
    user = network["caseworker"]
    assert list(selectors.practice_list(user=user, query="lugg")) == [practice]
    assert list(selectors.practice_list(user=user, query="bezpecnostni")) == [practice]  # without the accents
    assert list(selectors.practice_list(user=user, query="nouzova TAŠKA")) == [practice]
    assert list(selectors.practice_list(user=user, query="burgas")) == [other]
    assert list(selectors.practice_list(user=user, query="luggage burgas")) == []
    assert set(PracticeSearchText.objects.filter(practice=practice).values_list("language", flat=True)) == {"en", "cs"}


def test_a_translation_made_before_the_source_changed_is_stale(network):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home)
    practice = services.practice_translate(by=owner, practice=practice, version=practice.version, language="it",
                                           texts_by_field={"title": "Valigia di sicurezza", "summary": "Un kit."})
    assert translations.stale_fields(practice.source_revisions, practice.translation_revisions, "it", {"title", "summary"}) == []
    texts = {"title": "Safety luggage for women leaving home", "summary": "A changed summary."}
    practice = services.practice_update(by=owner, practice=practice, version=practice.version, country="IT",
                                        pillar="protection", texts_by_field=texts, facets={})
    assert translations.stale_fields(practice.source_revisions, practice.translation_revisions, "it",
                                     {"title", "summary"}) == ["summary"]
    with pytest.raises(StaleEdit):
        services.practice_update(by=owner, practice=practice, version=practice.version - 1, country="IT",
                                 pillar="protection", texts_by_field=texts, facets={})
    with pytest.raises(ServiceError):
        services.practice_translate(by=owner, practice=practice, version=practice.version, language="en",
                                    texts_by_field={"title": "x"})


def test_who_sees_a_practice(network):
    practice = make_practice(network["caseworker"], network.home)
    assert selectors.practice_get(user=network["supervisor"], pk=practice.pk) == practice
    for outsider in (network["other_network_coordinator"], network["other_caseworker"], network.outsider):
        with pytest.raises(Exception) as denied:
            selectors.practice_get(user=outsider, pk=practice.pk)
        assert denied.typename == "Http404"
    services.practice_submit(by=network["caseworker"], practice=practice)
    assert selectors.practice_get(user=network["other_network_coordinator"], pk=practice.pk).status == PracticeStatus.SUBMITTED
    assert selectors.practice_get(user=network["other_trainer"], pk=practice.pk)
    with pytest.raises(Exception):
        selectors.practice_get(user=network["other_caseworker"], pk=practice.pk)
    with pytest.raises(Exception):
        selectors.public_practice_get(pk=practice.pk)


def test_who_sees_an_event(network, as_user):
    draft = make_event(network["trainer"], network.home)
    open_event = make_event(network["trainer"], network.home, status=EventStatus.OPEN)
    assert set(event_selectors.event_list(user=network["trainer"])) == {draft, open_event}
    assert list(event_selectors.event_list(user=network["other_caseworker"])) == [open_event]
    assert list(event_selectors.event_list(user=network.superuser)) == []
    assert event_selectors.event_manage_get(user=network["network_coordinator"], pk=draft.pk) == draft
    with pytest.raises(Exception):
        event_selectors.event_manage_get(user=network["other_trainer"], pk=open_event.pk)
    with pytest.raises(Exception):
        event_selectors.event_get(user=network["other_trainer"], pk=draft.pk)
    assert_denied(as_user(network["other_trainer"]).get(f"/en/learning/events/{draft.pk}/"))
