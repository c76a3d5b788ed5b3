"""Evaluation pages (part "evaluation"): the knowledge-test editor and the results for the people
who run the event; a participant's test, satisfaction and follow-up pages, the same for a member
(her account) and an outside professional (her personal link); the sections of the participant's
and the event's pages. Outsiders get 404; bad input keeps what was typed; a stale edit shows both
versions; the results page runs a fixed number of queries."""
import datetime
import re

import pytest
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.learning import models
from rete.learning.selectors import evaluation as selectors
from rete.learning.services import evaluation as services
from rete.learning.tests.test_evaluation_support import (GOOD_FOLLOW_UP, GOOD_SATISFACTION, answers_with, evaluated_event,
                                                         form_with, member, outsider)

pytestmark = pytest.mark.django_db


def _checked(html, name, value):
    return re.search(rf'name="{re.escape(name)}" value="{re.escape(value)}"[^>]*checked', html) is not None


def _past_event(network, **extra):
    """Over since yesterday: the test after and the satisfaction questionnaire are open."""
    return evaluated_event(network, offset_days=-3, **extra)


# ---- the test editor ------------------------------------------------------------------------------


def test_runners_see_and_add_questions(network, as_user):
    event = evaluated_event(network, items=1)
    client = as_user(network["trainer"])
    page = client.get(url("learning:test_items", training_event_id=event.pk))
    assert page.status_code == 200
    assert "Which factor most raises the risk" in page.content.decode()
    response = client.post(url("learning:test_items", training_event_id=event.pk), {
        "question": "What is coercive control?", "option_1": "A pattern of domination", "option_2": "",
        "option_3": "A single quarrel", "correct": "3"})
    assert response.status_code == 302
    item = event.test_items.order_by("-pk").first()
    assert (item.question, item.options, item.correct) == ("What is coercive control?",
                                                           ["A pattern of domination", "A single quarrel"], 1)


@pytest.mark.parametrize("data, error", [
    ({"question": "My question?", "option_1": "Only one", "correct": "1"}, "at least 2 answers"),
    ({"question": "My question?", "option_1": "One", "option_2": "Two", "correct": "4"}, "among the answers you wrote"),
    ({"question": "My question?", "option_1": "One", "option_2": "one", "correct": "1"}, "Two answers are the same"),
    ({"question": "My question?", "option_1": "One", "option_2": "Two"}, "Mark the correct answer"),
])
def test_bad_questions_keep_what_was_typed(network, as_user, data, error):
    event = evaluated_event(network, items=0)
    response = as_user(network["trainer"]).post(url("learning:test_items", training_event_id=event.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "My question?" in html and f'value="{data["option_1"]}"' in html
    assert not event.test_items.exists()


def test_it_checks_ownership_of_the_test(network, as_user):
    event = evaluated_event(network, items=1)
    item = event.test_items.get()
    other = evaluated_event(network, items=1, host=network.other, by=network["other_trainer"])
    for person in ("caseworker", "other_trainer", "dpo", "other_network_coordinator"):
        client = as_user(network[person])
        assert_denied(client.get(url("learning:test_items", training_event_id=event.pk)))
        assert_denied(client.get(url("learning:test_item_edit", training_event_id=event.pk, test_item_id=item.pk)))
        assert_denied(client.post(url("learning:test_item_delete", training_event_id=event.pk, test_item_id=item.pk)))
        assert_denied(client.get(url("learning:event_results", training_event_id=event.pk)))
    # An item reached through another event is not found either.
    assert_denied(as_user(network["trainer"]).get(url("learning:test_item_edit", training_event_id=event.pk,
                                                      test_item_id=other.test_items.get().pk)))
    assert event.test_items.count() == 1


def test_editing_a_question(network, as_user):
    event = evaluated_event(network, items=1)
    item = event.test_items.get()
    client = as_user(network["trainer"])
    edit_url = url("learning:test_item_edit", training_event_id=event.pk, test_item_id=item.pk)
    page = client.get(edit_url)
    assert page.status_code == 200
    html = page.content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
    assert _checked(html, "correct", "1")
    data = {"question": "Changed?", "option_1": "Yes", "option_2": "No", "correct": "2", "fingerprint": fingerprint}
    assert client.post(edit_url, {**data, "option_2": ""}).status_code == 400
    assert client.post(edit_url, data).status_code == 302
    item.refresh_from_db()
    assert (item.question, item.options, item.correct) == ("Changed?", ["Yes", "No"], 1)
    # Someone saved in between: both versions are shown and nothing is lost.
    stale = client.post(edit_url, {**data, "question": "Mine?"})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone else saved this record" in html and "Mine?" in html and "Changed?" in html
    new_fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
    assert new_fingerprint == services.fingerprint(item)
    assert client.post(edit_url, {**data, "question": "Mine?", "fingerprint": new_fingerprint}).status_code == 302


def test_removing_a_question_is_post_only(network, as_user):
    event = evaluated_event(network, items=2)
    item = event.test_items.first()
    client = as_user(network["network_coordinator"])
    delete_url = url("learning:test_item_delete", training_event_id=event.pk, test_item_id=item.pk)
    assert client.get(delete_url).status_code == 405
    assert client.post(delete_url).status_code == 302
    assert event.test_items.count() == 1


def test_a_test_taken_can_be_read_but_not_changed(network, as_user):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 2))
    client = as_user(network["trainer"])
    page = client.get(url("learning:test_items", training_event_id=event.pk)).content.decode()
    assert "can no longer change" in page and "Add the question" not in page
    item = event.test_items.first()
    edit_url = url("learning:test_item_edit", training_event_id=event.pk, test_item_id=item.pk)
    page = client.get(edit_url)
    assert page.status_code == 200 and "can no longer change" in page.content.decode()
    response = client.post(edit_url, {"question": "Changed?", "option_1": "Yes", "option_2": "No", "correct": "1"})
    assert response.status_code == 400 and "already taken" in response.content.decode()
    response = client.post(url("learning:test_item_delete", training_event_id=event.pk, test_item_id=item.pk), follow=True)
    assert "already taken" in response.content.decode()
    assert event.test_items.count() == 3


