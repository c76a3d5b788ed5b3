"""Court and probation reports. A report first falls due (report_due: from an event through
services.notify, or from the mandate's schedule), then is drafted from the record, signed off by
a programme coordinator and its sending recorded.

Part "court-reports": drafting freezes the record's facts (selectors.court_reports.report_facts:
never anything about his partner) into the report; the programme's assessment is edited while
the report is a draft (versioned: a stale save is refused with both versions); a programme
coordinator signs it off, after which nothing changes; its sending is recorded (to whom among
the mandate's recipients of that kind, how and when). A due report may be marked not needed,
with the reason, by a coordinator. Audit events carry ids and codes only."""
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import access as programme_access
from rete.programmes.models import CourtReport, Enrolment, ReportKind, ReportStatus

# One start notice and one final report per enrolment; the others as often as they fall due.
ONCE = (ReportKind.START, ReportKind.FINAL)
# A periodic report is due this many days after the end of its period.
PERIODIC_DUE_DAYS = 7
ASSESSMENT_MAX = 20000
REASON_MAX = 4000
# How the sending was made.
SEND_METHODS = (
    ("pec", gettext_lazy("Certified e-mail (PEC)")),
    ("email", gettext_lazy("E-mail")),
    ("post", gettext_lazy("Post")),
    ("hand", gettext_lazy("By hand")),
    ("portal", gettext_lazy("The authority's portal")),
)


def report_due(*, enrolment, kind, due_on, period_from=None, period_to=None, compliance_event=None) -> CourtReport | None:
    """A report falls due (inside the caller's transaction). Returns None when it is already
    due or done (a start notice or final report exists; a compliance notice for that finding;
    a periodic report for that period, even one marked not needed)."""
    existing = CourtReport.objects.filter(enrolment_id=enrolment.pk, kind=kind).exclude(status=ReportStatus.CANCELLED)
    if kind in ONCE and existing.exists():
        return None
    if compliance_event is not None and existing.filter(compliance_event=compliance_event).exists():
        return None
    if kind == ReportKind.PERIODIC and period_to and \
            CourtReport.objects.filter(enrolment_id=enrolment.pk, kind=kind, period_to=period_to).exists():
        return None
    return CourtReport.objects.create(enrolment_id=enrolment.pk, kind=kind, due_on=due_on, period_from=period_from,
                                      period_to=period_to, compliance_event=compliance_event)


def _audit(verb, by, report, **detail):
    audit.record(action=f"programmes.{verb}", actor=by, organisation=report.enrolment.organisation, obj=report,
                 detail={"enrolment": report.enrolment_id, "report": report.pk, "kind": report.kind, **detail})


def _lock(by, report, version):
    from rete.programmes.selectors.court_reports import court_report_lock

    report = court_report_lock(user=by, pk=report)
    if version is not None and int(version) != report.version:
        raise StaleEdit(report)
    return report


def _save(report, *fields):
    report.version += 1
    report.save(update_fields=["version", *fields])
    Enrolment.objects.filter(pk=report.enrolment_id).update(last_activity_at=timezone.now())


def _require_coordinator(by, report):
    if not access.has_capability(by, report.enrolment.organisation_id, programme_access.COORDINATE_PROGRAMME):
        access.deny()


