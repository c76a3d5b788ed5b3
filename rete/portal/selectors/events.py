"""Reads of the portal's calendar: what visitors see (published events that have not ended yet),
and what an editor sees and edits (every event of her countries, nothing else)."""
from rete.core import access
from rete.portal.models import Campaign, PublicEvent

# An event's date and time are shown where it happens, whoever reads the page.
COUNTRY_TIME_ZONES = {"CY": "Asia/Nicosia", "IT": "Europe/Rome", "CZ": "Europe/Prague", "BG": "Europe/Sofia"}

# The calendar feed is bounded whatever the data: a year of info days fits many times over.
CALENDAR_FEED_LIMIT = 500


def country_time_zone(country: str) -> str:
    return COUNTRY_TIME_ZONES.get(country, "Europe/Rome")


def public_events(*, now, country="", kind=""):
    """Published events that have not ended, soonest first (cancelled ones too: the page says so)."""
    events = PublicEvent.objects.filter(published=True, ends_at__gte=now).select_related("organisation")
    if country:
        events = events.filter(country=country)
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("starts_at", "pk")


def public_event_get(*, event_id) -> PublicEvent:
    """A published event (past ones too: a link in an old message still works); otherwise 404."""
    event = PublicEvent.objects.filter(pk=event_id, published=True).select_related("organisation").first()
    if event is None:
        access.deny()
    return event


def calendar_feed_events(*, now, country=""):
    """The events of the calendar feed: published and not ended, at most CALENDAR_FEED_LIMIT."""
    return list(public_events(now=now, country=country)[:CALENDAR_FEED_LIMIT])


def editor_events(*, countries, country="", when="upcoming", kind="", now):
    """Her countries' events, drafts included: upcoming ones soonest first, past ones latest first."""
    events = PublicEvent.objects.filter(country__in=countries).select_related("organisation", "campaign")
    if country:
        events = events.filter(country=country)
    if kind:
        events = events.filter(kind=kind)
    if when == "past":
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    if when == "upcoming":
        events = events.filter(ends_at__gte=now)
    return events.order_by("starts_at", "pk")


def editor_event_get(*, user, event_id) -> PublicEvent:
    """An event of one of her countries; any other is 404, exactly like one that does not exist."""
    from rete.portal.selectors import editor_countries

    event = PublicEvent.objects.filter(pk=event_id).select_related("organisation", "campaign").first()
    if event is None or event.country not in editor_countries(user=user):
        access.deny()
    return event


def editor_campaigns(*, countries):
    """The campaigns an event or a material of her countries may belong to (bounded: a country
    runs a handful of campaigns a year, the newest first)."""
    return list(Campaign.objects.filter(country__in=countries).only("pk", "name", "country", "starts_on")
                .order_by("-starts_on", "name")[:200])
