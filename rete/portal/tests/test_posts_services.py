"""Social media posts (part "campaigns-reach"), the services: channel limits, images checked by
content and size, alt text required, only the author edits and submits, four-eyes approval by
someone with the country in scope, returns with a comment, stale edits, export packs."""
import csv
import datetime
import io
import zipfile

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.portal.models import InfoPage, PostStatus, SocialPost
from rete.portal.selectors import campaigns as selectors
from rete.portal.services import campaigns as services
from rete.portal.tests.factories_campaigns import approved_post, make_campaign, make_post, png

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


@pytest.fixture
def campaign(network):
    return make_campaign(network["content_editor"], network.home)


def post_values(**changes):
    data = {"channel": "x", "language": "it", "text": "Non sei sola.", "link_page_id": None, "image": None,
            "image_alt": "", "scheduled_for": timezone.now() + datetime.timedelta(days=2)}
    data.update(changes)
    return data


def test_a_draft_with_an_image_and_its_description(network, campaign):
    post = make_post(network["content_editor"], campaign)
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT and post.image_type == "image/png" and post.image_name == "square.png"
    assert bytes(post.image) == png()
    event = AuditEvent.objects.get(action="portal.post_created")
    assert event.detail == {"campaign": campaign.pk, "channel": "instagram", "language": "it", "image": True}


@pytest.mark.parametrize("channel, limit", [("x", 280), ("bluesky", 300), ("mastodon", 500), ("instagram", 2200),
                                            ("facebook", 63206), ("linkedin", 3000), ("tiktok", 2200), ("youtube", 5000)])
def test_each_channel_has_its_length_limit(network, campaign, channel, limit):
    assert services.CHANNEL_LIMITS[channel] == limit
    editor = network["content_editor"]
    services.post_create(by=editor, campaign=campaign, **post_values(channel=channel, text="a" * limit))
    with pytest.raises(ServiceError) as refused:
        services.post_create(by=editor, campaign=campaign, **post_values(channel=channel, text="a" * (limit + 1)))
    assert refused.value.field == "text" and str(limit) in refused.value.message


def test_the_link_counts_in_the_limit(network, campaign):
    page = InfoPage.objects.create(country="IT", slug="come-chiedere-aiuto")
    link = services.post_link(campaign=campaign, page=page, language="it")
    assert link == "http://127.0.0.1:8000/it/info/it/come-chiedere-aiuto/?c=orange-it"
    text = "a" * (280 - len(link) - 2)
    services.post_create(by=network["content_editor"], campaign=campaign, **post_values(text=text, link_page_id=page.pk))
    with pytest.raises(ServiceError):
        services.post_create(by=network["content_editor"], campaign=campaign,
                             **post_values(text=text + "a", link_page_id=page.pk))


def test_the_linked_page_must_be_of_her_countries(network, campaign):
    page = InfoPage.objects.create(country="CY", slug="elsewhere")
    with pytest.raises(ServiceError) as refused:
        services.post_create(by=network["content_editor"], campaign=campaign, **post_values(link_page_id=page.pk))
    assert refused.value.field == "link_page"


@pytest.mark.parametrize("filename, data, content_type", [
    ("photo.png", png(), "image/png"), ("photo.JPG", JPEG, "image/jpeg"), ("photo.jpeg", JPEG, "image/jpeg"),
    ("photo.webp", WEBP, "image/webp"),
])
def test_png_jpeg_and_webp_are_accepted_by_their_content(network, campaign, filename, data, content_type):
    post = services.post_create(by=network["content_editor"], campaign=campaign, **post_values(
        image=services.Image(filename=filename, data=data), image_alt="A photo."))
    assert post.image_type == content_type


@pytest.mark.parametrize("filename, data", [
    ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("photo.png", b"GIF89a" + b"\x00" * 20),
    ("photo.png", JPEG),  # a JPEG named .png: the name must agree with the content
    ("photo.svg", png()),
    ("photo", png()),
    ("photo.png", b""),
])
def test_anything_else_is_refused_whatever_its_name(network, campaign, filename, data):
    with pytest.raises(ServiceError) as refused:
        services.post_create(by=network["content_editor"], campaign=campaign, **post_values(
            image=services.Image(filename=filename, data=data), image_alt="A photo."))
    assert refused.value.field == "image"
    assert not SocialPost.objects.exists()


