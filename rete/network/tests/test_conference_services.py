"""Risk conferences, the services: criteria checked against the case, consent or a written
reason, the automatic repeat after a new incident, the agenda from what waits and what is
carried over, the chair's minute, actions and their progress, minutes, reminders, figures."""
import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from rete.cases import services as case_services
from rete.cases.tests.helpers import open_case
from rete.core.models import AuditEvent, Role
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import (
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceReferral,
    ConferenceReferralStatus,
    LegalBasis,
    MeetingStatus,
)
from rete.network.selectors import conferences as selectors
from rete.network.services import conferences as services
from rete.network.tests.factories_conferences import (
    JUDGEMENT,
    consent_to_conference,
    held_meeting_with_actions,
    make_meeting,
    make_series,
    refer_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(network):
    return make_series(network)


def incident(network, case, *, days_ago=1, police=True):
    today = timezone.localdate()
    return case_services.incident_record(
        by=network["caseworker"], case=case, incident_date=today - datetime.timedelta(days=days_ago), reported_on=today,
        place_type="home", gbv_type="physical_assault", context_flags=["ipv"], narrative="Sentinel-narrative-Q7",
        reported_to_police=police, injuries=False, medical_care=False)


# ---- series, members, representatives ----------------------------------------------------------


def test_only_the_coordinators_create_and_run_a_series(network, series):
    with pytest.raises(Http404):
        services.series_create(by=network["caseworker"], organisation=network.home, name="X", country="IT")
    with pytest.raises(Http404):
        services.series_create(by=network["other_network_coordinator"], organisation=network.home, name="X", country="IT")
    with pytest.raises(Http404):
        services.meeting_schedule(by=network["supervisor"], series=series, starts_at=timezone.now())
    assert series.members.filter(organisation=network.home).exists()  # the coordinating organisation sits in it


def test_a_series_refuses_bad_settings(network):
    with pytest.raises(ServiceError) as error:
        services.series_create(by=network["network_coordinator"], organisation=network.home, name="X", country="IT",
                               every_days=0)
    assert error.value.field == "every_days"
    with pytest.raises(ServiceError) as error:
        services.series_create(by=network["network_coordinator"], organisation=network.home, name="X", country="IT",
                               categories=["identity", "the_moon"])
    assert error.value.field == "categories"


def test_representatives_must_work_at_the_member(network, series):
    other = series.members.get(organisation=network.other)
    with pytest.raises(ServiceError) as error:
        services.representative_add(by=network["network_coordinator"], member=other, email=network["caseworker"].email)
    assert error.value.field == "email"
    with pytest.raises(ServiceError):  # already there
        services.representative_add(by=network["network_coordinator"], member=other,
                                    email=network["other_police_officer"].email)
    # The member's own admin may name its representatives; another organisation's admin may not.
    services.representative_add(by=network["other_org_admin"], member=other, email=network["other_supervisor"].email)
    home = series.members.get(organisation=network.home)
    with pytest.raises(Http404):
        services.representative_add(by=network["other_org_admin"], member=home, email=network["org_admin"].email)


def test_a_member_with_open_actions_stays(network, series):
    held_meeting_with_actions(network, series, cases=1)
    other = series.members.get(organisation=network.other)
    with pytest.raises(ServiceError):
        services.member_remove(by=network["network_coordinator"], member=other)
    with pytest.raises(ServiceError):
        services.member_remove(by=network["network_coordinator"], member=series.members.get(organisation=network.home))


def test_seats_follow_membership(network, series):
    officer = network["other_police_officer"]
    assert selectors.series_get(user=officer, series_id=series.pk).represented == {network.other.pk}
    officer.memberships.update(ended_at=timezone.now())
    officer = type(officer).objects.get(pk=officer.pk)  # a new request: nothing cached
    with pytest.raises(Http404):
        selectors.series_get(user=officer, series_id=series.pk)
    with pytest.raises(Http404):
        selectors.series_get(user=network["other_caseworker"], series_id=series.pk)


# ---- referral of a case -------------------------------------------------------------------------


def test_judgement_needs_reasons(network, series):
    case = open_case(network["caseworker"], network.home)
    consent_to_conference(network, case)
    with pytest.raises(ServiceError) as error:
        services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="judgement", reasons="")
    assert error.value.field == "reasons"


def test_high_risk_needs_a_high_band(network, series):
    from rete.risk.tests.history_helpers import load, signed

    instrument = load("count-24")
    case = open_case(network["caseworker"], network.home)
    consent_to_conference(network, case)
    with pytest.raises(ServiceError) as error:
        services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="high_risk")
    assert error.value.field == "criterion"
    signed(network["caseworker"], case, instrument, yes=15)
    referral = services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="high_risk")
    assert referral.band and referral.band_label
    # The instrument's "refer to the risk conference" action is answered by the referral.
    from rete.risk.models import RiskAction

    assert not RiskAction.objects.filter(subject_id=case.pk, agency="risk_conference", status="open").exists()


