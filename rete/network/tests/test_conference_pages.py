"""The risk-conference pages of the coordinators and representatives (part "conference-pages"):
the list, a series with its members and representatives, meetings, the agenda with the case
summaries for representatives only, the chair's minute and the actions, the minutes (PDF) and
the figures."""
import datetime

import pytest
from django.utils import timezone

from rete.conftest import assert_denied, client_for, make_organisation, make_user, url
from rete.core.models import AuditEvent, Role
from rete.network.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceMeeting,
    ConferenceMember,
    ConferenceRepresentative,
    ConferenceSeries,
    MeetingStatus,
)
from rete.network.services import conferences as services
from rete.network.tests.factories_conferences import held_meeting_with_actions, make_meeting, make_series, refer_case
from rete.network.views.conferences import last_full_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(network):
    return make_series(network)


@pytest.fixture
def chair_only(network):
    """A second network coordinator of home: she coordinates but represents nobody."""
    return make_user("chair@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=network.home,
                     first_name="Carla", last_name="Chair")


def planned_with_cases(network, series, cases=2):
    referrals = [refer_case(network, series) for _ in range(cases)]
    meeting = make_meeting(network, series)
    services.agenda_build(by=network["network_coordinator"], meeting=meeting)
    return meeting, referrals


def get(user, name, **kwargs):
    return client_for(user).get(url(name, **kwargs))


def post(user, name, data=None, **kwargs):
    return client_for(user).post(url(name, **kwargs), data or {})


# ---- the access policy rows of this part (the full walk lives in core) ---------------------------

def test_the_policy_rows_of_these_pages(network):
    from rete.cases.tests.helpers import open_case
    from rete.core.access_policy import PERSONAS, POLICY
    from rete.core.tests.urlwalk import build
    from rete.network.tests.policy_values import _conference_pages

    case = open_case(network["caseworker"], network.home)
    values = _conference_pages(network, case)
    personas = {"anonymous": None, "outsider": network.outsider, "superuser": network.superuser}
    personas.update({role: network[role] for role in PERSONAS if role not in personas})
    mismatches = []
    for name, expected in POLICY.items():
        if not name.startswith("network:conference_") or name in _OTHER_PART:
            continue
        path = build(name, values)
        for persona in PERSONAS:
            status = client_for(personas[persona]).get(path).status_code
            if status != expected[persona]:
                mismatches.append(f"{name} as {persona}: expected {expected[persona]}, got {status}")
    assert not mismatches, "\n".join(mismatches)


_OTHER_PART = {"network:conference_referral_new", "network:conference_referral_sent", "network:conference_referral_withdraw",
               "network:conference_summary", "network:conference_actions", "network:conference_action_detail"}


# ---- the list and a series -------------------------------------------------------------------

def test_the_list_shows_her_series_and_new_only_to_coordinators(network, series, client):
    coordinator_page = get(network["network_coordinator"], "network:conference_list").content.decode()
    assert "Milan MARAC" in coordinator_page and url("network:conference_series_add") in coordinator_page
    rep_page = get(network["other_police_officer"], "network:conference_list").content.decode()
    assert "Milan MARAC" in rep_page and url("network:conference_series_add") not in rep_page
    # A coordinator of another organisation sees an empty list with the button; others get 404.
    other = get(network["other_network_coordinator"], "network:conference_list")
    assert other.status_code == 200 and "Milan MARAC" not in other.content.decode()
    for user in (network["org_admin"], network["police_officer"], network.outsider):
        assert_denied(get(user, "network:conference_list"))
    assert client.get(url("network:conference_list")).status_code == 302


def test_the_list_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    for n in range(4):
        s = make_series(network, name=f"MARAC {n}", members=())
        refer_case(network, s)
        make_meeting(network, s)
    client = client_for(network["network_coordinator"])
    with django_assert_max_num_queries(12):
        assert client.get(url("network:conference_list")).status_code == 200


