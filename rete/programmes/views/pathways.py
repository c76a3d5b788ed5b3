"""Pathways (part "pathways"): the list, a new pathway, a version's page (its stages, attendance
rules in plain words and notifications, how many men are on it) and the editing of a DRAFT
version by the programme's coordinators: its details, stages (add, change, remove, move),
attendance rules and notifications; then publishing, retiring and starting a new version.
Reads go through selectors/pathways.py (404 for anything out of reach), writes through
services/pathways.py."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import pathways
from rete.programmes.forms_pathways import (
    DescribeForm,
    NotificationsForm,
    PathwayAddForm,
    RulesForm,
    StageForm,
    VersionTokenForm,
)
from rete.programmes.models import PathwayStatus, StageKind
from rete.programmes.selectors import pathways as selectors
from rete.programmes.services import pathways as services


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _version_url(version, anchor=""):
    url = reverse("programmes:pathway_version_detail", kwargs={"pathway_version_id": version.pk})
    return url + (f"#{anchor}" if anchor else "")


def _kind_label(kind) -> str:
    return dict(StageKind.choices).get(kind, kind or "—")


# ---- the rules in plain words ---------------------------------------------------------------------

def rules_in_words(rules) -> list[str]:
    """What a version's attendance rules mean, one sentence each."""
    rules = {**pathways.DEFAULT_RULES, **(rules or {})}

    def n(name):
        try:
            return int(rules.get(name) or 0)
        except (TypeError, ValueError):
            return 0

    said = []
    warning, non_compliance = n("warning_after_absences"), n("non_compliance_after_absences")
    if warning:
        said.append(ngettext("After %(count)d absence that counts, he gets a warning.",
                             "After %(count)d absences that count, he gets a warning.", warning) % {"count": warning})
    else:
        said.append(_("No warning for the number of absences."))
    if non_compliance:
        said.append(ngettext("After %(count)d absence that counts, he is non-compliant.",
                             "After %(count)d absences that count, he is non-compliant.", non_compliance)
                    % {"count": non_compliance})
    else:
        said.append(_("The number of absences alone never makes him non-compliant."))
    in_a_row = n("max_consecutive_absences")
    if in_a_row:
        said.append(ngettext("Missing %(count)d session in a row (absences that count) is non-compliance.",
                             "Missing %(count)d sessions in a row (absences that count) is non-compliance.", in_a_row)
                    % {"count": in_a_row})
    lates = n("lates_per_absence")
    if lates:
        said.append(ngettext("Every late arrival counts as one absence.",
                             "Every %(count)d late arrivals count as one absence.", lates) % {"count": lates})
    else:
        said.append(_("Late arrivals never count as absences."))
    excusable = [str(pathways.EXCUSES[code]) for code in pathways.EXCUSES if code in (rules.get("excusable") or ())]
    allowed = n("max_excused_absences")
    if excusable:
        reasons = ", ".join(excusable)
        if allowed:
            said.append(ngettext("These reasons excuse an absence: %(reasons)s. Up to %(count)d excused absence does "
                                 "not count; beyond that, an excused absence counts like any other.",
                                 "These reasons excuse an absence: %(reasons)s. Up to %(count)d excused absences do "
                                 "not count; beyond that, an excused absence counts like any other.", allowed)
                        % {"reasons": reasons, "count": allowed})
        else:
            said.append(_("These reasons excuse an absence: %(reasons)s. Excused absences never count, however "
                          "many there are.") % {"reasons": reasons})
    else:
        said.append(_("No reason excuses an absence: every absence counts."))
    days = n("make_up_within_days")
    if days:
        said.append(ngettext("An absence made up by another session within %(count)d day counts as attended.",
                             "An absence made up by another session within %(count)d days counts as attended.", days)
                    % {"count": days})
    else:
        said.append(_("Absences cannot be made up."))
    o_warning, o_non_compliance = n("oppositional_warning_after"), n("oppositional_non_compliance_after")
    if o_warning:
        said.append(ngettext("Attending %(count)d session with an oppositional attitude brings a warning.",
                             "Attending %(count)d sessions with an oppositional attitude brings a warning.", o_warning)
                    % {"count": o_warning})
    if o_non_compliance:
        said.append(ngettext("Attending %(count)d session with an oppositional attitude is non-compliance: being "
                             "there while refusing to take part is not compliance.",
                             "Attending %(count)d sessions with an oppositional attitude is non-compliance: being "
                             "there while refusing to take part is not compliance.", o_non_compliance)
                    % {"count": o_non_compliance})
    if not o_warning and not o_non_compliance:
        said.append(_("His attitude in sessions does not by itself bring a warning or non-compliance."))
    weekly = n("sessions_per_week")
    if weekly:
        said.append(ngettext("Each complete week he must attend at least %(count)d session (or every session "
                             "offered, if fewer); a week that falls short is a warning. A court order asking for "
                             "more prevails.",
                             "Each complete week he must attend at least %(count)d sessions (or every session "
                             "offered, if fewer); a week that falls short is a warning. A court order asking for "
                             "more prevails.", weekly) % {"count": weekly})
    else:
        said.append(_("No weekly attendance rule of the pathway's own; a court order's weekly frequency still "
                      "applies to the men it concerns."))
    return said


