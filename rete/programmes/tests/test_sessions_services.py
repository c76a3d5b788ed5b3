"""Sessions and attendance (part "groups-sessions"): the schedule, cancellations, the attendance
register, sessions with one man, the attendance rules at work with what they set going (the
partner-support service, the court), what was done about a finding, and `rete tick`."""
import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import PartnerContactEvent
from rete.programmes.models import (
    Attendance,
    ComplianceEvent,
    CourtReport,
    Enrolment,
    EnrolmentState,
    Session,
    SessionStatus,
)
from rete.programmes.selectors import sessions as selectors
from rete.programmes.services import compliance
from rete.programmes.services import sessions as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db


def save(session, by, statuses: dict, **extra):
    """Save a session's register: {enrolment: status or dict}."""
    session.refresh_from_db()
    rows = []
    for enrolment, value in statuses.items():
        row = {"enrolment_id": enrolment.pk, **(value if isinstance(value, dict) else {"status": value})}
        rows.append(row)
    facilitators = extra.pop("facilitator_ids", [by.pk])
    return services.register_save(by=by, session=session, version=session.version, topic=extra.pop("topic", "Topic"),
                                  notes=extra.pop("notes", ""), facilitator_ids=facilitators, rows=rows, **extra)


def started_weeks_ago(enrolment, weeks=5):
    """As if he had come and started some weeks ago (the rules count from his start)."""
    Enrolment.objects.filter(pk=enrolment.pk).update(started_on=timezone.localdate() - datetime.timedelta(weeks=weeks),
                                                     enquiry_at=timezone.now() - datetime.timedelta(weeks=weeks + 4))
    enrolment.refresh_from_db()


def sessions_of(group):
    return list(Session.objects.filter(group=group).order_by("starts_at"))


# ---- the schedule ----------------------------------------------------------------------------------


def test_the_schedule_is_generated_once_and_numbered(network):
    programme = Programme()
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    group = make_group(programme, starts_on=monday)
    group.ends_on = monday + datetime.timedelta(days=20)  # three weeks, Tuesdays and Thursdays
    group.save()
    created = services.schedule_generate(by=programme.facilitator, group=group)
    assert len(created) == 6
    rows = sessions_of(group)
    assert [s.number for s in rows] == [1, 2, 3, 4, 5, 6]
    assert all(timezone.localtime(s.starts_at).isoweekday() in (2, 4) for s in rows)
    assert timezone.localtime(rows[0].starts_at).time() == datetime.time(18, 30)
    assert services.schedule_generate(by=programme.facilitator, group=group) == []
    services.session_cancel(by=programme.facilitator, session=rows[1], reason="The room was not available.")
    assert [s.number for s in sessions_of(group)] == [1, None, 2, 3, 4, 5]
    assert services.schedule_generate(by=programme.facilitator, group=group) == []  # no new session on a cancelled day
    cancelled = Session.objects.get(pk=rows[1].pk)
    assert cancelled.status == SessionStatus.CANCELLED and cancelled.cancel_reason == "The room was not available."
    assert "room" not in str(AuditEvent.objects.filter(action="programmes.session_cancelled").get().detail)


def test_the_schedule_needs_a_last_date_and_the_right_people(network):
    programme = Programme()
    group = make_group(programme, facilitators=[programme.facilitator])
    with pytest.raises(ServiceError):
        services.schedule_generate(by=programme.facilitator, group=group)
    group.ends_on = group.starts_on + datetime.timedelta(days=7)
    group.save()
    with pytest.raises(Http404):
        services.schedule_generate(by=programme.cofacilitator, group=group)  # not her group
    with pytest.raises(Http404):
        services.schedule_generate(by=Programme("else").coordinator, group=group)
    assert len(services.schedule_generate(by=programme.coordinator, group=group)) == 2


