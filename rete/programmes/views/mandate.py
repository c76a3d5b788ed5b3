"""Part "mandate-assessment": the court's mandate and who must be told what, the suitability
decision that ends the assessment, and his risk assessed with perpetrator-side instruments
(rete.risk). Three sections of the enrolment page and the pages to record the mandate.

Everything is reached through the enrolment's own selector: whoever may not open the enrolment
gets 404, the same as a missing one. A refused entry shows the page again with her entries and
the reason (400); a stale edit shows both versions (409)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.programmes.forms_mandate import MandateForm, RecipientForm, SuitabilityForm, add_service_error
from rete.programmes.models import (
    COURT_SOURCES,
    EnrolmentState,
    MandateBasis,
    ReportKind,
    Suitability,
)
from rete.programmes.selectors import enrolments as enrolment_selectors
from rete.programmes.selectors import mandate as selectors
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import mandate as services
from rete.programmes.views.enrolments import enrolment_page
from rete.programmes.views.sections import register_section

MANDATE_AUTO_ID = "mandate-%s"
RECIPIENT_AUTO_ID = "recipient-%s"
SUITABILITY_AUTO_ID = "suitability-%s"


def _enrolment_url(enrolment, anchor=""):
    url = reverse("programmes:enrolment_detail", kwargs={"enrolment_id": enrolment.pk})
    return f"{url}#{anchor}" if anchor else url


def _report_labels(recipients):
    labels = dict(ReportKind.choices)
    for recipient in recipients:
        recipient.report_labels = [labels.get(code, code) for code in recipient.reports]
    return recipients


def _risk(request, enrolment) -> dict:
    """His risk for this page, read once per request (the suitability and risk sections share it)."""
    cached = getattr(request, "_programmes_enrolment_risk", None)
    if cached is None or cached[0] != enrolment.pk:
        cached = (enrolment.pk, selectors.enrolment_risk(user=request.user, enrolment=enrolment))
        request._programmes_enrolment_risk = cached
    return cached[1]


# ---- the sections of the enrolment page ---------------------------------------------------------


def _suitability_section(request, enrolment):
    """While he is assessed: his assessment sessions, his risk and the decision form; after the
    decision: the decision. Three to seven queries whatever the data."""
    assessing = enrolment.state == EnrolmentState.ASSESSING
    if not assessing and not enrolment.suitability:
        return None
    context = {"assessing": assessing, "sessions": selectors.assessment_sessions(enrolment=enrolment)}
    if assessing:
        versions = selectors.published_pathway_versions(organisation_id=enrolment.organisation_id)
        context["form"] = SuitabilityForm(pathway_versions=versions, initial={"version": enrolment.version},
                                          auto_id=SUITABILITY_AUTO_ID)
        context["risk"] = _risk(request, enrolment)
        context["pathways_in_use"] = bool(versions)
    else:
        context["decided_by"] = enrolment.decided_by
    return context


def _mandate_section(request, enrolment):
    """The court's order and who must be told what. Two queries."""
    mandate = selectors.mandate_for(enrolment=enrolment)
    return {"mandate": mandate, "recipients": _report_labels(selectors.mandate_recipients(mandate=mandate)),
            "court_referred": enrolment.source in COURT_SOURCES}


def _risk_section(request, enrolment):
    """The band in force, the next reassessment, open actions and drafts (four queries)."""
    from rete.risk.models import ReassessmentReason
    from rete.risk.services import OTHER_EVENTS

    return {**_risk(request, enrolment), "subject_type": selectors.RISK_SUBJECT,
            "event_choices": [(value, ReassessmentReason(value).label) for value in OTHER_EVENTS]}


register_section("suitability", order=45, template="programmes/mandate_section_suitability.html", context=_suitability_section)
register_section("mandate", order=50, template="programmes/mandate_section_mandate.html", context=_mandate_section)
register_section("risk", order=55, template="programmes/mandate_section_risk.html", context=_risk_section)


# ---- the suitability decision --------------------------------------------------------------------


