"""Partner safety, the separation between the programme and partner support (part
"partner-safety"): whoever works, or once worked, with the man never reaches his partner's side
(the link's support page, her case), never joins her case's team, never gets e-mails about her
contact; whoever works on her side never joins his staff. Proved through the pages, the API
and the services, whatever the roles a person holds."""
import pytest
from django.core import mail
from django.http import Http404

from rete.cases.models import CaseAssignment
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, make_user, reauthenticated, url
from rete.core.models import Membership, Role
from rete.core.services import ServiceError
from rete.network.models import PartnerContactLink
from rete.network.selectors import partner_contact as partner_selectors
from rete.network.services import partner_contact as network_services
from rete.programmes.models import EnrolmentState, GroupFacilitator
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import partner as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    services.partner_contact_request(by=programme.facilitator, enrolment=enrolment,
                                     support_organisation_id=programme.support.pk, note="He started the group.")
    return enrolment


@pytest.fixture
def link(enrolment):
    return PartnerContactLink.objects.get(enrolment_id=enrolment.pk)


@pytest.fixture
def partner_case(programme, link):
    """Her case, kept by the partner-support worker in her own service, attached to the link."""
    case = open_case(programme.partner_worker, programme.support, given_name="Anna", family_name="Partner")
    network_services.partner_link_attach_case(by=programme.partner_worker, link=link, case=case)
    return case


def both_sides(programme, email, *, roles=(Role.PARTNER_SUPPORT_WORKER,)):
    """Someone who is a facilitator at the programme and holds `roles` at the support service."""
    user = make_user(email, roles=[Role.FACILITATOR], organisation=programme.organisation)
    for role in roles:
        Membership.objects.create(user=user, organisation=programme.support, role=role)
    return user


def partner_side_pages(link, case):
    return [url("network:partner_link_detail", partner_link_id=link.pk), url("cases:case_detail", pk=case.pk),
            f"/api/v1/cases/{case.pk}/"]


def test_the_partner_support_worker_keeps_her_case(programme, link, partner_case):
    """Partner-support workers open cases in their own service (rete.cases.access.OPEN_CASES)."""
    client = client_for(programme.partner_worker)
    for path in partner_side_pages(link, partner_case):
        assert client.get(path).status_code == 200, path
    assert client.get(url("cases:caseload")).status_code == 200
    assert client.get(url("cases:intake")).status_code == 200
    assert PartnerContactLink.objects.get(pk=link.pk).partner_case_id == partner_case.pk


def test_the_mans_facilitators_get_404_on_her_side(programme, enrolment, link, partner_case):
    group = make_group(programme, members=[enrolment], facilitators=[programme.cofacilitator])
    assert group.facilitators.filter(user=programme.cofacilitator).exists()
    for user in (programme.facilitator, programme.cofacilitator, programme.coordinator):
        for path in partner_side_pages(link, partner_case):
            assert_denied(client_for(user).get(path))


def test_a_facilitator_with_a_case_role_at_her_service_never_opens_her_case(programme, enrolment, link, partner_case):
    """Even in a service where every case worker sees every case, and as a supervisor there."""
    programme.support.org_wide_visibility = True
    programme.support.save(update_fields=["org_wide_visibility"])
    dual = both_sides(programme, "dual@prog.example",
                      roles=(Role.PARTNER_SUPPORT_WORKER, Role.CASEWORKER, Role.SUPERVISOR))
    client = client_for(dual)
    # Before working with him she is a partner-support worker like any other.
    assert client.get(url("cases:case_detail", pk=partner_case.pk)).status_code == 200
    enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=dual, role="facilitator")
    client = client_for(dual)
    for path in partner_side_pages(link, partner_case):
        assert_denied(client.get(path))
    assert_denied(reauthenticated(client, dual).post(url("cases:break_glass", pk=partner_case.pk),
                                                     {"reason": "I need to see it now, for her safety."}))
    # Another case of the same service stays open to her; hers is in none of her lists.
    other = open_case(programme.partner_worker, programme.support)
    assert client.get(url("cases:case_detail", pk=other.pk)).status_code == 200
    for scope in ("team", "all"):
        caseload = client.get(url("cases:caseload") + f"?scope={scope}").content.decode()
        assert other.reference in caseload and partner_case.reference not in caseload


