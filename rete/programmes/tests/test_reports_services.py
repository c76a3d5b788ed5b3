"""Court and probation reports (part "court-reports"): the facts drafted from the record, the
assessment, sign-off by coordinators only, the sending, "not needed", the mandate's periodic
schedule and the reminders."""
import datetime

import pytest
from django.core import mail
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from rete.core.models import AuditEvent, Membership, Role
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import tasks
from rete.programmes.models import (
    Attendance,
    CourtReport,
    Enrolment,
    EnrolmentState,
    ReportKind,
    ReportRecipient,
    ReportStatus,
    Session,
    SessionStatus,
)
from rete.programmes.services import court_reports as services
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services.compliance import compliance_evaluate
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SENTINEL = "Zephyrine-Quarrington"
# His attendance, Tuesday and Thursday for four weeks: (status, participation).
PATTERN = [("present", "active"), ("present", "adequate"),  # week 1: both
           ("late", "active"), ("absent", ""),  # week 2: one of two
           ("excused", ""), ("absent", ""),  # week 3: none
           ("present", "oppositional"), ("present", "passive")]  # week 4: both


def first_monday(weeks_ago=5):
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.isoweekday() - 1) - datetime.timedelta(weeks=weeks_ago)


def attended_enrolment(programme, *, given_name="Marco", family_name="Testa", evaluate=True) -> Enrolment:
    """A court-ordered man, active since the Monday five weeks ago, in a group with eight held
    sessions over four weeks and the PATTERN of attendance; the attendance rules run."""
    start = first_monday()
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True, given_name=given_name,
                               family_name=family_name)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_on=start)
    group = make_group(programme, members=[enrolment], sessions=8, starts_on=start)
    Session.objects.filter(group=group).update(status=SessionStatus.HELD)
    for session, (status, participation) in zip(group.sessions.order_by("starts_at"), PATTERN):
        Attendance.objects.create(session=session, enrolment=enrolment, status=status, participation=participation,
                                  excuse="illness" if status == "excused" else "", recorded_by=programme.facilitator,
                                  recorded_at=timezone.now())
    enrolment.refresh_from_db()
    if evaluate:
        compliance_evaluate(by=None, enrolment=enrolment)
        enrolment.refresh_from_db()
    return enrolment


def add_partner_sentinels(programme, enrolment):
    """Her side, with the sentinel everywhere: the link's request note, an event's note, her own
    case (her name) and a contact status shared with the programme."""
    from rete.cases.tests.helpers import open_case
    from rete.core.selectors import forget_memberships
    from rete.network.services import partner_contact

    link = partner_contact.partner_link_request(
        by=programme.facilitator, programme_organisation=programme.organisation, enrolment_id=enrolment.pk,
        enrolment_reference=enrolment.reference, support_organisation=programme.support, note=f"Request {SENTINEL}")
    partner_contact.partner_event_send(by=programme.facilitator, enrolment_id=enrolment.pk, kind="other",
                                       note=f"Event {SENTINEL}")
    Membership.objects.create(user=programme.partner_worker, organisation=programme.support, role=Role.CASEWORKER)
    forget_memberships(programme.partner_worker)
    case = open_case(programme.partner_worker, programme.support, given_name=SENTINEL, family_name="Partner")
    link = partner_contact.partner_link_attach_case(by=programme.partner_worker, link=link, case=case)
    partner_contact.partner_status_set(by=programme.partner_worker, link=link, status="engaged", share=True,
                                       version=link.version)
    return link


def start_notice(enrolment) -> CourtReport:
    return CourtReport.objects.get(enrolment=enrolment, kind=ReportKind.START)


@pytest.fixture
def programme(network):
    return Programme()


# ---- drafting from the record -------------------------------------------------------------------


