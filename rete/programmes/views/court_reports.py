"""Court and probation reports (part "court-reports"): the section on the enrolment's page, the
report's page (its facts, the assessment, sign-off, sending), its PDF and the list of the
reports to do. Who reaches what is decided by selectors.court_reports (the enrolment's
visibility): a report out of reach is 404, like one that does not exist. Sign-off and "not
needed" are for programme coordinators only (404 for anyone else). The actions answer POST
only; a refused action shows the page again with her entries (400), a stale one both versions
(409)."""
import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.models import Role
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import access as programme_access
from rete.programmes.forms_reports import AssessmentForm, CancelForm, SendForm, VersionForm
from rete.programmes.models import (
    ComplianceLevel,
    ComplianceStatus,
    EnrolmentState,
    MandateBasis,
    Participation,
    ReferralSource,
    ReportKind,
    ReportStatus,
)
from rete.programmes.selectors import court_reports as selectors
from rete.programmes.services import court_reports as services
from rete.programmes.views.sections import register_section

RULE_LABELS = {
    "absences": gettext_lazy("absences that count"),
    "consecutive_absences": gettext_lazy("absences in a row"),
    "oppositional": gettext_lazy("an oppositional attitude in sessions"),
    "weekly_frequency": gettext_lazy("fewer sessions in a week than required"),
}
OUTCOME_LABELS = {"favourable": gettext_lazy("Favourable outcome"), "unfavourable": gettext_lazy("Unfavourable outcome")}
PARTICIPATION_LABELS = {**dict(Participation.choices), "not_recorded": gettext_lazy("Not recorded")}
COUNT_ROWS = (
    ("offered", gettext_lazy("Sessions he was expected at")),
    ("attended", gettext_lazy("Sessions attended")),
    ("late", gettext_lazy("of which late")),
    ("excused", gettext_lazy("Excused absences")),
    ("absent", gettext_lazy("Unexcused absences")),
    ("counted_absences", gettext_lazy("Absences that count under the attendance rules")),
    ("hours", gettext_lazy("Hours attended")),
)


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def facts_display(facts) -> dict | None:
    """The frozen facts as the page and the PDF print them: dates as dates, codes as labels
    (lazy: they print in the language of the page or of the report)."""
    if not facts:
        return None
    states = dict(EnrolmentState.choices)
    attendance = facts.get("attendance") or {}
    period, total = attendance.get("period") or {}, attendance.get("since_start") or {}
    mandate = facts.get("mandate")
    shown = {
        "as_of": _date(facts.get("as_of")),
        "period_from": _date((facts.get("period") or {}).get("from")),
        "period_to": _date((facts.get("period") or {}).get("to")),
        "participant": facts.get("participant") or {},
        "date_of_birth": _date((facts.get("participant") or {}).get("date_of_birth")),
        "enrolment": {**(facts.get("enrolment") or {}),
                      "state_label": states.get((facts.get("enrolment") or {}).get("state"), ""),
                      "source_label": dict(ReferralSource.choices).get((facts.get("enrolment") or {}).get("source"), ""),
                      "started": _date((facts.get("enrolment") or {}).get("started_on")),
                      "ended": _date((facts.get("enrolment") or {}).get("ended_on"))},
        "mandate": None,
        "counts": [{"label": label, "period": period.get(key, 0), "total": total.get(key, 0)} for key, label in COUNT_ROWS],
        "weeks": [{**week, "from": _date(week.get("from"))} for week in facts.get("weeks") or ()],
        "participation": [{"label": PARTICIPATION_LABELS.get(code, code), "count": count}
                          for code, count in (facts.get("participation") or {}).items()],
        "states": [{"on": _date(row.get("on")), "from": states.get(row.get("from"), ""), "to": states.get(row.get("to"), "")}
                   for row in facts.get("states") or ()],
        "compliance": [{"on": _date(row.get("on")), "rule": RULE_LABELS.get(row.get("rule"), row.get("rule")),
                        "level": dict(ComplianceLevel.choices).get(row.get("level"), ""),
                        "status": dict(ComplianceStatus.choices).get(row.get("status"), ""),
                        "this": row.get("id") == facts.get("compliance_event") and row.get("id") is not None}
                       for row in facts.get("compliance") or ()],
        "outcome": facts.get("outcome") or "",
        "outcome_label": OUTCOME_LABELS.get(facts.get("outcome") or "", ""),
    }
    if mandate:
        shown["mandate"] = {**mandate, "basis_label": dict(MandateBasis.choices).get(mandate.get("basis"), ""),
                            "order": _date(mandate.get("order_on")), "start": _date(mandate.get("start_by")),
                            "deadline_date": _date(mandate.get("deadline"))}
    return shown


