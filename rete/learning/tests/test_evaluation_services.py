"""Evaluation services (part "evaluation"): writing the knowledge test (runners only, frozen once
taken), taking it before and after (registered only, once per phase, in its window), the
satisfaction and follow-up questionnaires (once, in their windows, answers checked, free texts
encrypted), the audit trail (ids only) and the results."""
import datetime

import pytest
from django.db import connection
from django.http import Http404

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.learning import models
from rete.learning.selectors import evaluation as selectors
from rete.learning.services import evaluation as services
from rete.learning.tests.test_evaluation_support import (GOOD_FOLLOW_UP, GOOD_SATISFACTION, answers_with, evaluated_event,
                                                         member, outsider)

pytestmark = pytest.mark.django_db


def _windows(event):
    return selectors.windows(event=event)


def _before(event):
    return _windows(event).pre_closes - datetime.timedelta(hours=4)


def _after(event):
    return _windows(event).post_opens + datetime.timedelta(hours=1)


# ---- the test's items ----------------------------------------------------------------------------


def test_runners_write_the_test(network):
    event = evaluated_event(network, items=0)
    item = services.test_item_add(by=network["network_coordinator"], event=event, question="  Why?  ",
                                  options=[" Because ", "No reason"], correct=1)
    assert (item.question, item.options, item.correct, item.order) == ("Why?", ["Because", "No reason"], 1, 1)
    second = services.test_item_add(by=network["trainer"], event=event, question="And?", options=["a", "b", "c"], correct=0)
    assert second.order == 2
    audit = AuditEvent.objects.filter(action="learning.test_item.added").order_by("seq").last()
    assert audit.detail == {"event": event.pk, "item": second.pk}


@pytest.mark.parametrize("role", ["caseworker", "other_trainer", "other_network_coordinator", "dpo"])
def test_others_cannot_write_the_test(network, role):
    event = evaluated_event(network, items=1)
    item = event.test_items.get()
    with pytest.raises(Http404):
        services.test_item_add(by=network[role], event=event, question="Q", options=["a", "b"], correct=0)
    with pytest.raises(Http404):
        services.test_item_update(by=network[role], item=item, fingerprint_seen=None, question="Q", options=["a", "b"],
                                  correct=0)
    with pytest.raises(Http404):
        services.test_item_delete(by=network[role], item=item)


@pytest.mark.parametrize("question, options, correct, field", [
    ("", ["a", "b"], 0, "question"),
    ("x" * 2001, ["a", "b"], 0, "question"),
    ("Q", ["a"], 0, "options"),
    ("Q", ["a", "b", "c", "d", "e", "f", "g"], 0, "options"),
    ("Q", ["a", " "], 0, "options"),
    ("Q", ["Same", "same"], 0, "options"),
    ("Q", ["a", "b"], 2, "correct"),
    ("Q", ["a", "b"], -1, "correct"),
    ("Q", ["a", "b"], None, "correct"),
])
def test_an_item_is_checked(network, question, options, correct, field):
    event = evaluated_event(network, items=0)
    with pytest.raises(ServiceError) as refused:
        services.test_item_add(by=network["trainer"], event=event, question=question, options=options, correct=correct)
    assert refused.value.field == field
    assert not models.TestItem.objects.filter(event=event).exists()


def test_an_item_is_edited_and_a_stale_edit_refused(network):
    event = evaluated_event(network, items=1)
    item = event.test_items.get()
    seen = services.fingerprint(item)
    services.test_item_update(by=network["trainer"], item=item, fingerprint_seen=seen, question="New question?",
                              options=["x", "y", "z"], correct=2)
    item.refresh_from_db()
    assert (item.question, item.options, item.correct) == ("New question?", ["x", "y", "z"], 2)
    with pytest.raises(StaleEdit) as stale:
        services.test_item_update(by=network["network_coordinator"], item=item, fingerprint_seen=seen, question="Mine",
                                  options=["a", "b"], correct=0)
    assert stale.value.current.question == "New question?"
    assert AuditEvent.objects.filter(action="learning.test_item.updated").order_by("seq").last().detail["fields"] == [
        "question", "options", "correct"]


