"""Risk conferences from a case (part "conference-case"): the referral form and the sender's
page, the summary for the representatives, the actions and their progress, the case page's
section and the start-page panel."""
import datetime

import pytest
from django.utils import timezone

from rete.cases.models import Incident, RelatedPerson
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import AuditEvent, Role
from rete.network.models import (
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceReferral,
    ConferenceReferralStatus,
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
S = "ZQXCONFSENTINEL"


@pytest.fixture
def series(network):
    return make_series(network)


def form_data(series, **extra):
    values = {"series": series.pk, "criterion": "judgement", "reasons": JUDGEMENT,
              "categories": ["identity", "risk", "children"]}
    values.update(extra)
    return values


def with_action(network, series, referral):
    coordinator = network["network_coordinator"]
    meeting = make_meeting(network, series, days=0)
    services.agenda_build(by=coordinator, meeting=meeting)
    item = meeting.items.get(referral=referral)
    services.item_record(by=coordinator, item=item, notes="Discussed the weapons.", decisions="Police to visit.")
    action = services.action_add(by=coordinator, item=item, agency=network.other, owner=network["other_police_officer"],
                                 description="Home visit and weapons check.",
                                 due_on=timezone.localdate() + datetime.timedelta(days=7))
    return meeting, action


# ---- the helpers added to the services and selectors -------------------------------------------


def test_covering_consent_and_referral_actions(network, series):
    case = open_case(network["caseworker"], network.home)
    assert services.covering_consent(case=case, series=series) is None
    consent = consent_to_conference(network, case)
    assert services.covering_consent(case=case, series=series) == consent
    referral = refer_case(network, series, case, consent=False)
    assert selectors.referral_actions(referral=referral) == []
    _, action = with_action(network, series, referral)
    ConferenceAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    rows = selectors.referral_actions(referral=referral)
    assert [a.pk for a in rows] == [action.pk] and rows[0].overdue


# ---- ownership -------------------------------------------------------------------------------


def test_every_page_is_404_outside_its_readers(network, series):
    case = open_case(network["caseworker"], network.home)
    referral = refer_case(network, series, case)
    _, action = with_action(network, series, referral)
    pages = [url("network:conference_referral_new", case_id=case.pk),
             url("network:conference_referral_sent", conference_referral_id=referral.pk),
             url("network:conference_summary", conference_referral_id=referral.pk),
             url("network:conference_actions"),
             url("network:conference_action_detail", conference_action_id=action.pk)]
    for user in (network["other_caseworker"], network.outsider, network.superuser, network["police_officer"]):
        for page in pages:
            assert_denied(client_for(user).get(page))
        assert_denied(client_for(user).post(url("network:conference_referral_withdraw", conference_referral_id=referral.pk),
                                            {"reason": "Not needed any more."}))
        assert_denied(client_for(user).post(pages[4], {"status": "done", "note": "x", "version": action.version}))
    for page in pages:
        assert client_for(None).get(page).status_code == 302
    assert ConferenceReferral.objects.get(pk=referral.pk).status == ConferenceReferralStatus.ON_AGENDA
    assert ConferenceAction.objects.get(pk=action.pk).status == ConferenceActionStatus.OPEN
    # The case team reaches the sender's pages.
    worker = client_for(network["caseworker"])
    for page in pages[:2]:
        assert worker.get(page).status_code == 200


def test_a_representative_of_another_member_reads_the_summary_not_the_case(network, series):
    case = open_case(network["caseworker"], network.home)
    referral = refer_case(network, series, case, categories=["identity", "risk"])
    officer = client_for(network["other_police_officer"])
    page = officer.get(url("network:conference_summary", conference_referral_id=referral.pk)).content.decode()
    assert "Maria" in page and JUDGEMENT in page and "Only the representatives" not in page
    assert AuditEvent.objects.filter(action="network.conference_summary_viewed", actor=network["other_police_officer"]).exists()
    assert_denied(officer.get(url("cases:case_detail", pk=case.pk)))
    assert_denied(officer.get(url("network:conference_referral_sent", conference_referral_id=referral.pk)))
    assert_denied(officer.get(url("network:conference_referral_new", case_id=case.pk)))


def test_a_coordinator_who_is_no_representative_does_not_read_the_summary(network):
    series = make_series(network, representatives=False)
    coordinator = make_user("coord2@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=network.home)
    case = open_case(network["caseworker"], network.home)
    referral = refer_case(network, series, case)
    response = client_for(coordinator).get(url("network:conference_summary", conference_referral_id=referral.pk))
    page = response.content.decode()
    assert response.status_code == 200 and "Only the representatives" in page
    assert "Maria" not in page and JUDGEMENT not in page and referral.reference in page
    assert not AuditEvent.objects.filter(action="network.conference_summary_viewed").exists()


# ---- the referral form ---------------------------------------------------------------------


def test_no_conference_says_so(network):
    case = open_case(network["caseworker"], network.home)
    page = client_for(network["caseworker"]).get(url("network:conference_referral_new", case_id=case.pk)).content.decode()
    assert "not a member of any risk conference" in page and "name=\"criterion\"" not in page


def test_the_form_shows_the_facts_and_refers(network, series, mailoutbox, django_capture_on_commit_callbacks):
    case = open_case(network["caseworker"], network.home)
    consent_to_conference(network, case)
    worker = client_for(network["caseworker"])
    new = url("network:conference_referral_new", case_id=case.pk)
    page = worker.get(new).content.decode()
    assert series.name in page and "No risk assessment is in force" in page
    assert "0 police call-outs recorded in the last 12 months; this conference counts escalation from 3." in page
    assert "Not referred to this conference in the last 12 months." in page
    assert "covers this conference" in page and "id_without_consent_reason" not in page
    # Only the series' categories, all checked.
    for code in series.categories:
        assert f'value="{code}"' in page
    assert 'value="contact"' not in page and page.count("checked") >= len(series.categories)
    # A criterion not met: the data stays, the error at the field.
    response = worker.post(new, form_data(series, criterion="escalation", reasons="Kept text of mine."))
    page = response.content.decode()
    assert response.status_code == 400 and "counts escalation from 3" in page and "Kept text of mine." in page
    assert not ConferenceReferral.objects.exists()
    response = worker.post(new, form_data(series, criterion="judgement", reasons="short"))
    assert response.status_code == 400 and "Give the reasons for your professional judgement" in response.content.decode()
    response = worker.post(new, form_data(series, categories=["contact"]))
    assert response.status_code == 400 and not ConferenceReferral.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(new, form_data(series))
    referral = ConferenceReferral.objects.get()
    assert response.status_code == 302 and response.url == url("network:conference_referral_sent",
                                                                  conference_referral_id=referral.pk)
    assert referral.categories == ["identity", "risk", "children"] and referral.consent_id and referral.reasons == JUDGEMENT
    page = worker.get(response.url).content.decode()
    assert referral.reference in page and JUDGEMENT in page and "Waiting for the next meeting" in page
    assert "Withdraw the referral</button>" in page
    # The same case again: refused at the series, the form kept.
    response = worker.post(new, form_data(series))
    assert response.status_code == 400 and "already waiting for the conference" in response.content.decode()


def test_without_consent_a_reason_is_needed_and_the_officers_are_told(network, series, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    make_user("dpo2@home.example", roles=[Role.DPO], organisation=network.home)
    case = open_case(network["caseworker"], network.home)
    worker = client_for(network["caseworker"])
    new = url("network:conference_referral_new", case_id=case.pk)
    page = worker.get(new).content.decode()
    assert "has not given consent" in page and "data-protection officers will be told" in page
    assert "id_without_consent_reason" in page
    response = worker.post(new, form_data(series))
    assert response.status_code == 400 and "Record her consent first" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(new, form_data(series, without_consent_reason="He is armed and she cannot be reached."))
    assert response.status_code == 302
    referral = ConferenceReferral.objects.get()
    assert referral.consent_id is None and referral.legal_basis == "vital_interests"
    assert any("without consent" in m.subject for m in mailoutbox)
    page = worker.get(response.url).content.decode()
    assert "He is armed and she cannot be reached." in page and "Shared without her consent" in page


def test_several_conferences_ask_which_one_first(network, series):
    other_series = make_series(network, name="Rome MARAC", members=(), representatives=False)
    case = open_case(network["caseworker"], network.home)
    worker = client_for(network["caseworker"])
    new = url("network:conference_referral_new", case_id=case.pk)
    page = worker.get(new).content.decode()
    assert "Choose the risk conference" in page and "Rome MARAC" in page and "name=\"criterion\"" not in page
    page = worker.get(new + f"?series={other_series.pk}").content.decode()
    assert "Rome MARAC" in page and 'name="criterion"' in page and "Choose another conference" in page
    assert_denied(worker.post(new, {**form_data(series), "series": 999999}))


def test_repeat_is_offered_and_recorded(network, series):
    case = open_case(network["caseworker"], network.home)
    first = refer_case(network, series, case)
    ConferenceReferral.objects.filter(pk=first.pk).update(status=ConferenceReferralStatus.DISCUSSED)
    worker = client_for(network["caseworker"])
    new = url("network:conference_referral_new", case_id=case.pk)
    page = worker.get(new).content.decode()
    assert "this referral is a repeat" in page and first.reference in page
    assert worker.post(new, form_data(series, criterion="repeat")).status_code == 302
    repeat = ConferenceReferral.objects.exclude(pk=first.pk).get()
    assert repeat.repeat and repeat.previous_id == first.pk
    page = worker.get(url("network:conference_referral_sent", conference_referral_id=repeat.pk)).content.decode()
    assert "Previous referral" in page and first.reference in page


# ---- the sender's page and the withdrawal ------------------------------------------------------


def test_sent_page_shows_history_actions_and_withdraws(network, series):
    case = open_case(network["caseworker"], network.home)
    referral = refer_case(network, series, case)
    worker = client_for(network["caseworker"])
    sent = url("network:conference_referral_sent", conference_referral_id=referral.pk)
    withdraw = url("network:conference_referral_withdraw", conference_referral_id=referral.pk)
    assert worker.get(withdraw).status_code == 405
    response = worker.post(withdraw, {"reason": "  "})
    assert response.status_code == 400 and "Reason is required" in response.content.decode()
    assert worker.post(withdraw, {"reason": "She moved abroad."}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ConferenceReferralStatus.WITHDRAWN and referral.package == {}
    page = worker.get(sent).content.decode()
    assert "The referral was withdrawn" in page and "Withdraw the referral</button>" not in page
    # Another referral, discussed with an action: the decisions and the action's status, no notes.
    second = refer_case(network, series, case)
    with_action(network, series, second)
    page = worker.get(url("network:conference_referral_sent", conference_referral_id=second.pk)).content.decode()
    assert "Police to visit." in page and "Home visit and weapons check." in page and "Not started" in page
    assert "Discussed the weapons." not in page
    # The case page lists both, newest first, with the link to refer again.
    page = worker.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Risk conferences" in page and page.index(second.reference) < page.index(referral.reference)
    assert url("network:conference_referral_new", case_id=case.pk) in page


# ---- the summary --------------------------------------------------------------------------


def test_summary_history_and_consent_withdrawn(network, series):
    meeting, referrals = held_meeting_with_actions(network, series, cases=1)
    referral = referrals[0]
    officer = client_for(network["other_police_officer"])
    summary = url("network:conference_summary", conference_referral_id=referral.pk)
    page = officer.get(summary).content.decode()
    assert "Discussed the risk." in page and "Police to visit." in page and "Home visit and weapons check." in page
    assert url("network:conference_meeting_detail", meeting_id=meeting.pk) in page
    ConferenceReferral.objects.filter(pk=referral.pk).update(package={}, consent_withdrawn_at=timezone.now())
    page = officer.get(summary).content.decode()
    assert "Her consent was withdrawn" in page and "Maria" not in page


# ---- actions --------------------------------------------------------------------------------


def test_actions_list_panel_and_progress(network, series):
    meeting, referrals = held_meeting_with_actions(network, series, cases=2)
    late = ConferenceAction.objects.filter(referral=referrals[0]).get()
    ConferenceAction.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    officer = client_for(network["other_police_officer"])
    page = officer.get(url("network:conference_actions")).content.decode()
    assert page.count(">overdue<") == 1 and referrals[0].reference in page and referrals[1].reference in page
    start = officer.get(url("core:start")).content.decode()
    assert "Conference actions due" in start and "1 is overdue." in start and url("network:conference_actions") in start
    # Someone with no open action has no panel.
    assert "Conference actions due" not in client_for(network["caseworker"]).get(url("core:start")).content.decode()
    detail = url("network:conference_action_detail", conference_action_id=late.pk)
    page = officer.get(detail).content.decode()
    assert "Home visit and weapons check." in page and "overdue" in page and "Report progress" in page
    response = officer.post(detail, {"status": "not_done", "note": "", "version": late.version})
    assert response.status_code == 400 and "Say why the action could not be done" in response.content.decode()
    assert officer.post(detail, {"status": "in_progress", "note": "Visit booked.", "version": late.version}).status_code == 302
    # A stale form: 409 with both versions, her entries kept.
    response = officer.post(detail, {"status": "done", "note": "Weapons removed.", "version": late.version})
    page = response.content.decode()
    assert response.status_code == 409 and "Someone else saved this record" in page
    assert "Visit booked." in page and "Weapons removed." in page and "In progress" in page
    late.refresh_from_db()
    assert late.status == ConferenceActionStatus.IN_PROGRESS
    assert officer.post(detail, {"status": "done", "note": "Weapons removed.", "version": late.version}).status_code == 302
    late.refresh_from_db()
    assert late.status == ConferenceActionStatus.DONE and late.completed_on == timezone.localdate()
    page = officer.get(detail).content.decode()
    assert "Weapons removed." in page and "Report progress" not in page
    # A home representative reads the other agency's action but may not report on it.
    worker = client_for(network["caseworker"])
    other = ConferenceAction.objects.get(referral=referrals[1])
    page = worker.get(url("network:conference_action_detail", conference_action_id=other.pk)).content.decode()
    assert "Home visit and weapons check." in page and "Report progress" not in page
    assert_denied(worker.post(url("network:conference_action_detail", conference_action_id=other.pk),
                              {"status": "done", "note": "", "version": other.version}))


# ---- sentinel ----------------------------------------------------------------------------


def test_categories_not_chosen_never_reach_the_conference(network, series, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    case = open_case(network["caseworker"], network.home)
    user = network["caseworker"]
    today = timezone.localdate()
    Incident.objects.create(case=case, incident_date=today, reported_on=today, place_type="home", gbv_type="physical",
                            narrative=S + "narrative", recorded_by=user)
    RelatedPerson.objects.create(case=case, kind="perpetrator", name=S + "perp", relationship="partner", notes=S,
                                 created_by=user)
    coordinator = network["network_coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer_case(network, series, case, categories=["identity", "children"])
        meeting = make_meeting(network, series, days=0)
        services.agenda_build(by=coordinator, meeting=meeting)
        item = meeting.items.get()
        services.item_record(by=coordinator, item=item, notes="Discussed.", decisions="Visit.")
        action = services.action_add(by=coordinator, item=item, agency=network.other, description="Check.",
                                     due_on=today + datetime.timedelta(days=3))
        services.meeting_held(by=coordinator, meeting=meeting)
        services.minutes_send(by=coordinator, meeting=meeting)
        services.send_action_reminder.call(action.pk)
    assert mailoutbox
    for mail in mailoutbox:
        assert S not in mail.subject + mail.body
    officer = client_for(network["other_police_officer"])
    pages = [url("network:conference_summary", conference_referral_id=referral.pk),
             url("network:conference_actions"), url("network:conference_action_detail", conference_action_id=action.pk),
             url("core:start")]
    for page in pages:
        response = officer.get(page)
        assert response.status_code == 200 and S not in response.content.decode()
    assert "Maria" in officer.get(pages[0]).content.decode()  # the chosen category is there


# ---- bounded queries ---------------------------------------------------------------------


def test_pages_run_a_fixed_number_of_queries(network, series, django_assert_max_num_queries):
    case = open_case(network["caseworker"], network.home)
    consent_to_conference(network, case)
    first = refer_case(network, series, case, consent=False)
    _, action = with_action(network, series, first)
    worker, officer = client_for(network["caseworker"]), client_for(network["other_police_officer"])
    pages = [(worker, url("cases:case_detail", pk=case.pk)),
             (worker, url("network:conference_referral_new", case_id=case.pk)),
             (worker, url("network:conference_referral_sent", conference_referral_id=first.pk)),
             (officer, url("network:conference_summary", conference_referral_id=first.pk)),
             (officer, url("network:conference_actions")),
             (officer, url("network:conference_action_detail", conference_action_id=action.pk)),
             (officer, url("core:start"))]
    few = []
    for client, page in pages:
        with django_assert_max_num_queries(60) as captured:
            assert client.get(page).status_code == 200
        few.append(len(captured.captured_queries))
    # More of everything: referrals of the case, meetings, actions, progress reports.
    ConferenceReferral.objects.filter(pk=first.pk).update(status=ConferenceReferralStatus.DISCUSSED)
    for _ in range(3):
        referral = refer_case(network, series, case, consent=False, criterion="repeat")
        with_action(network, series, referral)
        ConferenceReferral.objects.filter(pk=referral.pk).update(status=ConferenceReferralStatus.DISCUSSED)
    meeting = make_meeting(network, series, days=0)
    services.agenda_build(by=network["network_coordinator"], meeting=meeting)  # carries `first` over
    for i in range(3):
        action.refresh_from_db()
        services.action_update(by=network["other_police_officer"], action=action, status="in_progress", note=f"Step {i}",
                               version=action.version)
    make_series(network, name="Rome MARAC")
    for (client, page), baseline in zip(pages, few):
        with django_assert_max_num_queries(baseline):
            client.get(page if "new" not in page else page + f"?series={series.pk}")
