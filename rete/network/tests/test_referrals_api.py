"""/api/v1/referrals/: the receiver's inbox, a received referral with its package, the answers;
a case's referrals, sending one, a sent referral and its withdrawal. The same scoping and the
same services as the pages: outsiders get 404, anonymous calls 401."""
import pytest
from django.test import Client

from rete.cases.models import Person
from rete.conftest import assert_denied, client_for, make_organisation, make_user
from rete.core.models import AuditEvent, Role
from rete.network.models import Referral, ReferralEvent, ReferralStatus
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import give_consent, referral_setup

pytestmark = pytest.mark.django_db

BASE = "/api/v1/referrals/"


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


def post(user, path, data=None):
    return client_for(user).post(path, data or {}, content_type="application/json")


def stranger():
    return make_user("cw@third.example", roles=[Role.CASEWORKER, Role.POLICE_OFFICER],
                     organisation=make_organisation("third"))


# ---- ownership -------------------------------------------------------------------------------

def test_it_checks_ownership(network, setup):
    _, _, case = setup
    referral = send(network, case)
    intruder = stranger()
    received = [f"{BASE}received/{referral.pk}/"]
    answers = [f"{BASE}received/{referral.pk}/{action}/" for action in ("accept", "decline", "feedback")]
    # The sender's side: other organisations' people, and home people outside the case's team.
    for user in (network["other_caseworker"], network["other_police_officer"], network.outsider, intruder,
                 network[Role.POLICE_OFFICER], network[Role.ORG_ADMIN], network[Role.DPO]):
        assert_denied(client_for(user).get(f"{BASE}cases/{case.pk}/"))
        assert_denied(client_for(user).get(f"{BASE}sent/{referral.pk}/"))
        assert_denied(post(user, f"{BASE}sent/{referral.pk}/withdraw/", {"reason": "No longer needed."}))
        assert_denied(post(user, f"{BASE}cases/{case.pk}/", {"to_organisation": "other", "service": "police",
                                                             "categories": ["identity"], "request": "x"}))
    # The receiver's side: the sender, another organisation's members, the receiver's non-case roles.
    for user in (network["caseworker"], network["supervisor"], intruder, network["other_org_admin"], network["other_dpo"]):
        for path in received:
            assert_denied(client_for(user).get(path))
        for path in answers:
            assert_denied(post(user, path, {"reason": "other", "text": "x"}))
    for user in (network["other_org_admin"], network.outsider, network.superuser):
        assert_denied(client_for(user).get(f"{BASE}received/"))
    assert f"R-{referral.pk}" not in client_for(intruder).get(f"{BASE}received/").content.decode()
    assert_denied(client_for(network["other_police_officer"]).get(f"{BASE}received/{referral.pk + 1000}/"))
    anonymous = Client()
    for path in [f"{BASE}received/", *received, f"{BASE}cases/{case.pk}/", f"{BASE}sent/{referral.pk}/"]:
        assert anonymous.get(path).status_code == 401
    for path in [*answers, f"{BASE}sent/{referral.pk}/withdraw/", f"{BASE}cases/{case.pk}/"]:
        assert anonymous.post(path, {}, content_type="application/json").status_code == 401
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert Referral.objects.count() == 1
    assert not ReferralEvent.objects.filter(kind="viewed").exists()


