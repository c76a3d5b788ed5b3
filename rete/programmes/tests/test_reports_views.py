"""Court and probation reports in the browser (part "court-reports"): the section on the
enrolment's page, the report's page and its actions, the PDF, the list of reports to do."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import AuditEvent, Role
from rete.programmes.models import CourtReport, ReportKind, ReportRecipient, ReportStatus
from rete.programmes.services import court_reports as services
from rete.programmes.tests.factories import Programme, make_enrolment
from rete.programmes.tests.test_reports_services import (
    SENTINEL,
    add_partner_sentinels,
    attended_enrolment,
    start_notice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return attended_enrolment(programme, given_name="Ottavio", family_name="Brambilla")


def drafted(programme, enrolment, *, assessment="He attends and takes part.", language="en"):
    report = services.report_draft(by=programme.facilitator, report=start_notice(enrolment))
    return services.report_edit(by=programme.facilitator, report=report, version=report.version, assessment=assessment,
                                language=language)


def pdf_text(response) -> str:
    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _report_urls(report):
    return [("get", url("programmes:court_report_detail", court_report_id=report.pk)),
            ("get", url("programmes:court_report_pdf", court_report_id=report.pk)),
            ("post", url("programmes:court_report_generate", court_report_id=report.pk)),
            ("post", url("programmes:court_report_edit", court_report_id=report.pk)),
            ("post", url("programmes:court_report_sign", court_report_id=report.pk)),
            ("post", url("programmes:court_report_send", court_report_id=report.pk)),
            ("post", url("programmes:court_report_cancel", court_report_id=report.pk))]


# ---- ownership ---------------------------------------------------------------------------------------


def test_it_checks_ownership(programme, enrolment, network):
    report = drafted(programme, enrolment)
    other = Programme("else")
    stranger = make_user("stranger@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    for person in (network.outsider, other.coordinator, other.facilitator, stranger, programme.partner_worker,
                   network["programme_coordinator"], network.superuser):
        client = client_for(person)
        for method, address in _report_urls(report):
            response = getattr(client, method)(address, {"version": report.version, "assessment": "Hijack", "language": "en",
                                                         "reason": "Hijack"})
            assert_denied(response)
    report.refresh_from_db()
    assert report.assessment == "He attends and takes part." and report.status == ReportStatus.DRAFT
    # A report that does not exist: the same answer.
    assert_denied(client_for(programme.coordinator).get(url("programmes:court_report_detail", court_report_id=999999)))
    # The list of reports to do: nobody outside a programme.
    for person in (network.outsider, network["caseworker"], programme.partner_worker):
        assert_denied(client_for(person).get(url("programmes:court_report_list")))


def test_the_actions_answer_post_only(programme, enrolment):
    report = start_notice(enrolment)
    client = client_for(programme.coordinator)
    for name in ("court_report_generate", "court_report_edit", "court_report_sign", "court_report_send", "court_report_cancel"):
        assert client.get(url(f"programmes:{name}", court_report_id=report.pk)).status_code == 405


# ---- the section on the enrolment's page ---------------------------------------------------------------


def test_the_section_lists_his_reports_with_the_overdue_flagged(programme, enrolment):
    report = start_notice(enrolment)
    CourtReport.objects.filter(pk=report.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    response = client_for(programme.facilitator).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="reports-title"' in body and "Start notice" in body and "overdue" in body
    assert "Draft from the record" in body and "Tribunale di Esempio" in body


def test_no_section_without_a_mandate_or_a_report(programme):
    enrolment = make_enrolment(programme, state="active")
    response = client_for(programme.facilitator).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))
    assert response.status_code == 200 and 'id="reports-title"' not in response.content.decode()


def test_the_section_issues_a_fixed_number_of_queries(programme, enrolment, django_assert_max_num_queries):
    client = client_for(programme.facilitator)
    address = url("programmes:enrolment_detail", enrolment_id=enrolment.pk)
    client.get(address)
    with CaptureQueriesContext(connection) as one:
        assert client.get(address).status_code == 200
    today = timezone.localdate()
    for weeks in range(1, 7):
        services.report_due(enrolment=enrolment, kind=ReportKind.PERIODIC, due_on=today,
                            period_from=today - datetime.timedelta(weeks=weeks + 1),
                            period_to=today - datetime.timedelta(weeks=weeks))
    with django_assert_max_num_queries(len(one)):
        response = client.get(address)
    assert response.content.decode().count("Attendance and participation report") == 6


def test_drafting_from_the_section(programme, enrolment):
    report = start_notice(enrolment)
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:court_report_generate", court_report_id=report.pk),
                           {"from": "section", "version": report.version})
    assert response.status_code == 302 and response["Location"].endswith(f"/court-reports/{report.pk}/")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.facts["attendance"]["period"]["offered"] == 8
    # Refused (marked not needed meanwhile): the enrolment's page again, with the reason.
    services.report_cancel(by=programme.coordinator, report=report, version=report.version, reason="Not ordered.")
    response = client.post(url("programmes:court_report_generate", court_report_id=report.pk), {"from": "section"})
    assert response.status_code == 400 and 'id="reports-title"' in response.content.decode()
    assert "not needed" in response.content.decode()


# ---- the report's page ---------------------------------------------------------------------------------


def test_the_report_page_shows_the_facts_and_is_audited(programme, enrolment):
    add_partner_sentinels(programme, enrolment)
    report = drafted(programme, enrolment)
    response = client_for(programme.facilitator).get(url("programmes:court_report_detail", court_report_id=report.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "RG 1234/2026" in body and "Ottavio Brambilla" in body and "He attends and takes part." in body
    assert "Absences that count under the attendance rules" in body and "Sign off" not in body  # a facilitator
    assert SENTINEL not in body and "In contact with the service" not in body
    event = AuditEvent.objects.filter(action="programmes.court_report_viewed").latest("seq")
    assert event.detail == {"enrolment": enrolment.pk, "report": report.pk, "kind": "start"}
    coordinator_page = client_for(programme.coordinator).get(url("programmes:court_report_detail", court_report_id=report.pk))
    assert "Sign off" in coordinator_page.content.decode()


def test_editing_bad_input_keeps_her_entries(programme, enrolment):
    report = drafted(programme, enrolment)
    response = client_for(programme.facilitator).post(
        url("programmes:court_report_edit", court_report_id=report.pk),
        {"assessment": "My careful words.", "language": "xx", "version": report.version})
    assert response.status_code == 400
    assert "My careful words." in response.content.decode()
    report.refresh_from_db()
    assert report.assessment == "He attends and takes part."


def test_a_stale_edit_shows_both_versions(programme, enrolment):
    report = drafted(programme, enrolment)
    opened = report.version
    services.report_edit(by=programme.coordinator, report=report, version=opened, assessment="The coordinator's words.",
                         language="en")
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:court_report_edit", court_report_id=report.pk),
                           {"assessment": "The facilitator's words.", "language": "en", "version": opened})
    assert response.status_code == 409
    body = response.content.decode()
    assert "The coordinator&#x27;s words." in body and "The facilitator&#x27;s words." in body and 'id="conflict-title"' in body
    report.refresh_from_db()
    assert report.assessment == "The coordinator's words."
    # Saving again from the conflict page (its version) goes through.
    response = client.post(url("programmes:court_report_edit", court_report_id=report.pk),
                           {"assessment": "Agreed words.", "language": "it", "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assessment == "Agreed words." and report.language == "it"


def test_sign_off_is_for_coordinators_only(programme, enrolment):
    report = drafted(programme, enrolment)
    address = url("programmes:court_report_sign", court_report_id=report.pk)
    assert_denied(client_for(programme.facilitator).post(address, {"version": report.version}))
    coordinator = client_for(programme.coordinator)
    assert coordinator.post(address, {"version": report.version - 1}).status_code == 409
    assert coordinator.post(address, {}).status_code == 400
    response = coordinator.post(address, {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED and report.signed_by == programme.coordinator
    # Nothing changes after sign-off.
    response = client_for(programme.facilitator).post(url("programmes:court_report_edit", court_report_id=report.pk),
                                                      {"assessment": "Later.", "language": "en", "version": report.version})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.assessment == "He attends and takes part."


def test_recording_the_sending(programme, enrolment):
    court = ReportRecipient.objects.create(mandate=enrolment.mandate, kind="court", name="Tribunale di Esempio",
                                           reports=["start"])
    ReportRecipient.objects.create(mandate=enrolment.mandate, kind="defence", name="Avv. Esempio", reports=["final"])
    report = drafted(programme, enrolment)
    report = services.report_sign(by=programme.coordinator, report=report, version=report.version)
    client = client_for(programme.facilitator)
    page = client.get(url("programmes:court_report_detail", court_report_id=report.pk)).content.decode()
    assert "Tribunale di Esempio" in page and "Avv. Esempio" not in page and "Certified e-mail (PEC)" in page
    address = url("programmes:court_report_send", court_report_id=report.pk)
    today = timezone.localdate().isoformat()
    response = client.post(address, {"method": "post", "sent_on": today, "version": report.version})
    assert response.status_code == 400 and 'id="send-method_2" checked' in response.content.decode()
    response = client.post(address, {"recipients": [str(court.pk)], "method": "pec", "sent_on": today,
                                     "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT and report.sent_to == ["Tribunale di Esempio"]
    page = client.get(url("programmes:court_report_detail", court_report_id=report.pk)).content.decode()
    assert "Certified e-mail (PEC)" in page and "Record the sending" not in page


def test_not_needed_from_the_page(programme, enrolment):
    report = start_notice(enrolment)
    address = url("programmes:court_report_cancel", court_report_id=report.pk)
    assert_denied(client_for(programme.facilitator).post(address, {"reason": "No.", "version": report.version}))
    coordinator = client_for(programme.coordinator)
    response = coordinator.post(address, {"reason": "", "version": report.version})
    assert response.status_code == 400
    assert coordinator.post(address, {"reason": "Already reported.", "version": report.version - 1}).status_code == 409
    response = coordinator.post(address, {"reason": "Already reported by the court's own office.", "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CANCELLED and report.cancelled_by == programme.coordinator


# ---- the PDF --------------------------------------------------------------------------------------------


def test_no_pdf_before_the_draft(programme, enrolment):
    report = start_notice(enrolment)
    assert_denied(client_for(programme.coordinator).get(url("programmes:court_report_pdf", court_report_id=report.pk)))


def test_the_pdf_in_the_reports_language_without_her_data(programme, enrolment):
    from rete.programmes.models import Participant

    Participant.objects.filter(pk=enrolment.participant_id).update(date_of_birth="1980-03-14")
    add_partner_sentinels(programme, enrolment)
    report = drafted(programme, enrolment, language="en")
    client = client_for(programme.facilitator)
    response = client.get(url("programmes:court_report_pdf", court_report_id=report.pk))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    filename = f"{enrolment.reference}-start-{report.period_to.isoformat()}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    text = pdf_text(response)
    flat = " ".join(text.split())
    assert "RG 1234/2026" in flat and "Tribunale di Esempio" in flat and "Ottavio Brambilla" in flat
    assert "March 14, 1980" in flat and "Start notice" in flat and "DRAFT" in flat
    assert "He attends and takes part." in flat and programme.organisation.name in flat
    assert SENTINEL not in flat and "In contact with the service" not in flat and "partner" not in flat.lower()
    event = AuditEvent.objects.filter(action="programmes.court_report_printed").get()
    assert event.detail == {"enrolment": enrolment.pk, "report": report.pk, "kind": "start", "language": "en", "status": "draft"}

    # Signed off, in Italian: no watermark, the signer, Italian dates.
    report = services.report_edit(by=programme.facilitator, report=report, version=report.version,
                                  assessment=report.assessment, language="it")
    report = services.report_sign(by=programme.coordinator, report=report, version=report.version)
    text = " ".join(pdf_text(client.get(url("programmes:court_report_pdf", court_report_id=report.pk))).split())
    with translation.override("it"):
        italian_date = formats.date_format(datetime.date(1980, 3, 14), "DATE_FORMAT")
    assert italian_date in text and "March" not in text
    assert "DRAFT" not in text and programme.coordinator.get_full_name() in text
    assert "RG 1234/2026" in text and SENTINEL not in text


def test_a_final_report_pdf_says_the_outcome(programme, enrolment):
    from rete.programmes.services import enrolments as enrolment_services

    enrolment_services.enrolment_transition(by=programme.facilitator, enrolment=enrolment, to_state="completed_unfavourable",
                                            reason="Did not meet the condition.")
    final = CourtReport.objects.get(enrolment=enrolment, kind=ReportKind.FINAL)
    final = services.report_draft(by=programme.facilitator, report=final)
    services.report_edit(by=programme.facilitator, report=final, version=final.version, assessment="Unfavourable.",
                         language="en")
    text = " ".join(pdf_text(client_for(programme.coordinator).get(
        url("programmes:court_report_pdf", court_report_id=final.pk))).split())
    assert "Final outcome report" in text and "Unfavourable outcome" in text
    assert "Did not meet the condition." not in text  # a reason's text stays out


# ---- the list of reports to do ---------------------------------------------------------------------------


def test_the_list_of_reports_to_do(programme, enrolment, network, django_assert_max_num_queries):
    other_man = make_enrolment(programme, state="active", mandate=True, given_name="Luca", by=programme.coordinator)
    done = start_notice(other_man)
    CourtReport.objects.filter(pk=done.pk).update(status=ReportStatus.SENT)
    overdue = start_notice(enrolment)
    CourtReport.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    today = timezone.localdate()
    for weeks in range(1, 6):
        services.report_due(enrolment=other_man, kind=ReportKind.PERIODIC, due_on=today + datetime.timedelta(days=weeks),
                            period_from=today - datetime.timedelta(weeks=weeks + 1),
                            period_to=today - datetime.timedelta(weeks=weeks))
    coordinator = client_for(programme.coordinator)
    with django_assert_max_num_queries(12):
        response = coordinator.get(url("programmes:court_report_list"))
    body = response.content.decode()
    assert response.status_code == 200 and body.count("Attendance and participation report") == 5
    assert enrolment.reference in body and other_man.reference in body and "overdue" in body
    assert body.index(enrolment.reference) < body.index(other_man.reference)  # soonest due first
    assert "Ottavio" not in body and "Luca" not in body  # references only
    # The facilitator works with the first man only (his case manager, his group): not Luca's.
    body = client_for(programme.facilitator).get(url("programmes:court_report_list")).content.decode()
    assert enrolment.reference in body and other_man.reference not in body
    # The navigation names the page.
    assert "Court reports" in client_for(programme.facilitator).get(url("programmes:enrolment_list")).content.decode()