def _outstanding(report, today):
    return report.status in selectors.OUTSTANDING and report.due_on < today


# ---- the section on the enrolment's page --------------------------------------------------------


def section_context(request, enrolment):
    """Two queries, whatever the number of reports."""
    mandate = selectors.enrolment_mandate(enrolment=enrolment)
    reports = selectors.enrolment_reports(enrolment=enrolment)
    if mandate is None and not reports:
        return None
    today = timezone.localdate()
    for report in reports:
        report.overdue = _outstanding(report, today)
    return {"mandate": mandate, "reports": reports, "today": today}


register_section("reports", order=70, template="programmes/report_section.html", context=section_context)


# ---- the list of reports to do ------------------------------------------------------------------


@require_safe
def court_report_list(request):
    """Every report still to do of the enrolments she may open (coordinators: the whole
    programme), soonest due first."""
    today = timezone.localdate()
    reports = selectors.reports_to_do(user=request.user)
    for report in reports:
        report.overdue = _outstanding(report, today)
    return render(request, "programmes/report_list.html",
                  {"reports": reports, "limit": selectors.LIST_LIMIT, "today": today})


# ---- one report ---------------------------------------------------------------------------------


def _may_coordinate(user, report):
    return access.has_capability(user, report.enrolment.organisation_id, programme_access.COORDINATE_PROGRAMME)


def _report_page(request, report, *, status=200, edit_form=None, send_form=None, cancel_form=None, conflict=None,
                 error=None):
    recipients = selectors.report_recipients(report=report) if report.status == ReportStatus.SIGNED else []
    today = timezone.localdate()
    report.overdue = _outstanding(report, today)
    context = {
        "report": report, "enrolment": report.enrolment, "facts": facts_display(report.facts), "today": today,
        "may_coordinate": _may_coordinate(request.user, report), "recipients": recipients,
        "method_label": dict(services.SEND_METHODS).get(report.sent_method, ""),
        "version_form": VersionForm(initial={"version": report.version}, auto_id=False),
        "edit_form": edit_form or AssessmentForm(initial={"assessment": report.assessment, "version": report.version,
                                                          "language": report.language}, auto_id="report-%s"),
        "send_form": send_form or SendForm(recipients=recipients, auto_id="send-%s",
                                           initial={"version": report.version, "sent_on": today,
                                                    "recipients": [str(r.pk) for r in recipients]}),
        "cancel_form": cancel_form or CancelForm(initial={"version": report.version}, auto_id="cancel-%s"),
        "conflict": conflict, "error": error,
    }
    return render(request, "programmes/report_detail.html", context, status=status)


@require_safe
def court_report_detail(request, court_report_id):
    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    services.report_record_view(by=request.user, report=report)
    return _report_page(request, report)


def _fresh(request, report):
    return selectors.court_report_get(user=request.user, pk=report.pk)


def _stale(request, report, message=None):
    return _report_page(request, _fresh(request, report), status=409,
                        error=message or _("Someone changed this report since you opened it. Read it again before you go on."))


@require_POST
def court_report_generate(request, court_report_id):
    """Draft a due report from the record (from the section or the report's page), or draw the
    facts of a draft again."""
    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        services.report_draft(by=request.user, report=report, version=version)
    except StaleEdit:
        return _stale(request, report)
    except ServiceError as exc:
        if request.POST.get("from") == "section":
            from rete.programmes.views.enrolments import enrolment_page
            from rete.programmes.selectors.enrolments import enrolment_get

            enrolment = enrolment_get(user=request.user, pk=report.enrolment_id)
            return enrolment_page(request, enrolment, status=400, reports={"error": exc.message})
        return _report_page(request, _fresh(request, report), status=400, error=exc.message)
    messages.success(request, _("The report was drafted from the record as it is today."))
    return redirect("programmes:court_report_detail", court_report_id=report.pk)


