"""Sessions and attendance (part "groups-sessions"): a session's record with its attendance
register, its cancellation, a session with one man recorded from his enrolment page, and the
compliance findings on the enrolment page (sections "sessions" and "compliance").

Who reaches what is decided by rete.programmes.selectors.sessions (404 out of reach). Reading a
session's record (its notes) is audited once per page. After the register is saved the page says
which warnings and non-compliance were found, and who was told."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import pathways, states
from rete.programmes.forms_groups import (
    ComplianceAddressForm,
    IndividualSessionForm,
    RegisterForm,
    SessionCancelForm,
    man_label,
    user_label,
)
from rete.programmes.models import AttendanceStatus, ComplianceLevel, ComplianceStatus
from rete.programmes.selectors import enrolments as enrolment_selectors
from rete.programmes.selectors import sessions as selectors
from rete.programmes.selectors.enrolments import staff_choices
from rete.programmes.services import compliance as compliance_services
from rete.programmes.services import sessions as services
from rete.programmes.views.sections import register_section


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _register_form(session, register, data=None, **kwargs):
    staff = staff_choices(organisation_id=session.organisation_id)
    initial = {"version": session.version, "topic": session.topic, "notes": session.notes}
    chosen = selectors.session_facilitator_ids(session=session)
    if not chosen:
        if session.group_id:
            chosen = [f.user_id for f in session.group.facilitators.all() if f.ended_at is None]
        elif session.recorded_by_id:
            chosen = [session.recorded_by_id]
    initial["facilitators"] = chosen
    return RegisterForm(data, register=register, staff=staff, initial=initial, auto_id="register-%s", **kwargs)


def _session_page(request, session, *, register, form=None, cancel_form=None, status=200, conflict=None):
    services.session_record_view(by=request.user, session=session)
    if form is None and session.may_record:
        form = _register_form(session, register)
    context = {"session": session, "group": session.group, "register": register, "form": form, "conflict": conflict,
               "rows": form.rows_for_template() if form is not None else None,
               "facilitators": [user_label(u) for u in selectors.session_facilitators(session=session)]}
    for item in register:
        saved = item["attendance"]
        item["label"] = man_label(item["enrolment"])
        item["excuse_label"] = pathways.EXCUSES.get(saved.excuse, saved.excuse) if saved and saved.excuse else ""
        item["made_up_label"] = selectors.session_label(saved.made_up_by) if saved and saved.made_up_by_id else ""
    if session.may_record and session.status == "planned":
        context["cancel_form"] = cancel_form or SessionCancelForm(initial={"version": session.version}, auto_id="cancel-%s")
    return render(request, "programmes/session_detail.html", context, status=status)


def _findings_messages(request, findings):
    """e.g. "Warning for PROG-P2026-0003: absences that count (2)." and who was told."""
    for finding in findings:
        for event in finding.events:
            text = compliance_services.finding_text(event)
            if event.level == ComplianceLevel.NON_COMPLIANCE:
                messages.warning(request, _("Non-compliance for %(reference)s: %(finding)s.")
                                 % {"reference": finding.reference, "finding": text})
            else:
                messages.warning(request, _("Warning for %(reference)s: %(finding)s.")
                                 % {"reference": finding.reference, "finding": text})
        if "partner" in finding.notified:
            messages.info(request, _("The partner-support service was told about %(reference)s.")
                          % {"reference": finding.reference})
        if "court" in finding.notified:
            messages.info(request, _("A compliance notice to the court or probation is now due for %(reference)s.")
                          % {"reference": finding.reference})


@require_http_methods(["GET", "POST"])
def session_detail(request, session_id):
    session = selectors.session_get(user=request.user, pk=session_id)
    register = selectors.register_rows(session=session)
    if request.method != "POST":
        return _session_page(request, session, register=register)
    if not session.may_record:
        access.deny()
    form = _register_form(session, register, request.POST)
    if not form.is_valid():
        return _session_page(request, session, register=register, form=form, status=400)
    data = form.cleaned_data
    try:
        result = services.register_save(by=request.user, session=session, version=data["version"], topic=data["topic"],
                                        notes=data["notes"], facilitator_ids=data["facilitators"], rows=form.rows())
    except StaleEdit:
        return _session_conflict(request, session_id, form)
    except ServiceError as exc:
        _add_error(form, exc)
        return _session_page(request, session, register=register, form=form, status=400)
    messages.success(request, _("The session record and its attendance were saved."))
    _findings_messages(request, result.findings)
    return redirect("programmes:session_detail", session_id=session.pk)


def _session_conflict(request, session_id, form):
    """Someone saved the session (or a man's attendance) in the meantime: both versions, her
    entries kept with the fresh versions so that saving again keeps hers."""
    statuses = dict(AttendanceStatus.choices)
    fresh = selectors.session_get(user=request.user, pk=session_id)
    register = selectors.register_rows(session=fresh)
    data = form.cleaned_data
    conflict = [conflict_row(_("Topic"), data["topic"].strip(), fresh.topic),
                conflict_row(_("Session notes"), data["notes"].strip(), fresh.notes)]
    post = request.POST.copy()
    post["version"] = str(fresh.version)
    for item in register:
        pk, saved = item["enrolment"].pk, item["attendance"]
        conflict.append(conflict_row(man_label(item["enrolment"]), data.get(f"{pk}-status") or "",
                                     saved.status if saved else "", show=lambda v: statuses.get(v, v)))
        post[f"{pk}-version"] = str(saved.version if saved else 0)
    form = _register_form(fresh, register, post)
    form.is_valid()
    return _session_page(request, fresh, register=register, form=form, status=409, conflict=conflict)


@require_POST
def session_cancel(request, session_id):
    session = selectors.session_get(user=request.user, pk=session_id)
    if not session.may_record:
        access.deny()
    form = SessionCancelForm(request.POST, auto_id="cancel-%s")
    if form.is_valid():
        try:
            services.session_cancel(by=request.user, session=session, reason=form.cleaned_data["reason"],
                                    version=form.cleaned_data["version"])
        except StaleEdit:
            session = selectors.session_get(user=request.user, pk=session_id)
            form = SessionCancelForm({"version": session.version, "reason": request.POST.get("reason", "")},
                                     auto_id="cancel-%s")
            form.is_valid()
            form.add_error(None, _("Someone else changed this session in the meantime: check it before cancelling."))
            return _session_page(request, session, register=selectors.register_rows(session=session), cancel_form=form,
                                 status=409)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The session was cancelled."))
            if session.group_id:
                return redirect(reverse("programmes:group_detail", kwargs={"group_id": session.group_id}) + "#sessions-title")
            return redirect("programmes:session_detail", session_id=session.pk)
    return _session_page(request, session, register=selectors.register_rows(session=session), cancel_form=form, status=400)


# ---- the enrolment page: sessions and attendance, compliance -----------------------------------------


def _sessions_section(request, enrolment):
    summary = selectors.attendance_summary(enrolment=enrolment)
    may_record = enrolment.state in states.OPEN
    return {"summary": summary, "may_record": may_record,
            "form": IndividualSessionForm() if may_record else None}


def _compliance_section(request, enrolment):
    events = selectors.compliance_events(enrolment=enrolment)
    if not events:
        return None
    open_events = [e for e in events if e.status == ComplianceStatus.OPEN]
    for event in events:
        event.text = compliance_services.finding_text(event)
        event.numbers = compliance_services.finding_numbers(event)
        if event.status == ComplianceStatus.OPEN:
            event.form = ComplianceAddressForm(auto_id=f"compliance-{event.pk}-%s")
    return {"open": open_events, "addressed": [e for e in events if e.status != ComplianceStatus.OPEN][:10]}


register_section("sessions", order=60, template="programmes/session_section.html", context=_sessions_section)
register_section("compliance", order=65, template="programmes/compliance_section.html", context=_compliance_section)


@require_POST
def individual_session_add(request, enrolment_id):
    from rete.programmes.views.enrolments import enrolment_page

    enrolment = enrolment_selectors.enrolment_get(user=request.user, pk=enrolment_id)
    form = IndividualSessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.individual_session_record(
                by=request.user, enrolment=enrolment, kind=data["kind"], starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"], topic=data["topic"], notes=data["notes"], status=data["status"],
                excuse=data["excuse"], participation=data["participation"], note=data["note"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            _findings_messages(request, result.findings)
            return redirect(reverse("programmes:enrolment_detail", kwargs={"enrolment_id": enrolment.pk}) + "#sessions-title")
    return enrolment_page(request, enrolment, status=400, sessions={"form": form})


@require_POST
def compliance_address(request, enrolment_id, compliance_event_id):
    from rete.programmes.views.enrolments import enrolment_page

    enrolment = enrolment_selectors.enrolment_get(user=request.user, pk=enrolment_id)
    form = ComplianceAddressForm(request.POST, auto_id=f"compliance-{compliance_event_id}-%s")
    if form.is_valid():
        try:
            compliance_services.compliance_address(by=request.user, enrolment=enrolment, event_id=compliance_event_id,
                                                   response=form.cleaned_data["response"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("What was done was recorded; the finding is addressed."))
            return redirect(reverse("programmes:enrolment_detail", kwargs={"enrolment_id": enrolment.pk}) + "#compliance-title")
    else:
        selectors.compliance_event_get(enrolment=enrolment, pk=compliance_event_id)  # 404 when not his
    return enrolment_page(request, enrolment, status=400,
                          compliance={"form": form, "form_event_id": _int(compliance_event_id)})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
