"""The funders' report (part "certificates"): for the trainers and network coordinators of the
host organisations, the figures of their held events (participants by country, profession, kind
of organisation and sex; attendance; satisfaction; knowledge gain; follow-up), filtered by host
organisation, period or a single event. On a page, with bar charts drawn on the server (SVG with
a text alternative, the same numbers in tables), and as a spreadsheet (audited as an export)."""
import io

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from rete.core import access as core_access
from rete.core.services import audit_record_read
from rete.learning.selectors import reports as selectors

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILTERS = ("organisation", "date_from", "date_to", "event")


# ---- the filters -----------------------------------------------------------------------------


class ReportForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Host organisation"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Events from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=gettext_lazy("Events to"), required=False, widget=DATE_WIDGET)
    event = forms.ChoiceField(label=gettext_lazy("Or a single event"), required=False)

    def __init__(self, *args, organisations, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("All of them"))] + [(str(o.pk), o.name) for o in organisations]
        if len(organisations) < 2:
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["event"].choices = [("", _("All the held events in the period"))] + [
            (str(e.pk), f"{e.title} ({formats.date_format(e.starts_on, 'SHORT_DATE_FORMAT')})") for e in events]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The period cannot end before it starts."))
        return data


def _report(request):
    """(form, report or None, status). 404 for an organisation or event she does not run."""
    organisations = selectors.report_organisations(user=request.user)
    if not organisations:
        core_access.deny()
    events = selectors.report_event_choices(user=request.user)
    organisation = request.GET.get("organisation") or ""
    if organisation and organisation not in {str(o.pk) for o in organisations}:
        core_access.deny()
    event = request.GET.get("event") or ""
    if event and event not in {str(e.pk) for e in events}:
        core_access.deny()
    bound = any(key in request.GET for key in FILTERS)
    form = ReportForm(request.GET if bound else None, organisations=organisations, events=events)
    if bound and not form.is_valid():
        return form, None, 400
    data = form.cleaned_data if bound else {}
    report = selectors.funder_report(
        user=request.user, organisation_ids=[int(data["organisation"])] if data.get("organisation") else None,
        event=int(data["event"]) if data.get("event") else None,
        date_from=data.get("date_from"), date_to=data.get("date_to"))
    return form, report, 200


def _filters_detail(form) -> dict:
    """The filters of a report as ids and dates (for the audit trail)."""
    data = getattr(form, "cleaned_data", None) or {}
    return {"organisation": data.get("organisation") or "", "event": data.get("event") or "",
            "from": data["date_from"].isoformat() if data.get("date_from") else "",
            "to": data["date_to"].isoformat() if data.get("date_to") else ""}


# ---- the charts ------------------------------------------------------------------------------
# One bar per row, its label above it (labels may be long sentences), its value after it. The
# colour has more than 3:1 against white and is never the only cue: the value is written out, and
# the same numbers are in the table under the chart.

WIDTH, LEFT, RIGHT, TOP = 760, 8, 90, 8
ROW, BAR = 46, 18
COLOUR, INK = "#5b2a86", "#1d1b20"


def bar_chart(rows, *, highest=None, decimals=0) -> dict | None:
    """Coordinates of a bar per (label, value) row (pure geometry: no query, no request). The
    scale runs from 0 to `highest` (the largest value by default)."""
    rows = [(str(label), value) for label, value in rows if value is not None]
    if not rows:
        return None
    top_value = highest or max((value for _label, value in rows), default=0) or 1
    span = WIDTH - LEFT - RIGHT
    bars = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * ROW
        length = round(max(value, 0) * span / top_value, 1)
        bars.append({"label": label, "value": value, "text": formats.number_format(value, decimals),
                     "label_y": y + 14, "bar_y": y + 20, "length": max(length, 1), "value_x": round(LEFT + length + 6, 1),
                     "value_y": y + 34})
    return {"width": WIDTH, "height": TOP + len(rows) * ROW + 4, "left": LEFT, "bar": BAR, "bars": bars,
            "colour": COLOUR, "ink": INK}


def _charts(report) -> dict:
    return {
        "country": bar_chart([(row["label"], row["count"]) for row in report["by_country"]]),
        "profession": bar_chart([(row["label"], row["count"]) for row in report["by_profession"]]),
        "organisation_kind": bar_chart([(row["label"], row["count"]) for row in report["by_organisation_kind"]]),
        "sex": bar_chart([(row["label"], row["count"]) for row in report["by_sex"]]),
        "satisfaction": bar_chart([(row["label"], row["mean"]) for row in report["satisfaction"]["items"]],
                                  highest=5, decimals=2),
    }


# ---- pages -----------------------------------------------------------------------------------


