"""Every read of training evaluation (Kirkpatrick's levels 1–3).

Who may read what: the knowledge test's items and an event's results are for the people who run
the event (callers pass an event got through selectors.events.event_manage_get); a participant
reads her own answers and scores only, reached through her registration (a member: her account,
`own_registration_get`; an outside professional: her personal link,
selectors.events.registration_by_token). Every function issues a fixed number of queries,
whatever the number of participants."""
import datetime

from django.db.models import Count, Exists, OuterRef, Q

from rete.core import access as core_access
from rete.learning import evaluation, gain
from rete.learning.models import (EventSession, FollowUpResponse, Registration, RegistrationStatus,
                                  SatisfactionResponse, TestAttempt, TestItem, TestPhase, TrainingEvent)
from rete.learning.selectors import events as event_selectors

# ---- the knowledge test ----------------------------------------------------------------------


def test_items(*, event) -> list[TestItem]:
    return list(TestItem.objects.filter(event=event).order_by("order", "pk"))


test_items.__test__ = False


def test_item_get(*, event, pk) -> TestItem:
    """An item of this event's test (404 otherwise)."""
    item = TestItem.objects.filter(event=event, pk=pk).first()
    if item is None:
        core_access.deny()
    return item


def test_locked(*, event) -> bool:
    """Whether anyone has taken the test: its items can no longer change."""
    return TestAttempt.objects.filter(registration__event=event).exists()


# ---- a participant ---------------------------------------------------------------------------


def own_registration_get(*, user, pk) -> Registration:
    """Her own registration (any status), through her account; 404 for anyone else's."""
    if not getattr(user, "is_authenticated", False):
        core_access.deny()
    registration = Registration.objects.filter(pk=pk, user=user).select_related("event", "event__host").first()
    if registration is None:
        core_access.deny()
    own = event_selectors.own_registration(user=user, event=registration.event)
    if own is None or own.pk != registration.pk:
        core_access.deny()
    return registration


def windows(*, event) -> evaluation.Windows:
    sessions = list(EventSession.objects.filter(event=event).values_list("starts_at", "ends_at"))
    return evaluation.answer_windows(starts_on=event.starts_on, ends_on=event.ends_on, time_zone=event.time_zone,
                                     follow_up_after_days=event.follow_up_after_days, sessions=sessions)


def participant_state(*, registration) -> dict:
    """What she answered and what the event asks (five queries):

    {"items": number of test items, "attempts": {phase: TestAttempt}, "satisfaction":
    SatisfactionResponse or None, "follow_up": FollowUpResponse or None, "windows": Windows,
    "gain": rete.learning.gain.Gain or None (once both tests are taken)}."""
    event = registration.event
    attempts = {a.phase: a for a in TestAttempt.objects.filter(registration=registration)}
    pre, post = attempts.get(TestPhase.PRE), attempts.get(TestPhase.POST)
    both = pre is not None and post is not None and pre.max_score == post.max_score
    return {
        "items": TestItem.objects.filter(event=event).count(),
        "attempts": attempts,
        "satisfaction": SatisfactionResponse.objects.filter(registration=registration).defer("comment").first(),
        "follow_up": FollowUpResponse.objects.filter(registration=registration).defer("examples").first(),
        "windows": windows(event=event),
        "gain": gain.participant_gain(pre.score, post.score, pre.max_score) if both else None,
    }


# ---- an event's results ----------------------------------------------------------------------


def _registered(event):
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)


def event_results(*, event) -> dict:
    """An event's evaluation as plain data (seven queries, whatever the number of
    participants), for the runners' results page and the funders' report. Only registered
    participants count. Shape:

    {
      "event": event id,
      "registered": number of registered participants,
      "level1": rete.learning.evaluation.satisfaction_summary(...) plus
                "response_rate" (n / registered, 0–1; None when nobody is registered),
      "level2": {
          "items": number of test items, "max_score": the test's highest score (None before any
          attempt), "pre_n": tests taken before, "post_n": tests taken after,
          "gain": rete.learning.gain.event_gain(...) over those who took both (n, mean_pre,
                  mean_post, mean_raw, sd_raw, median_raw, min_raw, max_raw, mean_normalised,
                  normalised_n, improved_share),
          "participants": [{"registration_id", "pre", "post", "max_score", "raw",
                            "normalised"}] — one per registered participant who took either
                  test, in registration order; pre/post None when not taken, raw/normalised
                  None unless both were (no names: join them with participant_names()),
      },
      "level3": rete.learning.evaluation.follow_up_summary(...) ("sent", "n",
                "response_rate", "items") plus "reminded": reminders sent and "due_on": the
                date the follow-up is sent (ends_on + follow_up_after_days),
    }
    Labels in level1/level3 are strings in the active language."""
    registered = _registered(event)
    counts = registered.aggregate(
        n=Count("pk"), sent=Count("pk", filter=Q(follow_up_sent_at__isnull=False)),
        reminded=Count("pk", filter=Q(follow_up_reminded_at__isnull=False)))
    satisfaction = list(SatisfactionResponse.objects.filter(registration__in=registered).values_list("answers", flat=True))
    follow_ups = list(FollowUpResponse.objects.filter(registration__in=registered).values_list("answers", flat=True))
    by_registration = {}
    max_score = None
    for registration_id, phase, score, top in (TestAttempt.objects.filter(registration__in=registered)
                                               .order_by("registration__registered_at", "registration_id", "phase")
                                               .values_list("registration_id", "phase", "score", "max_score")):
        row = by_registration.setdefault(registration_id, {"registration_id": registration_id, "pre": None, "post": None,
                                                           "max_score": top, "raw": None, "normalised": None})
        row[phase] = score
        row["max_score"] = max(row["max_score"], top)
        max_score = top if max_score is None else max(max_score, top)
    pairs = []
    for row in by_registration.values():
        if row["pre"] is not None and row["post"] is not None:
            result = gain.participant_gain(row["pre"], row["post"], row["max_score"])
            row["raw"], row["normalised"] = result.raw, result.normalised
            pairs.append((row["pre"], row["post"], row["max_score"]))
    level1 = evaluation.satisfaction_summary(satisfaction, evaluation.items_for(
        evaluation.SATISFACTION_ITEMS, interpretation=bool(event.interpretation)))
    level1["response_rate"] = (level1["n"] / counts["n"]) if counts["n"] else None
    level3 = evaluation.follow_up_summary(follow_ups, counts["sent"])
    level3["reminded"] = counts["reminded"]
    level3["due_on"] = event.ends_on + datetime.timedelta(days=event.follow_up_after_days)
    return {
        "event": event.pk,
        "registered": counts["n"],
        "level1": level1,
        "level2": {
            "items": TestItem.objects.filter(event=event).count(),
            "max_score": max_score,
            "pre_n": sum(1 for row in by_registration.values() if row["pre"] is not None),
            "post_n": sum(1 for row in by_registration.values() if row["post"] is not None),
            "gain": gain.event_gain(pairs),
            "participants": list(by_registration.values()),
        },
        "level3": level3,
    }


