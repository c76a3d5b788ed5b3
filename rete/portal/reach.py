"""Reach without tracking: a visit, a download or a followed campaign link adds one to a daily
counter (day, what, which, country, language, campaign). No address, identifier, cookie, user
agent or time of day is read or kept, so the counters can say how much, never who."""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from rete.portal.models import Campaign, ReachCount, ReachKind

CAMPAIGN_PARAMETER = "c"  # ?c=<campaign short code> on the links of a campaign's materials and posts


def count(*, kind: str, key: str, country: str = "", language: str = "", campaign_ref: int = 0, by: int = 1, day=None):
    """Adds `by` to one counter: an UPDATE, and an INSERT the first time that day (a concurrent
    first insert is caught by the unique constraint and becomes the update)."""
    lookup = {"day": day or timezone.localdate(), "kind": kind, "key": key[:120], "country": country or "",
              "language": language or "", "campaign_ref": campaign_ref or 0}
    if ReachCount.objects.filter(**lookup).update(count=F("count") + by):
        return
    try:
        with transaction.atomic():
            ReachCount.objects.create(count=by, **lookup)
    except IntegrityError:
        ReachCount.objects.filter(**lookup).update(count=F("count") + by)


def campaign_from(request) -> Campaign | None:
    code = request.GET.get(CAMPAIGN_PARAMETER, "").strip()[:40]
    if not code:
        return None
    return Campaign.objects.filter(slug=code).only("pk", "country").first()


class ReachCounterMiddleware:
    """Counts every public page shown (GET answered 200) under the URL's name, plus the page's
    country and address for information pages; and a visit from a campaign link (`?c=`) under
    its campaign. Staff pages are never counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (request.method == "GET" and response.status_code == 200 and match is not None
                and getattr(match.func, "rete_public", False) and not getattr(response, "rete_counted", False)):
            key = reach_key(match)
            language = getattr(request, "LANGUAGE_CODE", "")
            country = match.kwargs.get("country", "").upper()
            count(kind=ReachKind.PAGE_VIEW, key=key, country=country, language=language)
            campaign = campaign_from(request)
            if campaign is not None:
                count(kind=ReachKind.CAMPAIGN_VISIT, key=key, country=country or campaign.country,
                      language=language, campaign_ref=campaign.pk)
        return response


def reach_key(match) -> str:
    """`portal:info_page` → "portal:info_page/CY/how-to-report"; other pages by name alone."""
    name = match.view_name
    slug = match.kwargs.get("slug")
    if slug:
        return f"{name}/{match.kwargs.get('country', '').upper()}/{slug}"
    return name
