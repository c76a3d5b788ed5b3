"""The partner's outcome questionnaires, the partner-support workers' pages (part "outcomes" of
issue 6): a section of the partner-contact link's page (her timepoints: what is answered, what
is due), the page to record her answers at a timepoint, and her answers read-only (an audited
read). Only a partner-support worker who may act on the link reaches them
(selectors.partner_contact); everyone else, the man's facilitators and the programme's
coordinators included, gets 404. The programme sees none of this: only counts in its figures."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from rete.core import access
from rete.core.services import ServiceError
from rete.network.selectors import partner_contact as link_selectors
from rete.network.selectors import partner_outcomes as selectors
from rete.network.services import partner_outcomes as services
from rete.programmes import questionnaires
from rete.programmes.forms_outcomes import AnswersForm, answers_shown
from rete.programmes.models import Timepoint
from rete.programmes.selectors.outcomes import questionnaire_for

STATUS_LABELS = {
    "due": _("Due"),
    "not_yet": _("Not due yet"),
    "not_applicable": _("Does not apply"),
}


def _language():
    return get_language() or "en"


def _timepoint_label(code):
    return Timepoint(code).label if code in Timepoint.values else code


def _title(questionnaire):
    return questionnaires.text(questionnaire.definition.get("title"), _language())


def section(request, link) -> dict:
    """The context of the "Her outcome questionnaires" section of the link's page."""
    data = selectors.partner_outcome_section(user=request.user, link=link)
    for row in data["rows"]:
        row["label"] = _timepoint_label(row["timepoint"])
        row["status_label"] = STATUS_LABELS.get(row["status"], "")
        # Answers are recorded when they are due (intake also before: e.g. during the assessment).
        may_record = row["status"] == "due" or (row["timepoint"] == "intake" and row["status"] == "not_yet")
        row["to_record"] = [{"pk": q.pk, "title": _title(q)} for q in row["to_record"]] if may_record else []
        for response in row["responses"]:
            response.title = _title(response.questionnaire)
    return data


def _record_page(request, link, questionnaire, timepoint, form, *, status=200):
    return render(request, "network/partner_outcome_record.html", {
        "link": link, "questionnaire": questionnaire, "title": _title(questionnaire),
        "description": questionnaires.text(questionnaire.definition.get("description"), _language()),
        "timepoint": timepoint, "timepoint_label": _timepoint_label(timepoint), "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def partner_outcome_record(request, partner_link_id):
    """?timepoint=…&questionnaire=… (hidden fields when posted); without a timepoint, the first
    one not answered yet."""
    link = link_selectors.partner_link_get_for_support(user=request.user, link_id=partner_link_id)
    data = request.POST if request.method == "POST" else request.GET
    questionnaire = questionnaire_for(respondent="partner", organisation_id=link.support_organisation_id,
                                      questionnaire_id=data.get("questionnaire"))
    asked = questionnaires.timepoints(questionnaire.definition)
    recorded = selectors.partner_outcomes_recorded(link=link, code=questionnaire.code)
    timepoint = data.get("timepoint") or next((t for t in asked if t not in recorded), None)
    if timepoint is None:
        messages.info(request, _("Her answers are recorded at every time."))
        return redirect("network:partner_link_detail", partner_link_id=link.pk)
    if timepoint not in asked:
        access.deny()
    if timepoint in recorded and request.method != "POST":
        return redirect("network:partner_outcome_detail", partner_outcome_id=recorded[timepoint])
    form = AnswersForm(request.POST if request.method == "POST" else None, definition=questionnaire.definition,
                       timepoint=timepoint, auto_id="outcome-%s")
    if request.method != "POST":
        return _record_page(request, link, questionnaire, timepoint, form)
    if not form.is_valid():
        return _record_page(request, link, questionnaire, timepoint, form, status=400)
    try:
        response = services.partner_outcome_record(by=request.user, link=link, questionnaire=questionnaire,
                                                   timepoint=timepoint, answers=form.answers(),
                                                   answered_on=form.cleaned_data["answered_on"])
    except ServiceError as error:
        form.add_service_error(error)
        return _record_page(request, link, questionnaire, timepoint, form, status=400)
    messages.success(request, _("Her answers are recorded. The programme does not see them."))
    return redirect("network:partner_outcome_detail", partner_outcome_id=response.pk)


@require_safe
def partner_outcome_detail(request, partner_outcome_id):
    response = selectors.partner_outcome_get_for_support(user=request.user, pk=partner_outcome_id)
    services.partner_outcome_record_view(by=request.user, response=response)
    return render(request, "network/partner_outcome_detail.html", {
        "response": response, "link": response.link, "title": _title(response.questionnaire),
        "timepoint_label": _timepoint_label(response.timepoint),
        "sections": answers_shown(response.questionnaire.definition, response.answers, _language())})