def test_post_only_urls_answer_405_to_a_get(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    for action in ("accept", "decline", "feedback"):
        assert client_for(officer).get(f"{BASE}received/{referral.pk}/{action}/").status_code == 405
    assert client_for(network["caseworker"]).get(f"{BASE}sent/{referral.pk}/withdraw/").status_code == 405


# ---- the receiver's side ---------------------------------------------------------------------

def test_the_inbox_lists_references_never_the_package(network, setup, officer):
    _, _, case = setup
    first, second = send(network, case), send(network, case, urgent=True)
    services.referral_accept(by=officer, referral=second)
    response = client_for(officer).get(f"{BASE}received/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    rows = {row["id"]: row for row in data["results"]}
    row = rows[first.pk]
    assert row["reference"] == first.reference and row["from_organisation"] == "home" and row["to_organisation"] == "other"
    assert row["service"] == "police" and row["status"] == "sent" and row["overdue"] is False
    assert rows[second.pk]["urgent"] is True and rows[second.pk]["status"] == "accepted"
    assert set(row) == {"id", "reference", "version", "from_organisation", "to_organisation", "service", "service_label",
                        "status", "status_label", "urgent", "sent_at", "due_at", "overdue"}
    body = response.content.decode()
    assert "Maria" not in body and "Please protect her" not in body
    filtered = client_for(officer).get(f"{BASE}received/?status=accepted").json()
    assert [r["id"] for r in filtered["results"]] == [second.pk]
    bad = client_for(officer).get(f"{BASE}received/?status=nonsense")
    assert bad.status_code == 400 and "status" in bad.json()
    assert not ReferralEvent.objects.filter(kind="viewed").exists()  # a list is not a reading of the package


def test_a_received_referral_shows_its_package_and_is_recorded(network, setup, officer):
    _, _, case = setup
    Person.objects.filter(pk=case.person_id).update(interpreter_needed=True, safe_phone="+39 333 0000")
    referral = send(network, case)
    officer.language = "it"
    officer.save(update_fields=["language"])
    response = client_for(officer).get(f"{BASE}received/{referral.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["categories"] == ["identity", "contact"] and data["request"] == "Please protect her."
    assert [s["code"] for s in data["sections"]] == ["identity", "contact"] and data["sharing_stopped"] is False
    identity = {f["label"]: f["value"] for f in data["sections"][0]["groups"][0]["records"][0]}
    from django.utils import translation

    from rete.network.package import FIELD_LABELS

    with translation.override("it"):  # labels and values in her language
        given, interpreter = str(FIELD_LABELS["given_name"]), str(FIELD_LABELS["interpreter_needed"])
        safe_phone = str(FIELD_LABELS["safe_phone"])
    assert identity[given] == "Maria" and identity[interpreter] == "Sì"
    contact = {f["label"]: f["value"] for f in data["sections"][1]["groups"][0]["records"][0]}
    assert contact[safe_phone] == "+39 333 0000"
    assert "case" not in data and "emergency_reason" not in data
    assert [e["kind"] for e in data["events"]] == ["sent"]  # as the page: the history before this reading
    event = AuditEvent.objects.get(action="network.referral_viewed")
    assert event.actor == officer and event.detail == {"referral": referral.pk, "status": "sent"}
    assert ReferralEvent.objects.filter(referral=referral, kind="viewed", actor=officer).count() == 1
    services.referral_withdraw(by=network["caseworker"], referral=referral, reason="No longer needed.")
    data = client_for(officer).get(f"{BASE}received/{referral.pk}/").json()
    assert data["sharing_stopped"] is True and data["sections"] == [] and data["request"] == ""
    assert data["categories"] == ["identity", "contact"]


def test_accept_then_feedback(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    path = f"{BASE}received/{referral.pk}/"
    stale = post(officer, path + "accept/", {"version": referral.version + 5})
    assert stale.status_code == 409 and stale.json()["version"] == referral.version
    assert post(officer, path + "feedback/", {"text": "Done."}).status_code == 400  # not accepted yet
    response = post(officer, path + "accept/", {"version": referral.version})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["answered_at"]
    refused = post(officer, path + "accept/")
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    for data, field in (({}, "text"), ({"text": ""}, "text"), ({"text": "x" * 4001}, "text"), ({"text": "a\x00b"}, "text"),
                        ({"text": "ok", "version": "abc"}, "version")):
        response = post(officer, path + "feedback/", data)
        assert response.status_code == 400 and field in response.json(), (data, response.content)
    response = post(officer, path + "feedback/", {"text": "She is in a shelter."})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == ReferralStatus.CLOSED and referral.feedback == "She is in a shelter."
    assert AuditEvent.objects.filter(action__in=["network.referral_accepted", "network.referral_feedback"]).count() == 2


def test_decline(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    path = f"{BASE}received/{referral.pk}/decline/"
    for data in ({}, {"reason": "nonsense"}, {"reason": "other", "note": "x" * 2001}):
        response = post(officer, path, data)
        assert response.status_code == 400 and set(response.json()) & {"reason", "note"}, response.content
    response = post(officer, path, {"reason": "no_capacity", "note": "Full this week."})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "no_capacity" and "package" not in response.json()
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.package == {} and referral.decline_note == "Full this week."


# ---- the sender's side -----------------------------------------------------------------------

def _send_data(**extra):
    data = {"to_organisation": "other", "service": "police", "categories": ["identity"], "request": "Please call her."}
    data.update(extra)
    return data


def test_send_from_a_case_and_list(network, setup):
    _, pathway, case = setup
    worker = network["caseworker"]
    path = f"{BASE}cases/{case.pk}/"
    response = post(worker, path, _send_data())
    assert response.status_code == 201, response.content
    created = response.json()
    referral = Referral.objects.get()
    assert created["id"] == referral.pk and created["status"] == "sent" and created["categories"] == ["identity"]
    assert created["case"] == case.pk and referral.request == "Please call her." and referral.sent_by == worker
    assert AuditEvent.objects.filter(action="network.referral_sent").count() == 1
    # With a pathway and no service: the pathway's service, urgency and time limit.
    response = post(worker, path, _send_data(service="", pathway=pathway.pk))
    assert response.status_code == 201, response.content
    assert response.json()["service"] == pathway.service and response.json()["urgent"] is True
    listing = client_for(worker).get(path).json()
    assert listing["count"] == 2 and {r["id"] for r in listing["results"]} == {referral.pk, response.json()["id"]}
    assert "Please call her" not in str(listing)


def test_bad_referrals_get_400_with_field_errors(network, setup):
    version, pathway, case = setup
    worker = network["caseworker"]
    path = f"{BASE}cases/{case.pk}/"
    bad = [
        (_send_data(to_organisation="nowhere"), "to_organisation"),
        (_send_data(to_organisation="home"), "to_organisation"),
        (_send_data(to_organisation="bad slug!"), "to_organisation"),
        (_send_data(service="moon"), "service"),
        (_send_data(service=""), "service"),
        (_send_data(categories=[]), "categories"),
        (_send_data(categories=["diary"]), "categories"),
        (_send_data(categories="identity"), "categories"),
        (_send_data(categories=["incidents"]), "categories"),  # the protocol does not allow it
        (_send_data(pathway=pathway.pk + 1000), "pathway"),
        (_send_data(pathway="abc"), "pathway"),
        (_send_data(service="legal", pathway=pathway.pk), "pathway"),  # the pathway leads to a shelter
        ({k: v for k, v in _send_data().items() if k != "request"}, "request"),
        (_send_data(request="a\x00b"), "request"),
        (_send_data(urgent="maybe"), "urgent"),
    ]
    for data, field in bad:
        response = post(worker, path, data)
        assert response.status_code == 400, (field, response.content)
        assert field in response.json(), (field, response.json())
    assert not Referral.objects.exists()


def test_without_consent_an_emergency_reason_is_needed(network):
    _, _, case = referral_setup(network)
    worker = network["caseworker"]
    path = f"{BASE}cases/{case.pk}/"
    response = post(worker, path, _send_data())
    assert response.status_code == 400 and "categories" in response.json()
    response = post(worker, path, _send_data(emergency_reason="Now"))
    assert response.status_code == 400 and "emergency_reason" in response.json()
    response = post(worker, path, _send_data(emergency_reason="Immediate danger, she is unreachable."))
    assert response.status_code == 201 and response.json()["emergency"] is True


def test_a_sent_referral_and_its_withdrawal(network, setup, officer):
    _, _, case = setup
    referral = send(network, case)
    services.referral_decline(by=officer, referral=send(network, case), reason="other")
    supervisor = network["caseworker"]
    response = client_for(supervisor).get(f"{BASE}sent/{referral.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["request"] == "Please protect her." and [s["code"] for s in data["sections"]] == ["identity", "contact"]
    assert data["sent_by"] and data["case"] == case.pk
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk), actor=supervisor).count() == 1
    path = f"{BASE}sent/{referral.pk}/withdraw/"
    for payload in ({}, {"reason": ""}, {"reason": "x" * 5001}):
        response = post(network["caseworker"], path, payload)
        assert response.status_code == 400 and "reason" in response.json()
    response = post(network["caseworker"], path, {"reason": "She moved away."})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert Referral.objects.get(pk=referral.pk).package == {}
    again = post(network["caseworker"], path, {"reason": "Again."})
    assert again.status_code == 400 and "non_field_errors" in again.json()


# ---- bounded queries -------------------------------------------------------------------------

def test_lists_are_bounded(network, setup, officer, django_assert_max_num_queries):
    _, _, case = setup
    receiver, sender = client_for(officer), client_for(network["caseworker"])
    for count in (2, 8):
        while Referral.objects.count() < count:
            send(network, case)
        with django_assert_max_num_queries(12):
            assert receiver.get(f"{BASE}received/").json()["count"] == count
        with django_assert_max_num_queries(12):
            assert sender.get(f"{BASE}cases/{case.pk}/").json()["count"] == count
        referral = Referral.objects.order_by("pk").last()
        with django_assert_max_num_queries(25):
            assert receiver.get(f"{BASE}received/{referral.pk}/").status_code == 200
        with django_assert_max_num_queries(25):
            assert sender.get(f"{BASE}sent/{referral.pk}/").status_code == 200
