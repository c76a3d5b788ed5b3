"""Writing training evaluation (Kirkpatrick's levels 1–3).

- The knowledge test (level 2): its items are written by the people who run the event, and
  cannot change once anyone has taken the test (every score then counts the same questions).
- A participant's answers: the test before and after the training, the satisfaction
  questionnaire (level 1) and the follow-up questionnaire (level 3). The same services serve a
  member (her registration reached through her account) and an outside professional (through
  her personal link): the caller has already reached the registration through the selector that
  checks this. Registered participants only (not the waiting list, not a cancelled place), each
  questionnaire once (a unique constraint backs the check), each in its time window
  (rete.learning.evaluation.Windows).
- The follow-up e-mails (`follow_up_tick`, run by `rete tick`).

Every write is atomic, locks its row, and leaves an audit event with ids and codes only: never
answers, scores, comments or examples."""
import functools
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError, StaleEdit
from rete.learning import access, evaluation, gain, tokens
from rete.learning.models import (EventStatus, FollowUpResponse, Registration, RegistrationStatus,
                                  SatisfactionResponse, TestAttempt, TestItem, TestPhase, TrainingEvent)
from rete.learning.selectors import evaluation as selectors
from rete.learning.services import events as event_services

logger = logging.getLogger(__name__)

QUESTION_MAX = 2000
OPTION_MAX = 500
OPTIONS_MIN = 2
OPTIONS_MAX = 6
TEXT_MAX = evaluation.COMMENT_MAX

# The follow-up e-mail goes out from the day it is due, for SEND_WITHIN_DAYS (an event marked
# held much later is not asked about months afterwards); one reminder REMIND_AFTER_DAYS later to
# whoever has not answered.
SEND_WITHIN_DAYS = 60
REMIND_AFTER_DAYS = 14
REMIND_WITHIN_DAYS = 60
BATCH = 500  # e-mails per tick and kind; the rest waits for the next tick


def _audit(action, by, event, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=event.host, obj=event,
                 detail={"event": event.pk, **detail})


# ---- the knowledge test's items ----------------------------------------------------------------


def fingerprint(item) -> str:
    """What the editor saw of an item: a save with another one is a stale edit (an item has no
    version number of its own)."""
    payload = json.dumps([item.question, list(item.options or []), item.correct], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _clean_item(question, options, correct) -> tuple[str, list[str], int]:
    question = (question or "").strip()
    if not question:
        raise ServiceError(_("Write the question."), field="question")
    if len(question) > QUESTION_MAX:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": QUESTION_MAX},
                           field="question")
    options = [str(option or "").strip() for option in (options or [])]
    if any(not option for option in options):
        raise ServiceError(_("An answer is empty."), field="options")
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise ServiceError(_("Give between %(low)s and %(high)s answers.") % {"low": OPTIONS_MIN, "high": OPTIONS_MAX},
                           field="options")
    if any(len(option) > OPTION_MAX for option in options):
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": OPTION_MAX},
                           field="options")
    if len({option.casefold() for option in options}) != len(options):
        raise ServiceError(_("Two answers are the same."), field="options")
    if not isinstance(correct, int) or isinstance(correct, bool) or not 0 <= correct < len(options):
        raise ServiceError(_("Mark the correct answer."), field="correct")
    return question, options, correct


def _check_test_editable(event):
    if event.status == EventStatus.CANCELLED:
        raise ServiceError(_("This event was cancelled: its test can no longer change."))
    if selectors.test_locked(event=event):
        raise ServiceError(_("Participants have already taken this test, so its questions can no longer change: "
                             "every score must count the same questions."))


@transaction.atomic
def test_item_add(*, by, event, question, options, correct) -> TestItem:
    row = event_services.locked(by, event)
    _check_test_editable(row)
    question, options, correct = _clean_item(question, options, correct)
    last = TestItem.objects.filter(event=row).order_by("-order").values_list("order", flat=True).first()
    item = TestItem.objects.create(event=row, order=(last or 0) + 1, question=question, options=options, correct=correct)
    _audit("test_item.added", by, row, item=item.pk)
    return item


def _locked_item(by, item):
    row = event_services.locked(by, item.event_id)
    locked_item = TestItem.objects.select_for_update(of=("self",)).filter(pk=item.pk, event=row).first()
    if locked_item is None:
        core_access.deny()
    return row, locked_item


