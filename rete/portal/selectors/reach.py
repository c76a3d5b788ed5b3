"""Reach without tracking, read back: sums of the daily counters (rete.portal.reach) for an
editor's countries, grouped with values()/annotate(Sum): a fixed number of queries whatever the
number of days, pages or counters. The counters hold no identifier, so neither does anything here."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from rete.core import access
from rete.portal.models import Campaign, InfoPage, Material, PublicEvent, ReachCount, ReachKind
from rete.portal.selectors import editor_countries, editor_countries_or_deny
from rete.portal.selectors.campaigns import page_titles

MAX_DAYS = 366
DEFAULT_DAYS = 30
UNANSWERED = "unanswered"  # the heard_about key of a request that did not say
INFO_PAGE = "portal:info_page"
TOP = 200  # the longest list of pages shown (the busiest first)

# Names for the portal-wide pages; another page is shown by its address.
PAGE_LABELS = {
    "portal:home": _("Home page"),
    "portal:directory": _("Service directory"),
    "portal:self_check": _("Self-check: choose"),
    "portal:self_check_me": _("Self-check: for me"),
    "portal:self_check_other": _("Self-check: someone I know"),
    "portal:quick_exit_info": _("About quick exit"),
    "portal:browsing_safely": _("Browsing safely"),
    "portal:safe_contact": _("Safe contact form"),
    "portal:info_index": _("Information pages: list"),
    "portal:events": _("Events calendar"),
    "portal:event_detail": _("An event's page"),
    "portal:materials": _("Materials to print"),
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def default_period(*, today: datetime.date) -> Period:
    return Period(start=today - datetime.timedelta(days=DEFAULT_DAYS - 1), end=today)


def campaign_period(*, campaign: Campaign, today: datetime.date) -> Period:
    """The campaign's dates clipped to today (and to the longest period shown)."""
    end = min(campaign.ends_on or today, today)
    start = min(campaign.starts_on, end)
    return Period(start=max(start, end - datetime.timedelta(days=MAX_DAYS - 1)), end=end)




def _in(period: Period):
    return ReachCount.objects.filter(day__gte=period.start, day__lte=period.end)


def heard_about_labels() -> dict:
    """The contact form's own answers (its field's choices), plus "did not say"."""
    from rete.portal.forms import ContactRequestForm

    labels = {value: label for value, label in ContactRequestForm.base_fields["heard_about"].choices if value}
    labels[UNANSWERED] = _("Did not say")
    return labels


def page_labels(*, keys, language: str) -> dict[str, str]:
    """A readable name for each page key: information pages by their title (one query for all),
    named pages by PAGE_LABELS, any other by its address."""
    wanted = {}
    for key in keys:
        name, _sep, rest = key.partition("/")
        if name == INFO_PAGE and rest.count("/") == 1:
            country, slug = rest.split("/")
            wanted[(country.upper(), slug)] = key
    labels = {}
    if wanted:
        pages = InfoPage.objects.filter(country__in={c for c, _s in wanted}, slug__in={s for _c, s in wanted})
        by_pair = {(page.country, page.slug): page.pk for page in pages.only("pk", "country", "slug")}
        titles = page_titles(page_ids=list(by_pair.values()), language=language)
        for pair, key in wanted.items():
            title = titles.get(by_pair.get(pair))
            labels[key] = f"{pair[0]} · {title}" if title else f"{pair[0]} · {pair[1]}"
    for key in keys:
        if key in labels:
            continue
        if key in PAGE_LABELS:
            labels[key] = str(PAGE_LABELS[key])
            continue
        try:
            labels[key] = reverse(key)
        except NoReverseMatch:
            labels[key] = key
    return labels


def _daily(rows, period: Period) -> list[int]:
    by_day = {row["day"]: row["total"] or 0 for row in rows}
    return [by_day.get(day, 0) for day in period.days]


