"""Partner safety, the programme's side (part "partner-safety"): the section of the enrolment page,
asking for partner contact, sending events, reporting a disclosed threat, ending the contact;
ownership (404), bad input (400 with the data kept), bounded queries."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from rete.conftest import assert_denied, client_for, make_organisation, make_user, url
from rete.core.models import AuditEvent, Membership, Role
from rete.network.models import PartnerContactEvent, PartnerContactLink, PartnerEventKind
from rete.network.selectors.partner_contact import support_services
from rete.network.services import partner_contact as network_services
from rete.programmes.models import EnrolmentState
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import partner as services
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db

ACTIONS = ("programmes:partner_request", "programmes:partner_event", "programmes:partner_threat",
           "programmes:partner_end")


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return make_enrolment(programme, state=EnrolmentState.ACTIVE)


def page(user, enrolment):
    return client_for(user).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))


def request_contact(programme, enrolment, **extra):
    data = {"support_organisation": programme.support.pk, "note": "He starts on Tuesdays."}
    data.update(extra)
    return client_for(programme.facilitator).post(url("programmes:partner_request", enrolment_id=enrolment.pk), data)


def test_the_section_without_a_link_recommends_asking(programme, enrolment):
    response = page(programme.facilitator, enrolment)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Partner safety" in html and "WWP EN" in html and "not his facilitator" in html
    assert "Partner contact is recommended." in html
    assert programme.support.name in html and "Never write her name" in html
    assert url("programmes:partner_request", enrolment_id=enrolment.pk) in html


def test_no_recommendation_before_he_is_accepted(programme):
    enquiry = make_enrolment(programme, state=EnrolmentState.ENQUIRY)
    html = page(programme.facilitator, enquiry).content.decode()
    assert "Partner contact is recommended." not in html
    assert "Ask for partner contact" in html


def test_support_services(network, programme):
    user = programme.facilitator
    names = [org.name for org in support_services(user=user)]
    assert programme.support.name in names and network.home.name in names and network.other.name in names
    # The programme's own organisation only with a partner-support worker who is not programme staff.
    assert programme.organisation.name not in names
    both = make_user("both@prog.example", roles=[Role.FACILITATOR, Role.PARTNER_SUPPORT_WORKER],
                     organisation=programme.organisation)
    assert programme.organisation.name not in [org.name for org in support_services(user=user)]
    separate = make_user("team@prog.example", roles=[Role.PARTNER_SUPPORT_WORKER], organisation=programme.organisation)
    assert programme.organisation.name in [org.name for org in support_services(user=user)]
    # A service whose only partner-support worker is on the programme's staff, or has left: not listed.
    Membership.objects.filter(user=separate).update(ended_at=timezone.now())
    lone = make_organisation("lone", name="Lone Service")
    Membership.objects.create(user=both, organisation=lone, role=Role.PARTNER_SUPPORT_WORKER)
    names = [org.name for org in support_services(user=user)]
    assert programme.organisation.name not in names and "Lone Service" not in names
    assert support_services(user=network["partner_support_worker"]) == []
    assert support_services(user=network["caseworker"]) == []


def test_ask_for_partner_contact(programme, enrolment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = request_contact(programme, enrolment)
    assert response.status_code == 302 and response["Location"].endswith("#partner-safety")
    link = PartnerContactLink.objects.get(enrolment_id=enrolment.pk)
    assert link.support_organisation == programme.support and link.enrolment_reference == enrolment.reference
    assert link.request_note == "He starts on Tuesdays." and link.requested_by == programme.facilitator
    assert [m.to for m in mail.outbox] == [[programme.partner_worker.email]]
    html = page(programme.facilitator, enrolment).content.decode()
    assert link.reference in html and programme.support.name in html and "Not shared" in html
    assert "He was enrolled in the programme" in html and "Partner contact is recommended." not in html
    assert "Ask for partner contact" not in html and "Report a disclosed threat" in html
    # Still in the programme: the contact cannot be ended yet.
    assert url("programmes:partner_end", enrolment_id=enrolment.pk) not in html
    assert "Partner contact ends after the follow-up" in html
    assert AuditEvent.objects.filter(action="network.partner_link_requested").exists()


def test_a_refused_request_keeps_the_data(network, programme, enrolment):
    response = request_contact(programme, enrolment, support_organisation="", note="Keep this text")
    assert response.status_code == 400
    assert "Keep this text" in response.content.decode()
    # A service that may not be asked (no partner-support worker): refused, data kept.
    empty = make_organisation("empty", name="Empty Service")
    response = request_contact(programme, enrolment, support_organisation=empty.pk, note="Keep this too")
    assert response.status_code == 400 and "Keep this too" in response.content.decode()
    assert not PartnerContactLink.objects.filter(enrolment_id=enrolment.pk).exists()
    assert request_contact(programme, enrolment).status_code == 302
    # Asked twice (a second tab): refused.
    again = client_for(programme.coordinator).post(url("programmes:partner_request", enrolment_id=enrolment.pk),
                                                    {"support_organisation": network.home.pk, "note": "Second"})
    assert again.status_code == 400
    assert PartnerContactLink.objects.filter(enrolment_id=enrolment.pk).count() == 1


def test_the_status_shows_only_when_shared(programme, enrolment):
    request_contact(programme, enrolment)
    link = PartnerContactLink.objects.get(enrolment_id=enrolment.pk)
    link = network_services.partner_status_set(by=programme.partner_worker, link=link, status="unsafe", share=False,
                                               version=link.version)
    html = page(programme.coordinator, enrolment).content.decode()
    assert "Not shared" in html and "Contact not safe at present" not in html
    network_services.partner_status_set(by=programme.partner_worker, link=link, status="engaged", share=True,
                                        version=link.version)
    html = page(programme.coordinator, enrolment).content.decode()
    assert "In contact with the service" in html and "Not shared" not in html


def test_send_an_event_by_hand(programme, enrolment, django_capture_on_commit_callbacks):
    request_contact(programme, enrolment)
    path = url("programmes:partner_event", enrolment_id=enrolment.pk)
    client = client_for(programme.facilitator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"kind": "absences", "note": "Missed two sessions in a row."})
    assert response.status_code == 302
    event = PartnerContactEvent.objects.filter(link__enrolment_id=enrolment.pk).latest("pk")
    assert event.kind == "absences" and event.note == "Missed two sessions in a row."
    assert len(mail.outbox) == 1 and "Missed" not in mail.outbox[0].body
    # The events list shows kind and date, never whether the service read them.
    network_services.partner_event_mark_seen(by=programme.partner_worker, link=event.link)
    html = page(programme.facilitator, enrolment).content.decode()
    assert "Repeated absences" in html and "Missed two sessions" not in html
    assert ">Seen<" not in html and ">New<" not in html
    # Bad input: 400, her entry kept.
    for data in ({"kind": "", "note": "Keep me"}, {"kind": "threat", "note": "Keep me"},
                 {"kind": "enrolled", "note": "Keep me"}, {"kind": "other", "note": ""}):
        response = client.post(path, data)
        assert response.status_code == 400, data
        if data["note"]:
            assert "Keep me" in response.content.decode()
    assert PartnerContactEvent.objects.filter(link__enrolment_id=enrolment.pk).count() == 2  # enrolled, absences


def test_an_event_needs_an_open_link(programme, enrolment):
    response = client_for(programme.facilitator).post(url("programmes:partner_event", enrolment_id=enrolment.pk),
                                                      {"kind": "suspended", "note": "Keep me"})
    assert response.status_code == 400 and "request it first" in response.content.decode()


def test_report_a_disclosed_threat(programme, enrolment, django_capture_on_commit_callbacks):
    request_contact(programme, enrolment)
    path = url("programmes:partner_threat", enrolment_id=enrolment.pk)
    client = client_for(programme.facilitator)
    assert client.post(path, {"note": ""}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"note": "He said he would wait for her after work."})
    assert response.status_code == 302
    event = PartnerContactEvent.objects.get(link__enrolment_id=enrolment.pk, kind=PartnerEventKind.THREAT)
    assert event.note == "He said he would wait for her after work." and event.sent_by == programme.facilitator
    assert AuditEvent.objects.filter(action="programmes.threat_disclosed").exists()
    assert mail.outbox and all("wait for her" not in m.body + m.subject for m in mail.outbox)
    assert "He disclosed a threat" in page(programme.facilitator, enrolment).content.decode()


def test_a_threat_without_partner_contact_is_recorded_with_a_warning(programme, enrolment):
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:partner_threat", enrolment_id=enrolment.pk), {"note": "A threat."},
                           follow=True)
    assert response.status_code == 200 and "no partner-support service was told" in response.content.decode()
    assert AuditEvent.objects.filter(action="programmes.threat_disclosed").exists()


def test_end_partner_contact_after_the_follow_up(programme, enrolment):
    request_contact(programme, enrolment)
    client = client_for(programme.coordinator)
    path = url("programmes:partner_end", enrolment_id=enrolment.pk)
    refused = client.post(path)
    assert refused.status_code == 400 and "ends after the follow-up" in refused.content.decode()
    for state in (EnrolmentState.COMPLETED_FAVOURABLE, EnrolmentState.FOLLOW_UP):
        enrolment.refresh_from_db()
        enrolment_services.enrolment_transition(by=programme.coordinator, enrolment=enrolment, to_state=state,
                                                reason="For the test.")
    assert client.post(path).status_code == 400  # the follow-up is not over
    enrolment.refresh_from_db()
    type(enrolment).objects.filter(pk=enrolment.pk).update(
        follow_up_due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert url("programmes:partner_end", enrolment_id=enrolment.pk) in page(programme.coordinator, enrolment).content.decode()
    assert client.post(path).status_code == 302
    link = PartnerContactLink.objects.get(enrolment_id=enrolment.pk)
    assert link.ended_at is not None
    assert AuditEvent.objects.filter(action="network.partner_link_ended").exists()
    html = page(programme.coordinator, enrolment).content.decode()
    assert "(ended)" in html and "Report a disclosed threat" not in html and "Ask for partner contact" in html
    assert client.post(path).status_code == 400  # nothing open any more


def test_it_checks_ownership(network, programme, enrolment):
    request_contact(programme, enrolment)
    other = Programme("elsewhere")
    # The cofacilitator does not work with him (not on his staff, no group of his).
    for user in (programme.cofacilitator, programme.partner_worker, other.facilitator, other.coordinator,
                 network["facilitator"], network["programme_coordinator"], network["partner_support_worker"],
                 network.outsider, network.superuser):
        assert_denied(page(user, enrolment))
        for name in ACTIONS:
            data = {"support_organisation": programme.support.pk, "kind": "suspended", "note": "x"}
            assert_denied(client_for(user).post(url(name, enrolment_id=enrolment.pk), data))
    for name in ACTIONS:
        assert client_for(programme.facilitator).get(url(name, enrolment_id=enrolment.pk)).status_code == 405
        assert_denied(client_for(programme.facilitator).post(url(name, enrolment_id=999999), {"note": "x"}))
    assert PartnerContactEvent.objects.filter(link__enrolment_id=enrolment.pk).count() == 1


def test_the_section_runs_a_fixed_number_of_queries(network, programme, enrolment, django_assert_max_num_queries):
    def measure():
        client = client_for(programme.facilitator)
        with django_assert_max_num_queries(80) as queries:
            assert client.get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk)).status_code == 200
        return len(queries.captured_queries)

    without_link = measure()
    for n in range(6):
        make_user(f"psw{n}@s{n}.example", roles=[Role.PARTNER_SUPPORT_WORKER], organisation=make_organisation(f"s{n}"))
    assert measure() == without_link
    request_contact(programme, enrolment)
    with_link = measure()
    for _ in range(6):
        services.partner_event_send(by=programme.facilitator, enrolment=enrolment, kind="absences", note="again")
    assert measure() == with_link
