"""The programmes API against its own schema (part "api"): generated calls, with a service
account of the programme and a real enrolment in the path, never get a server error."""
import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken

from rete.conftest import Network, make_user
from rete.core.models import Role
from rete.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application).include(path_regex="^/api/v1/programmes/")


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
def programme_account(db, keep_connection):
    from rete.programmes.tests.policy_values import walked_enrolment

    network = Network()
    enrolment, _version = walked_enrolment(network)
    account = make_user("svc@home.example", roles=[Role.PROGRAMME_COORDINATOR], organisation=network.home, mfa=False,
                        is_service_account=True)
    return AuthToken.objects.create(user=account)[1], enrolment


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_programmes_api_never_answers_with_a_server_error(case, programme_account):
    token, enrolment = programme_account
    if case.path_parameters and "enrolment_id" in case.path_parameters:
        case.path_parameters["enrolment_id"] = enrolment.pk
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[schemathesis.checks.not_a_server_error])
