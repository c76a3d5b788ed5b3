"""The separation, proved over the API (part "api"): the partner-support side of an enrolment
holds her case (her name a sentinel), its own contact status (not shared) and the notes of the
programme's events (sentinels); the programme's own protected notes are sentinels too. No answer
of the programmes API ever carries any of them, and the contact status stays null until the
partner-support worker shares it."""
import pytest
from django.utils import timezone

from rete.cases.tests.helpers import open_case
from rete.conftest import client_for, make_user
from rete.core.models import AuditEvent, Role
from rete.network.models import PartnerContactLink
from rete.network.services import partner_contact
from rete.programmes.models import Attendance, ComplianceEvent, CourtReport, EnrolmentState, LegalMandate, SessionStatus
from rete.programmes.services import enrolments as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db

HER_GIVEN, HER_FAMILY = "Zeffirina", "Quarzopetrosa"
HER_PHONE = "+39 347 555 0199"
EVENT_NOTE = "Sentinel-event-note-K7Q2"
THREAT_NOTE = "Sentinel-threat-note-M3V8"
REQUEST_NOTE = "Sentinel-request-note-P5W1"
PROGRAMME_NOTES = "Sentinel-programme-note-J9D4"
SENTINELS = (HER_GIVEN, HER_FAMILY, HER_PHONE, EVENT_NOTE, THREAT_NOTE, REQUEST_NOTE, PROGRAMME_NOTES,
             "In contact with the service")