def participant_names(*, event) -> dict[int, str]:
    """Registration id → full name, for the runners' results table (one query)."""
    return {row.pk: row.full_name for row in _registered(event).only("pk", "full_name")}


def free_texts(*, event) -> dict:
    """The comments (level 1) and examples (level 3) participants wrote, without who wrote them,
    in the order they came (two queries): {"comments": [...], "examples": [...]}."""
    registered = _registered(event)
    comments = SatisfactionResponse.objects.filter(registration__in=registered).order_by("submitted_at", "pk").only("comment")
    examples = FollowUpResponse.objects.filter(registration__in=registered).order_by("submitted_at", "pk").only("examples")
    return {"comments": [row.comment for row in comments if row.comment.strip()],
            "examples": [row.examples for row in examples if row.examples.strip()]}


def event_section(*, event) -> dict:
    """The counts the event page shows its runners (two queries)."""
    registered = _registered(event)
    counts = registered.aggregate(
        n=Count("pk"),
        pre=Count("pk", filter=Exists(TestAttempt.objects.filter(registration=OuterRef("pk"), phase=TestPhase.PRE))),
        post=Count("pk", filter=Exists(TestAttempt.objects.filter(registration=OuterRef("pk"), phase=TestPhase.POST))),
        satisfaction=Count("pk", filter=Exists(SatisfactionResponse.objects.filter(registration=OuterRef("pk")))),
        sent=Count("pk", filter=Q(follow_up_sent_at__isnull=False)),
        follow_up=Count("pk", filter=Exists(FollowUpResponse.objects.filter(registration=OuterRef("pk")))),
    )
    counts["items"] = TestItem.objects.filter(event=event).count()
    return counts


# ---- the follow-up questionnaire's e-mails ----------------------------------------------------


def follow_up_to_send(*, today, within_days, batch) -> list[Registration]:
    """Registered participants of held events whose follow-up fell due (ends_on +
    follow_up_after_days) between `within_days` ago and today, not sent yet (two queries)."""
    from rete.learning.models import EventStatus

    delays = set(TrainingEvent.objects.filter(status=EventStatus.HELD, ends_on__lte=today)
                 .values_list("follow_up_after_days", flat=True).distinct())
    if not delays:
        return []
    due = Q(pk__in=[])
    for days in delays:
        due |= Q(event__follow_up_after_days=days,
                 event__ends_on__lte=today - datetime.timedelta(days=days),
                 event__ends_on__gt=today - datetime.timedelta(days=days + within_days))
    return list(Registration.objects.filter(due, event__status=EventStatus.HELD, status=RegistrationStatus.REGISTERED,
                                            follow_up_sent_at__isnull=True)
                .select_related("event__host").defer("full_name", "email")
                .order_by("pk")[:batch])


def follow_up_to_remind(*, now, after_days, within_days, batch) -> list[Registration]:
    """Registered participants sent the follow-up `after_days` ago or more (but not more than
    `within_days` ago), not reminded yet, who have not answered (one query)."""
    return list(Registration.objects.filter(
        status=RegistrationStatus.REGISTERED, follow_up_reminded_at__isnull=True,
        follow_up_sent_at__lte=now - datetime.timedelta(days=after_days),
        follow_up_sent_at__gt=now - datetime.timedelta(days=within_days),
    ).exclude(Exists(FollowUpResponse.objects.filter(registration=OuterRef("pk"))))
        .select_related("event__host").defer("full_name", "email")
        .order_by("pk")[:batch])
