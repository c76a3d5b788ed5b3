"""Part "mandate-assessment", the pages: the court order's section and pages, its recipients, the
suitability section and its decision. Ownership (404), refused input (400 with her entries
kept), stale edits (409 with both versions), reading audited, queries bounded."""
import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.programmes.models import (
    EnrolmentState,
    LegalMandate,
    ReportRecipient,
    Session,
    SessionKind,
    SessionStatus,
)
from rete.programmes.services import mandate as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_mandate

pytestmark = pytest.mark.django_db

CASE_NUMBER = "RG Sentinel-6611/2026"
COURT = "Tribunale Sentinel-6612"
CONDITION = "Sentinel-6613: complete with active participation"
REASON = "Sentinel-6614: he recognises the violence and accepts the rules"


def mandate_post(**changes):
    today = timezone.localdate()
    data = {"basis": "art_165_cp", "court": COURT, "case_number": CASE_NUMBER,
            "order_on": (today - datetime.timedelta(days=10)).isoformat(), "start_by": "", "sessions_per_week": "2",
            "duration_weeks": "26", "deadline": "", "favourable_outcome_condition": CONDITION, "consent_recorded": "on",
            "report_every_weeks": "12", "notes": "", "version": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return make_enrolment(programme, state=EnrolmentState.ACTIVE, source="court_165")


@pytest.fixture
def assessing(programme):
    return make_enrolment(programme, state=EnrolmentState.ASSESSING, given_name="Aldo")


def outsiders(network, programme):
    other = Programme("alt")
    return (programme.cofacilitator, other.facilitator, other.coordinator, programme.partner_worker, network.outsider,
            network.superuser, network["facilitator"], network["programme_coordinator"])


def page(user, enrolment):
    return client_for(user).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))


def section_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# ---- the court order: section and page -----------------------------------------------------------------


def test_the_section_invites_to_record_the_order_of_a_court_referred_man(programme, enrolment):
    shown = page(programme.facilitator, enrolment).content.decode()
    assert "No court order is recorded" in shown
    assert "He was referred by a court or by probation" in shown
    assert url("programmes:mandate_edit", enrolment_id=enrolment.pk) in shown


def test_the_section_shows_the_order_and_who_must_be_told_what(programme, enrolment):
    mandate = make_mandate(enrolment, programme.facilitator, case_number=CASE_NUMBER, consent_recorded=False, deadline=None,
                           order_on=datetime.date(2025, 6, 10), sessions_per_week=2)
    ReportRecipient.objects.create(mandate=mandate, kind="probation", name="UEPE Esempio", contact="uepe@pec.example",
                                   reports=["start", "final"])
    shown = page(programme.facilitator, enrolment).content.decode()
    assert CASE_NUMBER in shown and "At least 2 sessions a week" in shown
    assert "His consent is not recorded in the order." in shown
    assert "the term is five years from the date of the order" in shown
    assert "UEPE Esempio" in shown and "Start notice; Final outcome report" in shown


def test_the_mandate_page_is_for_whoever_may_open_the_enrolment(network, programme, enrolment):
    make_mandate(enrolment, programme.facilitator)
    for user in outsiders(network, programme):
        client = client_for(user)
        assert_denied(client.get(url("programmes:mandate_edit", enrolment_id=enrolment.pk)))
        assert_denied(client.post(url("programmes:mandate_edit", enrolment_id=enrolment.pk), mandate_post(version="1")))
    assert LegalMandate.objects.get().version == 1
    for user in (programme.facilitator, programme.coordinator):
        assert client_for(user).get(url("programmes:mandate_edit", enrolment_id=enrolment.pk)).status_code == 200
    assert_denied(client_for(programme.facilitator).get(url("programmes:mandate_edit", enrolment_id=999999)))


def test_reading_the_mandate_page_is_audited_with_ids_only(programme, enrolment):
    client = client_for(programme.facilitator)
    client.get(url("programmes:mandate_edit", enrolment_id=enrolment.pk))
    assert not AuditEvent.objects.filter(action="programmes.mandate_viewed").exists()  # nothing to read yet
    mandate = make_mandate(enrolment, programme.facilitator, case_number=CASE_NUMBER)
    response = client.get(url("programmes:mandate_edit", enrolment_id=enrolment.pk))
    assert CASE_NUMBER in response.content.decode()
    event = AuditEvent.objects.get(action="programmes.mandate_viewed")
    assert event.detail == {"enrolment": enrolment.pk, "mandate": mandate.pk}