def test_a_coordinator_creates_and_edits_a_series(network):
    coordinator = network["network_coordinator"]
    data = {"organisation": network.home.pk, "name": "Rome MARAC", "country": "IT", "territory": "Roma",
            "every_days": 21, "escalation_callouts": 3}
    refused = post(coordinator, "network:conference_series_add", data)  # no category chosen: the service refuses
    assert refused.status_code == 400
    assert "Choose what a case summary carries." in refused.content.decode() and "Roma" in refused.content.decode()
    response = post(coordinator, "network:conference_series_add", {**data, "categories": ["identity", "risk"]})
    series = ConferenceSeries.objects.get(name="Rome MARAC")
    assert response.status_code == 302 and response["Location"] == url("network:conference_series_detail", series_id=series.pk)
    assert series.categories == ["identity", "risk"] and series.every_days == 21
    page = get(coordinator, "network:conference_series_edit", series_id=series.pk)
    assert page.status_code == 200 and "Rome MARAC" in page.content.decode()
    post(coordinator, "network:conference_series_edit", {**data, "name": "Roma MARAC", "categories": ["identity"]},
         series_id=series.pk)
    series.refresh_from_db()
    assert series.name == "Roma MARAC" and not series.active
    # Not hers to create or edit.
    assert_denied(get(network["caseworker"], "network:conference_series_add"))
    assert_denied(get(network["caseworker"], "network:conference_series_edit", series_id=series.pk))
    assert_denied(get(network["other_network_coordinator"], "network:conference_series_edit", series_id=series.pk))


def test_members_and_representatives(network, series):
    coordinator = network["network_coordinator"]
    third = make_organisation("probation", name="Probation Milano")
    make_user("rep@probation.example", roles=[Role.CASEWORKER], organisation=third)
    page = get(coordinator, "network:conference_series_detail", series_id=series.pk).content.decode()
    assert "Probation Milano" in page  # a candidate of the same country
    assert post(coordinator, "network:conference_member_add", {"organisation": third.pk}, series_id=series.pk).status_code == 302
    member = ConferenceMember.objects.get(series=series, organisation=third)
    refused = post(coordinator, "network:conference_representative_add", {"email": "nobody@probation.example"},
                   conference_member_id=member.pk)
    assert refused.status_code == 400 and "nobody@probation.example" in refused.content.decode()
    assert "Nobody with this e-mail works at Probation in Rete." in refused.content.decode()
    assert post(coordinator, "network:conference_representative_add", {"email": "rep@probation.example"},
                conference_member_id=member.pk).status_code == 302
    representative = ConferenceRepresentative.objects.get(member=member)
    # A representative does not run the series.
    caseworker = network["caseworker"]
    assert_denied(post(caseworker, "network:conference_member_add", {"organisation": third.pk}, series_id=series.pk))
    assert_denied(post(caseworker, "network:conference_member_remove", conference_member_id=member.pk))
    assert_denied(post(caseworker, "network:conference_representative_remove", representative_id=representative.pk))
    assert_denied(post(network.outsider, "network:conference_representative_add", {"email": "x@y.example"}, conference_member_id=member.pk))
    assert post(coordinator, "network:conference_representative_remove", representative_id=representative.pk).status_code == 302
    assert not ConferenceRepresentative.objects.filter(member=member).exists()
    assert post(coordinator, "network:conference_member_remove", conference_member_id=member.pk).status_code == 302
    assert not ConferenceMember.objects.filter(pk=member.pk).exists()
    home_member = series.members.get(organisation=network.home)
    refused = post(coordinator, "network:conference_member_remove", conference_member_id=home_member.pk)
    assert refused.status_code == 400 and "stays a member" in refused.content.decode()


def test_a_member_organisations_coordinator_names_its_own_representatives(network, series):
    """The police's own network coordinator, a representative of the police, names police
    representatives, not home's."""
    police_coordinator = network["other_network_coordinator"]
    police = series.members.get(organisation=network.other)
    services.representative_add(by=network["network_coordinator"], member=police, email=police_coordinator.email)
    page = get(police_coordinator, "network:conference_series_detail", series_id=series.pk).content.decode()
    assert url("network:conference_representative_add", conference_member_id=police.pk) in page
    home = series.members.get(organisation=network.home)
    assert url("network:conference_representative_add", conference_member_id=home.pk) not in page
    assert url("network:conference_member_add", series_id=series.pk) not in page
    response = post(police_coordinator, "network:conference_representative_add", {"email": network["other_caseworker"].email},
                    conference_member_id=police.pk)
    assert response.status_code == 302
    assert_denied(post(police_coordinator, "network:conference_representative_add", {"email": network["org_admin"].email},
                       conference_member_id=home.pk))
    # The police officer (a representative, not an admin) sees no form.
    page = get(network["other_police_officer"], "network:conference_series_detail", series_id=series.pk).content.decode()
    assert url("network:conference_representative_add", conference_member_id=police.pk) not in page


