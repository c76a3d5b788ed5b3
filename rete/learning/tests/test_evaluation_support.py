"""Shared set-up of the evaluation tests (part "evaluation"): an event with two sessions and a
knowledge test, its participants (members and outside professionals with a personal link)."""
import datetime

from rete.learning import tokens
from rete.learning.models import Registration, TrainingEvent
from rete.learning.services import evaluation as services
from rete.learning.services import events as event_services
from rete.learning.tests.factories import make_event, make_registration

QUESTIONS = [
    ("Which factor most raises the risk of lethal violence?", ["Recent separation", "The weather", "A new car"], 0),
    ("Who chairs a multi-agency risk conference?", ["The victim", "The coordinator", "The perpetrator"], 1),
    ("What does a safety plan contain?", ["Safe contacts and routes", "The abuser's hobbies"], 0),
    ("When is a child present at the incident recorded?", ["Never", "Only if hurt", "Always"], 2),
]


def evaluated_event(network, *, offset_days=30, days=2, status="open", items=3, interpretation="EN ↔ IT",
                    follow_up_after_days=90, host=None, by=None):
    """An event starting `offset_days` from today (negative: in the past), 09:00–12:00 on its
    first day and 14:00–17:00 on its last (Rome time), with `items` test questions."""
    by = by or network["trainer"]
    starts_on = datetime.date.today() + datetime.timedelta(days=offset_days)
    event = make_event(by, host or network.home, starts_on=starts_on, days=days, interpretation=interpretation,
                       follow_up_after_days=follow_up_after_days)
    event_services.session_add(by=by, event=event, title="Opening", day=event.starts_on,
                               start_time=datetime.time(9), end_time=datetime.time(12))
    event_services.session_add(by=by, event=event, title="Closing", day=event.ends_on,
                               start_time=datetime.time(14), end_time=datetime.time(17))
    for question, options, correct in QUESTIONS[:items]:
        services.test_item_add(by=by, event=event, question=question, options=options, correct=correct)
    if status:
        TrainingEvent.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    return event


def member(event, user, **extra) -> Registration:
    return make_registration(event, user=user, **extra)


def outsider(event, name="Olga Outside", **extra) -> tuple[Registration, str]:
    """An outside professional and the raw token of her personal link."""
    registration = make_registration(event, full_name=name, **extra)
    token, registration.access_token_hash = tokens.new_token()
    registration.save(update_fields=["access_token_hash"])
    return registration, token


def answers_with(event, right: int) -> dict:
    """Answers to the event's test with the first `right` questions right, the others wrong."""
    answers = {}
    for index, item in enumerate(event.test_items.order_by("order", "pk")):
        answers[str(item.pk)] = item.correct if index < right else (item.correct + 1) % len(item.options)
    return answers


def form_with(event, right: int) -> dict:
    return {f"item-{key}": str(value) for key, value in answers_with(event, right).items()}


GOOD_SATISFACTION = {"overall": "5", "relevance": "4", "speakers": "5", "organisation": "4", "interpretation": "na",
                     "recommend": "5"}
GOOD_FOLLOW_UP = {"used": "often", "changed_work": "yes", "shared": "yes", "organisation_changed": "dont_know"}