@transaction.atomic
def test_item_update(*, by, item, fingerprint_seen, question, options, correct) -> TestItem:
    event, row = _locked_item(by, item)
    if fingerprint_seen is not None and fingerprint_seen != fingerprint(row):
        raise StaleEdit(row)
    _check_test_editable(event)
    question, options, correct = _clean_item(question, options, correct)
    changed = [name for name, value in (("question", question), ("options", options), ("correct", correct))
               if getattr(row, name) != value]
    row.question, row.options, row.correct = question, options, correct
    row.save(update_fields=["question", "options", "correct"])
    _audit("test_item.updated", by, event, item=row.pk, fields=changed)
    return row


@transaction.atomic
def test_item_delete(*, by, item) -> None:
    event, row = _locked_item(by, item)
    _check_test_editable(event)
    pk = row.pk
    row.delete()
    _audit("test_item.deleted", by, event, item=pk)


# ---- a participant's answers -------------------------------------------------------------------


def _locked_registration(registration) -> Registration:
    row = (Registration.objects.select_for_update(of=("self",)).select_related("event", "event__host")
           .filter(pk=getattr(registration, "pk", registration)).first())
    if row is None:
        core_access.deny()
    return row


def _check_may_answer(row):
    if row.status != RegistrationStatus.REGISTERED:
        raise ServiceError(_("Only registered participants answer the evaluation: your place is not confirmed."))
    if row.event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise ServiceError(_("This event was cancelled: there is nothing to evaluate."))


def test_closed_reason(phase, windows, now) -> str:
    """Why the test of `phase` cannot be taken now ("" when it can)."""
    if windows.test_open(phase, now):
        return ""
    if phase == TestPhase.PRE:
        return _("The test before the training closed when the first session ended.")
    if now < windows.post_opens:
        return _("The test after the training opens when the last session starts.")
    return _("The test after the training is closed: the follow-up questionnaire has taken its place.")


def _clean_test_answers(items, answers) -> dict:
    cleaned = {}
    for item in items:
        raw = (answers or {}).get(str(item.pk), (answers or {}).get(item.pk))
        text = str(raw).strip() if raw is not None else ""
        if not (text.isascii() and text.isdigit()) or int(text) >= len(item.options or []):
            raise ServiceError(_("Please answer every question."), field=f"item-{item.pk}")
        cleaned[str(item.pk)] = int(text)
    return cleaned


@transaction.atomic
def test_submit(*, registration, phase, answers, by=None, now=None) -> TestAttempt:
    """Her answers to the knowledge test before (`pre`) or after (`post`) the training: every
    question answered, once per phase, in its window."""
    now = now or timezone.now()
    row = _locked_registration(registration)
    if phase not in TestPhase.values:
        core_access.deny()
    _check_may_answer(row)
    # The event row is locked too: its test's items cannot change while her answers are scored.
    event = TrainingEvent.objects.select_for_update(of=("self",)).select_related("host").get(pk=row.event_id)
    items = selectors.test_items(event=event)
    if not items:
        raise ServiceError(_("This event has no knowledge test."))
    if TestAttempt.objects.filter(registration=row, phase=phase).exists():
        raise ServiceError(_("You have already taken this test: it is taken once."))
    reason = test_closed_reason(phase, selectors.windows(event=event), now)
    if reason:
        raise ServiceError(reason)
    cleaned = _clean_test_answers(items, answers)
    score, max_score = gain.test_score(items, cleaned)
    try:
        with transaction.atomic():
            attempt = TestAttempt.objects.create(registration=row, phase=phase, answers=cleaned, score=score,
                                                 max_score=max_score)
    except IntegrityError:
        raise ServiceError(_("You have already taken this test: it is taken once.")) from None
    _audit("test.submitted", by, event, registration=row.pk, phase=phase)
    return attempt


test_submit.__test__ = False


def _first_error(errors):
    key = next(iter(errors))
    return ServiceError(errors[key], field=key)


def _clean_text(value, field):
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": TEXT_MAX}, field=field)
    return value


@transaction.atomic
def satisfaction_submit(*, registration, answers, comment="", by=None, now=None) -> SatisfactionResponse:
    """Her reaction to the event (level 1): once, from the start of the event."""
    now = now or timezone.now()
    row = _locked_registration(registration)
    _check_may_answer(row)
    if SatisfactionResponse.objects.filter(registration=row).exists():
        raise ServiceError(_("You have already answered this questionnaire."))
    if now < selectors.windows(event=row.event).satisfaction_opens:
        raise ServiceError(_("This questionnaire opens when the event starts."))
    items = evaluation.items_for(evaluation.SATISFACTION_ITEMS, interpretation=bool(row.event.interpretation))
    cleaned, errors = evaluation.validate_answers(items, answers)
    if errors:
        raise _first_error(errors)
    comment = _clean_text(comment, "comment")
    try:
        with transaction.atomic():
            response = SatisfactionResponse.objects.create(registration=row, answers=cleaned, comment=comment)
    except IntegrityError:
        raise ServiceError(_("You have already answered this questionnaire.")) from None
    _audit("satisfaction.submitted", by, row.event, registration=row.pk, comment=bool(comment))
    return response