def test_one_session_is_added_on_a_free_day_and_a_held_one_is_not_cancelled(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[man], sessions=2)
    first, second = sessions_of(group)
    with pytest.raises(ServiceError):
        services.session_add(by=programme.facilitator, group=group, starts_at=first.starts_at + datetime.timedelta(hours=1))
    extra = services.session_add(by=programme.facilitator, group=group, starts_at=first.starts_at + datetime.timedelta(days=1),
                                 topic="Make-up session")
    assert extra.number == 2 and Session.objects.get(pk=second.pk).number == 3
    save(first, programme.facilitator, {man: "present"})
    with pytest.raises(ServiceError):
        services.session_cancel(by=programme.facilitator, session=first, reason="Too late.")
    with pytest.raises(ServiceError):
        services.session_cancel(by=programme.facilitator, session=second, reason=" ")


# ---- the register ----------------------------------------------------------------------------------


def test_the_register_saves_every_row_and_marks_the_session_held(network):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(3)]
    group = make_group(programme, members=men, sessions=2)
    session = sessions_of(group)[0]
    result = save(session, programme.facilitator, {
        men[0]: {"status": "present", "participation": "active", "note": "Spoke about the night of the incident."},
        men[1]: {"status": "excused", "excuse": "illness", "participation": "active"},
        men[2]: {"status": "late", "participation": "oppositional"}},
        notes="He minimised; the group challenged it.", facilitator_ids=[programme.facilitator.pk, programme.cofacilitator.pk])
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.recorded_by == programme.facilitator
    assert session.notes == "He minimised; the group challenged it."
    assert set(session.facilitators.values_list("pk", flat=True)) == {programme.facilitator.pk, programme.cofacilitator.pk}
    rows = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    assert rows[men[0].pk].note == "Spoke about the night of the incident."
    assert rows[men[1].pk].participation == "" and rows[men[1].pk].excuse == "illness"
    assert sorted(result.changed) == sorted(m.pk for m in men)
    detail = str(AuditEvent.objects.filter(action="programmes.session_register_saved").get().detail)
    assert "incident" not in detail and "minimised" not in detail and "Man0" not in detail


@pytest.mark.parametrize("row, field", [
    ({"status": ""}, "status"), ({"status": "excused"}, "excuse"), ({"status": "excused", "excuse": "holiday"}, "excuse"),
    ({"status": "present", "participation": "sleepy"}, "participation"),
    ({"status": "absent", "made_up_by": 999999}, "made_up_by"),
])
def test_a_row_is_checked(network, row, field):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[man], sessions=1)
    with pytest.raises(ServiceError) as refused:
        save(sessions_of(group)[0], programme.facilitator, {man: row})
    assert refused.value.field == f"{man.pk}-{field}"
    assert not Attendance.objects.exists()


def test_every_man_must_be_in_the_register_and_nobody_else(network):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(2)]
    stranger = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Stranger")
    group = make_group(programme, members=men, sessions=1)
    session = sessions_of(group)[0]
    with pytest.raises(ServiceError):
        save(session, programme.facilitator, {men[0]: "present"})
    with pytest.raises(Http404):
        save(session, programme.facilitator, {men[0]: "present", men[1]: "present", stranger: "present"})


def test_a_session_in_the_future_or_cancelled_is_not_recorded(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[man], starts_on=timezone.localdate() + datetime.timedelta(days=3), sessions=1)
    with pytest.raises(ServiceError):
        save(sessions_of(group)[0], programme.facilitator, {man: "present"})


