"""Every write of sessions and attendance (part "groups-sessions"): a group's schedule, one more
session, a cancellation, the session record with its attendance register, and a session with
one man recorded from his enrolment. After attendance changes the attendance rules run for each
man concerned (services.compliance.compliance_evaluate).

Group sessions: the programme's coordinators and the group's facilitators. Sessions with one
man: whoever may open his enrolment. Anyone else: 404. Audit events carry ids and codes only."""
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import pathways, states
from rete.programmes.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    GroupFacilitator,
    GroupStatus,
    Participation,
    Session,
    SessionKind,
    SessionStatus,
)
from rete.programmes.selectors import sessions as selectors
from rete.programmes.selectors.enrolments import enrolment_lock, staff_choices
from rete.programmes.selectors.groups import group_lock

SCHEDULE_MAX = 400
TOPIC_MAX = 200
NOTES_MAX = 20000
NOTE_MAX = 2000
REASON_MAX = 4000
INDIVIDUAL_KINDS = (SessionKind.ASSESSMENT, SessionKind.INDIVIDUAL, SessionKind.MOTIVATIONAL, SessionKind.FOLLOW_UP)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
MISSED = (AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT)


def _audit(verb, by, session, **detail):
    audit.record(action=f"programmes.session_{verb}", actor=by, organisation=session.organisation, obj=session,
                 detail={"session": session.pk, **detail})


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _local_date(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def _renumber(group) -> None:
    """Number the group's sessions that are not cancelled 1, 2, 3 … in date order (two queries)."""
    rows = list(Session.objects.filter(group=group).order_by("starts_at", "pk").only("pk", "number", "status", "starts_at"))
    number, changed = 0, []
    for row in rows:
        new = None
        if row.status != SessionStatus.CANCELLED:
            number += 1
            new = number
        if row.number != new:
            row.number = new
            changed.append(row)
    if changed:
        Session.objects.bulk_update(changed, ["number"], batch_size=500)


def _text(value, name, maximum, *, required=False, message=None):
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(message or _("This field is required."), name)
    if len(value) > maximum:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": maximum}, name)
    return value


# ---- a group's sessions ------------------------------------------------------------------------


@transaction.atomic
def schedule_generate(*, by, group) -> list[Session]:
    """The group's sessions on its weekdays from its first to its last session date, at its time.
    Idempotent: a date that already has a session (even a cancelled one) gets no other. The
    sessions are numbered in date order (cancelled ones have no number)."""
    group = group_lock(user=by, pk=group)
    if group.status == GroupStatus.CLOSED:
        raise ServiceError(_("The group is closed."), "schedule")
    if group.ends_on is None:
        raise ServiceError(_("Set the date of the last session of the group first."), "schedule")
    taken = {_local_date(at) for at in Session.objects.filter(group=group).values_list("starts_at", flat=True)}
    days, day = [], group.starts_on
    while day <= group.ends_on:
        if day.isoweekday() in group.weekdays and day not in taken:
            days.append(day)
            if len(days) > SCHEDULE_MAX:
                raise ServiceError(_("That would be more than %(max)d sessions: set an earlier last session.")
                                   % {"max": SCHEDULE_MAX}, "schedule")
        day += datetime.timedelta(days=1)
    created = Session.objects.bulk_create([
        Session(organisation=group.organisation, kind=SessionKind.GROUP, group=group, starts_at=_at(day, group.start_time),
                duration_minutes=group.duration_minutes) for day in days])
    _renumber(group)
    audit.record(action="programmes.group_schedule_generated", actor=by, organisation=group.organisation, obj=group,
                 detail={"group": group.pk, "created": len(created)})
    return created


@transaction.atomic
def session_add(*, by, group, starts_at, duration_minutes=None, topic="") -> Session:
    """One more session of the group (e.g. to make up a cancelled one): not on a day that
    already has one."""
    group = group_lock(user=by, pk=group)
    if group.status == GroupStatus.CLOSED:
        raise ServiceError(_("The group is closed."), "date")
    if not isinstance(starts_at, datetime.datetime):
        raise ServiceError(_("Give the date and time of the session."), "date")
    day = _local_date(starts_at)
    near = Session.objects.filter(group=group, starts_at__gte=starts_at - datetime.timedelta(days=1),
                                  starts_at__lte=starts_at + datetime.timedelta(days=1))
    same_day = [at for at in near.exclude(status=SessionStatus.CANCELLED).values_list("starts_at", flat=True)
                if _local_date(at) == day]
    if same_day:
        raise ServiceError(_("The group already has a session on that day."), "date")
    duration = duration_minutes or group.duration_minutes
    if not 15 <= int(duration) <= 480:
        raise ServiceError(_("A session lasts from 15 to 480 minutes."), "duration_minutes")
    session = Session.objects.create(organisation=group.organisation, kind=SessionKind.GROUP, group=group, starts_at=starts_at,
                                     duration_minutes=int(duration), topic=_text(topic, "topic", TOPIC_MAX))
    _renumber(group)
    session.refresh_from_db(fields=["number"])
    _audit("added", by, session, group=group.pk)
    return session


@transaction.atomic
def session_cancel(*, by, session, reason, version=None) -> Session:
    """Cancel a planned session, with the reason (encrypted). A session held cannot be cancelled."""
    session = selectors.session_lock(user=by, pk=session)
    if version is not None and int(version) != session.version:
        raise StaleEdit(session)
    if session.status != SessionStatus.PLANNED:
        raise ServiceError(_("Only a planned session can be cancelled."), "reason")
    session.cancel_reason = _text(reason, "reason", REASON_MAX, required=True, message=_("Say why the session is cancelled."))
    session.status = SessionStatus.CANCELLED
    session.version += 1
    session.save(update_fields=["cancel_reason", "status", "version"])
    if session.group_id:
        _renumber(session.group)
    _audit("cancelled", by, session)
    return session


@transaction.atomic
def session_record_view(*, by, session) -> None:
    """She opened a session's record (its notes and the attendance notes): one audit event."""
    _audit("viewed", by, session)


# ---- the attendance register ---------------------------------------------------------------------


@dataclass
class Finding:
    enrolment_id: int
    reference: str
    events: list
    notified: set = field(default_factory=set)


@dataclass
class RegisterResult:
    session: Session
    changed: list = field(default_factory=list)  # enrolment ids whose attendance changed
    findings: list = field(default_factory=list)  # Finding, one per man with new compliance events


def _check_row(row: dict, *, make_ups: dict, prefix: str) -> dict:
    """One man's attendance checked and cleaned; ServiceError names the field `prefix` + name."""
    status = row.get("status") or ""
    if status not in AttendanceStatus.values:
        raise ServiceError(_("Record his attendance."), f"{prefix}status")
    excuse = (row.get("excuse") or "").strip()
    if status == AttendanceStatus.EXCUSED:
        if excuse not in pathways.EXCUSES:
            raise ServiceError(_("Give the reason for the excused absence."), f"{prefix}excuse")
    else:
        excuse = ""
    participation = (row.get("participation") or "").strip()
    if status in ATTENDED:
        if participation and participation not in Participation.values:
            raise ServiceError(_("Choose how he took part."), f"{prefix}participation")
    else:
        participation = ""
    made_up_by = row.get("made_up_by") or None
    if made_up_by is not None:
        try:
            made_up_by = int(made_up_by)
        except (TypeError, ValueError):
            made_up_by = -1
        if status not in MISSED:
            made_up_by = None
        elif made_up_by not in make_ups:
            raise ServiceError(_("Choose a later session he attended."), f"{prefix}made_up_by")
    return {"status": status, "excuse": excuse, "participation": participation,
            "note": _text(row.get("note"), f"{prefix}note", NOTE_MAX), "made_up_by_id": made_up_by}


def _facilitators(session, facilitator_ids, member_ids):
    """The people present as facilitators: of the programme; anyone who does not facilitate the
    group must not be on the partner-support side of any man in the register."""
    from rete.programmes.services.groups import _on_partner_side

    try:
        wanted = {int(pk) for pk in facilitator_ids or ()}
    except (TypeError, ValueError):
        wanted = set()
    allowed = {user.pk: user for user in staff_choices(organisation_id=session.organisation_id)}
    if not wanted or not wanted <= set(allowed):
        raise ServiceError(_("Choose who facilitated the session (people of the programme)."), "facilitators")
    regular = set()
    if session.group_id:
        regular = set(GroupFacilitator.objects.filter(group_id=session.group_id, ended_at__isnull=True)
                      .values_list("user_id", flat=True))
    if _on_partner_side(member_ids, sorted(wanted - regular)):
        raise ServiceError(_("One of the facilitators works on the partner-support side of a man in this session."),
                           "facilitators")
    return [allowed[pk] for pk in sorted(wanted)]


@transaction.atomic
def register_save(*, by, session, version, topic, notes, facilitator_ids, rows) -> RegisterResult:
    """Save a session's record and its attendance register in one go: the session becomes held;
    each man's row is created or changed (each row versioned, like the session: a stale one
    refuses the whole save). Then the attendance rules run once for each man whose attendance
    changed. `rows`: [{"enrolment_id", "status", "excuse", "participation", "note",
    "made_up_by", "version"}] — one for every man in the register."""
    from rete.programmes.services.compliance import compliance_evaluate

    session = selectors.session_lock(user=by, pk=session)
    saved = {row.enrolment_id: row for row in Attendance.objects.select_for_update().filter(session=session)}
    stale = version is not None and int(version) != session.version
    for row in rows:
        current = saved.get(int(row["enrolment_id"]))
        posted = row.get("version")
        if posted is not None and int(posted) != (current.version if current else 0):
            stale = True
    if stale:
        raise StaleEdit(session)
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("This session was cancelled."), "topic")
    if _local_date(session.starts_at) > timezone.localdate():
        raise ServiceError(_("A session can be recorded on its day or later."), "topic")
    register = selectors.register_rows(session=session)
    expected = {item["enrolment"].pk: item for item in register}
    posted = {int(row["enrolment_id"]): row for row in rows}
    if set(posted) - set(expected):
        access.deny()
    missing = [pk for pk in expected if pk not in posted or not posted[pk].get("status")]
    if missing:
        raise ServiceError(_("Record the attendance of every man in the register."), f"{missing[0]}-status")
    topic = _text(topic, "topic", TOPIC_MAX)
    notes = _text(notes, "notes", NOTES_MAX)
    facilitators = _facilitators(session, facilitator_ids, list(expected))
    cleaned = {pk: _check_row(posted[pk], make_ups={s.pk for s in expected[pk]["make_ups"]}, prefix=f"{pk}-")
               for pk in expected}

    now = timezone.now()
    new, updated, changed = [], [], []
    for pk, values in cleaned.items():
        current = saved.get(pk)
        if current is None:
            new.append(Attendance(session=session, enrolment_id=pk, recorded_by=by, recorded_at=now, **values))
            changed.append(pk)
            continue
        if all(getattr(current, name) == value for name, value in values.items()):
            continue
        if any(getattr(current, name) != values[name] for name in ("status", "excuse", "participation", "made_up_by_id")):
            changed.append(pk)
        for name, value in values.items():
            setattr(current, name, value)
        current.version += 1
        current.recorded_by, current.recorded_at = by, now
        updated.append(current)
    Attendance.objects.bulk_create(new)
    if updated:
        Attendance.objects.bulk_update(updated, ["status", "excuse", "participation", "note", "made_up_by_id", "version",
                                                 "recorded_by", "recorded_at"])
    session.topic, session.notes, session.status = topic, notes, SessionStatus.HELD
    session.recorded_by, session.recorded_at = by, now
    session.version += 1
    session.save(update_fields=["topic", "notes", "status", "recorded_by", "recorded_at", "version"])
    session.facilitators.set(facilitators)
    if changed:
        Enrolment.objects.filter(pk__in=changed).update(last_activity_at=now)
    counts = {status: sum(1 for v in cleaned.values() if v["status"] == status) for status in AttendanceStatus.values}
    _audit("register_saved", by, session, group=session.group_id, counts=counts, changed=sorted(changed),
           facilitators=sorted(user.pk for user in facilitators))

    result = RegisterResult(session=session, changed=changed)
    for pk in sorted(changed, key=lambda pk: expected[pk]["enrolment"].reference):
        events = compliance_evaluate(by=by, enrolment=pk)
        if events:
            result.findings.append(Finding(pk, expected[pk]["enrolment"].reference, list(events),
                                           set(getattr(events, "notified", ()))))
    return result


