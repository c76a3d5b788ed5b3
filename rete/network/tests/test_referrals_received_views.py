"""The receiver's pages: the inbox, a referral's page (the package only), the answers, the case
opened from a referral, the start-page panel and navigation, and protocol compliance."""
import datetime

import pytest
from django.utils import timezone

from rete.cases.models import Case
from rete.conftest import assert_denied, client_for, make_organisation, make_user, url
from rete.core.models import AuditEvent, Role
from rete.network.models import Referral, ReferralEvent, ReferralStatus
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import give_consent, referral_setup, withdraw_consent
from rete.network.tests.test_referrals_sentinel import S, fill_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(network):
    version, pathway, case = referral_setup(network)
    give_consent(network, case)
    return version, pathway, case


@pytest.fixture
def officer(network):
    return network["other_police_officer"]


def send(network, case, **extra):
    values = {"to_organisation": network.other, "service": "police", "categories": ["identity", "contact"],
              "request": "Please protect her."}
    values.update(extra)
    return services.referral_send(by=network["caseworker"], case=case, **values)


def detail(user, referral):
    return client_for(user).get(url("network:referral_received_detail", referral_id=referral.pk))


# ---- ownership -------------------------------------------------------------------------------

def test_it_checks_ownership(network, setup, officer, client):
    _, _, case = setup
    referral = send(network, case)
    stranger = make_user("cw@third.example", roles=[Role.CASEWORKER, Role.POLICE_OFFICER],
                         organisation=make_organisation("third"))
    for user in (network["caseworker"], network["supervisor"], network["other_org_admin"], network["other_dpo"], stranger):
        assert_denied(detail(user, referral))
        for name in ("network:referral_accept", "network:referral_decline", "network:referral_feedback"):
            assert_denied(client_for(user).post(url(name, referral_id=referral.pk), {"reason": "other", "text": "x"}))
    assert_denied(client_for(network["other_org_admin"]).get(url("network:referral_inbox")))
    for name, kwargs in (("network:referral_inbox", {}), ("network:referral_received_detail", {"referral_id": referral.pk})):
        response = client.get(url(name, **kwargs))
        assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (officer, network["other_caseworker"], network["other_supervisor"]):
        assert detail(user, referral).status_code == 200
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_compliance_is_for_the_coordinators(network, setup):
    version, _, _ = setup
    page = url("network:protocol_compliance", protocol_id=version.protocol_id)
    assert client_for(network["network_coordinator"]).get(page).status_code == 200
    for user in (network["caseworker"], network["org_admin"], network["other_network_coordinator"], network["other_police_officer"]):
        assert_denied(client_for(user).get(page))
    detail_page = client_for(network["network_coordinator"]).get(
        url("network:protocol_detail", protocol_id=version.protocol_id)).content.decode()
    assert page in detail_page


# ---- the inbox -------------------------------------------------------------------------------

