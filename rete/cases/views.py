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
from rete.core.services import StaleEdit


def caseload(request):
    if not selectors.case_organisations(user=request.user):
        access.deny()
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scope = request.GET.get("scope", "mine")
    supervises = bool(selectors.oversight_organisations(user=request.user))
    cases = selectors.case_list(user=request.user, mine_only=scope not in ("all", "team"), status=filters.get("status", ""), query=filters.get("q", ""),
                                oversight=scope == "team" and supervises)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = {"scope": scope, **{k: v for k, v in filters.items() if v}}
    return render(request, "cases/caseload.html", {"form": form, "page": page, "scope": scope, "querystring": urlencode(query),
                                                   "supervises": supervises})


@require_http_methods(["GET", "POST"])
def intake(request):
    organisations = selectors.case_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = IntakeForm(request.POST or None, organisations=organisations)
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
