"""Background work for perpetrator programmes (part "court-reports"). `rete tick` calls `tick`
(registered in apps.py): it makes the mandates' periodic reports due (services.court_reports),
then claims the reports due within REMIND_DAYS or overdue with a conditional UPDATE of
`reminder_sent_on` (so two ticks never send one twice, and a report is reminded at most once a
day) and enqueues one task per report after commit; `rete db_worker` runs them. The e-mail goes
to the programme's coordinators and the enrolment's case managers, each in their language: the
enrolment's reference, the kind of report, its due date and a link; never his name or anything
of the report's content."""
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

BATCH = 500  # reminders per tick; the rest waits for the next one


def tick(now) -> int:
    """Make the periodic reports due, then claim and enqueue the reminders at `now`; returns the
    number of tasks enqueued."""
    from rete.programmes.services.court_reports import periodic_reports_schedule

    today = timezone.localdate(now)
    made = periodic_reports_schedule(today=today)
    if made:
        logger.info("%d periodic court report(s) made due", made)
    return _queue_report_reminders(today)


def _queue_report_reminders(today) -> int:
    from rete.programmes.selectors.court_reports import reports_to_remind

    return sum(_claim(report, today) for report in reports_to_remind(today=today, batch=BATCH))


def _claim(report, today) -> int:
    from rete.core import audit
    from rete.programmes.models import CourtReport

    with transaction.atomic():
        claimed = (CourtReport.objects.filter(pk=report.pk, reminder_sent_on=report.reminder_sent_on)
                   .update(reminder_sent_on=today))
        if not claimed:
            return 0  # another tick got there first
        audit.record(action="programmes.court_report_reminder_queued", organisation=report.enrolment.organisation,
                     obj=report, detail={"enrolment": report.enrolment_id, "report": report.pk, "kind": report.kind,
                                         "due_on": report.due_on.isoformat()})
        transaction.on_commit(functools.partial(send_report_reminder.enqueue, report.pk))
    return 1


@task()
def send_report_reminder(report_id: int) -> int:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.programmes.models import CourtReport, ReportKind
    from rete.programmes.selectors.court_reports import OUTSTANDING, reminder_recipients

    report = (CourtReport.objects.select_related("enrolment").defer("facts", "assessment", "cancel_reason")
              .filter(pk=report_id).first())
    # Sent, or marked not needed, since it was queued.
    if report is None or report.status not in OUTSTANDING or report.reminder_sent_on is None:
        return 0
    today = timezone.localdate()
    sent = 0
    for person in reminder_recipients(report=report):
        with translation.override(person.language or settings.LANGUAGE_CODE):
            link = settings.RETE_BASE_URL.rstrip("/") + reverse("programmes:court_report_detail",
                                                                kwargs={"court_report_id": report.pk})
            context = {"reference": report.enrolment.reference, "kind": str(ReportKind(report.kind).label),
                       "due_on": report.due_on, "overdue": report.due_on < today, "link": link}
            subject = render_to_string("programmes/report_email_reminder_subject.txt", context).strip()
            body = render_to_string("programmes/report_email_reminder.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
        sent += 1
    logger.info("court report reminder for report %s sent to %d people", report_id, sent)
    return sent
