"""Reach without tracking (part "campaigns-reach"), the editors' page and its CSV: sums per page
(information pages of her countries by title, portal-wide pages for everyone), per material and
language, per event, per campaign, "how did you hear about us", per day with an accessible
chart; the period filter; bounded queries; who reaches what."""
import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from rete.conftest import client_for, url
from rete.core.models import AuditEvent
from rete.portal.models import InfoPage, Material, PageVersion, PublicEvent, ReachCount, ReachKind
from rete.portal.tests.factories_campaigns import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(network):
    today = timezone.localdate()
    campaign = make_campaign(network["content_editor"], network.home)
    cy_campaign = make_campaign(network["other_content_editor"], network.other, slug="cy", name="Cypriot campaign")
    page = InfoPage.objects.create(country="IT", slug="come-chiedere-aiuto")
    PageVersion.objects.create(page=page, language="en", number=1, title="How to ask for help", body="…", status="published")
    PageVersion.objects.create(page=page, language="it", number=1, title="Come chiedere aiuto", body="…", status="published")
    cy_page = InfoPage.objects.create(country="CY", slug="help")
    material = Material.objects.create(country="IT", organisation=network.home, page=page, name="Leaflet 1522")
    start = timezone.now() + datetime.timedelta(days=5)
    event = PublicEvent.objects.create(country="IT", organisation=network.home, title="Info day in Milan", language="it",
                                       starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    rows = []
    for offset in range(3):
        day = today - datetime.timedelta(days=offset)
        rows += [
            ReachCount(day=day, kind=ReachKind.PAGE_VIEW, key="portal:home", language="it", count=10),
            ReachCount(day=day, kind=ReachKind.PAGE_VIEW, key="portal:home", language="en", count=5),
            ReachCount(day=day, kind=ReachKind.PAGE_VIEW, key=f"portal:info_page/IT/{page.slug}", country="IT",
                       language="it", count=4),
            ReachCount(day=day, kind=ReachKind.PAGE_VIEW, key=f"portal:info_page/CY/{cy_page.slug}", country="CY",
                       language="el", count=7),
            ReachCount(day=day, kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}", country="IT",
                       language="it", count=2),
            ReachCount(day=day, kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}", country="IT",
                       language="en", count=1),
            ReachCount(day=day, kind=ReachKind.CALENDAR_DOWNLOAD, key=f"event/{event.pk}", country="IT",
                       language="it", count=3),
            ReachCount(day=day, kind=ReachKind.CAMPAIGN_VISIT, key="portal:home", country="IT", language="it",
                       campaign_ref=campaign.pk, count=6),
            ReachCount(day=day, kind=ReachKind.CAMPAIGN_VISIT, key="portal:home", country="CY", language="el",
                       campaign_ref=cy_campaign.pk, count=8),
            ReachCount(day=day, kind=ReachKind.HEARD_ABOUT, key="leaflet", country="IT", language="it", count=1),
            ReachCount(day=day, kind=ReachKind.HEARD_ABOUT, key="social", country="CY", language="el", count=9),
        ]
    rows.append(ReachCount(day=today, kind=ReachKind.HEARD_ABOUT, key="unanswered", country="IT", language="en", count=2))
    # Long ago: outside the default 30 days.
    rows.append(ReachCount(day=today - datetime.timedelta(days=45), kind=ReachKind.PAGE_VIEW, key="portal:home",
                           language="it", count=1000))
    ReachCount.objects.bulk_create(rows)
    return {"campaign": campaign, "page": page, "material": material, "event": event}


def table(html, caption):
    block = re.search(re.escape(caption) + r"</caption>.*?</table>", html, re.S).group(0)
    return re.findall(r'<th scope="row">(.*?)</th>.*?<td>(\d+)</td>', block, re.S)


