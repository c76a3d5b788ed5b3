"""Reach without tracking (part "campaigns-reach"), the counters: `reach.count` adds to one daily
row; the middleware counts a public page shown once, a visit from a campaign link (?c=) under
its campaign, never staff pages, POSTs or errors; the safe-contact form counts "how did you hear
about us" for real requests only; nothing stored names an address, a browser or a time."""
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from rete.conftest import client_for, url
from rete.portal import reach
from rete.portal.models import ReachCount, ReachKind
from rete.portal.tests.factories_campaigns import make_campaign

pytestmark = pytest.mark.django_db

USER_AGENT = "Mozilla/5.0 (TestBrowser 99.1; Fingerprintable)"
ADDRESS = "198.51.100.23"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def visitor():
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=USER_AGENT)


def counters(**filters):
    return {(row.kind, row.key, row.country, row.language, row.campaign_ref): row.count
            for row in ReachCount.objects.filter(**filters)}


def test_count_adds_to_one_daily_counter():
    reach.count(kind=ReachKind.MATERIAL_DOWNLOAD, key="material/7", country="IT", language="it", campaign_ref=3)
    reach.count(kind=ReachKind.MATERIAL_DOWNLOAD, key="material/7", country="IT", language="it", campaign_ref=3)
    row = ReachCount.objects.get()
    assert row.count == 2 and row.day == timezone.localdate() and row.campaign_ref == 3
    reach.count(kind=ReachKind.MATERIAL_DOWNLOAD, key="material/7", country="IT", language="en", campaign_ref=3)
    assert ReachCount.objects.count() == 2


def test_a_public_page_shown_is_counted_once():
    response = visitor().get(url("portal:home"))
    assert response.status_code == 200
    assert counters() == {(ReachKind.PAGE_VIEW, "portal:home", "", "en", 0): 1}
    visitor().get(url("portal:home", lang="it"))
    visitor().get(url("portal:home", lang="it"))
    assert counters(language="it") == {(ReachKind.PAGE_VIEW, "portal:home", "", "it", 0): 2}


def test_staff_pages_posts_and_errors_are_not_counted(network):
    client_for(network["content_editor"]).get(url("portal:editor_campaigns"))
    client_for(network["content_editor"]).get(url("portal:editor_reach"))
    visitor().post(url("portal:home"))
    visitor().get(url("portal:directory"), {"country": "XX"})  # a 400
    visitor().get("/en/no-such-page/")
    assert not ReachCount.objects.exists()


def test_a_campaign_link_adds_a_visit_to_its_campaign(network):
    campaign = make_campaign(network["content_editor"], network.home, slug="orange-it")
    visitor().get(url("portal:home", lang="it") + "?c=orange-it")
    visitor().get(url("portal:directory") + "?c=no-such-campaign")
    assert counters(kind=ReachKind.CAMPAIGN_VISIT) == {
        (ReachKind.CAMPAIGN_VISIT, "portal:home", "IT", "it", campaign.pk): 1}
    assert counters(kind=ReachKind.PAGE_VIEW) == {(ReachKind.PAGE_VIEW, "portal:home", "", "it", 0): 1,
                                                  (ReachKind.PAGE_VIEW, "portal:directory", "", "en", 0): 1}


def test_nothing_stored_names_an_address_a_browser_or_a_time(network):
    make_campaign(network["content_editor"], network.home, slug="orange-it")
    visitor().get(url("portal:home") + "?c=orange-it")
    visitor().post(url("portal:safe_contact"), contact_data(network.home))
    fields = {field.name for field in ReachCount._meta.get_fields()}
    assert fields == {"id", "day", "kind", "key", "country", "language", "campaign_ref", "count"}
    stored = " ".join(str(value) for row in ReachCount.objects.values_list() for value in row)
    assert ADDRESS not in stored and "TestBrowser" not in stored and "Mozilla" not in stored
    assert ReachCount.objects.count() == 3  # the home page, its campaign visit, the answer (a POST is no page view)


def contact_data(organisation, **extra):
    data = {"organisation": str(organisation.pk), "name_or_alias": "Anna", "phone": "347 555 0000", "other_contact": "",
            "safe_to_contact": "yes", "safe_times": "", "code_word": "", "leave_message": "no", "message": "",
            "language": "it", "heard_about": "leaflet", "website": ""}
    data.update(extra)
    return data


def test_the_contact_form_counts_how_she_heard_about_us(network):
    from rete.cases.models import ContactRequest

    response = visitor().post(url("portal:safe_contact", lang="it"), contact_data(network.home))
    assert response.status_code == 200 and ContactRequest.objects.count() == 1
    assert counters(kind=ReachKind.HEARD_ABOUT) == {(ReachKind.HEARD_ABOUT, "leaflet", "IT", "it", 0): 1}
    Client(REMOTE_ADDR="198.51.100.24").post(url("portal:safe_contact"), contact_data(network.other, heard_about=""))
    assert counters(kind=ReachKind.HEARD_ABOUT)[(ReachKind.HEARD_ABOUT, "unanswered", "CY", "en", 0)] == 1


def test_spam_invalid_and_rate_limited_requests_are_not_counted(network):
    client = visitor()
    client.post(url("portal:safe_contact"), contact_data(network.home, website="http://spam.example"))
    client.post(url("portal:safe_contact"), contact_data(network.home, phone="", other_contact=""))
    assert not ReachCount.objects.filter(kind=ReachKind.HEARD_ABOUT).exists()
    for _n in range(6):
        client.post(url("portal:safe_contact"), contact_data(network.home))
    # Two spent on the honeypot and the invalid one: three real requests, then the limit.
    assert counters(kind=ReachKind.HEARD_ABOUT) == {(ReachKind.HEARD_ABOUT, "leaflet", "IT", "en", 0): 3}
