"""Reach without tracking, the editors' side: page views, downloads, visits from campaign links
and how contact requests heard about the service, for a period, as tables, a chart drawn on the
server (SVG with the same numbers in a table) and a CSV of the same sums. The counters hold no
personal data: no address, identifier, cookie or time of day."""
import csv

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from rete.core.services import audit_record_read
from rete.portal.selectors import reach as reach_selectors

# ---- the period ---------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """?from=&to= (dates); at most MAX_DAYS days. Unbound (the default period) when neither is given."""

    def __init__(self, params, *, default: reach_selectors.Period):
        data = params if (params.get("from") or params.get("to")) else None
        super().__init__(data, initial={"from": default.start, "to": default.end})
        # Browsers read and write a date input as YYYY-MM-DD whatever the page's language.
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("To"))):
            self.fields[name] = forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        self.default = default

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                self.add_error("to", _("The end of the period cannot be before its start."))
            elif (end - start).days + 1 > reach_selectors.MAX_DAYS:
                self.add_error("to", _("Choose a period of at most %(days)s days.") % {"days": reach_selectors.MAX_DAYS})
        return data

    def period(self) -> reach_selectors.Period:
        if self.is_bound and self.is_valid():
            return reach_selectors.Period(start=self.cleaned_data["from"], end=self.cleaned_data["to"])
        return self.default


def period_from(request, *, default):
    """The period asked for, or the default one; and 400 when what was asked is not valid."""
    form = PeriodForm(request.GET, default=default)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return form, form.period(), status


# ---- the chart ------------------------------------------------------------------------------
# Colours of at least 3:1 against white, never the only cue: every series has its own dash
# pattern and its name in the legend, and the same numbers are in a table.

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 48, 44
STYLES = [
    {"colour": "#5b2a86", "dash": ""},
    {"colour": "#1e6b34", "dash": "8 4"},
    {"colour": "#a4161a", "dash": "2 4"},
]
INK, GRID = "#1d1b20", "#767676"


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above the highest count (at least 4, for the ticks)."""
    value = max(int(value), 4)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def daily_chart(*, days: list, series: list[tuple[str, list[int]]]) -> dict | None:
    """Coordinates of a line per series over the days (pure geometry: no query, no request),
    for portal/editor/reach_chart.html."""
    if not days:
        return None
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    highest = _nice_max(max((max(values) for _label, values in series if values), default=0))
    count = len(days)

    def x_of(index):
        if count == 1:
            return round((left + right) / 2, 1)
        return round(left + index * (right - left) / (count - 1), 1)

    def y_of(value):
        return round(bottom - value * (bottom - top) / highest, 1)

    lines = []
    for position, (label, values) in enumerate(series):
        style = STYLES[position % len(STYLES)]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
        lines.append({
            "label": label, "colour": style["colour"], "dash": style["dash"], "total": sum(values),
            "points": " ".join(f"{x},{y}" for x, y in points),
            "dots": [{"x": x, "y": y, "day": days[i], "value": values[i]} for i, (x, y) in enumerate(points)] if count <= 62 else [],
            "legend_x": left + position * 230, "legend_text_x": left + position * 230 + 34,
        })
    y_ticks = [{"value": highest * n // 4, "y": y_of(highest * n // 4), "text_y": round(y_of(highest * n // 4) + 4, 1)}
               for n in range(5)]
    x_ticks = [{"x": x_of(0), "day": days[0], "anchor": "start"}]
    if count > 2:
        x_ticks.append({"x": x_of(count // 2), "day": days[count // 2], "anchor": "middle"})
    if count > 1:
        x_ticks.append({"x": x_of(count - 1), "day": days[-1], "anchor": "end"})
    table = [{"day": day, "values": [values[i] for _label, values in series]} for i, day in enumerate(days)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": left, "right": right, "top": top, "bottom": bottom,
        "label_x": left - 8, "date_y": bottom + 24, "legend_y": 20, "legend_text_y": 24,
        "lines": lines, "y_ticks": y_ticks, "x_ticks": x_ticks, "ink": INK, "grid": GRID,
        "labels": [label for label, _values in series], "table": table, "first": days[0], "last": days[-1],
    }


# ---- pages ----------------------------------------------------------------------------------


def _summary(request):
    today = timezone.localdate()
    form, period, status = period_from(request, default=reach_selectors.default_period(today=today))
    summary = reach_selectors.reach_summary(user=request.user, period=period, language=get_language() or "en")
    return form, period, status, summary


@require_safe
def editor_reach(request):
    form, period, status, summary = _summary(request)
    chart = daily_chart(days=period.days, series=[(_("Page views"), summary["daily_views"])])
    return render(request, "portal/editor/reach_overview.html", {
        "tab": "reach", "form": form, "period": period, "summary": summary, "chart": chart,
        "query": f"from={period.start:%Y-%m-%d}&to={period.end:%Y-%m-%d}",
    }, status=status)


def _cell(value) -> str:
    """A cell a spreadsheet will not read as a formula (titles and names are typed by editors)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
def editor_reach_csv(request):
    """The same sums as the page, one row per line of its tables; audited."""
    form, period, status, summary = _summary(request)
    if status != 200:
        return editor_reach(request)
    audit_record_read(user=request.user, action="portal.reach_exported",
                      detail={"from": period.start.isoformat(), "to": period.end.isoformat()})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rete-reach-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([_("Reach from %(start)s to %(end)s: daily counters, no personal data") % {
        "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"), "end": formats.date_format(period.end, "SHORT_DATE_FORMAT")}])
    writer.writerow([_("what"), _("item"), _("language"), _("count")])
    for row in summary["pages"]:
        writer.writerow([_("Page views"), _cell(row["label"]), "", row["total"]])
    for row in summary["materials"]:
        writer.writerow([_("Material downloads"), _cell(row["label"]), row["language"], row["total"]])
    for row in summary["events"]:
        writer.writerow([_("Calendar downloads"), _cell(row["label"]), "", row["total"]])
    for row in summary["campaigns"]:
        writer.writerow([_("Visits from campaign links"), _cell(row["label"]), "", row["total"]])
    for row in summary["heard_about"]:
        writer.writerow([_("How contact requests heard about us"), _cell(row["label"]), "", row["total"]])
    for day, value in zip(period.days, summary["daily_views"]):
        writer.writerow([_("Page views per day"), day.isoformat(), "", value])
    return response