def test_the_inbox_lists_overdue_first_and_filters(network, setup, officer):
    _, _, case = setup
    first, second, third = (send(network, case) for _ in range(3))
    Referral.objects.filter(pk=second.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    services.referral_accept(by=officer, referral=third)
    page = client_for(officer).get(url("network:referral_inbox")).content.decode()
    assert page.index(second.reference) < page.index(first.reference) < page.index(third.reference)
    assert "Overdue" in page
    filtered = client_for(officer).get(url("network:referral_inbox") + "?status=accepted").content.decode()
    assert third.reference in filtered and first.reference not in filtered
    assert "Please protect her" not in page and "Maria" not in page
    # The sender's caseworker has no referral to her organisation: an empty list.
    empty = client_for(network["caseworker"]).get(url("network:referral_inbox"))
    assert empty.status_code == 200 and first.reference not in empty.content.decode()


def test_the_inbox_runs_a_fixed_number_of_queries(network, setup, officer, django_assert_max_num_queries):
    _, _, case = setup
    for _ in range(6):
        send(network, case)
    client = client_for(officer)
    with django_assert_max_num_queries(14):
        assert client.get(url("network:referral_inbox")).status_code == 200


def test_navigation_and_start_panel(network, setup, officer):
    _, _, case = setup
    send(network, case)
    start = client_for(officer).get(url("core:start")).content.decode()
    assert url("network:referral_inbox") in start
    assert "1 referral is waiting for your answer." in start
    admin_page = client_for(network["other_org_admin"]).get(url("core:start")).content.decode()
    assert url("network:referral_inbox") not in admin_page


# ---- a referral ------------------------------------------------------------------------------

def test_the_page_shows_the_package_only_sentinel(network, setup, officer):
    _, _, case = setup
    fill_case(case, network["caseworker"])
    referral = send(network, case, categories=["identity"])
    response = detail(officer, referral)
    page = response.content.decode()
    assert response.status_code == 200
    assert S not in page
    assert "Maria" in page and "Her identity (name, date of birth)" in page and "Please protect her." in page
    assert url("cases:case_detail", pk=case.pk) not in page and case.reference not in page


def test_shared_contact_is_shown_with_labels(network, setup, officer):
    _, _, case = setup
    from rete.cases.models import Person

    Person.objects.filter(pk=case.person_id).update(safe_phone="+39 333 000", code_word="girasole")
    referral = send(network, case)
    page = detail(officer, referral).content.decode()
    assert "How to contact her safely" in page and "Safe phone" in page and "girasole" in page


def test_opening_records_a_view_and_an_audit_event(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    detail(officer, referral)
    detail(officer, referral)
    assert ReferralEvent.objects.filter(referral=referral, kind="viewed", actor=officer).count() == 2
    assert AuditEvent.objects.filter(action="network.referral_viewed", actor=officer).count() == 2


def test_the_page_runs_a_fixed_number_of_queries(network, setup, officer, django_assert_max_num_queries):
    _, _, case = setup
    referral = send(network, case, categories=["identity", "contact", "risk"])
    for _ in range(5):
        detail(officer, referral)
    client = client_for(officer)
    with django_assert_max_num_queries(22):
        assert client.get(url("network:referral_received_detail", referral_id=referral.pk)).status_code == 200


def test_a_withdrawn_share_shows_a_banner_and_no_package(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    services.referral_withdraw(by=network["caseworker"], referral=referral, reason="She asked us to stop.")
    page = detail(officer, referral).content.decode()
    assert "Sharing stopped" in page and "the sender withdrew this share" in page
    assert "Maria" not in page and "She asked us to stop." not in page


def test_a_withdrawn_consent_shows_a_banner(network, officer):
    _, _, case = referral_setup(network)
    consent = give_consent(network, case)
    referral = send(network, case)
    withdraw_consent(network, case, consent)
    page = detail(officer, Referral.objects.get(pk=referral.pk)).content.decode()
    assert "Sharing stopped" in page and "she withdrew her consent" in page and "Maria" not in page


# ---- the answers -----------------------------------------------------------------------------

def test_accept_then_feedback(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    client = client_for(officer)
    response = client.post(url("network:referral_accept", referral_id=referral.pk), {"seen": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by == officer
    page = detail(officer, referral).content.decode()
    assert "Send feedback" in page and "?from_referral=%d" % referral.pk in page
    response = client.post(url("network:referral_feedback", referral_id=referral.pk), {"seen": referral.version, "text": ""})
    assert response.status_code == 400
    response = client.post(url("network:referral_feedback", referral_id=referral.pk),
                           {"seen": referral.version, "text": "Report taken, patrol arranged."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.feedback == "Report taken, patrol arranged."
    assert "Report taken" not in str(AuditEvent.objects.filter(action="network.referral_feedback").get().detail)


def test_decline_needs_a_reason(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    client = client_for(officer)
    response = client.post(url("network:referral_decline", referral_id=referral.pk), {"seen": referral.version, "reason": ""})
    assert response.status_code == 400 and "Why do you decline?" in response.content.decode()
    response = client.post(url("network:referral_decline", referral_id=referral.pk),
                           {"seen": referral.version, "reason": "no_capacity", "note": "Full this week."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "no_capacity" and referral.package == {}
    page = detail(officer, referral).content.decode()
    assert "No capacity at the moment" in page and "Maria" not in page


def test_a_stale_or_refused_action_shows_the_page_again(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    client = client_for(officer)
    stale = client.post(url("network:referral_accept", referral_id=referral.pk), {"seen": referral.version - 1})
    assert stale.status_code == 409
    services.referral_accept(by=officer, referral=referral)
    referral.refresh_from_db()
    again = client.post(url("network:referral_accept", referral_id=referral.pk), {"seen": referral.version})
    assert again.status_code == 400 and "cannot be changed now" in again.content.decode()
    assert client.get(url("network:referral_accept", referral_id=referral.pk)).status_code == 405


# ---- a case opened from a referral -----------------------------------------------------------

def test_the_intake_is_prefilled_and_linked(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    client = client_for(officer)
    intake = url("cases:intake") + f"?from_referral={referral.pk}"
    assert_denied(client.get(intake))  # not accepted yet
    services.referral_accept(by=officer, referral=referral)
    response = client.get(intake)
    assert response.status_code == 200 and 'value="Maria"' in response.content.decode()
    assert_denied(client_for(network["caseworker"]).get(intake))
    form = response.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"given_name": "Maria", "confirm_new": "on"})
    response = client.post(intake, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral.refresh_from_db()
    assert referral.receiver_case is not None and referral.receiver_case.organisation_id == network.other.pk
    assert ReferralEvent.objects.filter(referral=referral, kind="case_opened").exists()
    assert Case.objects.filter(organisation=network.other).count() == 1


# ---- compliance ------------------------------------------------------------------------------

def test_compliance_numbers(network, setup, officer, django_assert_max_num_queries):
    version, pathway, case = setup
    now = timezone.now()
    referrals = [send(network, case, pathway=pathway, service=pathway.service) for _ in range(4)]
    services.referral_accept(by=officer, referral=referrals[0])
    services.referral_decline(by=officer, referral=referrals[1], reason="no_capacity")
    services.referral_decline(by=officer, referral=referrals[2], reason="no_capacity")
    Referral.objects.filter(pk=referrals[2].pk).update(answered_at=now + datetime.timedelta(days=5))
    send(network, case)  # without a pathway
    client = client_for(network["network_coordinator"])
    with django_assert_max_num_queries(14):
        response = client.get(url("network:protocol_compliance", protocol_id=version.protocol_id))
    rows = {row["pathway"].pk if row["pathway"] else None: row for row in response.context["rows"]}
    row = rows[pathway.pk]
    assert (row["sent"], row["answered"], row["within_limit"], row["declined"]) == (4, 3, 2, 2)
    assert row["reasons"] == [("No capacity at the moment", 2)]
    assert rows[None]["sent"] == 1
    page = response.content.decode()
    assert "No capacity at the moment: 2" in page and "Maria" not in page and "Please protect her" not in page
