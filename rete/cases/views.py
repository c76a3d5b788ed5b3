from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from allauth.account.decorators import reauthentication_required

from rete.cases import selectors, services
from rete.cases.forms import CaseFilterForm, IntakeForm
from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import StaleEdit


def caseload(request):
    if not selectors.case_organisations(user=request.user):
        access.deny()
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scope = request.GET.get("scope", "mine")
    supervises = bool(selectors.oversight_organisations(user=request.user))
    cases = selectors.case_list(user=request.user, mine_only=scope not in ("all", "team"), status=filters.get("status", ""), query=filters.get("q", ""),
                                oversight=scope == "team" and supervises, due=filters.get("due", ""), risk=filters.get("risk", ""))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    from rete.risk.selectors import attach_band_labels

    page.object_list = attach_band_labels(page.object_list)
    query = {"scope": scope, **{k: v for k, v in filters.items() if v}}
    return render(request, "cases/caseload.html", {"form": form, "page": page, "scope": scope, "querystring": urlencode(query),
                                                   "supervises": supervises})


@require_http_methods(["GET", "POST"])
def intake(request):
    organisations = selectors.case_organisations(user=request.user)
    if not organisations:
        access.deny()
    contact_request = _contact_request_to_open(request)
    initial = _intake_initial_from_request(contact_request) if contact_request else None
    referral = None if contact_request else _referral_to_open(request)  # ?from_referral= (part "referral-receiver")
    if referral is not None:
        initial = _intake_initial_from_referral(referral)
    form = IntakeForm(request.POST or None, organisations=organisations, initial=initial)
    duplicates = []
    if request.method == "POST":
        if form.is_valid():
            organisation = form.chosen_organisation()
            person = form.person_data()
            indexes = services.person_indexes(given_name=person["given_name"], family_name=person["family_name"],
                                              birth_year=person["birth_year"] or (int(person["date_of_birth"][:4]) if person["date_of_birth"] else None),
                                              phone=person["phone"])
            duplicates = selectors.duplicate_candidates(user=request.user, organisation=organisation,
                                                        name_index=indexes.name_index, phone_index=indexes.phone_index)
            if not duplicates or form.cleaned_data["confirm_new"]:
                case = services.intake_open_case(by=request.user, organisation=organisation,
                                                 contact_route=form.cleaned_data["contact_route"],
                                                 first_contact_at=form.cleaned_data["first_contact_at"], person=person)
                if contact_request is not None:
                    services.contact_request_link_case(by=request.user, request_id=contact_request.pk, case=case)
                if referral is not None:
                    from rete.network.services.referrals import referral_link_case

                    referral_link_case(by=request.user, referral=referral, receiver_case=case)
                return redirect("cases:case_detail", pk=case.pk)
        status = 400 if form.errors else 200
    else:
        status = 200
    return render(request, "cases/intake.html", {"form": form, "duplicates": duplicates}, status=status)


# ---- the case page and its actions ------------------------------------------------------


def _case_page(request, case, *, status=200, note_form=None, hold_form=None, reopen_form=None, conflict=None, error=None):
    from rete.cases.forms import NoteForm, ReasonRequiredForm, StatusChangeForm, SupervisorForm, TeamForm

    candidates = selectors.team_candidates(user=request.user, case=case)
    timeline = Paginator(selectors.case_timeline(user=request.user, case=case), 30).get_page(request.GET.get("page"))
    context = {
        "case": case,
        "person": case.person,
        "team": selectors.case_team(case=case),
        "incidents": selectors.case_incidents(user=request.user, case=case),
        "consents": selectors.case_consents(user=request.user, case=case),
        "today": timezone.localdate().isoformat(),
        "timeline": timeline,
        "note_form": note_form or NoteForm(),
        "hold_form": hold_form or StatusChangeForm(initial={"version": case.version}),
        "resume_form": StatusChangeForm(initial={"version": case.version}),
        "reopen_form": reopen_form or ReasonRequiredForm(initial={"version": case.version}),
        "team_form": TeamForm(candidates=candidates) if candidates else None,
        "supervisor_form": SupervisorForm(supervisors=selectors.supervisors_of(organisation=case.organisation),
                                          initial={"supervisor": str(case.supervisor_id or "")}),
        "pending_closure": selectors.pending_closure(user=request.user, case=case),
        "can_decide": selectors.can_decide_closure(user=request.user, case=case),
        "conflict": conflict,
        "error": error,
    }
    # Each part of the case file adds what its section shows (see case_detail.html).
    for section in CASE_PAGE_SECTIONS:
        context.update(section(request, case))
    return render(request, "cases/case_detail.html", context, status=status)


# Functions (request, case) -> dict adding a section's data to the case page; appended below by
# each part of the case file. Each must run a fixed number of queries.
CASE_PAGE_SECTIONS = []


def case_detail(request, pk):
    from django.http import Http404

    try:
        case = selectors.case_get(user=request.user, pk=pk)
    except Http404:
        # A supervisor may see that a case of her organisation exists and open it with a reason.
        return _break_glass_page(request, selectors.break_glass_candidate(user=request.user, pk=pk))
    services.case_record_view(by=request.user, case=case)
    return _case_page(request, case)


def _break_glass_page(request, case, *, form=None, status=200, error=None):
    from rete.cases.forms import BreakGlassForm

    return render(request, "cases/break_glass.html", {"case": case, "form": form or BreakGlassForm(), "error": error,
                                                     "hours": services.BREAK_GLASS_HOURS}, status=status)


@require_POST
def note_add(request, pk):
    from rete.cases.forms import NoteForm

    case = selectors.case_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, note_form=form)
    services.note_add(by=request.user, case=case, body=form.cleaned_data["body"])
    messages.success(request, _("The note was added."))
    return redirect("cases:case_detail", pk=case.pk)


def _status_action(request, pk, action, form_class, form_name):
    case = selectors.case_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, **{form_name: form})
    try:
        action(case=case, **form.cleaned_data)
    except StaleEdit:
        fresh = selectors.case_get(user=request.user, pk=pk)
        conflict = _("The case changed while you were looking at it (it is now: %(status)s). Nothing was changed; check the timeline and try again.") % {"status": fresh.get_status_display()}
        return _case_page(request, fresh, status=409, conflict=conflict, **{form_name: form_class(initial={"version": fresh.version, "reason": form.cleaned_data.get("reason", "")})})
    except services.CaseError as exc:
        return _case_page(request, case, status=400, error=exc.message, **{form_name: form})
    messages.success(request, _("The case was updated."))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
def case_hold(request, pk):
    from rete.cases.forms import StatusChangeForm

    return _status_action(request, pk, lambda case, version, reason: services.case_put_on_hold(by=request.user, case=case, version=version, reason=reason),
                          StatusChangeForm, "hold_form")


@require_POST
def case_resume(request, pk):
    from rete.cases.forms import StatusChangeForm

    return _status_action(request, pk, lambda case, version, reason: services.case_resume(by=request.user, case=case, version=version),
                          StatusChangeForm, "hold_form")


@require_POST
def case_reopen(request, pk):
    from rete.cases.forms import ReasonRequiredForm

    return _status_action(request, pk, lambda case, version, reason: services.case_reopen(by=request.user, case=case, version=version, reason=reason),
                          ReasonRequiredForm, "reopen_form")