def test_stale_register_rows_refuse_the_whole_save(network):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(2)]
    group = make_group(programme, members=men, sessions=1)
    session = sessions_of(group)[0]
    save(session, programme.facilitator, {men[0]: "present", men[1]: "present"})
    session.refresh_from_db()
    # She opened the register before her colleague saved it: her rows say "new" (version 0).
    with pytest.raises(StaleEdit):
        services.register_save(by=programme.cofacilitator, session=session, version=session.version, topic="", notes="",
                               facilitator_ids=[programme.facilitator.pk],
                               rows=[{"enrolment_id": men[0].pk, "status": "absent", "version": 0},
                                     {"enrolment_id": men[1].pk, "status": "absent", "version": 1}])
    with pytest.raises(StaleEdit):
        services.register_save(by=programme.facilitator, session=session, version=session.version - 1, topic="", notes="",
                               facilitator_ids=[programme.facilitator.pk],
                               rows=[{"enrolment_id": m.pk, "status": "absent", "version": 1} for m in men])
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    save(session, programme.facilitator, {men[0]: {"status": "late", "version": 1}, men[1]: {"status": "present", "version": 1}})
    assert Attendance.objects.get(enrolment=men[0]).version == 2
    assert Attendance.objects.get(enrolment=men[1]).version == 1  # unchanged: not rewritten


def test_only_the_groups_people_record_its_sessions(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[man], sessions=1, facilitators=[programme.facilitator])
    session = sessions_of(group)[0]
    for user in (programme.cofacilitator, Programme("else").coordinator, programme.partner_worker):
        with pytest.raises(Http404):
            save(session, user, {man: "present"}, facilitator_ids=[programme.facilitator.pk])
    save(session, programme.coordinator, {man: "present"}, facilitator_ids=[programme.facilitator.pk])


def test_an_absence_is_made_up_by_a_later_session_he_attended(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    started_weeks_ago(man)
    group = make_group(programme, members=[man], sessions=3)
    first, second, third = sessions_of(group)
    save(first, programme.facilitator, {man: "absent"})
    save(third, programme.facilitator, {man: "absent"})
    individual = services.individual_session_record(
        by=programme.facilitator, enrolment=man, kind="individual", starts_at=second.starts_at - datetime.timedelta(hours=3),
        duration_minutes=60, status="present")
    choices = selectors.make_up_choices(session=first, enrolment_ids=[man.pk])[man.pk]
    assert [s.pk for s in choices] == [individual.session.pk]  # not the third: he was absent
    save(first, programme.facilitator, {man: {"status": "absent", "made_up_by": individual.session.pk, "version": 1}})
    assert Attendance.objects.get(session=first).made_up_by_id == individual.session.pk


# ---- the attendance rules at work ---------------------------------------------------------------------


def test_two_absences_warn_and_tell_the_partner_support_service(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)
    started_weeks_ago(man)
    group = make_group(programme, members=[man], sessions=4)
    first, second, third, _fourth = sessions_of(group)
    assert save(first, programme.facilitator, {man: "present"}).findings == []
    assert save(second, programme.facilitator, {man: "absent"}).findings == []
    result = save(third, programme.facilitator, {man: "absent"})
    [finding] = result.findings
    assert finding.reference == man.reference and "partner" in finding.notified
    assert [(e.rule, e.level) for e in finding.events] == [("absences", "warning")]
    assert compliance.finding_text(finding.events[0]) == "absences that count (2)"
    assert PartnerContactEvent.objects.filter(link__enrolment_id=man.pk, kind="absences").count() == 1
    man.refresh_from_db()
    assert man.state == EnrolmentState.ACTIVE
    # Saving again changes nothing: no new finding, nobody told twice.
    assert save(third, programme.facilitator, {man: {"status": "absent", "version": 1}}).findings == []
    assert PartnerContactEvent.objects.filter(link__enrolment_id=man.pk, kind="absences").count() == 1


def test_a_third_absence_in_a_row_is_non_compliance_the_partner_and_the_court_hear(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True, mandate=True)
    started_weeks_ago(man)
    group = make_group(programme, members=[man], sessions=4)
    sessions = sessions_of(group)
    save(sessions[0], programme.facilitator, {man: "present"})
    save(sessions[1], programme.facilitator, {man: "absent"})
    save(sessions[2], programme.facilitator, {man: "absent"})
    result = save(sessions[3], programme.facilitator, {man: "absent"})
    [finding] = result.findings
    assert ("consecutive_absences", "non_compliance") in [(e.rule, e.level) for e in finding.events]
    assert finding.notified == {"partner", "court"}
    man.refresh_from_db()
    assert man.state == EnrolmentState.NON_COMPLIANT
    assert PartnerContactEvent.objects.filter(link__enrolment_id=man.pk, kind="non_compliant").count() == 1
    report = CourtReport.objects.get(enrolment=man, kind="compliance")
    assert report.status == "due" and report.compliance_event.rule == "consecutive_absences"


def test_the_register_evaluates_each_changed_man_once_in_bounded_queries(network, django_assert_max_num_queries):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(12)]
    group = make_group(programme, members=men, sessions=1)
    session = sessions_of(group)[0]
    with django_assert_max_num_queries(160):
        save(session, programme.facilitator, {m: "present" for m in men})
    with django_assert_max_num_queries(40):  # nothing changed: no evaluation at all
        save(session, programme.facilitator, {m: {"status": "present", "version": 1} for m in men})


