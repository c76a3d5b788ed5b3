"""The demo info days and materials: published, in each country's language, idempotent, and
skipped where the shipped page is missing."""
import pytest
from django.utils import timezone

from rete.portal.models import InfoPage, Material, PublicEvent

pytestmark = pytest.mark.django_db


def test_demo_events_and_materials_load_once():
    from rete.core.demo import load_demo_network
    from rete.portal.demo import load_demo_events_and_materials
    from rete.portal.services import pages

    load_demo_network()
    if not InfoPage.objects.filter(slug="support-centres").exists():
        pages.pages_install_shipped()
    first = load_demo_events_and_materials()
    assert first == {"events": 21, "materials": 8}
    assert load_demo_events_and_materials() == {"events": 0, "materials": 0}
    now = timezone.now()
    for country, language in (("IT", "it"), ("CY", "el"), ("CZ", "cs"), ("BG", "bg")):
        events = PublicEvent.objects.filter(country=country, published=True)
        assert events.filter(ends_at__gte=now, cancelled=False).count() >= 3
        assert events.filter(ends_at__lt=now).count() == 1 and events.filter(cancelled=True).count() == 1
        assert events.filter(language=language).count() == events.count()
        assert set(Material.objects.filter(country=country, published=True).values_list("kind", flat=True)) == {"leaflet", "poster"}


def test_without_the_shipped_pages_materials_are_skipped():
    from rete.core.demo import load_demo_network
    from rete.portal.demo import load_demo_events_and_materials

    load_demo_network()
    InfoPage.objects.filter(slug="support-centres").delete()
    assert load_demo_events_and_materials() == {"events": 21, "materials": 0}
