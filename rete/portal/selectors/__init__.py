from rete.core.crypto import normalise
from rete.portal.models import DirectoryEntry


def directory_search(*, q="", need="", country="", open_24_7=False):
    """Published entries matching the filters; one query (plus the paginator's count)."""
    entries = DirectoryEntry.objects.filter(published=True)
    words = normalise(q).split()
    for word in words[:8]:
        entries = entries.filter(search_text__contains=word)
    if need:
        entries = entries.filter(needs__icontains=f'"{need}"')
    if country:
        entries = entries.filter(country=country)
    if open_24_7:
        entries = entries.filter(open_24_7=True)
    return entries.order_by("country", "city", "name", "pk")


def editor_organisations(*, user) -> list:
    """The organisations where she edits the public portal (content editors, network
    coordinators); the portal's content is edited per country, that of these organisations."""
    from rete.core import access
    from rete.core.selectors import organisations_with

    return organisations_with(user=user, capability=access.EDIT_PORTAL)


def editor_countries(*, user) -> list[str]:
    """The countries whose pages, events, materials and campaigns she may edit, in a fixed order."""
    return sorted({organisation.country for organisation in editor_organisations(user=user)})


def editor_scope(*, user) -> tuple[list[str], list]:
    """Her countries and the organisations she edits for (one read of her memberships)."""
    organisations = editor_organisations(user=user)
    return sorted({organisation.country for organisation in organisations}), organisations


def editor_countries_or_deny(*, user) -> list[str]:
    """Her countries, for every editor page; someone who edits none gets the 404 of a page that
    does not exist."""
    from rete.core import access

    countries = editor_countries(user=user)
    if not countries:
        access.deny()
    return countries


def editor_summary(*, user, countries, now) -> dict:
    """What waits for an editor across her countries: four counting queries whatever the data."""
    from rete.portal.models import PageStatus, PageVersion, PostStatus, PublicEvent, SocialPost

    versions = PageVersion.objects.filter(page__country__in=countries)
    return {
        "pages_to_review": versions.filter(status=PageStatus.IN_REVIEW).exclude(created_by=user).count(),
        "my_drafts": versions.filter(status__in=[PageStatus.DRAFT, PageStatus.RETURNED], created_by=user).count(),
        "events_coming": PublicEvent.objects.filter(country__in=countries, ends_at__gte=now, cancelled=False).count(),
        "posts_to_approve": SocialPost.objects.filter(campaign__country__in=countries, status=PostStatus.SUBMITTED)
        .exclude(created_by=user).count(),
    }