def test_an_excused_absence_does_not_count(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)
    started_weeks_ago(man)
    group = make_group(programme, members=[man], sessions=3)
    for session in sessions_of(group):
        result = save(session, programme.facilitator, {man: {"status": "excused", "excuse": "work"}})
        assert result.findings == []
    summary = selectors.attendance_summary(enrolment=man)
    assert summary["counts"]["excused"] == 3 and summary["counted_absences"] == 0


# ---- a session with one man --------------------------------------------------------------------------


def test_an_individual_session_is_recorded_and_runs_the_rules(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)
    started_weeks_ago(man)
    now = timezone.now()
    for days in (9, 2):
        result = services.individual_session_record(
            by=programme.facilitator, enrolment=man, kind="individual", starts_at=now - datetime.timedelta(days=days),
            duration_minutes=60, topic="Check-in", notes="He did not come and did not call.", status="absent")
    [finding] = result.findings
    assert finding.events[0].rule == "absences" and "partner" in finding.notified
    session = result.session
    assert session.status == SessionStatus.HELD and list(session.facilitators.all()) == [programme.facilitator]
    assert "call" not in str(AuditEvent.objects.filter(action="programmes.session_individual_recorded").last().detail)
    summary = selectors.attendance_summary(enrolment=man)
    assert summary["held"] == 2 and summary["counts"]["absent"] == 2 and summary["counted_absences"] == 2


def test_an_individual_session_is_checked(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ASSESSING)
    now = timezone.now()
    kwargs = {"by": programme.facilitator, "enrolment": man, "kind": "assessment", "starts_at": now,
              "duration_minutes": 60, "status": "present"}
    for change, field in (({"kind": "group"}, "kind"), ({"starts_at": now + datetime.timedelta(days=2)}, "date"),
                          ({"duration_minutes": 0}, "duration_minutes"), ({"status": "excused"}, "excuse")):
        with pytest.raises(ServiceError) as refused:
            services.individual_session_record(**{**kwargs, **change})
        assert refused.value.field == field
    result = services.individual_session_record(**kwargs)  # an assessment session: no rules before the programme
    assert result.findings == []
    with pytest.raises(Http404):
        services.individual_session_record(**{**kwargs, "by": programme.cofacilitator})  # not on his staff


