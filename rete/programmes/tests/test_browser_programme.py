"""A court-referred man through the programme, in Chromium with axe checks: the facilitator records
the enquiry with his own request, the court order and who must be told, the information contact,
the assessment and the decision to accept him on a pathway, and asks the partner-support service
to offer contact to his partner; the coordinator places him in the running group; the
facilitator keeps the register, and an absence pattern makes the attendance rules warn the
partner-support service and make a compliance notice due; the coordinator drafts, signs and
records the sending of that notice; he completes the programme and the final report is signed
and printed. His facilitator then gets 404 on his partner's case and on the partner-contact page."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from rete.cases.tests.test_browser_flow import new_page
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register(page, session, status):
    page.goto(_session_url(session))
    page.get_by_label("Topic").fill(f"Session {session.number}")
    page.locator(f"input[name$='-status'][value={status}]").check()
    if status in ("present", "late"):
        page.locator("select[name$='-participation']").select_option("adequate")
    page.get_by_role("button", name="Save the record and the attendance").click()
    page.get_by_text("The session record and its attendance were saved.").first.wait_for()


def _open(page, summary):
    """Unfold a <details> by its summary, unless it is open already."""
    details = page.locator("details", has=page.locator("summary", has_text=summary)).first
    if not details.evaluate("d => d.open"):
        details.locator("summary").first.click()


def _url(name, **kwargs):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def _session_url(session):
    return _url("programmes:session_detail", session_id=session.pk)


def test_a_court_referred_man_from_enquiry_to_final_report(browser, live_server):  # noqa: F811
    from rete.cases.tests.helpers import open_case
    from rete.network.models import PartnerContactEvent, PartnerContactLink
    from rete.network.services import partner_contact
    from rete.programmes.models import CourtReport, Enrolment, EnrolmentState, ReportStatus
    from rete.programmes.services.outcomes import questionnaires_install_shipped
    from rete.programmes.tests.factories import Programme, make_group

    questionnaires_install_shipped()
    programme = Programme("cipm")
    group = make_group(programme, name="Tuesday and Thursday group", sessions=6,
                       starts_on=timezone.localdate() - datetime.timedelta(days=24))
    sessions = list(group.sessions.order_by("starts_at"))
    today = timezone.localdate().isoformat()

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, programme.facilitator.email)
    page.wait_for_url("**/start/")

    # The enquiry: a court sends him, and he asks himself.
    page.get_by_role("link", name="Programme").first.click()
    page.get_by_role("link", name="Record a new enquiry").click()
    assert_accessible(page)
    page.locator("[name=given_name]").fill("Bruno")
    page.locator("[name=family_name]").fill("Esempio")
    page.locator("[name=birth_year]").fill("1981")
    page.locator("[name=source]").select_option("court_165")
    page.locator("[name=referrer_body]").fill("Tribunale di Esempio")
    page.locator("[name=own_request_on]").fill(today)
    page.get_by_role("button", name="Record the enquiry").click()
    page.wait_for_url("**/programmes/enrolments/*/")
    enrolment = Enrolment.objects.get()
    enrolment_url = page.url

    # The court order and who must be told what.
    page.get_by_role("link", name="Record a court order").click()
    page.locator("[name=basis]").select_option("art_165_cp")
    page.locator("[name=court]").fill("Tribunale di Esempio")
    page.locator("[name=case_number]").fill("RG 4321/2026")
    page.locator("[name=order_on]").fill((timezone.localdate() - datetime.timedelta(days=40)).isoformat())
    page.locator("input[name='consent_recorded']").check()
    page.get_by_role("button", name="Record the court order").click()
    page.wait_for_url(enrolment_url + "*")
    page.get_by_role("link", name="Add a recipient").click()
    page.locator("select[name='kind']").select_option("court")
    page.locator("input[name='name']").fill("Tribunale di Esempio, ufficio esecuzione")
    for box in page.locator("input[name='reports']").all():
        box.check()
    page.get_by_role("button", name="Add the recipient").click()
    page.wait_for_url(enrolment_url + "*")

    # The free information contact, the assessment and the decision.
    _open(page, "Record the information contact")
    page.locator("[name=information_contact_on]").fill(today)
    page.get_by_role("button", name="Save", exact=True).first.click()
    _open(page, "Change his state")
    page.locator("#transition-to_state").select_option("assessing")
    page.locator("#transition-reason").fill("He asked to start; two assessment interviews booked.")
    page.get_by_role("button", name="Change the state").click()
    page.locator("input[name=decision][value=accepted]").check()
    page.locator("#suitability-reason").fill("He acknowledges part of the violence and accepts the group rules.")
    page.locator("#suitability-pathway_version").select_option(index=1)
    page.locator("input[name=start_state][value=active]").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(str(EnrolmentState.ACTIVE.label)).first.wait_for()

    # Partner safety: her service is asked to offer contact.
    page.get_by_label("Partner-support service").select_option(label=programme.support.name)
    page.get_by_role("button", name="Ask for partner contact").click()
    page.get_by_text("PC-").first.wait_for()
    assert_accessible(page)
    link = PartnerContactLink.objects.get(enrolment_id=enrolment.pk)

    # As if he had started with the group three weeks ago (the sessions are in the past).
    Enrolment.objects.filter(pk=enrolment.pk).update(started_on=group.starts_on)

    # The coordinator places him in the group.
    coordinator_context, coordinator, coordinator_csp = new_page(browser, live_server)
    sign_in(coordinator, programme.coordinator.email)
    coordinator.wait_for_url("**/start/")
    coordinator.get_by_role("link", name="Groups").first.click()
    coordinator.get_by_role("link", name="Tuesday and Thursday group").click()
    coordinator.get_by_label("Man").select_option(index=1)
    coordinator.get_by_label("Joins on").fill(group.starts_on.isoformat())
    coordinator.get_by_role("button", name="Place him in the group").click()
    coordinator.get_by_text(enrolment.reference).first.wait_for()
    assert_accessible(coordinator)

    # The register: present, then three absences in a row.
    _register(page, sessions[0], "present")
    assert_accessible(page)
    _register(page, sessions[1], "absent")
    _register(page, sessions[2], "absent")
    page.get_by_text(f"Warning for {enrolment.reference}").first.wait_for()
    _register(page, sessions[3], "absent")
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.NON_COMPLIANT
    kinds = set(PartnerContactEvent.objects.filter(link=link).values_list("kind", flat=True))
    assert {"enrolled", "absences", "non_compliant"} <= kinds
    to_partner = [m for m in mail.outbox if programme.partner_worker.email in m.to]
    assert to_partner and all("RG 4321" not in m.body and "Bruno" not in m.body for m in to_partner)
    notice = CourtReport.objects.get(enrolment=enrolment, kind="compliance")
    assert notice.status == ReportStatus.DUE

    # The coordinator drafts the compliance notice, signs it off and records its sending.
    coordinator.get_by_role("link", name="Court reports").first.click()
    coordinator.locator(f"a[href$='/court-reports/{notice.pk}/']").first.click()
    coordinator.get_by_role("button", name="Draft from the record").click()
    coordinator.locator("#report-assessment").fill("He missed three sessions in a row without a reason.")
    coordinator.get_by_role("button", name="Save the report").click()
    coordinator.get_by_role("button", name="Sign off").click()
    coordinator.locator("input[name='recipients']").first.check()
    coordinator.locator("input[name='method']").first.check()
    coordinator.get_by_role("button", name="Record the sending").click()
    coordinator.get_by_text(str(ReportStatus.SENT.label)).first.wait_for()
    assert_accessible(coordinator)
    notice.refresh_from_db()
    assert notice.status == ReportStatus.SENT and notice.signed_by == programme.coordinator

    # He comes back and completes the programme; the final report falls due.
    page.goto(enrolment_url)
    for state, reason in ((EnrolmentState.ACTIVE, "He came back and attends regularly."),
                          (EnrolmentState.COMPLETED_FAVOURABLE, "All sessions attended; objectives met.")):
        _open(page, "Change his state")
        page.locator("#transition-to_state").select_option(state)
        page.locator("#transition-reason").fill(reason)
        page.get_by_role("button", name="Change the state").click()
        page.get_by_text(str(state.label)).first.wait_for()
    final = CourtReport.objects.get(enrolment=enrolment, kind="final")
    coordinator.get_by_role("link", name="Court reports").first.click()
    coordinator.locator(f"a[href$='/court-reports/{final.pk}/']").first.click()
    coordinator.get_by_role("button", name="Draft from the record").click()
    coordinator.locator("#report-assessment").fill("He completed the programme with a favourable outcome.")
    coordinator.get_by_role("button", name="Save the report").click()
    coordinator.get_by_role("button", name="Sign off").click()
    with coordinator.expect_download() as download_info:
        coordinator.get_by_role("link", name="Download the report (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    final.refresh_from_db()
    assert final.status == ReportStatus.SIGNED and final.outcome

    # Her case at the partner-support service: never reachable from his side.
    partner_case = open_case(programme.partner_worker, programme.support, given_name="Giada")
    partner_contact.partner_link_attach_case(by=programme.partner_worker, link=link, case=partner_case)
    for path in (_url("cases:case_detail", pk=partner_case.pk), _url("network:partner_link_detail", partner_link_id=link.pk)):
        response = page.goto(path)
        assert response.status == 404, path
    assert not csp_errors and not coordinator_csp
    coordinator_context.close()
    context.close()
