"""Pilots (part "pilots"): my organisations' pilots, starting a pilot of a practice, a pilot's
page with its indicators, changing it, starting it, completing it with its results, abandoning
it; and the "Evidence from pilots" section of the practice page. Reads go through
selectors/pilots.py (404 out of reach), writes through services/pilots.py. A refused change shows
the page again with her entries and the reason (400), a stale one both versions (409)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.learning.forms_pilots import (
    AbandonForm,
    CompleteForm,
    IndicatorFormSet,
    IndicatorVersionedForm,
    PilotEditForm,
    PilotStartForm,
    VersionForm,
)
from rete.learning.models import MeasuredAmong, PilotStatus
from rete.learning.selectors import pilots as selectors
from rete.learning.services import pilots as services
from rete.learning.views.sections import register_section


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _detail_url(pilot, anchor=""):
    return reverse("learning:pilot_detail", kwargs={"pilot_id": pilot.pk}) + (f"#{anchor}" if anchor else "")


def practice_url(practice_id) -> str:
    """The practice's page (part "practice-records"), or "" while it has none."""
    try:
        return reverse("learning:practice_detail", kwargs={"practice_id": practice_id})
    except NoReverseMatch:
        return ""


def _with_posted_version(request, form_class, version, **kwargs):
    """Her entries again, with the saved version's token (to save them anyway)."""
    post = request.POST.copy()
    post["version"] = str(version)
    form = form_class(post, **kwargs)
    form.is_valid()
    return form


# ---- my organisations' pilots --------------------------------------------------------------------

@require_safe
def pilot_list(request):
    if not selectors.pilot_organisations(user=request.user):
        access.deny()
    status = request.GET.get("status", "")
    if status not in PilotStatus.values:
        status = ""
    pilots = selectors.titled(selectors.pilot_list(user=request.user, status=status))
    return render(request, "learning/pilots_list.html", {
        "pilots": [{"pilot": p, "practice_url": practice_url(p.practice_id)} for p in pilots],
        "status": status, "statuses": PilotStatus.choices,
    })


# ---- starting a pilot ----------------------------------------------------------------------------

def _indicator_error(formset, changed, exc: ServiceError) -> bool:
    """A refusal about the indicator at `changed[index]` goes on that row's field."""
    field = exc.field or ""
    if not field.startswith("indicators-"):
        return False
    _prefix, index, name = field.split("-", 2)
    form = changed[int(index)]
    form.add_error(name if name in form.fields else None, exc.message)
    return True


@require_http_methods(["GET", "POST"])
def pilot_start(request, practice_id):
    practice, organisations = selectors.practice_for_pilot(user=request.user, pk=practice_id)
    form = PilotStartForm(request.POST or None, organisations=organisations)
    indicators = IndicatorFormSet(request.POST or None, prefix="indicators")
    context = {"practice": practice, "practice_title": selectors.practice_title(practice),
               "practice_url": practice_url(practice.pk), "form": form, "indicators": indicators}
    if request.method == "GET":
        return render(request, "learning/pilots_start.html", context)
    form_valid, indicators_valid = form.is_valid(), indicators.is_valid()  # both, to show every error at once
    if form_valid and indicators_valid:
        changed = [f for f in indicators.forms if f.has_changed()]
        data = form.cleaned_data
        try:
            pilot = services.pilot_start(by=request.user, practice=practice,
                                         organisation=form.organisations[data["organisation"]],
                                         indicators=[f.values() for f in changed], **form.values())
        except ServiceError as exc:
            if not _indicator_error(indicators, changed, exc):
                _add_error(form, exc)
        else:
            messages.success(request, _("The pilot was recorded as planned. Add the measures you take before it "
                                        "starts, then mark it as running."))
            return redirect(_detail_url(pilot))
    return render(request, "learning/pilots_start.html", context, status=400)


# ---- a pilot's page ------------------------------------------------------------------------------

def _detail_page(request, pilot, *, status=200, indicator_form=None, abandon_form=None, error=None):
    token = VersionForm(initial={"version": pilot.version}, auto_id=False)
    manage = pilot.may_manage and pilot.is_open
    return render(request, "learning/pilots_detail.html", {
        "pilot": pilot, "practice_url": practice_url(pilot.practice_id), "manage": manage, "token_form": token,
        "indicator_form": indicator_form or (IndicatorVersionedForm(initial={"version": pilot.version},
                                                                    prefix="new") if manage else None),
        "abandon_form": abandon_form or (AbandonForm(initial={"version": pilot.version}, prefix="abandon")
                                         if manage else None),
        "missing": [i for i in pilot.shown_indicators if _missing(i)], "error": error,
    }, status=status)


def _missing(indicator) -> bool:
    return any(getattr(indicator, f) is None for f in ("pre_value", "pre_n", "post_value", "post_n"))


@require_safe
def pilot_detail(request, pilot_id):
    return _detail_page(request, selectors.pilot_get(user=request.user, pk=pilot_id))


