"""Campaigns and posts for the tests (part "campaigns-reach"), made through the services."""
import datetime

from django.utils import timezone

from rete.portal.demo import solid_png
from rete.portal.services import campaigns as services


def png(colour=(91, 42, 134), size=4) -> bytes:
    return solid_png(size, size, colour)


def make_campaign(editor, organisation, *, slug="orange-it", name="Orange the world", starts_on=None, ends_on=None):
    today = timezone.localdate()
    return services.campaign_create(
        by=editor, country=organisation.country, organisation_id=organisation.pk, name=name, slug=slug,
        aim="Women in Lombardy who may not know the helpline.", starts_on=starts_on or today - datetime.timedelta(days=10),
        ends_on=ends_on if ends_on is not None else today + datetime.timedelta(days=10))


def make_post(editor, campaign, *, image=True, channel="instagram", language="it", text="Non sei sola. Chiama il 1522.",
              when=None, link_page_id=None, alt="A purple square with the number 1522 in white."):
    return services.post_create(
        by=editor, campaign=campaign, channel=channel, language=language, text=text, link_page_id=link_page_id,
        image=services.Image(filename="square.png", data=png()) if image else None, image_alt=alt if image else "",
        scheduled_for=when or timezone.now() + datetime.timedelta(days=1))


def approved_post(author, approver, campaign, **values):
    post = make_post(author, campaign, **values)
    post = services.post_submit(by=author, post=post, version=post.version)
    return services.post_approve(by=approver, post=post, version=post.version)