def test_a_partner_support_worker_who_once_worked_with_him_cannot_see_the_link(programme, enrolment, link):
    worker = both_sides(programme, "once@prog.example")
    detail = url("network:partner_link_detail", partner_link_id=link.pk)
    assert client_for(worker).get(detail).status_code == 200
    row = enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=worker, role="assessor")
    assert_denied(client_for(worker).get(detail))
    enrolment_services.staff_end(by=programme.coordinator, enrolment=enrolment, staff_id=row.pk)
    assert_denied(client_for(worker).get(detail))
    assert link.pk not in [item.pk for item in partner_selectors.partner_links_for_support(user=worker)]
    with pytest.raises(Http404):
        network_services.partner_event_mark_seen(by=worker, link=link)
    # The same for a facilitator of a group he was in, after the group ended for her.
    group_worker = both_sides(programme, "group@prog.example")
    group = make_group(programme, members=[enrolment], facilitators=[group_worker])
    GroupFacilitator.objects.filter(group=group, user=group_worker).update(ended_at="2020-01-01T00:00:00Z")
    assert_denied(client_for(group_worker).get(detail))


def test_staff_assign_refuses_a_person_on_the_partner_side(programme, enrolment, link, partner_case):
    on_team = both_sides(programme, "team@prog.example", roles=(Role.PARTNER_SUPPORT_WORKER, Role.CASEWORKER))
    CaseAssignment.objects.create(case=partner_case, user=on_team)
    reader = both_sides(programme, "reader@prog.example")
    assert network_services.partner_event_mark_seen(by=reader, link=link) >= 1
    for user in (on_team, reader):
        with pytest.raises(ServiceError) as exc:
            enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=user, role="facilitator")
        assert exc.value.field == "user"
    assert not enrolment.staff.filter(user__in=[on_team, reader]).exists()
    # Someone who is not on her side may be assigned.
    free = both_sides(programme, "free@prog.example")
    enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=free, role="facilitator")


def test_attach_refuses_a_case_with_anyone_who_ever_worked_with_him(programme, enrolment, link):
    former = both_sides(programme, "former@prog.example", roles=(Role.CASEWORKER,))
    row = enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=former, role="assessor")
    enrolment_services.staff_end(by=programme.coordinator, enrolment=enrolment, staff_id=row.pk)
    group_former = both_sides(programme, "groupformer@prog.example", roles=(Role.CASEWORKER,))
    group = make_group(programme, members=[enrolment], facilitators=[group_former])
    GroupFacilitator.objects.filter(group=group).update(ended_at="2020-01-01T00:00:00Z")
    for person in (former, group_former):
        case = open_case(programme.partner_worker, programme.support)
        CaseAssignment.objects.create(case=case, user=person)
        with pytest.raises(ServiceError) as exc:
            network_services.partner_link_attach_case(by=programme.partner_worker, link=link, case=case)
        assert exc.value.field == "case"
        response = client_for(programme.partner_worker).post(
            url("network:partner_link_attach", partner_link_id=link.pk), {"case": case.pk})
        assert response.status_code == 400
    assert PartnerContactLink.objects.get(pk=link.pk).partner_case_id is None


def test_e_mails_never_reach_anyone_who_works_with_him_nor_carry_the_note(programme, network,
                                                                        django_capture_on_commit_callbacks):
    staff_worker = both_sides(programme, "staffpsw@prog.example")
    group_worker = both_sides(programme, "grouppsw@prog.example")
    bystander = make_user("bystander@support.example", roles=[Role.PARTNER_SUPPORT_WORKER], organisation=programme.support)
    enrolment = make_enrolment(programme, state=EnrolmentState.WAITING)
    enrolment_services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=staff_worker, role="facilitator")
    make_group(programme, members=[enrolment], facilitators=[group_worker])
    notes = ("NOTE-REQUEST he knows where she works", "NOTE-EVENT he was angry", "NOTE-THREAT he said he would hurt her")
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_contact_request(by=programme.coordinator, enrolment=enrolment,
                                         support_organisation_id=programme.support.pk, note=notes[0])
        services.partner_event_send(by=programme.facilitator, enrolment=enrolment, kind="other", note=notes[1])
        enrolment_services.threat_disclose(by=programme.facilitator, enrolment=enrolment, note=notes[2])
        enrolment.refresh_from_db()
        enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=enrolment,
                                                to_state=EnrolmentState.ACTIVE, reason="NOTE-REASON starts")
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {programme.partner_worker.email, bystander.email}
    assert len(mail.outbox) == 2 * 4  # enrolled, other, threat, started: to the two of them
    for message in mail.outbox:
        text = message.subject + message.body + "".join(str(a) for a in message.alternatives)
        for note in (*notes, "NOTE-REASON"):
            assert note.split()[0] not in text
    working_with_him = {programme.facilitator.email, programme.coordinator.email, programme.cofacilitator.email,
                        staff_worker.email, group_worker.email}
    assert not recipients & working_with_him
