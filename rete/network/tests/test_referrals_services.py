import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from rete.cases import selectors as case_selectors
from rete.core.models import AuditEvent, Organisation
from rete.core.services import ServiceError
from rete.network.models import Referral, ReferralEvent, ReferralStatus
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import give_consent, referral_setup, withdraw_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(network):
    return referral_setup(network)


def send(network, case, **extra):
    values = {"to_organisation": network.other, "service": "police", "categories": ["identity"],
              "request": "Please protect her."}
    values.update(extra)
    return services.referral_send(by=network["caseworker"], case=case, **values)


def test_options_list_the_protocol_and_the_other_party(network, setup):
    version, pathway, case = setup
    options = services.referral_options(by=network["caseworker"], case=case)
    assert [o["version"].pk for o in options] == [version.pk]
    assert [r["organisation"].pk for r in options[0]["receivers"]] == [network.other.pk]
    assert options[0]["pathways"][0]["time_limit_hours"] == 24


def test_a_referral_with_consent_goes_and_is_audited(network, setup):
    version, pathway, case = setup
    consent = give_consent(network, case)
    referral = send(network, case, categories=["identity", "contact"])
    assert referral.status == ReferralStatus.SENT and referral.consent == consent and not referral.emergency
    assert referral.package["identity"]["given_name"] == "Maria" and set(referral.package) == {"identity", "contact"}
    assert referral.protocol_version_id == version.pk
    assert referral.due_at - referral.sent_at == datetime.timedelta(hours=services.DEFAULT_DUE_HOURS)
    event = AuditEvent.objects.get(action="network.referral_sent")
    assert event.detail["categories"] == ["identity", "contact"] and event.organisation_id == network.home.pk
    assert ReferralEvent.objects.filter(referral=referral, kind="sent").exists()
    assert case.activities.filter(kind="referral").exists()


def test_agency_consent_by_name_covers_the_receiver(network, setup):
    _, _, case = setup
    give_consent(network, case, sector="", agency=network.other.name.upper())
    assert send(network, case).consent is not None


def test_pathway_sets_the_due_time_and_must_lead_to_the_service(network, setup):
    _, pathway, case = setup
    give_consent(network, case)
    with pytest.raises(ServiceError, match="another service"):
        send(network, case, pathway=pathway, service="police")
    referral = send(network, case, pathway=pathway, service=pathway.service)
    assert referral.due_at - referral.sent_at == datetime.timedelta(hours=24) and referral.urgent


def test_refusals(network, setup):
    _, _, case = setup
    give_consent(network, case)
    stranger = Organisation.objects.create(slug="stranger", name="Stranger Police", short_name="SP", country="IT",
                                           kinds=["police"], languages=["it"])
    with pytest.raises(ServiceError, match="no protocol in force"):
        send(network, case, to_organisation=stranger)
    with pytest.raises(ServiceError, match="does not allow"):
        send(network, case, categories=["incidents"])
    with pytest.raises(ServiceError, match="another organisation"):
        send(network, case, to_organisation=network.home)
    assert not Referral.objects.exists()


def test_without_consent_it_is_refused_with_the_reason(network, setup):
    _, _, case = setup
    with pytest.raises(ServiceError, match="not given consent"):
        send(network, case)
    consent = give_consent(network, case, sector="health")  # another sector
    with pytest.raises(ServiceError, match="not given consent"):
        send(network, case)
    assert consent and not Referral.objects.exists()


def test_an_emergency_goes_without_consent_and_the_dpos_are_told_after_commit(network, setup, mailoutbox,
                                                                              django_capture_on_commit_callbacks):
    _, _, case = setup
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = send(network, case, emergency_reason="He is at the door with a knife, SENTINEL-REASON.")
    assert referral.emergency and referral.consent is None
    assert not mailoutbox
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[network["dpo"].email]]
    assert referral.reference in mailoutbox[0].subject
    assert "SENTINEL-REASON" not in mailoutbox[0].body
    assert "SENTINEL" not in str(AuditEvent.objects.get(action="network.referral_sent").detail)