def test_a_draft_freezes_the_facts_of_the_record(programme):
    enrolment = attended_enrolment(programme)
    report = services.report_draft(by=programme.facilitator, report=start_notice(enrolment))
    assert report.status == ReportStatus.DRAFT and report.drafted_by == programme.facilitator
    assert report.language == "it"  # the programme's first language
    facts = report.facts
    today = timezone.localdate()
    assert facts["period"] == {"from": first_monday().isoformat(), "to": today.isoformat()}
    assert report.period_from == first_monday() and report.period_to == today
    assert facts["mandate"]["case_number"] == "RG 1234/2026" and facts["mandate"]["court"] == "Tribunale di Esempio"
    assert facts["mandate"]["sessions_per_week"] == 2 and facts["mandate"]["basis"] == "art_165_cp"
    assert facts["participant"]["name"] == "Marco Testa" and facts["participant"]["birth_year"] == 1980
    counts = facts["attendance"]["period"]
    assert counts == {"offered": 8, "attended": 5, "present": 4, "late": 1, "excused": 1, "absent": 2,
                      "counted_absences": 2, "hours": 10.0}
    assert facts["attendance"]["since_start"] == counts
    assert facts["participation"] == {"active": 2, "adequate": 1, "passive": 1, "oppositional": 1, "not_recorded": 0}
    weeks = facts["weeks"]
    assert [(w["offered"], w["attended"], w["met"]) for w in weeks[:4]] == [(2, 2, True), (2, 1, False), (2, 0, False),
                                                                          (2, 2, True)]
    assert all(w["met"] is None and w["offered"] == 0 for w in weeks[4:]) and len(weeks) == 6
    # The attendance rules' findings (two weeks below the frequency, the absences warning).
    assert sorted(row["rule"] for row in facts["compliance"]) == ["absences", "weekly_frequency", "weekly_frequency"]
    assert all(row["level"] == "warning" for row in facts["compliance"])
    # His changes of state with their dates, never the reasons.
    assert [row["to"] for row in facts["states"]][-1] == "active"
    assert "reason" not in str(facts) and "For the test" not in str(facts) and "Motivated" not in str(facts)
    assert facts["outcome"] == ""
    event = AuditEvent.objects.filter(action="programmes.court_report_drafted").get()
    assert event.detail == {"enrolment": enrolment.pk, "report": report.pk, "kind": "start", "regenerated": False}


def test_the_facts_hold_nothing_of_her_side(programme):
    enrolment = attended_enrolment(programme)
    add_partner_sentinels(programme, enrolment)
    report = services.report_draft(by=programme.facilitator, report=start_notice(enrolment))
    text = str(report.facts)
    assert SENTINEL not in text and "engaged" not in text and "partner" not in text.lower()


def test_a_periodic_report_covers_its_own_period(programme):
    enrolment = attended_enrolment(programme)
    start = first_monday()
    report = services.report_due(enrolment=enrolment, kind=ReportKind.PERIODIC, due_on=timezone.localdate(),
                                 period_from=start + datetime.timedelta(weeks=1), period_to=start + datetime.timedelta(days=13))
    report = services.report_draft(by=programme.facilitator, report=report)
    assert report.facts["attendance"]["period"]["offered"] == 2 and report.facts["attendance"]["period"]["attended"] == 1
    assert report.facts["attendance"]["since_start"]["offered"] == 8
    assert len(report.facts["weeks"]) == 1 and report.facts["weeks"][0]["met"] is False
    assert report.period_from == start + datetime.timedelta(weeks=1)


def test_a_final_report_says_the_outcome(programme):
    enrolment = attended_enrolment(programme, evaluate=False)
    enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=enrolment,
                                            to_state=EnrolmentState.COMPLETED_FAVOURABLE, reason="Completed every stage.")
    final = CourtReport.objects.get(enrolment=enrolment, kind=ReportKind.FINAL)
    final = services.report_draft(by=programme.facilitator, report=final)
    assert final.outcome == "favourable" and final.facts["outcome"] == "favourable"
    # After the follow-up starts, the outcome is still read from the state he completed in.
    enrolment.refresh_from_db()
    enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=enrolment, to_state=EnrolmentState.FOLLOW_UP,
                                            reason="Six months.")
    final = services.report_draft(by=programme.facilitator, report=final, version=final.version)
    assert final.outcome == "favourable"

    other = attended_enrolment(programme, given_name="Luca", evaluate=False)
    enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=other, to_state=EnrolmentState.DROPPED_OUT,
                                            reason="Stopped coming.")
    interruption = CourtReport.objects.get(enrolment=other, kind=ReportKind.INTERRUPTION)
    interruption = services.report_draft(by=programme.facilitator, report=interruption)
    assert interruption.facts["states"][-1]["to"] == "dropped_out" and interruption.outcome == ""