# ---- a member's questionnaires -------------------------------------------------------------------


def test_a_member_takes_the_test_before(network, as_user):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    client = as_user(network["caseworker"])
    test_url = url("learning:my_test", registration_id=registration.pk, test_phase="pre")
    page = client.get(test_url)
    assert page.status_code == 200 and "Which factor most raises the risk" in page.content.decode()
    data = form_with(event, 2)
    first = next(iter(data))
    incomplete = {k: v for k, v in data.items() if k != first}
    response = client.post(test_url, incomplete)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer this question." in html
    name, value = list(incomplete.items())[0]
    assert _checked(html, name, value)  # her other answers are kept
    assert not models.TestAttempt.objects.exists()
    assert client.post(test_url, data).status_code == 302
    html = client.get(test_url).content.decode()
    assert "Your score: 2 out of 3" in html
    assert client.post(test_url, data).status_code == 400  # once
    assert models.TestAttempt.objects.get().score == 2


def test_it_checks_ownership_of_her_pages(network, as_user):
    event = _past_event(network)
    registration = member(event, network["caseworker"])
    for person in ("supervisor", "trainer", "other_caseworker", "dpo"):
        client = as_user(network[person])
        assert_denied(client.get(url("learning:my_test", registration_id=registration.pk, test_phase="post")))
        assert_denied(client.post(url("learning:my_test", registration_id=registration.pk, test_phase="post"),
                                  form_with(event, 3)))
        assert_denied(client.get(url("learning:my_satisfaction", registration_id=registration.pk)))
        assert_denied(client.post(url("learning:my_satisfaction", registration_id=registration.pk), GOOD_SATISFACTION))
        assert_denied(client.get(url("learning:my_follow_up", registration_id=registration.pk)))
    # An outside participant's registration has no member page.
    olga, _token = outsider(event)
    assert_denied(as_user(network["caseworker"]).get(url("learning:my_satisfaction", registration_id=olga.pk)))
    assert_denied(as_user(network["caseworker"]).get(url("learning:my_test", registration_id=registration.pk,
                                                         test_phase="during")))
    assert client_for(None).get(url("learning:my_satisfaction", registration_id=registration.pk)).status_code == 302
    assert not models.TestAttempt.objects.exists() and not models.SatisfactionResponse.objects.exists()


