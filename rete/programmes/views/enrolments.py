"""Enrolments (part "intake"): the list of the men she works with, the enquiry (first contact),
the enrolment's page with its header and first sections (about him, his state, the people
working with him), and the actions of his enrolment's life.

Who reaches what is decided by rete.programmes.selectors.enrolments: an enrolment out of her
reach is 404, like one that does not exist. Every showing of the enrolment's page is audited
(services.intake.enrolment_record_view). The actions answer POST only; a refused one shows the
page again with her entries and the reason (400), a stale one with both versions (409)."""
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import pathways
from rete.programmes import states as state_rules
from rete.programmes.forms_intake import (
    EnquiryForm,
    EnrolmentFilterForm,
    InformationContactForm,
    OwnRequestForm,
    ParticipantForm,
    StaffAssignForm,
    TransitionForm,
    language_label,
)
from rete.programmes.models import COURT_SOURCES, EnrolmentState
from rete.programmes.selectors import enrolments as selectors
from rete.programmes.selectors import intake as intake_selectors
from rete.programmes.services import enrolments as services
from rete.programmes.services import intake as intake_services
from rete.programmes.views.sections import register_section, sections_for

ABOUT, STATE, STAFF = "about", "state", "staff"
PAGE_SIZE = 50


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _stage_name(enrolment) -> str:
    """The name of his pathway stage (no query: the pathway version came with the enrolment)."""
    if not enrolment.stage:
        return ""
    version = enrolment.pathway_version if enrolment.pathway_version_id else None
    found = pathways.stage(version.stages if version is not None else (), enrolment.stage)
    return found["name"] if found else enrolment.stage


def _to_detail(enrolment, anchor=""):
    return redirect(reverse("programmes:enrolment_detail", kwargs={"enrolment_id": enrolment.pk}) + anchor)


# ---- the list ----------------------------------------------------------------------------------


@require_safe
def enrolment_list(request):
    form = EnrolmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    state, query, mine = filters.get("state", ""), filters.get("q", ""), bool(filters.get("mine"))
    rows = intake_selectors.enrolment_rows(user=request.user, state=state, query=query, mine_only=mine)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for enrolment in page.object_list:
        enrolment.stage_name = _stage_name(enrolment)
    counts = intake_selectors.enrolment_state_counts(user=request.user, query=query, mine_only=mine)
    base = {k: v for k, v in (("q", query), ("mine", "on" if mine else "")) if v}
    summary = [{"state": code, "label": label, "count": counts[code], "current": state == code,
                "query": urlencode({**base, "state": code})}
               for code, label in EnrolmentState.choices if counts.get(code)]
    return render(request, "programmes/enrolment_list.html", {
        "form": form, "page": page, "summary": summary, "state": state,
        "open_total": sum(n for code, n in counts.items() if code in state_rules.OPEN),
        "all_total": sum(counts.values()), "open_query": urlencode(base),
        "querystring": urlencode({**base, **({"state": state} if state else {})}),
    })


# ---- the enquiry -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enquiry(request):
    organisations = selectors.programme_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = EnquiryForm(request.POST or None, organisations=organisations, auto_id="enquiry-%s")
    duplicates, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            organisation = form.chosen_organisation()
            person = form.participant_data()
            duplicates = intake_selectors.enquiry_duplicates(
                user=request.user, organisation=organisation, given_name=person["given_name"],
                family_name=person["family_name"], birth_year=person["birth_year"], phone=person["phone"])
            if not duplicates or form.cleaned_data["confirm_new"]:
                try:
                    enrolment = services.enquiry_record(by=request.user, organisation=organisation, participant=person,
                                                        **form.enquiry_data())
                except ServiceError as exc:
                    _add_error(form, exc)
                else:
                    messages.success(request, _("The enquiry was recorded as %(reference)s.") % {"reference": enrolment.reference})
                    return _to_detail(enrolment)
        status = 400 if form.errors else 200
    return render(request, "programmes/enquiry.html", {"form": form, "duplicates": duplicates}, status=status)


# ---- the enrolment's page ----------------------------------------------------------------------


