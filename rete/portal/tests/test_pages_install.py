"""The pages Rete ships: installed for every country after `migrate`, in each language whose
file has them; idempotent; an editor's work is never overwritten."""
from pathlib import Path

import pytest
import yaml

from rete.core.models import AuditEvent
from rete.portal.models import InfoPage, PageStatus, PageVersion
from rete.portal.services import pages as services

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "content"


def test_install_creates_pages_and_published_first_versions():
    created = services.pages_install_shipped(content_dir=FIXTURES)
    assert created == 12  # "rights": en and it in four countries; "professionals": en in four
    pages = InfoPage.objects.filter(slug__startswith="fixture-")
    assert pages.count() == 8 and set(pages.values_list("country", flat=True)) == {"CY", "IT", "CZ", "BG"}
    assert InfoPage.objects.get(country="BG", slug="fixture-professionals").for_professionals
    italian = PageVersion.objects.get(page__country="IT", page__slug="fixture-rights", language="it")
    assert (italian.number, italian.status, italian.title) == (1, PageStatus.PUBLISHED, "I tuoi diritti")
    assert italian.body == "Hai dei diritti.\n\nIn Italia, chiama il 1522."
    english_cz = PageVersion.objects.get(page__country="CZ", page__slug="fixture-rights", language="en")
    assert english_cz.body == "You have rights.\n\n## Information"  # no section for Czechia
    assert AuditEvent.objects.filter(action="portal.pages_installed").order_by("seq").last().detail == {"pages": 8, "versions": 12}


def test_install_is_idempotent_and_never_overwrites(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    # An editor wrote the Italian professionals' page in English before the install: it stays hers.
    mine = services.page_create(by=editor, country="IT", slug="fixture-professionals", language="en", title="Ours",
                                body="Our own text.")
    services.pages_install_shipped(content_dir=FIXTURES)
    assert list(PageVersion.objects.filter(page=mine.page).values_list("title", "status")) == [("Ours", PageStatus.DRAFT)]
    # A published shipped page edited and republished by the editors stays as they left it.
    shipped = PageVersion.objects.get(page__country="IT", page__slug="fixture-rights", language="en")
    draft = services.page_draft_save(by=editor, page=shipped.page, language="en", title="Your rights (Italy)", body="New.")
    draft = services.page_submit(by=editor, draft=draft, version=draft.version)
    services.page_publish(by=coordinator, version=draft, notify=False)
    events = AuditEvent.objects.count()
    versions = PageVersion.objects.count()
    assert services.pages_install_shipped(content_dir=FIXTURES) == 0
    assert PageVersion.objects.count() == versions and AuditEvent.objects.count() == events
    current = PageVersion.objects.get(page=shipped.page, language="en", status=PageStatus.PUBLISHED)
    assert (current.number, current.title) == (2, "Your rights (Italy)")


def test_install_without_a_listing_does_nothing(tmp_path):
    assert services.pages_install_shipped(content_dir=tmp_path) == 0


def test_the_post_migrate_handler_skips_other_databases():
    from rete.portal.apps import install_shipped_pages

    assert install_shipped_pages(sender=None, using="other") is None


def test_the_shipped_listing_is_installed_for_every_country():
    """post_migrate ran on the test database: every listed page exists in every country."""
    listing = yaml.safe_load((services.SHIPPED_CONTENT_DIR / "pages.yaml").read_text(encoding="utf-8"))
    slugs = {entry["slug"] for entry in listing}
    assert {"forms-of-violence", "your-rights", "reporting", "protection-orders", "legal-aid", "support-centres",
            "friends-and-family", "professionals"} == slugs
    for country in ("CY", "IT", "CZ", "BG"):
        assert set(InfoPage.objects.filter(country=country, slug__in=slugs).values_list("slug", flat=True)) == slugs
    assert InfoPage.objects.get(country="IT", slug="professionals").for_professionals


def test_shipped_texts_are_well_formed():
    """Each language file (where it exists) has a title and text for listed pages, country
    sections only for the four countries, and no link to another site."""
    listing = yaml.safe_load((services.SHIPPED_CONTENT_DIR / "pages.yaml").read_text(encoding="utf-8"))
    slugs = {entry["slug"] for entry in listing}
    for code in services.LANGUAGE_CODES:
        path = services.SHIPPED_CONTENT_DIR / f"{code}.yaml"
        if not path.exists():
            continue
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(content, dict), path
        for slug, item in content.items():
            assert slug in slugs, (path.name, slug)
            assert item.get("title") and item.get("body"), (path.name, slug)
            assert len(item["title"]) <= 200 and len(item.get("summary") or "") <= 400, (path.name, slug)
            assert set(item.get("countries") or {}) <= {"CY", "IT", "CZ", "BG"}, (path.name, slug)
            texts = [item["body"], *(item.get("countries") or {}).values()]
            assert not [link for text in texts for link in services.external_links(text)], (path.name, slug)


def test_demo_pages_are_loaded_once():
    from rete.core.demo import load_demo_network
    from rete.portal.demo import load_demo_pages
    from rete.portal.models import PageVersion

    load_demo_network()
    services.pages_install_shipped(content_dir=FIXTURES)
    first = load_demo_pages()
    count = PageVersion.objects.count()
    assert load_demo_pages() == 0 and PageVersion.objects.count() == count
    if first:  # where the shipped text exists
        assert PageVersion.objects.filter(created_by__isnull=False).exists()