def test_the_series_page_lists_waiting_cases_without_summary_and_is_bounded(network, series, django_assert_max_num_queries):
    for _ in range(4):
        refer_case(network, series)
    make_meeting(network, series)
    make_meeting(network, series, days=15)
    client = client_for(network["network_coordinator"])
    with django_assert_max_num_queries(16):
        response = client.get(url("network:conference_series_detail", series_id=series.pk))
    page = response.content.decode()
    assert page.count("RC-") >= 4 and "Professional judgement" in page
    assert "Maria" not in page and "hunting licence" not in page
    assert url("network:conference_figures", series_id=series.pk) in page
    assert_denied(get(network.outsider, "network:conference_series_detail", series_id=series.pk))
    assert_denied(get(network["org_admin"], "network:conference_series_detail", series_id=series.pk))


# ---- meetings --------------------------------------------------------------------------------

def test_a_coordinator_schedules_a_meeting(network, series, chair_only):
    coordinator = network["network_coordinator"]
    page = get(coordinator, "network:conference_meeting_add", series_id=series.pk)
    suggested = services.next_meeting_start(series=series)
    assert page.status_code == 200 and suggested.date().isoformat() in page.content.decode()
    day = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    refused = post(coordinator, "network:conference_meeting_add", {"date": "", "time": "10:00", "place": "Sala 3",
                                                                     "chair": chair_only.pk}, series_id=series.pk)
    assert refused.status_code == 400 and "Sala 3" in refused.content.decode()
    response = post(coordinator, "network:conference_meeting_add", {"date": day, "time": "10:30", "place": "Sala 3",
                                                                      "chair": chair_only.pk}, series_id=series.pk)
    meeting = ConferenceMeeting.objects.get(series=series)
    assert response.status_code == 302 and meeting.chair == chair_only and meeting.number == 1
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:30"
    assert_denied(get(network["caseworker"], "network:conference_meeting_add", series_id=series.pk))
    bad_chair = post(coordinator, "network:conference_meeting_add", {"date": day, "time": "10:30", "chair": network["caseworker"].pk},
                     series_id=series.pk)
    assert bad_chair.status_code == 400


def test_representatives_read_the_summaries_coordinators_do_not(network, series, chair_only, django_assert_max_num_queries):
    meeting, referrals = planned_with_cases(network, series, cases=4)
    page_url = url("network:conference_meeting_detail", meeting_id=meeting.pk)
    officer = client_for(network["other_police_officer"])
    with django_assert_max_num_queries(20):
        response = officer.get(page_url)
    page = response.content.decode()
    assert response.status_code == 200 and "Maria" in page and "Case summary" in page
    assert url("network:conference_summary", conference_referral_id=referrals[0].pk) in page
    assert url("network:conference_agenda_build", meeting_id=meeting.pk) not in page
    viewed = AuditEvent.objects.filter(action="network.conference_summaries_viewed", actor=network["other_police_officer"])
    assert viewed.count() == 1 and sorted(viewed.get().detail["referrals"]) == sorted(r.pk for r in referrals)
    # The coordinator who represents nobody: the agenda and the coordinators' controls, no summary.
    chair = client_for(chair_only)
    with django_assert_max_num_queries(20):
        response = chair.get(page_url)
    page = response.content.decode()
    assert "Maria" not in page and "Case summary" not in page and "hunting licence" not in page
    assert referrals[0].reference in page and url("network:conference_agenda_build", meeting_id=meeting.pk) in page
    assert url("network:conference_minutes_pdf", meeting_id=meeting.pk, language="bg") in page
    assert not AuditEvent.objects.filter(action="network.conference_summaries_viewed", actor=chair_only).exists()
    assert_denied(get(network.outsider, "network:conference_meeting_detail", meeting_id=meeting.pk))
    assert_denied(get(network["org_admin"], "network:conference_meeting_detail", meeting_id=meeting.pk))


