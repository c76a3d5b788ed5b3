"""Registration, the waiting list, participants and attendance (part "registration"), for
members and the event's runners: the "Registration" section of the event page, the
registration form, cancelling, the participants' list and its CSV, the attendance register,
her training and her registration's page (with the sections other parts add to it).

Who reaches what is decided by rete.learning.selectors.registrations (404 out of reach)."""
import csv

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core.selectors import active_memberships
from rete.core.services import ServiceError
from rete.learning.forms_registration import AttendanceForm, ProfileForm
from rete.learning.models import RegistrationStatus
from rete.learning.selectors import events as event_selectors
from rete.learning.selectors import registrations as selectors
from rete.learning.services import registrations as services
from rete.learning.views.sections import register_section, render_sections


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# ---- the event page's "Registration" section ---------------------------------------------------


def _event_section(request, event):
    """For the event's runners: the numbers and the way to the participants. For a member: her
    status, or the way to register while it is open. Three queries at most."""
    user = request.user
    runner = event_selectors.may_run(user=user, event=event)
    member = selectors.may_register(user=user)
    if not runner and not member:
        return None
    mine = selectors.member_registration(user=user, event=event) if member else None
    return {"runner": runner, "member": member, "counts": selectors.counts(event=event), "mine": mine,
            "position": selectors.waiting_position(registration=mine) if mine else None,
            "open": services.is_open(event), "closes_on": services.registration_window(event)}


register_section("event", "registration", order=20, template="learning/registration_section_event.html",
                 context=_event_section)


# ---- registering herself -------------------------------------------------------------------------


def _register_page(request, event, form, mine, *, status=200):
    return render(request, "learning/registration_form.html", {
        "event": event, "form": form, "mine": mine, "open": services.is_open(event),
        "closes_on": services.registration_window(event), "counts": selectors.counts(event=event),
        "position": selectors.waiting_position(registration=mine) if mine else None,
        "active": mine is not None and mine.status != RegistrationStatus.CANCELLED}, status=status)


@require_http_methods(["GET", "POST"])
def event_register(request, training_event_id):
    event = selectors.event_for_register(user=request.user, pk=training_event_id)
    mine = selectors.member_registration(user=request.user, event=event)
    if request.method != "POST":
        initial = ProfileForm.initial_for_member(request.user, active_memberships(user=request.user))
        if mine is not None:
            initial.update({name: getattr(mine, name) for name in services.PROFILE_FIELDS})
        return _register_page(request, event, ProfileForm(initial=initial), mine)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register_member(by=request.user, event=event, profile=form.profile())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            if registration.status == RegistrationStatus.REGISTERED:
                messages.success(request, _("You are registered. We have sent you an e-mail with the details."))
            else:
                messages.success(request, _("The event is full: you are on the waiting list. We will write to you if "
                                            "a place becomes free."))
            return redirect("learning:my_registration", registration_id=registration.pk)
    return _register_page(request, event, form, mine, status=400)


@require_POST
def registration_cancel(request, registration_id):
    registration = selectors.registration_for_cancel(user=request.user, pk=registration_id)
    own = registration.user_id == request.user.pk
    try:
        services.registration_cancel(by=request.user, registration=registration)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The registration was cancelled."))
    if own:
        return redirect("learning:my_registration", registration_id=registration.pk)
    return redirect("learning:event_participants", training_event_id=registration.event_id)


# ---- the runners' pages ---------------------------------------------------------------------------


@require_safe
def event_participants(request, training_event_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    participants = selectors.participant_list(user=request.user, event=event)
    services.participants_record_view(by=request.user, event=event)
    return render(request, "learning/registration_participants.html", {
        "event": event, "participants": participants, "sessions": selectors.event_sessions(event=event)})


@require_POST
def participant_link_resend(request, registration_id):
    registration = selectors.registration_manage_get(user=request.user, pk=registration_id)
    try:
        services.participant_link_resend(by=request.user, registration=registration)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A new personal link was sent to the participant; the old one no longer works."))
    return redirect("learning:event_participants", training_event_id=registration.event_id)


def _csv_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
def event_participants_csv(request, training_event_id):
    # Reach first (anyone else gets 404 without being asked for her password), then the password.
    event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    return _participants_csv(request, training_event_id)


@reauthentication_required
def _participants_csv(request, training_event_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    participants = selectors.participant_list(user=request.user, event=event)
    rows = participants["registered"] + participants["waiting"]
    services.participants_record_view(by=request.user, event=event, exported=len(rows))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{event.pk}-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([_csv_cell(_("%(event)s: participants, exported by %(who)s at %(when)s") % {
        "event": event.title, "who": request.user.email, "when": timezone.now().isoformat(timespec="seconds")})])
    writer.writerow([_("status"), _("place on the waiting list"), _("full name"), _("e-mail address"), _("organisation"),
                     _("kind of organisation"), _("country"), _("profession"), _("sex"), _("language"), _("registered on")])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in (
            row.get_status_display(), getattr(row, "position", "") or "", row.full_name, row.email, row.organisation_name,
            row.get_organisation_kind_display(), row.get_country_display(), row.get_profession_display(),
            row.get_sex_display(), row.get_language_display(),
            timezone.localtime(row.registered_at).isoformat(timespec="minutes"))])
    return response


def _attendance_page(request, event, session, form, *, status=200):
    return render(request, "learning/registration_attendance.html", {
        "event": event, "session": session, "form": form, "rows": form.bound_rows()}, status=status)


@require_http_methods(["GET", "POST"])
def attendance_register(request, training_event_id, attendance_session_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    session = selectors.session_manage_get(user=request.user, event=event, pk=attendance_session_id)
    rows = selectors.attendance_rows(user=request.user, event=event, session=session)
    if request.method != "POST":
        return _attendance_page(request, event, session, AttendanceForm(rows=rows))
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            written = services.attendance_record(by=request.user, session=session, rows=form.statuses())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Attendance saved for %(n)d participants.") % {"n": written})
            return redirect("learning:attendance_register", training_event_id=event.pk, attendance_session_id=session.pk)
    return _attendance_page(request, event, session, form, status=400)


# ---- her training ----------------------------------------------------------------------------------


@require_safe
def my_training(request):
    today = timezone.localdate()
    registrations = list(selectors.my_registrations(user=request.user))
    return render(request, "learning/registration_my_training.html", {
        "upcoming": [r for r in registrations if r.event.ends_on >= today],
        "past": [r for r in registrations if r.event.ends_on < today]})


@require_safe
def my_registration(request, registration_id):
    registration = selectors.my_registration_get(user=request.user, pk=registration_id)
    return render(request, "learning/registration_mine.html", participant_context(request, registration))


def participant_context(request, registration) -> dict:
    """What her registration's page shows, for a member and through the personal link alike."""
    event = registration.event
    registered = registration.status == RegistrationStatus.REGISTERED
    return {"registration": registration, "event": event, "registered": registered,
            "position": selectors.waiting_position(registration=registration),
            "sessions": selectors.participant_sessions(registration=registration),
            "may_cancel": registration.status != RegistrationStatus.CANCELLED and event.status in services.PLACES_MOVE,
            "online_link": event.online_link if registered and event.status != "cancelled" else "",
            "sections": render_sections(request, "participant", registration)}


def upcoming_panel(user):
    """The start page: her coming events (one query); hidden when there are none."""
    upcoming = selectors.my_upcoming(user=user)
    if not upcoming:
        return None
    return {"registrations": upcoming}
