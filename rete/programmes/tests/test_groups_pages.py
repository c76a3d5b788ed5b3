"""The group pages (part "groups-sessions"): the list, a new group, a group's page and its
changes; who reaches them, refusals that keep her entries, stale edits, bounded queries."""
import datetime

import pytest
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.programmes.models import EnrolmentState, Group, GroupFacilitator, GroupMember, Session
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db


def get(user, name, **kwargs):
    return client_for(user).get(url(name, **kwargs))


def post(user, name, data=None, **kwargs):
    return client_for(user).post(url(name, **kwargs), data or {})


def form_values(**extra):
    today = timezone.localdate()
    data = {"name": "Gruppo del martedì e giovedì", "stage_kind": "group", "language": "it", "weekdays": ["2", "4"],
            "start_time": "18:30", "duration_minutes": "120", "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(weeks=22)).isoformat(), "capacity": "12", "place": "Sala 2",
            "status": "planned"}
    data.update(extra)
    return data


# ---- the access policy rows of this part (the full walk lives in core) ---------------------------------

_MINE = ("programmes:group_", "programmes:session_", "programmes:individual_session_add", "programmes:compliance_address")


def test_the_policy_rows_of_these_pages(network):
    from rete.cases.tests.helpers import open_case
    from rete.core.access_policy import PERSONAS, POLICY
    from rete.core.tests.urlwalk import build
    from rete.programmes.tests import policy_values

    case = open_case(network["caseworker"], network.home)
    values = {"enrolment_id": policy_values.walked_enrolment(network)[0].pk}
    values.update(policy_values._groups_sessions(network, case))
    personas = {"anonymous": None, "outsider": network.outsider, "superuser": network.superuser}
    personas.update({role: network[role] for role in PERSONAS if role not in personas})
    mismatches = []
    for name, expected in POLICY.items():
        if not name.startswith(_MINE):
            continue
        path = build(name, values)
        for persona in PERSONAS:
            status = client_for(personas[persona]).get(path).status_code
            if status != expected[persona]:
                mismatches.append(f"{name} as {persona}: expected {expected[persona]}, got {status}")
    assert not mismatches, "\n".join(mismatches)


# ---- the list ----------------------------------------------------------------------------------------