def test_escalation_counts_police_callouts_in_twelve_months(network):
    series = make_series(network, escalation_callouts=2)
    case = open_case(network["caseworker"], network.home)
    consent_to_conference(network, case)
    incident(network, case, days_ago=400)  # too old
    incident(network, case, days_ago=30)
    incident(network, case, days_ago=10, police=False)
    with pytest.raises(ServiceError) as error:
        services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="escalation")
    assert "1" in error.value.message
    incident(network, case, days_ago=5)
    referral = services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="escalation")
    assert referral.police_callouts == 2


def test_without_consent_needs_a_reason_and_tells_the_dpo(network, series, mailoutbox, django_capture_on_commit_callbacks):
    case = open_case(network["caseworker"], network.home)
    with pytest.raises(ServiceError) as error:
        services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="judgement", reasons=JUDGEMENT)
    assert error.value.field == "without_consent_reason"
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.conference_refer(by=network["caseworker"], case=case, series=series, criterion="judgement",
                                             reasons=JUDGEMENT, without_consent_reason="She is in danger of death tonight.")
    assert referral.legal_basis == LegalBasis.VITAL_INTERESTS and referral.consent is None
    dpo_mail = [m for m in mailoutbox if network["dpo"].email in m.to]
    assert dpo_mail and "danger of death" not in dpo_mail[0].body and referral.reference in dpo_mail[0].body


def test_only_a_member_organisations_case_team_refers(network, series):
    stranger = open_case(network["other_caseworker"], network.other)
    with pytest.raises(Http404):  # not her case
        services.conference_refer(by=network["caseworker"], case=stranger, series=series, criterion="judgement",
                                  reasons=JUDGEMENT)
    lonely = make_series(network, name="Other MARAC", members=(), representatives=False)
    case = open_case(network["caseworker"], network.home)
    consent_to_conference(network, case)
    lonely.members.all().delete()  # the services keep the coordinating organisation in; the test takes it out
    with pytest.raises(Http404):
        services.conference_refer(by=network["caseworker"], case=case, series=lonely, criterion="judgement", reasons=JUDGEMENT)


def test_summary_carries_only_the_chosen_categories_and_audit_holds_no_text(network, series):
    case = open_case(network["caseworker"], network.home, given_name="Sentinel-Given-Z3")
    incident(network, case)
    referral = refer_case(network, series, case, categories=["risk"])
    assert set(referral.package) == {"risk"}
    with pytest.raises(ServiceError):
        refer_case(network, make_series(network, name="B"), open_case(network["caseworker"], network.home),
                   categories=["services"])  # not carried by the series
    details = " ".join(str(e.detail) for e in AuditEvent.objects.filter(action__startswith="network.conference_"))
    assert "Sentinel" not in details and JUDGEMENT not in details


def test_a_case_waits_only_once(network, series):
    referral = refer_case(network, series)
    with pytest.raises(ServiceError):
        services.conference_refer(by=network["caseworker"], case=referral.case, series=series, criterion="judgement",
                                  reasons=JUDGEMENT)


