import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings as hypothesis_settings
from knox.models import AuthToken

from rete.conftest import Network, client_for, make_user
from rete.core import audit
from rete.core.models import Role
from rete.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def token_for(user):
    return AuthToken.objects.create(user=user)[1]


def service_account(network, roles):
    account = make_user("service@home.example", roles=roles, organisation=network.home, mfa=False, is_service_account=True)
    return account


@pytest.mark.django_db
def test_token_authentication_for_service_accounts(network):
    account = service_account(network, [Role.DPO])
    client = Client()
    assert client.get("/api/v1/me/").status_code == 401
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token_for(account)}")
    assert response.status_code == 200 and response.json()["organisations"][0]["roles"] == [Role.DPO]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401


@pytest.mark.django_db
def test_api_scoping_matches_the_pages(network):
    admin = client_for(network[Role.ORG_ADMIN])
    response = admin.get("/api/v1/organisations/home/members/?limit=5")
    assert response.status_code == 200 and response.json()["count"] == len(Role.values) and len(response.json()["results"]) == 5
    assert client_for(network.outsider).get("/api/v1/organisations/home/members/").status_code == 404
    assert client_for(network[Role.CASEWORKER]).get("/api/v1/audit-events/").status_code == 404
    audit.record(action="home.event", organisation=network.home)
    audit.record(action="other.event", organisation=network.other)
    actions = [e["action"] for e in client_for(network[Role.DPO]).get("/api/v1/audit-events/").json()["results"]]
    assert "home.event" in actions and "other.event" not in actions


@pytest.mark.django_db
def test_api_bad_filters_get_400_with_field_errors(network):
    response = client_for(network[Role.DPO]).get("/api/v1/audit-events/?since=not-a-date")
    assert response.status_code == 400 and "since" in response.json()


@pytest.mark.django_db
def test_api_lists_are_bounded(network, django_assert_max_num_queries):
    for i in range(30):
        make_user(f"api{i}@home.example", roles=[Role.CASEWORKER], organisation=network.home)
        audit.record(action="x", organisation=network.home)
    admin, dpo = client_for(network[Role.ORG_ADMIN]), client_for(network[Role.DPO])
    with django_assert_max_num_queries(20):
        assert admin.get("/api/v1/organisations/home/members/").status_code == 200
    with django_assert_max_num_queries(20):
        assert dpo.get("/api/v1/audit-events/").status_code == 200


@pytest.fixture
def keep_connection():
    """Schemathesis calls the WSGI application directly; like Django's test client, keep it
    from closing the test's database connection at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db, keep_connection):
    network = Network()
    account = make_user("svc@home.example", roles=[Role.DPO, Role.ORG_ADMIN], organisation=network.home, mfa=False, is_service_account=True)
    audit.record(action="seed", organisation=network.home)
    return token_for(account)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Token {api_token}"}, checks=[schemathesis.checks.not_a_server_error])


@pytest.mark.django_db
def test_token_command_creates_lists_and_revokes_with_audit(network, capsys):
    from django.core.management import call_command

    from rete.core.models import AuditEvent

    account = service_account(network, [Role.DPO])
    call_command("api_token", "create", account.email)
    token = capsys.readouterr().out.strip()
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    call_command("api_token", "list")
    assert account.email in capsys.readouterr().out and token not in capsys.readouterr().out
    call_command("api_token", "revoke", account.email)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert AuditEvent.objects.filter(action__in=["api.token_created", "api.tokens_revoked"]).count() == 2
    with pytest.raises(Exception):
        call_command("api_token", "create", network[Role.CASEWORKER].email)


@pytest.mark.django_db
def test_absurd_paging_and_control_characters_get_answers_not_errors(network):
    dpo, admin, worker = client_for(network[Role.DPO]), client_for(network[Role.ORG_ADMIN]), client_for(network[Role.CASEWORKER])
    huge = "99999999999999999999999"
    for client, path in ((dpo, "/api/v1/audit-events/"), (admin, "/api/v1/organisations/home/members/"), (worker, "/api/v1/cases/")):
        for query in (f"limit={huge}", f"offset={huge}", "limit=-5", "q=a%00b"):
            assert client.get(f"{path}?{query}").status_code in (200, 400), (path, query)
    assert len(dpo.get(f"/api/v1/audit-events/?limit={huge}").json()["results"]) <= 200
    assert admin.get("/en/org/home/members/?q=a%00b").status_code == 200
    assert worker.get(f"/en/cases/?page={huge}").status_code == 200
