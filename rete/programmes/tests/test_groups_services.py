"""Groups (part "groups-sessions"): who may create and change them, places, facilitators and the
separation from the partner-support side, who sees which group."""
import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from rete.conftest import make_user
from rete.core.models import AuditEvent, Role
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import PartnerContactEvent
from rete.programmes.models import EnrolmentState, GroupFacilitator, GroupMember, StateChange
from rete.programmes.selectors import groups as selectors
from rete.programmes.services import groups as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db


def values(**extra):
    today = timezone.localdate()
    base = {"name": "Tuesday and Thursday group", "stage_kind": "group", "language": "it", "weekdays": [4, 2],
            "start_time": datetime.time(18, 30), "duration_minutes": 120, "starts_on": today,
            "ends_on": today + datetime.timedelta(weeks=22), "capacity": 12, "place": "Room 1", "status": "planned"}
    base.update(extra)
    return base


def on_partner_side(user, enrolment):
    """She read the partner-contact events of his enrolment: she works on his partner's side."""
    PartnerContactEvent.objects.filter(link__enrolment_id=enrolment.pk).update(seen_by=user, seen_at=timezone.now())


def test_a_coordinator_creates_a_group_others_cannot(network):
    programme = Programme()
    group = services.group_create(by=programme.coordinator, organisation=programme.organisation, **values())
    assert group.weekdays == [2, 4] and group.created_by == programme.coordinator
    event = AuditEvent.objects.get(action="programmes.group_created")
    assert "Tuesday" not in str(event.detail)
    with pytest.raises(Http404):
        services.group_create(by=programme.facilitator, organisation=programme.organisation, **values())
    other = Programme("else")
    with pytest.raises(Http404):
        services.group_create(by=other.coordinator, organisation=programme.organisation, **values())


@pytest.mark.parametrize("change, field", [
    ({"name": " "}, "name"), ({"weekdays": []}, "weekdays"), ({"weekdays": [8]}, "weekdays"),
    ({"stage_kind": "assessment"}, "stage_kind"), ({"language": "xx"}, "language"), ({"capacity": 0}, "capacity"),
    ({"duration_minutes": 5}, "duration_minutes"), ({"status": "done"}, "status"),
    ({"ends_on": timezone.localdate() - datetime.timedelta(days=1)}, "ends_on"),
])
def test_a_group_is_checked(network, change, field):
    programme = Programme()
    with pytest.raises(ServiceError) as refused:
        services.group_create(by=programme.coordinator, organisation=programme.organisation, **values(**change))
    assert refused.value.field == field


def test_a_stale_edit_is_refused(network):
    programme = Programme()
    group = services.group_create(by=programme.coordinator, organisation=programme.organisation, **values())
    services.group_update(by=programme.coordinator, group=group, version=group.version, **values(name="Renamed"))
    with pytest.raises(StaleEdit):
        services.group_update(by=programme.coordinator, group=group, version=1, **values(name="Again"))
    with pytest.raises(Http404):
        services.group_update(by=programme.facilitator, group=group, version=2, **values(name="Mine"))


def test_places_are_respected_and_only_men_in_the_programme_join(network):
    programme = Programme()
    group = services.group_create(by=programme.coordinator, organisation=programme.organisation, **values(capacity=2))
    first = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Uno")
    second = make_enrolment(programme, state=EnrolmentState.MOTIVATIONAL, given_name="Due")
    third = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Tre")
    assessing = make_enrolment(programme, state=EnrolmentState.ASSESSING, given_name="Quattro")
    with pytest.raises(ServiceError):
        services.member_place(by=programme.coordinator, group=group, enrolment=assessing)
    services.member_place(by=programme.coordinator, group=group, enrolment=first)
    with pytest.raises(ServiceError):
        services.member_place(by=programme.coordinator, group=group, enrolment=first)  # already in it
    services.member_place(by=programme.coordinator, group=group, enrolment=second)
    with pytest.raises(ServiceError) as full:
        services.member_place(by=programme.coordinator, group=group, enrolment=third)
    assert "full" in full.value.message
    with pytest.raises(ServiceError):  # fewer places than men
        group.refresh_from_db()
        services.group_update(by=programme.coordinator, group=group, version=group.version, **values(capacity=1))
    row = GroupMember.objects.get(group=group, enrolment=first)
    services.member_remove(by=programme.coordinator, group=group, member_id=row.pk)
    services.member_place(by=programme.coordinator, group=group, enrolment=third)
    assert GroupMember.objects.filter(group=group, left_on__isnull=True).count() == 2