def test_a_new_incident_within_twelve_months_is_a_repeat(network, series, mailoutbox, django_capture_on_commit_callbacks):
    meeting, (first, _second) = held_meeting_with_actions(network, series)
    services.minutes_send(by=network["network_coordinator"], meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        incident(network, first.case)
    repeat = ConferenceReferral.objects.exclude(pk=first.pk).get(case=first.case)
    assert repeat.repeat and repeat.criterion == "repeat" and repeat.previous_id == first.pk
    assert repeat.referred_by is None and repeat.status == ConferenceReferralStatus.WAITING
    assert set(repeat.package) == set(first.categories)
    assert any(network["network_coordinator"].email in m.to and repeat.reference in m.body for m in mailoutbox)
    incident(network, first.case)  # already waiting: no second flag
    assert ConferenceReferral.objects.filter(case=first.case).count() == 2


def test_no_repeat_after_twelve_months_or_without_consent(network, series):
    meeting, (first, second) = held_meeting_with_actions(network, series)
    services.minutes_send(by=network["network_coordinator"], meeting=meeting)
    ConferenceReferral.objects.filter(pk=first.pk).update(referred_at=timezone.now() - datetime.timedelta(days=366))
    incident(network, first.case)
    consent = second.consent
    case_services.consent_withdraw(by=network["caseworker"], case=second.case, consent_id=consent.pk,
                                   withdrawn_on=timezone.localdate())
    incident(network, second.case)
    assert ConferenceReferral.objects.filter(repeat=True).count() == 0


def test_a_manual_referral_within_twelve_months_is_marked_repeat(network, series):
    meeting, (first, _second) = held_meeting_with_actions(network, series)
    services.minutes_send(by=network["network_coordinator"], meeting=meeting)
    again = services.conference_refer(by=network["caseworker"], case=first.case, series=series, criterion="repeat")
    assert again.repeat and again.previous_id == first.pk
    fresh = refer_case(network, series)
    with pytest.raises(ServiceError):
        services.conference_refer(by=network["caseworker"], case=open_case(network["caseworker"], network.home),
                                  series=series, criterion="repeat", without_consent_reason="Danger of death tonight.")
    assert not fresh.repeat


def test_consent_withdrawn_clears_the_summary(network, series):
    referral = refer_case(network, series)
    case_services.consent_withdraw(by=network["caseworker"], case=referral.case, consent_id=referral.consent_id,
                                   withdrawn_on=timezone.localdate())
    referral.refresh_from_db()
    assert referral.package == {} and referral.consent_withdrawn_at and referral.status == ConferenceReferralStatus.WITHDRAWN


def test_the_sender_withdraws_before_discussion(network, series):
    referral = refer_case(network, series)
    meeting = make_meeting(network, series)
    services.agenda_build(by=network["network_coordinator"], meeting=meeting)
    with pytest.raises(ServiceError):
        services.conference_referral_withdraw(by=network["caseworker"], referral=referral, reason="")
    services.conference_referral_withdraw(by=network["caseworker"], referral=referral, reason="She moved to another city.")
    referral.refresh_from_db()
    assert referral.status == ConferenceReferralStatus.WITHDRAWN and referral.package == {}
    assert not meeting.items.exists()
    with pytest.raises(Http404):
        services.conference_referral_withdraw(by=network["other_caseworker"], referral=referral, reason="Not mine at all.")


# ---- meetings, agenda, minutes, actions -------------------------------------------------------


def test_agenda_takes_what_waits_and_carries_open_actions(network, series, mailoutbox, django_capture_on_commit_callbacks):
    coordinator = network["network_coordinator"]
    meeting, (first, second) = held_meeting_with_actions(network, series)
    services.minutes_send(by=coordinator, meeting=meeting)
    assert set(ConferenceReferral.objects.values_list("status", flat=True)) == {ConferenceReferralStatus.DISCUSSED}
    done = ConferenceAction.objects.get(referral=first)
    services.action_update(by=network["other_police_officer"], action=done, status="done", note="Visited.")
    later = refer_case(network, series)
    following = make_meeting(network, series, days=14)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agenda_build(by=coordinator, meeting=following) == 2
    items = {i.referral_id: i for i in following.items.all()}
    assert set(items) == {second.pk, later.pk}
    assert items[second.pk].carried_over and not items[later.pk].carried_over
    assert any(network["other_police_officer"].email in m.to for m in mailoutbox)
    assert services.agenda_build(by=coordinator, meeting=following) == 0  # nothing new


def test_a_case_not_discussed_goes_back_to_waiting(network, series):
    coordinator = network["network_coordinator"]
    referral = refer_case(network, series)
    meeting = make_meeting(network, series, days=0)
    services.agenda_build(by=coordinator, meeting=meeting)
    with pytest.raises(ServiceError):
        services.minutes_send(by=coordinator, meeting=meeting)  # not held yet
    services.meeting_held(by=coordinator, meeting=meeting)
    with pytest.raises(ServiceError):
        services.agenda_build(by=coordinator, meeting=meeting)
    services.minutes_send(by=coordinator, meeting=meeting)
    referral.refresh_from_db()
    assert referral.status == ConferenceReferralStatus.WAITING
    item = meeting.items.get()
    with pytest.raises(ServiceError):
        services.item_record(by=coordinator, item=item, notes="late", decisions="")


def test_the_minute_is_locked_against_stale_edits(network, series):
    coordinator = network["network_coordinator"]
    refer_case(network, series)
    meeting = make_meeting(network, series)
    services.agenda_build(by=coordinator, meeting=meeting)
    item = meeting.items.get()
    saved = services.item_record(by=coordinator, item=item, notes="First.", decisions="", version=item.version)
    with pytest.raises(StaleEdit):
        services.item_record(by=coordinator, item=item, notes="Second.", decisions="", version=item.version)
    assert saved.discussed
    with pytest.raises(Http404):
        services.item_record(by=network["other_police_officer"], item=item, notes="x", decisions="")


def test_actions_are_smart_and_reported_by_their_agency(network, series):
    coordinator = network["network_coordinator"]
    refer_case(network, series)
    meeting = make_meeting(network, series)
    services.agenda_build(by=coordinator, meeting=meeting)
    item = meeting.items.get()
    due = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(ServiceError) as error:
        services.action_add(by=coordinator, item=item, agency=network.other, owner=network["caseworker"],
                            description="Visit.", due_on=due)
    assert error.value.field == "owner"
    with pytest.raises(ServiceError) as error:
        services.action_add(by=coordinator, item=item, agency=network.other, description="", due_on=due)
    assert error.value.field == "description"
    action = services.action_add(by=coordinator, item=item, agency=network.other, description="Visit.", due_on=due)
    with pytest.raises(Http404):  # home's representative does not report for the police
        services.action_update(by=network["caseworker"], action=action, status="done")
    with pytest.raises(Http404):
        services.action_update(by=network["other_caseworker"], action=action, status="done")
    with pytest.raises(ServiceError):
        services.action_update(by=network["other_police_officer"], action=action, status="not_done", note="")
    services.action_update(by=network["other_police_officer"], action=action, status="in_progress", note="Booked.")
    with pytest.raises(StaleEdit):
        services.action_update(by=network["other_police_officer"], action=action, status="done", version=action.version)
    action = services.action_update(by=network["other_police_officer"], action=action, status="done")
    assert action.completed_on == timezone.localdate()
    assert [u.status for u in action.updates.all()] == ["in_progress", "done"]
    with pytest.raises(ServiceError):
        services.action_update(by=network["other_police_officer"], action=action, status="in_progress")


def test_tick_reminds_the_agency_once_a_week(network, series, mailoutbox):
    meeting, _ = held_meeting_with_actions(network, series, cases=1)
    action = ConferenceAction.objects.get()
    ConferenceAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=1))
    now = timezone.now()
    assert services.conference_tick(now) == 1
    assert services.conference_tick(now + datetime.timedelta(days=1)) == 0
    assert services.conference_tick(now + datetime.timedelta(days=8)) == 1
    assert services.send_action_reminder.call(action.pk) == 1
    assert mailoutbox[-1].to == [network["other_police_officer"].email]
    assert "weapons" not in mailoutbox[-1].body  # the action's text stays in the system
    services.action_update(by=network["other_police_officer"], action=action, status="done")
    assert services.send_action_reminder.call(action.pk) == 0


