"""Who sees which pilot (rete.learning.selectors.pilots): the piloting organisation all of its
pilots; whoever sees the practice its completed pilots (the evidence); the practice owner's
members and the deciders its running pilots too; nobody else (404). Which practice may be
piloted, the practice page's evidence and the public evidence."""
import datetime

import pytest

from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.learning.models import PilotStatus, PracticeStatus
from rete.learning.selectors import pilots as selectors
from rete.learning.services import pilots as services
from rete.learning.services import practices as practice_services
from rete.learning.tests.factories import make_practice
from rete.learning.tests.policy_values import published_practice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 9, 1)
MEASURED = {"name": "Safety (mean, 1–5)", "measured_among": "clients", "higher_is_better": True, "pre_value": "2.5",
            "pre_n": 20, "post_value": "3.5", "post_n": 18}


def pilot(network, practice, status, *, by=None, organisation=None, indicators=(MEASURED,)):
    by = by or network["other_caseworker"]
    made = services.pilot_start(by=by, practice=practice, organisation=organisation or network.other, starts_on=TODAY,
                                ends_on=TODAY + datetime.timedelta(days=60), indicators=list(indicators))
    if status in (PilotStatus.RUNNING, PilotStatus.COMPLETED):
        made = services.pilot_set_running(by=by, pilot=made)
    if status == PilotStatus.COMPLETED:
        made = services.pilot_complete(by=by, pilot=made, version=made.version, result_summary="It worked.",
                                       conclusion="confirmed")
    if status == PilotStatus.ABANDONED:
        made = services.pilot_abandon(by=by, pilot=made, reason="No staff.")
    return made


def visible(user, pilots) -> set:
    seen = set()
    for item in pilots:
        try:
            selectors.pilot_get(user=user, pk=item.pk)
        except Exception as exc:  # noqa: BLE001
            assert type(exc).__name__ == "Http404"
        else:
            seen.add(item.status)
    return seen


@pytest.fixture
def third(network):
    """A third organisation, with a trainer and a network coordinator."""
    org = make_organisation("third", country="BG", name="Third Centre")
    return {"org": org, "trainer": make_user("trainer@third.example", roles=[Role.TRAINER], organisation=org),
            "coordinator": make_user("nc@third.example", roles=[Role.NETWORK_COORDINATOR], organisation=org)}


def test_who_sees_each_pilot_of_a_published_practice(network, third):
    practice = published_practice(network)
    pilots = [pilot(network, practice, status) for status in PilotStatus.values]
    everything = set(PilotStatus.values)
    assert visible(network["other_caseworker"], pilots) == everything  # the piloting organisation
    assert visible(network["other_dpo"], pilots) == {PilotStatus.COMPLETED}  # sees the practice, not a pilot member
    assert visible(network["caseworker"], pilots) == {PilotStatus.COMPLETED, PilotStatus.RUNNING}  # the owner's member
    assert visible(network["network_coordinator"], pilots) == {PilotStatus.COMPLETED, PilotStatus.RUNNING}
    assert visible(third["trainer"], pilots) == {PilotStatus.COMPLETED}
    assert visible(third["coordinator"], pilots) == {PilotStatus.COMPLETED, PilotStatus.RUNNING}  # a decider
    assert visible(network.superuser, pilots) == set()
    assert visible(network["dpo"], pilots) == {PilotStatus.COMPLETED}
    # Only the piloting organisation's members may change it.
    assert selectors.pilot_get(user=network["other_supervisor"], pk=pilots[0].pk).may_manage
    assert not selectors.pilot_get(user=network["caseworker"], pk=pilots[2].pk).may_manage
    with pytest.raises(Exception) as denied:
        selectors.pilot_manage_get(user=network["caseworker"], pk=pilots[2].pk)
    assert denied.typename == "Http404"


def test_the_evidence_of_a_practice_not_yet_published_follows_the_practice(network, third):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home)
    practice_services.practice_submit(by=owner, practice=practice)
    done = pilot(network, practice, PilotStatus.COMPLETED, by=owner, organisation=network.home)
    assert visible(network["other_trainer"], [done]) == {PilotStatus.COMPLETED}  # a reviewer sees the practice
    assert visible(network["other_caseworker"], [done]) == set()
    assert visible(third["trainer"], [done]) == {PilotStatus.COMPLETED}


