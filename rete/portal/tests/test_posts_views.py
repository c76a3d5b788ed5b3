"""Social media posts (part "campaigns-reach"), the pages: writing a post with an image (type and
size checked, her text kept on refusal, alt text required), the post page with the actions she
may take and why others are missing, approval and return, marking as published, the image and
the pack downloads, the month calendar, bounded queries, and who reaches what."""
import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from rete.conftest import client_for, url
from rete.core.models import AuditEvent
from rete.portal.models import InfoPage, PostStatus, SocialPost
from rete.portal.tests.factories_campaigns import approved_post, make_campaign, make_post, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(network):
    return make_campaign(network["content_editor"], network.home)


def post_data(**changes):
    data = {"channel": "instagram", "language": "it", "text": "Non sei sola. Chiama il 1522.", "link_page": "",
            "image_alt": "", "scheduled_for": (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}
    data.update(changes)
    return data


def image(name="square.png", data=None):
    return SimpleUploadedFile(name, data if data is not None else png(), content_type="image/png")


def test_an_editor_writes_a_post_with_an_image_and_its_description(network, campaign):
    page = InfoPage.objects.create(country="IT", slug="aiuto")
    client = client_for(network["content_editor"])
    response = client.get(url("portal:editor_post_add", campaign_id=campaign.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "X (up to 280 characters)" in html and "Bluesky (up to 300 characters)" in html and "63,206" in html
    assert 'enctype="multipart/form-data"' in html and "IT · aiuto" in html
    response = client.post(url("portal:editor_post_add", campaign_id=campaign.pk),
                           post_data(image=image(), image_alt="A purple square.", link_page=str(page.pk)))
    post = SocialPost.objects.get()
    assert response.status_code == 302 and response["Location"] == url("portal:editor_post", post_id=post.pk)
    assert post.image_name == "square.png" and post.image_alt == "A purple square." and post.link_page == page
    assert post.created_by == network["content_editor"] and post.status == PostStatus.DRAFT
    html = client.get(response["Location"]).content.decode()
    assert "http://127.0.0.1:8000/it/info/it/aiuto/?c=orange-it" in html
    assert 'alt="A purple square."' in html


def test_the_planned_time_is_in_her_time_zone(network, campaign):
    editor = network["content_editor"]
    editor.time_zone = "Asia/Nicosia"
    editor.save()
    client_for(editor).post(url("portal:editor_post_add", campaign_id=campaign.pk),
                            post_data(scheduled_for="2030-11-25T10:00"))
    assert SocialPost.objects.get().scheduled_for == datetime.datetime(2030, 11, 25, 8, 0, tzinfo=datetime.UTC)
    post = SocialPost.objects.get()
    html = client_for(editor).get(url("portal:editor_post_edit", lang="it", post_id=post.pk)).content.decode()
    assert 'value="2030-11-25T10:00"' in html


def test_an_image_without_description_is_refused_and_her_text_kept(network, campaign):
    response = client_for(network["content_editor"]).post(url("portal:editor_post_add", campaign_id=campaign.pk),
                                                          post_data(image=image(), text="Testo da tenere"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "screen readers" in html and "Testo da tenere" in html and "choose it again" in html
    assert not SocialPost.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_by_its_content(network, campaign):
    fake = image("innocent.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    response = client_for(network["content_editor"]).post(url("portal:editor_post_add", campaign_id=campaign.pk),
                                                          post_data(image=fake, image_alt="Nothing"))
    assert response.status_code == 400 and "Only PNG, JPEG or WebP" in response.content.decode()
    assert not SocialPost.objects.exists()


@override_settings(RETE_POST_IMAGE_MAX_BYTES=1024)
def test_an_oversize_image_is_refused_with_a_message_and_her_text_kept(network, campaign):
    big = image("big.png", png() + b"\x00" * 5000)
    response = client_for(network["content_editor"]).post(url("portal:editor_post_add", campaign_id=campaign.pk),
                                                          post_data(image=big, image_alt="Big", text="Il mio testo"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The image is too large: the limit is 1.0 KB" in html and "Il mio testo" in html
    assert not SocialPost.objects.exists()


@override_settings(RETE_POST_IMAGE_MAX_BYTES=10)
def test_a_request_absurdly_beyond_the_limit_is_refused_unread(network, campaign, settings):
    from rete.portal.views import editor_campaigns

    editor_campaigns.UPLOAD_REFUSE_MARGIN, before = 100, editor_campaigns.UPLOAD_REFUSE_MARGIN
    try:
        response = client_for(network["content_editor"]).post(url("portal:editor_post_add", campaign_id=campaign.pk),
                                                              post_data(image=image("big.png", png() + b"\x00" * 500)))
    finally:
        editor_campaigns.UPLOAD_REFUSE_MARGIN = before
    assert response.status_code == 413 and "too large" in response.content.decode()


def test_the_channel_limit_is_enforced_on_the_page(network, campaign):
    response = client_for(network["content_editor"]).post(url("portal:editor_post_add", campaign_id=campaign.pk),
                                                          post_data(channel="x", text="a" * 281))
    assert response.status_code == 400 and "the limit is 280" in response.content.decode()


def test_a_stale_post_edit_answers_409_with_both_versions(network, campaign):
    author = network["content_editor"]
    post = make_post(author, campaign, image=False)
    edit = url("portal:editor_post_edit", post_id=post.pk)
    client = client_for(author)
    assert client.post(edit, post_data(text="First", version=post.version)).status_code == 302
    response = client.post(edit, post_data(text="Second", version=post.version))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html and "First" in html and "Second" in html
    assert SocialPost.objects.get().text == "First"


def test_the_author_sees_why_she_cannot_approve_and_a_colleague_approves(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign)
    page = url("portal:editor_post", post_id=post.pk)
    html = client_for(author).get(page).content.decode()
    assert "Submit for approval" in html and ">Edit<" in html
    assert client_for(colleague).get(url("portal:editor_post_edit", post_id=post.pk)).status_code == 302
    assert "Only its author" in client_for(colleague).get(page).content.decode()
    response = client_for(author).post(url("portal:editor_post_submit", post_id=post.pk), {"version": post.version})
    assert response.status_code == 302
    html = client_for(author).get(page).content.decode()
    assert "You wrote this post, so the buttons to approve or return it are not shown" in html
    assert "Approve</button>" not in html
    # Posting anyway is refused (400), nothing changes.
    response = client_for(author).post(url("portal:editor_post_approve", post_id=post.pk), {"version": post.version + 1})
    assert response.status_code == 400 and "someone else" in response.content.decode()
    html = client_for(colleague).get(page).content.decode()
    assert "Approve</button>" in html and "Return with comments" in html
    response = client_for(colleague).post(url("portal:editor_post_approve", post_id=post.pk), {"version": post.version + 1})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED and post.approved_by == colleague
    html = client_for(author).get(page).content.decode()
    assert "Mark as published" in html and "Download the pack (.zip)" in html
    response = client_for(author).post(url("portal:editor_post_published", post_id=post.pk), {"version": post.version})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at


def test_returning_needs_a_comment(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign, image=False)
    client_for(author).post(url("portal:editor_post_submit", post_id=post.pk), {"version": post.version})
    response = client_for(colleague).post(url("portal:editor_post_return", post_id=post.pk),
                                          {"version": post.version + 1, "comment": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client_for(colleague).post(url("portal:editor_post_return", post_id=post.pk),
                                          {"version": post.version + 1, "comment": "Say the line is free."})
    assert response.status_code == 302
    html = client_for(author).get(url("portal:editor_post_edit", post_id=post.pk)).content.decode()
    assert "Returned with comments" in html and "Say the line is free." in html


def test_a_stale_approval_changes_nothing(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign, image=False)
    client_for(author).post(url("portal:editor_post_submit", post_id=post.pk), {"version": post.version})
    response = client_for(colleague).post(url("portal:editor_post_approve", post_id=post.pk), {"version": post.version})
    assert response.status_code == 302
    assert SocialPost.objects.get().status == PostStatus.SUBMITTED
    response = client_for(colleague).post(url("portal:editor_post_approve", post_id=post.pk), {})
    assert response.status_code == 400


def test_the_image_is_served_to_staff_in_scope_only(network, campaign):
    post = make_post(network["content_editor"], campaign)
    response = client_for(network["network_coordinator"]).get(url("portal:editor_post_image", post_id=post.pk))
    assert response.status_code == 200 and response.content == png()
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    without = make_post(network["content_editor"], campaign, image=False)
    assert client_for(network["content_editor"]).get(url("portal:editor_post_image", post_id=without.pk)).status_code == 404


def test_the_pack_of_a_post_is_a_zip_of_text_image_and_alt_text(network, campaign):
    post = approved_post(network["content_editor"], network["network_coordinator"], campaign)
    response = client_for(network["content_editor"]).get(url("portal:editor_post_pack", post_id=post.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["README.txt", "alt-text.txt", "post.txt", "square.png"]
    assert "Instagram" in archive.read("README.txt").decode()
    draft = make_post(network["content_editor"], campaign)
    response = client_for(network["content_editor"]).get(url("portal:editor_post_pack", post_id=draft.pk))
    assert response.status_code == 400 and "Only approved or published posts" in response.content.decode()
    assert AuditEvent.objects.filter(action="portal.pack_exported").count() == 1


def test_the_month_calendar_with_filters(network, campaign):
    author = network["content_editor"]
    zone = timezone.get_current_timezone()
    make_post(author, campaign, when=datetime.datetime(2030, 11, 25, 10, tzinfo=zone), channel="instagram", image=False)
    make_post(author, campaign, when=datetime.datetime(2030, 11, 25, 12, tzinfo=zone), channel="x", language="en",
              image=False, text="You are not alone.")
    make_post(author, campaign, when=datetime.datetime(2030, 12, 1, 9, tzinfo=zone), channel="facebook", image=False)
    other = make_campaign(network["other_content_editor"], network.other, slug="cy")
    make_post(network["other_content_editor"], other, when=datetime.datetime(2030, 11, 25, 9, tzinfo=zone),
              language="el", image=False, text="Δεν είσαι μόνη.")
    client = client_for(author)
    html = client.get(url("portal:editor_post_calendar"), {"month": "2030-11"}).content.decode()
    assert "Posts in November 2030" in html and "2 posts planned this month" in html
    assert "Monday 25" in html and "Facebook" not in html.split("<table")[-1]
    html = client.get(url("portal:editor_post_calendar"), {"month": "2030-11", "channel": "x"}).content.decode()
    assert "1 post planned this month" in html and "month=2030-12&amp;channel=x" in html
    assert client.get(url("portal:editor_post_calendar"), {"month": "2030-13"}).status_code == 400
    assert client.get(url("portal:editor_post_calendar"), {"status": "nonsense"}).status_code == 400


def test_the_calendar_takes_a_fixed_number_of_queries(network, campaign, django_assert_max_num_queries):
    author = network["content_editor"]
    client = client_for(author)
    client.get(url("portal:editor_post_calendar"))
    for n in range(10):
        other = campaign if n % 2 else make_campaign(author, network.home, slug=f"c{n}")
        make_post(author, other, when=timezone.now() + datetime.timedelta(hours=n), image=n % 3 == 0)
    with django_assert_max_num_queries(8):
        response = client.get(url("portal:editor_post_calendar"))
    assert response.status_code == 200


def test_the_post_page_takes_a_fixed_number_of_queries(network, campaign, django_assert_max_num_queries):
    post = approved_post(network["content_editor"], network["network_coordinator"], campaign,
                         link_page_id=InfoPage.objects.create(country="IT", slug="aiuto").pk)
    client = client_for(network["content_editor"])
    # 9: the staff shell asks once per request whether she sits in a risk conference (navigation).
    with django_assert_max_num_queries(9):
        assert client.get(url("portal:editor_post", post_id=post.pk)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("portal:editor_post_add", campaign_id=campaign.pk)).status_code == 200


def test_it_checks_ownership(network, campaign):
    """The Cypriot editors, the outsider and other roles get 404 on an Italian post (pages,
    image, pack and every action); anonymous visitors are sent to sign in."""
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = approved_post(author, colleague, campaign)
    draft = make_post(author, campaign)
    gets = [url("portal:editor_post", post_id=post.pk), url("portal:editor_post_edit", post_id=draft.pk),
            url("portal:editor_post_image", post_id=post.pk), url("portal:editor_post_pack", post_id=post.pk)]
    posts = [url("portal:editor_post_submit", post_id=draft.pk), url("portal:editor_post_approve", post_id=draft.pk),
             url("portal:editor_post_return", post_id=draft.pk), url("portal:editor_post_published", post_id=post.pk),
             url("portal:editor_post_edit", post_id=draft.pk), url("portal:editor_post_add", campaign_id=campaign.pk)]
    for person in (network["other_content_editor"], network["other_network_coordinator"], network.outsider,
                   network["supervisor"], network.superuser):
        client = client_for(person)
        for address in gets:
            assert client.get(address).status_code == 404, (person, address)
        for address in posts:
            assert client.post(address, {"version": 1, "comment": "x", **post_data()}).status_code == 404, (person, address)
        assert client.get(url("portal:editor_post_calendar")).status_code in (200, 404)
        assert "Orange" not in client.get(url("portal:editor_post_calendar")).content.decode()
    for address in gets + [url("portal:editor_post_calendar")]:
        response = client_for(None).get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SocialPost.objects.filter(status=PostStatus.DRAFT).count() == 1
    assert not AuditEvent.objects.filter(action="portal.pack_exported").exists()