@require_safe
def training_report(request):
    form, report, status = _report(request)
    context = {"form": form, "report": report, "charts": _charts(report) if report else None,
               "query": request.GET.urlencode() if report is not None else ""}
    return render(request, "learning/certificates_report.html", context, status=status)


def _cell(value):
    """A spreadsheet cell that is never run as a formula (titles are typed by people)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _sheet_title(text) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(text))
    return cleaned[:31]


def _round(value, digits=2):
    return round(value, digits) if isinstance(value, (int, float)) else value


def workbook(report, *, title: str) -> bytes:
    """The report as an .xlsx: a summary sheet and a sheet per breakdown."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)

    def sheet(name, header, rows, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = _sheet_title(name)
        ws.append([_cell(str(h)) for h in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([_cell(str(v) if isinstance(v, Promise) else v) for v in row])
        ws.column_dimensions["A"].width = 60
        return ws

    gain_figures = report["gain"]
    attendance = report["attendance"]
    summary = [
        (_("Report"), title),
        (_("Produced on"), timezone.localdate().isoformat()),
        (_("Events"), len(report["events"])),
        (_("Registered"), report["registered"]),
        (_("Participants (attended at least one session)"), report["participants"]),
        (_("Sessions attended"), attendance["attended"]),
        (_("Session places (registered × sessions)"), attendance["expected"]),
        (_("Attendance rate (%)"), _round(attendance["rate"] * 100, 1) if attendance["rate"] is not None else None),
        (_("Satisfaction questionnaires answered"), report["satisfaction"]["n"]),
        (_("Knowledge gain: participants with both tests"), gain_figures["n"]),
        (_("Knowledge gain: mean (percentage points)"), _round(gain_figures["mean_raw"])),
        (_("Follow-up questionnaires sent"), report["follow_up"]["sent"]),
        (_("Follow-up questionnaires answered"), report["follow_up"]["n"]),
        (_("Follow-up response rate (%)"), _round(report["follow_up"]["response_rate"] * 100, 1)
         if report["follow_up"]["response_rate"] is not None else None),
    ]
    sheet(_("Summary"), (_("Figure"), _("Value")), summary, first=True)
    sheet(_("Events"), (_("Event"), _("First day"), _("Last day"), _("Host organisation"), _("Sessions"), _("Registered"),
                        _("Participants"), _("Sessions attended"), _("Attendance rate (%)")),
          [(row["event"].title, row["event"].starts_on.isoformat(), row["event"].ends_on.isoformat(), row["event"].host.name,
            row["sessions"], row["registered"], row["participants"], row["attended"],
            _round(row["rate"] * 100, 1) if row["rate"] is not None else None) for row in report["events"]])
    for name, key, header in ((_("By country"), "by_country", _("Country")),
                              (_("By profession"), "by_profession", _("Profession")),
                              (_("By kind of organisation"), "by_organisation_kind", _("Kind of organisation")),
                              (_("By sex"), "by_sex", _("Sex"))):
        sheet(name, (header, _("Participants")), [(row["label"], row["count"]) for row in report[key]])
    sheet(_("Satisfaction"), (_("Statement"), _("Answers"), _("Mean (1 to 5)")),
          [(row["label"], row["n"], _round(row["mean"])) for row in report["satisfaction"]["items"]])
    sheet(_("Knowledge gain"), (_("Figure"), _("Value")), [
        (_("Participants with both tests"), gain_figures["n"]),
        (_("Mean score before (%)"), _round(gain_figures["mean_pre"])),
        (_("Mean score after (%)"), _round(gain_figures["mean_post"])),
        (_("Mean gain (percentage points)"), _round(gain_figures["mean_raw"])),
        (_("Standard deviation"), _round(gain_figures["sd_raw"])),
        (_("Median"), _round(gain_figures["median_raw"])),
        (_("Lowest"), _round(gain_figures["min_raw"])),
        (_("Highest"), _round(gain_figures["max_raw"])),
        (_("Mean normalised gain (0 to 1)"), _round(gain_figures["mean_normalised"], 3)),
    ])
    follow_rows = []
    for item in report["follow_up"]["items"]:
        for choice in item["distribution"]:
            follow_rows.append((item["label"], choice["label"], choice["count"]))
    sheet(_("Follow-up"), (_("Question"), _("Answer"), _("Participants")), follow_rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@require_safe
def training_report_xlsx(request):
    form, report, status = _report(request)
    if report is None:
        return render(request, "learning/certificates_report.html", {"form": form, "report": None}, status=status)
    audit_record_read(user=request.user, action="learning.report_exported", detail=_filters_detail(form))
    content = workbook(report, title=_("Training report"))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="training-report-{timezone.localdate():%Y%m%d}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
