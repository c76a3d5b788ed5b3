"""Attendance rules at work: after attendance is recorded (and each day from `rete tick`, for the
weekly rule), the enrolment's records go through rete.programmes.rules; each new finding becomes
a ComplianceEvent (once per key) and sets going what the pathway says. A non-compliance finding
moves a man who is active or in the motivational phase to "non-compliant"."""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.programmes import pathways, rules, states
from rete.programmes.models import (
    Attendance,
    ComplianceEvent,
    ComplianceLevel,
    ComplianceStatus,
    Enrolment,
    EnrolmentState,
    LegalMandate,
    Participation,
    SessionStatus,
)

logger = logging.getLogger(__name__)


def records_for(enrolment) -> list[rules.Record]:
    """His attendance since he started, as the rules read it (one query)."""
    rows = (Attendance.objects.filter(enrolment=enrolment, session__status=SessionStatus.HELD)
            .select_related("made_up_by").only("status", "excuse", "participation", "session__starts_at", "session_id",
                                                "made_up_by__starts_at")
            .select_related("session"))
    if enrolment.started_on:
        rows = rows.filter(session__starts_at__date__gte=enrolment.started_on)
    tz = timezone.get_current_timezone()
    return [rules.Record(on=row.session.starts_at.astimezone(tz).date(), status=row.status, excuse=row.excuse,
                         made_up_on=row.made_up_by.starts_at.astimezone(tz).date() if row.made_up_by_id else None,
                         oppositional=row.participation == Participation.OPPOSITIONAL, session_id=row.session_id)
            for row in rows]


def rules_for(enrolment) -> dict:
    if enrolment.pathway_version_id:
        return {**pathways.DEFAULT_RULES, **(enrolment.pathway_version.rules or {})}
    return dict(pathways.DEFAULT_RULES)


class Findings(list):
    """The new events of an evaluation (a list, as before), with `notified`: who was told of
    them ("partner": the partner-support service; "court": a report fell due)."""

    def __init__(self, events=(), notified=None):
        super().__init__(events)
        self.notified = set(notified or ())


@transaction.atomic
def compliance_evaluate(*, by, enrolment, as_of=None) -> list[ComplianceEvent]:
    """Run the rules for one enrolment (locked by the caller, or locked here); record and act on
    the new findings. Returns the new events (a Findings list: `.notified` says who was told).
    Does nothing outside the programme. A fixed number of queries when nothing new is found."""
    from rete.programmes.services import notify
    from rete.programmes.services.enrolments import _change_state

    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("pathway_version", "organisation").get(
        pk=getattr(enrolment, "pk", enrolment))
    if enrolment.state not in states.IN_PROGRAMME:
        return Findings()
    as_of = as_of or timezone.localdate()
    mandate = LegalMandate.objects.filter(enrolment=enrolment).values_list("sessions_per_week", flat=True).first()
    findings = rules.evaluate(records_for(enrolment), rules_for(enrolment), as_of=as_of, sessions_per_week=mandate or 0)
    known = set(ComplianceEvent.objects.filter(enrolment=enrolment).values_list("key", flat=True))
    created = []
    now = timezone.now()
    for finding in findings:
        if finding.key in known:
            continue
        event = ComplianceEvent.objects.create(enrolment=enrolment, rule=finding.rule, level=finding.level, key=finding.key,
                                               detail=finding.detail, at=now)
        created.append(event)
        audit.record(action="programmes.compliance_found", actor=by, organisation=enrolment.organisation, obj=enrolment,
                     detail={"enrolment": enrolment.pk, "rule": finding.rule, "level": finding.level, "event": event.pk})
    non_compliance = [e for e in created if e.level == ComplianceLevel.NON_COMPLIANCE]
    warnings = [e for e in created if e.level == ComplianceLevel.WARNING]
    notified = set()
    if non_compliance and enrolment.state in (EnrolmentState.ACTIVE, EnrolmentState.MOTIVATIONAL):
        _change_state(by, enrolment, EnrolmentState.NON_COMPLIANT,
                      _("Attendance rules: %(rule)s.") % {"rule": rule_label(non_compliance[0].rule)}, automatic=True,
                      compliance_event=non_compliance[0])
        notified |= set(getattr(enrolment, "notified", None) or ())
    elif non_compliance:
        notified |= notify.dispatch(by=by, enrolment=enrolment, event="non_compliance", compliance_event=non_compliance[0])
    if warnings and not non_compliance:
        notified |= notify.dispatch(by=by, enrolment=enrolment, event="absence_warning", compliance_event=warnings[0])
    return Findings(created, notified)