@require_POST
def team_change(request, pk):
    from rete.cases.forms import TeamForm

    case = selectors.case_get(user=request.user, pk=pk)
    remove = request.POST.get("remove")
    try:
        if remove:
            member = next((m for m in selectors.case_team(case=case) if str(m.pk) == remove), None)
            if member is None:
                access.deny()
            services.team_remove(by=request.user, case=case, member=member)
        else:
            candidates = selectors.team_candidates(user=request.user, case=case)
            form = TeamForm(request.POST, candidates=candidates)
            if not form.is_valid():
                return _case_page(request, case, status=400, error=_("Choose a colleague from the list."))
            member = next(c for c in candidates if c.pk == form.cleaned_data["member"])
            services.team_add(by=request.user, case=case, member=member)
    except services.CaseError as exc:
        return _case_page(request, case, status=400, error=exc.message)
    messages.success(request, _("The team was updated."))
    return redirect("cases:case_detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
def closure_request(request, pk):
    from rete.cases.forms import ClosureRequestForm

    case = selectors.case_get(user=request.user, pk=pk)
    # The decider is never the proposer; the case's supervisor is offered first.
    supervisors = selectors.supervisors_of(organisation=case.organisation, exclude=request.user)
    initial = {"version": case.version, "supervisor": str(case.supervisor_id or "")}
    form = ClosureRequestForm(request.POST or None, initial=initial, supervisors=supervisors)
    error = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.closure_request(by=request.user, case=case, **form.cleaned_data)
            except StaleEdit:
                error = _("The case changed while you were filling in this form. Your entries are kept: check the case and send again.")
                post = request.POST.copy()
                post["version"] = str(selectors.case_get(user=request.user, pk=pk).version)
                form = ClosureRequestForm(post, supervisors=supervisors)
                form.is_valid()
                status = 409
            except services.CaseError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("The closure was sent to a supervisor for approval."))
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
    return render(request, "cases/closure_request.html", {"case": case, "form": form, "error": error, "no_supervisor": not supervisors}, status=status)


