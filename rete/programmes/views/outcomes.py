"""Outcome monitoring (part "outcomes"): the "outcomes" section of the enrolment page (his
timepoints: what is answered, what is due), the page to record his answers at a timepoint, his
answers read-only (an audited read), and the programme's aggregated figures for its
coordinators, on a page and as CSV (both audited, with the period only).

Her answers are recorded by the partner-support service (rete.network.views.partner_outcomes)
and never appear here, except as counts in the figures with small numbers suppressed."""
import csv
import datetime

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from rete.core import access
from rete.core.services import ServiceError
from rete.network.models import PartnerContactStatus
from rete.programmes import questionnaires
from rete.programmes.forms_outcomes import DATE_WIDGET, AnswersForm, answers_shown
from rete.programmes.models import Respondent, Timepoint
from rete.programmes.selectors import enrolments as enrolment_selectors
from rete.programmes.selectors import outcomes as selectors
from rete.programmes.services import outcomes as services
from rete.programmes.views.sections import register_section

STATUS_LABELS = {
    "due": _("Due"),
    "not_yet": _("Not due yet"),
    "not_applicable": _("Does not apply"),
}
FLOW_LABELS = {
    "enquiries": _("Enquiries"),
    "assessments": _("Assessments started"),
    "assessed": _("Assessments completed with a decision"),
    "accepted": _("Accepted"),
    "not_suitable": _("Not suitable"),
    "referred_elsewhere": _("Referred elsewhere"),
    "started": _("Started the programme"),
    "completed_favourable": _("Completed, favourable outcome"),
    "completed_unfavourable": _("Completed, unfavourable outcome"),
    "excluded": _("Excluded"),
    "dropped_out": _("Dropped out"),
}
PHASE_LABELS = {
    "before_assessment": _("Before the assessment"),
    "during_assessment": _("During the assessment"),
    "before_start": _("Accepted, before starting"),
    "during_programme": _("During the programme"),
}
SMALL = _("fewer than 5")
HIDDEN = _("not shown")


def _timepoint_label(code):
    return Timepoint(code).label if code in Timepoint.values else code


def _title(questionnaire):
    return questionnaires.text(questionnaire.definition.get("title"), _language())


def _language():
    from django.utils.translation import get_language

    return get_language() or "en"


# ---- the section on the enrolment page ----------------------------------------------------------------


def _section(request, enrolment):
    data = selectors.outcome_section(enrolment=enrolment)
    for row in data["rows"]:
        row["label"] = _timepoint_label(row["timepoint"])
        row["status_label"] = STATUS_LABELS.get(row["status"], "")
        # Answers are recorded when they are due (intake also before: e.g. during the assessment).
        may_record = row["status"] == "due" or (row["timepoint"] == "intake" and row["status"] == "not_yet")
        row["to_record"] = [{"pk": q.pk, "title": _title(q)} for q in row["to_record"]] if may_record else []
        for response in row["responses"]:
            response.title = _title(response.questionnaire)
    return data


register_section("outcomes", order=80, template="programmes/outcome_section.html", context=_section)


# ---- his answers at a timepoint ------------------------------------------------------------------------


