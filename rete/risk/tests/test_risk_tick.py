"""Risk reminders through `rete tick`: overdue reassessments and actions due within a day or
overdue, e-mailed once to the case's team and supervisor, with the reference, what, when and a
link only."""
import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from rete.cases.tests.helpers import open_case
from rete.core.models import AuditEvent, Role
from rete.risk import tasks
from rete.risk.models import RiskAction, RiskStatus
from rete.risk.tests.history_helpers import load, signed

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def instrument():
    return load("count-24")


@pytest.fixture
def case(network):
    case = open_case(network[Role.CASEWORKER], network.home, given_name="Ermengarde", family_name="Pocklington")
    case.__class__.objects.filter(pk=case.pk).update(supervisor=network[Role.SUPERVISOR])
    return case


def make_overdue(case, *, days=1):
    RiskStatus.objects.filter(subject_type="case", subject_id=case.pk).update(next_due_at=timezone.now() - datetime.timedelta(days=days))


def run_tick(capture, now=None):
    with capture(execute=True):
        return tasks.tick(now or timezone.now())


def test_tick_is_registered():
    from rete.core.extensions import tick_jobs

    assert tasks.tick in tick_jobs()


@override_settings(TASKS=IMMEDIATE)
def test_overdue_reassessment_reminded_once_to_team_and_supervisor(network, case, instrument, django_capture_on_commit_callbacks):
    worker, supervisor = network[Role.CASEWORKER], network[Role.SUPERVISOR]
    signed(worker, case, instrument, yes=3, override="high", reason="Confidential reason: he bought a gun.")
    # The high band's actions are due in 1 and 2 days: the one due within 24 hours is reminded too.
    RiskAction.objects.filter(subject_id=case.pk).update(due_at=timezone.now() + datetime.timedelta(days=3))
    mail.outbox.clear()
    assert run_tick(django_capture_on_commit_callbacks) == 0  # nothing due yet
    assert len(mail.outbox) == 0

    make_overdue(case)
    assert run_tick(django_capture_on_commit_callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([worker.email, supervisor.email])
    for message in mail.outbox:
        text = message.subject + message.body
        assert case.reference in text and "reassessment" in text.lower()
        assert f"/cases/{case.pk}/" in message.body
        for secret in ("Ermengarde", "Pocklington", "gun", "Confidential", "Counted question", "High"):
            assert secret not in text
    # Idempotent: the next tick sends nothing again.
    assert run_tick(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 2
    event = AuditEvent.objects.filter(action="risk.reminder_queued").get()
    assert event.detail == {"kind": "reassessment", "subject_type": "case", "subject_id": case.pk}


@override_settings(TASKS=IMMEDIATE)
def test_actions_due_within_a_day_or_overdue_are_reminded(network, case, instrument, django_capture_on_commit_callbacks):
    worker = network[Role.CASEWORKER]
    signed(worker, case, instrument, yes=15)  # high: risk conference in 2 days, safety plan in 1 day
    actions = {a.code: a for a in RiskAction.objects.filter(subject_id=case.pk)}
    RiskAction.objects.filter(pk=actions["safety-plan"].pk).update(due_at=timezone.now() + datetime.timedelta(hours=20))
    mail.outbox.clear()
    assert run_tick(django_capture_on_commit_callbacks) == 1  # only the one due within 24 hours
    assert len(mail.outbox) == 2
    assert all("Make or review her safety plan" in m.body and "due soon" in m.subject for m in mail.outbox)
    # The other one becomes overdue; a done action is never reminded.
    RiskAction.objects.filter(pk=actions["risk-conference"].pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    done = signed(worker, open_case(worker, network.home), instrument, yes=15)
    RiskAction.objects.filter(assessment=done).update(status="done", due_at=timezone.now() - datetime.timedelta(hours=1))
    mail.outbox.clear()
    assert run_tick(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2 and all("overdue" in m.subject and "Refer to the risk conference" in m.body for m in mail.outbox)
    assert run_tick(django_capture_on_commit_callbacks) == 0


@override_settings(TASKS=IMMEDIATE)
def test_a_new_due_date_is_reminded_again(network, case, instrument, django_capture_on_commit_callbacks):
    worker = network[Role.CASEWORKER]
    signed(worker, case, instrument, yes=3)
    RiskAction.objects.filter(subject_id=case.pk).update(status="done")
    make_overdue(case)
    mail.outbox.clear()
    assert run_tick(django_capture_on_commit_callbacks) == 1
    # Reassessed: a new date, the reminder reset by the sign-off; overdue again later, reminded again.
    signed(worker, case, instrument, yes=3)
    RiskAction.objects.filter(subject_id=case.pk).update(status="done")
    assert RiskStatus.objects.get(subject_id=case.pk).reminder_sent_at is None
    make_overdue(case)
    assert run_tick(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 4


@override_settings(TASKS=IMMEDIATE)
def test_reminder_in_the_recipients_language(network, case, instrument, django_capture_on_commit_callbacks):
    worker = network[Role.CASEWORKER]
    worker.language = "it"
    worker.save(update_fields=["language"])
    signed(worker, case, instrument, yes=3)
    RiskAction.objects.filter(subject_id=case.pk).update(status="done")
    make_overdue(case)
    mail.outbox.clear()
    run_tick(django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert f"/it/cases/{case.pk}/" in by_address[worker.email].body
    assert f"/en/cases/{case.pk}/" in by_address[network[Role.SUPERVISOR].email].body


@override_settings(TASKS=IMMEDIATE)
def test_stale_task_sends_nothing(network, case, instrument, django_capture_on_commit_callbacks):
    worker = network[Role.CASEWORKER]
    signed(worker, case, instrument, yes=3)
    status = RiskStatus.objects.get(subject_id=case.pk)
    # Queued, then reassessed before the worker ran it: the date moved on.
    RiskStatus.objects.filter(pk=status.pk).update(reminder_sent_at=timezone.now())
    mail.outbox.clear()
    assert tasks.send_reassessment_reminder.call(status.pk) == 0
    action = RiskAction.objects.filter(subject_id=case.pk).first()
    RiskAction.objects.filter(pk=action.pk).update(reminder_sent_at=timezone.now(), status="done")
    assert tasks.send_action_reminder.call(action.pk) == 0
    assert tasks.send_action_reminder.call(999999) == 0 and len(mail.outbox) == 0


@override_settings(TASKS=IMMEDIATE)
def test_closed_case_and_departed_people_get_nothing(network, case, instrument, django_capture_on_commit_callbacks):
    worker = network[Role.CASEWORKER]
    signed(worker, case, instrument, yes=3)
    RiskAction.objects.filter(subject_id=case.pk).update(status="done")
    make_overdue(case)
    # The supervisor left the organisation: only the caseworker is reminded.
    from rete.core.models import Membership

    Membership.objects.filter(user=network[Role.SUPERVISOR]).update(ended_at=timezone.now())
    mail.outbox.clear()
    run_tick(django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [worker.email]
    # A closed case reminds nobody.
    case.__class__.objects.filter(pk=case.pk).update(status="closed")
    RiskStatus.objects.filter(subject_id=case.pk).update(reminder_sent_at=None)
    mail.outbox.clear()
    run_tick(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_tick_on_the_database_backend_enqueues_without_sending(network, case, instrument, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    signed(network[Role.CASEWORKER], case, instrument, yes=3)
    make_overdue(case)
    mail.outbox.clear()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        assert run_tick(django_capture_on_commit_callbacks) == 1
        assert DBTaskResult.objects.count() == 1 and len(mail.outbox) == 0
        assert run_tick(django_capture_on_commit_callbacks) == 0
