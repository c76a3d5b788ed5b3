"""Groups (part "groups-sessions"): the list, a new group, a group's page with its facilitators,
the men placed in it and its sessions, and the changes to it. Who reaches what is decided by
rete.programmes.selectors.groups (404 out of reach). Changes to a group are for the programme's
coordinators; its schedule and sessions also for its facilitators. Actions answer POST only; a
refused one shows the page again with her entries and the reason (400), a stale edit both
versions (409)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.programmes.forms_groups import (
    WEEKDAYS,
    FacilitatorForm,
    GroupForm,
    MemberForm,
    MemberRemoveForm,
    SessionAddForm,
    man_label,
    schedule_words,
    user_label,
)
from rete.programmes.models import Group, GroupStatus, StageKind
from rete.programmes.selectors import groups as selectors
from rete.programmes.selectors import sessions as session_selectors
from rete.programmes.services import groups as services
from rete.programmes.services import sessions as session_services


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@require_safe
def group_list(request):
    rows = list(selectors.group_list(user=request.user, status=request.GET.get("status", "")))
    for group in rows:
        group.schedule = schedule_words(group)
    return render(request, "programmes/group_list.html", {
        "groups": rows, "may_add": bool(selectors.coordinated_organisations(user=request.user)),
        "statuses": GroupStatus.choices, "status": request.GET.get("status", "")})


def _form_page(request, form, *, group=None, status=200, conflict=None):
    return render(request, "programmes/group_form.html", {"form": form, "group": group, "conflict": conflict}, status=status)


@require_http_methods(["GET", "POST"])
def group_add(request):
    organisations = selectors.coordinated_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = GroupForm(request.POST or None, organisations=organisations,
                     initial={"stage_kind": StageKind.GROUP, "duration_minutes": 120, "capacity": 12,
                              "status": GroupStatus.PLANNED, "language": (organisations[0].languages or ["en"])[0]})
    if request.method != "POST":
        return _form_page(request, form)
    if form.is_valid() and form.organisation() is not None:
        try:
            group = services.group_create(by=request.user, organisation=form.organisation(), **form.values())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The group was created. Name its facilitators, then generate its schedule."))
            return redirect("programmes:group_detail", group_id=group.pk)
    return _form_page(request, form, status=400)


def _managed(request, group_id):
    group = selectors.group_get(user=request.user, pk=group_id)
    if not group.may_manage:
        access.deny()
    return group


@require_http_methods(["GET", "POST"])
def group_edit(request, group_id):
    group = _managed(request, group_id)
    if request.method != "POST":
        return _form_page(request, GroupForm(initial=GroupForm.initial_for(group), versioned=True), group=group)
    form = GroupForm(request.POST, versioned=True)
    if not form.is_valid():
        return _form_page(request, form, group=group, status=400)
    try:
        services.group_update(by=request.user, group=group, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = exc.current
        conflict = _group_conflict(form.values(), fresh)
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        form = GroupForm(post, versioned=True)
        form.is_valid()
        return _form_page(request, form, group=group, status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _form_page(request, form, group=group, status=400)
    messages.success(request, _("The group was updated."))
    return redirect("programmes:group_detail", group_id=group.pk)


def _group_conflict(mine: dict, fresh: Group) -> list[dict]:
    days = dict(WEEKDAYS)
    kinds = dict(StageKind.choices)
    statuses = dict(GroupStatus.choices)

    def show_days(value):
        return ", ".join(str(days.get(int(day), day)) for day in sorted(value or ()))

    rows = [
        conflict_row(_("Name"), mine["name"].strip(), fresh.name),
        conflict_row(_("Kind of group"), mine["stage_kind"], fresh.stage_kind, show=lambda v: kinds.get(v, v)),
        conflict_row(_("Meets on"), sorted(mine["weekdays"]), sorted(fresh.weekdays), show=show_days),
        conflict_row(_("Starts at"), mine["start_time"], fresh.start_time, show=lambda v: v.strftime("%H:%M") if v else ""),
        conflict_row(_("Length in minutes"), mine["duration_minutes"], fresh.duration_minutes),
        conflict_row(_("First session"), mine["starts_on"], fresh.starts_on),
        conflict_row(_("Last session"), mine["ends_on"], fresh.ends_on),
        conflict_row(_("Places"), mine["capacity"], fresh.capacity),
        conflict_row(_("Where"), mine["place"].strip(), fresh.place),
        conflict_row(_("Status"), mine["status"], fresh.status, show=lambda v: statuses.get(v, v)),
    ]
    return rows


def group_page(request, group, *, status=200, error=None, **forms):
    """The group's page (`forms`: a form with errors after a failed post, by its key)."""
    members = selectors.group_members(group=group)
    for member in members:
        member.label = man_label(member.enrolment)
    sessions = session_selectors.group_sessions(group=group)
    for facilitator in group.active_facilitators:
        facilitator.label = user_label(facilitator.user)
    context = {"group": group, "schedule": schedule_words(group), "members": members, "sessions": sessions,
               "places_left": max(group.capacity - len(members), 0), "error": error}
    if group.may_manage:
        context["facilitator_form"] = forms.get("facilitator_form") or FacilitatorForm(
            candidates=selectors.facilitator_candidates(group=group), auto_id="facilitator-%s")
        context["member_form"] = forms.get("member_form") or MemberForm(
            candidates=selectors.member_candidates(group=group), auto_id="member-%s")
        context["remove_form"] = MemberRemoveForm(auto_id=False)
    if group.may_run:
        context["session_form"] = forms.get("session_form") or SessionAddForm(
            initial={"time": group.start_time, "duration_minutes": group.duration_minutes}, auto_id="session-%s")
    return render(request, "programmes/group_detail.html", context, status=status)


