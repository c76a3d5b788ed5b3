"""Property test over generated sequences of give / withdraw consent / refer / accept /
decline: the consent rules hold whatever the order."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rete.cases.models import Consent
from rete.cases.tests.helpers import open_case
from rete.core.services import ServiceError
from rete.network.models import LegalBasis, Referral, ReferralStatus
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import give_consent, referral_setup, withdraw_consent

pytestmark = pytest.mark.django_db

OPERATIONS = st.lists(st.sampled_from(["give", "withdraw", "refer", "refer_emergency", "accept", "decline"]),
                      min_size=1, max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_consent_invariants(network, operations):
    # One network for all examples; each example works on a fresh case.
    if network.other.kinds != ["police"]:  # the protocol, once
        referral_setup(network)
    case = open_case(network["caseworker"], network.home)
    receiver = network["other_caseworker"]
    final = {}
    for op in operations:
        active = Consent.objects.filter(case=case, withdrawn_on__isnull=True).exists()
        if op == "give":
            give_consent(network, case)
        elif op == "withdraw":
            consent = Consent.objects.filter(case=case, withdrawn_on__isnull=True).first()
            if consent:
                withdraw_consent(network, case, consent)
        elif op.startswith("refer"):
            try:
                referral = services.referral_send(
                    by=network["caseworker"], case=case, to_organisation=network.other, service="police",
                    categories=["identity"], request="r",
                    emergency_reason="Immediate danger tonight." if op == "refer_emergency" else "")
            except ServiceError:
                assert not active and op == "refer"
            else:
                assert active or referral.emergency
                assert referral.emergency == (not active)
        else:
            referral = Referral.objects.filter(case=case, status=ReferralStatus.SENT).order_by("pk").first()
            if referral:
                if op == "accept":
                    services.referral_accept(by=receiver, referral=referral)
                else:
                    services.referral_decline(by=receiver, referral=referral, reason="other")
        for referral in Referral.objects.filter(case=case):
            if referral.pk in final:
                assert referral.status == final[referral.pk]
            if referral.status in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
                final[referral.pk] = referral.status
            if referral.legal_basis == LegalBasis.CONSENT and not referral.emergency:
                assert referral.consent is not None
                if referral.consent.withdrawn_on is not None:
                    assert referral.package == {} and referral.consent_withdrawn_at is not None

