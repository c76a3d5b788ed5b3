"""Every write of registrations, the waiting list and attendance (part "registration").

Members register themselves for an event open for registration; outside professionals register
through an invitation link and receive a personal link (only its hash is kept). Places are
counted under a lock on the event's row (rete.learning.places decides who has a place and who
waits); a cancellation frees a place for the first person waiting. The event's runners cancel
registrations, send an outside participant her link again and record attendance.

Atomic, locked, capability checked inside (404 otherwise), audited with ids and codes only:
never a name or an e-mail address. E-mails go after the commit, in the participant's language,
with a label and her own link."""
import datetime
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.models import Country, OrganisationKind
from rete.core.selectors import active_memberships
from rete.core.services import ServiceError
from rete.learning import access, places, tokens
from rete.learning.models import (
    AttendanceStatus,
    EventSession,
    EventStatus,
    Invitation,
    Profession,
    Registration,
    RegistrationStatus,
    SessionAttendance,
    Sex,
    TrainingEvent,
)

logger = logging.getLogger(__name__)

NAME_MAX = 200
EMAIL_MAX = 254
ORGANISATION_MAX = 200
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
COUNTRY_CODES = [*Country.values, "XX"]
PROFILE_FIELDS = ("organisation_name", "organisation_kind", "country", "profession", "sex", "language")
# While these hold, places can still change hands (registration closed keeps the waiting list).
PLACES_MOVE = (EventStatus.OPEN, EventStatus.CLOSED)


@dataclass
class OutsideRegistration:
    registration: Registration
    # The address was already registered for the event: nothing new was made, and a new personal
    # link went to that address.
    already: bool = False
    # Her new personal link's token: it goes out by e-mail only (callers never show it).
    token: str = ""


def _audit(action, by, event, registration=None, **detail):
    if registration is not None:
        detail = {"registration": registration.pk, **detail}
    audit.record(action=f"learning.{action}", actor=by, organisation=event.host,
                 obj=registration if registration is not None else event, detail={"event": event.pk, **detail})


def _lock_event(pk) -> TrainingEvent:
    event = TrainingEvent.objects.select_for_update(of=("self",)).select_related("host").filter(pk=pk).first()
    if event is None:
        core_access.deny()
    return event


def _lock_event_to_run(by, pk) -> TrainingEvent:
    event = _lock_event(pk)
    if not core_access.has_capability(by, event.host_id, access.RUN_TRAINING):
        core_access.deny()
    return event


def _today(event):
    """Today where the event takes place (the dates of an event are in its time zone)."""
    from rete.learning import calendar

    return calendar.today_in(event.time_zone)


def is_open(event, today=None) -> bool:
    return places.registration_open(status=event.status, closes_on=event.registration_closes_on, ends_on=event.ends_on,
                                    today=today or _today(event))


def _require_open(event):
    if not is_open(event):
        raise ServiceError(_("Registration for this event is not open."))


def _text(value, name, maximum, message):
    value = str(value or "").strip()
    if not value:
        raise ServiceError(message, name)
    if len(value) > maximum:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": maximum}, name)
    return value


def _choice(value, name, allowed):
    value = str(value or "")
    if value not in allowed:
        raise ServiceError(_("Choose from the list."), name)
    return value


def clean_profile(profile: dict) -> dict:
    """The participant's profile checked: her organisation, its kind, her country, profession,
    sex (the last two for the funders' report) and language."""
    return {
        "organisation_name": _text(profile.get("organisation_name"), "organisation_name", ORGANISATION_MAX,
                                   _("Give the name of your organisation.")),
        "organisation_kind": _choice(profile.get("organisation_kind"), "organisation_kind", OrganisationKind.values),
        "country": _choice(profile.get("country"), "country", COUNTRY_CODES),
        "profession": _choice(profile.get("profession"), "profession", Profession.values),
        "sex": _choice(profile.get("sex"), "sex", Sex.values),
        "language": _choice(profile.get("language"), "language", LANGUAGE_CODES),
    }


def _clean_email(value) -> str:
    email = _text(value, "email", EMAIL_MAX, _("Give your e-mail address."))
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(_("Enter a valid e-mail address."), "email") from None
    return email


def _counts(event) -> tuple[int, int]:
    from rete.learning.selectors.registrations import counts

    numbers = counts(event=event)
    return numbers["registered"], numbers["waiting"]