@require_safe
def group_detail(request, group_id):
    group = selectors.group_get(user=request.user, pk=group_id)
    return group_page(request, group)


def _back(group, anchor=""):
    return redirect(reverse("programmes:group_detail", kwargs={"group_id": group.pk}) + anchor)


@require_POST
def group_facilitator_add(request, group_id):
    group = _managed(request, group_id)
    form = FacilitatorForm(request.POST, candidates=selectors.facilitator_candidates(group=group), auto_id="facilitator-%s")
    if form.is_valid():
        person = form.candidates.get(form.cleaned_data["user"])
        try:
            services.facilitator_add(by=request.user, group=group, user=person)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("%(name)s now facilitates the group.") % {"name": user_label(person)})
            return _back(group, "#facilitators-title")
    return group_page(request, group, status=400, facilitator_form=form)


@require_POST
def group_facilitator_end(request, group_id, group_facilitator_id):
    group = _managed(request, group_id)
    services.facilitator_end(by=request.user, group=group, facilitator_id=group_facilitator_id)
    messages.success(request, _("The facilitator no longer facilitates the group."))
    return _back(group, "#facilitators-title")


@require_POST
def group_member_add(request, group_id):
    group = _managed(request, group_id)
    form = MemberForm(request.POST, candidates=selectors.member_candidates(group=group), auto_id="member-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.member_place(by=request.user, group=group, enrolment=data["enrolment"], joined_on=data["joined_on"],
                                  start_now=data["start_now"], reason=data["reason"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("He was placed in the group."))
            return _back(group, "#members-title")
    return group_page(request, group, status=400, member_form=form)


@require_POST
def group_member_remove(request, group_id, group_member_id):
    group = _managed(request, group_id)
    form = MemberRemoveForm(request.POST, auto_id=False)
    if not form.is_valid():
        return group_page(request, group, status=400, error=_("Give the date he left the group."))
    try:
        services.member_remove(by=request.user, group=group, member_id=group_member_id, left_on=form.cleaned_data["left_on"])
    except ServiceError as exc:
        return group_page(request, group, status=400, error=exc.message)
    messages.success(request, _("He left the group."))
    return _back(group, "#members-title")


def _running(request, group_id):
    group = selectors.group_get(user=request.user, pk=group_id)
    if not group.may_run:
        access.deny()
    return group


@require_POST
def group_schedule_generate(request, group_id):
    group = _running(request, group_id)
    try:
        created = session_services.schedule_generate(by=request.user, group=group)
    except ServiceError as exc:
        return group_page(request, group, status=400, error=exc.message)
    if created:
        messages.success(request, _("%(count)d sessions were added to the schedule.") % {"count": len(created)})
    else:
        messages.info(request, _("The schedule was already complete: no session was added."))
    return _back(group, "#sessions-title")


@require_POST
def group_session_add(request, group_id):
    group = _running(request, group_id)
    form = SessionAddForm(request.POST, auto_id="session-%s")
    if form.is_valid():
        try:
            session = session_services.session_add(by=request.user, group=group, starts_at=form.starts_at(),
                                                   duration_minutes=form.cleaned_data["duration_minutes"],
                                                   topic=form.cleaned_data["topic"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The session was added."))
            return redirect("programmes:session_detail", session_id=session.pk)
    return group_page(request, group, status=400, session_form=form)