def test_an_item_of_another_event_is_out_of_reach(network):
    event = evaluated_event(network, items=1)
    other = evaluated_event(network, items=1, host=network.other, by=network["other_trainer"])
    with pytest.raises(Http404):
        services.test_item_delete(by=network["trainer"], item=other.test_items.get())
    with pytest.raises(Http404):
        selectors.test_item_get(event=event, pk=other.test_items.get().pk)


def test_the_test_is_frozen_once_taken(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 1), now=_before(event))
    item = event.test_items.first()
    for action in (
        lambda: services.test_item_add(by=network["trainer"], event=event, question="Q", options=["a", "b"], correct=0),
        lambda: services.test_item_update(by=network["trainer"], item=item, fingerprint_seen=None, question="Q",
                                          options=["a", "b"], correct=0),
        lambda: services.test_item_delete(by=network["trainer"], item=item),
    ):
        with pytest.raises(ServiceError, match="already taken"):
            action()
    assert event.test_items.count() == 3


def test_a_cancelled_events_test_is_frozen(network):
    event = evaluated_event(network, status="cancelled")
    with pytest.raises(ServiceError, match="cancelled"):
        services.test_item_add(by=network["trainer"], event=event, question="Q", options=["a", "b"], correct=0)


# ---- taking the test ----------------------------------------------------------------------------


def test_a_member_takes_the_test_before_and_after(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    pre = services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 1),
                               by=network["caseworker"], now=_before(event))
    assert (pre.score, pre.max_score) == (1, 3)
    post = services.test_submit(registration=registration, phase="post", answers=answers_with(event, 3), now=_after(event))
    assert (post.score, post.max_score) == (3, 3)
    state = selectors.participant_state(registration=registration)
    assert state["gain"].raw == 2 and state["gain"].normalised == 1.0
    audit = AuditEvent.objects.filter(action="learning.test.submitted").order_by("seq")
    assert [a.detail for a in audit] == [{"event": event.pk, "registration": registration.pk, "phase": "pre"},
                                         {"event": event.pk, "registration": registration.pk, "phase": "post"}]
    assert audit[0].actor == network["caseworker"] and audit[1].actor is None


def test_the_test_is_taken_once_per_phase(network):
    event = evaluated_event(network)
    registration, _token = outsider(event)
    services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 2), now=_before(event))
    with pytest.raises(ServiceError, match="already taken"):
        services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 3), now=_before(event))
    assert models.TestAttempt.objects.get(registration=registration).score == 2


@pytest.mark.parametrize("status, message", [("waiting", "not confirmed"), ("cancelled", "not confirmed")])
def test_only_registered_participants_answer(network, status, message):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"], status=status)
    with pytest.raises(ServiceError, match=message):
        services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 3), now=_before(event))
    with pytest.raises(ServiceError, match=message):
        services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION, now=_after(event))
    with pytest.raises(ServiceError, match=message):
        services.follow_up_submit(registration=registration, answers=GOOD_FOLLOW_UP)
    assert not models.TestAttempt.objects.exists() and not models.SatisfactionResponse.objects.exists()


def test_nothing_to_answer_at_a_cancelled_event(network):
    event = evaluated_event(network, status="cancelled")
    registration = member(event, network["caseworker"])
    with pytest.raises(ServiceError, match="cancelled"):
        services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 3), now=_before(event))