def _record_page(request, enrolment, questionnaire, timepoint, form, *, status=200):
    return render(request, "programmes/outcome_record.html", {
        "enrolment": enrolment, "participant": enrolment.participant, "questionnaire": questionnaire,
        "title": _title(questionnaire), "description": questionnaires.text(questionnaire.definition.get("description"), _language()),
        "timepoint": timepoint, "timepoint_label": _timepoint_label(timepoint), "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def outcome_record(request, enrolment_id):
    """?timepoint=…&questionnaire=… (hidden fields when posted); without a timepoint, the first
    one not answered yet."""
    enrolment = enrolment_selectors.enrolment_get(user=request.user, pk=enrolment_id)
    data = request.POST if request.method == "POST" else request.GET
    questionnaire = selectors.questionnaire_for(respondent=Respondent.MAN, organisation_id=enrolment.organisation_id,
                                                questionnaire_id=data.get("questionnaire"))
    asked = questionnaires.timepoints(questionnaire.definition)
    recorded = selectors.outcome_responses_recorded(enrolment=enrolment, code=questionnaire.code)
    timepoint = data.get("timepoint") or next((t for t in asked if t not in recorded), None)
    if timepoint is None:
        messages.info(request, _("His answers are recorded at every time."))
        return redirect("programmes:enrolment_detail", enrolment_id=enrolment.pk)
    if timepoint not in asked:
        access.deny()
    if timepoint in recorded and request.method != "POST":
        return redirect("programmes:outcome_response_detail", outcome_response_id=recorded[timepoint])
    form = AnswersForm(request.POST if request.method == "POST" else None, definition=questionnaire.definition,
                       timepoint=timepoint, auto_id="outcome-%s")
    if request.method != "POST":
        return _record_page(request, enrolment, questionnaire, timepoint, form)
    if not form.is_valid():
        return _record_page(request, enrolment, questionnaire, timepoint, form, status=400)
    try:
        response = services.outcome_record(by=request.user, enrolment=enrolment, questionnaire=questionnaire,
                                           timepoint=timepoint, answers=form.answers(),
                                           answered_on=form.cleaned_data["answered_on"])
    except ServiceError as error:
        form.add_service_error(error)
        return _record_page(request, enrolment, questionnaire, timepoint, form, status=400)
    messages.success(request, _("His answers are recorded."))
    return redirect("programmes:outcome_response_detail", outcome_response_id=response.pk)


@require_safe
def outcome_response_detail(request, outcome_response_id):
    response = selectors.outcome_response_get(user=request.user, pk=outcome_response_id)
    services.outcome_record_view(by=request.user, response=response)
    return render(request, "programmes/outcome_response.html", {
        "response": response, "enrolment": response.enrolment, "title": _title(response.questionnaire),
        "timepoint_label": _timepoint_label(response.timepoint),
        "sections": answers_shown(response.questionnaire.definition, response.answers, _language())})


# ---- the programme's figures ---------------------------------------------------------------------------


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, today included."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + datetime.timedelta(days=1), today


class FiguresForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Programme"), required=False)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(**DATE_WIDGET))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.slug: organisation for organisation in organisations}
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]
        if len(organisations) < 2:
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(gettext("The period ends before it starts."))
        if data.get("end") and data["end"] > timezone.localdate():
            self.add_error("end", gettext("The period cannot end in the future."))
        return data

    def chosen_organisation(self):
        slug = self.cleaned_data.get("organisation") if self.is_bound else None
        return self.organisations.get(slug) or next(iter(self.organisations.values()))


def _period(request):
    """(form, organisation, start, end); the form has errors when the period is not valid."""
    organisations = selectors.figures_organisations(user=request.user)
    if not organisations:
        access.deny()
    start, end = default_period(timezone.localdate())
    slug = request.GET.get("organisation")
    if slug and slug not in {organisation.slug for organisation in organisations}:
        access.deny()  # a programme she does not coordinate: as if it did not exist
    bound = any(key in request.GET for key in ("start", "end", "organisation"))
    form = FiguresForm(request.GET if bound else None, organisations=organisations,
                       initial={"organisation": organisations[0].slug, "start": start, "end": end})
    if bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, (form.chosen_organisation() if bound and form.is_valid() else organisations[0]), start, end


def _share_text(share):
    if share["percent"] is None:
        return str(SMALL)
    return gettext("%(percent)s%% (%(reporting)s of %(respondents)s)") % share


def _cell_text(cell):
    if cell.shown:
        return str(cell.value)
    return str(SMALL if cell.why == "small" else HIDDEN)


def _labelled(figures):
    """The figures with the labels the page and the CSV show."""
    timepoints = [(code, _timepoint_label(code)) for code in questionnaires.TIMEPOINTS]
    statuses = dict(PartnerContactStatus.choices)

    def table(data):
        return {"answered": data["answered"],
                "rows": [{**row, "label": questionnaires.indicator_label(row["indicator"]),
                          "better": row["direction"] == questionnaires.HIGHER_IS_BETTER} for row in data["rows"]]}

    return {
        **figures,
        "timepoints": timepoints,
        "flow": [(FLOW_LABELS[code], cell) for code, cell in figures["flow"]],
        "drop_out_phases": [(PHASE_LABELS[code], cell) for code, cell in figures["drop_out_phases"]],
        "men": table(figures["men"]),
        "partners": table(figures["partners"]),
        "partner_contact": {"total": figures["partner_contact"]["total"],
                            "statuses": [(statuses.get(code, code), cell) for code, cell in figures["partner_contact"]["statuses"]]},
    }


@require_safe
def outcome_figures(request):
    form, organisation, start, end = _period(request)
    if form.is_bound and not form.is_valid():
        return render(request, "programmes/outcome_figures.html", {"form": form, "figures": None,
                                                                   "organisation": organisation}, status=400)
    figures = _labelled(selectors.programme_figures(user=request.user, organisation_id=organisation.pk, start=start, end=end))
    services.outcome_figures_record(by=request.user, organisation=organisation, start=start, end=end)
    query = f"organisation={organisation.slug}&start={start.isoformat()}&end={end.isoformat()}"
    return render(request, "programmes/outcome_figures.html", {
        "form": form, "figures": figures, "organisation": organisation, "csv_query": query})


def _csv_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def figures_rows(figures) -> list[tuple]:
    """(part, figure, timepoint, value) rows of the CSV, every small number already suppressed."""
    rows = []
    men, partners = gettext("Men"), gettext("Partners")
    for label, cell in figures["flow"]:
        rows.append((men, str(label), "", _cell_text(cell)))
    for label, cell in figures["drop_out_phases"]:
        rows.append((gettext("Drop-out by phase"), str(label), "", _cell_text(cell)))
    for label, cell in figures["drop_out_stages"]:
        rows.append((gettext("Drop-out during the programme, by stage"), str(label), "", _cell_text(cell)))
    for part, data in ((gettext("Men's answers"), figures["men"]), (gettext("Partners' answers"), figures["partners"])):
        for code, cell in data["answered"]:
            rows.append((part, gettext("People who answered"), str(_timepoint_label(code)), _cell_text(cell)))
        for row in data["rows"]:
            for code, share in row["cells"]:
                rows.append((part, str(row["label"]), str(_timepoint_label(code)), _share_text(share)))
    rows.append((partners, gettext("Partner contact requested"), "", _cell_text(figures["partner_contact"]["total"])))
    for label, cell in figures["partner_contact"]["statuses"]:
        rows.append((partners, str(label), "", _cell_text(cell)))
    return rows


@require_safe
def outcome_figures_csv(request):
    form, organisation, start, end = _period(request)
    if form.is_bound and not form.is_valid():
        return render(request, "programmes/outcome_figures.html", {"form": form, "figures": None,
                                                                   "organisation": organisation}, status=400)
    figures = _labelled(selectors.programme_figures(user=request.user, organisation_id=organisation.pk, start=start, end=end))
    services.outcome_figures_record(by=request.user, organisation=organisation, start=start, end=end, exported=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{organisation.slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([_csv_cell(gettext("%(programme)s from %(start)s to %(end)s: outcome figures, no personal data; "
                                       "figures about fewer than 5 people are not shown") % {
        "programme": organisation.name, "start": start.isoformat(), "end": end.isoformat()})])
    writer.writerow([gettext("part"), gettext("figure"), gettext("when"), gettext("value")])
    for row in figures_rows(figures):
        writer.writerow([_csv_cell(value) for value in row])
    return response