def test_a_compliance_notice_names_its_finding(programme):
    enrolment = attended_enrolment(programme, evaluate=False)
    for session in Session.objects.filter(group__members__enrolment=enrolment).order_by("starts_at")[:6]:
        Attendance.objects.filter(session=session, enrolment=enrolment).update(status="absent", excuse="")
    compliance_evaluate(by=None, enrolment=enrolment)
    notice = CourtReport.objects.get(enrolment=enrolment, kind=ReportKind.COMPLIANCE)
    assert notice.compliance_event is not None
    notice = services.report_draft(by=programme.facilitator, report=notice)
    assert notice.facts["compliance_event"] == notice.compliance_event_id
    assert notice.compliance_event_id in [row["id"] for row in notice.facts["compliance"]]


# ---- the assessment, sign-off, sending, not needed --------------------------------------------------------


def test_the_assessment_is_versioned_and_checked(programme):
    enrolment = attended_enrolment(programme)
    report = services.report_draft(by=programme.facilitator, report=start_notice(enrolment))
    with pytest.raises(ServiceError):
        services.report_edit(by=programme.facilitator, report=report, version=report.version, assessment="x", language="xx")
    with pytest.raises(ServiceError):
        services.report_edit(by=programme.facilitator, report=report, version=report.version, assessment="x" * 20001,
                             language="en")
    saved = services.report_edit(by=programme.facilitator, report=report, version=report.version, assessment="First.",
                                 language="en")
    with pytest.raises(StaleEdit) as stale:
        services.report_edit(by=programme.coordinator, report=report, version=report.version, assessment="Second.",
                             language="en")
    assert stale.value.current.assessment == "First."
    # Drawing the facts again keeps the assessment.
    again = services.report_draft(by=programme.facilitator, report=report, version=saved.version)
    assert again.assessment == "First." and again.status == ReportStatus.DRAFT
    assert AuditEvent.objects.get(action="programmes.court_report_edited").detail["fields"] == ["assessment", "language"]
    assert "First." not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_only_a_coordinator_signs_off_and_then_nothing_changes(programme):
    enrolment = attended_enrolment(programme)
    report = services.report_draft(by=programme.facilitator, report=start_notice(enrolment))
    with pytest.raises(ServiceError):  # no assessment yet
        services.report_sign(by=programme.coordinator, report=report, version=report.version)
    report = services.report_edit(by=programme.facilitator, report=report, version=report.version, assessment="Fine.",
                                  language="en")
    with pytest.raises(Http404):
        services.report_sign(by=programme.facilitator, report=report, version=report.version)
    with pytest.raises(StaleEdit):
        services.report_sign(by=programme.coordinator, report=report, version=report.version - 1)
    signed = services.report_sign(by=programme.coordinator, report=report, version=report.version)
    assert signed.status == ReportStatus.SIGNED and signed.signed_by == programme.coordinator
    for attempt in (lambda: services.report_draft(by=programme.coordinator, report=signed),
                    lambda: services.report_edit(by=programme.coordinator, report=signed, version=signed.version,
                                                 assessment="Changed.", language="en"),
                    lambda: services.report_cancel(by=programme.coordinator, report=signed, version=signed.version,
                                                   reason="No."),
                    lambda: services.report_sign(by=programme.coordinator, report=signed, version=signed.version)):
        with pytest.raises(ServiceError):
            attempt()
    signed.refresh_from_db()
    assert signed.assessment == "Fine." and signed.status == ReportStatus.SIGNED