def test_a_representative_cannot_run_the_meeting(network, series):
    meeting, _ = planned_with_cases(network, series, cases=1)
    item = meeting.items.get()
    officer = network["other_police_officer"]
    for name, kwargs in (("network:conference_agenda_build", {"meeting_id": meeting.pk}),
                         ("network:conference_meeting_held", {"meeting_id": meeting.pk}),
                         ("network:conference_minutes_send", {"meeting_id": meeting.pk}),
                         ("network:conference_item_remove", {"item_id": item.pk}),
                         ("network:conference_action_add", {"item_id": item.pk})):
        assert_denied(post(officer, name, **kwargs))
    assert_denied(get(officer, "network:conference_item_edit", item_id=item.pk))
    assert_denied(get(officer, "network:conference_figures", series_id=series.pk))
    assert ConferenceMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED


def test_build_hold_and_send(network, series):
    coordinator = network["network_coordinator"]
    meeting = make_meeting(network, series)
    refused = post(coordinator, "network:conference_meeting_held", meeting_id=meeting.pk)
    assert refused.status_code == 400 and "The agenda is empty" in refused.content.decode()
    refer_case(network, series)
    refer_case(network, series)
    response = client_for(coordinator).post(url("network:conference_agenda_build", meeting_id=meeting.pk), follow=True)
    assert "2 cases were added to the agenda" in response.content.decode()
    item = meeting.items.order_by("position").first()
    assert post(coordinator, "network:conference_item_remove", item_id=item.pk).status_code == 302
    assert meeting.items.count() == 1
    assert post(coordinator, "network:conference_meeting_held", meeting_id=meeting.pk).status_code == 302
    page = get(coordinator, "network:conference_meeting_detail", meeting_id=meeting.pk).content.decode()
    assert url("network:conference_minutes_send", meeting_id=meeting.pk) in page and "Minutes due by" in page
    assert post(coordinator, "network:conference_minutes_send", meeting_id=meeting.pk).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_SENT


# ---- the chair's minute ----------------------------------------------------------------------

def test_the_chair_minutes_a_case_and_a_stale_save_is_refused(network, series):
    coordinator = network["network_coordinator"]
    meeting, _ = planned_with_cases(network, series, cases=1)
    item = meeting.items.get()
    page = get(coordinator, "network:conference_item_edit", item_id=item.pk)
    assert page.status_code == 200 and "Maria" not in page.content.decode()
    data = {"version": item.version, "notes": "He was seen near her work.", "decisions": "Police patrol."}
    assert post(coordinator, "network:conference_item_edit", data, item_id=item.pk).status_code == 302
    item.refresh_from_db()
    assert item.notes == "He was seen near her work." and item.discussed
    stale = post(coordinator, "network:conference_item_edit", {**data, "notes": "My own note."}, item_id=item.pk)
    page = stale.content.decode()
    assert stale.status_code == 409 and "My own note." in page and "He was seen near her work." in page
    assert "Someone else saved this record" in page
    item.refresh_from_db()
    assert item.notes == "He was seen near her work."