def _notification_rows(notifications) -> list[dict]:
    rows = []
    for event, label in pathways.NOTIFICATION_EVENTS.items():
        told = pathways.notified(notifications, event)
        rows.append({"event": event, "label": label,
                     "cells": [{"target": target, "told": target in told,
                                "always": target == "partner" and event in pathways.PARTNER_ALWAYS,
                                "never": target == "court" and event not in pathways.COURT_REPORT_FOR}
                               for target in pathways.TARGETS]})
    return rows


def _problem_rows(problems, stages) -> list[dict]:
    labels = {name: RulesForm.base_fields[name].label for name in pathways.DEFAULT_RULES}
    rows = []
    for where, found in problems.items():
        if where.startswith("stages."):
            index = int(where.split(".")[1])
            item = stages[index] if index < len(stages) and isinstance(stages[index], dict) else {}
            label = _("Stage %(number)d (%(name)s)") % {"number": index + 1, "name": item.get("name") or item.get("code") or "—"}
        elif where.startswith("rules."):
            label = _("Attendance rules: %(rule)s") % {"rule": labels.get(where[6:], where[6:])}
        elif where == "stages":
            label = _("Stages")
        elif where == "rules":
            label = _("Attendance rules")
        else:
            label = _("Notifications")
        rows.append({"where": label, "messages": found})
    return rows


# ---- reading -------------------------------------------------------------------------------------------

@require_safe
def pathway_list(request):
    rows = selectors.pathway_list(user=request.user)
    return render(request, "programmes/pathway_list.html", {
        "pathways": rows, "may_add": selectors.may_coordinate(user=request.user),
    })


def _version_page(request, version, *, status=200, problems=None, conflict=None, error=None):
    stages = version.stages if isinstance(version.stages, list) else []
    versions = selectors.pathway_versions(user=request.user, pathway=version.pathway)
    coordinator = selectors.can_coordinate(user=request.user, pathway=version.pathway)
    return render(request, "programmes/pathway_version.html", {
        "version": version, "pathway": version.pathway,
        "editable": selectors.can_edit(user=request.user, version=version), "coordinator": coordinator,
        "stages": [{"item": item, "number": index + 1, "kind": _kind_label(item.get("kind")),
                    "first": index == 0, "last": index == len(stages) - 1}
                   for index, item in enumerate(item for item in stages if isinstance(item, dict))],
        "rules_in_words": rules_in_words(version.rules), "excuses": pathways.EXCUSES,
        "notifications": _notification_rows(version.notifications), "targets": pathways.TARGETS,
        "versions": versions, "has_draft": any(v.status == PathwayStatus.DRAFT for v in versions),
        "problems": _problem_rows(problems, stages) if problems else None, "conflict": conflict, "error": error,
        "token_form": VersionTokenForm(initial={"version": version.version}, auto_id=False),
    }, status=status)


@require_safe
def pathway_version_detail(request, pathway_version_id):
    version = selectors.version_get(user=request.user, pk=pathway_version_id)
    return _version_page(request, version)


# ---- a new pathway -------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def pathway_add(request):
    organisations = selectors.coordinating_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = PathwayAddForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.pathway_create(by=request.user, organisation=form.organisations.get(data["organisation"]),
                                                  name=data["name"], description=data["description"],
                                                  from_defaults=data["from_defaults"])
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The pathway was created. Its version 1 is a draft: set its stages, "
                                            "attendance rules and notifications, then publish it."))
                return redirect(_version_url(version))
        return render(request, "programmes/pathway_add.html", {"form": form}, status=400)
    return render(request, "programmes/pathway_add.html", {"form": form})


# ---- editing a draft -----------------------------------------------------------------------------------

def _edit_page(request, template, version, *, form, status=200, conflict=None, **extra):
    return render(request, template, {"version": version, "pathway": version.pathway, "form": form,
                                      "conflict": conflict, **extra}, status=status)


def _stale(request, form_class, exc, **form_kwargs):
    """The form again, with her entries and the saved version's token (to save them anyway)."""
    post = request.POST.copy()
    post["version"] = str(exc.current.version)
    form = form_class(post, **form_kwargs)
    form.is_valid()
    return form


