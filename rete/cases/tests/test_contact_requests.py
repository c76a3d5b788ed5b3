"""Safe contact: a visitor asks a service to contact her from the public portal; the request
arrives encrypted in the organisation's intake queue and a case can be opened from it."""
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rete.cases import services
from rete.cases.models import Case, ContactRequest, ContactRequestStatus
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role

SENTINEL = "Zebrafish-7731"
PHONE = "347 555 7731"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def form_data(chosen, **extra):
    data = {"organisation": str(chosen.pk), "name_or_alias": SENTINEL, "phone": PHONE, "other_contact": "",
            "safe_to_contact": "yes", "safe_times": f"mornings {SENTINEL}", "code_word": f"code {SENTINEL}",
            "leave_message": "no", "message": f"{SENTINEL} please call", "language": "el", "heard_about": "leaflet",
            "website": ""}
    data.update(extra)
    return data


def assert_public(response):
    assert response.cookies == {} or not response.cookies, f"cookies set: {list(response.cookies)}"
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", html), "a reference to another host"
    assert "csrfmiddlewaretoken" not in html


def receive(organisation, **extra):
    values = {"name_or_alias": SENTINEL, "phone": PHONE, "safe_to_contact": True, "safe_times": "mornings",
              "code_word": SENTINEL, "leave_message": False, "message": SENTINEL, "language": "it", "heard_about": "friend"}
    values.update(extra)
    return services.contact_request_receive(organisation=organisation, **values)


# ---- the public page --------------------------------------------------------------------------


def test_the_form_is_public_without_cookies(network):
    response = Client().get(url("portal:safe_contact", lang="el"))
    assert response.status_code == 200
    assert_public(response)
    html = response.content.decode()
    assert network.home.name in html and network.other.name in html
    assert 'autocomplete="off"' in html
    assert 'href="tel:112"' in html


def test_the_home_page_links_to_the_form(network):
    response = Client().get(url("portal:home"))
    assert url("portal:safe_contact") in response.content.decode()


