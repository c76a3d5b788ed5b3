"""Writing training events: creating and editing one (its trainers and network coordinators
only), and the one way an event changes status. Atomic, locked, capability checked inside (404
otherwise), audited with ids and codes only."""
import functools

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError, StaleEdit
from rete.learning import access
from rete.learning.models import EventKind, EventStatus, TrainingEvent

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
EDITABLE_FIELDS = ("kind", "title", "description", "agenda", "country", "venue", "city", "online", "online_link",
                   "time_zone", "starts_on", "ends_on", "capacity", "languages", "interpretation",
                   "registration_closes_on", "certificate_min_attendance", "follow_up_after_days")

STATUS_STEPS = {
    EventStatus.DRAFT: {EventStatus.OPEN, EventStatus.CANCELLED},
    EventStatus.OPEN: {EventStatus.CLOSED, EventStatus.HELD, EventStatus.CANCELLED},
    EventStatus.CLOSED: {EventStatus.OPEN, EventStatus.HELD, EventStatus.CANCELLED},
    EventStatus.HELD: set(),
    EventStatus.CANCELLED: set(),
}


def audit_event(action, by, event, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=event.host, obj=event,
                 detail={"event": event.pk, **detail})


def locked(by, event) -> TrainingEvent:
    pk = getattr(event, "pk", event)
    row = TrainingEvent.objects.select_for_update(of=("self",)).select_related("host").filter(pk=pk).first()
    if row is None or not core_access.has_capability(by, row.host_id, access.RUN_TRAINING):
        core_access.deny()
    return row


def _clean(values: dict) -> dict:
    cleaned = {k: values[k] for k in EDITABLE_FIELDS if k in values}
    if not (cleaned.get("title") or "").strip():
        raise ServiceError(_("Give the event a title."), field="title")
    if cleaned.get("kind") not in EventKind.values:
        raise ServiceError(_("Choose from the list."), field="kind")
    if cleaned["ends_on"] < cleaned["starts_on"]:
        raise ServiceError(_("The last day cannot be before the first."), field="ends_on")
    if not cleaned.get("capacity") or int(cleaned["capacity"]) < 1:
        raise ServiceError(_("Give the number of places."), field="capacity")
    chosen = set(cleaned.get("languages") or [])
    languages = [code for code in LANGUAGE_CODES if code in chosen]  # in the site's order
    if not languages:
        raise ServiceError(_("Choose at least one language."), field="languages")
    cleaned["languages"] = languages
    closes = cleaned.get("registration_closes_on")
    if closes and closes > cleaned["ends_on"]:
        raise ServiceError(_("Registration must close by the last day."), field="registration_closes_on")
    if not cleaned.get("online") and not (cleaned.get("venue") or "").strip():
        raise ServiceError(_("Give the venue, or mark the event as online."), field="venue")
    _clean_more(cleaned)
    return cleaned


@transaction.atomic
def event_create(*, by, host, **values) -> TrainingEvent:
    if not core_access.has_capability(by, host.pk, access.RUN_TRAINING):
        core_access.deny()
    event = TrainingEvent.objects.create(host=host, created_by=by, **_clean(values))
    audit_event("event.created", by, event, kind=event.kind)
    return event


@transaction.atomic
def event_update(*, by, event, version, **values) -> TrainingEvent:
    row = locked(by, event)
    if version is not None and int(version) != row.version:
        raise StaleEdit(row)
    if row.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise ServiceError(_("This event is over: its details can no longer be changed."))
    cleaned = _clean(values)
    _check_sessions_within(row, cleaned)
    changed = sorted(k for k, v in cleaned.items() if getattr(row, k) != v)
    for key, value in cleaned.items():
        setattr(row, key, value)
    row.version += 1
    row.save()
    audit_event("event.updated", by, row, fields=changed)
    return row


@transaction.atomic
def event_set_status(*, by, event, status) -> TrainingEvent:
    row = locked(by, event)
    return _transition(by, row, status)


