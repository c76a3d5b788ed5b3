"""Attendance rules at work: after attendance is recorded (and each day from `rete tick`, for the
weekly rule), the enrolment's records go through rete.programmes.rules; each new finding becomes
a ComplianceEvent (once per key) and sets going what the pathway says. A non-compliance finding
moves a man who is active or in the motivational phase to "non-compliant"."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import audit
from rete.programmes import pathways, rules, states
from rete.programmes.models import (
    Attendance,
    ComplianceEvent,
    ComplianceLevel,
    Enrolment,
    EnrolmentState,
    LegalMandate,
    Participation,
    SessionStatus,
)


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


@transaction.atomic
def compliance_evaluate(*, by, enrolment, as_of=None) -> list[ComplianceEvent]:
    """Run the rules for one enrolment (locked by the caller, or locked here); record and act on
    the new findings. Returns the new events. Does nothing outside the programme."""
    from rete.programmes.services import notify
    from rete.programmes.services.enrolments import _change_state

    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("pathway_version", "organisation").get(
        pk=getattr(enrolment, "pk", enrolment))
    if enrolment.state not in states.IN_PROGRAMME:
        return []
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
    if non_compliance and enrolment.state in (EnrolmentState.ACTIVE, EnrolmentState.MOTIVATIONAL):
        _change_state(by, enrolment, EnrolmentState.NON_COMPLIANT,
                      _("Attendance rules: %(rule)s.") % {"rule": rule_label(non_compliance[0].rule)}, automatic=True,
                      compliance_event=non_compliance[0])
    elif non_compliance:
        notify.dispatch(by=by, enrolment=enrolment, event="non_compliance", compliance_event=non_compliance[0])
    if warnings and not non_compliance:
        notify.dispatch(by=by, enrolment=enrolment, event="absence_warning", compliance_event=warnings[0])
    return created


def rule_label(code) -> str:
    from django.utils.translation import gettext

    labels = {
        "absences": gettext("absences that count"),
        "consecutive_absences": gettext("absences in a row"),
        "oppositional": gettext("an oppositional attitude in sessions"),
        "weekly_frequency": gettext("fewer sessions in a week than required"),
    }
    return labels.get(code, code)
