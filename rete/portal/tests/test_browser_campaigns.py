"""A campaign in Chromium (part "campaigns-reach"): an editor creates a campaign and a post with an
image and its description and submits it; a second editor of the same organisation approves it
and downloads its pack; a visitor follows the campaign's link, and the dashboard counts the
visit. axe on every page."""
import datetime
import io
import re
import zipfile

import pytest
from django.utils import timezone

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)
from rete.portal.models import Campaign, PostStatus, ReachCount, ReachKind, SocialPost
from rete.portal.tests.factories_campaigns import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_campaign_from_first_post_to_a_counted_visit(browser, live_server):  # noqa: F811
    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    make_user("editor@home.example", roles=[Role.CONTENT_EDITOR], organisation=home, first_name="Federica")
    make_user("coordinator@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=home, first_name="Elisa")
    today = timezone.localdate()

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "editor@home.example")
    page.wait_for_url("**/start/")
    page.goto("/en/editor/campaigns/")
    assert_accessible(page)
    page.get_by_role("link", name="New campaign").click()
    page.get_by_role("heading", name="New campaign").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Orange the world")
    page.get_by_label("Short code").fill("orange-it")
    page.get_by_label("Starts on").fill((today - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Ends on").fill((today + datetime.timedelta(days=13)).isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The campaign was saved.").first.wait_for()
    assert_accessible(page)
    campaign = Campaign.objects.get()

    page.get_by_role("link", name="New post").click()
    page.get_by_role("heading", name=re.compile("New post")).wait_for()
    assert_accessible(page)
    page.get_by_label("Channel").select_option("instagram")
    page.get_by_label(re.compile(r"^Text")).fill("Non sei sola. Chiama il 1522, giorno e notte.")
    page.get_by_label(re.compile(r"^Image:")).set_input_files(
        files=[{"name": "square.png", "mimeType": "image/png", "buffer": png()}])
    page.get_by_label("Planned for").fill((timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT10:00"))
    # Without its description the image is refused, her text stays, and the page says why.
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("people who use screen readers").first.wait_for()
    assert page.get_by_label(re.compile(r"^Text")).input_value() == "Non sei sola. Chiama il 1522, giorno e notte."
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Image:")).set_input_files(
        files=[{"name": "square.png", "mimeType": "image/png", "buffer": png()}])
    page.get_by_label("Image description (alt text)").fill("A purple square with the number 1522 in white.")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("The post was saved as a draft").first.wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("The post was submitted").first.wait_for()
    assert page.get_by_text("You wrote this post, so the buttons to approve or return it are not shown").count() == 1
    assert page.get_by_role("button", name="Approve").count() == 0
    assert_accessible(page)
    post = SocialPost.objects.get()
    assert post.status == PostStatus.SUBMITTED and post.image_alt.startswith("A purple square")
    page.goto("/en/editor/posts/")
    assert_accessible(page)
    context.close()

    context, page, more_errors = new_page(browser, live_server)
    sign_in(page, "coordinator@home.example")
    page.wait_for_url("**/start/")
    page.goto(f"/en/editor/posts/{post.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("The post is approved").first.wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the pack (.zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    assert sorted(archive.namelist()) == ["README.txt", "alt-text.txt", "post.txt", "square.png"]
    assert archive.read("alt-text.txt").decode().startswith("A purple square")
    assert archive.read("square.png") == png()
    assert SocialPost.objects.get().status == PostStatus.APPROVED

    visitor_context, visitor, visitor_errors = new_page(browser, live_server)
    visitor.goto("/en/?c=orange-it")
    assert_accessible(visitor)
    visitor_context.close()
    assert ReachCount.objects.get(kind=ReachKind.CAMPAIGN_VISIT).campaign_ref == campaign.pk

    page.goto(f"/en/editor/campaigns/{campaign.pk}/")
    assert_accessible(page)
    totals = page.get_by_role("table", name="Totals for the period")
    assert totals.get_by_role("row", name=re.compile("Visits from campaign links")).inner_text().split()[-1] == "1"
    page.goto("/en/editor/reach/")
    assert_accessible(page)
    context.close()
    assert not csp_errors and not more_errors and not visitor_errors, csp_errors + more_errors + visitor_errors
