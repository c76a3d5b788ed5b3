"""The demo campaigns (part "campaigns-reach"): one per country with posts in the local language
and English, images with their descriptions, various statuses, and daily reach counters; loading
twice changes nothing."""
import io
import zipfile

import pytest

from rete.conftest import client_for, url
from rete.core.demo import demo_email, load_demo_network
from rete.core.models import User
from rete.portal.demo import load_demo_campaigns, solid_png
from rete.portal.models import Campaign, PostStatus, ReachCount, ReachKind, SocialPost

pytestmark = pytest.mark.django_db


def test_a_solid_png_is_a_real_png():
    data = solid_png(3, 2, (255, 0, 0))
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and b"IHDR" in data and data.endswith(b"IEND\xaeB`\x82")


def test_the_demo_campaigns_load_once():
    load_demo_network()
    assert load_demo_campaigns() == 4
    posts, counters = SocialPost.objects.count(), ReachCount.objects.count()
    totals = sorted(ReachCount.objects.values_list("count", flat=True))
    assert load_demo_campaigns() == 0
    assert SocialPost.objects.count() == posts and ReachCount.objects.count() == counters
    assert sorted(ReachCount.objects.values_list("count", flat=True)) == totals
    assert sorted(Campaign.objects.values_list("country", flat=True)) == ["BG", "CY", "CZ", "IT"]
    for campaign in Campaign.objects.all():
        languages = set(campaign.posts.values_list("language", flat=True))
        assert len(languages) == 2 and "en" in languages
        assert 6 <= campaign.posts.count() <= 10
        assert not campaign.posts.exclude(image_name="").filter(image_alt="").exists()
    assert set(SocialPost.objects.values_list("status", flat=True)) == set(PostStatus.values)
    kinds = set(ReachCount.objects.values_list("kind", flat=True))
    assert {ReachKind.PAGE_VIEW, ReachKind.CAMPAIGN_VISIT, ReachKind.HEARD_ABOUT} <= kinds


def test_the_demo_dashboards_show_something():
    load_demo_network()
    load_demo_campaigns()
    from allauth.mfa.models import Authenticator

    from rete.conftest import TOTP_SECRET
    from rete.core import crypto

    editor = User.objects.get(email=demo_email("salvamamme", "content_editor"))
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": crypto.encrypt(TOTP_SECRET)})
    campaign = Campaign.objects.get(country="IT")
    client = client_for(editor)
    html = client.get(url("portal:editor_campaign", campaign_id=campaign.pk)).content.decode()
    assert "Week of" in html and "Visits from campaign links</th><td>0</td>" not in html
    assert client.get(url("portal:editor_reach")).status_code == 200
    response = client.get(url("portal:editor_campaign_pack", campaign_id=campaign.pk))
    assert response.status_code == 200 and "calendar.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