def enrolment_page(request, enrolment, *, status=200, **extra):
    """The enrolment's page: its header and every section (`extra` per section key). Showing it
    is reading his record: each showing leaves one audit event."""
    intake_services.enrolment_record_view(by=request.user, enrolment=enrolment)
    sections = sections_for(request, enrolment, **extra)
    for section in sections:
        # Rendered one by one: a template variable named `context` cannot be passed through
        # {% include ... with %} (Django reserves that name there).
        section["html"] = render_to_string(section["template"], {
            "enrolment": enrolment, "participant": enrolment.participant, "context": section["context"]}, request)
    return render(request, "programmes/enrolment_detail.html",
                  {"enrolment": enrolment, "participant": enrolment.participant, "stage_name": _stage_name(enrolment),
                   "sections": sections}, status=status)


@require_safe
def enrolment_detail(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    return enrolment_page(request, enrolment)


def _about_section(request, enrolment) -> dict:
    """About him: his details, who sent him, his own request and the information contact (no
    query: the participant came with the enrolment)."""
    return {
        "language": language_label(enrolment.participant.language),
        "date_of_birth": ParticipantForm.initial_for(enrolment.participant)["date_of_birth"],
        "own_request_form": OwnRequestForm(initial={"version": enrolment.version, "own_request_on": enrolment.own_request_on,
                                                    "own_request_note": enrolment.own_request_note},
                                           auto_id="own-request-%s"),
        "information_form": InformationContactForm(initial={"version": enrolment.version,
                                                            "information_contact_on": enrolment.information_contact_on},
                                                   auto_id="information-%s"),
        "is_court": enrolment.source in COURT_SOURCES,
    }


def _state_section(request, enrolment) -> dict:
    """His state: the dates, the change of state and its history (one query)."""
    form = TransitionForm(from_state=enrolment.state, initial={"version": enrolment.version}, auto_id="transition-%s")
    return {
        "history": intake_selectors.state_history(enrolment=enrolment),
        "transition_form": form if form.offered else None,
        "stage_name": _stage_name(enrolment),
        "needs_own_request": enrolment.own_request_on is None and EnrolmentState.ASSESSING in form.offered,
        "decision_pending": enrolment.state == EnrolmentState.ASSESSING,
    }


def _staff_section(request, enrolment) -> dict:
    """The people working with him, and whom she may add (two queries)."""
    staff = selectors.enrolment_staff(enrolment=enrolment)
    working = {row.user_id for row in staff}
    candidates = [u for u in selectors.staff_choices(organisation_id=enrolment.organisation_id) if u.pk not in working]
    return {"staff": staff, "assign_form": StaffAssignForm(candidates=candidates, auto_id="staff-%s") if candidates else None}


register_section(ABOUT, order=10, template="programmes/intake_section_about.html", context=_about_section)
register_section(STATE, order=20, template="programmes/intake_section_state.html", context=_state_section)
register_section(STAFF, order=30, template="programmes/intake_section_staff.html", context=_staff_section)


# ---- his details -------------------------------------------------------------------------------


def _participant_conflict(form, saved) -> list:
    mine = form.participant_data()
    rows = []
    for name in ParticipantForm.PARTICIPANT_FIELDS:
        show = None
        if name == "language":
            show = language_label
        elif name == "interpreter_needed":
            show = lambda value: _("yes") if value else _("no")  # noqa: E731
        rows.append(conflict_row(form.fields[name].label, mine[name], getattr(saved, name), show=show))
    return rows


@require_http_methods(["GET", "POST"])
def participant_edit(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    person = enrolment.participant
    form = ParticipantForm(request.POST or None, initial=ParticipantForm.initial_for(person), auto_id="participant-%s")
    conflict, status = None, 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                services.participant_update(by=request.user, enrolment=enrolment, version=form.cleaned_data["version"],
                                            **form.participant_data())
            except StaleEdit as exc:
                fresh = exc.current
                conflict = _participant_conflict(form, fresh)
                post = request.POST.copy()
                post["version"] = str(fresh.version)
                form = ParticipantForm(post, auto_id="participant-%s")
                form.is_valid()
                status = 409
            except ServiceError as exc:
                _add_error(form, exc)
                status = 400
            else:
                messages.success(request, _("His details were saved."))
                return _to_detail(enrolment, "#intake-about-title")
    # The form shows his details: opening it is reading his record.
    intake_services.enrolment_record_view(by=request.user, enrolment=enrolment)
    return render(request, "programmes/intake_participant_form.html",
                  {"enrolment": enrolment, "form": form, "conflict": conflict}, status=status)


# ---- the actions on the page --------------------------------------------------------------------


def _section_action(request, enrolment_id, *, section, form_key, form_factory, save, conflict_rows, done):
    """A form of one section posted: 400 with her entries when refused, 409 with both versions
    when the enrolment changed since she opened the page, back to the page when saved."""
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    form = form_factory(enrolment, request.POST)
    if not form.is_valid():
        return enrolment_page(request, enrolment, status=400, **{section: {form_key: form, "open": form_key}})
    try:
        save(enrolment, form.cleaned_data)
    except StaleEdit:
        fresh = selectors.enrolment_get(user=request.user, pk=enrolment_id)
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        stale_form = form_factory(fresh, post)
        stale_form.is_valid()
        return enrolment_page(request, fresh, status=409, **{section: {
            form_key: stale_form, "open": form_key, "conflict": conflict_rows(form.cleaned_data, fresh)}})
    except ServiceError as exc:
        _add_error(form, exc)
        return enrolment_page(request, enrolment, status=400, **{section: {form_key: form, "open": form_key}})
    messages.success(request, done)
    return _to_detail(enrolment, f"#intake-{section}-title")


@require_POST
def own_request_record(request, enrolment_id):
    def conflict(data, saved):
        return [conflict_row(_("His own request, on"), data["own_request_on"], saved.own_request_on),
                conflict_row(_("His request in his own words"), data["own_request_note"].strip(), saved.own_request_note)]

    return _section_action(
        request, enrolment_id, section=ABOUT, form_key="own_request_form",
        form_factory=lambda enrolment, data: OwnRequestForm(data, auto_id="own-request-%s"),
        save=lambda enrolment, data: services.own_request_record(by=request.user, enrolment=enrolment, on=data["own_request_on"],
                                                                 note=data["own_request_note"], version=data["version"]),
        conflict_rows=conflict, done=_("His own request was recorded."))


@require_POST
def information_contact_record(request, enrolment_id):
    def conflict(data, saved):
        return [conflict_row(_("Information contact held on"), data["information_contact_on"], saved.information_contact_on)]

    return _section_action(
        request, enrolment_id, section=ABOUT, form_key="information_form",
        form_factory=lambda enrolment, data: InformationContactForm(data, auto_id="information-%s"),
        save=lambda enrolment, data: services.information_contact_record(
            by=request.user, enrolment=enrolment, on=data["information_contact_on"], version=data["version"]),
        conflict_rows=conflict, done=_("The information contact was recorded."))


@require_POST
def enrolment_transition(request, enrolment_id):
    labels = dict(EnrolmentState.choices)

    def conflict(data, saved):
        # Hers: the state she chose; saved: the state he is in now (someone changed it meanwhile).
        return [conflict_row(_("State"), labels.get(data["to_state"], ""), saved.get_state_display())]

    return _section_action(
        request, enrolment_id, section=STATE, form_key="transition_form",
        form_factory=lambda enrolment, data: TransitionForm(data, from_state=enrolment.state, auto_id="transition-%s"),
        save=lambda enrolment, data: services.enrolment_transition(by=request.user, enrolment=enrolment, to_state=data["to_state"],
                                                                   reason=data["reason"], version=data["version"]),
        conflict_rows=conflict, done=_("His state was changed."))


@require_POST
def enrolment_staff_assign(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    working = {row.user_id for row in selectors.enrolment_staff(enrolment=enrolment)}
    candidates = [u for u in selectors.staff_choices(organisation_id=enrolment.organisation_id) if u.pk not in working]
    form = StaffAssignForm(request.POST, candidates=candidates, auto_id="staff-%s")
    if form.is_valid():
        try:
            services.staff_assign(by=request.user, enrolment=enrolment, user=form.chosen_user(), role=form.cleaned_data["role"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            chosen = form.chosen_user()
            messages.success(request, _("%(name)s now works with him.") % {"name": chosen.get_full_name() or chosen.email})
            return _to_detail(enrolment, "#intake-staff-title")
    return enrolment_page(request, enrolment, status=400, **{STAFF: {"assign_form": form}})


@require_POST
def enrolment_staff_end(request, enrolment_id, enrolment_staff_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    try:
        services.staff_end(by=request.user, enrolment=enrolment, staff_id=enrolment_staff_id)
    except ServiceError as exc:
        return enrolment_page(request, enrolment, status=400, **{STAFF: {"error": exc.message}})
    messages.success(request, _("That person no longer works with him."))
    return _to_detail(enrolment, "#intake-staff-title")