def _promote(event, registered_count) -> list[tuple[Registration, str | None]]:
    """Move the first people waiting into the free places (under the event's lock). Outside
    participants get a new personal link in the e-mail that tells them. Returns [(registration,
    raw token or None)] in order; two queries at most, whatever the length of the list."""
    if event.status not in PLACES_MOVE:
        return []
    free = places.free_places(event.capacity, registered_count)
    if not free:
        return []
    waiting = list(Registration.objects.select_for_update(of=("self",)).filter(event=event, status=RegistrationStatus.WAITING)
                   .order_by("registered_at", "pk").only("pk", "user_id", "status", "access_token_hash")[:free])
    moved = places.promote(event.capacity, registered_count, waiting)
    result = []
    for registration in moved:
        registration.status = RegistrationStatus.REGISTERED
        token = None
        if registration.user_id is None:
            token, registration.access_token_hash = tokens.new_token()
        result.append((registration, token))
    if moved:
        Registration.objects.bulk_update(moved, ["status", "access_token_hash"])
        for registration, token in result:
            transaction.on_commit(functools.partial(send_registration_mail, registration.pk, "promoted", token))
    return result


def _new_status(event) -> tuple[str, list]:
    """Places freed by a higher capacity go to those waiting first; then the newcomer's status."""
    registered, waiting = _counts(event)
    promoted = _promote(event, registered)
    return places.new_status(event.capacity, registered + len(promoted), waiting - len(promoted)), promoted


# ---- registering --------------------------------------------------------------------------------


@transaction.atomic
def register_member(*, by, event, profile: dict) -> Registration:
    """A member registers herself: her name and address come from her account; a place if one
    is free, the waiting list otherwise."""
    if not active_memberships(user=by):
        core_access.deny()
    event = _lock_event(getattr(event, "pk", event))
    if event.status == EventStatus.DRAFT and not core_access.has_capability(by, event.host_id, access.RUN_TRAINING):
        core_access.deny()
    _require_open(event)
    values = clean_profile(profile)
    email = by.email
    index = tokens.email_index(email)
    existing = (Registration.objects.select_for_update(of=("self",)).filter(event=event, user=by).first()
                or Registration.objects.select_for_update(of=("self",)).filter(event=event, email_index=index).first())
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        if existing.user_id == by.pk:
            if existing.status == RegistrationStatus.WAITING:
                raise ServiceError(_("You are already on the waiting list for this event."))
            raise ServiceError(_("You are already registered for this event."))
        raise ServiceError(_("Your e-mail address is already registered for this event."))
    status, promoted = _new_status(event)
    name = by.get_full_name() or by.email
    if existing is None:
        registration = Registration.objects.create(event=event, user=by, full_name=name, email=email, email_index=index,
                                                   status=status, **values)
    else:  # she cancelled before: she registers again, as a new arrival
        registration = existing
        for key, value in values.items():
            setattr(registration, key, value)
        registration.user, registration.full_name, registration.email = by, name, email
        registration.status, registration.cancelled_at, registration.access_token_hash = status, None, ""
        registration.registered_at = timezone.now()
        registration.save()
    _audit("registration.created", by, event, registration, status=status, source="member",
           again=existing is not None, promoted=[r.pk for r, _t in promoted])
    transaction.on_commit(functools.partial(send_registration_mail, registration.pk, status, None))
    return registration