def test_an_order_is_recorded_from_its_page(programme, enrolment):
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:mandate_edit", enrolment_id=enrolment.pk), mandate_post(consent_recorded=None))
    assert response.status_code == 302
    mandate = LegalMandate.objects.get(enrolment=enrolment)
    assert (mandate.court, mandate.case_number, mandate.consent_recorded) == (COURT, CASE_NUMBER, False)
    followed = client.get(response["Location"]).content.decode()
    assert "The order does not record his consent" in followed
    assert enrolment.court_reports.filter(kind="start").exists()  # he is active already: the court hears of the start


@pytest.mark.parametrize("changes, message", [
    ({"start_by": "2000-01-01"}, "He cannot have to start before the date of the order."),
    ({"sessions_per_week": "9"}, "Ensure this value is less than or equal to 7."),
    ({"court": ""}, "This field is required."),
    ({"order_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}, "The order cannot be dated in the future."),
])
def test_a_refused_order_shows_the_page_again_with_her_entries(programme, enrolment, changes, message):
    response = client_for(programme.facilitator).post(url("programmes:mandate_edit", enrolment_id=enrolment.pk),
                                                      mandate_post(**changes))
    assert response.status_code == 400
    shown = response.content.decode()
    assert message in shown and CASE_NUMBER in shown and CONDITION in shown
    assert not LegalMandate.objects.exists()


def test_a_stale_order_shows_both_versions(programme, enrolment):
    make_mandate(enrolment, programme.facilitator, court="Tribunale di Prima")
    services.mandate_save(by=programme.coordinator, enrolment=enrolment, version=1, basis="art_165_cp",
                          court="Tribunale Saved-Meanwhile", case_number="RG 1/2026", order_on=timezone.localdate())
    response = client_for(programme.facilitator).post(url("programmes:mandate_edit", enrolment_id=enrolment.pk),
                                                      mandate_post(version="1"))
    assert response.status_code == 409
    shown = response.content.decode()
    assert "Tribunale Saved-Meanwhile" in shown and COURT in shown and 'value="2"' in shown
    assert LegalMandate.objects.get().court == "Tribunale Saved-Meanwhile"
    # Saving again (the page now carries the saved version) keeps her entries.
    again = client_for(programme.facilitator).post(url("programmes:mandate_edit", enrolment_id=enrolment.pk),
                                                   mandate_post(version="2"))
    assert again.status_code == 302 and LegalMandate.objects.get().court == COURT


def test_an_order_recorded_meanwhile_is_a_conflict_not_a_second_order(programme, enrolment):
    make_mandate(enrolment, programme.coordinator, court="Tribunale First")
    response = client_for(programme.facilitator).post(url("programmes:mandate_edit", enrolment_id=enrolment.pk), mandate_post())
    assert response.status_code == 409 and "Tribunale First" in response.content.decode()
    assert LegalMandate.objects.count() == 1


def test_the_mandate_page_answers_get_and_post_only(programme, enrolment):
    response = client_for(programme.facilitator).put(url("programmes:mandate_edit", enrolment_id=enrolment.pk))
    assert response.status_code == 405


# ---- recipients ----------------------------------------------------------------------------------------------


def test_recipients_are_added_edited_and_removed_from_their_pages(programme, enrolment):
    make_mandate(enrolment, programme.facilitator)
    client = client_for(programme.facilitator)
    assert client.get(url("programmes:mandate_recipient_add", enrolment_id=enrolment.pk)).status_code == 200
    added = client.post(url("programmes:mandate_recipient_add", enrolment_id=enrolment.pk),
                        {"kind": "court", "name": "Tribunale, cancelleria", "contact": "pec@trib.example", "reports": ["start", "final"]})
    assert added.status_code == 302
    recipient = ReportRecipient.objects.get()
    edit_url = url("programmes:mandate_recipient_edit", enrolment_id=enrolment.pk, mandate_recipient_id=recipient.pk)
    shown = client.get(edit_url)
    assert shown.status_code == 200 and "pec@trib.example" in shown.content.decode()
    assert AuditEvent.objects.filter(action="programmes.mandate_recipient_viewed").count() == 1
    assert client.post(edit_url, {"kind": "probation", "name": "UEPE", "reports": ["periodic"]}).status_code == 302
    recipient.refresh_from_db()
    assert (recipient.kind, recipient.name, recipient.contact, recipient.reports) == ("probation", "UEPE", "", ["periodic"])
    remove_url = url("programmes:mandate_recipient_remove", enrolment_id=enrolment.pk, mandate_recipient_id=recipient.pk)
    assert client.get(remove_url).status_code == 405
    assert client.post(remove_url).status_code == 302
    assert not ReportRecipient.objects.exists()


def test_a_refused_recipient_shows_the_page_again_with_her_entries(programme, enrolment):
    make_mandate(enrolment, programme.facilitator)
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:mandate_recipient_add", enrolment_id=enrolment.pk),
                           {"kind": "court", "name": "Cancelleria Sentinel-6615", "contact": "kept@pec.example"})
    assert response.status_code == 400
    assert "Cancelleria Sentinel-6615" in response.content.decode() and "kept@pec.example" in response.content.decode()
    recipient = ReportRecipient.objects.create(mandate=enrolment.mandate, kind="court", name="Court", reports=["start"])
    response = client.post(url("programmes:mandate_recipient_edit", enrolment_id=enrolment.pk, mandate_recipient_id=recipient.pk),
                           {"kind": "court", "name": "Renamed Sentinel-6616", "reports": ["nonsense"]})
    assert response.status_code == 400 and "Renamed Sentinel-6616" in response.content.decode()
    assert ReportRecipient.objects.get().name == "Court"


def test_recipients_check_ownership(network, programme, enrolment):
    make_mandate(enrolment, programme.facilitator)
    recipient = ReportRecipient.objects.create(mandate=enrolment.mandate, kind="court", name="Court", reports=["start"])
    for user in outsiders(network, programme):
        client = client_for(user)
        assert_denied(client.get(url("programmes:mandate_recipient_add", enrolment_id=enrolment.pk)))
        assert_denied(client.post(url("programmes:mandate_recipient_add", enrolment_id=enrolment.pk),
                                  {"kind": "court", "name": "X", "reports": ["start"]}))
        edit_url = url("programmes:mandate_recipient_edit", enrolment_id=enrolment.pk, mandate_recipient_id=recipient.pk)
        assert_denied(client.get(edit_url))
        assert_denied(client.post(edit_url, {"kind": "court", "name": "X", "reports": ["start"]}))
        assert_denied(client.post(url("programmes:mandate_recipient_remove", enrolment_id=enrolment.pk,
                                      mandate_recipient_id=recipient.pk)))
    # A recipient of another man's mandate, under this enrolment: 404 too.
    other = make_enrolment(programme, given_name="Piero", mandate=True)
    client = client_for(programme.facilitator)
    assert_denied(client.get(url("programmes:mandate_recipient_edit", enrolment_id=other.pk, mandate_recipient_id=recipient.pk)))
    assert_denied(client.post(url("programmes:mandate_recipient_remove", enrolment_id=other.pk, mandate_recipient_id=recipient.pk)))
    # No mandate: no recipient to add.
    bare = make_enrolment(programme, given_name="Bruno")
    assert_denied(client.get(url("programmes:mandate_recipient_add", enrolment_id=bare.pk)))
    assert ReportRecipient.objects.filter(name="Court").count() == 1 and ReportRecipient.objects.count() == 1


# ---- the suitability decision -------------------------------------------------------------------------------


def test_while_assessing_the_section_shows_sessions_risk_and_the_decision_form(programme, assessing):
    Session.objects.create(organisation=programme.organisation, kind=SessionKind.ASSESSMENT, enrolment=assessing,
                           starts_at=timezone.now() - datetime.timedelta(days=3), status=SessionStatus.HELD, topic="First interview")
    shown = page(programme.facilitator, assessing).content.decode()
    assert "1 held of 1 assessment session recorded." in shown and "First interview" in shown
    assert "No risk assessment signed off yet: assess his risk before deciding." in shown
    assert url("programmes:suitability_decide", enrolment_id=assessing.pk) in shown
    assert f"{programme.pathway_version.pathway.name}, version 1" in shown


def test_an_enquiry_has_no_suitability_section(programme):
    enquiry = make_enrolment(programme, given_name="Enzo")
    assert "suitability-title" not in page(programme.facilitator, enquiry).content.decode()


def test_accepting_him_on_a_pathway_ends_the_assessment(programme, assessing):
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:suitability_decide", enrolment_id=assessing.pk), {
        "version": assessing.version, "decision": "accepted", "reason": REASON, "pathway_version": programme.pathway_version.pk,
        "start_state": "motivational", "referred_to": ""})
    assert response.status_code == 302
    assessing.refresh_from_db()
    assert (assessing.state, assessing.suitability, assessing.pathway_version_id) == (
        "motivational", "accepted", programme.pathway_version.pk)
    shown = page(programme.facilitator, assessing).content.decode()
    assert REASON in shown and "Accepted" in shown and f"{programme.pathway_version.pathway.name}, version 1" in shown
    assert not any(REASON in repr(e.detail) for e in AuditEvent.objects.all())


