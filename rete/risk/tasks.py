"""Background work for risk: reminders of overdue reassessments and of mandated actions due
within a day or overdue. `rete tick` calls `tick` (registered in apps.py), which claims each due
reminder with a conditional UPDATE (so two ticks never send one twice) and enqueues a task after
commit; `rete db_worker` runs them. A reminder goes to the people the subject's owning app names
(for a case: its team and its supervisor), in each one's language, and says only the
reference, what is due, when, and a link: never a name, an answer, a note or a reason.
The in-app side of the reminder is the start-page panel (selectors.risk_due_summary)."""
import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

BATCH = 500  # per kind and tick; the rest waits for the next tick
ACTION_NOTICE = datetime.timedelta(hours=24)  # an open action is reminded a day before it falls due


def tick(now) -> int:
    """Claim and enqueue the due reminders at `now`; returns the number of tasks enqueued."""
    return _queue_reassessment_reminders(now) + _queue_action_reminders(now)


def _queue_reassessment_reminders(now) -> int:
    from rete.risk.models import RiskStatus

    due = (RiskStatus.objects.filter(reminder_sent_at__isnull=True, next_due_at__lt=now)
           .select_related("organisation").order_by("next_due_at", "pk")[:BATCH])
    return sum(_claim(RiskStatus, row, now, send_reassessment_reminder, "reassessment") for row in due)


def _queue_action_reminders(now) -> int:
    from rete.risk.models import ActionStatus, RiskAction

    due = (RiskAction.objects.filter(reminder_sent_at__isnull=True, status=ActionStatus.OPEN, due_at__lte=now + ACTION_NOTICE)
           .select_related("organisation").defer("note").order_by("due_at", "pk")[:BATCH])
    return sum(_claim(RiskAction, row, now, send_action_reminder, "action") for row in due)


def _claim(model, row, now, reminder_task, kind) -> int:
    from rete.core import audit

    with transaction.atomic():
        claimed = model.objects.filter(pk=row.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
        if not claimed:
            return 0  # another tick got there first
        audit.record(action="risk.reminder_queued", organisation=row.organisation, obj=row,
                     detail={"kind": kind, "subject_type": row.subject_type, "subject_id": row.subject_id})
        transaction.on_commit(functools.partial(reminder_task.enqueue, row.pk))
    return 1


@task()
def send_reassessment_reminder(status_id: int) -> int:
    from rete.risk.models import RiskStatus

    status = RiskStatus.objects.filter(pk=status_id).first()
    # Reassessed since it was queued (a sign-off resets the reminder and sets a new date).
    if status is None or status.reminder_sent_at is None or status.next_due_at is None or status.next_due_at >= timezone.now():
        return 0
    return _send(status.subject_type, status.subject_id, status.subject_reference, kind="reassessment", when=status.next_due_at)


@task()
def send_action_reminder(action_id: int) -> int:
    from rete.risk.models import ActionStatus, RiskAction

    action = RiskAction.objects.select_related("assessment__instrument").defer("note").filter(pk=action_id).first()
    if action is None or action.reminder_sent_at is None or action.status != ActionStatus.OPEN:
        return 0
    return _send(action.subject_type, action.subject_id, action.subject_reference, kind="action", when=action.due_at,
                 instrument=action.assessment.instrument, action_code=action.code)


def recipients(subject_type_code, subject_id) -> list:
    """Whom to remind about a subject, as its owning app says (nobody if it says nothing)."""
    from django.http import Http404

    from rete.risk.subjects import subject_type

    try:
        kind = subject_type(subject_type_code)
    except Http404:
        return []
    return list(kind.recipients(subject_id)) if kind.recipients else []


def _send(subject_type_code, subject_id, reference, *, kind, when, instrument=None, action_code="") -> int:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from rete.risk.selectors import action_text
    from rete.risk.subjects import subject_url

    sent = 0
    for user in recipients(subject_type_code, subject_id):
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language), _user_timezone(user):
            link = settings.RETE_BASE_URL.rstrip("/") + subject_url(subject_type_code, subject_id)
            context = {"reference": reference, "kind": kind, "when": when, "link": link, "overdue": when < timezone.now(),
                       "action": action_text(instrument=instrument, code=action_code, language=language) if instrument else ""}
            subject = render_to_string("risk/email/reminder_subject.txt", context).strip()
            body = render_to_string("risk/email/reminder.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])
        sent += 1
    logger.info("risk reminder (%s) for %s %s sent to %d people", kind, subject_type_code, subject_id, sent)
    return sent


def _user_timezone(user):
    import zoneinfo

    try:
        return timezone.override(zoneinfo.ZoneInfo(user.time_zone)) if getattr(user, "time_zone", "") else timezone.override(None)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.override(None)