def test_the_list_shows_schedules_in_words_with_bounded_queries(network, django_assert_max_num_queries):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(3)]
    for index in range(6):
        make_group(programme, name=f"Group {index}", members=men[:index % 3 + 1])
    client = client_for(programme.coordinator)
    client.get(url("programmes:group_list"))
    with django_assert_max_num_queries(12):
        page = client.get(url("programmes:group_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tuesdays and Thursdays, 18:30, 120 minutes" in text
    assert text.count("Group ") >= 6 and "3 / 12" in text
    assert "Testa" not in text  # no man's name on the list
    assert 'href="{}"'.format(url("programmes:group_add")) in text


def test_a_facilitator_lists_her_groups_only(network):
    programme = Programme()
    make_group(programme, name="Her group", facilitators=[programme.facilitator])
    make_group(programme, name="Another group", facilitators=[programme.cofacilitator])
    text = get(programme.facilitator, "programmes:group_list").content.decode()
    assert "Her group" in text and "Another group" not in text
    assert url("programmes:group_add") not in text
    assert_denied(get(programme.partner_worker, "programmes:group_list"))


# ---- a new group, an edit -------------------------------------------------------------------------------

def test_a_coordinator_creates_a_group(network):
    programme = Programme()
    response = post(programme.coordinator, "programmes:group_add", form_values())
    group = Group.objects.get()
    assert response.status_code == 302 and response["Location"] == url("programmes:group_detail", group_id=group.pk)
    assert group.weekdays == [2, 4] and group.organisation == programme.organisation
    assert_denied(get(programme.facilitator, "programmes:group_add"))
    assert_denied(post(programme.facilitator, "programmes:group_add", form_values()))


def test_a_refused_group_keeps_her_entries(network):
    programme = Programme()
    response = post(programme.coordinator, "programmes:group_add", form_values(weekdays=[], place="Via Esempio 7"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Via Esempio 7" in text and "Gruppo del marted" in text
    response = post(programme.coordinator, "programmes:group_add",
                    form_values(ends_on=(timezone.localdate() - datetime.timedelta(days=3)).isoformat(), place="Via Esempio 8"))
    assert response.status_code == 400 and "Via Esempio 8" in response.content.decode()
    assert not Group.objects.exists()


def test_the_edit_is_for_coordinators_and_a_stale_one_shows_both_versions(network):
    programme = Programme()
    group = make_group(programme, facilitators=[programme.facilitator])
    assert_denied(get(programme.facilitator, "programmes:group_edit", group_id=group.pk))
    assert_denied(get(Programme("else").coordinator, "programmes:group_edit", group_id=group.pk))
    assert get(programme.coordinator, "programmes:group_edit", group_id=group.pk).status_code == 200
    first = post(programme.coordinator, "programmes:group_edit", form_values(name="Monday group", version="1"), group_id=group.pk)
    assert first.status_code == 302
    stale = post(programme.coordinator, "programmes:group_edit", form_values(name="Wednesday group", version="1"),
                 group_id=group.pk)
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "Monday group" in text and "Wednesday group" in text
    group.refresh_from_db()
    assert group.name == "Monday group"
    assert 'name="version" value="2"' in text
    bad = post(programme.coordinator, "programmes:group_edit", form_values(capacity="0", place="Sala 9", version="2"),
               group_id=group.pk)
    assert bad.status_code == 400 and "Sala 9" in bad.content.decode()


# ---- a group's page --------------------------------------------------------------------------------------

def test_the_group_page_is_bounded_and_hides_names_when_asked(network, django_assert_max_num_queries):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Uomo{i}") for i in range(8)]
    group = make_group(programme, members=men, sessions=12)
    client = client_for(programme.coordinator)
    client.get(url("programmes:group_detail", group_id=group.pk))
    with django_assert_max_num_queries(16):
        page = client.get(url("programmes:group_detail", group_id=group.pk))
    text = page.content.decode()
    assert men[0].reference in text and "Uomo3" in text
    programme.organisation.hide_names_in_lists = True
    programme.organisation.save(update_fields=["hide_names_in_lists"])
    text = client.get(url("programmes:group_detail", group_id=group.pk)).content.decode()
    assert men[0].reference in text and "Uomo3" not in text


def test_the_group_page_is_out_of_reach_for_others(network):
    programme = Programme()
    group = make_group(programme, facilitators=[programme.facilitator])
    assert get(programme.facilitator, "programmes:group_detail", group_id=group.pk).status_code == 200
    for user in (programme.cofacilitator, programme.partner_worker, Programme("else").coordinator, network.outsider):
        assert_denied(get(user, "programmes:group_detail", group_id=group.pk))
    assert_denied(get(programme.coordinator, "programmes:group_detail", group_id=999999))


def test_facilitators_and_men_are_managed_by_the_coordinator(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.WAITING)
    group = make_group(programme, facilitators=[programme.facilitator])
    response = post(programme.coordinator, "programmes:group_facilitator_add", {"user": programme.cofacilitator.pk},
                    group_id=group.pk)
    assert response.status_code == 302
    assert_denied(post(programme.facilitator, "programmes:group_member_add", {"enrolment": man.pk,
                                                                              "joined_on": timezone.localdate().isoformat()},
                       group_id=group.pk))
    response = post(programme.coordinator, "programmes:group_member_add",
                    {"enrolment": man.pk, "joined_on": timezone.localdate().isoformat(), "start_now": "on",
                     "reason": "Starts with the Tuesday group."}, group_id=group.pk)
    assert response.status_code == 302
    man.refresh_from_db()
    assert man.state == EnrolmentState.ACTIVE
    member = GroupMember.objects.get(group=group, enrolment=man)
    row = GroupFacilitator.objects.get(group=group, user=programme.cofacilitator)
    assert post(programme.coordinator, "programmes:group_facilitator_end", group_id=group.pk,
                group_facilitator_id=row.pk).status_code == 302
    bad = post(programme.coordinator, "programmes:group_member_remove",
               {"left_on": (timezone.localdate() - datetime.timedelta(days=400)).isoformat()}, group_id=group.pk,
               group_member_id=member.pk)
    assert bad.status_code == 400
    assert post(programme.coordinator, "programmes:group_member_remove", {"left_on": timezone.localdate().isoformat()},
                group_id=group.pk, group_member_id=member.pk).status_code == 302
    assert_denied(post(programme.coordinator, "programmes:group_member_remove", {"left_on": timezone.localdate().isoformat()},
                       group_id=group.pk, group_member_id=member.pk))
    assert get(programme.coordinator, "programmes:group_member_add", group_id=group.pk).status_code == 405


def test_a_full_group_refuses_with_her_entries_kept(network):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(2)]
    group = make_group(programme, members=men[:1])
    Group.objects.filter(pk=group.pk).update(capacity=1)
    response = post(programme.coordinator, "programmes:group_member_add",
                    {"enrolment": men[1].pk, "joined_on": "2031-01-02", "reason": "A reason to keep"}, group_id=group.pk)
    assert response.status_code == 400
    text = response.content.decode()
    assert "The group is full" in text and "2031-01-02" in text and "A reason to keep" in text


def test_the_schedule_and_one_more_session_from_the_page(network):
    programme = Programme()
    group = make_group(programme, facilitators=[programme.facilitator])
    refused = post(programme.facilitator, "programmes:group_schedule_generate", group_id=group.pk)
    assert refused.status_code == 400 and "last session" in refused.content.decode()
    Group.objects.filter(pk=group.pk).update(ends_on=group.starts_on + datetime.timedelta(days=13))
    assert post(programme.facilitator, "programmes:group_schedule_generate", group_id=group.pk).status_code == 302
    assert Session.objects.filter(group=group).count() == 4
    assert_denied(post(programme.cofacilitator, "programmes:group_schedule_generate", group_id=group.pk))
    day = group.starts_on + datetime.timedelta(days=(5 - group.starts_on.isoweekday()) % 7)  # a Friday
    response = post(programme.facilitator, "programmes:group_session_add",
                    {"date": day.isoformat(), "time": "18:30", "duration_minutes": "120", "topic": "Make-up"}, group_id=group.pk)
    assert response.status_code == 302 and Session.objects.filter(group=group).count() == 5
    again = post(programme.facilitator, "programmes:group_session_add",
                 {"date": day.isoformat(), "time": "10:00", "duration_minutes": "120", "topic": "Twice the same day"},
                 group_id=group.pk)
    assert again.status_code == 400 and "Twice the same day" in again.content.decode()
