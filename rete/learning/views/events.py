"""Training events (part "events"): the list every member sees (coming and past), an event's
page (with the sections of the other parts: registration, participants, evaluation,
certificates, report), and, for the people who run it, the event's details, sessions,
materials, invitation links and status. Who reaches what is decided by
rete.learning.selectors.events (404 out of reach). Actions answer POST only; a refused one
shows the page again with her entries and the reason (400), a stale edit both versions (409)."""
import functools

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.cases import documents
from rete.core import access as core_access
from rete.core.conflict import conflict_row
from rete.core.selectors import active_memberships
from rete.core.services import ServiceError, StaleEdit
from rete.learning import calendar
from rete.learning.forms_events import EventForm, InvitationForm, MaterialForm, SessionForm, StatusForm
from rete.learning.models import EventStatus, RegistrationStatus
from rete.learning.selectors import events as selectors
from rete.learning.services import events as services
from rete.learning.views.sections import render_sections

PER_PAGE = 25
UPCOMING, PAST = "upcoming", "past"


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _language_labels(codes) -> list[str]:
    labels = dict(settings.LANGUAGES)
    return [str(labels.get(code, code)) for code in codes or ()]


# ---- the list ---------------------------------------------------------------------------------


@require_safe
def event_list(request):
    if not active_memberships(user=request.user):
        core_access.deny()
    when = PAST if request.GET.get("when") == PAST else UPCOMING
    queryset = selectors.event_overview(user=request.user, upcoming=when == UPCOMING, today=timezone.localdate())
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.places_left = max(event.capacity - event.registered_count, 0)
        event.language_labels = _language_labels(event.languages)
    return render(request, "learning/events_list.html", {
        "page": page, "events": page.object_list, "when": when,
        "may_add": bool(selectors.runs_training_at(user=request.user))})


# ---- the event's details ----------------------------------------------------------------------


def _form_page(request, form, *, event=None, status=200, conflict=None):
    return render(request, "learning/events_form.html", {"form": form, "event": event, "conflict": conflict},
                  status=status)


@require_http_methods(["GET", "POST"])
def event_add(request):
    hosts = selectors.runs_training_at(user=request.user)
    if not hosts:
        core_access.deny()
    form = EventForm(request.POST or None, hosts=hosts, initial=EventForm.initial_new(hosts[0]))
    if request.method != "POST":
        return _form_page(request, form)
    if form.is_valid() and form.chosen_host() is not None:
        try:
            event = services.event_create(by=request.user, host=form.chosen_host(), **form.values())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The event was created as a draft. Add its sessions, then open registration."))
            return redirect("learning:event_detail", training_event_id=event.pk)
    return _form_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
