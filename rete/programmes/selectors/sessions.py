"""Every read of sessions, attendance and compliance findings (part "groups-sessions"). A group
session is visible to whoever may open its group (selectors.groups); a session with one man to
whoever may open his enrolment (selectors.enrolments). Each function issues a fixed number of
queries."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from rete.core import access
from rete.programmes import pathways, rules
from rete.programmes.models import (
    Attendance,
    AttendanceStatus,
    ComplianceEvent,
    ComplianceStatus,
    Enrolment,
    GroupFacilitator,
    Participation,
    Session,
    SessionKind,
    SessionStatus,
)
from rete.programmes.selectors import enrolments as enrolment_selectors
from rete.programmes.selectors.groups import coordinates, group_scope

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
LATEST_MAX = 20
MAKE_UP_CHOICES_MAX = 12
COMPLIANCE_MAX = 50


def _scope(user) -> Q | None:
    groups, enrolments = group_scope(user=user), enrolment_selectors.visibility(user=user)
    if groups is None and enrolments is None:
        return None
    from rete.programmes.models import Group

    scope = Q(pk__in=[])
    if groups is not None:
        scope |= Q(group__isnull=False, group__in=Group.objects.filter(groups).values("pk"))
    if enrolments is not None:
        scope |= Q(group__isnull=True, enrolment__in=Enrolment.objects.filter(enrolments).values("pk"))
    return scope


def session_get(*, user, pk) -> Session:
    """One session she may open (404 otherwise), with `may_record`: she may record it (a group
    session: she coordinates the programme or facilitates the group; a session with one man:
    she may open his enrolment)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = _scope(user)
    if scope is None:
        access.deny()
    session = (Session.objects.filter(scope, pk=pk)
               .select_related("organisation", "group", "enrolment__participant", "enrolment__organisation",
                               "recorded_by").first())
    if session is None:
        access.deny()
    if session.group_id:
        session.may_record = coordinates(user=user, organisation_id=session.organisation_id) or \
            GroupFacilitator.objects.filter(group_id=session.group_id, user=user, ended_at__isnull=True).exists()
    else:
        session.may_record = True
    return session


def session_lock(*, user, pk) -> Session:
    """For the services: the session locked, if she may record it (404 otherwise)."""
    scope = _scope(user)
    if scope is None:
        access.deny()
    session = (Session.objects.select_for_update(of=("self",)).filter(scope, pk=getattr(pk, "pk", pk))
               .select_related("organisation", "group").first())
    if session is None:
        access.deny()
    if session.group_id and not coordinates(user=user, organisation_id=session.organisation_id) and \
            not GroupFacilitator.objects.filter(group_id=session.group_id, user=user, ended_at__isnull=True).exists():
        access.deny()
    return session


def session_facilitator_ids(*, session) -> list[int]:
    return list(session.facilitators.values_list("pk", flat=True))


def session_facilitators(*, session) -> list:
    return list(session.facilitators.order_by("last_name", "first_name", "pk"))


def group_sessions(*, group) -> list[Session]:
    """The sessions of a group in order, each with how many men attended and how many rows were
    recorded (one query)."""
    return list(Session.objects.filter(group=group).annotate(
        attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED)),
        recorded=Count("attendance")).order_by("starts_at", "pk"))