@transaction.atomic
def follow_up_submit(*, registration, answers, examples="", by=None, now=None) -> FollowUpResponse:
    """What changed in her work since (level 3): once, after the follow-up was sent to her."""
    row = _locked_registration(registration)
    _check_may_answer(row)
    if FollowUpResponse.objects.filter(registration=row).exists():
        raise ServiceError(_("You have already answered this questionnaire."))
    if row.follow_up_sent_at is None:
        raise ServiceError(_("This questionnaire opens some months after the event: you will receive an e-mail."))
    cleaned, errors = evaluation.validate_answers(evaluation.FOLLOW_UP_ITEMS, answers)
    if errors:
        raise _first_error(errors)
    examples = _clean_text(examples, "examples")
    try:
        with transaction.atomic():
            response = FollowUpResponse.objects.create(registration=row, answers=cleaned, examples=examples)
    except IntegrityError:
        raise ServiceError(_("You have already answered this questionnaire.")) from None
    _audit("follow_up.submitted", by, row.event, registration=row.pk, examples=bool(examples))
    return response


# ---- reading the results -------------------------------------------------------------------------


@transaction.atomic
def results_viewed(*, by, event) -> None:
    """An audited read: the results name participants and show their free texts."""
    if not core_access.has_capability(by, event.host_id, access.RUN_TRAINING):
        core_access.deny()
    _audit("results.viewed", by, event)


# ---- the follow-up e-mails ---------------------------------------------------------------------


def follow_up_tick(now=None) -> int:
    """`rete tick`: e-mails the follow-up questionnaire to the registered participants of held
    events whose follow-up is due, then one reminder to those who have not answered
    REMIND_AFTER_DAYS later. Each e-mail is claimed by a conditional UPDATE (follow_up_sent_at,
    follow_up_reminded_at), so that two ticks never send one twice; returns how many were
    claimed.

    A member's e-mail links to her questionnaire in Rete (she signs in). An outside
    professional's personal link is stored only as a hash, so each e-mail to her carries a new
    one, made in the same transaction as the claim (its hash replaces the old one, which stops
    working: the e-mail says so). The raw token lives only in memory until the e-mail is sent
    after commit; it is never queued or stored."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    claimed = 0
    for registration in selectors.follow_up_to_send(today=today, within_days=SEND_WITHIN_DAYS, batch=BATCH):
        claimed += _claim(registration, now, reminder=False)
    for registration in selectors.follow_up_to_remind(now=now, after_days=REMIND_AFTER_DAYS,
                                                      within_days=REMIND_WITHIN_DAYS, batch=BATCH):
        claimed += _claim(registration, now, reminder=True)
    if claimed:
        logger.info("%d follow-up e-mail(s) claimed", claimed)
    return claimed


def _claim(registration, now, *, reminder) -> int:
    field = "follow_up_reminded_at" if reminder else "follow_up_sent_at"
    with transaction.atomic():
        values = {field: now}
        token = None
        if registration.user_id is None:
            token, values["access_token_hash"] = tokens.new_token()
        claimed = (Registration.objects.filter(pk=registration.pk, status=RegistrationStatus.REGISTERED,
                                               **{f"{field}__isnull": True}).update(**values))
        if not claimed:
            return 0  # another tick got there first
        _audit("follow_up.reminded" if reminder else "follow_up.sent", None, registration.event,
               registration=registration.pk, new_link=token is not None)
        transaction.on_commit(functools.partial(send_follow_up_email, registration.pk, token, reminder), robust=True)
    return 1


def send_follow_up_email(registration_id, token, reminder) -> int:
    """The e-mail, in her language: the event's title and her link (nothing else)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return 0
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        if token:
            path = reverse("learning_public:participant_follow_up", kwargs={"participant_token": token})
        else:
            path = reverse("learning:my_follow_up", kwargs={"registration_id": registration.pk})
        context = {"title": registration.event.title, "link": settings.RETE_BASE_URL.rstrip("/") + path,
                   "reminder": reminder, "personal_link": bool(token)}
        subject = render_to_string("learning/evaluation_email_follow_up_subject.txt", context).strip()
        body = render_to_string("learning/evaluation_email_follow_up.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [registration.email])
    return 1
