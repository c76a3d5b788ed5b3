"""/api/v1/programmes/ (part "api"): his history of states (with the reasons, audited, bounded)
and a change of state through services.enrolment_transition (200; 400 with field errors; 409 on
a stale version; POST only)."""
import pytest

from rete.conftest import assert_denied, client_for
from rete.core.models import AuditEvent
from rete.programmes.models import Enrolment, EnrolmentState, StateChange
from rete.programmes.services import enrolments as services
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db


def api(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


@pytest.fixture
def programme(network):
    return Programme()


def post(user, enrolment, data):
    return client_for(user).post(api("programmes_api:enrolment_transition", enrolment_id=enrolment.pk), data,
                                 content_type="application/json")


def test_the_history_shows_each_change_with_its_reason_and_is_audited(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    services.enrolment_transition(by=programme.coordinator, enrolment=enrolment, to_state="suspended",
                                  reason="He is in hospital for two weeks.")
    response = client_for(programme.facilitator).get(api("programmes_api:enrolment_state_changes", enrolment_id=enrolment.pk))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 5  # enquiry, information, assessing, active, suspended
    latest = data["results"][0]
    assert set(latest) == {"at", "from_state", "from_state_label", "to_state", "to_state_label", "stage", "by", "reason"}
    assert latest["from_state"] == "active" and latest["to_state"] == "suspended" and latest["to_state_label"] == "Suspended"
    assert latest["reason"] == "He is in hospital for two weeks." and latest["by"] == str(programme.coordinator)
    first = data["results"][-1]
    assert first["from_state"] == "" and first["from_state_label"] == "" and first["to_state"] == "enquiry"
    event = AuditEvent.objects.get(action="programmes.enrolment_viewed")
    assert event.actor == programme.facilitator
    assert event.detail == {"enrolment": enrolment.pk, "via": "api", "part": "state_changes"}
    assert "hospital" not in str(event.detail)


def test_the_history_runs_a_fixed_number_of_queries(network, programme, django_assert_max_num_queries):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    for _ in range(6):
        enrolment.refresh_from_db()
        services.enrolment_transition(by=programme.facilitator, enrolment=enrolment, to_state="suspended", reason="Away.")
        enrolment.refresh_from_db()
        services.enrolment_transition(by=programme.coordinator, enrolment=enrolment, to_state="active", reason="Back.")
    client = client_for(programme.facilitator)
    with django_assert_max_num_queries(20):
        response = client.get(api("programmes_api:enrolment_state_changes", enrolment_id=enrolment.pk))
    assert response.status_code == 200 and response.json()["count"] == 16


def test_a_change_of_state(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    before = StateChange.objects.filter(enrolment=enrolment).count()
    response = post(programme.facilitator, enrolment, {"to_state": "suspended", "reason": "He asked for a pause.",
                                                       "version": enrolment.version})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "suspended" and data["version"] == enrolment.version + 1 and data["reference"] == enrolment.reference
    assert "participant" not in data and "Marco" not in response.content.decode()
    saved = Enrolment.objects.get(pk=enrolment.pk)
    assert saved.state == EnrolmentState.SUSPENDED
    change = StateChange.objects.filter(enrolment=enrolment).first()
    assert StateChange.objects.filter(enrolment=enrolment).count() == before + 1
    assert change.reason == "He asked for a pause." and change.by == programme.facilitator
    audit = AuditEvent.objects.filter(action="programmes.state_changed").order_by("-seq").first()
    assert audit.detail["from"] == "active" and audit.detail["to"] == "suspended" and "pause" not in str(audit.detail)


def test_bad_input_gets_400_with_field_errors(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    version = enrolment.version
    cases = [
        ({"reason": "x", "version": version}, "to_state"),
        ({"to_state": "nonsense", "reason": "x", "version": version}, "to_state"),
        ({"to_state": "suspended", "version": version}, "reason"),
        ({"to_state": "suspended", "reason": "", "version": version}, "reason"),
        ({"to_state": "suspended", "reason": "x" * 4001, "version": version}, "reason"),
        ({"to_state": "suspended", "reason": "a\x00b", "version": version}, "reason"),
        ({"to_state": "suspended", "reason": "x"}, "version"),
        ({"to_state": "suspended", "reason": "x", "version": "abc"}, "version"),
        ({"to_state": "suspended", "reason": "x", "version": 0}, "version"),
        # Refused by the service: not allowed from "active"; decision states go through the decision.
        ({"to_state": "closed", "reason": "x", "version": version}, "to_state"),
        ({"to_state": "enquiry", "reason": "x", "version": version}, "to_state"),
        ({"to_state": "waiting", "reason": "x", "version": version}, "to_state"),
        ({"to_state": "suspended", "reason": "   ", "version": version}, "reason"),
    ]
    for data, field in cases:
        response = post(programme.facilitator, enrolment, data)
        assert response.status_code == 400 and field in response.json(), (data, response.status_code, response.content)
    saved = Enrolment.objects.get(pk=enrolment.pk)
    assert saved.state == EnrolmentState.ACTIVE and saved.version == version


def test_a_stale_version_gets_409_and_changes_nothing(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    seen = enrolment.version
    services.enrolment_transition(by=programme.coordinator, enrolment=enrolment, to_state="suspended", reason="Meanwhile.")
    before = StateChange.objects.filter(enrolment=enrolment).count()
    response = post(programme.facilitator, enrolment, {"to_state": "dropped_out", "reason": "He left.", "version": seen})
    assert response.status_code == 409, response.content
    data = response.json()
    current = Enrolment.objects.get(pk=enrolment.pk)
    assert data["version"] == current.version != seen and data["detail"]
    assert data["current"]["state"] == "suspended" and data["current"]["version"] == current.version
    assert current.state == EnrolmentState.SUSPENDED
    assert StateChange.objects.filter(enrolment=enrolment).count() == before
    # With the saved version, it goes through.
    response = post(programme.facilitator, enrolment,
                    {"to_state": "dropped_out", "reason": "He left.", "version": current.version})
    assert response.status_code == 200 and response.json()["state"] == "dropped_out"


def test_the_change_of_state_is_post_only_and_checks_ownership(network, programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    path = api("programmes_api:enrolment_transition", enrolment_id=enrolment.pk)
    assert client_for(programme.facilitator).get(path).status_code == 405
    for user in (programme.cofacilitator, programme.partner_worker, network.outsider, network["facilitator"]):
        assert_denied(post(user, enrolment, {"to_state": "suspended", "reason": "x", "version": enrolment.version}))
        assert_denied(post(user, enrolment, {}))  # refused before the input is read
    assert Enrolment.objects.get(pk=enrolment.pk).state == EnrolmentState.ACTIVE
