"""Partner-contact links, the services: who may do what on each side, the separation of the
programme's staff from the partner side, optimistic locking, audit and e-mail."""
import pytest
from django.core import mail
from django.http import Http404

from rete.cases.tests.helpers import open_case
from rete.conftest import make_organisation, make_user
from rete.core.models import AuditEvent, Membership, Role
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import PartnerContactEvent, PartnerContactLink, PartnerContactStatus, PartnerEventKind
from rete.network.services import partner_contact as services
from rete.network.tests.factories_partner import make_link, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(network):
    return make_programme()


@pytest.fixture
def worker(network):
    """A partner-support worker of the home organisation who also holds a case role there."""
    return make_user("psw@home.example", roles=[Role.PARTNER_SUPPORT_WORKER, Role.CASEWORKER], organisation=network.home)


@pytest.fixture
def link(network, programme, worker, django_capture_on_commit_callbacks):
    org, facilitator = programme
    with django_capture_on_commit_callbacks(execute=True):
        return make_link(facilitator, org, network.home, enrolment_id=7, note="Programme note")


def test_a_request_records_an_enrolled_event_and_tells_the_support_workers(network, programme, worker,
                                                                           django_capture_on_commit_callbacks):
    org, facilitator = programme
    with django_capture_on_commit_callbacks(execute=True):
        link = make_link(facilitator, org, network.home, enrolment_id=1, note="He lives near her workplace.")
    assert link.status == PartnerContactStatus.REQUESTED and link.requested_by == facilitator
    assert list(link.events.values_list("kind", flat=True)) == [PartnerEventKind.ENROLLED]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([worker.email, network["partner_support_worker"].email])
    for message in mail.outbox:
        assert link.reference in message.subject and "workplace" not in message.body + message.subject
    event = AuditEvent.objects.get(action="network.partner_link_requested")
    assert event.detail["link"] == link.pk and "workplace" not in str(event.detail)


def test_only_programme_staff_request(network, programme):
    org, _ = programme
    for user in (network["partner_support_worker"], network["caseworker"], network["facilitator"]):
        with pytest.raises(Http404):
            make_link(user, org, network.home)


def test_the_support_organisation_needs_a_partner_support_worker(network, programme):
    org, facilitator = programme
    with pytest.raises(ServiceError) as exc:
        make_link(facilitator, org, make_organisation("empty"))
    assert exc.value.field == "support_organisation"
    Membership.objects.filter(organisation=network.home, role=Role.PARTNER_SUPPORT_WORKER).update(
        ended_at="2020-01-01T00:00:00Z")
    with pytest.raises(ServiceError):
        make_link(facilitator, org, network.home)


def test_one_open_link_per_enrolment(network, programme, link):
    org, facilitator = programme
    with pytest.raises(ServiceError):
        make_link(facilitator, org, network.home, enrolment_id=7)
    services.partner_link_end(by=facilitator, link=link)
    again = make_link(facilitator, org, network.home, enrolment_id=7)
    assert again.pk != link.pk and PartnerContactLink.objects.filter(enrolment_id=7).count() == 2


def test_events_notify_without_the_note(network, programme, link, worker, django_capture_on_commit_callbacks):
    _, facilitator = programme
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_event_send(by=facilitator, enrolment_id=7, kind=PartnerEventKind.THREAT,
                                    note="He said he would wait outside SENTINEL-NOTE.")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "SENTINEL-NOTE" not in message.body and "SENTINEL-NOTE" not in message.subject
        assert "He disclosed a threat or intent to harm" in message.subject
        assert f"/partner-contact/{link.pk}/" in message.body
    assert AuditEvent.objects.filter(action="network.partner_link_event_sent", detail__kind="threat").exists()


def test_e_mails_go_in_each_recipients_language(network, programme, worker, django_capture_on_commit_callbacks):
    org, facilitator = programme
    worker.language = "it"
    worker.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        link = make_link(facilitator, org, network.home)
    italian = next(m for m in mail.outbox if m.to == [worker.email])
    assert link.reference in italian.subject


def test_event_rules(network, programme, link):
    org, facilitator = programme
    with pytest.raises(ServiceError):
        services.partner_event_send(by=facilitator, link=link, kind="nonsense")
    with pytest.raises(ServiceError):
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.ENROLLED)
    with pytest.raises(ServiceError):
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.OTHER, note="")
    for user in (network["partner_support_worker"], network["facilitator"], network["other_facilitator"]):
        with pytest.raises(Http404):
            services.partner_event_send(by=user, link=link, kind=PartnerEventKind.STARTED)
    services.partner_link_end(by=facilitator, link=link)
    with pytest.raises(ServiceError):
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.STARTED)
    with pytest.raises(ServiceError):
        services.partner_link_end(by=facilitator, link=link)