def test_referring_him_elsewhere_says_where(programme, assessing):
    client = client_for(programme.coordinator)
    response = client.post(url("programmes:suitability_decide", enrolment_id=assessing.pk), {
        "version": assessing.version, "decision": "referred_elsewhere", "reason": REASON, "referred_to": "Addiction service"})
    assert response.status_code == 302
    assessing.refresh_from_db()
    assert (assessing.state, assessing.referred_to) == ("referred_elsewhere", "Addiction service")
    assert "Addiction service" in page(programme.coordinator, assessing).content.decode()


@pytest.mark.parametrize("post, message", [
    ({"decision": "accepted", "reason": ""}, "This field is required."),
    ({"decision": "accepted", "reason": "Sentinel-6617 kept", "pathway_version": ""}, "Choose a pathway in use at the programme."),
    ({"decision": "referred_elsewhere", "reason": "Sentinel-6617 kept", "referred_to": ""}, "Say where he was referred."),
    ({"decision": "", "reason": "Sentinel-6617 kept"}, "This field is required."),
])
def test_a_refused_decision_shows_the_page_again_with_her_entries(programme, assessing, post, message):
    response = client_for(programme.facilitator).post(url("programmes:suitability_decide", enrolment_id=assessing.pk),
                                                      {"version": assessing.version, **post})
    assert response.status_code == 400
    shown = response.content.decode()
    assert message in shown
    if post["reason"]:
        assert post["reason"] in shown
    assessing.refresh_from_db()
    assert assessing.state == EnrolmentState.ASSESSING


