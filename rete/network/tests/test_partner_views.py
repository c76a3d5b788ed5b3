"""Partner contact, the partner-support workers' pages: ownership (404 for outsiders and for the
programme's staff, on the link and on the partner's case), the inbox (bounded), navigation and
start-page panel, the link page and its actions (POST only, 409 on a stale status)."""
import pytest

from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import AuditEvent, Role
from rete.network.models import PartnerContactEvent, PartnerContactLink, PartnerEventKind
from rete.network.services import partner_contact as services
from rete.network.tests.factories_partner import make_link, make_programme

pytestmark = pytest.mark.django_db

ACTIONS = ("network:partner_link_attach", "network:partner_link_status", "network:partner_link_seen")


@pytest.fixture
def programme(network):
    return make_programme()


@pytest.fixture
def worker(network):
    return make_user("psw@home.example", roles=[Role.PARTNER_SUPPORT_WORKER, Role.CASEWORKER], organisation=network.home)


@pytest.fixture
def link(network, programme, worker):
    org, facilitator = programme
    link = make_link(facilitator, org, network.home, note="Programme request note")
    services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.ABSENCES, note="Missed three sessions")
    return link


def detail(user, link):
    return client_for(user).get(url("network:partner_link_detail", partner_link_id=link.pk))


def test_it_checks_ownership(network, programme, link, worker, client):
    org, facilitator = programme
    case = open_case(worker, network.home)
    link = services.partner_link_attach_case(by=worker, link=link, case=case)
    coordinator = org.memberships.get(role=Role.PROGRAMME_COORDINATOR).user
    for user in (facilitator, coordinator, network["facilitator"], network["caseworker"], network["supervisor"],
                 network["other_partner_support_worker"], network.outsider):
        assert_denied(detail(user, link))
        for name in ACTIONS:
            assert_denied(client_for(user).post(url(name, partner_link_id=link.pk), {"status": "engaged", "version": 1}))
    # The programme's facilitator never reaches the partner's case either.
    assert_denied(client_for(facilitator).get(url("cases:case_detail", pk=case.pk)))
    for user in (facilitator, network["caseworker"], network.outsider):
        assert_denied(client_for(user).get(url("network:partner_inbox")))
    for name, kwargs in (("network:partner_inbox", {}), ("network:partner_link_detail", {"partner_link_id": link.pk})):
        response = client.get(url(name, **kwargs))
        assert response.status_code == 302 and "/login/" in response["Location"]
    for name in ACTIONS:
        assert client_for(worker).get(url(name, partner_link_id=link.pk)).status_code == 405
    assert detail(worker, link).status_code == 200
    assert detail(network["partner_support_worker"], link).status_code == 200


def test_the_inbox(network, programme, link, worker):
    page = client_for(worker).get(url("network:partner_inbox")).content.decode()
    assert link.reference in page and link.enrolment_reference in page and "2 new" in page
    assert "Programme request note" not in page and "Missed three sessions" not in page
    filtered = client_for(worker).get(url("network:partner_inbox") + "?status=engaged").content.decode()
    assert link.reference not in filtered


def test_the_inbox_runs_a_fixed_number_of_queries(network, programme, worker, django_assert_max_num_queries):
    org, facilitator = programme
    for _ in range(6):
        link = make_link(facilitator, org, network.home)
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.STARTED)
    client = client_for(worker)
    with django_assert_max_num_queries(14):
        assert client.get(url("network:partner_inbox")).status_code == 200


def test_navigation_and_start_panel(network, link, worker):
    start = client_for(worker).get(url("core:start")).content.decode()
    assert url("network:partner_inbox") in start and "2 new events from programmes" in start
    other = client_for(network["caseworker"]).get(url("core:start")).content.decode()
    assert url("network:partner_inbox") not in other


def test_the_link_page_shows_events_and_notes_and_is_audited(network, link, worker):
    page = detail(worker, link).content.decode()
    for text in ("Programme request note", "Missed three sessions", "Repeated absences", "He was enrolled in the programme",
                 link.enrolment_reference, "Attach her case", url("cases:intake")):
        assert text in page
    assert AuditEvent.objects.filter(action="network.partner_link_viewed", actor=worker).count() == 1
    assert "Missed" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_the_link_page_runs_a_fixed_number_of_queries(network, programme, link, worker, django_assert_max_num_queries):
    _, facilitator = programme
    for _ in range(5):
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.ABSENCES, note="again")
        open_case(worker, network.home)
    client = client_for(worker)
    with django_assert_max_num_queries(26):
        assert client.get(url("network:partner_link_detail", partner_link_id=link.pk)).status_code == 200


def test_mark_seen(network, link, worker):
    response = client_for(worker).post(url("network:partner_link_seen", partner_link_id=link.pk))
    assert response.status_code == 302
    assert not PartnerContactEvent.objects.filter(link=link, seen_at__isnull=True).exists()


def test_attach_a_case(network, programme, link, worker):
    case = open_case(worker, network.home)
    page = detail(worker, link).content.decode()
    assert case.reference in page
    client = client_for(worker)
    bad = client.post(url("network:partner_link_attach", partner_link_id=link.pk), {"case": ""})
    assert bad.status_code == 400
    elsewhere = open_case(network["other_caseworker"], network.other)
    assert client.post(url("network:partner_link_attach", partner_link_id=link.pk), {"case": elsewhere.pk}).status_code == 400
    response = client.post(url("network:partner_link_attach", partner_link_id=link.pk), {"case": case.pk})
    assert response.status_code == 302
    assert PartnerContactLink.objects.get(pk=link.pk).partner_case_id == case.pk


def test_attach_refuses_a_case_with_programme_staff_on_its_team(network, programme, link, worker):
    from rete.cases.models import CaseAssignment

    _, facilitator = programme
    case = open_case(worker, network.home)
    CaseAssignment.objects.create(case=case, user=facilitator)
    response = client_for(worker).post(url("network:partner_link_attach", partner_link_id=link.pk), {"case": case.pk})
    assert response.status_code == 400 and "works with him in the programme" in response.content.decode()


def test_set_the_status_and_share_it(network, programme, link, worker):
    client = client_for(worker)
    path = url("network:partner_link_status", partner_link_id=link.pk)
    assert client.post(path, {"status": "nonsense", "version": link.version}).status_code == 400
    response = client.post(path, {"status": "engaged", "share": "on", "version": link.version})
    assert response.status_code == 302
    saved = PartnerContactLink.objects.get(pk=link.pk)
    assert saved.status == "engaged" and saved.shared_status == "engaged"
    # Someone saved since: 409 with both versions, her entry kept in the form.
    stale = client.post(path, {"status": "declined", "version": link.version})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this record" in page and "Declined contact" in page and "In contact with the service" in page
    assert PartnerContactLink.objects.get(pk=link.pk).status == "engaged"
    response = client.post(path, {"status": "declined", "version": saved.version})
    assert response.status_code == 302
    saved = PartnerContactLink.objects.get(pk=link.pk)
    assert saved.status == "declined" and saved.shared_status == ""