def _text(value, field, *, limit, required=False, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(message or _("This field is required."), field)
    if len(value) > limit:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": limit}, field)
    return value


def _not_signed(report):
    if report.status in (ReportStatus.SIGNED, ReportStatus.SENT):
        raise ServiceError(_("This report is signed off: it can no longer change."))
    if report.status == ReportStatus.CANCELLED:
        raise ServiceError(_("This report was marked as not needed."))


@transaction.atomic
def report_draft(*, by, report, version=None) -> CourtReport:
    """Draft a due report from the record, or draw its facts again while it is a draft: the
    facts as they are today are frozen into the report. The assessment is kept."""
    from rete.programmes.selectors.court_reports import default_language, report_facts

    report = _lock(by, report, version)
    _not_signed(report)
    enrolment = report.enrolment
    regenerated = report.status == ReportStatus.DRAFT
    facts = report_facts(report=report, enrolment=enrolment, as_of=timezone.localdate())
    report.facts = facts
    report.outcome = facts["outcome"]
    fields = ["facts", "outcome", "status", "drafted_by", "drafted_at"]
    if report.kind != ReportKind.PERIODIC or not (report.period_from and report.period_to):
        report.period_from = datetime.date.fromisoformat(facts["period"]["from"])
        report.period_to = datetime.date.fromisoformat(facts["period"]["to"])
        fields += ["period_from", "period_to"]
    if not report.language:
        report.language = default_language(enrolment.organisation)
        fields.append("language")
    report.status, report.drafted_by, report.drafted_at = ReportStatus.DRAFT, by, timezone.now()
    _save(report, *fields)
    _audit("court_report_drafted", by, report, regenerated=regenerated)
    return report


@transaction.atomic
def report_edit(*, by, report, version, assessment, language) -> CourtReport:
    """The programme's assessment and the report's language, while it is a draft."""
    report = _lock(by, report, version)
    _not_signed(report)
    if report.status != ReportStatus.DRAFT:
        raise ServiceError(_("Draft the report from the record first."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ServiceError(_("Choose the language of the report."), "language")
    assessment = _text(assessment, "assessment", limit=ASSESSMENT_MAX)
    changed = [name for name, value in (("assessment", assessment), ("language", language)) if getattr(report, name) != value]
    report.assessment, report.language = assessment, language
    _save(report, "assessment", "language")
    _audit("court_report_edited", by, report, fields=changed)
    return report


@transaction.atomic
def report_sign(*, by, report, version) -> CourtReport:
    """A programme coordinator signs the draft off: from now on it never changes."""
    report = _lock(by, report, version)
    _require_coordinator(by, report)
    _not_signed(report)
    if report.status != ReportStatus.DRAFT:
        raise ServiceError(_("Draft the report from the record first."))
    if not report.assessment.strip():
        raise ServiceError(_("Write the programme's assessment before signing the report off."), "assessment")
    report.status, report.signed_by, report.signed_at = ReportStatus.SIGNED, by, timezone.now()
    _save(report, "status", "signed_by", "signed_at")
    _audit("court_report_signed", by, report)
    return report


@transaction.atomic
def report_send(*, by, report, version, recipient_ids, method, sent_on) -> CourtReport:
    """Record that the signed report was sent: to which of the mandate's recipients of this
    kind of report, how and on what day."""
    from rete.programmes.selectors.court_reports import report_recipients

    report = _lock(by, report, version)
    if report.status == ReportStatus.SENT:
        raise ServiceError(_("The sending of this report is already recorded."))
    if report.status != ReportStatus.SIGNED:
        raise ServiceError(_("A report is sent once a programme coordinator has signed it off."))
    offered = {row.pk: row for row in report_recipients(report=report)}
    try:
        chosen = sorted({int(pk) for pk in recipient_ids or ()})
    except (TypeError, ValueError):
        raise ServiceError(_("Choose who it was sent to among the recipients offered."), "recipients")
    if not chosen:
        raise ServiceError(_("Choose who it was sent to."), "recipients")
    if not set(chosen) <= set(offered):
        raise ServiceError(_("Choose who it was sent to among the recipients offered."), "recipients")
    if method not in dict(SEND_METHODS):
        raise ServiceError(_("Choose how it was sent."), "method")
    today = timezone.localdate()
    signed_on = timezone.localtime(report.signed_at).date() if report.signed_at else today
    if sent_on is None or sent_on > today or sent_on < signed_on:
        raise ServiceError(_("Give the day it was sent: from the day it was signed off to today."), "sent_on")
    report.sent_to = [offered[pk].name for pk in chosen]
    report.sent_method, report.sent_by, report.status = method, by, ReportStatus.SENT
    report.sent_at = timezone.now() if sent_on == today else timezone.make_aware(
        datetime.datetime.combine(sent_on, datetime.time(12, 0)))
    _save(report, "sent_to", "sent_method", "sent_by", "sent_at", "status")
    _audit("court_report_sent", by, report, recipients=chosen, method=method)
    return report


@transaction.atomic
def report_cancel(*, by, report, version, reason) -> CourtReport:
    """A coordinator marks a report that is due (or drafted, not signed) as not needed."""
    report = _lock(by, report, version)
    _require_coordinator(by, report)
    _not_signed(report)
    reason = _text(reason, "reason", limit=REASON_MAX, required=True, message=_("Say why this report is not needed."))
    report.status, report.cancel_reason = ReportStatus.CANCELLED, reason
    report.cancelled_by, report.cancelled_at = by, timezone.now()
    _save(report, "status", "cancel_reason", "cancelled_by", "cancelled_at")
    _audit("court_report_cancelled", by, report)
    return report


@transaction.atomic
def report_record_view(*, by, report) -> None:
    """She opened the report (its facts and assessment): an audit read event."""
    _audit("court_report_viewed", by, report)


@transaction.atomic
def report_record_print(*, by, report, language) -> None:
    """The report was printed (PDF): audited, ids and codes only."""
    _audit("court_report_printed", by, report, language=language, status=report.status)


# ---- the mandate's schedule (rete tick) ----------------------------------------------------------


def periods(*, started_on, every_weeks, until, limit=300):
    """The periods of `every_weeks` weeks from `started_on` that ended before `until`."""
    if not started_on or not every_weeks:
        return
    length = datetime.timedelta(weeks=every_weeks)
    start = started_on
    for _number in range(limit):
        end = start + length - datetime.timedelta(days=1)
        if end >= until:
            return
        yield start, end
        start = end + datetime.timedelta(days=1)


def periodic_reports_schedule(*, today=None, batch=500) -> int:
    """Make a periodic report due for every period of the mandate (every `report_every_weeks`
    weeks from his start) that has ended, for the men in the programme who have a mandate.
    Idempotent (one report per period, even one marked not needed); reads in chunks of `batch`
    enrolments. Returns the number of reports made due."""
    from rete.programmes.selectors.court_reports import periodic_candidates, periodic_periods_known

    today = today or timezone.localdate()
    made, after = 0, 0
    while True:
        chunk = periodic_candidates(after_pk=after, batch=batch)
        if not chunk:
            break
        known = periodic_periods_known(enrolment_ids=[row["enrolment_id"] for row in chunk])
        for row in chunk:
            missing = [(start, end) for start, end in periods(started_on=row["enrolment__started_on"],
                                                              every_weeks=row["report_every_weeks"], until=today)
                       if (row["enrolment_id"], end) not in known and end >= row["order_on"]
                       and (row["deadline"] is None or start <= row["deadline"])]
            if missing:
                made += _make_periodic(row["enrolment_id"], missing)
        after = chunk[-1]["enrolment_id"]
        if len(chunk) < batch:
            break
    return made


@transaction.atomic
def _make_periodic(enrolment_id, missing) -> int:
    from rete.programmes import states

    enrolment = (Enrolment.objects.select_for_update(of=("self",)).select_related("organisation")
                 .filter(pk=enrolment_id, state__in=list(states.IN_PROGRAMME)).first())
    if enrolment is None:
        return 0
    made = 0
    for start, end in missing:
        due_on = end + datetime.timedelta(days=PERIODIC_DUE_DAYS)
        report = report_due(enrolment=enrolment, kind=ReportKind.PERIODIC, due_on=due_on, period_from=start, period_to=end)
        if report is not None:
            report.enrolment = enrolment
            _audit("court_report_due", None, report, period_to=end.isoformat())
            made += 1
    return made