def test_progress_in_the_current_stage(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    group = make_group(programme, members=[man], sessions=3)
    for session in sessions_of(group):
        save(session, programme.facilitator, {man: "present"})
    services.individual_session_record(by=programme.facilitator, enrolment=man, kind="individual",
                                       starts_at=timezone.now(), duration_minutes=60, status="present")
    summary = selectors.attendance_summary(enrolment=man)
    assert summary["progress"]["stage"]["code"] == "group"
    assert summary["progress"]["sessions"] == 3 and summary["progress"]["hours"] == 6.0
    assert summary["progress"]["min_sessions"] == 44
    assert summary["hours"] == 7.0 and len(summary["latest"]) == 4


# ---- what was done about a finding --------------------------------------------------------------------


def test_a_finding_is_addressed_once(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    event = ComplianceEvent.objects.create(enrolment=man, rule="absences", level="warning", key="absences-warning",
                                           detail={"absences": 2, "threshold": 2}, at=timezone.now())
    with pytest.raises(ServiceError):
        compliance.compliance_address(by=programme.facilitator, enrolment=man, event_id=event.pk, response=" ")
    compliance.compliance_address(by=programme.facilitator, enrolment=man, event_id=event.pk,
                                  response="Met him; he agreed to call before any absence.")
    event.refresh_from_db()
    assert event.status == "addressed" and event.addressed_by == programme.facilitator
    assert event.response == "Met him; he agreed to call before any absence."
    assert "agreed" not in str(AuditEvent.objects.filter(action="programmes.compliance_addressed").get().detail)
    with pytest.raises(ServiceError):
        compliance.compliance_address(by=programme.facilitator, enrolment=man, event_id=event.pk, response="Again.")
    with pytest.raises(Http404):
        compliance.compliance_address(by=programme.cofacilitator, enrolment=man, event_id=event.pk, response="Not mine.")
    other = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Other")
    with pytest.raises(Http404):
        compliance.compliance_address(by=programme.facilitator, enrolment=other, event_id=event.pk, response="Wrong man.")


# ---- rete tick -----------------------------------------------------------------------------------------


def test_the_tick_runs_the_weekly_rule_once_for_men_seen_lately(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True)  # at least two sessions a week
    quiet = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True, given_name="Quiet")
    for enrolment in (man, quiet):
        started_weeks_ago(enrolment, weeks=8)
    group = make_group(programme, members=[man], sessions=2,
                       starts_on=timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7))
    first, second = sessions_of(group)  # Tuesday and Thursday of last week
    save(first, programme.facilitator, {man: "present"})
    # The second is recorded without the rules (e.g. imported): the tick finds the weekly shortfall.
    Attendance.objects.create(session=second, enrolment=man, status="absent", recorded_by=programme.facilitator,
                              recorded_at=timezone.now())
    Session.objects.filter(pk=second.pk).update(status=SessionStatus.HELD)
    old = make_group(programme, name="Old group", members=[quiet], sessions=1,
                     starts_on=timezone.localdate() - datetime.timedelta(days=40))
    Attendance.objects.create(session=sessions_of(old)[0], enrolment=quiet, status="absent",
                              recorded_by=programme.facilitator, recorded_at=timezone.now())
    Session.objects.filter(group=old).update(status=SessionStatus.HELD)
    found = compliance.compliance_tick()
    assert found == 1
    assert list(ComplianceEvent.objects.filter(enrolment=man).values_list("rule", flat=True)) == ["weekly_frequency"]
    assert not ComplianceEvent.objects.filter(enrolment=quiet).exists()
    assert compliance.compliance_tick() == 0  # idempotent
    from rete.core.extensions import tick_jobs

    assert any(job.__qualname__.endswith("compliance_tick") for job in tick_jobs())


def test_the_start_panel_lists_her_sessions_to_record(network, django_assert_max_num_queries):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    today = timezone.localdate()
    group = make_group(programme, members=[man], sessions=7, facilitators=[programme.facilitator],
                       starts_on=today - datetime.timedelta(days=14))
    past = [s for s in sessions_of(group) if timezone.localtime(s.starts_at).date() < today]
    save(past[-1], programme.facilitator, {man: "present"})
    Session.objects.create(organisation=programme.organisation, kind="group", group=group, starts_at=timezone.now(),
                           duration_minutes=60)
    programme.facilitator.refresh_from_db()
    with django_assert_max_num_queries(3):
        panel = selectors.sessions_to_record(user=programme.facilitator)
    week_ago = timezone.localtime() - datetime.timedelta(days=7)
    expected = [s.pk for s in past[:-1] if s.starts_at >= week_ago.replace(hour=0, minute=0, second=0, microsecond=0)]
    assert [s.pk for s in panel["overdue"]] == expected
    assert len(panel["today"]) >= 1
    assert selectors.sessions_to_record(user=programme.cofacilitator) is None