def _suitability_conflict(form, fresh):
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    decisions = dict(Suitability.choices)
    versions = dict(form.fields["pathway_version"].choices)
    saved_pathway = fresh.pathway_version_id
    return [
        conflict_row(_("Decision"), data.get("decision", ""), fresh.suitability, show=lambda code: decisions.get(code, code)),
        conflict_row(_("Reasons"), (data.get("reason") or "").strip(), fresh.suitability_reason),
        conflict_row(_("Pathway"), data.get("pathway_version") if data.get("decision") == Suitability.ACCEPTED else None,
                     saved_pathway, show=lambda pk: versions.get(pk, "") if pk else ""),
        conflict_row(_("Referred to"), (data.get("referred_to") or "").strip() if data.get("decision") == Suitability.REFERRED_ELSEWHERE
                     else "", fresh.referred_to),
        conflict_row(_("State"), "", fresh.get_state_display()),
    ]


@require_POST
def suitability_decide(request, enrolment_id):
    """The end of the assessment: accepted on a pathway, not suitable, or referred elsewhere."""
    enrolment = enrolment_selectors.enrolment_get(user=request.user, pk=enrolment_id)
    versions = selectors.published_pathway_versions(organisation_id=enrolment.organisation_id)
    form = SuitabilityForm(request.POST, pathway_versions=versions, auto_id=SUITABILITY_AUTO_ID)
    if form.is_valid():
        data = form.cleaned_data
        try:
            enrolment_services.suitability_decide(
                by=request.user, enrolment=enrolment, version=data["version"], decision=data["decision"], reason=data["reason"],
                pathway_version=data["pathway_version"], start_state=data["start_state"] or EnrolmentState.WAITING,
                referred_to=data["referred_to"])
        except StaleEdit as exc:
            fresh = enrolment_selectors.enrolment_get(user=request.user, pk=enrolment.pk)
            conflict = _suitability_conflict(form, exc.current)
            post = request.POST.copy()
            post["version"] = str(fresh.version)
            form = SuitabilityForm(post, pathway_versions=versions, auto_id=SUITABILITY_AUTO_ID)
            form.is_valid()
            if fresh.state != EnrolmentState.ASSESSING:
                messages.warning(request, _("Someone else ended the assessment while you were deciding: see the decision below."))
            return enrolment_page(request, fresh, status=409, suitability={"form": form, "conflict": conflict})
        except ServiceError as exc:
            add_service_error(form, exc)
            if enrolment.state != EnrolmentState.ASSESSING:
                messages.error(request, exc.message)
        else:
            messages.success(request, _("The suitability decision was recorded."))
            return redirect(_enrolment_url(enrolment, "suitability-title"))
    return enrolment_page(request, enrolment, status=400, suitability={"form": form})


# ---- the mandate -------------------------------------------------------------------------------------


def _mandate_conflict(form, saved):
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    bases = dict(MandateBasis.choices)

    def when(value):
        return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""

    def yes_no(value):
        return _("Yes") if value else _("No")

    shows = {"basis": lambda code: bases.get(code, code), "order_on": when, "start_by": when, "deadline": when,
             "consent_recorded": yes_no}
    rows = []
    for name in services.MANDATE_FIELDS:
        mine = data.get(name)
        if isinstance(mine, str):
            mine = mine.strip()
        theirs = getattr(saved, name)
        if name == "consent_recorded":
            mine, theirs = bool(mine), bool(theirs)
            rows.append({"label": form.fields[name].label, "mine": yes_no(mine), "saved": yes_no(theirs), "differs": mine != theirs})
            continue
        rows.append(conflict_row(form.fields[name].label, mine, theirs, show=shows.get(name)))
    return rows


def _mandate_page(request, enrolment, mandate, form, *, status=200, conflict=None):
    return render(request, "programmes/mandate_edit.html", {
        "enrolment": enrolment, "mandate": mandate, "form": form, "conflict": conflict,
        "court_referred": enrolment.source in COURT_SOURCES}, status=status)


