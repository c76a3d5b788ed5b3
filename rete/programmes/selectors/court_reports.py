"""Every read of court and probation reports (part "court-reports"): a report is reached only
through its enrolment's visibility (selectors.enrolments.visibility), the same 404 for a report
out of reach as for one that does not exist.

`report_facts` reads the record a report is drafted from. It reads the enrolment's own tables
only: never anything about his partner or the partner-contact link (rete.network is not
touched at all), never the text of a reason or a note."""
import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from rete.core import access
from rete.programmes import rules, states
from rete.programmes.models import (
    Attendance,
    AttendanceStatus,
    ComplianceEvent,
    CourtReport,
    Enrolment,
    EnrolmentStaff,
    EnrolmentState,
    LegalMandate,
    Participation,
    ReportKind,
    ReportRecipient,
    ReportStatus,
    SessionStatus,
    StaffRole,
    StateChange,
)
from rete.programmes.selectors.enrolments import visibility

# What is still to do on a report (the list page, the reminders).
OUTSTANDING = (ReportStatus.DUE, ReportStatus.DRAFT, ReportStatus.SIGNED)
# A reminder goes out when a report is due within this many days, or overdue.
REMIND_DAYS = 3
LIST_LIMIT = 200
# The states a final report reads its outcome from (the last of them he entered).
FAVOURABLE = (EnrolmentState.COMPLETED_FAVOURABLE,)
UNFAVOURABLE = (EnrolmentState.COMPLETED_UNFAVOURABLE, EnrolmentState.EXCLUDED, EnrolmentState.DROPPED_OUT)


def _scope(user):
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    return scope


def _reports_in_reach(user):
    return CourtReport.objects.filter(enrolment__in=Enrolment.objects.filter(_scope(user)).values("pk"))


def court_report_get(*, user, pk) -> CourtReport:
    """One report if she may open its enrolment; 404 otherwise (the same for a missing one)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    report = (_reports_in_reach(user).filter(pk=pk)
              .select_related("enrolment__participant", "enrolment__organisation", "compliance_event",
                              "drafted_by", "signed_by", "sent_by", "cancelled_by").first())
    if report is None:
        access.deny()
    return report


def court_report_lock(*, user, pk) -> CourtReport:
    """For the services: the report locked, if she may open its enrolment."""
    pk = getattr(pk, "pk", pk)
    report = (CourtReport.objects.select_for_update(of=("self",))
              .filter(pk=pk, enrolment__in=Enrolment.objects.filter(_scope(user)).values("pk"))
              .select_related("enrolment__organisation", "enrolment__participant", "enrolment__pathway_version").first())
    if report is None:
        access.deny()
    return report


def enrolment_reports(*, enrolment) -> list[CourtReport]:
    """The reports of one enrolment (one query), soonest due first; for the enrolment's page,
    whose own selector already decided she may open it."""
    return list(CourtReport.objects.filter(enrolment_id=enrolment.pk).select_related("signed_by")
                .defer("facts", "assessment", "cancel_reason").order_by("due_on", "pk"))


def enrolment_mandate(*, enrolment) -> LegalMandate | None:
    return LegalMandate.objects.filter(enrolment_id=enrolment.pk).first()


def reports_to_do(*, user, limit=LIST_LIMIT) -> list[CourtReport]:
    """Every report still to do (due, drafted and waiting for sign-off, signed and waiting to be
    sent) of the enrolments she may open, soonest due first (one query, at most `limit`)."""
    return list(_reports_in_reach(user).filter(status__in=OUTSTANDING)
                .select_related("enrolment__organisation").defer("facts", "assessment", "cancel_reason")
                .order_by("due_on", "pk")[:limit])


def report_recipients(*, report) -> list[ReportRecipient]:
    """The mandate's recipients that receive this kind of report (one query)."""
    rows = ReportRecipient.objects.filter(mandate__enrolment_id=report.enrolment_id).order_by("pk")
    return [row for row in rows if report.kind in (row.reports or [])]


def default_language(organisation) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return next((code for code in organisation.languages or () if code in codes), settings.LANGUAGE_CODE)


# ---- the facts a report is drafted from -------------------------------------------------------


def report_period(*, report, enrolment, as_of) -> tuple[datetime.date, datetime.date]:
    """The period a report covers: the periodic report's own; otherwise from his start (or the
    first contact) to the end of the programme or `as_of`."""
    if report.kind == ReportKind.PERIODIC and report.period_from and report.period_to:
        return report.period_from, report.period_to
    start = enrolment.started_on or timezone.localtime(enrolment.enquiry_at).date()
    end = as_of
    if report.kind in (ReportKind.FINAL, ReportKind.INTERRUPTION) and enrolment.ended_on:
        end = min(as_of, enrolment.ended_on)
    return start, max(start, end)