def event_edit(request, training_event_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    if request.method != "POST":
        form = EventForm(initial=EventForm.initial_for(event), versioned=True, current_zone=event.time_zone)
        return _form_page(request, form, event=event)
    form = EventForm(request.POST, versioned=True, current_zone=event.time_zone)
    if not form.is_valid():
        return _form_page(request, form, event=event, status=400)
    try:
        services.event_update(by=request.user, event=event, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = exc.current
        conflict = _event_conflict(form, fresh)
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        form = EventForm(post, versioned=True, current_zone=fresh.time_zone)
        form.is_valid()
        return _form_page(request, form, event=fresh, status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _form_page(request, form, event=event, status=400)
    messages.success(request, _("The event was saved."))
    return redirect("learning:event_detail", training_event_id=event.pk)


def _event_conflict(form, fresh) -> list[dict]:
    data = form.cleaned_data
    rows = []
    for name in EventForm.FIELDS:
        field = form.fields[name]
        mine, saved = data.get(name), getattr(fresh, name)
        choices = dict(getattr(field, "choices", None) or ())

        def show(value, choices=choices):
            if isinstance(value, bool):
                return _("Yes") if value else _("No")
            if isinstance(value, (list, tuple)):
                return ", ".join(str(choices.get(v, v)) for v in value)
            if choices:
                return choices.get(value, value)
            return value

        if isinstance(mine, str):
            mine = mine.strip()
        rows.append(conflict_row(field.label, mine, saved, show=show))
    return rows


# ---- the event's page -------------------------------------------------------------------------


def event_page(request, event, *, status=200, error=None, **forms):
    """The event's page (`forms`: a form with errors after a failed post, by its key)."""
    may_run = selectors.may_run(user=request.user, event=event)
    registration = selectors.own_registration(user=request.user, event=event)
    inside = selectors.may_see_inside(user=request.user, event=event, registration=registration)
    sessions = selectors.event_sessions(event=event)
    context = {
        "event": event, "may_run": may_run, "registration": registration, "registered": bool(
            registration and registration.status == RegistrationStatus.REGISTERED),
        "show_link": inside, "show_materials": inside, "sessions": sessions,
        "speakers": selectors.speakers(sessions), "language_labels": _language_labels(event.languages),
        "materials": selectors.event_materials(event=event) if inside else [],
        "sections": render_sections(request, "event", event), "error": error,
        "editable": event.status not in services.OVER,
    }
    if may_run:
        context["status_actions"] = _status_actions(event, has_sessions=bool(sessions))
        context["material_form"] = forms.get("material_form") or MaterialForm(auto_id="material-%s")
        context["max_size"] = documents.human_size(documents.max_bytes())
    return render(request, "learning/events_detail.html", context, status=status)


def _status_actions(event, *, has_sessions) -> list[dict]:
    """The status steps open to the runners now, each with what it does."""
    texts = {
        EventStatus.OPEN: (_("Open registration"), _("Members of the network can register themselves, and outside "
                                                     "professionals through an invitation link.")),
        EventStatus.CLOSED: (_("Close registration"), _("Nobody else can register; registered participants keep "
                                                        "their places. You can open registration again.")),
        EventStatus.HELD: (_("Mark as held"), _("The event took place: attendance, evaluation and certificates follow. "
                                                "Its details and sessions can no longer be changed.")),
        EventStatus.CANCELLED: (_("Cancel the event"), _("Registered and waiting participants are told by e-mail. "
                                                         "This cannot be undone.")),
    }
    if event.status == EventStatus.CLOSED:
        texts[EventStatus.OPEN] = (_("Open registration again"), texts[EventStatus.OPEN][1])
    actions = []
    for status in (EventStatus.OPEN, EventStatus.CLOSED, EventStatus.HELD, EventStatus.CANCELLED):
        if status not in services.STATUS_STEPS.get(event.status, set()):
            continue
        label, explanation = texts[status]
        blocked = ""
        if status == EventStatus.OPEN and not has_sessions:
            blocked = _("Add at least one session before opening registration: participants need to know when the "
                        "event takes place, and attendance is recorded per session.")
        if status == EventStatus.HELD and event.starts_on > calendar.today_in(event.time_zone):
            blocked = _("The event has not started yet: it can be marked as held from its first day.")
        actions.append({"status": status.value, "label": label, "explanation": explanation,
                        "confirm": status == EventStatus.CANCELLED, "blocked": blocked})
    return actions


@require_safe
def event_detail(request, training_event_id):
    event = selectors.event_get(user=request.user, pk=training_event_id)
    return event_page(request, event)


@require_POST
def event_status(request, training_event_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return event_page(request, event, status=400, error=_("This step is not possible from the event's current status."))
    data = form.cleaned_data
    if data["status"] == EventStatus.CANCELLED and not data["confirm"]:
        return event_page(request, event, status=400,
                          error=_("Tick the box to confirm that the event is cancelled and its participants told."))
    try:
        event = services.event_change_status(by=request.user, event=event, status=data["status"], version=data["version"])
    except StaleEdit:
        return event_page(request, selectors.event_manage_get(user=request.user, pk=event.pk), status=409,
                          error=_("Someone else changed the event meanwhile. Check it and try again."))
    except ServiceError as exc:
        return event_page(request, event, status=400, error=exc.message)
    done = {
        EventStatus.OPEN: _("Registration is open."),
        EventStatus.CLOSED: _("Registration is closed."),
        EventStatus.HELD: _("The event is marked as held."),
        EventStatus.CANCELLED: _("The event is cancelled. Its participants are being told by e-mail."),
    }
    messages.success(request, done[event.status])
    return redirect("learning:event_detail", training_event_id=event.pk)


@require_safe
def event_ics(request, training_event_id):
    event = selectors.event_get(user=request.user, pk=training_event_id)
    registration = selectors.own_registration(user=request.user, event=event)
    inside = selectors.may_see_inside(user=request.user, event=event, registration=registration)
    response = HttpResponse(calendar.event_calendar(event, include_online_link=inside),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{event.pk}.ics"'
    response["Cache-Control"] = "no-store"
    return response


# ---- sessions ---------------------------------------------------------------------------------


def _back(event, anchor=""):
    return redirect(reverse("learning:event_detail", kwargs={"training_event_id": event.pk}) + anchor)


def _session_page(request, event, form, *, session=None, status=200):
    return render(request, "learning/events_session_form.html",
                  {"event": event, "form": form, "session": session}, status=status)


@require_http_methods(["GET", "POST"])
def session_add(request, training_event_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    if request.method != "POST":
        return _session_page(request, event, SessionForm(initial={"day": event.starts_on}))
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(by=request.user, event=event, **form.values())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The session was added."))
            return _back(event, "#sessions-title")
    return _session_page(request, event, form, status=400)


@require_http_methods(["GET", "POST"])
def session_edit(request, training_event_id, event_session_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    session = selectors.event_session_get(event=event, pk=event_session_id)
    if request.method != "POST":
        initial = {"title": session.title, "day": calendar.local_date(session.starts_at, event.time_zone),
                   "start_time": calendar.local_time(session.starts_at, event.time_zone),
                   "end_time": calendar.local_time(session.ends_at, event.time_zone), "room": session.room,
                   "speakers": session.speakers}
        return _session_page(request, event, SessionForm(initial=initial), session=session)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_update(by=request.user, event=event, session_id=session.pk, **form.values())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return _back(event, "#sessions-title")
    return _session_page(request, event, form, session=session, status=400)


@require_POST
def session_delete(request, training_event_id, event_session_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    session = selectors.event_session_get(event=event, pk=event_session_id)
    try:
        services.session_delete(by=request.user, event=event, session_id=session.pk)
    except ServiceError as exc:
        return event_page(request, event, status=400, error=exc.message)
    messages.success(request, _("The session was removed."))
    return _back(event, "#sessions-title")


# ---- materials --------------------------------------------------------------------------------


def _upload_view(view):
    """The upload of a material: the size is checked before the body is read (far beyond the
    limit: the page again with the reason, 413), the file stays in memory up to the limit (no
    plaintext temporary file), and the CSRF check runs after the upload handler is in place."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, training_event_id):
        event = selectors.event_manage_get(user=request.user, pk=training_event_id)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > documents.max_bytes() + documents.REQUEST_MARGIN_BYTES:
            return event_page(request, event, status=413, error=documents.too_large_message())
        request.upload_handlers = [documents.CappedMemoryUploadHandler(request)]
        return protected(request, event)

    return wrapper


def _material_add(request, event):
    form = MaterialForm(request.POST, request.FILES, auto_id="material-%s")
    if getattr(request, "rete_upload_too_large", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", documents.too_large_message())
        return event_page(request, event, status=400, material_form=form)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.material_add(by=request.user, event=event, title=form.cleaned_data["title"], filename=upload.name,
                                  data=upload.read())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The material was added."))
            return _back(event, "#materials-title")
    return event_page(request, event, status=400, material_form=form)


material_add = require_POST(_upload_view(_material_add))


@require_safe
def material_download(request, training_event_id, event_material_id):
    """Always a download, never shown in the browser; audited."""
    event = selectors.event_get(user=request.user, pk=training_event_id)
    material = selectors.event_material_get(user=request.user, event=event, pk=event_material_id)
    services.material_record_download(by=request.user, event=event, material=material)
    content = bytes(material.content)
    response = HttpResponse(content, content_type=documents.download_type(material.content_type))
    response["Content-Disposition"] = documents.content_disposition(material.filename)
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def material_delete(request, training_event_id, event_material_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    services.material_delete(by=request.user, event=event, material_id=event_material_id)
    messages.success(request, _("The material was removed."))
    return _back(event, "#materials-title")


# ---- invitations ------------------------------------------------------------------------------


def join_link(token) -> str | None:
    """The public registration page of an invitation (part "registration"), as a full address."""
    try:
        path = reverse("learning_public:join", kwargs={"invitation_token": token})
    except NoReverseMatch:
        return None
    return settings.RETE_BASE_URL.rstrip("/") + path


@require_http_methods(["GET", "POST"])
def invitations(request, training_event_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    form = InvitationForm(request.POST or None, initial={"expires_on": event.registration_closes_on or event.starts_on})
    status, new = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation, token = services.invitation_create(by=request.user, event=event, label=data["label"],
                                                               expires_on=data["expires_on"], max_uses=data["max_uses"])
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                # Shown on this answer only: the token is not kept anywhere but in this page.
                status, new = 200, {"invitation": invitation, "link": join_link(token), "token": token}
                form = InvitationForm(initial={"expires_on": data["expires_on"]})
    response = render(request, "learning/events_invitations.html", {
        "event": event, "form": form, "invitations": selectors.event_invitations(event=event), "new": new,
        "today": timezone.localdate(), "editable": event.status not in services.OVER}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def invitation_revoke(request, training_event_id, invitation_id):
    event = selectors.event_manage_get(user=request.user, pk=training_event_id)
    services.invitation_revoke(by=request.user, event=event, invitation_id=invitation_id)
    messages.success(request, _("The link was revoked: nobody can register through it any more."))
    return redirect("learning:event_invitations", training_event_id=event.pk)