def test_the_reach_page_shows_sums_for_her_countries(network, seeded):
    response = client_for(network["content_editor"]).get(url("portal:editor_reach"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No address, identifier, cookie or time of day is kept" in html
    assert "57 page views in the period." in html
    pages = table(html, "Page views per page")
    assert [(re.sub(r"\s+", " ", re.sub(r"<.*?>", "", label)).strip(), n) for label, n in pages] == [
        ("Home page (whole portal)", "45"), ("IT · How to ask for help", "12")]
    assert re.findall(r"Leaflet 1522</th><td>(\w+)</td><td>(\d+)</td>", html) == [("English", "3"), ("Italian", "6")]
    assert table(html, "Events added to a calendar") == [("Info day in Milan", "9")]
    visits = table(html, "Visits per campaign")
    assert len(visits) == 1 and "Orange the world" in visits[0][0] and visits[0][1] == "18"
    assert table(html, "on the safe-contact form") == [("A leaflet or poster", "3"), ("Did not say", "2")]
    assert 'role="img"' in html and '<title id="reach-views-title">Page views per day</title>' in html
    assert "Cypriot" not in html and "CY · help" not in html


def test_the_cypriot_editor_sees_hers_and_the_portal_wide_pages(network, seeded):
    html = client_for(network["other_content_editor"]).get(url("portal:editor_reach")).content.decode()
    labels = [re.sub(r"\s+", " ", re.sub(r"<.*?>", "", label)).strip() for label, _n in table(html, "Page views per page")]
    assert labels == ["Home page (whole portal)", "CY · help"]
    assert "Orange the world" not in html and "Leaflet 1522" not in html and "Info day in Milan" not in html
    assert table(html, "on the safe-contact form") == [("Social media", "27")]


def test_the_period_filter_and_its_limits(network, seeded):
    client = client_for(network["content_editor"])
    today = timezone.localdate()
    html = client.get(url("portal:editor_reach"), {"from": (today - datetime.timedelta(days=60)).isoformat(),
                                                    "to": today.isoformat()}).content.decode()
    assert "1,057 page views in the period." in html
    html = client.get(url("portal:editor_reach"), {"from": today.isoformat(), "to": today.isoformat()}).content.decode()
    assert "19 page views in the period." in html
    for params in ({"from": "2020-01-01", "to": today.isoformat()}, {"from": today.isoformat(), "to": "2001-01-01"},
                   {"from": "soon"}):
        response = client.get(url("portal:editor_reach"), params)
        assert response.status_code == 400 and "57 page views in the period." in response.content.decode()


def test_the_chart_has_the_same_numbers_in_a_table(network, seeded):
    today = timezone.localdate()
    html = client_for(network["content_editor"]).get(url("portal:editor_reach")).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<desc" in svg and "30 days" in svg and "Page views: 57 in all." in svg
    assert not re.search(r'(?:x|y|points)="[^"]*\d,\d{1,2}[^0-9 ,.]', svg)  # coordinates not localised
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html.split("The numbers per day")[1].split("</details>")[0])
    assert len(rows) == 30 and rows[-1] == (f"{today:%a} {today.day} {today:%b %Y}", "19") and rows[0][1] == "0"


def test_the_csv_has_the_same_sums_and_is_audited(network, seeded):
    response = client_for(network["content_editor"]).get(url("portal:editor_reach_csv"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "no personal data" in rows[0][0]
    assert rows[1] == ["what", "item", "language", "count"]
    assert ["Page views", "Home page", "", "45"] in rows
    assert ["Page views", "IT · How to ask for help", "", "12"] in rows
    assert ["Material downloads", "Leaflet 1522", "it", "6"] in rows
    assert ["Calendar downloads", "Info day in Milan", "", "9"] in rows
    assert ["Visits from campaign links", "Orange the world", "", "18"] in rows
    assert ["How contact requests heard about us", "A leaflet or poster", "", "3"] in rows
    assert sum(1 for row in rows if row[0] == "Page views per day") == 30
    event = AuditEvent.objects.get(action="portal.reach_exported")
    assert event.actor_id == network["content_editor"].pk and set(event.detail) == {"from", "to"}


def test_a_title_that_looks_like_a_formula_is_neutralised_in_the_csv(network, seeded):
    seeded["material"].name = "=HYPERLINK(\"http://evil.example\")"
    seeded["material"].save()
    rows = list(csv.reader(io.StringIO(client_for(network["content_editor"]).get(url("portal:editor_reach_csv"))
                                      .content.decode())))
    assert ["Material downloads", "'=HYPERLINK(\"http://evil.example\")", "it", "6"] in rows


def test_the_reach_page_takes_a_fixed_number_of_queries(network, seeded, django_assert_max_num_queries):
    client = client_for(network["content_editor"])
    client.get(url("portal:editor_reach"))
    today = timezone.localdate()
    for n in range(10):
        page = InfoPage.objects.create(country="IT", slug=f"page-{n}")
        material = Material.objects.create(country="IT", organisation=network.home, page=page, name=f"Material {n}")
        campaign = make_campaign(network["content_editor"], network.home, slug=f"c-{n}")
        ReachCount.objects.bulk_create([
            ReachCount(day=today, kind=ReachKind.PAGE_VIEW, key=f"portal:info_page/IT/page-{n}", country="IT", count=n + 1),
            ReachCount(day=today, kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}", country="IT", count=1),
            ReachCount(day=today, kind=ReachKind.CAMPAIGN_VISIT, key="portal:home", country="IT",
                       campaign_ref=campaign.pk, count=1),
        ])
    with django_assert_max_num_queries(20):
        assert client.get(url("portal:editor_reach")).status_code == 200
    with django_assert_max_num_queries(26):
        assert client.get(url("portal:editor_reach_csv")).status_code == 200


def test_it_checks_ownership(network, seeded):
    for person in (network.outsider, network["caseworker"], network["supervisor"], network.superuser):
        assert client_for(person).get(url("portal:editor_reach")).status_code == 404
        assert client_for(person).get(url("portal:editor_reach_csv")).status_code == 404
    for address in (url("portal:editor_reach"), url("portal:editor_reach_csv")):
        response = client_for(None).get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action="portal.reach_exported").exists()