@require_http_methods(["GET", "POST"])
def pathway_version_describe(request, pathway_draft_id):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    template = "programmes/pathway_describe.html"
    if request.method == "GET":
        form = DescribeForm(initial={"version": version.version, "name": version.pathway.name,
                                     "description": version.description})
        return _edit_page(request, template, version, form=form)
    form = DescribeForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, template, version, form=form, status=400)
    data = form.cleaned_data
    try:
        services.version_describe(by=request.user, version=version, version_token=data["version"], name=data["name"],
                                  description=data["description"])
    except StaleEdit as exc:
        saved = selectors.version_for_edit(user=request.user, pk=version.pk)
        conflict = [conflict_row(form.fields["name"].label, data["name"].strip(), saved.pathway.name),
                    conflict_row(form.fields["description"].label, data["description"].strip(), saved.description)]
        return _edit_page(request, template, saved, form=_stale(request, DescribeForm, exc), status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, template, version, form=form, status=400)
    messages.success(request, _("The pathway's details were saved."))
    return redirect(_version_url(version))


def _stage_conflict(form, mine: dict, saved_stage):
    saved_stage = saved_stage or {}
    return [conflict_row(form.fields[name].label, mine.get(name), saved_stage.get(name),
                         show=(_kind_label if name == "kind" else None))
            for name in StageForm.FIELDS]


def _stage_view(request, version, *, code):
    template = "programmes/pathway_stage_form.html"
    stage = pathways.stage(version.stages, code) if code is not None else None
    if code is not None and stage is None:
        access.deny()
    if request.method == "GET":
        initial = {"version": version.version, **(stage or {"min_sessions": 0, "min_hours": 0})}
        return _edit_page(request, template, version, form=StageForm(initial=initial), stage=stage)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, template, version, form=form, status=400, stage=stage)
    data = form.cleaned_data
    values = {name: data[name] for name in StageForm.FIELDS}
    try:
        services.stage_save(by=request.user, version=version, version_token=data["version"], values=values, code=code)
    except StaleEdit as exc:
        saved = selectors.version_for_edit(user=request.user, pk=version.pk)
        saved_stage = pathways.stage(saved.stages, code) if code is not None else None
        conflict = _stage_conflict(form, values, saved_stage)
        return _edit_page(request, template, saved, form=_stale(request, StageForm, exc), status=409, conflict=conflict,
                          stage=stage)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, template, version, form=form, status=400, stage=stage)
    messages.success(request, _("The stage was saved."))
    return redirect(_version_url(version, "stages"))


@require_http_methods(["GET", "POST"])
def pathway_stage_add(request, pathway_draft_id):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    return _stage_view(request, version, code=None)


@require_http_methods(["GET", "POST"])
def pathway_stage_edit(request, pathway_draft_id, stage_code):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    return _stage_view(request, version, code=stage_code)


def _stages_text(stages) -> str:
    return ", ".join(str(item.get("name") or item.get("code")) for item in stages or () if isinstance(item, dict))


def _stage_action(request, version, *, code, act, done):
    """Remove or move a stage: a stale one shows the saved order beside what she asked."""
    stage = pathways.stage(version.stages, code) or {"code": code}
    form = VersionTokenForm(request.POST)
    if not form.is_valid():
        return _version_page(request, version, status=400, error=_("The page was out of date: try again."))
    try:
        act(form.cleaned_data["version"])
    except StaleEdit:
        saved = selectors.version_for_edit(user=request.user, pk=version.pk)
        conflict = [conflict_row(_("Stages"), done(stage), _stages_text(saved.stages))]
        return _version_page(request, saved, status=409, conflict=conflict)
    except ServiceError as exc:
        return _version_page(request, version, status=400, error=exc.message)
    return redirect(_version_url(version, "stages"))


@require_POST
def pathway_stage_remove(request, pathway_draft_id, stage_code):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)

    def act(token):
        services.stage_remove(by=request.user, version=version, version_token=token, code=stage_code)
        messages.success(request, _("The stage was removed."))

    return _stage_action(request, version, code=stage_code, act=act,
                         done=lambda stage: _("Remove “%(name)s”") % {"name": stage.get("name") or stage_code})


@require_POST
def pathway_stage_move(request, pathway_draft_id, stage_code):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    direction = request.POST.get("direction", "")

    def act(token):
        services.stage_move(by=request.user, version=version, version_token=token, code=stage_code, direction=direction)

    def done(stage):
        name = stage.get("name") or stage_code
        return (_("Move “%(name)s” up") if direction == "up" else _("Move “%(name)s” down")) % {"name": name}

    return _stage_action(request, version, code=stage_code, act=act, done=done)


