"""Times of training events and their calendar file. An event has a time zone (where it takes
place, or where its organisers are for a webinar): its sessions are typed and shown in that time
zone, and the calendar file carries it, so that each participant's calendar shows the right
hour wherever she is. `event_calendar` is the file for the event's page and for a participant's
own page (part "registration")."""
import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def valid_zone(name) -> bool:
    try:
        zoneinfo.ZoneInfo(str(name or ""))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return bool(name)


def zone(name) -> zoneinfo.ZoneInfo:
    """The event's time zone (the site's if the name is not a known zone)."""
    return zoneinfo.ZoneInfo(name) if valid_zone(name) else zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_datetime(zone_name, day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A wall-clock time on a day, in the event's time zone, as an aware datetime."""
    return datetime.datetime.combine(day, time.replace(tzinfo=None)).replace(tzinfo=zone(zone_name))


def local_date(moment: datetime.datetime, zone_name) -> datetime.date:
    return moment.astimezone(zone(zone_name)).date()


def local_time(moment: datetime.datetime, zone_name) -> datetime.time:
    return moment.astimezone(zone(zone_name)).time().replace(tzinfo=None)


def today_in(zone_name) -> datetime.date:
    return timezone.now().astimezone(zone(zone_name)).date()


def _host() -> str:
    return urlsplit(settings.RETE_BASE_URL).hostname or "localhost"


def event_url(event) -> str:
    return settings.RETE_BASE_URL.rstrip("/") + reverse("learning:event_detail", kwargs={"training_event_id": event.pk})


def location(event, *, include_online_link: bool) -> str:
    """Venue and city; for an online event "Online", with the link only for those who may have it."""
    parts = [part for part in (event.venue, event.city) if part]
    if event.online:
        online = _("Online")
        if include_online_link and event.online_link:
            online = f"{online}: {event.online_link}"
        parts.append(online)
    return ", ".join(parts)


def event_calendar(event, *, include_online_link: bool, url: str | None = None) -> bytes:
    """An iCalendar file: one VEVENT per session (or, while there is none, one all-day VEVENT
    over the event's days), in the event's time zone with its VTIMEZONE. `url` is the page the
    entries point to (by default the event's page for members: give a participant's own page to
    an outside professional). The online link goes in only with `include_online_link` (the
    runners and registered participants). One query for the sessions (none if prefetched)."""
    import icalendar

    tz = zone(event.time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rete//Mutual learning//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.title)
    calendar.add("x-wr-timezone", str(tz.key))
    stamp = timezone.now().astimezone(datetime.timezone.utc).replace(microsecond=0)
    url = url if url is not None else event_url(event)
    place = location(event, include_online_link=include_online_link)
    cancelled = event.status == "cancelled"
    description = []
    if include_online_link and event.online and event.online_link:
        description.append(_("Online link: %(link)s") % {"link": event.online_link})
    if url:
        description.append(url)

    def entry(uid, summary, start, end, where):
        item = icalendar.Event()
        item.add("uid", f"{uid}@{_host()}")
        item.add("dtstamp", stamp)
        item.add("dtstart", start)
        item.add("dtend", end)
        item.add("summary", (_("Cancelled: %(title)s") % {"title": summary}) if cancelled else summary)
        if where:
            item.add("location", where)
        if description:
            item.add("description", "\n\n".join(description))
        if url:
            item.add("url", url)
        item.add("sequence", event.version)
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return item

    sessions = list(event.sessions.all())
    for session in sessions:
        summary = f"{event.title}: {session.title}" if session.title != event.title else event.title
        where = ", ".join(part for part in (session.room, place) if part)
        calendar.add_component(entry(f"learning-session-{session.pk}", summary, session.starts_at.astimezone(tz),
                                     session.ends_at.astimezone(tz), where))
    if not sessions:
        calendar.add_component(entry(f"learning-event-{event.pk}", event.title, event.starts_on,
                                     event.ends_on + datetime.timedelta(days=1), place))
    else:
        calendar.add_missing_timezones()
    return calendar.to_ical()
