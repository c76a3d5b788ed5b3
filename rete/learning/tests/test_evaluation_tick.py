"""The follow-up e-mails (part "evaluation"): `rete tick` sends the follow-up questionnaire once
to each registered participant of a held event when it falls due, in her language, with the
right link (a member's page; a new personal link for an outside professional), and reminds
those who did not answer once, two weeks later. Idempotent."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from rete.conftest import client_for
from rete.core.extensions import tick_jobs
from rete.core.models import AuditEvent
from rete.learning import tokens
from rete.learning.models import Registration
from rete.learning.services import evaluation as services
from rete.learning.tests.test_evaluation_support import GOOD_FOLLOW_UP, evaluated_event, member, outsider

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_event(network):
    """A held event whose 90-day follow-up fell due today."""
    return evaluated_event(network, offset_days=-91, days=2, status="held")


def _tick(capture, now=None):
    with capture(execute=True):
        return services.follow_up_tick(now or timezone.now())


def test_the_tick_is_registered():
    assert any(job.__name__ == "evaluation_tick" for job in tick_jobs())


def test_the_follow_up_is_sent_once(network, due_event, django_capture_on_commit_callbacks):
    ada = member(due_event, network["caseworker"], language="en")
    olga, old_token = outsider(due_event, language="it", email="olga@outside.example")
    member(due_event, network["supervisor"], status="waiting")
    member(due_event, network["police_officer"], status="cancelled")
    assert _tick(django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["caseworker@home.example", "olga@outside.example"]
    ada.refresh_from_db()
    olga.refresh_from_db()
    assert ada.follow_up_sent_at and olga.follow_up_sent_at
    # Idempotent: nothing twice.
    assert _tick(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 2
    assert [a.detail for a in AuditEvent.objects.filter(action="learning.follow_up.sent").order_by("seq")] == [
        {"event": due_event.pk, "registration": ada.pk, "new_link": False},
        {"event": due_event.pk, "registration": olga.pk, "new_link": True}]


def test_the_e_mails_carry_the_right_link_in_her_language(network, due_event, django_capture_on_commit_callbacks):
    ada = member(due_event, network["caseworker"], language="en")
    olga, old_token = outsider(due_event, language="it", email="olga@outside.example")
    _tick(django_capture_on_commit_callbacks)
    to_ada = next(m for m in mail.outbox if m.to == ["caseworker@home.example"])
    to_olga = next(m for m in mail.outbox if m.to == ["olga@outside.example"])
    assert f"/en/learning/my-training/{ada.pk}/follow-up/" in to_ada.body
    assert due_event.title in to_ada.subject
    assert "personal link" not in to_ada.body
    link = re.search(r"/it/training/me/([^/\s]+)/follow-up/", to_olga.body)
    assert link, to_olga.body
    token = link.group(1)
    olga.refresh_from_db()
    assert olga.access_token_hash == tokens.token_hash(token) != tokens.token_hash(old_token)
    assert token not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert "Olga" not in to_olga.body
    # The new link opens her questionnaire; the old one no longer does.
    assert client_for(None).get(f"/it/training/me/{token}/follow-up/").status_code == 200
    assert client_for(None).get(f"/it/training/me/{old_token}/follow-up/").status_code == 404


def test_not_before_it_is_due_nor_for_events_not_held(network, django_capture_on_commit_callbacks):
    early = evaluated_event(network, offset_days=-80, status="held")
    not_held = evaluated_event(network, offset_days=-100, status="closed")
    too_old = evaluated_event(network, offset_days=-200, status="held")
    for event in (early, not_held, too_old):
        member(event, network["caseworker"])
    assert _tick(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    # Its day comes.
    later = timezone.now() + datetime.timedelta(days=12)
    assert _tick(django_capture_on_commit_callbacks, later) == 1
    assert Registration.objects.get(event=early).follow_up_sent_at is not None


def test_one_reminder_two_weeks_later_to_those_who_did_not_answer(network, due_event, django_capture_on_commit_callbacks):
    ada = member(due_event, network["caseworker"])
    olga, _token = outsider(due_event, email="olga@outside.example")
    _tick(django_capture_on_commit_callbacks)
    services.follow_up_submit(registration=ada, answers=GOOD_FOLLOW_UP)
    mail.outbox.clear()
    # Not yet.
    assert _tick(django_capture_on_commit_callbacks, timezone.now() + datetime.timedelta(days=13)) == 0
    later = timezone.now() + datetime.timedelta(days=14, hours=1)
    assert _tick(django_capture_on_commit_callbacks, later) == 1
    assert [m.to for m in mail.outbox] == [["olga@outside.example"]]
    assert "Reminder" in mail.outbox[0].subject
    # Her link in the reminder works.
    token = re.search(r"/training/me/([^/\s]+)/follow-up/", mail.outbox[0].body).group(1)
    assert client_for(None).get(f"/en/training/me/{token}/follow-up/").status_code == 200
    # Once.
    assert _tick(django_capture_on_commit_callbacks, later + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    olga.refresh_from_db()
    ada.refresh_from_db()
    assert olga.follow_up_reminded_at is not None and ada.follow_up_reminded_at is None
    assert AuditEvent.objects.filter(action="learning.follow_up.reminded").count() == 1


def test_a_claim_already_made_sends_nothing(network, due_event, django_capture_on_commit_callbacks):
    ada = member(due_event, network["caseworker"])
    stale = Registration.objects.get(pk=ada.pk)
    Registration.objects.filter(pk=ada.pk).update(follow_up_sent_at=timezone.now())  # another tick got there first
    with django_capture_on_commit_callbacks(execute=True):
        assert services._claim(stale, timezone.now(), reminder=False) == 0
    assert mail.outbox == []
