import pytest

from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import Role
from rete.network.models import Referral, ReferralStatus, SharingRule
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import give_consent, referral_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(network):
    return referral_setup(network)


def form_data(network, **extra):
    values = {"to_organisation": network.other.pk, "service": "police", "categories": ["identity", "risk"],
              "request": "Please call her back this afternoon.", "send": "1"}
    values.update(extra)
    return values


def send(network, case, **extra):
    values = {"to_organisation": network.other, "service": "police", "categories": ["identity"],
              "request": "Please protect her."}
    values.update(extra)
    return services.referral_send(by=network["caseworker"], case=case, **values)


def test_it_checks_ownership(network, setup, client):
    version, pathway, case = setup
    give_consent(network, case)
    referral = send(network, case)
    network.home.org_wide_visibility = False
    network.home.save(update_fields=["org_wide_visibility"])
    stranger = make_user("cw2@home.example", roles=[Role.CASEWORKER], organisation=network.home)
    pages = [url("network:referral_new", case_id=case.pk), url("network:referral_sent_detail", referral_id=referral.pk)]
    for user in (stranger, network["other_caseworker"], network.outsider, network.superuser):
        for page in pages:
            assert_denied(client_for(user).get(page))
        assert_denied(client_for(user).post(url("network:referral_withdraw", referral_id=referral.pk), {"reason": "x"}))
    for page in pages:
        assert client.get(page).status_code == 302
    # The receiver does not get the sender's view.
    assert_denied(client_for(network["other_caseworker"]).get(pages[1]))
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    for page in pages:
        assert client_for(network["caseworker"]).get(page).status_code == 200


def test_the_form_offers_the_protocol_and_sends(network, setup):
    version, pathway, case = setup
    give_consent(network, case)
    worker = client_for(network["caseworker"])
    page = worker.get(url("network:referral_new", case_id=case.pk)).content.decode()
    assert f">{network.other}<" in page and "Percorso 1" in page and "answer within 1 day" in page
    response = worker.post(url("network:referral_new", case_id=case.pk), form_data(network))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == url("network:referral_sent_detail", referral_id=referral.pk)
    assert referral.categories == ["identity", "risk"] and not referral.emergency
    detail = worker.get(response.url).content.decode()
    assert "Maria" in detail and "Please call her back" in detail  # the package as sent, her own case data
    case_page = worker.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert referral.reference in case_page and url("network:referral_new", case_id=case.pk) in case_page


def test_applying_a_pathway_fills_the_service_and_urgency(network, setup):
    version, pathway, case = setup
    worker = client_for(network["caseworker"])
    response = worker.post(url("network:referral_new", case_id=case.pk),
                           {"pathway": pathway.pk, "to_organisation": network.other.pk, "request": "Help",
                            "apply_pathway": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()
    assert '<option value="shelter" selected>' in page and 'name="urgent" id="id_urgent" checked' in page
    assert "Help" in page


def test_without_a_protocol_she_is_told(network):
    from rete.cases.tests.helpers import open_case

    case = open_case(network["caseworker"], network.home)
    worker = client_for(network["caseworker"])
    assert "no protocol in force" in worker.get(url("network:referral_new", case_id=case.pk)).content.decode()
    response = worker.post(url("network:referral_new", case_id=case.pk), form_data(network))
    page = response.content.decode()
    assert response.status_code == 400 and "party to a protocol in force" in page
    assert "Please call her back this afternoon." in page and not Referral.objects.exists()


def test_a_category_the_protocol_does_not_allow_is_refused(network, setup):
    version, pathway, case = setup
    give_consent(network, case)
    response = client_for(network["caseworker"]).post(url("network:referral_new", case_id=case.pk),
                                                      form_data(network, categories=["identity", "children"]))
    page = response.content.decode()
    assert response.status_code == 400 and "The protocol does not allow sharing this" in page
    assert "Children and dependants" in page and "Please call her back this afternoon." in page
    assert not Referral.objects.exists()


def test_without_consent_it_is_refused_unless_an_emergency(network, setup):
    version, pathway, case = setup
    worker = client_for(network["caseworker"])
    response = worker.post(url("network:referral_new", case_id=case.pk), form_data(network))
    page = response.content.decode()
    assert response.status_code == 400 and "She has not given consent to share" in page
    assert "Please call her back this afternoon." in page and not Referral.objects.exists()
    response = worker.post(url("network:referral_new", case_id=case.pk), form_data(network, emergency_reason="now"))
    assert response.status_code == 400 and "at least a sentence" in response.content.decode()
    response = worker.post(url("network:referral_new", case_id=case.pk),
                           form_data(network, emergency_reason="He is at the door with a knife right now."))
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.emergency and referral.consent is None
    page = worker.get(response.url).content.decode()
    assert "Sent without her consent in an emergency" in page and "with a knife" in page


def test_an_invalid_form_keeps_what_she_typed(network, setup):
    version, pathway, case = setup
    response = client_for(network["caseworker"]).post(url("network:referral_new", case_id=case.pk),
                                                      form_data(network, categories=[], service=""))
    page = response.content.decode()
    assert response.status_code == 400 and "Choose the service you ask for" in page
    assert "Please call her back this afternoon." in page


def test_withdraw(network, setup):
    version, pathway, case = setup
    give_consent(network, case)
    referral = send(network, case)
    worker = client_for(network["caseworker"])
    response = worker.post(url("network:referral_withdraw", referral_id=referral.pk), {"reason": "  "})
    assert response.status_code == 400 and "Say why the share is withdrawn" in response.content.decode()
    response = worker.post(url("network:referral_withdraw", referral_id=referral.pk), {"reason": "She asked us to."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.package == {}
    page = worker.get(response.url).content.decode()
    assert "The share was withdrawn" in page and "Withdraw the share</button>" not in page
    response = worker.post(url("network:referral_withdraw", referral_id=referral.pk), {"reason": "again"})
    assert response.status_code == 400 and "cannot be changed now" in response.content.decode()
    assert client_for(network["caseworker"]).get(url("network:referral_withdraw", referral_id=referral.pk)).status_code == 405


def test_pages_run_a_fixed_number_of_queries(network, setup, django_assert_max_num_queries):
    version, pathway, case = setup
    give_consent(network, case)
    SharingRule.objects.filter(version=version).update(
        categories=["identity", "contact", "risk", "incidents", "children", "perpetrator", "justice", "services"])
    worker = client_for(network["caseworker"])
    referrals = [send(network, case, categories=["identity", "contact", "incidents", "justice"]) for _ in range(4)]
    with django_assert_max_num_queries(45) as few_case:
        worker.get(url("cases:case_detail", pk=case.pk))
    with django_assert_max_num_queries(30) as few_detail:
        worker.get(url("network:referral_sent_detail", referral_id=referrals[0].pk))
    with django_assert_max_num_queries(30) as few_form:
        worker.get(url("network:referral_new", case_id=case.pk))
    for _ in range(4):
        services.referral_withdraw(by=network["caseworker"], referral=send(network, case), reason="test")
    with django_assert_max_num_queries(len(few_case)):
        worker.get(url("cases:case_detail", pk=case.pk))
    with django_assert_max_num_queries(len(few_detail)):
        worker.get(url("network:referral_sent_detail", referral_id=referrals[-1].pk))
    with django_assert_max_num_queries(len(few_form)):
        worker.get(url("network:referral_new", case_id=case.pk))