def test_figures_count_cases_repeats_children_and_actions_on_time(network, series):
    coordinator = network["network_coordinator"]
    meeting, (first, second) = held_meeting_with_actions(network, series)
    services.minutes_send(by=coordinator, meeting=meeting)
    services.conference_refer(by=network["caseworker"], case=first.case, series=series, criterion="repeat")
    a1, a2 = ConferenceAction.objects.order_by("pk")
    services.action_update(by=network["other_police_officer"], action=a1, status="done")
    ConferenceAction.objects.filter(pk=a2.pk).update(status=ConferenceActionStatus.DONE,
                                                     completed_on=a2.due_on + datetime.timedelta(days=2))
    today = timezone.localdate()
    figures = selectors.series_figures(series=series, start=today - datetime.timedelta(days=30),
                                       end=today + datetime.timedelta(days=30))
    assert figures["referrals"] == 3 and figures["cases"] == 2 and figures["repeats"] == 1
    assert figures["repeat_rate"] == pytest.approx(1 / 3)
    assert figures["actions"]["due"] == 2 and figures["actions"]["on_time"] == 1 and figures["actions"]["late"] == 1
    assert figures["by_agency"] == [(network.home.name, 3)]
    assert figures["by_criterion"] == {"judgement": 2, "repeat": 1}


def test_the_meeting_minutes_due_in_three_working_days(network, series):
    meeting = make_meeting(network, series)
    meeting.starts_at = timezone.make_aware(datetime.datetime(2026, 11, 27, 10, 0))  # a Friday
    assert selectors.minutes_due_on(meeting) == datetime.date(2026, 12, 2)
    assert meeting.status == MeetingStatus.PLANNED


def test_queries_stay_bounded(network, series, django_assert_max_num_queries):
    meeting, _ = held_meeting_with_actions(network, series, cases=3)
    officer = network["other_police_officer"]
    with django_assert_max_num_queries(6):
        selectors.meeting_agenda(meeting=meeting, with_summaries=True)
    with django_assert_max_num_queries(3):
        selectors.my_open_actions(user=officer)
    with django_assert_max_num_queries(4):
        selectors.series_list(user=network["network_coordinator"])
    assert Role.NETWORK_COORDINATOR in {m.role for m in network["network_coordinator"].memberships.all()}