def _counts(rows) -> dict:
    counts = {"offered": len(rows), "attended": 0, "present": 0, "late": 0, "excused": 0, "absent": 0,
              "counted_absences": 0, "minutes": 0}
    for row in rows:
        counts[row["status"]] += 1
        if row["status"] in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            counts["attended"] += 1
            counts["minutes"] += row["minutes"]
        if row["counted"]:
            counts["counted_absences"] += 1
    counts["hours"] = round(counts.pop("minutes") / 60, 1)
    return counts


def _weeks(rows, *, start, end, per_week) -> list[dict]:
    """Every ISO week overlapping the period: sessions offered and attended, what the mandate
    asks (at least `per_week`, or every session offered if fewer were), whether he met it."""
    tallies = {}
    for row in rows:
        tally = tallies.setdefault(row["on"].isocalendar()[:2], {"offered": 0, "attended": 0})
        tally["offered"] += 1
        if row["status"] in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            tally["attended"] += 1
    weeks = []
    monday = start - datetime.timedelta(days=start.isoweekday() - 1)
    while monday <= end and len(weeks) < 300:
        year, number, _day = monday.isocalendar()
        tally = tallies.get((year, number), {"offered": 0, "attended": 0})
        required = min(per_week, tally["offered"]) if per_week else tally["offered"]
        weeks.append({"year": year, "week": number, "from": monday.isoformat(),
                      "offered": tally["offered"], "attended": tally["attended"], "required": per_week,
                      "met": (tally["attended"] >= required) if tally["offered"] else None})
        monday += datetime.timedelta(days=7)
    return weeks


def _outcome(enrolment, changes) -> str:
    """Favourable or unfavourable, from his state (or, after the programme, the last ending state
    he entered)."""
    candidates = [enrolment.state] + [change.to_state for change in changes]  # changes: newest first
    for state in candidates:
        if state in FAVOURABLE:
            return "favourable"
        if state in UNFAVOURABLE:
            return "unfavourable"
    return ""


def report_facts(*, report, enrolment, as_of=None) -> dict:
    """The record as it is now, for one report (a fixed number of queries). Codes, numbers and
    dates; the mandate's and his identifying details (encrypted with the facts). Never the text
    of a reason, a note or a response; nothing about his partner."""
    from rete.programmes.services.compliance import rules_for

    as_of = as_of or timezone.localdate()
    start, end = report_period(report=report, enrolment=enrolment, as_of=as_of)
    tz = timezone.get_current_timezone()
    mandate = LegalMandate.objects.filter(enrolment_id=enrolment.pk).first()
    person = enrolment.participant

    # His attendance since he started (one query): the rules count absences over the whole
    # programme (excused absences have a quota), the report shows the period and the total.
    attendance = (Attendance.objects
                  .filter(enrolment_id=enrolment.pk, session__status=SessionStatus.HELD)
                  .select_related("session", "made_up_by").only(
                      "status", "excuse", "participation", "session_id", "session__starts_at", "session__duration_minutes",
                      "made_up_by__starts_at").order_by("session__starts_at", "session_id"))
    if enrolment.started_on:
        attendance = attendance.filter(session__starts_at__date__gte=enrolment.started_on)
    records, rows = [], []
    for row in attendance:
        on = row.session.starts_at.astimezone(tz).date()
        if on > as_of:
            continue
        record = rules.Record(on=on, status=row.status, excuse=row.excuse, session_id=row.session_id,
                              made_up_on=row.made_up_by.starts_at.astimezone(tz).date() if row.made_up_by_id else None,
                              oppositional=row.participation == Participation.OPPOSITIONAL)
        records.append(record)
        rows.append({"on": on, "status": row.status, "participation": row.participation, "session_id": row.session_id,
                     "minutes": row.session.duration_minutes, "counted": False})
    counted = {(r.on, r.session_id) for r in rules.counted_absences(records, rules_for(enrolment))}
    for row in rows:
        row["counted"] = (row["on"], row["session_id"]) in counted
    in_period = [row for row in rows if start <= row["on"] <= end]

    participation = {code: 0 for code in Participation.values}
    participation["not_recorded"] = 0
    for row in in_period:
        if row["status"] in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            participation[row["participation"] if row["participation"] in Participation.values else "not_recorded"] += 1

    # Changes of state in the period, with their dates (never the reason's text).
    all_changes = list(StateChange.objects.filter(enrolment_id=enrolment.pk).only("from_state", "to_state", "at")
                       .order_by("-at", "-pk")[:500])
    changes = [{"on": timezone.localtime(change.at).date().isoformat(), "from": change.from_state, "to": change.to_state}
               for change in reversed(all_changes) if start <= timezone.localtime(change.at).date() <= end]

    events = (ComplianceEvent.objects.filter(enrolment_id=enrolment.pk).only("rule", "level", "status", "at")
              .order_by("at", "pk"))
    compliance = [{"on": timezone.localtime(event.at).date().isoformat(), "rule": event.rule, "level": event.level,
                   "status": event.status, "id": event.pk}
                  for event in events[:500] if start <= timezone.localtime(event.at).date() <= end
                  or event.pk == report.compliance_event_id]

    per_week = mandate.sessions_per_week if mandate else 0
    facts = {
        "as_of": as_of.isoformat(),
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "participant": {"name": person.display_name(), "date_of_birth": person.date_of_birth or "",
                        "birth_year": person.birth_year},
        "enrolment": {"reference": enrolment.reference, "source": enrolment.source, "state": enrolment.state,
                      "started_on": enrolment.started_on.isoformat() if enrolment.started_on else "",
                      "ended_on": enrolment.ended_on.isoformat() if enrolment.ended_on else "",
                      "pathway": str(enrolment.pathway_version.pathway.name) if enrolment.pathway_version_id else "",
                      "stage": enrolment.stage},
        "mandate": None,
        "states": changes,
        "attendance": {"period": _counts(in_period), "since_start": _counts(rows)},
        "weeks": _weeks(in_period, start=start, end=min(end, as_of), per_week=per_week),
        "participation": participation,
        "compliance": compliance,
        "compliance_event": report.compliance_event_id,
        "outcome": _outcome(enrolment, all_changes) if report.kind == ReportKind.FINAL else "",
    }
    if mandate is not None:
        facts["mandate"] = {
            "basis": mandate.basis, "court": mandate.court, "case_number": mandate.case_number,
            "order_on": mandate.order_on.isoformat(), "start_by": mandate.start_by.isoformat() if mandate.start_by else "",
            "sessions_per_week": mandate.sessions_per_week, "duration_weeks": mandate.duration_weeks,
            "deadline": mandate.effective_deadline.isoformat(), "deadline_set": bool(mandate.deadline),
            "condition": mandate.favourable_outcome_condition, "consent_recorded": mandate.consent_recorded,
        }
    return facts


