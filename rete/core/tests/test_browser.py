"""User flows in Chromium (Debian's, launched by path) with an axe check on every page."""
import os
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from rete.conftest import PASSWORD, TOTP_SECRET, make_organisation, make_user
from rete.core.models import Membership, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("RETE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; scripts/system-deps.sh installs it")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (run scripts/system-deps.sh as root)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    # Nothing may be loaded from another host; the quick-exit destination is answered here.
    page.route(re.compile(r"^(?!" + re.escape(live_server.url) + ").*"), lambda route: route.fulfill(status=200, body="elsewhere"))
    yield page
    assert not page.csp_errors, page.csp_errors
    context.close()


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def code(offset=0):
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + offset))


def sign_in(page, email, second_factor=True):
    page.goto("/en/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if second_factor:
        page.wait_for_url("**/2fa/authenticate/")
        assert_accessible(page)
        page.get_by_label("Code").fill(code())
        page.get_by_role("button", name="Sign In").click()


def test_first_sign_in_forces_and_completes_totp_enrolment(page):
    home = make_organisation("home")
    make_user("new@home.example", roles=[Role.CASEWORKER], organisation=home, mfa=False)
    sign_in(page, "new@home.example", second_factor=False)
    page.goto("/en/start/")
    page.wait_for_url("**/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value() if page.locator("#authenticator_secret").count() else None
    if not secret:
        secret = re.search(r"[A-Z2-7]{16,}", page.content()).group(0)
    totp = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label("Authenticator code").fill(totp)
    page.get_by_role("button", name="Activate").click()
    page.goto("/en/start/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert_accessible(page)
    assert User.objects.get(email="new@home.example").authenticator_set.exists()


def test_wrong_password_keeps_the_address_and_says_why(page):
    make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=make_organisation("home"))
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("worker@home.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_label("Email").input_value() == "worker@home.example"
    assert "not correct" in page.content()
    assert_accessible(page)


def test_language_switch(page):
    make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=make_organisation("home"))
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    for name, code_ in (("Italiano", "it"), ("Ελληνικά", "el"), ("česky", "cs"), ("български", "bg")):
        page.get_by_role("navigation", name=re.compile("Language|Lingua|Γλώσσα|Jazyk|Език")).get_by_role("link", name=name).click()
        page.wait_for_url(f"**/{code_}/start/")
        assert page.locator("html").get_attribute("lang") == code_
        assert not page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
        assert_accessible(page)
    assert User.objects.get(email="worker@home.example").language == "bg"


def test_organisation_admin_adds_and_edits_a_member(page):
    home = make_organisation("home", name="Home Support Centre")
    make_user("admin@home.example", roles=[Role.ORG_ADMIN], organisation=home)
    sign_in(page, "admin@home.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a member").click()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("irene@home.example")
    page.get_by_label("First name").fill("Irene")
    page.get_by_role("button", name="Add member").click()
    # A missing field: the page says so and keeps what was typed.
    assert page.get_by_label("First name").input_value() == "Irene"
    assert page.get_by_label("E-mail address").input_value() == "irene@home.example"
    assert_accessible(page)
    page.get_by_label("Last name").fill("Markou")
    page.get_by_label("Caseworker").check()
    page.get_by_role("button", name="Add member").click()
    page.wait_for_url("**/org/home/members/")
    assert "Irene Markou" in page.content()
    page.get_by_role("link", name="Edit Irene Markou").click()
    assert_accessible(page)
    page.get_by_label("Supervisor").check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/org/home/members/")
    irene = User.objects.get(email="irene@home.example")
    assert set(Membership.objects.filter(user=irene, ended_at__isnull=True).values_list("role", flat=True)) == {Role.CASEWORKER, Role.SUPERVISOR}


def test_idle_warning_offers_to_stay_signed_in(page, settings):
    settings.RETE_IDLE_MINUTES = 1
    settings.SESSION_COOKIE_AGE = 60
    settings.RETE_IDLE_WARNING_SECONDS = 57  # the warning shows three seconds after the page loads
    make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=make_organisation("home"))
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible", timeout=5000)
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=2500)