def test_status_is_shared_only_when_chosen_and_stale_saves_are_refused(network, link, worker):
    link = services.partner_status_set(by=worker, link=link, status=PartnerContactStatus.ENGAGED, share=False,
                                       version=link.version)
    assert link.status == "engaged" and link.shared_status == "" and link.status_updated_at
    link = services.partner_status_set(by=worker, link=link, status=PartnerContactStatus.DECLINED, share=True,
                                       version=link.version)
    assert link.shared_status == "declined" and link.status_shared
    with pytest.raises(StaleEdit) as exc:
        services.partner_status_set(by=worker, link=link, status=PartnerContactStatus.ENGAGED, share=True,
                                    version=link.version - 1)
    assert exc.value.current.status == "declined"
    with pytest.raises(ServiceError):
        services.partner_status_set(by=worker, link=link, status="nonsense", share=True, version=link.version)
    event = AuditEvent.objects.filter(action="network.partner_link_status_set").latest("seq")
    assert event.detail["status"] == "declined" and event.detail["shared"] is True


def test_the_partner_side_is_for_its_support_workers_only(network, programme, link):
    _, facilitator = programme
    for user in (facilitator, network["facilitator"], network["caseworker"], network["other_partner_support_worker"]):
        with pytest.raises(Http404):
            services.partner_status_set(by=user, link=link, status="engaged", share=True, version=link.version)
        with pytest.raises(Http404):
            services.partner_event_mark_seen(by=user, link=link)


def test_programme_staff_never_act_on_the_partner_side(network):
    """Same organisation runs the programme and the partner support: a facilitator who is also a
    partner-support worker there, and a partner-support worker who sent an event, are kept out."""
    both = make_user("both@home.example", roles=[Role.PARTNER_SUPPORT_WORKER, Role.FACILITATOR], organisation=network.home)
    link = make_link(network["programme_coordinator"], network.home, network.home)
    with pytest.raises(Http404):
        services.partner_event_mark_seen(by=both, link=link)
    # A partner-support worker elsewhere who also facilitates at the programme and sent an event.
    org, facilitator = make_programme("p2")
    Membership.objects.create(user=facilitator, organisation=network.home, role=Role.PARTNER_SUPPORT_WORKER)
    link2 = make_link(make_user("coord@p2b.example", roles=[Role.PROGRAMME_COORDINATOR], organisation=org), org,
                      network.home)
    assert services.partner_event_mark_seen(by=facilitator, link=link2) == 1  # not involved yet
    services.partner_event_send(by=facilitator, link=link2, kind=PartnerEventKind.STARTED)
    with pytest.raises(Http404):
        services.partner_event_mark_seen(by=facilitator, link=link2)
    assert services.partner_event_mark_seen(by=network["partner_support_worker"], link=link2) == 1


def test_attach_a_case(network, programme, link, worker):
    _, facilitator = programme
    case = open_case(worker, network.home)
    link = services.partner_link_attach_case(by=worker, link=link, case=case)
    assert link.partner_case_id == case.pk
    assert AuditEvent.objects.get(action="network.partner_link_case_attached").detail["case"] == case.pk
    # A case she may not open, or of another organisation: 404.
    other_case = open_case(network["other_caseworker"], network.other)
    with pytest.raises(Http404):
        services.partner_link_attach_case(by=worker, link=link, case=other_case)


def test_a_case_with_programme_staff_on_its_team_is_refused(network, programme, link, worker):
    from rete.cases.models import CaseAssignment

    _, facilitator = programme
    case = open_case(worker, network.home)
    CaseAssignment.objects.create(case=case, user=facilitator)
    with pytest.raises(ServiceError) as exc:
        services.partner_link_attach_case(by=worker, link=link, case=case)
    assert exc.value.field == "case"
    assert PartnerContactLink.objects.get(pk=link.pk).partner_case_id is None


def test_mark_seen(network, programme, link, worker):
    _, facilitator = programme
    services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.ABSENCES)
    assert services.partner_event_mark_seen(by=worker, link=link) == 2
    assert not PartnerContactEvent.objects.filter(link=link, seen_at__isnull=True).exists()
    assert services.partner_event_mark_seen(by=worker, link=link) == 0