# ---- for the background work (no user: ids and dates only) -----------------------------------------


def periodic_candidates(*, after_pk=0, batch=500) -> list[dict]:
    """A chunk of the mandates of men in the programme who have started, by enrolment id."""
    return list(LegalMandate.objects.filter(enrolment__state__in=list(states.IN_PROGRAMME), enrolment__started_on__isnull=False,
                                            enrolment_id__gt=after_pk)
                .order_by("enrolment_id").values("enrolment_id", "enrolment__started_on", "report_every_weeks", "deadline",
                                                 "order_on")[:batch])


def periodic_periods_known(*, enrolment_ids) -> set:
    """(enrolment id, period end) of every periodic report of these enrolments, cancelled ones
    included (one marked not needed is not made due again)."""
    return set(CourtReport.objects.filter(enrolment_id__in=list(enrolment_ids), kind=ReportKind.PERIODIC)
               .values_list("enrolment_id", "period_to"))


def reports_to_remind(*, today, batch=500):
    """Outstanding reports due within REMIND_DAYS or overdue, not yet reminded today."""
    return list(CourtReport.objects.filter(status__in=OUTSTANDING, due_on__lte=today + datetime.timedelta(days=REMIND_DAYS))
                .filter(Q(reminder_sent_on__isnull=True) | Q(reminder_sent_on__lt=today))
                .select_related("enrolment__organisation").defer("facts", "assessment", "cancel_reason")
                .order_by("due_on", "pk")[:batch])


def reminder_recipients(*, report) -> list:
    """The programme's coordinators and the enrolment's case managers who still work with men
    there, active and with an address."""
    from rete.core.models import Membership, User
    from rete.programmes import access as programme_access

    organisation_id = report.enrolment.organisation_id
    coordinators = Membership.objects.filter(organisation_id=organisation_id, ended_at__isnull=True,
                                             role__in=list(programme_access.COORDINATE_PROGRAMME)).values("user_id")
    working = Membership.objects.filter(organisation_id=organisation_id, ended_at__isnull=True,
                                        role__in=list(programme_access.WORK_WITH_MEN)).values("user_id")
    managers = EnrolmentStaff.objects.filter(enrolment_id=report.enrolment_id, role=StaffRole.CASE_MANAGER,
                                             ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(Q(pk__in=coordinators) | (Q(pk__in=managers) & Q(pk__in=working)), is_active=True)
                .exclude(email="").order_by("pk"))