def test_a_request_is_received_encrypted_audited_and_notified_without_content(network, django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal:safe_contact", lang="el"), form_data(network.home))
    assert response.status_code == 200
    assert_public(response)
    assert "112" in response.content.decode()
    assert "1522" in response.content.decode()  # the helpline of the organisation's country (IT)
    request = ContactRequest.objects.get()
    assert request.organisation == network.home and request.status == ContactRequestStatus.NEW
    assert request.phone == PHONE and request.name_or_alias == SENTINEL and request.language == "el"
    # Encrypted at rest: no column holds the sentinel or the phone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_contactrequest")
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert SENTINEL not in raw and PHONE not in raw
    event = AuditEvent.objects.get(action="case.contact_request_received")
    assert event.actor is None and event.detail == {"request": request.pk, "organisation": network.home.pk}
    assert SENTINEL not in str(event.detail)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([network["caseworker"].email, network["supervisor"].email])
    for message in mail.outbox:
        assert SENTINEL not in message.subject + message.body and PHONE not in message.body
        assert "intake queue" in message.body and "/cases/requests/" in message.body


def test_the_honeypot_gets_the_same_thanks_and_keeps_nothing(network):
    response = Client().post(url("portal:safe_contact"), form_data(network.home, website="http://spam.example"))
    assert response.status_code == 200
    assert_public(response)
    assert "Your request has been sent" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_bad_input_is_400_and_keeps_her_data(network):
    response = Client().post(url("portal:safe_contact"), form_data(network.home, phone="", safe_to_contact="no"))
    assert response.status_code == 400
    assert_public(response)
    html = response.content.decode()
    assert SENTINEL in html  # what she typed is still there
    assert "helpline" in html
    assert not ContactRequest.objects.exists()
    response = Client().post(url("portal:safe_contact"), form_data(network.home, organisation="999999"))
    assert response.status_code == 400


def test_an_organisation_of_another_kind_cannot_be_chosen(network):
    network.other.kinds = ["perpetrator_programme"]
    network.other.save()
    response = Client().get(url("portal:safe_contact"))
    assert network.other.name not in response.content.decode()
    response = Client().post(url("portal:safe_contact"), form_data(network.other))
    assert response.status_code == 400
    with pytest.raises(ValueError):
        receive(network.other)


def test_the_rate_limit_counts_a_keyed_hash_of_the_address(network):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert client.post(url("portal:safe_contact"), form_data(network.home)).status_code == 200
    response = client.post(url("portal:safe_contact"), form_data(network.home))
    assert response.status_code == 429
    assert_public(response)
    assert ContactRequest.objects.count() == 5
    # Another address is not affected; the address itself is stored nowhere in the cache.
    assert Client(REMOTE_ADDR="203.0.113.10").post(url("portal:safe_contact"), form_data(network.home)).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM rete_cache")
        assert "203.0.113.9" not in " ".join(str(v) for row in cursor.fetchall() for v in row)


# ---- the intake queue ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER])
def test_case_roles_of_the_organisation_see_the_queue(network, role):
    request = receive(network.home)
    receive(network.other, name_or_alias="Elsewhere")
    response = client_for(network[role]).get(url("cases:contact_requests"))
    assert response.status_code == 200
    html = response.content.decode()
    assert SENTINEL in html and "Elsewhere" not in html
    assert url("cases:contact_request_detail", request_id=request.pk) in html


def test_names_are_hidden_in_the_queue_when_the_organisation_says_so(network):
    network.home.hide_names_in_lists = True
    network.home.save()
    receive(network.home)
    html = client_for(network["caseworker"]).get(url("cases:contact_requests")).content.decode()
    assert SENTINEL not in html and "hidden in lists" in html


def test_handled_requests_leave_the_queue(network):
    request = receive(network.home)
    services.contact_request_update(by=network["caseworker"], request_id=request.pk, status=ContactRequestStatus.HANDLED)
    html = client_for(network["caseworker"]).get(url("cases:contact_requests")).content.decode()
    assert "No request is waiting" in html


def test_others_get_404_on_every_url(network):
    request = receive(network.home)
    outsiders = [network["other_caseworker"], network["other_supervisor"], network["org_admin"], network["dpo"],
                 network.outsider, network.superuser]
    for user in outsiders:
        client = client_for(user)
        assert_denied(client.get(url("cases:contact_request_detail", request_id=request.pk)))
        assert_denied(client.post(url("cases:contact_request_detail", request_id=request.pk), {"status": "handled"}))
        assert_denied(client.get(url("cases:intake") + f"?from_request={request.pk}"))
    for user in (network["org_admin"], network["dpo"], network.outsider, network.superuser):
        assert_denied(client_for(user).get(url("cases:contact_requests")))
    assert ContactRequest.objects.get().status == ContactRequestStatus.NEW
    assert not AuditEvent.objects.filter(action="case.contact_request_viewed").exists()


def test_reading_a_request_is_audited_and_actions_update_it(network):
    request = receive(network.home, other_contact="safe@example.org")
    client = client_for(network["caseworker"])
    response = client.get(url("cases:contact_request_detail", request_id=request.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert PHONE in html and "safe@example.org" in html and SENTINEL in html
    event = AuditEvent.objects.get(action="case.contact_request_viewed")
    assert event.actor == network["caseworker"] and event.detail == {"request": request.pk}
    response = client.post(url("cases:contact_request_detail", request_id=request.pk), {"status": "in_progress"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.IN_PROGRESS and request.handled_by == network["caseworker"]
    response = client.post(url("cases:contact_request_detail", request_id=request.pk), {"status": "bogus"})
    assert response.status_code == 400
    client.post(url("cases:contact_request_detail", request_id=request.pk), {"status": "unreachable"})
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.UNREACHABLE
    for event in AuditEvent.objects.filter(action__startswith="case.contact_request"):
        assert SENTINEL not in str(event.detail) and PHONE not in str(event.detail)


def test_a_case_opened_from_a_request_is_prefilled_and_linked(network):
    request = receive(network.home)
    client = client_for(network["caseworker"])
    intake_url = url("cases:intake") + f"?from_request={request.pk}"
    response = client.get(intake_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert SENTINEL in html and PHONE in html
    assert 'value="portal" selected' in html or 'value="portal" checked' in html
    response = client.post(intake_url, {
        "organisation": str(network.home.pk), "contact_route": "portal", "first_contact_at": "2026-01-05T10:00",
        "alias": SENTINEL, "safe_to_contact": "yes", "safe_phone": PHONE, "language": "it",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    request.refresh_from_db()
    assert request.case == case and request.status == ContactRequestStatus.HANDLED and request.handled_by == network["caseworker"]
    assert case.person.safe_phone == PHONE and case.person.alias == SENTINEL
    assert AuditEvent.objects.filter(action="case.contact_request_linked").exists()
    # Linked: the queue no longer shows it; the detail page links the case.
    detail = client.get(url("cases:contact_request_detail", request_id=request.pk)).content.decode()
    assert case.reference in detail


def test_the_start_page_panel_counts_waiting_requests(network):
    from rete.cases import selectors

    receive(network.home)
    receive(network.home)
    receive(network.other)
    summary = selectors.caseload_summary(user=network["caseworker"])
    assert summary["contact_requests_waiting"] == 2


def test_queue_and_detail_run_a_bounded_number_of_queries(network):
    client = client_for(network["caseworker"])
    receive(network.home)
    client.get(url("cases:contact_requests"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("cases:contact_requests")).status_code == 200
    for _ in range(15):
        receive(network.home)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("cases:contact_requests")).status_code == 200
    assert len(many) == len(few)
    request = ContactRequest.objects.first()
    with CaptureQueriesContext(connection) as detail:
        assert client.get(url("cases:contact_request_detail", request_id=request.pk)).status_code == 200
    assert len(detail) < 25
