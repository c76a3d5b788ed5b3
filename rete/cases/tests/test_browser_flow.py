"""The caseworker's whole flow in Chromium, from first contact to a closure approved by the
supervisor, with an axe check on every page; then a caseworker of another organisation gets
404 on every URL of that case."""
import io
import re

import pytest

from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.route(re.compile(r"^(?!" + re.escape(live_server.url) + ").*"), lambda route: route.abort())
    return context, page, errors


def test_a_case_from_first_contact_to_approved_closure(browser, live_server):  # noqa: F811
    from pypdf import PdfReader

    from rete.cases.models import Case, Incident, InformationGiven, NeedsAssessment, SafetyPlan, SupportService
    from rete.cases.tests.helpers import open_case

    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    other = make_organisation("other", name="Other Centre", country="CY", languages=("el",))
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    make_user("lead@home.example", roles=[Role.SUPERVISOR], organisation=home, first_name="Laura", last_name="Lead")
    make_user("stranger@other.example", roles=[Role.CASEWORKER], organisation=other)
    existing = open_case(worker, home, given_name="Lucia", family_name="Verdi", birth_year=1992)
    visited = []

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")

    # First contact, with the duplicate warning.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Register a first contact").click()
    visited.append(page.url)
    page.get_by_label("Given name").fill("Lucia")
    page.get_by_label("Family name").fill("Verdi")
    page.get_by_label("Year of birth (if the date is not known)").fill("1992")
    page.get_by_label("Preferred language").select_option("it")
    page.get_by_label("Yes, with the precautions below").check()
    page.get_by_label("Safe phone").fill("347 555 0101")
    page.get_by_role("button", name="Open the case").click()
    assert existing.reference in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("I have checked the possible matches: this is a different person").check()
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case = Case.objects.exclude(pk=existing.pk).get()
    case_url = page.url
    visited.append(case_url)
    assert_accessible(page)

    # An incident, classified with the GBVIMS questions.
    page.get_by_role("link", name="Record an incident").click()
    visited.append(page.url)
    page.get_by_label("Date of the incident").fill("2026-11-01")
    page.get_by_label("Date she told the service").fill("2026-11-03")
    page.get_by_label("Where did it happen?").select_option("home")
    questions = page.locator("fieldset").nth(1).locator("div.field")
    for index in range(6):
        questions.nth(index).get_by_label("Yes" if index == 2 else "No", exact=True).check()
    page.get_by_role("button", name="Check the type").click()
    page.get_by_text("Proposed type: Physical assault").first.wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Record the incident").click()
    page.wait_for_url(case_url)
    assert Incident.objects.get(case=case).gbv_type == "physical_assault"

    # The individual needs assessment (Art. 22).
    page.get_by_role("link", name="Assess her needs").click()
    visited.append(page.url)
    assert_accessible(page)
    page.get_by_label("Economically dependent on the perpetrator").check()
    page.get_by_label("Intimate-partner violence").check()
    page.get_by_label("Risk of intimidation").check()
    page.get_by_label("Interviews by a person of the same sex, if she wishes (Art. 23(2)(d))").check()
    page.get_by_label("She has specific protection needs").check()
    page.get_by_role("button", name="Record the assessment").click()
    page.wait_for_url(case_url)
    assessment = NeedsAssessment.objects.get(case=case)
    assert assessment.specific_protection_needs and assessment.special_measures == ["same_sex"]
    page.get_by_role("link", name=re.compile("Assessment 1|Open assessment 1")).first.click()
    visited.append(page.url)
    assert_accessible(page)
    page.goto(case_url)

    # Information given (Art. 4), and the leaflet in her language.
    page.get_by_role("link", name="Record information given").click()
    visited.append(page.url)
    assert_accessible(page)
    for letter in "abcd":
        page.locator(f"input[name='items'][value='{letter}']").check()
    page.get_by_role("button", name="Record the information given").click()
    page.wait_for_url(case_url)
    assert set(InformationGiven.objects.filter(case=case).values_list("item", flat=True)) == set("abcd")
    with page.expect_download() as leaflet:
        page.get_by_role("link", name=re.compile("Leaflet in|Rights leaflet in")).first.click()
    visited.append(leaflet.value.url)
    assert PdfReader(leaflet.value.path()).pages[0].extract_text()
    page.goto(case_url)

    # The safety plan, printed in the disguised format.
    page.get_by_role("link", name="Write the safety plan with her").click()
    visited.append(page.url)
    assert_accessible(page)
    page.get_by_label("Safe contacts and emergency numbers").fill("Her sister Anna; code word 'ombrello'.")
    page.get_by_label("Documents and emergency bag").fill("Passport and medicines at her sister's.")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_load_state()
    assert SafetyPlan.objects.get(case=case).safe_contacts.startswith("Her sister Anna")
    page.goto(case_url)
    with page.expect_download() as printout:
        page.get_by_role("link", name="Print (disguised as personal notes, PDF)").click()
    assert printout.value.suggested_filename == "notes.pdf"
    visited.append(printout.value.url)
    text = "".join(p.extract_text() for p in PdfReader(printout.value.path()).pages)
    assert "Her sister Anna" in text and "Casa Esempio" not in text and case.reference not in text and "Verdi" not in text

    # A service of the support plan.
    page.get_by_role("link", name="Add a service to the plan").click()
    visited.append(page.url)
    assert_accessible(page)
    page.get_by_label("The need").fill("Legal advice on separation")
    page.get_by_label("Service").select_option("legal")
    page.get_by_label("Due by").fill("2030-01-31")
    page.get_by_role("button", name=re.compile("Add to the plan|Save")).click()
    page.wait_for_url(case_url)
    service = SupportService.objects.get(case=case)
    page.get_by_role("link", name=re.compile("Update")).first.click()
    visited.append(page.url)
    assert_accessible(page)
    page.get_by_label("Status").select_option("delivered")
    page.get_by_label("Outcome").fill("Met the legal-aid lawyer twice.")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(case_url)
    assert SupportService.objects.get(pk=service.pk).status == "delivered"

    # Closure proposed by the caseworker, naming the supervisor who decides.
    page.get_by_role("link", name="Propose closing the case").click()
    visited.append(page.url)
    page.get_by_label("Her support goals were met").check()
    page.get_by_label("The safety plan was reviewed with her").check()
    page.get_by_label("Supervisor who decides").select_option(label="Laura Lead")
    assert_accessible(page)
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("Closure waiting for approval").first.wait_for()
    assert not csp_errors, csp_errors
    context.close()

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "lead@home.example")
    page.wait_for_url("**/start/")
    page.goto(case_url)
    page.get_by_role("link", name="Decide on the closure").click()
    visited.append(page.url)
    assert_accessible(page)
    page.get_by_label("Approve the closure").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(case_url)
    assert_accessible(page)
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert not csp_errors, csp_errors
    context.close()

    # A caseworker of another organisation reaches none of it: 404, as if it did not exist.
    context, page, _errors = new_page(browser, live_server)
    sign_in(page, "stranger@other.example")
    page.wait_for_url("**/start/")
    case_urls = [u for u in visited if f"/cases/{case.pk}/" in u]
    assert len(case_urls) >= 10
    for address in case_urls:
        assert page.request.get(address).status == 404, address
    context.close()


