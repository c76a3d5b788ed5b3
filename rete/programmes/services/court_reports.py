"""Court and probation reports. A report first falls due (report_due: from an event through
services.notify, or from the mandate's schedule), then is drafted from the record, signed off by
a programme coordinator and its sending recorded."""
from rete.programmes.models import CourtReport, ReportKind, ReportStatus

# One start notice and one final report per enrolment; the others as often as they fall due.
ONCE = (ReportKind.START, ReportKind.FINAL)


def report_due(*, enrolment, kind, due_on, period_from=None, period_to=None, compliance_event=None) -> CourtReport | None:
    """A report falls due (inside the caller's transaction). Returns None when it is already
    due or done (a start notice or final report exists; a compliance notice for that finding)."""
    existing = CourtReport.objects.filter(enrolment_id=enrolment.pk, kind=kind).exclude(status=ReportStatus.CANCELLED)
    if kind in ONCE and existing.exists():
        return None
    if compliance_event is not None and existing.filter(compliance_event=compliance_event).exists():
        return None
    if kind == ReportKind.PERIODIC and period_to and existing.filter(period_to=period_to).exists():
        return None
    return CourtReport.objects.create(enrolment_id=enrolment.pk, kind=kind, due_on=due_on, period_from=period_from,
                                      period_to=period_to, compliance_event=compliance_event)
