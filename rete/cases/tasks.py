"""Background work for victim-support cases: reminders of coming hearings and of protection
orders about to expire, and marking orders expired. `rete tick` calls `tick` (registered in
apps.py), which claims what is due and enqueues one task per reminder; `rete db_worker` runs
them. A reminder names the case reference, what is due and when, and links to the case:
never her name, the court's conditions or anyone's notes."""
import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rete.cases.selectors import HEARING_REMINDER_DAYS
from rete.cases.selectors import ORDER_EXPIRY_WARNING_DAYS as ORDER_REMINDER_DAYS

logger = logging.getLogger(__name__)

BATCH = 500  # per kind and tick; the rest waits for the next tick


def tick(now) -> int:
    """Due work at `now`: expire granted orders past their date, then claim and enqueue the
    reminders. Each claim is a conditional UPDATE in its own transaction, so two ticks running
    at once never send the same reminder twice. Returns the number of tasks enqueued."""
    from rete.cases import services
    from rete.cases.models import OrderStatus, ProtectionOrder

    today = timezone.localdate(now)
    expired_ids = list(ProtectionOrder.objects.filter(status=OrderStatus.GRANTED, expires_on__lt=today).values_list("pk", flat=True)[:BATCH])
    for order_id in expired_ids:
        services.order_mark_expired(order_id=order_id, today=today)
    return _queue_hearing_reminders(now) + _queue_order_reminders(now, today)


def _queue_hearing_reminders(now) -> int:
    from rete.cases.models import ACTIVE_STATUSES, Hearing

    due = Hearing.objects.filter(
        reminder_sent_at__isnull=True, at__gte=now, at__lte=now + datetime.timedelta(days=HEARING_REMINDER_DAYS),
        proceeding__case__status__in=ACTIVE_STATUSES,
    ).select_related("proceeding__case__organisation").order_by("at")[:BATCH]
    return sum(_claim(Hearing, hearing.pk, "reminder_sent_at", now, hearing.proceeding.case, send_hearing_reminder, "hearing") for hearing in due)


def _queue_order_reminders(now, today) -> int:
    from rete.cases.models import ACTIVE_STATUSES, OrderStatus, ProtectionOrder

    due = ProtectionOrder.objects.filter(
        expiry_reminder_sent_at__isnull=True, status=OrderStatus.GRANTED,
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=ORDER_REMINDER_DAYS),
        case__status__in=ACTIVE_STATUSES,
    ).select_related("case__organisation").order_by("expires_on")[:BATCH]
    return sum(_claim(ProtectionOrder, order.pk, "expiry_reminder_sent_at", now, order.case, send_order_expiry_reminder, "order") for order in due)


def _claim(model, pk, field, now, case, reminder_task, label) -> int:
    from rete.core import audit

    with transaction.atomic():
        claimed = model.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now})
        if not claimed:
            return 0  # another tick got there first
        audit.record(action="case.reminder_queued", organisation=case.organisation, obj=case, detail={"kind": label, label: pk})
        transaction.on_commit(functools.partial(reminder_task.enqueue, pk))
    return 1


@task()
def send_hearing_reminder(hearing_id: int) -> int:
    from rete.cases.models import ACTIVE_STATUSES, Hearing

    hearing = Hearing.objects.select_related("proceeding__case__organisation", "proceeding__case__supervisor").filter(pk=hearing_id).first()
    # Moved since it was queued: the edit reset the reminder and the next tick sends the new date.
    if hearing is None or hearing.reminder_sent_at is None or hearing.proceeding.case.status not in ACTIVE_STATUSES:
        return 0
    return _send(hearing.proceeding.case, kind="hearing", when=hearing.at)


@task()
def send_order_expiry_reminder(order_id: int) -> int:
    from rete.cases.models import ACTIVE_STATUSES, OrderStatus, ProtectionOrder

    order = ProtectionOrder.objects.select_related("case__organisation", "case__supervisor").filter(pk=order_id).first()
    if (order is None or order.expiry_reminder_sent_at is None or order.status != OrderStatus.GRANTED
            or order.expires_on is None or order.case.status not in ACTIVE_STATUSES):
        return 0
    return _send(order.case, kind="order", when=order.expires_on)


def reminder_recipients(case) -> list:
    """The case's active team and its supervisor, if they still work at the organisation in a
    case role and have an address."""
    from rete.cases import access as case_access
    from rete.cases.models import CaseAssignment
    from rete.core.models import Membership, User

    ids = set(CaseAssignment.objects.filter(case=case, ended_at__isnull=True).values_list("user_id", flat=True))
    if case.supervisor_id:
        ids.add(case.supervisor_id)
    roles = set(case_access.OPEN_CASES) | set(case_access.SEE_ALL_CASES)
    working = Membership.objects.filter(organisation_id=case.organisation_id, role__in=roles, ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).filter(pk__in=working).exclude(email="").order_by("pk"))


def _send(case, *, kind, when) -> int:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    link = settings.RETE_BASE_URL.rstrip("/") + reverse("cases:case_detail", kwargs={"pk": case.pk})
    sent = 0
    for user in reminder_recipients(case):
        with translation.override(user.language or settings.LANGUAGE_CODE), _user_timezone(user):
            context = {"reference": case.reference, "kind": kind, "when": when, "is_datetime": isinstance(when, datetime.datetime), "link": link}
            subject = render_to_string("cases/email/justice_reminder_subject.txt", context).strip()
            body = render_to_string("cases/email/justice_reminder.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])
        sent += 1
    logger.info("justice reminder (%s) for case %s sent to %d people", kind, case.pk, sent)
    return sent


def _user_timezone(user):
    import zoneinfo

    try:
        return timezone.override(zoneinfo.ZoneInfo(user.time_zone)) if getattr(user, "time_zone", "") else timezone.override(None)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.override(None)