def api(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


@pytest.fixture
def programme(network):
    return Programme()


def separated_enrolment(programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, mandate=True)
    LegalMandate.objects.filter(enrolment=enrolment).update(notes=PROGRAMME_NOTES)
    link = partner_contact.partner_link_request(
        by=programme.facilitator, programme_organisation=programme.organisation, enrolment_id=enrolment.pk,
        enrolment_reference=enrolment.reference, support_organisation=programme.support, note=REQUEST_NOTE)
    # The partner-support side: her own case, attached to the link, and a status NOT shared.
    worker = make_user("caseworker@prog-support.example", roles=[Role.PARTNER_SUPPORT_WORKER, Role.CASEWORKER],
                       organisation=programme.support)
    case = open_case(worker, programme.support, given_name=HER_GIVEN, family_name=HER_FAMILY, phone=HER_PHONE)
    link = partner_contact.partner_link_attach_case(by=worker, link=link, case=case)
    link = partner_contact.partner_status_set(by=worker, link=link, status="engaged", share=False, version=link.version)
    # The programme's events for her service, with notes only that service reads.
    partner_contact.partner_event_send(by=programme.facilitator, link=link, kind="absences", note=EVENT_NOTE)
    enrolment.refresh_from_db()
    services.threat_disclose(by=programme.facilitator, enrolment=enrolment, note=THREAT_NOTE)
    # The programme's own protected notes.
    group = make_group(programme, members=[enrolment], sessions=2, starts_on=enrolment.started_on)
    for session in group.sessions.all():
        session.status, session.notes = SessionStatus.HELD, PROGRAMME_NOTES
        session.save(update_fields=["status", "notes"])
        Attendance.objects.create(session=session, enrolment=enrolment, status="absent", note=PROGRAMME_NOTES,
                                  recorded_by=programme.facilitator, recorded_at=timezone.now())
    ComplianceEvent.objects.create(enrolment=enrolment, rule="absences", level="warning", key="absences-warning",
                                   detail={"absences": 2, "threshold": 2}, at=timezone.now(), response=PROGRAMME_NOTES)
    CourtReport.objects.filter(enrolment=enrolment).update(assessment=PROGRAMME_NOTES, facts={"text": PROGRAMME_NOTES})
    enrolment.refresh_from_db()
    return enrolment, worker, PartnerContactLink.objects.get(pk=link.pk)


def every_answer(user, enrolment):
    """Every programmes API answer about the enrolment the user may get (reads, and each kind of
    answer to a change of state)."""
    client = client_for(user)
    answers = [client.get(api("programmes_api:enrolment_list")),
               client.get(api("programmes_api:enrolment_list") + f"?reference={enrolment.reference}")]
    answers += [client.get(api(name, enrolment_id=enrolment.pk)) for name in (
        "programmes_api:enrolment_detail", "programmes_api:enrolment_state_changes", "programmes_api:enrolment_attendance",
        "programmes_api:enrolment_compliance_events", "programmes_api:enrolment_court_reports")]
    path = api("programmes_api:enrolment_transition", enrolment_id=enrolment.pk)
    answers.append(client.post(path, {"to_state": "nonsense", "reason": "x", "version": enrolment.version},
                               content_type="application/json"))
    answers.append(client.post(path, {"to_state": "suspended", "reason": "x", "version": enrolment.version + 99},
                               content_type="application/json"))
    assert [a.status_code for a in answers] == [200] * 7 + [400, 409], [a.status_code for a in answers]
    return answers


def assert_no_sentinel(answers):
    for answer in answers:
        body = answer.content.decode()
        for sentinel in SENTINELS:
            assert sentinel not in body, (answer.request["PATH_INFO"], sentinel)


def test_no_partner_data_and_no_protected_note_in_any_answer(network, programme):
    enrolment, worker, link = separated_enrolment(programme)
    assert link.status == "engaged" and link.partner_case_id is not None and not link.status_shared
    # The sentinels are there to be found (the test is not vacuous).
    from rete.network.models import PartnerContactEvent

    assert {EVENT_NOTE, THREAT_NOTE} <= set(PartnerContactEvent.objects.filter(link=link).values_list("note", flat=True))
    assert link.partner_case.person.given_name == HER_GIVEN and link.request_note == REQUEST_NOTE
    for user in (programme.facilitator, programme.coordinator):
        answers = every_answer(user, enrolment)
        assert_no_sentinel(answers)
        partner = answers[2].json()["partner_contact"]
        assert partner == {"reference": link.reference, "service": programme.support.name,
                           "requested_at": partner["requested_at"], "shared_status": None, "ended": False}
    # Nothing of it in the audit trail either.
    for event in AuditEvent.objects.all():
        for sentinel in SENTINELS:
            assert sentinel not in str(event.detail)


def test_the_status_appears_only_once_shared(network, programme):
    enrolment, worker, link = separated_enrolment(programme)
    detail = api("programmes_api:enrolment_detail", enrolment_id=enrolment.pk)
    assert client_for(programme.facilitator).get(detail).json()["partner_contact"]["shared_status"] is None
    link = partner_contact.partner_status_set(by=worker, link=link, status="engaged", share=True, version=link.version)
    response = client_for(programme.facilitator).get(detail)
    assert response.json()["partner_contact"]["shared_status"] == "engaged"
    for sentinel in SENTINELS[:-1]:
        assert sentinel not in response.content.decode()
    # She stops sharing: null again. The link ends: the programme sees that it ended.
    link = partner_contact.partner_status_set(by=worker, link=link, status="declined", share=False, version=link.version)
    assert client_for(programme.facilitator).get(detail).json()["partner_contact"]["shared_status"] is None
    partner_contact.partner_link_end(by=programme.coordinator, enrolment_id=enrolment.pk)
    assert client_for(programme.facilitator).get(detail).json()["partner_contact"]["ended"] is True


def test_the_partner_support_workers_reach_nothing_of_the_programme(network, programme):
    enrolment, worker, link = separated_enrolment(programme)
    for user in (worker, programme.partner_worker):
        client = client_for(user)
        assert client.get(api("programmes_api:enrolment_list")).status_code == 404
        for name in ("programmes_api:enrolment_detail", "programmes_api:enrolment_state_changes",
                     "programmes_api:enrolment_attendance", "programmes_api:enrolment_compliance_events",
                     "programmes_api:enrolment_court_reports"):
            assert client.get(api(name, enrolment_id=enrolment.pk)).status_code == 404
