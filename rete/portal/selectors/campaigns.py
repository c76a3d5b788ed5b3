"""Reads of campaigns and their posts, events and materials: the only place that decides which
an editor sees (those of her organisations' countries; everything else is a 404)."""
import datetime

from django.db.models import Count, Q

from rete.core import access
from rete.portal.models import Campaign, InfoPage, PageStatus, PageVersion, PostStatus, SocialPost
from rete.portal.selectors import editor_countries, editor_countries_or_deny




def campaign_list(*, user):
    """Her countries' campaigns, newest first, each with `posts_<status>` counts: one query."""
    countries = editor_countries_or_deny(user=user)
    counts = {f"posts_{status}": Count("posts", filter=Q(posts__status=status)) for status in PostStatus.values}
    return (Campaign.objects.filter(country__in=countries).select_related("organisation")
            .annotate(posts_total=Count("posts"), **counts).order_by("-starts_on", "name", "pk"))


def campaign_get(*, user, campaign_id) -> Campaign:
    countries = editor_countries_or_deny(user=user)
    campaign = Campaign.objects.filter(pk=campaign_id, country__in=countries).select_related("organisation", "created_by").first()
    if campaign is None:
        access.deny()
    return campaign


def post_get(*, user, post_id, with_image=False) -> SocialPost:
    """A post of one of her countries' campaigns; the image bytes only when asked for."""
    countries = editor_countries_or_deny(user=user)
    posts = SocialPost.objects.filter(pk=post_id, campaign__country__in=countries).select_related(
        "campaign", "campaign__organisation", "link_page", "created_by", "approved_by")
    if not with_image:
        posts = posts.defer("image")
    post = posts.first()
    if post is None:
        access.deny()
    return post


def campaign_posts(*, user, campaign: Campaign):
    """The campaign's posts in calendar order, without their image bytes (one query)."""
    if campaign.country not in editor_countries(user=user):
        access.deny()
    return list(campaign.posts.defer("image").select_related("created_by", "link_page").order_by("scheduled_for", "pk"))


def campaign_pack_posts(*, user, campaign: Campaign):
    """The approved and published posts of the campaign, with their images, for its pack."""
    if campaign.country not in editor_countries(user=user):
        access.deny()
    return list(campaign.posts.filter(status__in=[PostStatus.APPROVED, PostStatus.PUBLISHED])
                .select_related("link_page").order_by("scheduled_for", "pk"))


def campaign_events(*, user, campaign: Campaign):
    """The events run under the campaign (through its `events` relation), in date order."""
    if campaign.country not in editor_countries(user=user):
        access.deny()
    return list(campaign.events.order_by("starts_at", "pk"))


def campaign_materials(*, user, campaign: Campaign):
    """The materials made for the campaign (through its `materials` relation)."""
    if campaign.country not in editor_countries(user=user):
        access.deny()
    return list(campaign.materials.select_related("page").order_by("name", "pk"))


def post_calendar(*, user, start: datetime.datetime, end: datetime.datetime, channel="", language="", status=""):
    """Posts across her campaigns scheduled in [start, end), with their campaign: one query."""
    countries = editor_countries_or_deny(user=user)
    posts = SocialPost.objects.filter(campaign__country__in=countries, scheduled_for__gte=start, scheduled_for__lt=end)
    if channel:
        posts = posts.filter(channel=channel)
    if language:
        posts = posts.filter(language=language)
    if status:
        posts = posts.filter(status=status)
    return list(posts.defer("image").select_related("campaign").order_by("scheduled_for", "pk"))


def link_pages(*, user, language: str) -> list[tuple[int, str]]:
    """Her countries' information pages as (id, "IT · title") choices for a post's link; the title
    in `language` if the page has one, else its first published or latest version's. Two queries."""
    countries = editor_countries_or_deny(user=user)
    pages = list(InfoPage.objects.filter(country__in=countries).order_by("country", "position", "slug"))
    titles = page_titles(page_ids=[page.pk for page in pages], language=language)
    return [(page.pk, f"{page.country} · {titles.get(page.pk) or page.slug}") for page in pages]


def page_titles(*, page_ids, language: str) -> dict[int, str]:
    """Each page's title in one query: published in `language`, else published in any language,
    else the latest version's."""
    if not page_ids:
        return {}
    best: dict[int, tuple[int, str]] = {}
    rows = PageVersion.objects.filter(page_id__in=page_ids).values_list("page_id", "language", "status", "number", "title")
    for page_id, version_language, status, number, title in rows:
        published = status == PageStatus.PUBLISHED
        rank = (2 if published and version_language == language else 1 if published else 0, number)
        if page_id not in best or rank > best[page_id][0]:
            best[page_id] = (rank, title)
    return {page_id: title for page_id, (_rank, title) in best.items()}