def test_the_receiver_answers_and_never_reads_the_case(network, setup):
    _, _, case = setup
    give_consent(network, case)
    referral = send(network, case)
    receiver = network["other_caseworker"]
    with pytest.raises(Http404):
        case_selectors.case_get(user=receiver, pk=case.pk)
    with pytest.raises(Http404):
        services.referral_accept(by=network["caseworker"], referral=referral)  # the sender is not the receiver
    with pytest.raises(Http404):
        services.referral_accept(by=network["other_org_admin"], referral=referral)  # no case role
    referral = services.referral_accept(by=receiver, referral=referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by == receiver
    with pytest.raises(ServiceError):
        services.referral_decline(by=receiver, referral=referral, reason="no_capacity")
    referral = services.referral_feedback(by=receiver, referral=referral, text="She is safe now.")
    assert referral.status == ReferralStatus.CLOSED
    assert "safe" not in str(AuditEvent.objects.get(action="network.referral_feedback").detail)


def test_decline_needs_a_reason(network, setup):
    _, _, case = setup
    give_consent(network, case)
    referral = send(network, case)
    with pytest.raises(ServiceError):
        services.referral_decline(by=network["other_caseworker"], referral=referral, reason="nope")
    referral = services.referral_decline(by=network["other_police_officer"], referral=referral, reason="no_capacity",
                                         note="Full this week")
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "no_capacity"
    referral.refresh_from_db()
    assert referral.package == {}  # an agency that declines keeps nothing of her case


def test_the_receiver_links_her_own_case(network, setup):
    from rete.cases.tests.helpers import open_case

    _, _, case = setup
    give_consent(network, case)
    referral = services.referral_accept(by=network["other_caseworker"], referral=send(network, case))
    own = open_case(network["other_caseworker"], network.other)
    with pytest.raises(Http404):
        services.referral_link_case(by=network["other_caseworker"], referral=referral, receiver_case=case)
    referral = services.referral_link_case(by=network["other_caseworker"], referral=referral, receiver_case=own)
    assert referral.receiver_case == own


def test_withdraw_clears_the_package(network, setup):
    _, _, case = setup
    give_consent(network, case)
    referral = send(network, case)
    with pytest.raises(Http404):
        services.referral_withdraw(by=network["other_caseworker"], referral=referral, reason="x")
    referral = services.referral_withdraw(by=network["caseworker"], referral=referral, reason="She asked us to.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.package == {} and referral.share_withdrawn_at
    with pytest.raises(ServiceError):
        services.referral_accept(by=network["other_caseworker"], referral=referral)


def test_a_consent_withdrawal_clears_the_package(network, setup):
    _, _, case = setup
    consent = give_consent(network, case)
    referral = send(network, case)
    withdraw_consent(network, case, consent)
    referral.refresh_from_db()
    assert referral.package == {} and referral.consent_withdrawn_at is not None
    assert ReferralEvent.objects.filter(referral=referral, kind="consent_withdrawn").exists()
    with pytest.raises(ServiceError, match="not given consent"):
        send(network, case)


def test_emergency_referrals_are_left_alone_by_another_consent_withdrawal(network, setup):
    _, _, case = setup
    referral = send(network, case, emergency_reason="Immediate danger tonight, she cannot be asked.")
    consent = give_consent(network, case, sector="health")
    withdraw_consent(network, case, consent)
    referral.refresh_from_db()
    assert referral.package != {}


def test_tick_reminds_once_a_day(network, setup, mailoutbox, django_capture_on_commit_callbacks):
    _, _, case = setup
    give_consent(network, case)
    referral = send(network, case)
    later = referral.due_at + datetime.timedelta(minutes=1)
    assert services.referral_tick(referral.due_at - datetime.timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=False):
        assert services.referral_tick(later) == 1
    assert services.referral_tick(later) == 0
    assert services.referral_tick(later + datetime.timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=False):
        assert services.referral_tick(later + datetime.timedelta(hours=25)) == 1
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.send_referral_reminder.call(referral.pk) >= 2
    recipients = {m.to[0] for m in mailoutbox}
    assert network["caseworker"].email in recipients and network["other_caseworker"].email in recipients
    assert network["other_org_admin"].email not in recipients
    assert all("Maria" not in m.body and "protect" not in m.body for m in mailoutbox)
