"""Campaigns (part "campaigns-reach"), the pages: the list with counts by status, adding and
editing (400 keeps her entries, 409 shows both versions), the dashboard (calendar by week, events
and materials, reach from seeded counters with its chart and tables), the campaign's pack,
bounded queries, and who reaches what."""
import datetime
import io
import re
import zipfile

import pytest
from django.utils import timezone

from rete.conftest import client_for, url
from rete.core.models import AuditEvent
from rete.portal.models import Campaign, InfoPage, Material, PublicEvent, ReachCount, ReachKind
from rete.portal.tests.factories_campaigns import approved_post, make_campaign, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(network):
    return make_campaign(network["content_editor"], network.home)


def form_data(network, **changes):
    today = timezone.localdate()
    data = {"name": "Orange the world", "slug": "orange-it", "aim": "Women who may not know the helpline.",
            "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=16)).isoformat(),
            "country": "IT", "organisation": str(network.home.pk)}
    data.update(changes)
    return data


def test_the_list_shows_her_countries_campaigns_with_posts_by_status(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    make_post(author, campaign)
    make_post(author, campaign, image=False)
    approved_post(author, colleague, campaign)
    make_campaign(network["other_content_editor"], network.other, slug="cy-campaign", name="Cypriot campaign")
    past = make_campaign(author, network.home, slug="old", name="Last year",
                         starts_on=timezone.localdate() - datetime.timedelta(days=400),
                         ends_on=timezone.localdate() - datetime.timedelta(days=380))
    response = client_for(colleague).get(url("portal:editor_campaigns"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Orange the world" in html and "Cypriot campaign" not in html
    assert "Past campaigns" in html and past.name in html
    row = re.search(r"Orange the world</a>.*?</tr>", html, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "0", "0", "1", "0"]
    assert 'aria-current="page">Campaigns and posts' in html


def test_the_list_takes_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    author = network["content_editor"]
    client = client_for(author)
    client.get(url("portal:editor_campaigns"))
    for n in range(6):
        campaign = make_campaign(author, network.home, slug=f"c{n}", name=f"Campaign {n}")
        make_post(author, campaign, image=False)
    with django_assert_max_num_queries(8):
        response = client.get(url("portal:editor_campaigns"))
    assert response.content.decode().count("Campaign ") >= 6


def test_an_editor_adds_a_campaign(network):
    client = client_for(network["content_editor"])
    response = client.get(url("portal:editor_campaign_add"))
    html = response.content.decode()
    assert response.status_code == 200 and "?c=code" in html
    response = client.post(url("portal:editor_campaign_add"), form_data(network))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == url("portal:editor_campaign", campaign_id=campaign.pk)
    assert campaign.created_by == network["content_editor"]
    assert AuditEvent.objects.filter(action="portal.campaign_created").count() == 1


def test_invalid_entries_come_back_with_400_and_her_data(network, campaign):
    client = client_for(network["network_coordinator"])
    today = timezone.localdate()
    response = client.post(url("portal:editor_campaign_add"), form_data(
        network, name="Sixteen days", ends_on=(today - datetime.timedelta(days=1)).isoformat()))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Sixteen days"' in html and "cannot be before the start date" in html
    response = client.post(url("portal:editor_campaign_add"), form_data(network, name="Sixteen days"))  # code taken
    assert response.status_code == 400 and "already uses this short code" in response.content.decode()
    response = client.post(url("portal:editor_campaign_add"), form_data(network, slug="Not a slug!"))
    assert response.status_code == 400
    assert Campaign.objects.count() == 1


def test_a_stale_edit_answers_409_with_both_versions(network, campaign):
    editor_url = url("portal:editor_campaign_edit", campaign_id=campaign.pk)
    client_for(network["network_coordinator"]).post(editor_url, form_data(network, name="Their name",
                                                                            version=campaign.version))
    response = client_for(network["content_editor"]).post(editor_url, form_data(network, name="My name",
                                                                                  version=campaign.version))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html and "Their name" in html and 'value="My name"' in html
    assert f'name="version" value="{campaign.version + 1}"' in html
    # Saving again (knowingly) works.
    response = client_for(network["content_editor"]).post(editor_url, form_data(network, name="My name",
                                                                                  version=campaign.version + 1))
    assert response.status_code == 302
    assert Campaign.objects.get().name == "My name"


def seed_reach(campaign, material, event):
    today = timezone.localdate()
    rows = []
    for offset, visits in ((0, 3), (1, 5), (2, 1)):
        day = today - datetime.timedelta(days=offset)
        rows += [
            ReachCount(day=day, kind=ReachKind.CAMPAIGN_VISIT, key="portal:home", country="IT", language="it",
                       campaign_ref=campaign.pk, count=visits),
            ReachCount(day=day, kind=ReachKind.CAMPAIGN_VISIT, key="portal:info_page/IT/aiuto", country="IT",
                       language="en", campaign_ref=campaign.pk, count=2),
            ReachCount(day=day, kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}", country="IT",
                       language="it", campaign_ref=campaign.pk, count=4),
            ReachCount(day=day, kind=ReachKind.CALENDAR_DOWNLOAD, key=f"event/{event.pk}", country="IT",
                       language="it", campaign_ref=campaign.pk, count=1),
            # Another campaign's visits and page views are not this campaign's.
            ReachCount(day=day, kind=ReachKind.CAMPAIGN_VISIT, key="portal:home", country="IT", language="it",
                       campaign_ref=campaign.pk + 1000, count=50),
            ReachCount(day=day, kind=ReachKind.PAGE_VIEW, key="portal:home", country="", language="it", count=70),
        ]
    # Outside the period (before the campaign started).
    rows.append(ReachCount(day=campaign.starts_on - datetime.timedelta(days=1), kind=ReachKind.CAMPAIGN_VISIT,
                           key="portal:home", country="IT", language="it", campaign_ref=campaign.pk, count=99))
    ReachCount.objects.bulk_create(rows)


def campaign_objects(network, campaign):
    page = InfoPage.objects.create(country="IT", slug="aiuto")
    material = Material.objects.create(country="IT", organisation=network.home, campaign=campaign, page=page,
                                       name="Leaflet 1522", published=True)
    start = timezone.now() + datetime.timedelta(days=3)
    event = PublicEvent.objects.create(country="IT", organisation=network.home, campaign=campaign, title="Info day in Milan",
                                       language="it", starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    return page, material, event


def test_the_dashboard_shows_calendar_events_materials_and_reach(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    _page, material, event = campaign_objects(network, campaign)
    seed_reach(campaign, material, event)
    make_post(author, campaign, alt="Purple square, 1522 in white")
    approved_post(author, colleague, campaign, channel="x", language="en", image=False, text="You are not alone.",
                  when=timezone.now() + datetime.timedelta(days=8))
    response = client_for(colleague).get(url("portal:editor_campaign", campaign_id=campaign.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Content calendar" in html and html.count("Week of") == 2
    assert "Purple square, 1522 in white" in html and "Instagram" in html and "Waiting" not in html
    assert "Info day in Milan" in html and "Leaflet 1522" in html
    assert "Download the pack of 1 approved post" in html
    totals = re.search(r"Totals for the period</caption>.*?</table>", html, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', totals) == [
        ("Visits from campaign links", "15"), ("Material downloads", "12"), ("Calendar downloads", "3")]
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html and "<title id=\"campaign-reach-title\">" in html
    per_key = re.search(r"Per landing page, material and event</caption>.*?</table>", html, re.S).group(0)
    assert "Home page</th><td>9" in per_key and "IT · aiuto</th><td>6" in per_key
    assert "Leaflet 1522</th><td>12" in per_key and "Info day in Milan</th><td>3" in per_key
    per_language = re.search(r"Per language</caption>.*?</table>", html, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", per_language) == ["6", "0", "0", "9", "12", "3"]


def test_the_dashboard_period_filter(network, campaign):
    _page, material, event = campaign_objects(network, campaign)
    seed_reach(campaign, material, event)
    client = client_for(network["content_editor"])
    today = timezone.localdate()
    response = client.get(url("portal:editor_campaign", campaign_id=campaign.pk),
                          {"from": (today - datetime.timedelta(days=1)).isoformat(), "to": today.isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Visits from campaign links</th><td>12</td>" in html
    response = client.get(url("portal:editor_campaign", campaign_id=campaign.pk),
                          {"from": campaign.starts_on - datetime.timedelta(days=1), "to": today.isoformat()})
    assert "Visits from campaign links</th><td>114</td>" in response.content.decode()
    # In every language the date inputs carry ISO dates (what a browser's date input reads).
    html = client.get(url("portal:editor_campaign", lang="it", campaign_id=campaign.pk)).content.decode()
    assert f'name="from" value="{campaign.starts_on:%Y-%m-%d}"' in html and f'name="to" value="{today:%Y-%m-%d}"' in html
    html = client.get(url("portal:editor_campaign_edit", lang="bg", campaign_id=campaign.pk)).content.decode()
    assert f'value="{campaign.starts_on:%Y-%m-%d}"' in html
    # Too long, reversed or not a date: 400, and the campaign's own period is shown.
    for params in ({"from": "2020-01-01", "to": today.isoformat()}, {"from": today.isoformat(), "to": "2020-01-01"},
                   {"from": "yesterday", "to": ""}):
        response = client.get(url("portal:editor_campaign", campaign_id=campaign.pk), params)
        assert response.status_code == 400
        assert "Visits from campaign links</th><td>15</td>" in response.content.decode()


def test_the_dashboard_takes_a_fixed_number_of_queries(network, campaign, django_assert_max_num_queries):
    author, colleague = network["content_editor"], network["network_coordinator"]
    client = client_for(colleague)
    client.get(url("portal:editor_campaign", campaign_id=campaign.pk))
    _page, material, event = campaign_objects(network, campaign)
    seed_reach(campaign, material, event)
    for n in range(8):
        make_post(author, campaign, when=timezone.now() + datetime.timedelta(days=n * 3), image=n % 2 == 0)
    approved_post(author, colleague, campaign)
    with django_assert_max_num_queries(16):
        response = client.get(url("portal:editor_campaign", campaign_id=campaign.pk))
    assert response.status_code == 200


def test_the_campaign_pack_download(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    approved_post(author, colleague, campaign)
    approved_post(author, colleague, campaign, channel="x", language="en", text="You are not alone.", image=False,
                  when=timezone.now() + datetime.timedelta(days=2))
    response = client_for(author).get(url("portal:editor_campaign_pack", campaign_id=campaign.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"] and 'filename="orange-it-posts.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "calendar.csv" in names and sum(name.endswith("/post.txt") for name in names) == 2
    assert AuditEvent.objects.filter(action="portal.pack_exported").count() == 1


def test_it_checks_ownership(network, campaign):
    """The other organisation's (Cypriot) editor, the outsider and other roles get 404 on an
    Italian campaign; anonymous visitors are sent to sign in."""
    pages = [url("portal:editor_campaign", campaign_id=campaign.pk),
             url("portal:editor_campaign_edit", campaign_id=campaign.pk),
             url("portal:editor_campaign_pack", campaign_id=campaign.pk),
             url("portal:editor_post_add", campaign_id=campaign.pk)]
    for person in (network["other_content_editor"], network["other_network_coordinator"], network.outsider,
                   network["caseworker"], network.superuser):
        client = client_for(person)
        for page in pages:
            assert client.get(page).status_code == 404, (person, page)
        assert client.post(url("portal:editor_campaign_edit", campaign_id=campaign.pk),
                           form_data(network, name="Hijacked", version=campaign.version)).status_code == 404
    for page in pages + [url("portal:editor_campaigns"), url("portal:editor_campaign_add")]:
        response = client_for(None).get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Other roles have no campaigns list at all.
    assert client_for(network["caseworker"]).get(url("portal:editor_campaigns")).status_code == 404
    assert Campaign.objects.get().name == "Orange the world"


def test_a_colleague_from_another_organisation_of_the_country_edits_without_changing_the_organisation(network, campaign):
    from rete.conftest import make_organisation, make_user
    from rete.core.models import Role

    milan = make_organisation("milan", country="IT", name="Milan Centre")
    colleague = make_user("coordinator@milan.example", roles=[Role.NETWORK_COORDINATOR], organisation=milan)
    client = client_for(colleague)
    html = client.get(url("portal:editor_campaign_edit", campaign_id=campaign.pk)).content.decode()
    assert f'<option value="{network.home.pk}" selected>Home Support Centre (Italy)</option>' in html
    response = client.post(url("portal:editor_campaign_edit", campaign_id=campaign.pk),
                           form_data(network, name="Renamed", version=campaign.version))
    assert response.status_code == 302
    assert Campaign.objects.get().organisation == network.home