def reach_summary(*, user, period: Period, language: str) -> dict:
    """Everything on the reach page for her countries and the period, in a fixed number of
    queries: page views per page (portal-wide pages count for everyone), material downloads per
    material and language, calendar downloads per event, visits from campaign links per campaign,
    answers to "how did you hear about us", and page views per day."""
    countries = editor_countries_or_deny(user=user)
    counters = _in(period)
    views = counters.filter(Q(country__in=countries) | Q(country=""), kind=ReachKind.PAGE_VIEW)
    pages = list(views.values("key").annotate(total=Sum("count")).order_by("-total", "key")[:TOP])
    labels = page_labels(keys=[row["key"] for row in pages], language=language)
    for row in pages:
        row["label"] = labels.get(row["key"], row["key"])
        row["portal_wide"] = not row["key"].startswith(INFO_PAGE + "/")
    daily_views = _daily(views.values("day").annotate(total=Sum("count")).order_by("day"), period)

    material_rows = list(counters.filter(kind=ReachKind.MATERIAL_DOWNLOAD, country__in=countries)
                         .values("key", "language").annotate(total=Sum("count")).order_by("key", "language"))
    material_names = dict(Material.objects.filter(country__in=countries, pk__in=_ids(material_rows, "material/"))
                          .values_list("pk", "name"))
    event_rows = list(counters.filter(kind=ReachKind.CALENDAR_DOWNLOAD, country__in=countries)
                      .values("key").annotate(total=Sum("count")).order_by("-total", "key"))
    event_titles = dict(PublicEvent.objects.filter(country__in=countries, pk__in=_ids(event_rows, "event/"))
                        .values_list("pk", "title"))
    campaigns = Campaign.objects.filter(country__in=countries)
    visit_rows = list(counters.filter(kind=ReachKind.CAMPAIGN_VISIT, campaign_ref__in=campaigns.values("pk"))
                      .values("campaign_ref").annotate(total=Sum("count")).order_by("-total"))
    campaign_names = dict(campaigns.filter(pk__in=[row["campaign_ref"] for row in visit_rows]).values_list("pk", "name"))
    heard_rows = list(counters.filter(kind=ReachKind.HEARD_ABOUT, country__in=countries)
                      .values("key").annotate(total=Sum("count")).order_by("-total", "key"))
    heard = heard_about_labels()
    languages = dict(settings.LANGUAGES)
    return {
        "pages": pages,
        "materials": [{**row, "label": material_names.get(_id_of(row["key"]), row["key"]),
                       "language_label": languages.get(row["language"], row["language"] or "—")} for row in material_rows],
        "events": [{**row, "label": event_titles.get(_id_of(row["key"]), row["key"])} for row in event_rows],
        "campaigns": [{**row, "label": campaign_names.get(row["campaign_ref"], str(row["campaign_ref"]))} for row in visit_rows],
        "heard_about": [{**row, "label": heard.get(row["key"], row["key"])} for row in heard_rows],
        "daily_views": daily_views,
        "total_views": sum(daily_views),
    }


def campaign_reach(*, user, campaign: Campaign, period: Period, language: str, materials=(), events=()) -> dict:
    """A campaign's reach in the period: visits from its links, downloads of its materials and of
    its events' calendar entries (counters with campaign_ref = the campaign), per day, per landing
    page, material or event, and per language. Three grouped queries, plus one for page titles.
    `materials` and `events` are the campaign's own (for their names)."""
    if campaign.country not in editor_countries(user=user):
        access.deny()
    kinds = [ReachKind.CAMPAIGN_VISIT, ReachKind.MATERIAL_DOWNLOAD, ReachKind.CALENDAR_DOWNLOAD]
    counters = _in(period).filter(campaign_ref=campaign.pk, kind__in=kinds)
    per_day = {kind: {} for kind in kinds}
    for row in counters.values("day", "kind").annotate(total=Sum("count")):
        per_day[row["kind"]][row["day"]] = row["total"] or 0
    series = {kind: [per_day[kind].get(day, 0) for day in period.days] for kind in kinds}
    by_key = list(counters.values("kind", "key").annotate(total=Sum("count")).order_by("kind", "-total", "key"))
    by_language = list(counters.values("kind", "language").annotate(total=Sum("count")).order_by("kind", "language"))
    labels = page_labels(keys=[row["key"] for row in by_key if row["kind"] == ReachKind.CAMPAIGN_VISIT], language=language)
    material_names = {f"material/{m.pk}": m.name for m in materials}
    event_titles = {f"event/{e.pk}": e.title for e in events}
    names = {ReachKind.CAMPAIGN_VISIT: labels, ReachKind.MATERIAL_DOWNLOAD: material_names,
             ReachKind.CALENDAR_DOWNLOAD: event_titles}
    kind_labels = dict(ReachKind.choices)
    languages = dict(settings.LANGUAGES)
    languages_table = {}
    for row in by_language:
        entry = languages_table.setdefault(row["language"], {"language": row["language"],
                                                              "label": languages.get(row["language"], row["language"] or "—"),
                                                              **{kind: 0 for kind in kinds}})
        entry[row["kind"]] = row["total"] or 0
    return {
        "kinds": [(kind, kind_labels[kind]) for kind in kinds],
        "series": series,
        "totals": {kind: sum(values) for kind, values in series.items()},
        "total_rows": [(kind_labels[kind], sum(series[kind])) for kind in kinds],
        "by_key": [{**row, "label": names[row["kind"]].get(row["key"], row["key"]), "kind_label": kind_labels[row["kind"]]}
                   for row in by_key],
        "by_language": [
            {**entry, "values": [entry[kind] for kind in kinds]}
            for entry in sorted(languages_table.values(), key=lambda e: e["language"])
        ],
    }


def _id_of(key: str) -> int | None:
    try:
        return int(key.rsplit("/", 1)[-1])
    except ValueError:
        return None


def _ids(rows, prefix: str) -> list[int]:
    return [n for n in (_id_of(row["key"]) for row in rows if row["key"].startswith(prefix)) if n is not None]