def test_the_test_windows(network):
    event = evaluated_event(network)
    windows = _windows(event)
    registration = member(event, network["caseworker"])
    with pytest.raises(ServiceError, match="first session ended"):
        services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 3), now=windows.pre_closes)
    with pytest.raises(ServiceError, match="opens when the last session starts"):
        services.test_submit(registration=registration, phase="post", answers=answers_with(event, 3),
                             now=windows.post_opens - datetime.timedelta(minutes=1))
    with pytest.raises(ServiceError, match="follow-up"):
        services.test_submit(registration=registration, phase="post", answers=answers_with(event, 3), now=windows.post_closes)
    # Late comers take the test before during the first session.
    services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 3),
                         now=windows.pre_closes - datetime.timedelta(minutes=1))
    services.test_submit(registration=registration, phase="post", answers=answers_with(event, 3),
                         now=windows.post_closes - datetime.timedelta(minutes=1))
    assert models.TestAttempt.objects.filter(registration=registration).count() == 2


def test_every_question_must_be_answered(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    answers = answers_with(event, 3)
    first, *rest = answers
    for bad in ({k: v for k, v in answers.items() if k != first}, {**answers, first: 9}, {**answers, first: "x"},
                {**answers, first: "²"}):
        with pytest.raises(ServiceError) as refused:
            services.test_submit(registration=registration, phase="pre", answers=bad, now=_before(event))
        assert refused.value.field == f"item-{first}"
    assert not models.TestAttempt.objects.exists()


def test_an_event_without_a_test(network):
    event = evaluated_event(network, items=0)
    registration = member(event, network["caseworker"])
    with pytest.raises(ServiceError, match="no knowledge test"):
        services.test_submit(registration=registration, phase="pre", answers={}, now=_before(event))


def test_an_unknown_phase_is_not_found(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    with pytest.raises(Http404):
        services.test_submit(registration=registration, phase="during", answers={}, now=_before(event))


# ---- satisfaction and follow-up ---------------------------------------------------------------


def test_satisfaction_once_the_event_started(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    with pytest.raises(ServiceError, match="opens when the event starts"):
        services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION,
                                     now=_windows(event).satisfaction_opens - datetime.timedelta(minutes=1))
    response = services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION,
                                            comment="  The case studies were great.  ", now=_after(event))
    response.refresh_from_db()
    assert response.answers == {"overall": 5, "relevance": 4, "speakers": 5, "organisation": 4, "recommend": 5}
    assert response.comment == "The case studies were great."
    with pytest.raises(ServiceError, match="already answered"):
        services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION, now=_after(event))
    audit = AuditEvent.objects.get(action="learning.satisfaction.submitted")
    assert audit.detail == {"event": event.pk, "registration": registration.pk, "comment": True}
    assert "case studies" not in str(audit.detail)


def test_the_comment_is_encrypted(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION, comment="Secret remark",
                                 now=_after(event))
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM learning_satisfactionresponse")
        stored = cursor.fetchone()[0]
    assert "Secret remark" not in str(stored)


def test_satisfaction_answers_are_checked(network):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    with pytest.raises(ServiceError) as refused:
        services.satisfaction_submit(registration=registration, answers={**GOOD_SATISFACTION, "speakers": "9"},
                                     now=_after(event))
    assert refused.value.field == "speakers"
    with pytest.raises(ServiceError) as refused:
        services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION, comment="x" * 4001,
                                     now=_after(event))
    assert refused.value.field == "comment"
    assert not models.SatisfactionResponse.objects.exists()


def test_interpretation_is_asked_only_when_there_is_some(network):
    event = evaluated_event(network, interpretation="")
    registration = member(event, network["caseworker"])
    response = services.satisfaction_submit(registration=registration, answers={**GOOD_SATISFACTION, "interpretation": "3"},
                                            now=_after(event))
    assert "interpretation" not in response.answers