def rule_label(code) -> str:
    from django.utils.translation import gettext

    labels = {
        "absences": gettext("absences that count"),
        "consecutive_absences": gettext("absences in a row"),
        "oppositional": gettext("an oppositional attitude in sessions"),
        "weekly_frequency": gettext("fewer sessions in a week than required"),
    }
    return labels.get(code, code)


def finding_text(event) -> str:
    """A finding in words with its numbers, e.g. "absences that count (2)" (no personal data)."""
    from django.utils.translation import gettext

    detail = event.detail or {}
    rule = rule_label(event.rule)
    if event.rule in ("absences", "consecutive_absences") and "absences" in detail:
        return gettext("%(rule)s (%(number)s)") % {"rule": rule, "number": detail["absences"]}
    if event.rule == "oppositional" and "sessions" in detail:
        return gettext("%(rule)s (%(number)s)") % {"rule": rule, "number": detail["sessions"]}
    if event.rule == "weekly_frequency" and "required" in detail:
        return gettext("%(rule)s (week %(week)s of %(year)s: %(attended)s of %(required)s)") % {
            "rule": rule, "week": detail.get("week", "?"), "year": detail.get("year", "?"),
            "attended": detail.get("attended", 0), "required": detail["required"]}
    return rule


def finding_numbers(event) -> list[tuple]:
    """The numbers of a finding as (label, value) pairs, for the enrolment page."""
    from django.utils.translation import gettext

    labels = {"absences": gettext("Absences"), "threshold": gettext("Threshold"), "from": gettext("From"),
              "to": gettext("To"), "sessions": gettext("Sessions"), "year": gettext("Year"), "week": gettext("Week"),
              "attended": gettext("Attended"), "required": gettext("Required")}
    return [(labels[key], value) for key, value in (event.detail or {}).items() if key in labels]


@transaction.atomic
def compliance_address(*, by, enrolment, event_id, response) -> ComplianceEvent:
    """Record what was done about an open warning or non-compliance finding (the response is
    encrypted): the finding is then addressed. Whoever may open the enrolment may answer."""
    from rete.core.services import ServiceError
    from rete.programmes.selectors.enrolments import enrolment_lock

    enrolment = enrolment_lock(user=by, pk=enrolment)
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        access.deny()
    event = ComplianceEvent.objects.select_for_update().filter(pk=event_id, enrolment=enrolment).first()
    if event is None:
        access.deny()
    if event.status != ComplianceStatus.OPEN:
        raise ServiceError(_("This finding has already been addressed."), "response")
    response = (response or "").strip()
    if not response:
        raise ServiceError(_("Say what was done about this finding."), "response")
    if len(response) > RESPONSE_MAX:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": RESPONSE_MAX}, "response")
    event.status, event.response = ComplianceStatus.ADDRESSED, response
    event.addressed_by, event.addressed_at = by, timezone.now()
    event.save(update_fields=["status", "response", "addressed_by", "addressed_at"])
    audit.record(action="programmes.compliance_addressed", actor=by, organisation=enrolment.organisation, obj=enrolment,
                 detail={"enrolment": enrolment.pk, "event": event.pk, "rule": event.rule, "level": event.level})
    return event


RESPONSE_MAX = 4000
# `rete tick`: the weekly rule fires without new attendance for men seen in the last weeks.
TICK_RECENT_DAYS = 21
TICK_CHUNK = 200
TICK_MAX_PER_RUN = 5000


def compliance_tick(now=None) -> int:
    """Re-run the rules (by nobody: the background) for every enrolment in the programme whose
    last held session is within the last TICK_RECENT_DAYS days; in chunks of ids, each
    evaluation in its own transaction, at most TICK_MAX_PER_RUN per run. Idempotent: a finding
    is recorded once (its key). Returns the number of new findings."""
    import datetime

    from django.db.models import Exists, OuterRef

    now = now or timezone.now()
    since = now - datetime.timedelta(days=TICK_RECENT_DAYS)
    recent = Attendance.objects.filter(enrolment=OuterRef("pk"), session__status=SessionStatus.HELD,
                                       session__starts_at__gte=since, session__starts_at__lte=now)
    candidates = Enrolment.objects.filter(Exists(recent), state__in=states.IN_PROGRAMME).order_by("pk")
    found, seen, last = 0, 0, 0
    as_of = timezone.localdate(now)
    while seen < TICK_MAX_PER_RUN:
        chunk = list(candidates.filter(pk__gt=last).values_list("pk", flat=True)[:TICK_CHUNK])
        if not chunk:
            break
        for pk in chunk:
            try:
                found += len(compliance_evaluate(by=None, enrolment=pk, as_of=as_of))
            except Exception:  # one enrolment must not stop the others; the next run tries again
                logger.exception("attendance rules failed for enrolment %s", pk)
        seen += len(chunk)
        last = chunk[-1]
    return found