def test_the_sending_is_recorded(programme):
    enrolment = attended_enrolment(programme)
    mandate = enrolment.mandate
    court = ReportRecipient.objects.create(mandate=mandate, kind="court", name="Tribunale di Esempio", reports=["start", "final"])
    probation = ReportRecipient.objects.create(mandate=mandate, kind="probation", name="UEPE Esempio", reports=["periodic"])
    report = services.report_draft(by=programme.facilitator, report=start_notice(enrolment))
    with pytest.raises(ServiceError):  # not signed off yet
        services.report_send(by=programme.facilitator, report=report, version=report.version, recipient_ids=[court.pk],
                             method="pec", sent_on=timezone.localdate())
    report = services.report_edit(by=programme.facilitator, report=report, version=report.version, assessment="Started.",
                                  language="en")
    report = services.report_sign(by=programme.coordinator, report=report, version=report.version)
    today = timezone.localdate()
    for bad in ({"recipient_ids": [probation.pk]}, {"recipient_ids": []}, {"method": "pigeon"},
                {"sent_on": today + datetime.timedelta(days=1)}, {"sent_on": today - datetime.timedelta(days=3)}):
        values = {"recipient_ids": [court.pk], "method": "pec", "sent_on": today, **bad}
        with pytest.raises(ServiceError):
            services.report_send(by=programme.facilitator, report=report, version=report.version, **values)
    sent = services.report_send(by=programme.facilitator, report=report, version=report.version, recipient_ids=[court.pk],
                                method="pec", sent_on=today)
    assert sent.status == ReportStatus.SENT and sent.sent_to == ["Tribunale di Esempio"] and sent.sent_method == "pec"
    assert sent.sent_by == programme.facilitator and timezone.localtime(sent.sent_at).date() == today
    event = AuditEvent.objects.get(action="programmes.court_report_sent")
    assert event.detail["recipients"] == [court.pk] and event.detail["method"] == "pec"
    with pytest.raises(ServiceError):
        services.report_send(by=programme.facilitator, report=sent, version=sent.version, recipient_ids=[court.pk],
                             method="pec", sent_on=today)


def test_not_needed_is_for_coordinators_with_a_reason(programme):
    enrolment = attended_enrolment(programme)
    report = start_notice(enrolment)
    with pytest.raises(Http404):
        services.report_cancel(by=programme.facilitator, report=report, version=report.version, reason="Not ordered.")
    with pytest.raises(ServiceError):
        services.report_cancel(by=programme.coordinator, report=report, version=report.version, reason="  ")
    cancelled = services.report_cancel(by=programme.coordinator, report=report, version=report.version,
                                       reason="The court asked for no start notice.")
    assert cancelled.status == ReportStatus.CANCELLED and cancelled.cancel_reason.startswith("The court")
    assert AuditEvent.objects.get(action="programmes.court_report_cancelled").detail == {
        "enrolment": enrolment.pk, "report": report.pk, "kind": "start"}


def test_reports_of_another_programme_are_out_of_reach(programme, network):
    enrolment = attended_enrolment(programme)
    report = start_notice(enrolment)
    other = Programme("else")
    for outsider in (other.coordinator, other.facilitator, network["programme_coordinator"], network.outsider):
        with pytest.raises(Http404):
            services.report_draft(by=outsider, report=report)
    # A facilitator of the programme who does not work with him.
    from rete.conftest import make_user

    stranger = make_user("stranger@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    with pytest.raises(Http404):
        services.report_draft(by=stranger, report=report)


# ---- the mandate's schedule ------------------------------------------------------------------------------


def test_periodic_reports_fall_due_every_few_weeks_once(programme):
    enrolment = attended_enrolment(programme)
    mandate = enrolment.mandate
    mandate.report_every_weeks = 2
    mandate.order_on = first_monday(10)
    mandate.save()
    today = timezone.localdate()
    assert services.periodic_reports_schedule(today=today) == 2  # weeks 1-2 and 3-4 have ended; 5-6 not yet
    periodic = list(CourtReport.objects.filter(enrolment=enrolment, kind=ReportKind.PERIODIC).order_by("period_to"))
    start = first_monday()
    assert [(r.period_from, r.period_to) for r in periodic] == [
        (start, start + datetime.timedelta(days=13)), (start + datetime.timedelta(days=14), start + datetime.timedelta(days=27))]
    assert periodic[0].due_on == periodic[0].period_to + datetime.timedelta(days=services.PERIODIC_DUE_DAYS)
    assert services.periodic_reports_schedule(today=today) == 0
    # One marked not needed is not made due again; the next period falls due when it ends.
    services.report_cancel(by=programme.coordinator, report=periodic[0], version=periodic[0].version, reason="Joined.")
    assert services.periodic_reports_schedule(today=today) == 0
    assert services.periodic_reports_schedule(today=today + datetime.timedelta(days=14)) == 1
    assert AuditEvent.objects.filter(action="programmes.court_report_due").count() == 3


def test_periodic_reports_only_for_men_in_the_programme_with_a_mandate(programme):
    today = timezone.localdate()
    no_mandate = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Senza")
    Enrolment.objects.filter(pk=no_mandate.pk).update(started_on=first_monday(20))
    waiting = make_enrolment(programme, state=EnrolmentState.WAITING, mandate=True, given_name="Attesa")
    suspended = make_enrolment(programme, state=EnrolmentState.SUSPENDED, mandate=True, given_name="Sospeso")
    Enrolment.objects.filter(pk=suspended.pk).update(started_on=first_monday(20))
    suspended.mandate.__class__.objects.filter(pk=suspended.mandate.pk).update(order_on=first_monday(30))
    assert services.periodic_reports_schedule(today=today) == 1  # 20 weeks: one 12-week period ended
    assert not CourtReport.objects.filter(enrolment__in=[no_mandate, waiting], kind=ReportKind.PERIODIC).exists()


def test_periodic_scheduling_reads_in_chunks(programme, django_assert_max_num_queries):
    for number in range(5):
        enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True, given_name=f"Man{number}")
        Enrolment.objects.filter(pk=enrolment.pk).update(started_on=first_monday(14))
        enrolment.mandate.__class__.objects.filter(pk=enrolment.mandate.pk).update(order_on=first_monday(30))
    assert services.periodic_reports_schedule(today=timezone.localdate(), batch=2) == 5
    with django_assert_max_num_queries(8):  # three chunks of two reads each, nothing to make
        assert services.periodic_reports_schedule(today=timezone.localdate(), batch=2) == 0