def test_the_list_is_her_organisations_pilots(network):
    practice = published_practice(network)
    theirs = pilot(network, practice, PilotStatus.PLANNED)
    ours = pilot(network, practice, PilotStatus.RUNNING, by=network["supervisor"], organisation=network.home)
    assert list(selectors.pilot_list(user=network["caseworker"])) == [ours]
    assert list(selectors.pilot_list(user=network["other_trainer"])) == [theirs]
    assert list(selectors.pilot_list(user=network["other_trainer"], status=PilotStatus.RUNNING)) == []
    assert selectors.pilot_list(user=network["other_trainer"]).get().indicator_count == 1
    assert list(selectors.pilot_list(user=network["dpo"])) == []
    assert list(selectors.pilot_list(user=network.superuser)) == []


def test_which_practice_may_be_piloted_and_where(network):
    owner = network["caseworker"]
    draft = make_practice(owner, network.home)
    for who in (owner, network["other_caseworker"]):
        with pytest.raises(Exception) as denied:
            selectors.practice_for_pilot(user=who, pk=draft.pk)
        assert denied.typename == "Http404"
    practice_services.practice_submit(by=owner, practice=draft)
    practice, organisations = selectors.practice_for_pilot(user=owner, pk=draft.pk)
    assert organisations == [network.home]
    with pytest.raises(Exception):
        selectors.practice_for_pilot(user=network["other_trainer"], pk=draft.pk)  # sees it, may not pilot it
    published = published_practice(network)
    assert selectors.practice_for_pilot(user=network["other_caseworker"], pk=published.pk)[1] == [network.other]
    for who in (network["dpo"], network.superuser):
        with pytest.raises(Exception):
            selectors.practice_for_pilot(user=who, pk=published.pk)


def test_the_practice_page_evidence_in_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    practice = published_practice(network)
    reader = network["trainer"]
    pilot(network, practice, PilotStatus.COMPLETED)
    pilot(network, practice, PilotStatus.RUNNING)
    with django_assert_max_num_queries(6):
        evidence = selectors.practice_evidence(user=reader, practice=practice)
    assert len(evidence["completed"]) == 1 and evidence["running_count"] == 1 and evidence["may_start"]
    assert evidence["completed"][0].shown_indicators[0].change.direction == "improved"
    assert evidence["completed"][0].summary["improved"] == 1
    for _index in range(5):
        pilot(network, practice, PilotStatus.COMPLETED, indicators=[MEASURED, MEASURED])
    mine = pilot(network, practice, PilotStatus.ABANDONED, by=reader, organisation=network.home)
    with django_assert_max_num_queries(6):
        evidence = selectors.practice_evidence(user=reader, practice=practice)
    assert len(evidence["completed"]) == 6 and evidence["mine"] == [mine]
    assert selectors.practice_evidence(user=network.superuser, practice=practice) is None
    assert selectors.practice_evidence(user=reader, practice=make_practice(reader, network.home)) is None
    assert not selectors.practice_evidence(user=network["dpo"], practice=practice)["may_start"]


def test_the_public_evidence_is_completed_pilots_of_public_practices_only(network, django_assert_max_num_queries):
    public = published_practice(network, public=True)
    private = published_practice(network)
    done = pilot(network, public, PilotStatus.COMPLETED)
    pilot(network, public, PilotStatus.RUNNING)
    pilot(network, private, PilotStatus.COMPLETED)
    with django_assert_max_num_queries(2):
        shown = selectors.completed_pilots_for_public(public)
    assert shown == [done] and shown[0].shown_indicators[0].change.relative == 40
    assert selectors.completed_pilots_for_public([public.pk, private.pk]) == [done]
    assert selectors.completed_pilots_for_public(private.pk) == []
    assert selectors.completed_pilots_for_public([]) == []
    from django.db import transaction

    with transaction.atomic():
        row = practice_services.locked(network["network_coordinator"], public)
        practice_services.practice_transition(by=network["network_coordinator"], row=row,
                                              to_status=PracticeStatus.WITHDRAWN)
    assert selectors.completed_pilots_for_public(public) == []