def _stale_message():
    return _("Someone else changed this pilot after you opened it. Nothing was saved: check the pilot below, "
             "then try again.")


# ---- changing it ---------------------------------------------------------------------------------

def _edit_page(request, pilot, form, *, status=200, conflict=None):
    return render(request, "learning/pilots_edit.html", {"pilot": pilot, "form": form, "conflict": conflict},
                  status=status)


def _open_or_back(request, pilot):
    """A pilot that is over cannot change: back to its page, saying so."""
    if pilot.is_open:
        return None
    messages.error(request, _("This pilot is over: it can no longer be changed."))
    return redirect(_detail_url(pilot))


def _show_date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


@require_http_methods(["GET", "POST"])
def pilot_edit(request, pilot_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    if (back := _open_or_back(request, pilot)) is not None:
        return back
    if request.method == "GET":
        return _edit_page(request, pilot, PilotEditForm(initial=PilotEditForm.initial_for(pilot)))
    form = PilotEditForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, pilot, form, status=400)
    try:
        services.pilot_update(by=request.user, pilot=pilot, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh, mine = exc.current, form.values()
        conflict = [
            conflict_row(form.fields["adaptation"].label, mine["adaptation"].strip(), fresh.adaptation),
            conflict_row(form.fields["starts_on"].label, mine["starts_on"], fresh.starts_on, show=_show_date),
            conflict_row(form.fields["ends_on"].label, mine["ends_on"], fresh.ends_on, show=_show_date),
        ]
        return _edit_page(request, pilot, _with_posted_version(request, PilotEditForm, fresh.version), status=409,
                          conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, pilot, form, status=400)
    messages.success(request, _("The pilot was updated."))
    return redirect(_detail_url(pilot))


# ---- indicators ----------------------------------------------------------------------------------

@require_POST
def pilot_indicator_add(request, pilot_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    if (back := _open_or_back(request, pilot)) is not None:
        return back
    form = IndicatorVersionedForm(request.POST, prefix="new")
    if not form.is_valid():
        return _detail_page(request, pilot, status=400, indicator_form=form)
    try:
        services.indicator_add(by=request.user, pilot=pilot, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = selectors.pilot_manage_get(user=request.user, pk=pilot.pk)
        form = _with_posted_version(request, IndicatorVersionedForm, exc.current.version, prefix="new")
        return _detail_page(request, fresh, status=409, indicator_form=form, error=_stale_message())
    except ServiceError as exc:
        _add_error(form, exc)
        return _detail_page(request, pilot, status=400, indicator_form=form)
    messages.success(request, _("The indicator was added."))
    return redirect(_detail_url(pilot, "indicators"))


def _indicator_page(request, pilot, indicator, form, *, status=200, conflict=None):
    return render(request, "learning/pilots_indicator_edit.html", {
        "pilot": pilot, "indicator": indicator, "form": form, "conflict": conflict}, status=status)


def _indicator_conflict(form, mine, saved) -> list[dict]:
    among = dict(MeasuredAmong.choices)
    better = {True: _("A higher value is better"), False: _("A lower value is better")}
    rows = []
    for name in IndicatorVersionedForm.FIELDS:
        show = None
        if name == "measured_among":
            show = lambda v: among.get(v, v)  # noqa: E731
        elif name == "higher_is_better":
            show = lambda v: better.get(v, "")  # noqa: E731
        mine_value = mine[name].strip() if isinstance(mine[name], str) else mine[name]
        rows.append(conflict_row(form.fields[name].label, mine_value, getattr(saved, name), show=show))
    return rows


@require_http_methods(["GET", "POST"])
def pilot_indicator_edit(request, pilot_id, pilot_indicator_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    indicator = selectors.indicator_get(pilot=pilot, pk=pilot_indicator_id)
    if (back := _open_or_back(request, pilot)) is not None:
        return back
    if request.method == "GET":
        form = IndicatorVersionedForm(initial=IndicatorVersionedForm.initial_for(indicator, pilot.version))
        return _indicator_page(request, pilot, indicator, form)
    form = IndicatorVersionedForm(request.POST)
    if not form.is_valid():
        return _indicator_page(request, pilot, indicator, form, status=400)
    try:
        services.indicator_update(by=request.user, pilot=pilot, indicator=indicator,
                                  version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = selectors.pilot_manage_get(user=request.user, pk=pilot.pk)
        saved = next((i for i in fresh.shown_indicators if i.pk == indicator.pk), None)
        if saved is None:
            messages.error(request, _("Someone else removed this indicator while you were changing it."))
            return redirect(_detail_url(pilot, "indicators"))
        conflict = _indicator_conflict(form, form.values(), saved)
        form = _with_posted_version(request, IndicatorVersionedForm, exc.current.version)
        return _indicator_page(request, fresh, saved, form, status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _indicator_page(request, pilot, indicator, form, status=400)
    messages.success(request, _("The indicator was saved."))
    return redirect(_detail_url(pilot, "indicators"))


@require_POST
def pilot_indicator_remove(request, pilot_id, pilot_indicator_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    indicator = selectors.indicator_get(pilot=pilot, pk=pilot_indicator_id)
    if (back := _open_or_back(request, pilot)) is not None:
        return back
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pilot, status=400, error=_("The page was out of date: try again."))
    try:
        services.indicator_remove(by=request.user, pilot=pilot, indicator=indicator,
                                  version=form.cleaned_data["version"])
    except StaleEdit:
        fresh = selectors.pilot_manage_get(user=request.user, pk=pilot.pk)
        return _detail_page(request, fresh, status=409, error=_stale_message())
    except ServiceError as exc:
        return _detail_page(request, pilot, status=400, error=exc.message)
    messages.success(request, _("The indicator “%(name)s” was removed.") % {"name": indicator.name})
    return redirect(_detail_url(pilot, "indicators"))


# ---- its life ------------------------------------------------------------------------------------

@require_POST
def pilot_running(request, pilot_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pilot, status=400, error=_("The page was out of date: try again."))
    try:
        services.pilot_set_running(by=request.user, pilot=pilot, version=form.cleaned_data["version"])
    except StaleEdit:
        fresh = selectors.pilot_manage_get(user=request.user, pk=pilot.pk)
        return _detail_page(request, fresh, status=409, error=_stale_message())
    except ServiceError as exc:
        return _detail_page(request, pilot, status=400, error=exc.message)
    messages.success(request, _("The pilot is running. When it ends, record the measures taken after it and "
                                "complete it."))
    return redirect(_detail_url(pilot))


def _complete_page(request, pilot, form, *, status=200, conflict=None):
    return render(request, "learning/pilots_complete.html", {
        "pilot": pilot, "form": form, "conflict": conflict, "missing": [i for i in pilot.shown_indicators if _missing(i)],
        "running": pilot.status == PilotStatus.RUNNING,
    }, status=status)


@require_http_methods(["GET", "POST"])
def pilot_complete(request, pilot_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    if (back := _open_or_back(request, pilot)) is not None:
        return back
    if request.method == "GET":
        return _complete_page(request, pilot, CompleteForm(initial={"version": pilot.version}))
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return _complete_page(request, pilot, form, status=400)
    data = form.cleaned_data
    try:
        services.pilot_complete(by=request.user, pilot=pilot, version=data["version"],
                                result_summary=data["result_summary"], conclusion=data["conclusion"])
    except StaleEdit as exc:
        fresh = selectors.pilot_manage_get(user=request.user, pk=pilot.pk)
        form = _with_posted_version(request, CompleteForm, exc.current.version)
        return _complete_page(request, fresh, form, status=409, conflict=[
            conflict_row(_("Status"), pilot.get_status_display(), fresh.get_status_display()),
            conflict_row(_("Indicators"), len(pilot.shown_indicators), len(fresh.shown_indicators)),
            conflict_row(_("Indicators still to measure"), len([i for i in pilot.shown_indicators if _missing(i)]),
                         len([i for i in fresh.shown_indicators if _missing(i)])),
        ])
    except ServiceError as exc:
        _add_error(form, exc)
        return _complete_page(request, pilot, form, status=400)
    messages.success(request, _("The pilot was completed. Its results are now part of the practice's evidence."))
    return redirect(_detail_url(pilot))


@require_POST
def pilot_abandon(request, pilot_id):
    pilot = selectors.pilot_manage_get(user=request.user, pk=pilot_id)
    if (back := _open_or_back(request, pilot)) is not None:
        return back
    form = AbandonForm(request.POST, prefix="abandon")
    if not form.is_valid():
        return _detail_page(request, pilot, status=400, abandon_form=form)
    try:
        services.pilot_abandon(by=request.user, pilot=pilot, reason=form.cleaned_data["reason"],
                               version=form.cleaned_data["version"])
    except StaleEdit as exc:
        fresh = selectors.pilot_manage_get(user=request.user, pk=pilot.pk)
        form = _with_posted_version(request, AbandonForm, exc.current.version, prefix="abandon")
        return _detail_page(request, fresh, status=409, abandon_form=form, error=_stale_message())
    except ServiceError as exc:
        _add_error(form, exc)
        return _detail_page(request, pilot, status=400, abandon_form=form)
    messages.success(request, _("The pilot was abandoned."))
    return redirect(_detail_url(pilot))


# ---- the practice page: evidence from pilots -----------------------------------------------------

def practice_section(request, practice):
    """"Evidence from pilots" on the practice page (4 queries whatever the number of pilots)."""
    evidence = selectors.practice_evidence(user=request.user, practice=practice)
    if evidence is None:
        return None
    return {**evidence, "practice": practice}


register_section("practice", "pilots", order=60, template="learning/pilots_section.html", context=practice_section)