def _transition(by, row, status) -> TrainingEvent:
    if status not in STATUS_STEPS.get(row.status, set()):
        raise ServiceError(_("This step is not possible from the event's current status."))
    from_status, row.status = row.status, status
    row.version += 1
    row.save(update_fields=["status", "version"])
    audit_event("event.status", by, row, from_status=from_status, to_status=status)
    if status == EventStatus.CANCELLED:
        # The people who hold or wait for a place are told once the cancellation is saved.
        transaction.on_commit(functools.partial(tell_participants_cancelled, row.pk))
    return row


# ---- part "events": the runners' status actions, sessions, materials, invitations ------------

TEXT_MAX = 20000


def _clean_more(cleaned: dict):
    """What `_clean` leaves open: lengths, the country, a real time zone, sensible numbers."""
    from rete.core.models import Country
    from rete.learning import calendar

    cleaned["title"] = cleaned["title"].strip()
    if len(cleaned["title"]) > 200:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": 200}, field="title")
    for field in ("description", "agenda"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
            if len(cleaned[field]) > TEXT_MAX:
                raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": TEXT_MAX},
                                   field=field)
    for field in ("venue", "city", "interpretation", "online_link"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
    if "country" in cleaned and cleaned["country"] not in Country.values:
        raise ServiceError(_("Choose from the list."), field="country")
    if "time_zone" in cleaned and not calendar.valid_zone(cleaned["time_zone"]):
        raise ServiceError(_("Choose from the list."), field="time_zone")
    if cleaned.get("online_link") and not cleaned["online_link"].lower().startswith(("https://", "http://")):
        raise ServiceError(_("Give a web address starting with https://."), field="online_link")
    share = cleaned.get("certificate_min_attendance")
    if share is not None and not 0 <= int(share) <= 100:
        raise ServiceError(_("Give a share between 0 and 100."), field="certificate_min_attendance")
    days = cleaned.get("follow_up_after_days")
    if days is not None and not 1 <= int(days) <= 730:
        raise ServiceError(_("Give a number of days between 1 and 730."), field="follow_up_after_days")


def _check_sessions_within(row, cleaned: dict):
    """New dates or a new time zone must still hold every session of the event."""
    from django.db.models import Max, Min

    from rete.learning import calendar
    from rete.learning.models import EventSession

    span = EventSession.objects.filter(event=row).aggregate(first=Min("starts_at"), last=Max("ends_at"))
    if span["first"] is None:
        return
    zone = cleaned.get("time_zone", row.time_zone)
    if (calendar.local_date(span["first"], zone) < cleaned["starts_on"]
            or calendar.local_date(span["last"], zone) > cleaned["ends_on"]):
        raise ServiceError(_("Some sessions would fall outside these dates: move or remove them first."),
                           field="starts_on")


def _today(row):
    from rete.learning import calendar

    return calendar.today_in(row.time_zone)


@transaction.atomic
def event_change_status(*, by, event, status, version=None) -> TrainingEvent:
    """A runner's status action from the event's page. Registration opens only once the event
    has at least one session (participants need to know when it takes place, and attendance
    and certificates are counted per session), before its last day and its closing date; an
    event is marked as held from its first day on. Cancelling tells the participants."""
    from rete.learning.models import EventSession

    row = locked(by, event)
    if version is not None and int(version) != row.version:
        raise StaleEdit(row)
    today = _today(row)
    if status == EventStatus.OPEN and status in STATUS_STEPS.get(row.status, set()):
        if not EventSession.objects.filter(event=row).exists():
            raise ServiceError(_("Add at least one session before opening registration: participants need to know "
                                 "when the event takes place, and attendance is recorded per session."))
        if row.ends_on < today:
            raise ServiceError(_("The event is over: registration cannot open any more."))
        if row.registration_closes_on and row.registration_closes_on < today:
            raise ServiceError(_("The registration closing date has passed: change it before opening registration."))
    if status == EventStatus.HELD and status in STATUS_STEPS.get(row.status, set()) and row.starts_on > today:
        raise ServiceError(_("The event has not started yet: it can be marked as held from its first day."))
    return _transition(by, row, status)


def tell_participants_cancelled(event_id):
    """After commit: an e-mail to each person registered or waiting, in her language. Members get
    a link to the event's page; outside professionals (who have no account) the title and dates
    only."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.learning.models import Registration, RegistrationStatus

    event = TrainingEvent.objects.filter(pk=event_id, status=EventStatus.CANCELLED).first()
    if event is None:
        return 0
    people = Registration.objects.filter(event=event, status__in=[RegistrationStatus.REGISTERED,
                                                                   RegistrationStatus.WAITING]).order_by("pk")
    sent = 0
    for registration in people:
        address = registration.email
        if not address:
            continue
        with translation.override(registration.language or settings.LANGUAGE_CODE):
            link = ""
            if registration.user_id:
                link = settings.RETE_BASE_URL.rstrip("/") + reverse("learning:event_detail",
                                                                    kwargs={"training_event_id": event.pk})
            context = {"title": event.title, "starts_on": event.starts_on, "ends_on": event.ends_on, "link": link,
                       "waiting": registration.status == RegistrationStatus.WAITING}
            subject = render_to_string("learning/events_email_cancelled_subject.txt", context).strip()
            body = render_to_string("learning/events_email_cancelled.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body, None, [address])
        sent += 1
    return sent


# ---- sessions ---------------------------------------------------------------------------------

OVER = (EventStatus.HELD, EventStatus.CANCELLED)


def _open_for_changes(row, message=None):
    if row.status in OVER:
        raise ServiceError(message or _("This event is over: its sessions can no longer be changed."))


def _session_values(row, *, title, day, start_time, end_time, room, speakers) -> dict:
    from rete.learning import calendar

    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the session a title."), field="title")
    for field, value, limit in (("title", title, 200), ("room", room, 120), ("speakers", speakers, 400)):
        if len((value or "").strip()) > limit:
            raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": limit}, field=field)
    if day is None or not row.starts_on <= day <= row.ends_on:
        raise ServiceError(_("The session must fall within the event's dates (%(first)s to %(last)s).")
                           % {"first": row.starts_on.isoformat(), "last": row.ends_on.isoformat()}, field="day")
    if start_time is None or end_time is None or end_time <= start_time:
        raise ServiceError(_("The session must end after it starts."), field="end_time")
    return {"title": title, "starts_at": calendar.local_datetime(row.time_zone, day, start_time),
            "ends_at": calendar.local_datetime(row.time_zone, day, end_time), "room": (room or "").strip(),
            "speakers": (speakers or "").strip()}


@transaction.atomic
def session_add(*, by, event, title, day, start_time, end_time, room="", speakers=""):
    """A session on one day of the event; the times are those of the event's time zone."""
    from rete.learning.models import EventSession

    row = locked(by, event)
    _open_for_changes(row)
    session = EventSession.objects.create(event=row, **_session_values(
        row, title=title, day=day, start_time=start_time, end_time=end_time, room=room, speakers=speakers))
    audit_event("event.session_added", by, row, session=session.pk)
    return session


def _session_locked(row, session_id):
    from rete.learning.models import EventSession

    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        core_access.deny()
    session = EventSession.objects.select_for_update().filter(event=row, pk=session_id).first()
    if session is None:
        core_access.deny()
    return session


@transaction.atomic
def session_update(*, by, event, session_id, title, day, start_time, end_time, room="", speakers=""):
    row = locked(by, event)
    session = _session_locked(row, session_id)
    _open_for_changes(row)
    values = _session_values(row, title=title, day=day, start_time=start_time, end_time=end_time, room=room,
                             speakers=speakers)
    changed = sorted(k for k, v in values.items() if getattr(session, k) != v)
    for key, value in values.items():
        setattr(session, key, value)
    session.save()
    audit_event("event.session_updated", by, row, session=session.pk, fields=changed)
    return session


@transaction.atomic
def session_delete(*, by, event, session_id):
    """Removes a session nobody's attendance was recorded for. An event open for registration
    (or closed, before it is held) keeps at least one session."""
    from rete.learning.models import EventSession, SessionAttendance

    row = locked(by, event)
    session = _session_locked(row, session_id)
    _open_for_changes(row)
    if SessionAttendance.objects.filter(session=session).exists():
        raise ServiceError(_("Attendance has been recorded for this session: it cannot be removed."))
    if row.status in (EventStatus.OPEN, EventStatus.CLOSED) and not EventSession.objects.filter(event=row).exclude(
            pk=session.pk).exists():
        raise ServiceError(_("This is the event's only session: registered participants need at least one. Add "
                             "another session first."))
    session_pk = session.pk
    session.delete()
    audit_event("event.session_removed", by, row, session=session_pk)


# ---- materials --------------------------------------------------------------------------------


@transaction.atomic
def material_add(*, by, event, title, filename, data: bytes):
    """Slides, papers, handouts, stored encrypted; the type is found from the file's name and
    first bytes (rete.cases.documents). The audit trail has the id, type and size only."""
    from rete.cases import documents
    from rete.learning.models import EventMaterial

    row = locked(by, event)
    title = (title or "").strip()
    if len(title) > 200:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": 200}, field="title")
    try:
        checked = documents.check(filename, data)
    except documents.DocumentRefused as exc:
        raise ServiceError(str(exc.message), field="file") from None
    if not title:
        title = checked.filename.rsplit(".", 1)[0][:200] or checked.filename
    material = EventMaterial.objects.create(event=row, title=title, filename=checked.filename,
                                            content_type=checked.content_type, size=len(checked.data),
                                            content=checked.data, uploaded_by=by)
    audit_event("event.material_added", by, row, material=material.pk, content_type=checked.content_type,
                size=len(checked.data))
    return material


@transaction.atomic
def material_record_download(*, by, event, material):
    audit_event("event.material_downloaded", by, event, material=material.pk)


@transaction.atomic
def material_delete(*, by, event, material_id):
    from rete.learning.models import EventMaterial

    row = locked(by, event)
    try:
        material_id = int(material_id)
    except (TypeError, ValueError):
        core_access.deny()
    deleted, _rows = EventMaterial.objects.filter(event=row, pk=material_id).delete()
    if not deleted:
        core_access.deny()
    audit_event("event.material_removed", by, row, material=material_id)


# ---- invitations ------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, by, event, label, expires_on, max_uses=None):
    """A link outside professionals register through. Returns (invitation, token): the token
    is in the link and shown once; only its hash is stored. The label (for whom) stays out of
    the audit trail."""
    from django.utils import timezone

    from rete.learning import tokens
    from rete.learning.models import Invitation

    row = locked(by, event)
    _open_for_changes(row, _("This event is over: no new invitation can be made."))
    label = (label or "").strip()
    if not label:
        raise ServiceError(_("Say whom the link is for, e.g. the organisation it is sent to."), field="label")
    if len(label) > 200:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": 200}, field="label")
    if expires_on is None or expires_on < timezone.localdate():
        raise ServiceError(_("The link must be valid at least until today."), field="expires_on")
    if expires_on > row.ends_on:
        raise ServiceError(_("An invitation cannot outlast the event: choose a date up to its last day."),
                           field="expires_on")
    if max_uses is not None and int(max_uses) < 1:
        raise ServiceError(_("Allow at least one registration, or leave the field empty for no limit."),
                           field="max_uses")
    token, digest = tokens.new_token()
    invitation = Invitation.objects.create(event=row, label=label, token_hash=digest, expires_on=expires_on,
                                           max_uses=max_uses, created_by=by)
    audit_event("event.invitation_created", by, row, invitation=invitation.pk, expires_on=expires_on.isoformat(),
                max_uses=max_uses)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, by, event, invitation_id):
    """The link stops working at once; registrations made through it stay. Revoking twice
    changes nothing."""
    from django.utils import timezone

    from rete.learning.models import Invitation

    row = locked(by, event)
    try:
        invitation_id = int(invitation_id)
    except (TypeError, ValueError):
        core_access.deny()
    invitation = Invitation.objects.select_for_update().filter(event=row, pk=invitation_id).first()
    if invitation is None:
        core_access.deny()
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_event("event.invitation_revoked", by, row, invitation=invitation.pk)
    return invitation