# ---- a session with one man ----------------------------------------------------------------------


@transaction.atomic
def individual_session_record(*, by, enrolment, kind, starts_at, duration_minutes, topic="", notes="", status,
                              excuse="", participation="", note="") -> RegisterResult:
    """A session with one man (assessment, individual, motivational, follow-up), recorded as held
    with his attendance; she facilitated it. The attendance rules run when he is in the
    programme."""
    from rete.network.selectors.partner_contact import works_on_partner_side
    from rete.programmes.services.compliance import compliance_evaluate

    enrolment = enrolment_lock(user=by, pk=enrolment)
    if enrolment.state not in states.OPEN:
        raise ServiceError(_("His enrolment is closed: no more sessions can be recorded."), "kind")
    if kind not in INDIVIDUAL_KINDS:
        raise ServiceError(_("Choose the kind of session."), "kind")
    if not isinstance(starts_at, datetime.datetime):
        raise ServiceError(_("Give the date and time of the session."), "date")
    if _local_date(starts_at) > timezone.localdate():
        raise ServiceError(_("Record a session on its day or later, not before."), "date")
    if starts_at < enrolment.enquiry_at - datetime.timedelta(days=1):
        raise ServiceError(_("The session cannot come before his first contact."), "date")
    if not isinstance(duration_minutes, int) or not 10 <= duration_minutes <= 480:
        raise ServiceError(_("A session lasts from 10 to 480 minutes."), "duration_minutes")
    if works_on_partner_side(enrolment_id=enrolment.pk, user_id=by.pk):
        access.deny()
    values = _check_row({"status": status, "excuse": excuse, "participation": participation, "note": note}, make_ups={},
                        prefix="")
    now = timezone.now()
    session = Session.objects.create(organisation=enrolment.organisation, kind=kind, enrolment=enrolment, starts_at=starts_at,
                                     duration_minutes=duration_minutes, topic=_text(topic, "topic", TOPIC_MAX),
                                     notes=_text(notes, "notes", NOTES_MAX), status=SessionStatus.HELD, recorded_by=by,
                                     recorded_at=now)
    session.facilitators.add(by)
    Attendance.objects.create(session=session, enrolment=enrolment, recorded_by=by, recorded_at=now, **values)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
    _audit("individual_recorded", by, session, enrolment=enrolment.pk, kind=kind, attendance=values["status"])
    result = RegisterResult(session=session, changed=[enrolment.pk])
    events = compliance_evaluate(by=by, enrolment=enrolment)
    if events:
        result.findings.append(Finding(enrolment.pk, enrolment.reference, list(events), set(getattr(events, "notified", ()))))
    return result