def test_a_stale_decision_shows_both_versions(programme, assessing):
    from rete.programmes.services import enrolments

    seen = assessing.version
    enrolments.suitability_decide(by=programme.coordinator, enrolment=assessing, decision="not_suitable",
                                  reason="Saved-meanwhile reasons", version=seen)
    response = client_for(programme.facilitator).post(url("programmes:suitability_decide", enrolment_id=assessing.pk), {
        "version": seen, "decision": "accepted", "reason": REASON, "pathway_version": programme.pathway_version.pk,
        "start_state": "waiting"})
    assert response.status_code == 409
    shown = response.content.decode()
    assert "Saved-meanwhile reasons" in shown and REASON in shown and "Not suitable" in shown
    assessing.refresh_from_db()
    assert assessing.suitability == "not_suitable"


def test_the_decision_checks_ownership_and_answers_post_only(network, programme, assessing):
    data = {"version": assessing.version, "decision": "not_suitable", "reason": REASON}
    for user in outsiders(network, programme):
        assert_denied(client_for(user).post(url("programmes:suitability_decide", enrolment_id=assessing.pk), data))
    assessing.refresh_from_db()
    assert assessing.state == EnrolmentState.ASSESSING
    assert client_for(programme.facilitator).get(url("programmes:suitability_decide", enrolment_id=assessing.pk)).status_code == 405


# ---- bounded queries -----------------------------------------------------------------------------------------


def _fill(programme, enrolment, n):
    mandate = getattr(enrolment, "mandate", None) if LegalMandate.objects.filter(enrolment=enrolment).exists() else None
    mandate = mandate or make_mandate(enrolment, programme.facilitator)
    for index in range(n):
        ReportRecipient.objects.create(mandate=mandate, kind="court", name=f"Office {index}", contact=f"office{index}@pec.example",
                                       reports=["start", "periodic"])
        Session.objects.create(organisation=programme.organisation, kind=SessionKind.ASSESSMENT, enrolment=enrolment,
                               starts_at=timezone.now() - datetime.timedelta(days=index + 1), status=SessionStatus.HELD)


def test_the_sections_issue_a_fixed_number_of_queries(programme, assessing, django_assert_max_num_queries):
    from rete.programmes.views import mandate as views

    _fill(programme, assessing, 6)
    request = section_request(programme.facilitator)
    with django_assert_max_num_queries(2):
        shown = views._mandate_section(request, assessing)
    assert len(shown["recipients"]) == 6
    with django_assert_max_num_queries(3 + 4):  # sessions (2), pathways (1), his risk (4, shared with the risk section)
        shown = views._suitability_section(request, assessing)
    assert shown["sessions"]["total"] == 6
    with django_assert_max_num_queries(0):
        views._risk_section(request, assessing)  # read already, once per page


def test_the_pages_do_not_grow_with_the_rows(programme, assessing):
    def count(client, path):
        client.get(path)  # the first request of a session writes the session too
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    client = client_for(programme.facilitator)
    _fill(programme, assessing, 1)
    paths = [url("programmes:enrolment_detail", enrolment_id=assessing.pk), url("programmes:mandate_edit", enrolment_id=assessing.pk)]
    few = [count(client, path) for path in paths]
    _fill(programme, assessing, 8)
    assert [count(client, path) for path in paths] == few
