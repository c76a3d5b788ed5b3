"""Info days and other public events: the calendar, an event's page, and calendar files (one
event, or a feed of the coming ones) that visitors add to their own calendar. Public pages:
no cookie, nothing cached, nothing from another host; times are those of the event's country."""
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from rete.core.decorators import public_page
from rete.core.helplines import country_for_language
from rete.core.models import Country
from rete.portal import reach
from rete.portal.models import EventKind, ReachKind
from rete.portal.selectors import events as selectors

ALL = "all"


class EventFilterForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of event"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(ALL, gettext_lazy("All countries")), *Country.choices]
        self.fields["kind"].choices = [("", gettext_lazy("All kinds")), *EventKind.choices]


def _with_time_zones(events):
    for event in events:
        event.time_zone = selectors.country_time_zone(event.country)
    return events


def chosen_country(request) -> str:
    """The country in the address (?country=XX, "all" for every one), else the language's."""
    chosen = request.GET.get("country", "").strip().upper()
    if chosen == ALL.upper():
        return ""
    if chosen in Country.values:
        return chosen
    return country_for_language(translation.get_language())


@public_page
@require_safe
def events(request):
    country = chosen_country(request)
    data = request.GET.copy()
    data["country"] = country or ALL
    form = EventFilterForm(data)
    if not form.is_valid():
        form = EventFilterForm({"country": country or ALL})
        form.is_valid()
        return render(request, "portal/events/list.html", {"form": form, "page": None, "country": country}, status=400)
    kind = form.cleaned_data["kind"]
    page = Paginator(selectors.public_events(now=timezone.now(), country=country, kind=kind), 20).get_page(request.GET.get("page"))
    _with_time_zones(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/events/list.html", {
        "form": form, "page": page, "country": country, "kind": kind, "query": query.urlencode(),
        "feed_query": f"?country={country.lower()}" if country else "",
    })


@public_page
@require_safe
def event_detail(request, event_id):
    event = selectors.public_event_get(event_id=event_id)
    _with_time_zones([event])
    from rete.portal import markup

    return render(request, "portal/events/detail.html", {"event": event, "description": markup.render(event.description)})


# ---- calendar files (iCalendar, RFC 5545) ----------------------------------------------------


def _host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.RETE_BASE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    return settings.RETE_BASE_URL.rstrip("/") + path


def _location(event) -> str:
    parts = [part for part in (event.venue, event.address, event.city) if part]
    if parts:
        return ", ".join(parts)
    return _("Online") + (f": {event.online_url}" if event.online_url else "")


def _vevent(event, *, stamp):
    import datetime

    import icalendar

    from rete.portal.markup import plain_text

    item = icalendar.Event()
    item.add("uid", f"portal-event-{event.pk}@{_host()}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at.astimezone(datetime.timezone.utc))
    item.add("dtend", event.ends_at.astimezone(datetime.timezone.utc))
    item.add("summary", (_("Cancelled: %(title)s") % {"title": event.title}) if event.cancelled else event.title)
    description = plain_text(event.description)
    if event.online_url:
        description = "\n\n".join(part for part in (description, _("Online link: %(link)s") % {"link": event.online_url}) if part)
    if description:
        item.add("description", description)
    item.add("location", _location(event))
    item.add("url", absolute(reverse("portal:event_detail", kwargs={"event_id": event.pk})))
    item.add("sequence", event.version)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return item


def _calendar_response(events, *, filename, name):
    import datetime

    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rete//Public portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.timezone.utc).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Counted as a calendar download below, not as a page view.
    response.rete_counted = True
    return response


@public_page
@require_safe
def event_ics(request, event_id):
    event = selectors.public_event_get(event_id=event_id)
    response = _calendar_response([event], filename=f"event-{event.pk}.ics", name=event.title)
    reach.count(kind=ReachKind.CALENDAR_DOWNLOAD, key=f"event/{event.pk}", country=event.country,
                language=translation.get_language(), campaign_ref=event.campaign_id or 0)
    return response


@public_page
@require_safe
def events_ics(request):
    country = chosen_country(request) if request.GET.get("country") else ""
    events = selectors.calendar_feed_events(now=timezone.now(), country=country)
    labels = dict(Country.choices)
    name = (_("Info days and events: %(country)s") % {"country": labels[country]}) if country else _("Info days and events")
    response = _calendar_response(events, filename="calendar.ics", name=name)
    reach.count(kind=ReachKind.CALENDAR_DOWNLOAD, key="calendar", country=country, language=translation.get_language())
    return response