@transaction.atomic
def register_outside(*, invitation_token, profile: dict) -> OutsideRegistration:
    """An outside professional registers through an invitation link (valid: not revoked, not
    expired, not used up; each registration uses it once). She receives her personal link by
    e-mail. An address already registered for the event gets a new personal link instead."""
    from rete.learning.selectors.registrations import invitation_valid

    found = Invitation.objects.filter(token_hash=tokens.token_hash(invitation_token)).only("pk", "event_id").first()
    if not invitation_token or found is None:
        core_access.deny()
    event = _lock_event(found.event_id)
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=found.pk)
    if not invitation_valid(invitation) or event.status == EventStatus.DRAFT:
        core_access.deny()
    _require_open(event)
    full_name = _text(profile.get("full_name"), "full_name", NAME_MAX, _("Give your full name."))
    email = _clean_email(profile.get("email"))
    values = clean_profile(profile)
    index = tokens.email_index(email)
    existing = Registration.objects.select_for_update(of=("self",)).filter(event=event, email_index=index).first()
    token, token_hash = tokens.new_token()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        existing.access_token_hash = token_hash
        existing.save(update_fields=["access_token_hash"])
        _audit("registration.link_sent", None, event, existing, reason="already_registered", invitation=invitation.pk)
        transaction.on_commit(functools.partial(send_registration_mail, existing.pk, "again", token))
        return OutsideRegistration(existing, already=True, token=token)
    status, promoted = _new_status(event)
    if existing is None:
        registration = Registration.objects.create(event=event, invitation=invitation, full_name=full_name, email=email,
                                                   email_index=index, status=status, access_token_hash=token_hash, **values)
    else:
        registration = existing
        for key, value in values.items():
            setattr(registration, key, value)
        registration.invitation, registration.full_name, registration.email = invitation, full_name, email
        registration.status, registration.cancelled_at, registration.access_token_hash = status, None, token_hash
        registration.registered_at = timezone.now()
        registration.save()
    invitation.uses += 1
    invitation.save(update_fields=["uses"])
    _audit("registration.created", None, event, registration, status=status, source="invitation", invitation=invitation.pk,
           again=existing is not None, promoted=[r.pk for r, _t in promoted])
    transaction.on_commit(functools.partial(send_registration_mail, registration.pk, status, token))
    return OutsideRegistration(registration, token=token)


# ---- cancelling, the personal link ---------------------------------------------------------------


@transaction.atomic
def registration_cancel(*, registration, by=None, token=None) -> Registration:
    """The participant herself (signed in, or through her personal link) or one of the event's
    runners cancels a registration. A place it held goes to the first person waiting."""
    pk = getattr(registration, "pk", registration)
    current = Registration.objects.filter(pk=pk).only("pk", "event_id").first()
    if current is None:
        core_access.deny()
    event = _lock_event(current.event_id)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=pk)
    if token is not None:
        if not registration.access_token_hash or tokens.token_hash(token) != registration.access_token_hash:
            core_access.deny()
        via, actor = "link", None
    elif getattr(by, "is_authenticated", False) and registration.user_id == by.pk:
        via, actor = "self", by
    elif core_access.has_capability(by, event.host_id, access.RUN_TRAINING):
        via, actor = "runner", by
    else:
        core_access.deny()
    if registration.status == RegistrationStatus.CANCELLED:
        raise ServiceError(_("This registration was already cancelled."))
    if event.status not in PLACES_MOVE:
        raise ServiceError(_("This event is over: its registrations can no longer be changed."))
    from_status = registration.status
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = []
    if from_status == RegistrationStatus.REGISTERED:
        registered, _waiting = _counts(event)
        promoted = _promote(event, registered)
    _audit("registration.cancelled", actor, event, registration, via=via, from_status=from_status,
           promoted=[r.pk for r, _t in promoted])
    return registration