@require_POST
def court_report_edit(request, court_report_id):
    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    form = AssessmentForm(request.POST, auto_id="report-%s")
    if not form.is_valid():
        return _report_page(request, report, edit_form=form, status=400)
    data = form.cleaned_data
    try:
        services.report_edit(by=request.user, report=report, version=data["version"], assessment=data["assessment"],
                             language=data["language"])
    except StaleEdit as exc:
        from rete.core.templatetags.rete import language_name

        saved = exc.current
        conflict = [
            conflict_row(AssessmentForm.base_fields["assessment"].label, data["assessment"].strip(), saved.assessment),
            conflict_row(AssessmentForm.base_fields["language"].label, data["language"], saved.language,
                         show=lambda code: language_name(code) if code else ""),
        ]
        post = request.POST.copy()
        post["version"] = str(saved.version)
        form = AssessmentForm(post, auto_id="report-%s")
        form.is_valid()
        return _report_page(request, _fresh(request, report), edit_form=form, conflict=conflict, status=409)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _report_page(request, report, edit_form=form, status=400)
    messages.success(request, _("The report was saved."))
    return redirect("programmes:court_report_detail", court_report_id=report.pk)


@require_POST
def court_report_sign(request, court_report_id):
    """Programme coordinators only (404 for anyone else)."""
    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    if not _may_coordinate(request.user, report):
        access.deny()
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    if version is None:
        return _report_page(request, report, status=400, error=_("The form was incomplete: open the report again."))
    try:
        services.report_sign(by=request.user, report=report, version=version)
    except StaleEdit:
        return _stale(request, report,
                      _("Someone changed this report since you opened it. Read it again before you sign it off."))
    except ServiceError as exc:
        return _report_page(request, report, status=400, error=exc.message)
    messages.success(request, _("The report was signed off. It can no longer change."))
    return redirect("programmes:court_report_detail", court_report_id=report.pk)


@require_POST
def court_report_send(request, court_report_id):
    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    recipients = selectors.report_recipients(report=report)
    form = SendForm(request.POST, recipients=recipients, auto_id="send-%s")
    if not form.is_valid():
        return _report_page(request, report, send_form=form, status=400)
    data = form.cleaned_data
    try:
        services.report_send(by=request.user, report=report, version=data["version"], recipient_ids=data["recipients"],
                             method=data["method"], sent_on=data["sent_on"])
    except StaleEdit:
        return _stale(request, report)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _report_page(request, report, send_form=form, status=400)
    messages.success(request, _("The sending of the report was recorded."))
    return redirect("programmes:court_report_detail", court_report_id=report.pk)


@require_POST
def court_report_cancel(request, court_report_id):
    """Programme coordinators only (404 for anyone else)."""
    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    if not _may_coordinate(request.user, report):
        access.deny()
    form = CancelForm(request.POST, auto_id="cancel-%s")
    if not form.is_valid():
        return _report_page(request, report, cancel_form=form, status=400)
    data = form.cleaned_data
    try:
        services.report_cancel(by=request.user, report=report, version=data["version"], reason=data["reason"])
    except StaleEdit:
        return _stale(request, report)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _report_page(request, report, cancel_form=form, status=400)
    messages.success(request, _("The report was marked as not needed."))
    return redirect("programmes:enrolment_detail", enrolment_id=report.enrolment_id)


# ---- the PDF ------------------------------------------------------------------------------------


@require_safe
def court_report_pdf(request, court_report_id):
    """The report on paper, in its language: a DRAFT watermark until it is signed off. A report
    not drafted yet has no document (404)."""
    from rete.core.documents import pdf_response, render_pdf

    report = selectors.court_report_get(user=request.user, pk=court_report_id)
    if report.status == ReportStatus.DUE or not report.facts:
        access.deny()
    language = report.language or selectors.default_language(report.enrolment.organisation)
    with translation.override(language):
        context = {
            "report": report, "organisation": report.enrolment.organisation, "facts": facts_display(report.facts),
            "kind_label": str(ReportKind(report.kind).label), "signed": report.status in (ReportStatus.SIGNED, ReportStatus.SENT),
            "signer_role": str(Role.PROGRAMME_COORDINATOR.label), "printed_by": request.user, "printed_at": timezone.localtime(),
        }
        content = render_pdf("documents/court_report.html", context, language=language)
    services.report_record_print(by=request.user, report=report, language=language)
    stamp = report.period_to or report.due_on
    return pdf_response(content, f"{report.enrolment.reference}-{report.kind}-{stamp.isoformat()}.pdf")