@override_settings(RETE_POST_IMAGE_MAX_BYTES=100)
def test_an_image_beyond_the_limit_is_refused_with_the_limit_named(network, campaign):
    big = png() + b"\x00" * 200
    with pytest.raises(ServiceError) as refused:
        services.post_create(by=network["content_editor"], campaign=campaign, **post_values(
            image=services.Image(filename="big.png", data=big), image_alt="Big."))
    assert refused.value.field == "image" and "100 B" in refused.value.message


def test_an_image_needs_its_description(network, campaign):
    with pytest.raises(ServiceError) as refused:
        services.post_create(by=network["content_editor"], campaign=campaign, **post_values(
            image=services.Image(filename="a.png", data=png()), image_alt="   "))
    assert refused.value.field == "image_alt" and "screen readers" in refused.value.message
    # The database refuses it too.
    post = make_post(network["content_editor"], campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialPost.objects.filter(pk=post.pk).update(image_alt="")


def test_the_kept_image_still_needs_its_description_on_update(network, campaign):
    editor = network["content_editor"]
    post = make_post(editor, campaign)
    with pytest.raises(ServiceError) as refused:
        services.post_update(by=editor, post=post, version=post.version, **post_values(image_alt=""))
    assert refused.value.field == "image_alt"
    # Removing the image drops its description too.
    saved = services.post_update(by=editor, post=post, version=post.version, remove_image=True, **post_values())
    assert saved.image_name == "" and saved.image_alt == "" and saved.version == post.version + 1
    assert AuditEvent.objects.get(action="portal.post_changed").detail["fields"] == ["channel", "image", "image_alt",
                                                                                     "scheduled_for", "text"]


def test_only_the_author_edits_and_only_drafts_and_returned_posts(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign, image=False)
    with pytest.raises(ServiceError):
        services.post_update(by=colleague, post=post, version=post.version, **post_values())
    with pytest.raises(ServiceError):
        services.post_submit(by=colleague, post=post, version=post.version)
    post = services.post_submit(by=author, post=post, version=post.version)
    with pytest.raises(ServiceError):
        services.post_update(by=author, post=post, version=post.version, **post_values())


def test_a_stale_edit_is_refused_with_the_saved_post(network, campaign):
    author = network["content_editor"]
    post = make_post(author, campaign, image=False)
    services.post_update(by=author, post=post, version=post.version, **post_values(text="First save."))
    with pytest.raises(StaleEdit) as stale:
        services.post_update(by=author, post=post, version=post.version, **post_values(text="Second save."))
    assert stale.value.current.text == "First save."


def test_four_eyes_the_author_never_approves_or_returns_her_own_post(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign)
    with pytest.raises(ServiceError):  # not submitted yet
        services.post_approve(by=colleague, post=post, version=post.version)
    post = services.post_submit(by=author, post=post, version=post.version)
    with pytest.raises(ServiceError) as refused:
        services.post_approve(by=author, post=post, version=post.version)
    assert "someone else" in refused.value.message
    with pytest.raises(ServiceError):
        services.post_return(by=author, post=post, version=post.version, comment="Fine by me")
    # Someone without the country in scope does not reach it at all.
    with pytest.raises(Http404):
        services.post_approve(by=network["other_network_coordinator"], post=post, version=post.version)
    with pytest.raises(Http404):
        services.post_approve(by=network["supervisor"], post=post, version=post.version)
    approved = services.post_approve(by=colleague, post=post, version=post.version)
    assert approved.status == PostStatus.APPROVED and approved.approved_by == colleague and approved.approved_at
    actions = list(AuditEvent.objects.filter(action__startswith="portal.post_").order_by("seq").values_list("action", flat=True))
    assert actions == ["portal.post_created", "portal.post_submitted", "portal.post_approved"]


def test_return_needs_a_comment_and_goes_back_to_the_author(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign, image=False)
    post = services.post_submit(by=author, post=post, version=post.version)
    with pytest.raises(ServiceError) as refused:
        services.post_return(by=colleague, post=post, version=post.version, comment="  ")
    assert refused.value.field == "comment"
    returned = services.post_return(by=colleague, post=post, version=post.version, comment="Add the helpline.")
    assert returned.status == PostStatus.RETURNED and returned.review_comment == "Add the helpline."
    assert AuditEvent.objects.get(action="portal.post_returned").detail == {"author": author.pk}
    # The author changes it and submits it again.
    changed = services.post_update(by=author, post=returned, version=returned.version,
                                   **post_values(text="Non sei sola: 1522."))
    assert changed.status == PostStatus.RETURNED
    assert services.post_submit(by=author, post=changed, version=changed.version).status == PostStatus.SUBMITTED


def test_an_approval_of_a_version_that_changed_meanwhile_is_stale(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    post = make_post(author, campaign, image=False)
    seen = services.post_submit(by=author, post=post, version=post.version)
    returned = services.post_return(by=network["network_coordinator"], post=seen, version=seen.version, comment="No")
    services.post_submit(by=author, post=returned, version=returned.version)
    with pytest.raises(StaleEdit):
        services.post_approve(by=colleague, post=seen, version=seen.version)


def test_marking_as_published_records_when(network, campaign):
    post = approved_post(network["content_editor"], network["network_coordinator"], campaign)
    published = services.post_mark_published(by=network["content_editor"], post=post, version=post.version)
    assert published.status == PostStatus.PUBLISHED and published.published_at
    with pytest.raises(ServiceError):
        services.post_mark_published(by=network["content_editor"], post=published, version=published.version)
    assert AuditEvent.objects.filter(action="portal.post_published").count() == 1


def test_the_pack_of_a_post(network, campaign):
    page = InfoPage.objects.create(country="IT", slug="come-chiedere-aiuto")
    post = approved_post(network["content_editor"], network["network_coordinator"], campaign, link_page_id=page.pk,
                         text="Non sei sola.")
    post = selectors.post_get(user=network["network_coordinator"], post_id=post.pk, with_image=True)
    pack = services.post_pack(by=network["network_coordinator"], post=post)
    archive = zipfile.ZipFile(io.BytesIO(pack.data))
    assert sorted(archive.namelist()) == ["README.txt", "alt-text.txt", "post.txt", "square.png"]
    assert archive.read("post.txt").decode() == (
        "Non sei sola.\n\nhttp://127.0.0.1:8000/it/info/it/come-chiedere-aiuto/?c=orange-it\n")
    assert archive.read("alt-text.txt").decode() == "A purple square with the number 1522 in white.\n"
    assert archive.read("square.png") == png()
    readme = archive.read("README.txt").decode()
    assert "Channel: Instagram" in readme and "Language: Italian" in readme and "?c=orange-it" in readme
    assert pack.filename.startswith("orange-it-") and pack.filename.endswith("-instagram-it.zip")
    assert AuditEvent.objects.get(action="portal.pack_exported").detail == {"campaign": campaign.pk, "posts": 1}


def test_only_approved_or_published_posts_are_exported(network, campaign):
    post = make_post(network["content_editor"], campaign)
    with pytest.raises(ServiceError):
        services.post_pack(by=network["content_editor"], post=post)
    assert not AuditEvent.objects.filter(action="portal.pack_exported").exists()


def test_the_pack_of_a_campaign(network, campaign):
    author, colleague = network["content_editor"], network["network_coordinator"]
    # Mid-morning, so that "five minutes later" is the same day whenever the test runs.
    day = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    first = approved_post(author, colleague, campaign, when=day, channel="instagram", language="it")
    second = approved_post(author, colleague, campaign, when=day + datetime.timedelta(minutes=5), channel="instagram",
                           language="it", image=False)
    english = approved_post(author, colleague, campaign, when=day, channel="x", language="en", text="You are not alone.",
                            image=False)
    services.post_mark_published(by=author, post=english, version=english.version)
    make_post(author, campaign)  # a draft: not in the pack
    posts = selectors.campaign_pack_posts(user=colleague, campaign=campaign)
    pack = services.campaign_pack(by=colleague, campaign=campaign, posts=posts)
    archive = zipfile.ZipFile(io.BytesIO(pack.data))
    folder = f"{day:%Y-%m-%d}-instagram-it"
    assert set(archive.namelist()) == {
        "calendar.csv",
        f"{folder}/post.txt", f"{folder}/alt-text.txt", f"{folder}/square.png", f"{folder}/README.txt",
        f"{folder}-{second.pk}/post.txt", f"{folder}-{second.pk}/README.txt",
        f"{day:%Y-%m-%d}-x-en/post.txt", f"{day:%Y-%m-%d}-x-en/README.txt",
    }
    rows = list(csv.reader(io.StringIO(archive.read("calendar.csv").decode())))
    assert rows[0] == ["date", "time", "channel", "language", "status", "folder", "files"]
    assert [row[2:5] for row in rows[1:]] == [["instagram", "it", "approved"], ["x", "en", "published"],
                                              ["instagram", "it", "approved"]]
    assert rows[1][0] == f"{day:%Y-%m-%d}" and rows[1][1] == f"{day:%H:%M}"
    assert f"{folder}/square.png" in rows[1][6]
    assert first.pk and AuditEvent.objects.get(action="portal.pack_exported").detail == {"campaign": campaign.pk, "posts": 3}
