import datetime

import pytest
from django.http import Http404

from rete.network.models import Referral
from rete.network.selectors import referrals as selectors
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import give_consent, referral_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(network):
    version, pathway, case = referral_setup(network)
    give_consent(network, case)
    referrals = [services.referral_send(by=network["caseworker"], case=case, to_organisation=network.other,
                                        service=pathway.service, pathway=pathway, categories=["identity"], request="r")
                 for _ in range(3)]
    return version, case, referrals


def test_inbox_and_outbox_are_bounded(network, sent, django_assert_max_num_queries):
    version, case, referrals = sent
    Referral.objects.filter(pk=referrals[0].pk).update(due_at=referrals[0].sent_at - datetime.timedelta(hours=1))
    with django_assert_max_num_queries(3):
        inbox = selectors.referral_inbox(user=network["other_caseworker"])
    assert len(inbox) == 3 and inbox[0].overdue and not inbox[1].overdue
    assert selectors.referral_inbox(user=network["other_org_admin"]) == []
    assert selectors.referral_inbox(user=network["caseworker"]) == []
    assert len(selectors.referral_inbox(user=network["other_caseworker"], status="declined")) == 0
    with django_assert_max_num_queries(4):
        assert len(selectors.referrals_of_case(user=network["caseworker"], case=case)) == 3


def test_only_the_receiver_and_the_sender_get_a_referral(network, sent):
    _, case, referrals = sent
    pk = referrals[0].pk
    got = selectors.referral_get_for_receiver(user=network["other_caseworker"], referral_id=pk)
    assert got.package["identity"]["given_name"] == "Maria"
    assert selectors.referral_get_for_sender(user=network["caseworker"], referral_id=pk).pk == pk
    for user in (network["caseworker"], network["other_org_admin"], network.outsider):
        with pytest.raises(Http404):
            selectors.referral_get_for_receiver(user=user, referral_id=pk)
    for user in (network["other_caseworker"], network.outsider):
        with pytest.raises(Http404):
            selectors.referral_get_for_sender(user=user, referral_id=pk)
    with pytest.raises(Http404):
        selectors.referral_get_for_receiver(user=network["other_caseworker"], referral_id="x")


def test_protocol_compliance_counts_without_personal_data(network, sent, django_assert_max_num_queries):
    version, case, referrals = sent
    services.referral_accept(by=network["other_caseworker"], referral=referrals[0])
    services.referral_decline(by=network["other_caseworker"], referral=referrals[1], reason="no_capacity")
    with django_assert_max_num_queries(4):
        rows = selectors.protocol_compliance(user=network["network_coordinator"], protocol=version.protocol)
    row = next(r for r in rows if r["pathway"] is not None and r["sent"])
    assert (row["sent"], row["answered"], row["within_limit"], row["declined"]) == (3, 2, 2, 1)
    assert row["declined_reasons"] == {"no_capacity": 1} and row["median_hours"] is not None
    assert "Maria" not in str(rows)
    with pytest.raises(Http404):
        selectors.protocol_compliance(user=network["caseworker"], protocol=version.protocol)