@transaction.atomic
def participant_link_resend(*, by, registration) -> Registration:
    """A runner sends an outside participant a new personal link (the old one stops working)."""
    pk = getattr(registration, "pk", registration)
    current = Registration.objects.filter(pk=pk).only("pk", "event_id").first()
    if current is None:
        core_access.deny()
    event = _lock_event_to_run(by, current.event_id)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=pk)
    if registration.user_id is not None:
        raise ServiceError(_("Members of the network reach their registration by signing in."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise ServiceError(_("This registration was cancelled."))
    token, registration.access_token_hash = tokens.new_token()
    registration.save(update_fields=["access_token_hash"])
    _audit("registration.link_sent", by, event, registration, reason="runner")
    transaction.on_commit(functools.partial(send_registration_mail, registration.pk, "resent", token))
    return registration


@transaction.atomic
def participants_record_view(*, by, event, exported=None) -> None:
    """A runner read the participants' list (names and addresses), or exported `exported`
    rows of it: one audit event."""
    if not core_access.has_capability(by, event.host_id, access.RUN_TRAINING):
        core_access.deny()
    if exported is None:
        _audit("participants.viewed", by, event)
    else:
        _audit("participants.exported", by, event, rows=int(exported))


# ---- attendance --------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, by, session, rows: dict) -> int:
    """A runner records who attended a session: {registration id: present/late/excused/absent}
    for registered participants; an empty status leaves a row as it is. One bulk write
    (created or changed), whatever the number of participants. Returns the rows written."""
    pk = getattr(session, "pk", session)
    found = EventSession.objects.filter(pk=pk).only("pk", "event_id").first()
    if found is None:
        core_access.deny()
    event = _lock_event_to_run(by, found.event_id)
    session = EventSession.objects.get(pk=pk)
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise ServiceError(_("Attendance is recorded for events that take place."))
    from rete.learning import calendar

    if calendar.local_date(session.starts_at, event.time_zone) > _today(event):
        raise ServiceError(_("Attendance can be recorded from the day of the session."))
    wanted = {}
    for key, status in (rows or {}).items():
        try:
            registration_id = int(key)
        except (TypeError, ValueError):
            raise ServiceError(_("Attendance is recorded for registered participants only.")) from None
        status = str(status or "")
        if not status:
            continue
        if status not in AttendanceStatus.values:
            raise ServiceError(_("Choose from the list."), f"r{registration_id}")
        wanted[registration_id] = status
    registered = set(Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED, pk__in=list(wanted))
                     .values_list("pk", flat=True))
    if set(wanted) - registered:
        raise ServiceError(_("Attendance is recorded for registered participants only."))
    now = timezone.now()
    if wanted:
        SessionAttendance.objects.bulk_create(
            [SessionAttendance(registration_id=rid, session=session, status=status, recorded_by=by, recorded_at=now)
             for rid, status in sorted(wanted.items())],
            update_conflicts=True, unique_fields=["registration", "session"],
            update_fields=["status", "recorded_by", "recorded_at"])
    counts = {status: sum(1 for value in wanted.values() if value == status) for status in AttendanceStatus.values}
    _audit("attendance.recorded", by, event, session=session.pk, counts=counts, registrations=sorted(wanted))
    return len(wanted)


# ---- e-mails -------------------------------------------------------------------------------------


def _link(name, **kwargs) -> str:
    from django.urls import NoReverseMatch, reverse

    base = settings.RETE_BASE_URL.rstrip("/")
    try:
        return base + reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return base + "/"


def _mail_text(kind, registration, link) -> tuple[str, str]:
    from django.utils.formats import date_format

    event = registration.event
    dates = date_format(event.starts_on, "DATE_FORMAT")
    if event.ends_on != event.starts_on:
        dates = _("%(start)s to %(end)s") % {"start": dates, "end": date_format(event.ends_on, "DATE_FORMAT")}
    values = {"event": event.title, "dates": dates, "link": link}
    subject = _("Your registration: %(event)s") % values
    member = registration.user_id is not None
    if kind == "registered":
        body = _("You are registered for %(event)s (%(dates)s).") % values
    elif kind == "waiting":
        body = _("You are on the waiting list for %(event)s (%(dates)s). We will write to you if a place becomes "
                 "free.") % values
    elif kind == "promoted":
        subject = _("A place for you: %(event)s") % values
        body = _("A place has become free: you are now registered for %(event)s (%(dates)s).") % values
    elif kind == "again":
        body = _("Someone asked to register this address for %(event)s (%(dates)s). It is already registered, so "
                 "nothing changed; here is the link to the registration again.") % values
    else:
        body = _("Here is the link to your registration for %(event)s (%(dates)s), as the organisers asked.") % values
    if member:
        body += "\n\n" + _("Your registration, the sessions and your attendance (sign in to open it):") + f"\n\n{link}\n"
    else:
        body += "\n\n" + _("Your personal page, with the details, the sessions, your attendance and the way to "
                           "cancel:") + f"\n\n{link}\n\n"
        body += _("Keep this link to yourself: whoever has it reaches your registration.")
        if kind in ("promoted", "again", "resent"):
            body += " " + _("It replaces any link we sent you before.")
        body += "\n"
    return subject, body


def send_registration_mail(registration_id, kind, token=None) -> bool:
    """E-mail a participant about her registration, in her language: what happened and her
    link (a member's page, or an outside participant's personal link). Runs after the commit."""
    from django.core.mail import send_mail
    from django.utils import translation

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return False
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        if registration.user_id is not None:
            link = _link("learning:my_registration", registration_id=registration.pk)
        elif token:
            link = _link("learning_public:participant_home", participant_token=token)
        else:
            return False
        subject, body = _mail_text(kind, registration, link)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [registration.email])
    logger.info("registration %s: %s e-mail sent", registration_id, kind)
    return True


def registration_window(event) -> datetime.date | None:
    """The last day of registration (inclusive)."""
    return event.registration_closes_on or event.ends_on