def test_the_safety_plan_draft_survives_leaving_the_page(browser, live_server):  # noqa: F811
    from rete.cases.models import FormDraft, SafetyPlan
    from rete.cases.tests.helpers import open_case

    home = make_organisation("home")
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    case = open_case(worker, home)
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    page.goto(f"/en/cases/{case.pk}/safety-plan/")
    page.get_by_label("Leaving in an emergency").fill("Back door; the neighbour keeps a key.")
    page.get_by_text("Draft saved at").wait_for()  # announced politely to screen readers
    assert FormDraft.objects.filter(case=case, form="safety_plan").exists()
    page.goto(f"/en/cases/{case.pk}/")
    page.goto(f"/en/cases/{case.pk}/safety-plan/")
    assert "is restored below" in page.content()
    assert page.get_by_label("Leaving in an emergency").input_value() == "Back door; the neighbour keeps a key."
    assert_accessible(page)
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_load_state()
    assert SafetyPlan.objects.get(case=case).leaving_plan.startswith("Back door")
    assert not FormDraft.objects.filter(case=case).exists()
    assert not csp_errors, csp_errors
    context.close()


def test_every_page_of_the_case_file_is_accessible(browser, live_server):  # noqa: F811
    """The pages the main flow does not walk: axe finds nothing on any of them."""
    import datetime

    from django.utils import timezone

    from rete.cases import services
    from rete.cases.tests.helpers import open_case

    home = make_organisation("home")
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    make_user("lead@home.example", roles=[Role.SUPERVISOR], organisation=home)
    make_user("dpo@home.example", roles=[Role.DPO], organisation=home)
    case = open_case(worker, home)
    proceeding = services.proceeding_add(by=worker, case=case, kind="family", court="Court (test)", court_reference="", status="pending", outcome="")
    hearing = services.hearing_add(by=worker, case=case, proceeding_id=proceeding.pk, at=timezone.now() + datetime.timedelta(days=2),
                                   place="Room 2", purpose="", accompanied=False)
    child = services.related_person_add(by=worker, case=case, kind="child", name="Test child", birth_year=2018, sex="female",
                                        relationship="child", cohabiting="yes", needs="School", notes="")
    services.attachment_add(by=worker, case=case, filename="letter.txt", data=b"A letter.", description="Letter")
    pages = [
        f"/en/cases/{case.pk}/justice/", f"/en/cases/{case.pk}/justice/complaints/new/", f"/en/cases/{case.pk}/justice/orders/new/",
        f"/en/cases/{case.pk}/justice/proceedings/new/", f"/en/cases/{case.pk}/justice/hearings/{hearing.pk}/",
        f"/en/cases/{case.pk}/people/new/?kind=perpetrator", f"/en/cases/{case.pk}/people/{child.pk}/",
        f"/en/cases/{case.pk}/documents/new/", f"/en/cases/{case.pk}/person/", f"/en/cases/{case.pk}/consents/new/",
        "/en/cases/?scope=mine&due=overdue", "/en/start/",
    ]
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    for address in pages:
        response = page.goto(address)
        assert response.status == 200, address
        assert_accessible(page)
    context.close()
    # The supervisor's break-glass page and the caseload she supervises; the DPO's review page.
    for email, addresses in (("lead@home.example", [f"/en/cases/{case.pk}/", "/en/cases/?scope=team"]),
                             ("dpo@home.example", ["/en/cases/break-glass/"])):
        context, page, errors = new_page(browser, live_server)
        sign_in(page, email)
        page.wait_for_url("**/start/")
        for address in addresses:
            assert page.goto(address).status == 200, address
            assert_accessible(page)
        csp_errors += errors
        context.close()
    assert not csp_errors, csp_errors