@require_http_methods(["GET", "POST"])
def mandate_edit(request, enrolment_id):
    """Record the court's order (the first time) or correct it."""
    enrolment, mandate = selectors.mandate_page(user=request.user, enrolment_id=enrolment_id)
    if request.method != "POST":
        if mandate is not None:
            services.mandate_record_view(by=request.user, enrolment=enrolment, mandate=mandate)
        form = MandateForm(initial=MandateForm.initial_for(mandate), auto_id=MANDATE_AUTO_ID)
        return _mandate_page(request, enrolment, mandate, form)
    form = MandateForm(request.POST, auto_id=MANDATE_AUTO_ID)
    if not form.is_valid():
        return _mandate_page(request, enrolment, mandate, form, status=400)
    try:
        saved = services.mandate_save(by=request.user, enrolment=enrolment, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = exc.current
        conflict = _mandate_conflict(form, fresh)
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        form = MandateForm(post, auto_id=MANDATE_AUTO_ID)
        form.is_valid()
        return _mandate_page(request, enrolment, fresh, form, status=409, conflict=conflict)
    except ServiceError as exc:
        add_service_error(form, exc)
        return _mandate_page(request, enrolment, mandate, form, status=400)
    if mandate is None:
        messages.success(request, _("The court's order was recorded. Add who must receive the reports."))
    else:
        messages.success(request, _("The court's order was saved."))
    if not saved.consent_recorded:
        messages.warning(request, _("The order does not record his consent: court rulings require it. Ask the court to record it."))
    return redirect(_enrolment_url(enrolment, "mandate-title"))


# ---- who must be told what -----------------------------------------------------------------------------


def _recipient_page(request, enrolment, mandate, form, *, recipient=None, status=200):
    return render(request, "programmes/mandate_recipient_form.html",
                  {"enrolment": enrolment, "mandate": mandate, "form": form, "recipient": recipient}, status=status)


@require_http_methods(["GET", "POST"])
def mandate_recipient_add(request, enrolment_id):
    enrolment, mandate = selectors.mandate_get(user=request.user, enrolment_id=enrolment_id)
    form = RecipientForm(request.POST or None, auto_id=RECIPIENT_AUTO_ID)
    if request.method != "POST":
        return _recipient_page(request, enrolment, mandate, form)
    if form.is_valid():
        try:
            services.recipient_add(by=request.user, enrolment=enrolment, **form.values())
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The recipient was added."))
            return redirect(_enrolment_url(enrolment, "mandate-title"))
    return _recipient_page(request, enrolment, mandate, form, status=400)


@require_http_methods(["GET", "POST"])
def mandate_recipient_edit(request, enrolment_id, mandate_recipient_id):
    enrolment, recipient = selectors.recipient_get(user=request.user, enrolment_id=enrolment_id, recipient_id=mandate_recipient_id)
    if request.method != "POST":
        services.recipient_record_view(by=request.user, enrolment=enrolment, recipient=recipient)
        form = RecipientForm(initial={"kind": recipient.kind, "name": recipient.name, "contact": recipient.contact,
                                      "reports": recipient.reports}, auto_id=RECIPIENT_AUTO_ID)
        return _recipient_page(request, enrolment, recipient.mandate, form, recipient=recipient)
    form = RecipientForm(request.POST, auto_id=RECIPIENT_AUTO_ID)
    if form.is_valid():
        try:
            services.recipient_update(by=request.user, enrolment=enrolment, recipient_id=recipient.pk, **form.values())
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The recipient was saved."))
            return redirect(_enrolment_url(enrolment, "mandate-title"))
    return _recipient_page(request, enrolment, recipient.mandate, form, recipient=recipient, status=400)


@require_POST
def mandate_recipient_remove(request, enrolment_id, mandate_recipient_id):
    enrolment, recipient = selectors.recipient_get(user=request.user, enrolment_id=enrolment_id, recipient_id=mandate_recipient_id)
    services.recipient_remove(by=request.user, enrolment=enrolment, recipient_id=recipient.pk)
    messages.success(request, _("The recipient was removed."))
    return redirect(_enrolment_url(enrolment, "mandate-title"))