def test_a_waiting_participant_is_told_and_refused(network, as_user):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"], status="waiting")
    client = as_user(network["caseworker"])
    test_url = url("learning:my_test", registration_id=registration.pk, test_phase="pre")
    page = client.get(test_url)
    assert page.status_code == 200 and "waiting list" in page.content.decode()
    assert client.post(test_url, form_with(event, 3)).status_code == 400
    assert not models.TestAttempt.objects.exists()


def test_the_test_after_is_not_open_before_the_training(network, as_user):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    page = as_user(network["caseworker"]).get(url("learning:my_test", registration_id=registration.pk, test_phase="post"))
    assert page.status_code == 200 and "opens when the last session starts" in page.content.decode()


def test_satisfaction_keeps_her_answers_on_error(network, as_user):
    event = _past_event(network)
    registration = member(event, network["caseworker"])
    client = as_user(network["caseworker"])
    page_url = url("learning:my_satisfaction", registration_id=registration.pk)
    assert client.get(page_url).status_code == 200
    response = client.post(page_url, {**GOOD_SATISFACTION, "speakers": "", "comment": "The venue was cold."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The venue was cold." in html and _checked(html, "overall", "5")
    assert client.post(page_url, {**GOOD_SATISFACTION, "comment": "The venue was cold."}).status_code == 302
    assert models.SatisfactionResponse.objects.get().comment == "The venue was cold."
    assert "Thank you" in client.get(page_url).content.decode()


def test_satisfaction_not_before_the_event(network, as_user):
    event = evaluated_event(network)
    registration = member(event, network["caseworker"])
    response = as_user(network["caseworker"]).post(url("learning:my_satisfaction", registration_id=registration.pk),
                                                   GOOD_SATISFACTION)
    assert response.status_code == 400 and "opens when the event starts" in response.content.decode()
    assert not models.SatisfactionResponse.objects.exists()


def test_the_follow_up_page(network, as_user):
    event = evaluated_event(network, offset_days=-100, status="held")
    registration = member(event, network["caseworker"])
    client = as_user(network["caseworker"])
    page_url = url("learning:my_follow_up", registration_id=registration.pk)
    page = client.get(page_url)
    assert page.status_code == 200 and "receive an e-mail" in page.content.decode()
    assert client.post(page_url, GOOD_FOLLOW_UP).status_code == 400
    models.Registration.objects.filter(pk=registration.pk).update(follow_up_sent_at=timezone.now())
    response = client.post(page_url, {**GOOD_FOLLOW_UP, "used": "", "examples": "We changed our intake form."})
    assert response.status_code == 400 and "We changed our intake form." in response.content.decode()
    assert client.post(page_url, {**GOOD_FOLLOW_UP, "examples": "We changed our intake form."}).status_code == 302
    assert models.FollowUpResponse.objects.get().examples == "We changed our intake form."


# ---- an outside professional, through her personal link ------------------------------------------


def test_an_outside_participant_answers_through_her_link(network):
    event = _past_event(network)
    registration, token = outsider(event)
    client = client_for(None)
    test_url = url("learning_public:participant_test", participant_token=token, test_phase="post")
    page = client.get(test_url)
    assert page.status_code == 200
    assert not page.cookies  # no cookie on a public page
    assert page["Cache-Control"] == "no-store"
    assert client.post(test_url, form_with(event, 3)).status_code == 302
    assert "Your score: 3 out of 3" in client.get(test_url).content.decode()
    satisfaction_url = url("learning_public:participant_satisfaction", participant_token=token)
    response = client.post(satisfaction_url, {**GOOD_SATISFACTION, "overall": "", "comment": "Great."})
    assert response.status_code == 400 and "Great." in response.content.decode()
    assert client.post(satisfaction_url, GOOD_SATISFACTION).status_code == 302
    attempt = models.TestAttempt.objects.get()
    assert attempt.registration == registration and attempt.phase == "post"
    assert models.SatisfactionResponse.objects.get().registration == registration


def test_a_wrong_link_is_not_found(network):
    event = _past_event(network)
    outsider(event)
    client = client_for(None)
    for name, extra in (("learning_public:participant_test", {"test_phase": "post"}),
                        ("learning_public:participant_satisfaction", {}),
                        ("learning_public:participant_follow_up", {})):
        assert_denied(client.get(url(name, participant_token="not-a-token", **extra)))
        assert_denied(client.post(url(name, participant_token="not-a-token", **extra), GOOD_SATISFACTION))
    assert not models.SatisfactionResponse.objects.exists()


# ---- the sections ------------------------------------------------------------------------------


def test_the_participant_section_for_a_member(network, as_user):
    event = _past_event(network)
    registration = member(event, network["caseworker"])
    services.test_submit(registration=registration, phase="pre", answers=answers_with(event, 1),
                         now=selectors.windows(event=event).pre_closes - datetime.timedelta(hours=1))
    services.test_submit(registration=registration, phase="post", answers=answers_with(event, 3))
    html = as_user(network["caseworker"]).get(url("learning:my_registration", registration_id=registration.pk)).content.decode()
    assert "Evaluation" in html
    assert "1 out of 3" in html and "3 out of 3" in html
    assert "2 points" in html  # her gain
    assert url("learning:my_satisfaction", registration_id=registration.pk) in html


def test_the_participant_section_through_her_link(network):
    event = evaluated_event(network)
    registration, token = outsider(event)
    html = client_for(None).get(url("learning_public:participant_home", participant_token=token)).content.decode()
    assert url("learning_public:participant_test", participant_token=token, test_phase="pre") in html
    assert "/my-training/" not in html


def test_the_event_section_for_runners_only(network, as_user):
    event = evaluated_event(network)
    results_url = url("learning:event_results", training_event_id=event.pk)
    assert results_url in as_user(network["trainer"]).get(url("learning:event_detail", training_event_id=event.pk)).content.decode()
    page = as_user(network["caseworker"]).get(url("learning:event_detail", training_event_id=event.pk))
    assert page.status_code == 200 and results_url not in page.content.decode()


# ---- the results ---------------------------------------------------------------------------------


def _participants(network, event, count):
    from rete.learning.tests.factories import make_registration

    before = selectors.windows(event=event).pre_closes - datetime.timedelta(hours=1)
    for n in range(count):
        registration = make_registration(event, full_name=f"Person{n} Example", email=f"p{n}@outside.example")
        services.test_submit(registration=registration, phase="pre", answers=answers_with(event, n % 2), now=before)
        services.test_submit(registration=registration, phase="post", answers=answers_with(event, 2 + n % 2))
        services.satisfaction_submit(registration=registration, answers=GOOD_SATISFACTION, comment=f"Comment {n}")
        models.Registration.objects.filter(pk=registration.pk).update(follow_up_sent_at=timezone.now())
        services.follow_up_submit(registration=registration, answers=GOOD_FOLLOW_UP, examples=f"Example {n}")


def test_the_results_page(network, as_user):
    event = _past_event(network)
    _participants(network, event, 2)
    response = as_user(network["trainer"]).get(url("learning:event_results", training_event_id=event.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Person0 Example", "Person1 Example", "Comment 1", "Example 0", "Mean normalised gain",
                 "2 of 2 answered", "2 answered of 2 sent"):
        assert text in html, text
    assert AuditEvent.objects.filter(action="learning.results.viewed", object_id=str(event.pk)).exists()


@pytest.mark.parametrize("count", [1, 20])
def test_the_results_page_runs_a_fixed_number_of_queries(network, as_user, django_assert_max_num_queries, count):
    event = _past_event(network)
    _participants(network, event, count)
    client = as_user(network["trainer"])
    with django_assert_max_num_queries(30):
        response = client.get(url("learning:event_results", training_event_id=event.pk))
    assert response.status_code == 200
    assert f"Person{count - 1} Example" in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_the_participant_pages_run_a_fixed_number_of_queries(network, as_user, django_assert_max_num_queries, count):
    event = _past_event(network)
    _participants(network, event, count)
    registration = member(event, network["caseworker"])
    client = as_user(network["caseworker"])
    for page in (url("learning:my_test", registration_id=registration.pk, test_phase="post"),
                 url("learning:my_satisfaction", registration_id=registration.pk),
                 url("learning:my_follow_up", registration_id=registration.pk)):
        with django_assert_max_num_queries(25):
            assert client.get(page).status_code == 200