@require_http_methods(["GET", "POST"])
def closure_decide(request, pk):
    from rete.cases.forms import ClosureDecisionForm

    case = selectors.case_get(user=request.user, pk=pk)
    if not selectors.can_decide_closure(user=request.user, case=case):
        access.deny()
    pending = selectors.pending_closure(user=request.user, case=case)
    if pending is None:
        messages.info(request, _("There is no closure waiting for a decision."))
        return redirect("cases:case_detail", pk=case.pk)
    # The page shows the closing summary (encrypted narrative): reading it is reading the case.
    services.case_record_view(by=request.user, case=case)
    form = ClosureDecisionForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.closure_decide(by=request.user, case=case, approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"])
            except services.CaseError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("Your decision was recorded."))
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
    return render(request, "cases/closure_decide.html", {"case": case, "pending": pending, "form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def incident_add(request, pk):
    """Record an incident. The GBVIMS questions come first-to-last; the first "yes" proposes the
    type, which she confirms on a second step (the form keeps everything in between)."""
    from rete.cases.forms import IncidentForm

    case = selectors.case_get(user=request.user, pk=pk)
    form = IncidentForm(request.POST or None)
    proposed = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            proposed = form.proposed_type()
            if request.POST.get("confirm") == proposed:
                data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("q_")}
                services.incident_record(by=request.user, case=case, gbv_type=proposed, **data)
                messages.success(request, _("The incident was recorded."))
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
    from rete.cases.models import GbvType

    return render(request, "cases/incident_form.html",
                  {"case": case, "form": form, "proposed": proposed, "proposed_label": GbvType(proposed).label if proposed else ""},
                  status=status)


@require_http_methods(["GET", "POST"])
def consent_add(request, pk):
    from rete.cases.forms import ConsentForm

    case = selectors.case_get(user=request.user, pk=pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_record(by=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("The consent was recorded."))
        return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/consent_form.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@require_POST
def consent_withdraw(request, pk):
    from rete.cases.forms import ConsentWithdrawForm

    case = selectors.case_get(user=request.user, pk=pk)
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, error=_("Give the date the consent was withdrawn (not in the future)."))
    try:
        services.consent_withdraw(by=request.user, case=case, consent_id=form.cleaned_data["consent"],
                                  withdrawn_on=form.cleaned_data["withdrawn_on"], reason=form.cleaned_data["reason"])
    except services.CaseError as exc:
        return _case_page(request, case, status=400, error=exc.message)
    messages.success(request, _("The withdrawal was recorded. Sharing under this consent stops now."))
    return redirect("cases:case_detail", pk=case.pk)


# ---- server-side drafts ------------------------------------------------------------------


@require_POST
def draft_save(request, pk, form):
    """Autosave endpoint for long forms (called by staff.js as she types; without JavaScript the
    form's own "Save draft" button does the same through its page). 204 on success."""
    from django.http import HttpResponse

    case = selectors.case_get(user=request.user, pk=pk)
    if form not in services.DRAFT_FORMS:
        access.deny()
    if request.POST.get("discard"):
        services.draft_discard(by=request.user, case=case, form=form)
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(status=204)
        messages.info(request, _("The draft was discarded."))
        return redirect(request.POST["next"]) if _safe_next(request) else redirect("cases:case_detail", pk=case.pk)
    services.draft_save(by=request.user, case=case, form=form, data={k: request.POST.getlist(k) for k in request.POST})
    return HttpResponse(status=204)


def _safe_next(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def draft_context(request, case, form_name, bound_form_class, **form_kwargs):
    """For a long form's GET: the form bound to her saved draft if there is one, else unbound.
    Returns (form, draft_saved_at)."""
    data, saved_at = selectors.draft_get(user=request.user, case=case, form=form_name)
    if data is None:
        return bound_form_class(**form_kwargs), None
    return bound_form_class(data=data, **{k: v for k, v in form_kwargs.items() if k != "initial"}), saved_at


# ---- supervision and break-glass ---------------------------------------------------------------


@require_POST
@reauthentication_required
def break_glass(request, pk):
    """Open a case she does not work on, after giving a reason and her password again."""
    from rete.cases.forms import BreakGlassForm

    candidate = selectors.break_glass_candidate(user=request.user, pk=pk)
    form = BreakGlassForm(request.POST)
    if not form.is_valid():
        return _break_glass_page(request, candidate, form=form, status=400)
    try:
        services.break_glass_open(by=request.user, case_id=candidate.pk, reason=form.cleaned_data["reason"])
    except services.CaseError as exc:
        return _break_glass_page(request, candidate, form=form, status=400, error=exc.message)
    messages.warning(request, _("You opened this case with break-glass. Your access and your reason are recorded and the data-protection officer is told."))
    return redirect("cases:case_detail", pk=candidate.pk)


@require_POST
def supervisor_change(request, pk):
    from rete.cases.forms import SupervisorForm

    case = selectors.case_get(user=request.user, pk=pk)
    form = SupervisorForm(request.POST, supervisors=selectors.supervisors_of(organisation=case.organisation))
    if not form.is_valid():
        return _case_page(request, case, status=400, error=_("Choose a supervisor from the list."))
    try:
        services.case_set_supervisor(by=request.user, case=case, supervisor=form.chosen())
    except services.CaseError as exc:
        return _case_page(request, case, status=400, error=exc.message)
    messages.success(request, _("The case's supervisor was changed."))
    return redirect("cases:case_detail", pk=case.pk)


def break_glass_review(request):
    """For data-protection officers: every break-glass opening in their organisations, with the
    reason given. No case content."""
    grants = selectors.break_glass_list(user=request.user)
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    services.break_glass_reviewed(by=request.user, grants=page.object_list)
    return render(request, "cases/break_glass_review.html", {"page": page})


# ---- access to justice: complaints, protection orders, proceedings, hearings ------------------


def _justice_section(request, case) -> dict:
    return {"justice": selectors.justice_summary(user=request.user, case=case)}


CASE_PAGE_SECTIONS.append(_justice_section)


@require_http_methods(["GET"])
def justice(request, pk):
    """The case's legal steps in full (notes, conditions and outcomes included): reading it is
    reading the case."""
    case = selectors.case_get(user=request.user, pk=pk)
    services.case_record_view(by=request.user, case=case)
    today = timezone.localdate()
    orders = selectors.case_protection_orders(user=request.user, case=case)
    for order in orders:
        order.expiry_state = selectors.order_expiry_state(order, today)
    return render(request, "cases/justice.html", {
        "case": case,
        "complaints": selectors.case_complaints(user=request.user, case=case),
        "orders": orders,
        "proceedings": selectors.case_proceedings(user=request.user, case=case),
        "warning_days": selectors.ORDER_EXPIRY_WARNING_DAYS,
    })


def _justice_spec(kind):
    from rete.cases import forms as case_forms

    specs = {
        "complaint": {
            "form": case_forms.ComplaintForm, "fields": services.COMPLAINT_FIELDS, "id": "complaint_id",
            "add": services.complaint_add, "update": services.complaint_update,
            "add_title": _("Record a complaint"), "edit_title": _("Edit the complaint"), "saved": _("The complaint was saved."),
        },
        "order": {
            "form": case_forms.ProtectionOrderForm, "fields": services.ORDER_FIELDS, "id": "order_id",
            "add": services.order_add, "update": services.order_update,
            "add_title": _("Record a protection order"), "edit_title": _("Edit the protection order"), "saved": _("The protection order was saved."),
        },
        "proceeding": {
            "form": case_forms.ProceedingForm, "fields": services.PROCEEDING_FIELDS, "id": "proceeding_id",
            "add": services.proceeding_add, "update": services.proceeding_update,
            "add_title": _("Record legal proceedings"), "edit_title": _("Edit the proceedings"), "saved": _("The proceedings were saved."),
        },
        "hearing": {
            "form": case_forms.HearingForm, "fields": services.HEARING_FIELDS, "id": "hearing_id",
            "add": services.hearing_add, "update": services.hearing_update,
            "add_title": _("Record a hearing"), "edit_title": _("Edit the hearing"), "saved": _("The hearing was saved."),
        },
    }
    return specs[kind]


def _justice_display(field, value):
    from django import forms as django_forms
    from django.utils import formats

    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, django_forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "year"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _justice_conflict(form, spec, saved):
    """Both versions, field by field: what she typed and what is saved now."""
    rows = []
    for name in spec["fields"]:
        field = form.fields[name]
        mine, theirs = form.cleaned_data.get(name), getattr(saved, name)
        if isinstance(mine, str):
            mine = mine.strip()
        rows.append(conflict_row(field.label, mine, theirs, show=lambda value, field=field: _justice_display(field, value)))
    return rows


def _justice_form_page(request, case, kind, *, obj=None, proceeding=None):
    spec = _justice_spec(kind)
    form_class = spec["form"]
    initial = None
    if obj is not None:
        initial = {name: getattr(obj, name) for name in spec["fields"]}
        initial["version"] = obj.version
    form = form_class(request.POST or None, initial=initial)
    conflict, error, status = None, None, 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            values = form.values()
            try:
                if obj is None:
                    extra = {"proceeding_id": proceeding.pk} if proceeding is not None else {}
                    spec["add"](by=request.user, case=case, **extra, **values)
                else:
                    version = form.cleaned_data.get("version")
                    if version is None:
                        raise StaleEdit(obj)
                    spec["update"](by=request.user, case=case, version=version, **{spec["id"]: obj.pk}, **values)
            except StaleEdit as exc:
                fresh = exc.current
                conflict = _justice_conflict(form, spec, fresh)
                # Her entries stay in the form; the fresh version lets her save them knowingly.
                post = request.POST.copy()
                post["version"] = str(fresh.version)
                form = form_class(post, initial=initial)
                form.is_valid()
                status = 409
            except services.CaseError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, spec["saved"])
                return redirect("cases:justice", pk=case.pk)
    if obj is not None:
        # The form shows what is recorded (notes, conditions, outcome): a reading of the case.
        services.case_record_view(by=request.user, case=case)
    return render(request, "cases/justice_form.html", {
        "case": case, "form": form, "kind": kind, "title": spec["edit_title"] if obj is not None else spec["add_title"],
        "obj": obj, "proceeding": proceeding, "conflict": conflict, "error": error,
    }, status=status)


@require_http_methods(["GET", "POST"])
def complaint_add(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return _justice_form_page(request, case, "complaint")


@require_http_methods(["GET", "POST"])
def complaint_edit(request, pk, complaint_id):
    case = selectors.case_get(user=request.user, pk=pk)
    return _justice_form_page(request, case, "complaint", obj=selectors.complaint_get(user=request.user, case=case, pk=complaint_id))


@require_http_methods(["GET", "POST"])
def order_add(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return _justice_form_page(request, case, "order")


@require_http_methods(["GET", "POST"])
def order_edit(request, pk, order_id):
    case = selectors.case_get(user=request.user, pk=pk)
    return _justice_form_page(request, case, "order", obj=selectors.order_get(user=request.user, case=case, pk=order_id))


@require_http_methods(["GET", "POST"])
def proceeding_add(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return _justice_form_page(request, case, "proceeding")


@require_http_methods(["GET", "POST"])
def proceeding_edit(request, pk, proceeding_id):
    case = selectors.case_get(user=request.user, pk=pk)
    return _justice_form_page(request, case, "proceeding", obj=selectors.proceeding_get(user=request.user, case=case, pk=proceeding_id))


@require_http_methods(["GET", "POST"])
def hearing_add(request, pk, proceeding_id):
    case = selectors.case_get(user=request.user, pk=pk)
    proceeding = selectors.proceeding_get(user=request.user, case=case, pk=proceeding_id)
    return _justice_form_page(request, case, "hearing", proceeding=proceeding)


@require_http_methods(["GET", "POST"])
def hearing_edit(request, pk, hearing_id):
    case = selectors.case_get(user=request.user, pk=pk)
    hearing = selectors.hearing_get(user=request.user, case=case, pk=hearing_id)
    return _justice_form_page(request, case, "hearing", obj=hearing, proceeding=selectors.proceeding_get(user=request.user, case=case, pk=hearing.proceeding_id))


# ---- individual needs assessment (Directive 2012/29/EU, Art. 22) --------------------------------

NEEDS_DRAFT = "needs_assessment"


def _needs_draft_initial(form):
    """A restored draft is shown as her entries, not as a failed submission: the bound draft
    form from draft_context becomes initial values (no error messages on opening)."""
    from django import forms as django_forms

    initial = {}
    for name, field in form.fields.items():
        if isinstance(field, django_forms.MultipleChoiceField):
            initial[name] = form.data.getlist(name)
        elif isinstance(field, django_forms.BooleanField):
            initial[name] = bool(form.data.get(name))
        elif name in form.data:
            initial[name] = form.data.get(name)
    return initial


def _needs_conflict(mine: dict, saved) -> list:
    """Her entries next to the assessment someone else recorded meanwhile (conflict.html rows)."""
    from rete.cases.forms import NEEDS_AREAS, needs_labels
    from rete.cases.models import AssessmentTrigger

    def trigger_label(value):
        return str(AssessmentTrigger(value).label) if value in AssessmentTrigger.values else ""

    def yes_no(value):
        return _("Yes") if value else _("No")

    saved_values = {}
    if saved is not None:
        saved_values = {"trigger": saved.trigger, "assessed_on": saved.assessed_on, "specific_protection_needs": saved.specific_protection_needs,
                        "summary": saved.summary, **{a.field: getattr(saved, a.field) or [] for a in NEEDS_AREAS},
                        **{a.notes: getattr(saved, a.notes) for a in NEEDS_AREAS}}
    rows = [
        (_("Why now"), trigger_label(mine["trigger"]), trigger_label(saved_values.get("trigger", ""))),
        (_("Assessed on"), mine["assessed_on"].isoformat(), saved_values["assessed_on"].isoformat() if saved_values else ""),
    ]
    for area in NEEDS_AREAS:
        rows.append((area.title, ", ".join(needs_labels(area, mine[area.field])), ", ".join(needs_labels(area, saved_values.get(area.field, [])))))
        rows.append((_("%(area)s: notes") % {"area": area.title}, mine[area.notes], saved_values.get(area.notes, "")))
    rows.append((_("Specific protection needs"), yes_no(mine["specific_protection_needs"]),
                 yes_no(saved_values.get("specific_protection_needs")) if saved_values else ""))
    rows.append((_("Summary"), mine["summary"], saved_values.get("summary", "")))
    return [conflict_row(label, m, s) for label, m, s in rows]


def _needs_started_from(request, case, latest):
    """The assessment her form was pre-filled from (its `based_on`), which may be older than
    the latest one if a colleague recorded another meanwhile."""
    from django.http import Http404

    try:
        number = int(request.POST.get("based_on", ""))
    except ValueError:
        return latest
    if latest is None or number == latest.number or number > latest.number:
        return latest
    if number <= 0:
        return None
    try:
        return selectors.needs_assessment_get(user=request.user, case=case, number=number)
    except Http404:
        return latest


@require_http_methods(["GET", "POST"])
def needs_assessment_add(request, pk):
    """Assess her needs (Art. 22), or redo the assessment when her circumstances change: a redo
    starts from her previous answers, and is a new assessment with the next number. The form is
    saved as a draft as she goes (with JavaScript) or with its "save as draft" button."""
    from rete.cases.forms import NeedsAssessmentForm, needs_initial_from

    case = selectors.case_get(user=request.user, pk=pk)
    previous = selectors.needs_assessment_latest(user=request.user, case=case)
    conflict = newer = None
    draft_saved_at = None
    draft_outdated = False
    status = 200
    if request.method == "POST":
        if "save_draft" in request.POST:
            services.draft_save(by=request.user, case=case, form=NEEDS_DRAFT, data={k: request.POST.getlist(k) for k in request.POST})
            messages.success(request, _("Your draft was saved. Open the needs assessment from the case page to finish it."))
            return redirect("cases:case_detail", pk=case.pk)
        # Her answers are checked against the assessment she started from; whether another was
        # recorded since is the service's question (a conflict, below).
        form = NeedsAssessmentForm(request.POST, previous=_needs_started_from(request, case, previous), first_contact=case.first_contact_at)
        if form.is_valid():
            try:
                assessment = services.needs_assessment_record(by=request.user, case=case, based_on=form.cleaned_data.get("based_on"), **form.values())
            except StaleEdit as exc:
                # Someone recorded an assessment after she opened this form: show it next to
                # hers; her entries stay, and saving again records hers after it.
                newer = exc.current
                conflict = _needs_conflict(form.values(), newer)
                post = request.POST.copy()
                post["based_on"] = str(newer.number if newer is not None else 0)
                previous = newer
                form = NeedsAssessmentForm(post, previous=previous, first_contact=case.first_contact_at)
                form.is_valid()
                services.case_record_view(by=request.user, case=case)
                status = 409
            except services.CaseError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("Needs assessment %(number)s was recorded.") % {"number": assessment.number})
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
    else:
        form, draft_saved_at = draft_context(request, case, NEEDS_DRAFT, NeedsAssessmentForm, initial=needs_initial_from(previous),
                                             previous=previous, first_contact=case.first_contact_at)
        if draft_saved_at:
            form = NeedsAssessmentForm(initial=_needs_draft_initial(form), previous=previous, first_contact=case.first_contact_at)
            draft_outdated = str(form.initial.get("based_on", "")) != str(previous.number if previous else 0)
        if previous is not None:
            # Her previous answers (notes included) are on the page: reading them is reading the case.
            services.case_record_view(by=request.user, case=case)
    return render(request, "cases/needs_assessment_form.html",
                  {"case": case, "form": form, "previous": previous, "conflict": conflict, "newer": newer,
                   "draft_saved_at": draft_saved_at, "draft_form": NEEDS_DRAFT, "draft_outdated": draft_outdated},
                  status=status)


def needs_assessment_detail(request, pk, needs_number):
    """One assessment in full, and what changed since the one before."""
    from rete.cases.forms import needs_areas_of, needs_changes

    case = selectors.case_get(user=request.user, pk=pk)
    assessment = selectors.needs_assessment_get(user=request.user, case=case, number=needs_number)
    previous = selectors.needs_assessment_previous(user=request.user, case=case, number=assessment.number)
    latest = selectors.needs_assessment_latest(user=request.user, case=case)
    services.case_record_view(by=request.user, case=case)
    return render(request, "cases/needs_assessment_detail.html", {
        "case": case, "assessment": assessment, "previous": previous, "latest": latest,
        "areas": needs_areas_of(assessment), "changes": needs_changes(previous, assessment) if previous else None,
        "outcome_changed": previous is not None and previous.specific_protection_needs != assessment.specific_protection_needs,
    })


def _needs_assessment_section(request, case) -> dict:
    """The case page's needs-assessment panel: two queries whatever the history."""
    from rete.cases.forms import NEEDS_AREAS, needs_labels

    assessments = selectors.needs_assessment_list(user=request.user, case=case)
    latest = assessments[0] if assessments else None
    areas = {area.field: area for area in NEEDS_AREAS}
    return {
        "needs_assessments": assessments,
        "needs_latest": latest,
        "needs_latest_measures": needs_labels(areas["special_measures"], latest.special_measures) if latest else [],
        "needs_latest_risks": needs_labels(areas["protection_needs"], latest.protection_needs) if latest else [],
        "needs_draft_saved_at": selectors.draft_saved_at(user=request.user, case=case, form=NEEDS_DRAFT),
    }


CASE_PAGE_SECTIONS.append(_needs_assessment_section)


# ---- information given (Art. 4) and the safety plan -------------------------------------------

from django.utils.translation import gettext_lazy  # noqa: E402

from rete.core.helplines import national_helplines  # noqa: E402

def _her_language(case) -> str:
    """The language documents for her are printed in: hers if the platform has it, else the
    organisation's first working language, else English."""
    choices = services.document_languages()
    if case.person.language in choices:
        return case.person.language
    first = (case.organisation.languages or [""])[0]
    return first if first in choices else "en"


def _document_language(request, case, default=None) -> str:
    """?lang= picks another of the five languages; anything else falls back to the default."""
    asked = request.GET.get("lang", "")
    return asked if asked in services.document_languages() else (default or _her_language(case))


@require_http_methods(["GET", "POST"])
def information_checklist(request, pk):
    """The Art. 4 checklist: what she was told, when, in which language and by whom; tick what
    was explained now."""
    from rete.cases.forms import InformationGivenForm

    case = selectors.case_get(user=request.user, pk=pk)
    language = _her_language(case)
    form = InformationGivenForm(request.POST if request.method == "POST" else None, initial={"language": language})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.information_record(by=request.user, case=case, **form.cleaned_data)
            except services.CaseError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The information given was recorded."))
                return redirect("cases:case_detail", pk=case.pk)
        status = 400
    services.case_record_view(by=request.user, case=case)
    ticked = set(form["items"].value() or ()) if form.is_bound else set()
    return render(request, "cases/information_checklist.html", {
        "case": case, "form": form, "rows": selectors.information_checklist(user=request.user, case=case),
        "ticked": ticked, "leaflet_language": language, "languages": services.document_languages(),
    }, status=status)


def information_leaflet(request, pk):
    """"Your rights as a victim of crime": a leaflet in her language to take home. It names the
    service and who printed it, never her."""
    from rete.core.documents import pdf_response, render_pdf

    case = selectors.case_get(user=request.user, pk=pk)
    language = _document_language(request, case)
    context = {
        "organisation": case.organisation,
        "helplines": national_helplines(case.organisation.country),
        "printed_by": request.user,
        "printed_at": timezone.localtime(),
    }
    content = render_pdf("cases/documents/information_leaflet.html", context, language=language)
    services.information_leaflet_printed(by=request.user, case=case, language=language)
    return pdf_response(content, f"rights-{language}.pdf")


def _safety_plan_initial(case, plan):
    from rete.cases.models import SAFETY_PLAN_SECTIONS

    if plan is None:
        return {"language": _her_language(case)}
    initial = {name: getattr(plan, name) for name in SAFETY_PLAN_SECTIONS}
    initial.update(version=plan.version, language=plan.language, next_review_on=plan.next_review_on)
    return initial


def _safety_plan_conflict(form, mine, saved):
    """Section by section: what she typed and what is stored now."""
    from rete.cases.models import SAFETY_PLAN_SECTIONS
    from rete.core.templatetags.rete import language_name

    def shown(name, value):
        if name == "language":
            return language_name(value) if value else ""
        if name == "next_review_on":
            from django.utils.formats import date_format

            return date_format(value, "SHORT_DATE_FORMAT") if value else ""
        return value or ""

    rows = []
    for name in ("language", *SAFETY_PLAN_SECTIONS, "next_review_on"):
        ours = mine.get(name)
        theirs = getattr(saved, name) if saved is not None else ""
        if name in SAFETY_PLAN_SECTIONS:
            ours = (ours or "").strip()
        rows.append(conflict_row(form.fields[name].label, ours, theirs, show=lambda value, name=name: shown(name, value)))
    return rows


def _safety_plan_page(request, case, *, plan, form, review_form=None, conflict=None, draft_saved_at=None, status=200):
    from rete.cases.forms import SafetyPlanReviewForm

    # The page shows her plan and the review notes: reading it is reading the case.
    services.case_record_view(by=request.user, case=case)
    language = plan.language if plan else _her_language(case)
    return render(request, "cases/safety_plan.html", {
        "case": case, "plan": plan, "form": form, "review_form": review_form or SafetyPlanReviewForm(),
        "reviews": selectors.safety_plan_reviews(user=request.user, case=case) if plan else [],
        "conflict": conflict, "conflict_saved_by": getattr(plan, "updated_by", None) if conflict else None,
        "draft_form": "safety_plan", "draft_saved_at": draft_saved_at, "pdf_language": language,
        "languages": services.document_languages(), "today": timezone.localdate(),
    }, status=status)


@require_http_methods(["GET", "POST"])
def safety_plan(request, pk):
    """Her safety plan, written with her section by section; kept as a server-side draft as it
    is typed; saved with optimistic locking (a stale save shows both versions)."""
    from rete.cases.forms import SafetyPlanForm

    case = selectors.case_get(user=request.user, pk=pk)
    plan = selectors.safety_plan_get(user=request.user, case=case)
    stored_next = plan.next_review_on if plan else None
    if request.method == "GET":
        form, saved_at = draft_context(request, case, "safety_plan", SafetyPlanForm, initial=_safety_plan_initial(case, plan),
                                       stored_next_review=stored_next)
        return _safety_plan_page(request, case, plan=plan, form=form, draft_saved_at=saved_at)
    if "save_draft" in request.POST:
        # Without JavaScript: the same server-side draft the autosave keeps.
        services.draft_save(by=request.user, case=case, form="safety_plan", data={k: request.POST.getlist(k) for k in request.POST})
        messages.success(request, _("Your draft was saved. Only you see it, until you save the plan or discard the draft."))
        return redirect("cases:safety_plan", pk=case.pk)
    form = SafetyPlanForm(request.POST, stored_next_review=stored_next)
    if not form.is_valid():
        return _safety_plan_page(request, case, plan=plan, form=form, status=400)
    try:
        plan, changed = services.safety_plan_save(by=request.user, case=case, **form.cleaned_data)
    except StaleEdit as exc:
        fresh = exc.current
        conflict = _safety_plan_conflict(form, form.cleaned_data, fresh)
        # Her entries stay in the form; the new version lets her save them knowingly.
        post = request.POST.copy()
        post["version"] = str(fresh.version) if fresh is not None else ""
        form = SafetyPlanForm(post, stored_next_review=fresh.next_review_on if fresh is not None else None)
        form.is_valid()
        plan = selectors.safety_plan_get(user=request.user, case=case)
        return _safety_plan_page(request, case, plan=plan, form=form, conflict=conflict, status=409)
    except services.CaseError as exc:
        form.add_error(None, exc.message)
        return _safety_plan_page(request, case, plan=plan, form=form, status=400)
    if changed:
        messages.success(request, _("The safety plan was saved."))
    else:
        messages.info(request, _("Nothing had changed in the safety plan."))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
def safety_plan_review(request, pk):
    from rete.cases.forms import SafetyPlanForm, SafetyPlanReviewForm

    case = selectors.case_get(user=request.user, pk=pk)
    review_form = SafetyPlanReviewForm(request.POST)
    if review_form.is_valid():
        try:
            services.safety_plan_review(by=request.user, case=case, **review_form.cleaned_data)
        except services.CaseError as exc:
            review_form.add_error(None, exc.message)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("cases:safety_plan", pk=case.pk)
    plan = selectors.safety_plan_get(user=request.user, case=case)
    form = SafetyPlanForm(initial=_safety_plan_initial(case, plan), stored_next_review=plan.next_review_on if plan else None)
    return _safety_plan_page(request, case, plan=plan, form=form, review_form=review_form, status=400)


def safety_plan_pdf(request, pk):
    """The plan on paper, disguised: no service, no name, no reference, a neutral title, file
    name and metadata. Who printed it, and when, is in the audit trail only."""
    from rete.core.documents import pdf_response, render_pdf

    case = selectors.case_get(user=request.user, pk=pk)
    plan = selectors.safety_plan_get(user=request.user, case=case)
    if plan is None:
        messages.info(request, _("There is no safety plan to print yet."))
        return redirect("cases:safety_plan", pk=case.pk)
    from rete.cases.models import SAFETY_PLAN_SECTIONS

    language = _document_language(request, case, default=plan.language)
    headings = {
        "safe_contacts": gettext_lazy("People to call"), "leaving_plan": gettext_lazy("If I need to leave"), "documents_bag": gettext_lazy("Things to take"),
        "children": gettext_lazy("Children"), "technology": gettext_lazy("Phone and internet"), "work": gettext_lazy("Work"), "after_separation": gettext_lazy("Afterwards"),
    }
    sections = [{"heading": headings[name], "text": getattr(plan, name)} for name in SAFETY_PLAN_SECTIONS]
    content = render_pdf("cases/documents/safety_plan.html", {"sections": sections}, language=language)
    services.safety_plan_printed(by=request.user, case=case, language=language)
    return pdf_response(content, "notes.pdf")


def _information_section(request, case) -> dict:
    rows = selectors.information_checklist(user=request.user, case=case)  # one query
    return {"information_rows": rows, "information_missing": [row for row in rows if row["latest"] is None],
            "information_language": _her_language(case)}


def _safety_plan_section(request, case) -> dict:
    plan = selectors.safety_plan_get(user=request.user, case=case)  # one query
    overdue = bool(plan and plan.next_review_on and plan.next_review_on < timezone.localdate())
    return {"safety_plan_record": plan, "safety_plan_overdue": overdue,
            "safety_plan_pdf_language": plan.language if plan else _her_language(case)}


CASE_PAGE_SECTIONS.append(_information_section)
CASE_PAGE_SECTIONS.append(_safety_plan_section)


# ---- support plan: needs and services ----------------------------------------------------------


def _support_plan_section(request, case) -> dict:
    """The support plan on the case page: one query."""
    rows = selectors.case_services(user=request.user, case=case)
    return {"support_services": rows, "support_overdue": sum(1 for row in rows if row.overdue)}


CASE_PAGE_SECTIONS.append(_support_plan_section)


def _referrals_section(request, case) -> dict:
    """The case's referrals to other organisations (part "referral-sender"): one query."""
    from rete.network.selectors.referrals import referrals_of_case

    return {"case_referrals": referrals_of_case(user=request.user, case=case)}


CASE_PAGE_SECTIONS.append(_referrals_section)


def _service_conflict(mine: dict, saved) -> list:
    """The two versions of a line of the plan, field by field, for includes/conflict.html."""
    from rete.cases.models import ServiceKind, ServiceStatus
    from rete.cases.services import SERVICE_FIELDS

    labels = {"need": _("The need"), "kind": _("Service"), "provider": _("Provider"), "status": _("Status"),
              "due_on": _("Due by"), "outcome": _("Outcome")}

    def shown(field, value):
        if value in (None, ""):
            return ""
        if field == "kind":
            return ServiceKind(value).label
        if field == "status":
            return ServiceStatus(value).label
        if field == "due_on":
            from django.utils.formats import date_format

            return date_format(value, "SHORT_DATE_FORMAT")
        return value

    rows = []
    for field in SERVICE_FIELDS:
        ours, theirs = mine.get(field), getattr(saved, field)
        ours = ours.strip() if isinstance(ours, str) else ours
        rows.append(conflict_row(labels[field], ours, theirs, show=lambda value, field=field: shown(field, value)))
    return rows


def _service_form_page(request, case, form, *, service=None, status=200, error=None, conflict=None):
    return render(request, "cases/service_form.html",
                  {"case": case, "form": form, "service": service, "error": error, "conflict": conflict}, status=status)


@require_http_methods(["GET", "POST"])
def service_add(request, pk):
    from rete.cases.forms import ServiceForm

    case = selectors.case_get(user=request.user, pk=pk)
    form = ServiceForm(request.POST or None, case=case)
    if request.method != "POST":
        return _service_form_page(request, case, form)
    if not form.is_valid():
        return _service_form_page(request, case, form, status=400)
    try:
        services.service_add(by=request.user, case=case, **form.values())
    except services.ServicePlanError as exc:
        form.add_error(exc.field, exc.message)
        return _service_form_page(request, case, form, status=400)
    except services.CaseError as exc:
        return _service_form_page(request, case, form, status=400, error=exc.message)
    messages.success(request, _("The service was added to the support plan."))
    return redirect("cases:case_detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
def service_edit(request, pk, service_id):
    """Update a line of the plan. The page shows the need and the outcome (her situation), so
    showing it is recorded as a reading of the case."""
    from rete.cases.forms import ServiceForm

    case = selectors.case_get(user=request.user, pk=pk)
    service = selectors.case_service_get(user=request.user, case=case, service_id=service_id)
    initial = {"version": service.version, "need": service.need, "kind": service.kind, "provider": service.provider,
               "status": service.status, "due_on": service.due_on, "outcome": service.outcome}
    form = ServiceForm(request.POST or None, initial=initial, case=case)
    status, error, conflict = 200, None, None
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not form.cleaned_data.get("version"):
            form.add_error(None, _("This form is incomplete: open the service again from the case page."))
            status = 400
        else:
            try:
                services.service_update(by=request.user, case=case, service_id=service.pk,
                                        version=form.cleaned_data["version"], **form.values())
            except StaleEdit as exc:
                fresh = exc.current
                conflict = _service_conflict(form.cleaned_data, fresh)
                # Her entries stay in the form; the saved version's number lets her save them
                # knowingly over the other change.
                post = request.POST.copy()
                post["version"] = str(fresh.version)
                form = ServiceForm(post, initial=initial, case=case)
                form.is_valid()
                service = selectors.case_service_get(user=request.user, case=case, service_id=service.pk)
                status = 409
            except services.ServicePlanError as exc:
                form.add_error(exc.field, exc.message)
                status = 400
            except services.CaseError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("The support plan was updated."))
                return redirect("cases:case_detail", pk=case.pk)
    services.case_record_view(by=request.user, case=case)
    return _service_form_page(request, case, form, service=service, status=status, error=error, conflict=conflict)


# ---- related people: children, dependants, the (alleged) perpetrator -----------------------


def _related_people_section(request, case) -> dict:
    """One query: every related person of the case, split for the page."""
    this_year = timezone.localdate().year
    people = selectors.related_people_list(user=request.user, case=case)
    for person in people:
        person.age_years = (this_year - person.birth_year) if person.birth_year else None
    current = [p for p in people if p.ended_at is None]
    return {
        "related_dependants": [p for p in current if p.kind != "perpetrator"],
        "related_perpetrators": [p for p in current if p.kind == "perpetrator"],
        "related_ended": [p for p in people if p.ended_at is not None],
        "related_weapons": any(p.kind == "perpetrator" and p.weapons_access == "yes" for p in current),
    }


CASE_PAGE_SECTIONS.append(_related_people_section)


def _related_kind(value):
    from rete.cases.models import RelatedKind

    try:
        return RelatedKind(value)
    except ValueError:
        return None


def _related_page(request, case, form, *, related=None, status=200, conflict=None, error=None, end_form=None):
    from rete.cases.forms import RelatedEndForm
    from rete.cases.models import RelatedKind

    if related is not None and related.ended_at is None and end_form is None:
        end_form = RelatedEndForm(initial={"version": related.version}, auto_id="end_%s")
    context = {"case": case, "form": form, "related": related, "kind": form.kind if form is not None else None,
               "kinds": RelatedKind.choices, "conflict": conflict, "error": error, "end_form": end_form}
    return render(request, "cases/related_person_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def related_add(request, pk):
    """Record a child, another dependant or the (alleged) perpetrator: ?kind=child|dependant|
    perpetrator chooses the questions. Without a kind, the page offers the three."""
    from rete.cases.forms import RelatedPersonForm

    case = selectors.case_get(user=request.user, pk=pk)
    kind = _related_kind(request.GET.get("kind", ""))
    if kind is None:
        status = 400 if request.GET.get("kind") or request.method == "POST" else 200
        error = _("Choose who you are recording.") if status == 400 else None
        return _related_page(request, case, None, status=status, error=error)
    form = RelatedPersonForm(request.POST or None, kind=kind)
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.related_person_add(by=request.user, case=case, kind=kind, **form.values())
            except services.CaseError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("%(kind)s recorded.") % {"kind": kind.label})
                return redirect("cases:case_detail", pk=case.pk)
        else:
            status = 400
    return _related_page(request, case, form, status=status, error=error)


def _related_conflict(form, mine, saved):
    rows = []
    mine_rows = form.display_values(mine)
    saved_rows = form.display_values({name: getattr(saved, name, None) for name in mine_rows})
    for name, (label, mine_value) in mine_rows.items():
        saved_value = saved_rows[name][1]
        rows.append(conflict_row(label, mine_value, saved_value))
    return rows


@require_http_methods(["GET", "POST"])
def related_edit(request, pk, related_id):
    from rete.cases.forms import RelatedPersonForm

    case = selectors.case_get(user=request.user, pk=pk)
    related = selectors.related_person_get(user=request.user, case=case, related_id=related_id)
    kind = _related_kind(related.kind)
    initial = {"version": related.version, **{name: getattr(related, name) for name in services.related_fields_for(kind)}}
    form = RelatedPersonForm(request.POST or None, kind=kind, initial=initial)
    status, error, conflict = 200, None, None
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not form.cleaned_data.get("version"):
            form.add_error(None, _("This form is incomplete: open it again from the case page."))
            status = 400
        else:
            try:
                services.related_person_update(by=request.user, case=case, related_id=related.pk,
                                               version=form.cleaned_data["version"], **form.values())
            except StaleEdit as exc:
                related = exc.current
                conflict = _related_conflict(form, form.values(), related)
                # Her entries stay; the saved version's number lets her save them knowingly.
                post = request.POST.copy()
                post["version"] = str(related.version)
                form = RelatedPersonForm(post, kind=kind, initial=initial)
                form.is_valid()
                status = 409
            except services.CaseError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("cases:case_detail", pk=case.pk)
    else:
        # The page shows the person's name and notes: reading it is reading the case.
        services.case_record_view(by=request.user, case=case)
    return _related_page(request, case, form, related=related, status=status, error=error, conflict=conflict)


@require_POST
def related_end(request, pk, related_id):
    from rete.cases.forms import RelatedEndForm, RelatedPersonForm

    case = selectors.case_get(user=request.user, pk=pk)
    related = selectors.related_person_get(user=request.user, case=case, related_id=related_id)
    form = RelatedEndForm(request.POST)
    kind = _related_kind(related.kind)

    def edit_form(obj):
        return RelatedPersonForm(kind=kind, initial={"version": obj.version, **{n: getattr(obj, n) for n in services.related_fields_for(kind)}})

    if not form.is_valid():
        return _related_page(request, case, edit_form(related), related=related, status=400,
                             error=_("This form is incomplete: open it again from the case page."))
    try:
        services.related_person_end(by=request.user, case=case, related_id=related.pk, version=form.cleaned_data["version"])
    except StaleEdit as exc:
        fresh = exc.current
        return _related_page(request, case, edit_form(fresh), related=fresh, status=409,
                             error=_("Someone else saved this record in the meantime. Nothing was changed: check the details below and try again."))
    except services.CaseError as exc:
        return _related_page(request, case, edit_form(related), related=related, status=400, error=exc.message)
    messages.success(request, _("%(kind)s marked as no longer part of her situation.") % {"kind": kind.label})
    return redirect("cases:case_detail", pk=case.pk)


# ---- documents -------------------------------------------------------------------------------


def _documents_section(request, case) -> dict:
    """One query, without the files' contents."""
    from rete.cases.forms import AttachmentRemoveForm

    return {"attachments": selectors.attachment_list(user=request.user, case=case), "attachment_remove_form": AttachmentRemoveForm()}


CASE_PAGE_SECTIONS.append(_documents_section)


def _attachment_page(request, case, form, *, status=200, error=None):
    from rete.cases import documents

    return render(request, "cases/attachment_form.html",
                  {"case": case, "form": form, "error": error, "max_size": documents.human_size(documents.max_bytes())}, status=status)


def _upload_view(view):
    """An upload page: the size is checked before the body is read (a request far beyond the
    limit gets a 413 page, not an error), files stay in memory up to the limit (no plaintext
    temporary file), and the CSRF check runs after the upload handler is in place."""
    import functools

    from django.views.decorators.csrf import csrf_exempt, csrf_protect

    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        from rete.cases import documents
        from rete.cases.forms import AttachmentForm

        case = selectors.case_get(user=request.user, pk=pk)
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > documents.max_bytes() + documents.REQUEST_MARGIN_BYTES:
                return _attachment_page(request, case, AttachmentForm(), status=413, error=documents.too_large_message())
            request.upload_handlers = [documents.CappedMemoryUploadHandler(request)]
        return protected(request, case, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_upload_view
def attachment_add(request, case):
    from rete.cases import documents
    from rete.cases.forms import AttachmentForm

    if request.method != "POST":
        return _attachment_page(request, case, AttachmentForm())
    form = AttachmentForm(request.POST, request.FILES)
    if getattr(request, "rete_upload_too_large", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", documents.too_large_message())
        return _attachment_page(request, case, form, status=400)
    if not form.is_valid():
        return _attachment_page(request, case, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        services.attachment_add(by=request.user, case=case, filename=upload.name, data=upload.read(),
                                description=form.cleaned_data["description"])
    except services.CaseError as exc:
        form.add_error("file", exc.message)
        return _attachment_page(request, case, form, status=400)
    messages.success(request, _("The document was added."))
    return redirect("cases:case_detail", pk=case.pk)


def attachment_download(request, pk, attachment_id):
    """Always a download, never shown in the browser; audited."""
    from django.http import HttpResponse

    from rete.cases import documents

    case = selectors.case_get(user=request.user, pk=pk)
    attachment = selectors.attachment_get(user=request.user, case=case, attachment_id=attachment_id, with_content=True)
    if attachment.removed_at is not None:
        access.deny()
    services.attachment_record_download(by=request.user, case=case, attachment=attachment)
    response = HttpResponse(bytes(attachment.content), content_type=documents.download_type(attachment.content_type))
    response["Content-Disposition"] = documents.content_disposition(attachment.filename)
    response["Content-Length"] = str(len(attachment.content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def attachment_remove(request, pk, attachment_id):
    from rete.cases.forms import AttachmentRemoveForm

    case = selectors.case_get(user=request.user, pk=pk)
    attachment = selectors.attachment_get(user=request.user, case=case, attachment_id=attachment_id)
    form = AttachmentRemoveForm({**request.POST.dict(), "attachment": attachment.pk})
    if not form.is_valid():
        return _case_page(request, case, status=400, error=_("Say why the document is removed."))
    try:
        services.attachment_remove(by=request.user, case=case, attachment_id=attachment.pk, reason=form.cleaned_data["reason"])
    except services.CaseError as exc:
        return _case_page(request, case, status=400, error=exc.message)
    messages.success(request, _("The document was removed. Its entry stays on the case."))
    return redirect("cases:case_detail", pk=case.pk)


# ---- her own details -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    from rete.cases.forms import PersonForm

    case = selectors.case_get(user=request.user, pk=pk)
    person = case.person
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    conflict, status = None, 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                _saved, changed = services.person_update(by=request.user, case=case, **{k: v for k, v in form.person_data().items()},
                                                          version=form.cleaned_data["version"])
            except StaleEdit as exc:
                fresh = exc.current
                conflict = _person_conflict(form, fresh)
                post = request.POST.copy()
                post["version"] = str(fresh.version)
                form = PersonForm(post, initial=PersonForm.initial_for(fresh))
                form.is_valid()
                status = 409
            else:
                messages.success(request, _("Her details were saved.") if changed else _("Nothing had changed in her details."))
                return redirect("cases:case_detail", pk=case.pk)
    # The form shows her details: opening it is reading the case.
    services.case_record_view(by=request.user, case=case)
    return render(request, "cases/person_form.html", {"case": case, "form": form, "conflict": conflict}, status=status)


def _person_conflict(form, saved):
    """Both versions, field by field, for the conflict panel."""
    rows = []
    mine = form.person_data()
    for name, value in mine.items():
        theirs = getattr(saved, name)
        rows.append(conflict_row(form.fields[name].label, value, theirs))
    return rows


# ---- risk assessment (rete.risk): the case's band, due reassessment, open actions, drafts ------


def _risk_section(request, case) -> dict:
    """The case page's risk panel through the risk app's selector: four queries whatever the
    number of assessments (the case was fetched for this user already)."""
    from rete.risk import selectors as risk_selectors
    from rete.risk.models import ReassessmentReason
    from rete.risk.services import OTHER_EVENTS

    data = risk_selectors.subject_risk(user=request.user, subject_type="case", subject_id=case.pk, subject=case)
    data["risk_event_choices"] = [(value, ReassessmentReason(value).label) for value in OTHER_EVENTS]
    return data


CASE_PAGE_SECTIONS.append(_risk_section)


# ---- safe contact: the intake queue of requests from the public portal ---------------------


def _contact_request_to_open(request):
    """The request a case is being opened from (?from_request=<id>), for her organisation only."""
    raw = request.GET.get("from_request")
    if not raw:
        return None
    if not raw.isdigit():
        access.deny()
    contact_request = selectors.contact_request_get(user=request.user, request_id=int(raw))
    if request.method == "GET":
        services.contact_request_record_view(by=request.user, request=contact_request)
    return contact_request


def _intake_initial_from_request(contact_request) -> dict:
    from django.utils import timezone as tz

    from rete.cases.models import ContactRoute, SafeToContact

    precautions = []
    if contact_request.other_contact:
        precautions.append(_("Other way to reach her: %s") % contact_request.other_contact)
    precautions.append(_("A message may be left.") if contact_request.leave_message else _("Do not leave a message or say who is calling."))
    return {
        "organisation": str(contact_request.organisation_id), "contact_route": ContactRoute.PORTAL,
        "first_contact_at": tz.localtime(contact_request.received_at).strftime("%Y-%m-%dT%H:%M"),
        "alias": contact_request.name_or_alias, "is_anonymous": not contact_request.name_or_alias,
        "safe_phone": contact_request.phone, "safe_times": contact_request.safe_times, "code_word": contact_request.code_word,
        "language": contact_request.language,
        "safe_to_contact": SafeToContact.YES if contact_request.safe_to_contact else SafeToContact.NO,
        "contact_precautions": "\n".join(str(p) for p in precautions),
    }


# ---- a case opened from a referral received (part "referral-receiver") ----------------------


def _referral_to_open(request):
    """The accepted referral a case is being opened from (?from_referral=<id>): one to her
    organisation (a case role there), accepted or answered, not linked to a case yet, its
    sharing not stopped; 404 otherwise."""
    from rete.network.models import ReferralStatus
    from rete.network.selectors.referrals import referral_get_for_receiver

    raw = request.GET.get("from_referral")
    if not raw:
        return None
    if not raw.isdigit():
        access.deny()
    referral = referral_get_for_receiver(user=request.user, referral_id=int(raw))
    if (referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED) or referral.receiver_case_id
            or referral.share_withdrawn_at or referral.consent_withdrawn_at):
        access.deny()
    return referral


# How she reached the receiver, from the kinds of the sending organisation.
_ROUTE_OF_KIND = {"police": "police", "social_service": "social_services", "health": "health", "helpline": "helpline"}


def _intake_initial_from_referral(referral) -> dict:
    """The intake pre-filled from the referral's package: her identity and safe contact when
    they were shared, the receiving organisation, the sender as the route."""
    from django.utils import timezone as tz

    from rete.cases.models import ContactRoute

    package = referral.package or {}
    kinds = referral.from_organisation.kinds or []
    route = next((_ROUTE_OF_KIND[k] for k in kinds if k in _ROUTE_OF_KIND), ContactRoute.OTHER_CENTRE)
    initial = {"organisation": str(referral.to_organisation_id), "contact_route": route,
               "first_contact_at": tz.localtime(referral.sent_at).strftime("%Y-%m-%dT%H:%M")}
    identity = package.get("identity") or {}
    for field in ("given_name", "family_name", "alias", "date_of_birth", "birth_year", "language", "interpreter_needed"):
        if identity.get(field) not in (None, ""):
            initial[field] = identity[field]
    contact = package.get("contact") or {}
    for field in ("safe_to_contact", "safe_phone", "safe_times", "code_word"):
        if contact.get(field) not in (None, ""):
            initial[field] = contact[field]
    if contact.get("precautions"):
        initial["contact_precautions"] = contact["precautions"]
    return initial


@require_http_methods(["GET"])
def contact_requests(request):
    queue = selectors.contact_request_queue(user=request.user)
    if queue is None:
        access.deny()
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "cases/contact_requests.html", {"page": page})


@require_http_methods(["GET", "POST"])
def contact_request_detail(request, request_id):
    from rete.cases.models import ContactRequestStatus

    contact_request = selectors.contact_request_get(user=request.user, request_id=request_id)
    if request.method == "POST":
        status = request.POST.get("status", "")
        if status not in ContactRequestStatus.values or status == ContactRequestStatus.NEW:
            return render(request, "cases/contact_request_detail.html",
                          {"contact_request": contact_request, "error": _("Choose one of the actions.")}, status=400)
        services.contact_request_update(by=request.user, request_id=contact_request.pk, status=status)
        messages.success(request, _("The request is now: %s.") % ContactRequestStatus(status).label)
        return redirect("cases:contact_request_detail", request_id=contact_request.pk)
    services.contact_request_record_view(by=request.user, request=contact_request)
    return render(request, "cases/contact_request_detail.html", {"contact_request": contact_request})


# ---- risk conferences (part "conference-case") -------------------------------------------------


def _conference_referrals_section(request, case) -> dict:
    """The case's referrals to risk conferences (rete.network): one query."""
    from rete.network.selectors.conferences import conference_referrals_of_case

    return {"case_conference_referrals": conference_referrals_of_case(user=request.user, case=case)}


CASE_PAGE_SECTIONS.append(_conference_referrals_section)
