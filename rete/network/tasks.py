"""Background work for the cooperation network. Protocols: the review reminder. `rete tick`
calls `tick` (registered in apps.py): an adopted version whose review date is within
REVIEW_NOTICE_DAYS or past is claimed with a conditional UPDATE of `review_reminded_on` (so two
ticks never send one twice, and a reminder goes out at most once every REVIEW_NOTICE_DAYS) and a
task is enqueued after commit; `rete db_worker` runs it. The e-mail goes to the coordinators of
the coordinating organisation, in each one's language: the title, number, review date and a link."""
import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

BATCH = 500  # per tick; the rest waits for the next one


def tick(now) -> int:
    """Claim and enqueue the due protocol reviews at `now`; returns the number of tasks enqueued."""
    return _queue_review_reminders(now)


def _queue_review_reminders(now) -> int:
    from rete.network.models import ProtocolVersion, VersionStatus
    from rete.network.selectors.lifecycle import REVIEW_NOTICE_DAYS

    today = timezone.localdate(now)
    notice = datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    due = (ProtocolVersion.objects.filter(status=VersionStatus.ADOPTED, review_date__isnull=False,
                                          review_date__lte=today + notice)
           .filter(Q(review_reminded_on__isnull=True) | Q(review_reminded_on__lte=today - notice))
           .select_related("protocol__organisation").defer(*_section_columns())
           .order_by("review_date", "pk")[:BATCH])
    return sum(_claim(version, today) for version in due)


def _section_columns() -> list[str]:
    from rete.network import texts
    from rete.network.models import SECTION_FIELDS

    return [texts.column(field, code) for field in SECTION_FIELDS for code in texts.LANGUAGE_CODES] + list(SECTION_FIELDS)


def _claim(version, today) -> int:
    from rete.core import audit
    from rete.network.models import ProtocolVersion, VersionStatus

    with transaction.atomic():
        claimed = (ProtocolVersion.objects.filter(pk=version.pk, status=VersionStatus.ADOPTED,
                                                  review_reminded_on=version.review_reminded_on)
                   .update(review_reminded_on=today))
        if not claimed:
            return 0  # another tick got there first
        audit.record(action="network.review_reminder_queued", organisation=version.protocol.organisation, obj=version,
                     detail={"protocol": version.protocol_id, "number": version.number,
                             "review_date": version.review_date.isoformat()})
        transaction.on_commit(functools.partial(send_review_reminder.enqueue, version.pk))
    return 1


def review_recipients(version) -> list:
    """The active coordinators of the protocol's coordinating organisation."""
    from rete.core import access
    from rete.core.models import Membership, User

    member_ids = Membership.objects.filter(organisation_id=version.protocol.organisation_id,
                                           role__in=list(access.COORDINATE_PROTOCOLS), ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).exclude(email="").order_by("pk"))


@task()
def send_review_reminder(version_id: int) -> int:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.network import texts
    from rete.network.models import ProtocolVersion, VersionStatus

    version = ProtocolVersion.objects.select_related("protocol").filter(pk=version_id).first()
    # Replaced, or given a later review date, since it was queued.
    if version is None or version.status != VersionStatus.ADOPTED or version.review_date is None:
        return 0
    today = timezone.localdate()
    sent = 0
    for person in review_recipients(version):
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            link = settings.RETE_BASE_URL.rstrip("/") + reverse("network:version_detail", kwargs={"version_id": version.pk})
            context = {"title": texts.get(version.protocol, "title", language).text, "number": version.number,
                       "review_date": version.review_date, "overdue": version.review_date < today, "link": link}
            subject = render_to_string("network/lifecycle_email_review_subject.txt", context).strip()
            body = render_to_string("network/lifecycle_email_review.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
        sent += 1
    logger.info("protocol review reminder for version %s sent to %d people", version_id, sent)
    return sent