def test_follow_up_once_it_was_sent(network):
    event = evaluated_event(network, offset_days=-100, status="held")
    registration, _token = outsider(event)
    with pytest.raises(ServiceError, match="some months after"):
        services.follow_up_submit(registration=registration, answers=GOOD_FOLLOW_UP)
    registration.follow_up_sent_at = datetime.datetime.now(datetime.timezone.utc)
    registration.save(update_fields=["follow_up_sent_at"])
    with pytest.raises(ServiceError) as refused:
        services.follow_up_submit(registration=registration, answers={**GOOD_FOLLOW_UP, "used": "always"})
    assert refused.value.field == "used"
    response = services.follow_up_submit(registration=registration, answers=GOOD_FOLLOW_UP, examples="I use the checklist.")
    response.refresh_from_db()
    assert response.answers == {"used": "often", "changed_work": "yes", "shared": "yes", "organisation_changed": "dont_know"}
    assert response.examples == "I use the checklist."
    with pytest.raises(ServiceError, match="already answered"):
        services.follow_up_submit(registration=registration, answers=GOOD_FOLLOW_UP)
    audit = AuditEvent.objects.get(action="learning.follow_up.submitted")
    assert audit.detail == {"event": event.pk, "registration": registration.pk, "examples": True}
    assert models.FollowUpResponse.objects.count() == 1


# ---- results -----------------------------------------------------------------------------------


def test_event_results(network):
    event = evaluated_event(network)
    ada = member(event, network["caseworker"])
    bea, _token = outsider(event, name="Bea Outside")
    cleo = member(event, network["supervisor"])
    waiting, _token = outsider(event, name="Wanda Waiting", status="waiting")
    services.test_submit(registration=ada, phase="pre", answers=answers_with(event, 1), now=_before(event))
    services.test_submit(registration=ada, phase="post", answers=answers_with(event, 3), now=_after(event))
    services.test_submit(registration=bea, phase="pre", answers=answers_with(event, 3), now=_before(event))
    services.test_submit(registration=bea, phase="post", answers=answers_with(event, 2), now=_after(event))
    services.test_submit(registration=cleo, phase="pre", answers=answers_with(event, 0), now=_before(event))
    services.satisfaction_submit(registration=ada, answers=GOOD_SATISFACTION, comment="Useful.", now=_after(event))
    services.satisfaction_submit(registration=bea, answers={**GOOD_SATISFACTION, "overall": "3", "interpretation": "4"},
                                 now=_after(event))
    results = selectors.event_results(event=event)
    assert results["event"] == event.pk and results["registered"] == 3  # not the waiting list
    level1 = results["level1"]
    assert level1["n"] == 2 and level1["response_rate"] == pytest.approx(2 / 3)
    assert {row["key"]: row["mean"] for row in level1["items"]}["overall"] == 4
    level2 = results["level2"]
    assert (level2["items"], level2["max_score"], level2["pre_n"], level2["post_n"]) == (3, 3, 3, 2)
    assert level2["gain"]["n"] == 2 and level2["gain"]["mean_raw"] == pytest.approx(0.5)
    assert level2["gain"]["normalised_n"] == 1  # Bea had everything right before
    rows = {row["registration_id"]: row for row in level2["participants"]}
    assert set(rows) == {ada.pk, bea.pk, cleo.pk}
    assert (rows[ada.pk]["pre"], rows[ada.pk]["post"], rows[ada.pk]["raw"], rows[ada.pk]["normalised"]) == (1, 3, 2, 1.0)
    assert (rows[bea.pk]["raw"], rows[bea.pk]["normalised"]) == (-1, None)
    assert (rows[cleo.pk]["post"], rows[cleo.pk]["raw"]) == (None, None)
    assert waiting.pk not in rows
    level3 = results["level3"]
    assert (level3["sent"], level3["n"], level3["response_rate"], level3["reminded"]) == (0, 0, None, 0)
    assert level3["due_on"] == event.ends_on + datetime.timedelta(days=90)
    assert selectors.free_texts(event=event) == {"comments": ["Useful."], "examples": []}
    assert selectors.participant_names(event=event)[bea.pk] == "Bea Outside"


def test_reading_the_results_is_audited_for_runners_only(network):
    event = evaluated_event(network)
    services.results_viewed(by=network["trainer"], event=event)
    assert AuditEvent.objects.get(action="learning.results.viewed").detail == {"event": event.pk}
    with pytest.raises(Http404):
        services.results_viewed(by=network["caseworker"], event=event)