def local_date(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def register_rows(*, session) -> list[dict]:
    """The attendance register: one row per man placed in the group on the session's date (or
    the man of a session with him), each with his saved attendance (or None) and the later held
    sessions he attended that may make up an absence. Three queries."""
    from rete.programmes.selectors.groups import group_members

    on = local_date(session.starts_at)
    rows = Attendance.objects.filter(session=session).select_related("made_up_by__group")
    saved = {row.enrolment_id: row for row in rows}
    if session.group_id:
        placed = group_members(group=session.group, on=on)
        enrolments = list({member.enrolment_id: member.enrolment for member in placed}.values())
        missing = set(saved) - {e.pk for e in enrolments}
        if missing:  # recorded earlier, moved since: his row stays in the register
            enrolments += list(Enrolment.objects.filter(pk__in=missing).select_related("participant", "organisation"))
    else:
        enrolments = [session.enrolment]
    make_ups = make_up_choices(session=session, enrolment_ids=[e.pk for e in enrolments])
    return [{"enrolment": enrolment, "attendance": saved.get(enrolment.pk), "make_ups": make_ups.get(enrolment.pk, [])}
            for enrolment in sorted(enrolments, key=lambda e: e.reference)]


def make_up_choices(*, session, enrolment_ids) -> dict[int, list[Session]]:
    """Per man, the later held sessions he attended (group or individual), soonest first: those
    that may make up an absence from `session` (one query)."""
    if not enrolment_ids:
        return {}
    rows = (Attendance.objects.filter(enrolment_id__in=enrolment_ids, status__in=ATTENDED,
                                      session__status=SessionStatus.HELD, session__starts_at__gt=session.starts_at)
            .exclude(session=session).select_related("session__group").order_by("session__starts_at", "session_id"))
    found: dict[int, list] = {}
    for row in rows[:MAKE_UP_CHOICES_MAX * len(enrolment_ids)]:
        choices = found.setdefault(row.enrolment_id, [])
        if len(choices) < MAKE_UP_CHOICES_MAX:
            choices.append(row.session)
    return found


def session_label(session) -> str:
    """A session in a few words for choices and messages (no personal data)."""
    from django.utils import formats

    when = formats.date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")
    if session.group_id:
        return f"{when} · {session.group.name}" + (f" · {session.number}" if session.number else "")
    return f"{when} · {session.get_kind_display()}"


# ---- one man: his attendance on the enrolment page --------------------------------------------------


def _stage_kind(session) -> str:
    """The kind of pathway stage a session counts for."""
    if session.group_id:
        return session.group.stage_kind
    return {SessionKind.INDIVIDUAL: "individual", SessionKind.ASSESSMENT: "assessment",
            SessionKind.MOTIVATIONAL: "motivational", SessionKind.FOLLOW_UP: "follow_up"}.get(session.kind, session.kind)


def attendance_summary(*, enrolment) -> dict:
    """His held sessions (attended, late, excused, absent), the absences that count under his
    pathway's rules (since he started), the hours he attended, his progress in the current
    stage (sessions of that stage's kind he attended, against its minimum) and his latest
    sessions with his attendance. One query."""
    from rete.programmes.services.compliance import rules_for

    rows = list(Attendance.objects.filter(enrolment=enrolment, session__status=SessionStatus.HELD)
                .select_related("session__group", "made_up_by").order_by("-session__starts_at", "-session_id"))
    counts = {status: 0 for status in AttendanceStatus.values}
    minutes = 0
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.status in ATTENDED:
            minutes += row.session.duration_minutes
    records = [rules.Record(on=local_date(row.session.starts_at), status=row.status, excuse=row.excuse,
                            made_up_on=local_date(row.made_up_by.starts_at) if row.made_up_by_id else None,
                            oppositional=row.participation == Participation.OPPOSITIONAL, session_id=row.session_id)
               for row in rows if not enrolment.started_on or local_date(row.session.starts_at) >= enrolment.started_on]
    counted = rules.counted_absences(records, rules_for(enrolment))
    stage = pathways.stage(enrolment.pathway_version.stages, enrolment.stage) if enrolment.pathway_version_id else None
    progress = None
    if stage:
        in_stage = [row for row in rows if row.status in ATTENDED and _stage_kind(row.session) == stage.get("kind")]
        stage_minutes = sum(row.session.duration_minutes for row in in_stage)
        progress = {"stage": stage, "sessions": len(in_stage), "hours": round(stage_minutes / 60, 1),
                    "min_sessions": stage.get("min_sessions") or 0, "min_hours": stage.get("min_hours") or 0}
    return {"held": len(rows), "counts": counts, "counted_absences": len(counted), "hours": round(minutes / 60, 1),
            "progress": progress, "latest": rows[:LATEST_MAX]}


def compliance_events(*, enrolment) -> list[ComplianceEvent]:
    """His findings, open ones first, then the newest (one query, at most COMPLIANCE_MAX)."""
    rows = ComplianceEvent.objects.filter(enrolment=enrolment).select_related("addressed_by")
    return sorted(rows.order_by("-at", "-pk")[:COMPLIANCE_MAX], key=lambda e: e.status != ComplianceStatus.OPEN)


def compliance_event_get(*, enrolment, pk) -> ComplianceEvent:
    """One finding of his (the enrolment already opened through its selector); 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    event = ComplianceEvent.objects.filter(enrolment=enrolment, pk=pk).first()
    if event is None:
        access.deny()
    return event


# ---- the facilitator's start page ------------------------------------------------------------------


def sessions_to_record(*, user, now=None) -> dict | None:
    """Sessions of the groups she facilitates: those of the past 7 days with no attendance
    recorded yet, and today's. One query (None: nothing to show)."""
    if not getattr(user, "is_authenticated", False) or not enrolment_selectors.works_with_men(user=user):
        return None
    now = timezone.localtime(now or timezone.now())
    today_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today_start + datetime.timedelta(days=1)
    facilitated = GroupFacilitator.objects.filter(user=user, ended_at__isnull=True).values("group_id")
    rows = list(Session.objects.filter(group__in=facilitated).filter(
        Q(status=SessionStatus.PLANNED, starts_at__gte=today_start - datetime.timedelta(days=7), starts_at__lt=now) |
        Q(starts_at__gte=today_start, starts_at__lt=tomorrow)).exclude(status=SessionStatus.CANCELLED)
        .select_related("group").order_by("starts_at", "pk")[:50])
    if not rows:
        return None
    return {"overdue": [s for s in rows if s.starts_at < today_start],
            "today": [s for s in rows if s.starts_at >= today_start]}
