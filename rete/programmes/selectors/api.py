"""Reads for the programmes API (part "api"): the rows under one enrolment, as querysets for
paginated listings. Each is scoped through selectors.enrolments.visibility in the same query, so
an enrolment out of her reach yields nothing even if one were passed in; the API gets the
enrolment through enrolment_get first (404 otherwise). Protected text the API never shows
(attendance notes, what was done about a finding, a report's facts and assessment, the
mandate's notes) is not even loaded."""
from rete.core import access
from rete.programmes.models import Attendance, ComplianceEvent, CourtReport, Enrolment, LegalMandate, StateChange
from rete.programmes.selectors.enrolments import visibility

MANDATE_SUMMARY = ("enrolment_id", "basis", "court", "order_on", "start_by", "sessions_per_week", "duration_weeks",
                   "deadline")


def _reachable(user, enrolment):
    """The enrolment as a one-row subquery of those she may open (no query of its own)."""
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    return Enrolment.objects.filter(scope, pk=getattr(enrolment, "pk", enrolment)).values("pk")


def enrolment_state_changes(*, user, enrolment):
    """His changes of state, newest first, with who made them (their reasons are decrypted as
    the rows are read: the caller records the reading)."""
    return (StateChange.objects.filter(enrolment_id__in=_reachable(user, enrolment))
            .select_related("by").order_by("-at", "-pk"))


def enrolment_attendance(*, user, enrolment):
    """His attendance, the latest session first, with the session (never the notes)."""
    return (Attendance.objects.filter(enrolment_id__in=_reachable(user, enrolment))
            .select_related("session").defer("note", "session__notes")
            .order_by("-session__starts_at", "-pk"))


def enrolment_compliance_events(*, user, enrolment):
    """What the attendance rules found about him, newest first (never what was done about it)."""
    return ComplianceEvent.objects.filter(enrolment_id__in=_reachable(user, enrolment)).defer("response").order_by("-at", "-pk")


def enrolment_court_reports(*, user, enrolment):
    """His reports to the court or probation, soonest due first (never their content)."""
    return (CourtReport.objects.filter(enrolment_id__in=_reachable(user, enrolment))
            .defer("facts", "assessment").order_by("due_on", "pk"))


def enrolment_mandate(*, user, enrolment, with_case_number=False) -> LegalMandate | None:
    """His legal mandate, or None: the summary fields, and the case number only when asked."""
    fields = MANDATE_SUMMARY + (("case_number",) if with_case_number else ())
    return LegalMandate.objects.filter(enrolment_id__in=_reachable(user, enrolment)).only(*fields).first()


def mandates_of(*, user, enrolment_ids) -> dict:
    """The mandate summaries (no case number) of a page of enrolments, by enrolment id (one
    query)."""
    scope = visibility(user=user)
    if scope is None or not enrolment_ids:
        return {}
    reachable = Enrolment.objects.filter(scope, pk__in=list(enrolment_ids)).values("pk")
    return {m.enrolment_id: m for m in LegalMandate.objects.filter(enrolment_id__in=reachable).only(*MANDATE_SUMMARY)}