def test_actions_are_added_on_the_item_page(network, series, django_assert_max_num_queries):
    coordinator = network["network_coordinator"]
    meeting, _ = planned_with_cases(network, series, cases=1)
    item = meeting.items.get()
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    data = {"agency": network.other.pk, "owner": network["other_police_officer"].pk, "description": "Weapons check.",
            "due_on": due}
    response = post(coordinator, "network:conference_action_add", data, item_id=item.pk)
    assert response.status_code == 302 and response["Location"].startswith(url("network:conference_item_edit", item_id=item.pk))
    action = ConferenceAction.objects.get(item=item)
    assert action.agency == network.other and action.owner == network["other_police_officer"]
    late = post(coordinator, "network:conference_action_add", {**data, "description": "Too late.",
                                                               "due_on": "2000-01-01"}, item_id=item.pk)
    assert late.status_code == 400 and "Too late." in late.content.decode() and "due after the meeting" in late.content.decode()
    wrong_owner = post(coordinator, "network:conference_action_add", {**data, "agency": network.home.pk}, item_id=item.pk)
    assert wrong_owner.status_code == 400 and "The owner works at the responsible agency." in wrong_owner.content.decode()
    for n in range(4):
        services.action_add(by=coordinator, item=item, agency=network.home, description=f"Action {n}",
                            due_on=timezone.localdate() + datetime.timedelta(days=3))
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        assert client.get(url("network:conference_item_edit", item_id=item.pk)).status_code == 200
    page = get(coordinator, "network:conference_meeting_detail", meeting_id=meeting.pk).content.decode()
    assert url("network:conference_action_detail", conference_action_id=action.pk) in page and "Weapons check." in page


# ---- minutes and figures ---------------------------------------------------------------------

def test_the_minutes_pdf(network, series, chair_only, django_assert_max_num_queries):
    from io import BytesIO

    from pypdf import PdfReader

    meeting, _ = held_meeting_with_actions(network, series, cases=3)
    officer = client_for(network["other_police_officer"])
    with django_assert_max_num_queries(20):
        response = officer.get(url("network:conference_minutes_pdf", meeting_id=meeting.pk, language="it"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages).split())
    assert "Home visit and weapons check." in text and "Discussed the risk." in text
    assert "Maria" not in text and "hunting licence" not in text
    assert AuditEvent.objects.filter(action="network.conference_minutes_printed", detail__language="it").count() == 1
    assert get(chair_only, "network:conference_minutes_pdf", meeting_id=meeting.pk, language="en").status_code == 200
    assert_denied(get(chair_only, "network:conference_minutes_pdf", meeting_id=meeting.pk, language="fr"))
    assert_denied(get(network.outsider, "network:conference_minutes_pdf", meeting_id=meeting.pk, language="en"))
    assert_denied(get(network["org_admin"], "network:conference_minutes_pdf", meeting_id=meeting.pk, language="en"))


def test_last_full_quarter():
    assert last_full_quarter(datetime.date(2025, 5, 10)) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert last_full_quarter(datetime.date(2025, 1, 1)) == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))


def test_the_figures(network, series, django_assert_max_num_queries):
    coordinator = network["network_coordinator"]
    held_meeting_with_actions(network, series, cases=3)
    today = timezone.localdate()
    query = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": (today + datetime.timedelta(days=30)).isoformat()}
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(url("network:conference_figures", series_id=series.pk), query)
    page = response.content.decode()
    assert response.status_code == 200 and "Home Support Centre" in page and "Referrals by criterion" in page
    assert response.context["figures"]["referrals"] == 3 and response.context["figures"]["actions"]["due"] == 3
    default = client.get(url("network:conference_figures", series_id=series.pk))
    assert default.status_code == 200 and default.context["figures"]["start"] == last_full_quarter(today)[0]
    invalid = client.get(url("network:conference_figures", series_id=series.pk), {"start": query["end"], "end": query["start"]})
    assert invalid.status_code == 400 and "The period ends before it starts." in invalid.content.decode()
    csv_response = client.get(url("network:conference_figures", series_id=series.pk), {**query, "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode()
    assert "Referrals,,3" in body and "Home Support Centre" in body and "Maria" not in body
    assert_denied(get(network["caseworker"], "network:conference_figures", series_id=series.pk))


def test_items_of_another_series_are_out_of_reach(network, series):
    meeting, _ = planned_with_cases(network, series, cases=1)
    item = meeting.items.get()
    other_coordinator = network["other_network_coordinator"]
    assert_denied(get(other_coordinator, "network:conference_item_edit", item_id=item.pk))
    assert_denied(post(other_coordinator, "network:conference_item_edit", {"version": 1, "notes": "x"}, item_id=item.pk))
    assert AgendaItem.objects.get(pk=item.pk).notes == ""