# ---- reminders -----------------------------------------------------------------------------------------


@override_settings(TASKS=IMMEDIATE)
def test_reminders_go_once_a_day_without_content(programme, django_capture_on_commit_callbacks):
    enrolment = attended_enrolment(programme, given_name="Ottavio", family_name="Brambilla")
    add_partner_sentinels(programme, enrolment)
    report = start_notice(enrolment)  # due in seven days: not yet
    programme.coordinator.language = "it"
    programme.coordinator.save(update_fields=["language"])
    mail.outbox.clear()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 0
    CourtReport.objects.filter(pk=report.pk).update(due_on=today + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 1
    # The programme's coordinator and his case manager (the facilitator who took the enquiry).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([programme.coordinator.email, programme.facilitator.email])
    for message in mail.outbox:
        text = message.subject + message.body
        assert enrolment.reference in text and f"/court-reports/{report.pk}/" in message.body
        for secret in ("Ottavio", "Brambilla", SENTINEL, "RG 1234", "Tribunale", "Regular attendance"):
            assert secret not in text, secret
    italian = next(m for m in mail.outbox if m.to[0] == programme.coordinator.email)
    assert "Promemoria" in italian.body or "Reminder" in italian.body
    # Once a day at most.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 0
    assert len(mail.outbox) == 2
    # The next day, overdue now, again; once sent, never.
    CourtReport.objects.filter(pk=report.pk).update(reminder_sent_on=today - datetime.timedelta(days=1),
                                                    due_on=today - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 1
    assert len(mail.outbox) == 4
    english = next(m for m in mail.outbox[2:] if m.to[0] == programme.facilitator.email)
    assert "overdue" in english.subject.lower()
    CourtReport.objects.filter(pk=report.pk).update(status=ReportStatus.SENT, reminder_sent_on=today - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.tick(timezone.now()) == 0
    assert AuditEvent.objects.filter(action="programmes.court_report_reminder_queued").count() == 2


@override_settings(TASKS=IMMEDIATE)
def test_a_queued_reminder_for_a_report_since_sent_sends_nothing(programme):
    enrolment = attended_enrolment(programme)
    report = start_notice(enrolment)
    CourtReport.objects.filter(pk=report.pk).update(status=ReportStatus.SENT, reminder_sent_on=timezone.localdate())
    mail.outbox.clear()
    assert tasks.send_report_reminder.call(report.pk) == 0 and not mail.outbox


def test_reminders_enqueue_on_the_database_backend(programme, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    enrolment = attended_enrolment(programme)
    CourtReport.objects.filter(enrolment=enrolment).update(due_on=timezone.localdate())
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.tick(timezone.now()) == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.tick(timezone.now()) == 0
        assert DBTaskResult.objects.count() == 1