def test_quick_exit_by_keyboard_leaves_and_back_does_not_return(page, live_server, settings):
    # Redirects cannot be intercepted by the test, so the "neutral site" is a file served here.
    settings.RETE_QUICK_EXIT_URL = live_server.url + "/static/rete/favicon.svg"
    page.goto("/en/")
    assert_accessible(page)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url("**/favicon.svg")
    page.go_back()
    assert "You are not alone" not in page.content()


def test_intake_with_duplicate_warning_opens_a_case(page):
    from rete.cases.tests.helpers import open_case

    home = make_organisation("home")
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    existing = open_case(worker, home, given_name="Lucia", family_name="Verdi", birth_year=1992)
    sign_in(page, "worker@home.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    assert_accessible(page)
    page.get_by_role("link", name="Register a first contact").click()
    assert_accessible(page)
    page.get_by_label("Given name").fill("lucia")
    page.get_by_label("Family name").fill("VERDI")
    page.get_by_label("Year of birth (if the date is not known)").fill("1992")
    page.get_by_label("Yes, with the precautions below").check()
    page.get_by_label("Safe phone").fill("347 555 0101")
    page.get_by_label("Code word").fill("pane")
    page.get_by_role("button", name="Open the case").click()
    alert = page.get_by_role("alert")
    assert existing.reference in alert.inner_text()
    assert page.get_by_label("Code word").input_value() == "pane"
    assert_accessible(page)
    page.get_by_label("I have checked the possible matches: this is a different person").check()
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url("**/cases/*/")
    assert "pane" in page.content() and "347 555 0101" in page.content()
    assert_accessible(page)


def test_case_note_and_closure_approved_by_the_supervisor(browser, live_server):
    from rete.cases.models import Case
    from rete.cases.tests.helpers import open_case

    home = make_organisation("home")
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    make_user("lead@home.example", roles=[Role.SUPERVISOR], organisation=home)
    case = open_case(worker, home)
    for email, steps in (("worker@home.example", "propose"), ("lead@home.example", "approve")):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        sign_in(page, email)
        page.wait_for_url("**/start/")
        page.goto(f"/en/cases/{case.pk}/")
        assert_accessible(page)
        if steps == "propose":
            page.get_by_label("New note").fill("Safety plan reviewed by phone.")
            page.get_by_role("button", name="Add the note").click()
            page.get_by_text("Safety plan reviewed by phone.").first.wait_for()
            page.get_by_role("link", name="Propose closing the case").click()
            assert_accessible(page)
            page.get_by_label("Her support goals were met").check()
            page.get_by_label("The safety plan was reviewed with her").check()
            page.get_by_role("button", name="Send for approval").click()
            page.get_by_text("Closure waiting for approval").first.wait_for()
        else:
            page.get_by_role("link", name="Decide on the closure").click()
            assert_accessible(page)
            page.get_by_label("Approve the closure").check()
            page.get_by_role("button", name="Record the decision").click()
            page.wait_for_url(f"**/cases/{case.pk}/")
            assert_accessible(page)
        context.close()
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_incident_classified_with_the_gbvims_questions(page):
    from rete.cases.models import Incident
    from rete.cases.tests.helpers import open_case

    home = make_organisation("home")
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    case = open_case(worker, home)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    page.goto(f"/en/cases/{case.pk}/")
    page.get_by_role("link", name="Record an incident").click()
    assert_accessible(page)
    page.get_by_label("Date of the incident").fill("2026-11-01")
    page.get_by_label("Date she told the service").fill("2026-11-03")
    page.get_by_label("Where did it happen?").select_option("home")
    questions = page.locator("fieldset").nth(1).locator("div.field")
    for index in range(6):
        answer = "Yes" if index in (2, 5) else "No"
        questions.nth(index).get_by_label(answer, exact=True).check()
    page.get_by_label("Intimate-partner violence").check()
    page.get_by_role("button", name="Check the type").click()
    page.get_by_text("Proposed type: Physical assault").first.wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Record the incident").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert Incident.objects.get().gbv_type == "physical_assault"
