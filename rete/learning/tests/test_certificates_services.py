"""Issuing, revoking and printing certificates: who may, who receives one, the audit trail."""
import pytest
from django.http import Http404

from rete.core.models import AuditEvent
from rete.core.services import ServiceError
from rete.learning import certificates
from rete.learning.models import AttendanceStatus, EventStatus, Registration
from rete.learning.selectors import certificates as selectors
from rete.learning.services import certificates as services
from rete.learning.tests.factories import make_event, make_registration
from rete.learning.tests.factories_certificates import held_event, participant

pytestmark = pytest.mark.django_db
P, L, E, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT


@pytest.fixture
def workshop(network):
    """A held event of four sessions: Anna 3 of 4 (75 %), Bea 2 of 4, Carla all, Dana waiting."""
    trainer = network["trainer"]
    event = held_event(trainer, network.home, sessions=4)
    people = {
        "anna": participant(event, [P, L, P, A], by=trainer, full_name="Anna Uno"),
        "bea": participant(event, [P, E, A, P], by=trainer, full_name="Bea Due"),
        "carla": participant(event, [P, P, P, P], by=trainer, full_name="Carla Tre"),
        "dana": participant(event, [P, P, P, P], by=trainer, full_name="Dana Quattro", status="waiting"),
    }
    return event, people


def _fresh(registration):
    return Registration.objects.get(pk=registration.pk)


def test_issue_gives_a_unique_code_to_every_eligible_participant(network, workshop):
    event, people = workshop
    assert services.certificates_issue(by=network["trainer"], event=event) == 2
    issued = {name: _fresh(r) for name, r in people.items()}
    assert issued["anna"].certificate_code and issued["carla"].certificate_code
    assert issued["anna"].certificate_code != issued["carla"].certificate_code
    assert certificates.normalise_code(issued["anna"].certificate_code) == issued["anna"].certificate_code
    assert issued["anna"].certificate_issued_at is not None
    assert issued["bea"].certificate_code is None and issued["dana"].certificate_code is None
    audit = AuditEvent.objects.filter(action="learning.certificate.issued_all").get()
    assert audit.detail == {"event": event.pk, "issued": 2, "not_eligible": 1, "sessions": 4}
    # Again: nobody else is due, the codes given stay.
    assert services.certificates_issue(by=network["network_coordinator"], event=event) == 0
    assert _fresh(people["anna"]).certificate_code == issued["anna"].certificate_code


def test_only_the_event_s_runners_issue_and_only_once_it_is_held(network, workshop):
    event, people = workshop
    for outsider in (network["other_trainer"], network["caseworker"], network.outsider, network.superuser):
        with pytest.raises(Http404):
            services.certificates_issue(by=outsider, event=event)
        with pytest.raises(Http404):
            services.certificate_issue(by=outsider, registration=people["carla"])
    open_event = make_event(network["trainer"], network.home, status=EventStatus.OPEN)
    with pytest.raises(ServiceError):
        services.certificates_issue(by=network["trainer"], event=open_event)
    with pytest.raises(ServiceError):
        services.certificate_issue(by=network["trainer"], registration=make_registration(open_event))
    assert not Registration.objects.exclude(certificate_code=None).exists()


def test_issue_one(network, workshop):
    event, people = workshop
    registration = services.certificate_issue(by=network["trainer"], registration=people["carla"])
    assert _fresh(registration).certificate_code == registration.certificate_code
    audit = AuditEvent.objects.get(action="learning.certificate.issued")
    assert audit.detail == {"event": event.pk, "registration": registration.pk, "code": registration.certificate_code}
    with pytest.raises(ServiceError):  # she has one already
        services.certificate_issue(by=network["trainer"], registration=people["carla"])
    with pytest.raises(ServiceError):  # 50 %
        services.certificate_issue(by=network["trainer"], registration=people["bea"])
    with pytest.raises(ServiceError):  # on the waiting list
        services.certificate_issue(by=network["trainer"], registration=people["dana"])


def test_revoke_clears_the_code_so_that_it_no_longer_checks(network, workshop):
    event, people = workshop
    code = services.certificate_issue(by=network["trainer"], registration=people["anna"]).certificate_code
    assert selectors.certificate_check(code=code.lower()).name == "Anna Uno"
    with pytest.raises(ServiceError):
        services.certificate_revoke(by=network["trainer"], registration=people["anna"], reason="because I say so")
    with pytest.raises(Http404):
        services.certificate_revoke(by=network["other_trainer"], registration=people["anna"], reason="issued_in_error")
    services.certificate_revoke(by=network["network_coordinator"], registration=people["anna"], reason="details_wrong")
    anna = _fresh(people["anna"])
    assert anna.certificate_code is None and anna.certificate_issued_at is None
    assert selectors.certificate_check(code=code) is None
    audit = AuditEvent.objects.get(action="learning.certificate.revoked")
    assert audit.detail == {"event": event.pk, "registration": anna.pk, "code": code, "reason": "details_wrong"}
    with pytest.raises(ServiceError):  # nothing left to revoke
        services.certificate_revoke(by=network["trainer"], registration=anna, reason="details_wrong")
    # Still eligible: a new certificate, with a new code.
    again = services.certificate_issue(by=network["trainer"], registration=anna)
    assert again.certificate_code and again.certificate_code != code


def test_the_audit_trail_holds_no_name_or_e_mail(network, workshop):
    event, people = workshop
    services.certificates_issue(by=network["trainer"], event=event)
    services.certificate_revoke(by=network["trainer"], registration=people["anna"], reason="participant_asked")
    services.certificate_printed(by=None, registration=_fresh(people["carla"]), language="it", via="personal_link")
    text = " ".join(str(detail) for detail in AuditEvent.objects.filter(action__startswith="learning.certificate")
                    .values_list("detail", flat=True))
    for secret in ("Anna", "Carla", "anna@", "carla@", "Example Centre"):
        assert secret not in text


def test_the_runners_summary(network, workshop, django_assert_max_num_queries):
    event, people = workshop
    with django_assert_max_num_queries(2):
        summary = selectors.event_certificates(user=network["trainer"], event=event)
    assert (summary["registered"], summary["eligible"], summary["issued"], summary["to_issue"]) == (3, 2, 0, 2)
    assert {row["registration"].full_name: row["percent"] for row in summary["rows"]} == {
        "Anna Uno": 75, "Bea Due": 50, "Carla Tre": 100}
    with pytest.raises(Http404):
        selectors.event_certificates(user=network["other_network_coordinator"], event=event)