def test_a_man_of_another_programme_cannot_join(network):
    programme, other = Programme(), Programme("else")
    group = services.group_create(by=programme.coordinator, organisation=programme.organisation, **values())
    stranger = make_enrolment(other, state=EnrolmentState.ACTIVE)
    with pytest.raises(Http404):
        services.member_place(by=programme.coordinator, group=group, enrolment=stranger)


def test_a_waiting_man_may_start_his_programme_when_placed(network):
    programme = Programme()
    group = services.group_create(by=programme.coordinator, organisation=programme.organisation, **values())
    waiting = make_enrolment(programme, state=EnrolmentState.WAITING)
    other = make_enrolment(programme, state=EnrolmentState.WAITING, given_name="Paolo")
    services.member_place(by=programme.coordinator, group=group, enrolment=waiting, start_now=True)
    services.member_place(by=programme.coordinator, group=group, enrolment=other)
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.state == EnrolmentState.ACTIVE and other.state == EnrolmentState.WAITING
    change = StateChange.objects.filter(enrolment=waiting, to_state=EnrolmentState.ACTIVE).get()
    assert group.name in change.reason


def test_facilitators_are_people_of_the_programme(network):
    programme = Programme()
    group = services.group_create(by=programme.coordinator, organisation=programme.organisation, **values())
    services.facilitator_add(by=programme.coordinator, group=group, user=programme.facilitator)
    services.facilitator_add(by=programme.coordinator, group=group, user=programme.cofacilitator)
    with pytest.raises(ServiceError):
        services.facilitator_add(by=programme.coordinator, group=group, user=programme.facilitator)
    with pytest.raises(ServiceError):
        services.facilitator_add(by=programme.coordinator, group=group, user=programme.partner_worker)
    row = GroupFacilitator.objects.get(group=group, user=programme.cofacilitator)
    services.facilitator_end(by=programme.coordinator, group=group, facilitator_id=row.pk)
    row.refresh_from_db()
    assert row.ended_at is not None
    with pytest.raises(Http404):
        services.facilitator_end(by=programme.coordinator, group=group, facilitator_id=row.pk)


def test_nobody_on_the_partner_side_facilitates_his_group(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)
    group = make_group(programme, members=[man], facilitators=[programme.facilitator])
    # A facilitator of the programme who also read his partner's events (e.g. she works for
    # both services) may not facilitate the group he is in.
    double = make_user("double@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    on_partner_side(double, man)
    with pytest.raises(ServiceError) as refused:
        services.facilitator_add(by=programme.coordinator, group=group, user=double)
    assert refused.value.field == "user"
    # ... and he may not be placed in a group she facilitates.
    second = make_group(programme, name="Wednesday group", facilitators=[double])
    with pytest.raises(ServiceError) as refused:
        services.member_place(by=programme.coordinator, group=second, enrolment=man)
    assert refused.value.field == "enrolment"
    assert not GroupMember.objects.filter(group=second).exists()


def test_who_sees_which_group(network):
    programme = Programme()
    mine = make_group(programme, name="Mine", facilitators=[programme.facilitator])
    theirs = make_group(programme, name="Theirs", facilitators=[programme.cofacilitator])
    assert {g.pk for g in selectors.group_list(user=programme.coordinator)} == {mine.pk, theirs.pk}
    assert {g.pk for g in selectors.group_list(user=programme.facilitator)} == {mine.pk}
    with pytest.raises(Http404):
        selectors.group_get(user=programme.facilitator, pk=theirs.pk)
    programme.organisation.org_wide_visibility = True
    programme.organisation.save(update_fields=["org_wide_visibility"])
    from rete.core.selectors import forget_memberships

    forget_memberships(programme.facilitator)
    facilitator = type(programme.facilitator).objects.get(pk=programme.facilitator.pk)
    seen = selectors.group_get(user=facilitator, pk=theirs.pk)
    assert not seen.may_manage and not seen.may_run
    for outsider in (Programme("else").coordinator, programme.partner_worker, network.superuser):
        with pytest.raises(Http404):
            selectors.group_get(user=outsider, pk=mine.pk)