@require_http_methods(["GET", "POST"])
def pathway_version_rules(request, pathway_draft_id):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    template = "programmes/pathway_rules_form.html"
    if request.method == "GET":
        return _edit_page(request, template, version, form=RulesForm(initial=RulesForm.initial_for(version)))
    form = RulesForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, template, version, form=form, status=400)
    try:
        services.rules_save(by=request.user, version=version, version_token=form.cleaned_data["version"],
                            rules=form.rules())
    except StaleEdit as exc:
        saved = selectors.version_for_edit(user=request.user, pk=version.pk)
        saved_rules = {**pathways.DEFAULT_RULES, **(saved.rules or {})}
        mine = form.rules()

        def reasons(codes):
            return ", ".join(str(pathways.EXCUSES.get(code, code)) for code in codes or ())

        conflict = [conflict_row(form.fields[name].label, mine[name], saved_rules.get(name),
                                 show=reasons if name == "excusable" else str)
                    for name in RulesForm.RULES]
        return _edit_page(request, template, saved, form=_stale(request, RulesForm, exc), status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, template, version, form=form, status=400)
    messages.success(request, _("The attendance rules were saved."))
    return redirect(_version_url(version, "rules"))


@require_http_methods(["GET", "POST"])
def pathway_version_notifications(request, pathway_draft_id):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    template = "programmes/pathway_notifications_form.html"
    extra = {"targets": pathways.TARGETS}
    if request.method == "GET":
        form = NotificationsForm(initial=NotificationsForm.initial_for(version))
        return _edit_page(request, template, version, form=form, **extra)
    form = NotificationsForm(request.POST, initial=NotificationsForm.initial_for(version))
    if not form.is_valid():
        return _edit_page(request, template, version, form=form, status=400, **extra)
    try:
        services.notifications_save(by=request.user, version=version, version_token=form.cleaned_data["version"],
                                    notifications=form.notifications())
    except StaleEdit as exc:
        saved = selectors.version_for_edit(user=request.user, pk=version.pk)
        mine = form.notifications()

        def told(targets):
            return ", ".join(str(pathways.TARGETS[t]) for t in pathways.TARGETS if t in targets) or _("Nobody")

        conflict = [conflict_row(label, told(pathways.notified(mine, event)),
                                 told(pathways.notified(saved.notifications, event)))
                    for event, label in pathways.NOTIFICATION_EVENTS.items()]
        form = _stale(request, NotificationsForm, exc, initial=NotificationsForm.initial_for(saved))
        return _edit_page(request, template, saved, form=form, status=409, conflict=conflict, **extra)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, template, version, form=form, status=400, **extra)
    messages.success(request, _("The notifications were saved."))
    return redirect(_version_url(version, "notifications"))


# ---- the life of a version -----------------------------------------------------------------------------

@require_POST
def pathway_version_publish(request, pathway_draft_id):
    version = selectors.version_for_edit(user=request.user, pk=pathway_draft_id)
    form = VersionTokenForm(request.POST)
    if not form.is_valid():
        return _version_page(request, version, status=400, error=_("The page was out of date: try again."))
    try:
        services.version_publish(by=request.user, version=version, version_token=form.cleaned_data["version"])
    except StaleEdit:
        saved = selectors.version_for_edit(user=request.user, pk=version.pk)
        return _version_page(request, saved, status=409,
                             error=_("Someone else changed this draft after you opened it. It has not been published: "
                                     "check the version below, then publish it again."))
    except services.InvalidPathway as exc:
        return _version_page(request, version, status=400, problems=exc.problems)
    except ServiceError as exc:
        return _version_page(request, version, status=400, error=exc.message)
    messages.success(request, _("Version %(number)d is in use: men can now be enrolled on it.") % {"number": version.number})
    return redirect(_version_url(version))


@require_POST
def pathway_version_retire(request, pathway_version_id):
    version = selectors.version_get(user=request.user, pk=pathway_version_id)
    if not selectors.can_coordinate(user=request.user, pathway=version.pathway):
        access.deny()
    try:
        services.version_retire(by=request.user, version=version)
    except ServiceError as exc:
        return _version_page(request, version, status=400, error=exc.message)
    messages.success(request, _("Version %(number)d was retired: nobody new can be enrolled on it. The men on it stay "
                                "on it.") % {"number": version.number})
    return redirect(_version_url(version))


@require_POST
def pathway_version_copy(request, pathway_version_id):
    version = selectors.version_get(user=request.user, pk=pathway_version_id)
    if not selectors.can_coordinate(user=request.user, pathway=version.pathway):
        access.deny()
    try:
        new = services.version_copy(by=request.user, version=version)
    except ServiceError as exc:
        return _version_page(request, version, status=400, error=exc.message)
    messages.success(request, _("Version %(number)d was started as a draft from version %(source)d.")
                     % {"number": new.number, "source": version.number})
    return redirect(_version_url(new))
