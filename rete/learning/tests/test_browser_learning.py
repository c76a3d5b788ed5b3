"""Mutual learning in Chromium, with axe checks on every page visited:
1. a practice from submission through the EIGE review to publication on the public portal: a
   caseworker shares her centre's practice and submits it; a network coordinator of another
   organisation checks it against the basic criteria; two trainers of other organisations score
   it on the grid; the coordinator concludes it is promising, records it as selected and
   publishes it; a visitor finds it on the public portal.
2. a seminar from registration through attendance, the tests before and after and the
   certificate check: a trainer creates the event, its session and a knowledge test, opens
   registration and makes an invitation link; a member of another organisation registers and
   takes the test before; the trainer records attendance and marks the event held; the member
   takes the test after, answers the satisfaction survey, sees her knowledge gain; the trainer
   issues the certificates; a visitor checks the code on the public page and sees only the name,
   the event and its dates."""
import datetime
import re

import pytest
from django.utils import timezone

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, email):  # noqa: F811
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, email)
    page.wait_for_url("**/start/")
    return context, page, csp_errors


def _no_errors(page):
    """The form was accepted: no error message on the page it led to."""
    errors = page.locator(".errorlist, .error-summary, [role=alert]").all_inner_texts()
    assert not [e for e in errors if e.strip()], errors


def _submit(page, action_part):
    """Click the submit button of the form whose action contains `action_part`."""
    page.locator(f"form[action*='{action_part}'] button[type=submit]").first.click()


def test_a_practice_from_submission_to_publication(browser, live_server):  # noqa: F811
    from rete.learning.models import Practice, PracticeStatus
    from rete.learning.services.review import install_default_grid

    install_default_grid()
    owner_org = make_organisation("salva", name="Casa Esempio Roma", languages=("it", "en"))
    coordination = make_organisation("coord", name="Network Coordination", country="CY", languages=("en", "el"))
    burgas = make_organisation("burgas", name="Burgas Centre", country="BG", languages=("bg", "en"))
    make_user("owner@salva.example", roles=[Role.CASEWORKER], organisation=owner_org)
    make_user("coordinator@coord.example", roles=[Role.NETWORK_COORDINATOR], organisation=coordination)
    make_user("lead@coord.example", roles=[Role.NETWORK_COORDINATOR], organisation=coordination)
    make_user("trainer@coord.example", roles=[Role.TRAINER], organisation=coordination)
    make_user("trainer@burgas.example", roles=[Role.TRAINER], organisation=burgas)

    # The caseworker shares her centre's practice and submits it.
    context, page, csp_errors = _signed_in(browser, live_server, "owner@salva.example")
    page.get_by_role("link", name="Practices").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Share a practice").click()
    assert_accessible(page)
    page.locator("[name=source_language]").select_option("en")
    page.locator("[name=pillar]").select_option("protection")
    page.locator("[name=target_groups][value=survivors]").check()
    page.locator("[name=violence_forms][value=intimate_partner]").check()
    page.locator("[name=title]").fill("Safety luggage for women leaving home")
    page.locator("[name=summary]").fill("An emergency kit prepared with her before she leaves.")
    page.locator("[name=description]").fill("Caseworkers prepare a bag with copies of documents and essentials.")
    page.locator("[name=how_it_works]").fill("1. Assess the risk. 2. Prepare the bag together. 3. Agree where to keep it.")
    page.locator("[name=evidence]").fill("Questionnaires before and after with forty women.")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r".*/learning/practices/\d+/$"))
    assert_accessible(page)
    practice = Practice.objects.get()
    page.get_by_role("button", name="Submit to the network's review").click()
    page.wait_for_url(re.compile(r".*/learning/practices/\d+/$"))
    assert Practice.objects.get().status == PracticeStatus.SUBMITTED
    assert_accessible(page)
    context.close()

    # The coordinator checks it against the basic criteria.
    context, page, csp_errors_2 = _signed_in(browser, live_server, "coordinator@coord.example")
    page.get_by_role("link", name="Reviews").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Safety luggage for women leaving home").first.click()
    for radio in page.locator("input[type=radio][name^=basic_][value=yes]").all():
        radio.check()
    assert_accessible(page)
    _submit(page, "/check/")
    page.wait_for_url(re.compile(r".*/learning/practices/\d+/$"))
    assert Practice.objects.get().status == PracticeStatus.IN_REVIEW
    context.close()

    # Two trainers of other organisations score it.
    for email, score in (("trainer@coord.example", "4"), ("trainer@burgas.example", "3")):
        context, page, errors = _signed_in(browser, live_server, email)
        csp_errors.extend(errors)
        page.goto(f"/en/learning/practices/{practice.pk}/review/")
        assert_accessible(page)
        names = set(page.locator("input[type=radio][name^=score_]").evaluate_all("els => els.map(e => e.name)"))
        for name in names:
            page.locator(f"input[name={name}][value='{score}']").check()
        page.locator("[name=comment]").fill("Clear steps; transferable to any centre.")
        with page.expect_navigation():
            page.get_by_role("button", name="Send my review").click()
        assert_accessible(page)
        context.close()
    assert Practice.objects.get().reviews.count() == 2

    # Another coordinator (a second sign-in within the same 30 s would reuse the TOTP code)
    # concludes, records the selection and publishes.
    context, page, errors = _signed_in(browser, live_server, "lead@coord.example")
    csp_errors.extend(errors + csp_errors_2)
    page.goto(f"/en/learning/practices/{practice.pk}/")
    assert_accessible(page)
    page.locator("input[name=decision][value=promising]").check()
    _submit(page, "/conclude/")
    page.wait_for_url(re.compile(r".*/learning/practices/\d+/$"))
    assert Practice.objects.get().status == PracticeStatus.PROMISING
    _submit(page, "/select/")
    page.wait_for_url(re.compile(r".*/learning/practices/\d+/$"))
    assert Practice.objects.get().status == PracticeStatus.SELECTED
    _submit(page, "/publish/")
    page.wait_for_url(re.compile(r".*/learning/practices/\d+/$"))
    assert Practice.objects.get().status == PracticeStatus.PUBLISHED
    assert_accessible(page)
    context.close()

    # The owner did not choose the public portal: a visitor does not find it there.
    context, page, errors = new_page(browser, live_server)
    csp_errors.extend(errors)
    page.goto("/en/practices/")
    assert_accessible(page)
    assert page.get_by_text("Safety luggage for women leaving home").count() == 0
    context.close()
    assert not csp_errors, csp_errors


def test_a_seminar_from_registration_to_a_checked_certificate(browser, live_server):  # noqa: F811
    import zoneinfo

    from rete.learning.models import (Registration, SatisfactionResponse, SessionAttendance, TestAttempt,
                                      TrainingEvent)

    host = make_organisation("cipm", name="Centro Esempio Milano", languages=("it", "en"))
    guest_org = make_organisation("aphvf", name="Nicosia Centre", country="CY", languages=("el", "en"))
    make_user("trainer@cipm.example", roles=[Role.TRAINER], organisation=host)
    make_user("eleni@aphvf.example", roles=[Role.CASEWORKER], organisation=guest_org, first_name="Eleni",
              last_name="Example")
    # The whole seminar takes place today, in the event's time zone, so that every window is open.
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Rome")).date().isoformat()

    # The trainer creates the seminar, its session and its knowledge test, and opens registration.
    context, page, csp_errors = _signed_in(browser, live_server, "trainer@cipm.example")
    page.get_by_role("link", name="Training").first.click()
    assert_accessible(page)
    page.goto("/en/learning/events/new/")
    assert_accessible(page)
    page.locator("[name=kind]").select_option("seminar")
    page.locator("[name=title]").fill("Transnational seminar on risk assessment")
    page.locator("[name=starts_on]").fill(today)
    page.locator("[name=ends_on]").fill(today)
    page.locator("[name=time_zone]").select_option("Europe/Rome")
    page.locator("[name=country]").select_option("IT")
    page.locator("[name=venue]").fill("Sala Esempio")
    page.locator("[name=city]").fill("Milan")
    page.locator("[name=capacity]").fill("20")
    page.locator("[name=languages][value=en]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Create the event").click()
    _no_errors(page)
    event = TrainingEvent.objects.get()
    page.goto(f"/en/learning/events/{event.pk}/sessions/new/")
    assert_accessible(page)
    page.locator("[name=title]").fill("Risk assessment in practice")
    page.locator("[name=day]").fill(today)
    page.locator("[name=start_time]").fill("00:01")
    page.locator("[name=end_time]").fill("23:59")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the session").click()
    _no_errors(page)
    page.goto(f"/en/learning/events/{event.pk}/test/")
    assert_accessible(page)
    for question, options, correct in (("Which instrument is used at the scene?", ["SARA", "A diary"], "1"),
                                       ("Who is told when risk rises?", ["Nobody", "The partner-support service"], "2")):
        page.locator("[name=question]").fill(question)
        page.locator("[name=option_1]").fill(options[0])
        page.locator("[name=option_2]").fill(options[1])
        page.locator(f"input[name=correct][value='{correct}']").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Add the question").click()
    assert event.test_items.count() == 2
    page.goto(f"/en/learning/events/{event.pk}/")
    with page.expect_navigation():
        page.locator("form[action*='/status/']:has(input[name=status][value=open]) button[type=submit]").click()
    event.refresh_from_db()
    assert event.status == "open"
    assert_accessible(page)
    trainer_page = page

    # A caseworker of another organisation registers and takes the test before. (Both stay
    # signed in: signing in again within 30 s would reuse the same one-time code.)
    context, page, errors = _signed_in(browser, live_server, "eleni@aphvf.example")
    csp_errors.extend(errors)
    page.goto(f"/en/learning/events/{event.pk}/")
    assert_accessible(page)
    page.goto(f"/en/learning/events/{event.pk}/register/")
    assert_accessible(page)
    page.locator("[name=organisation_kind]").select_option("victim_support")
    page.locator("[name=country]").select_option("CY")
    page.locator("[name=profession]").select_option("social_worker")
    page.locator("[name=sex]").select_option("female")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    registration = Registration.objects.get()
    assert registration.status == "registered"
    page.goto(f"/en/learning/my-training/{registration.pk}/test/pre/")
    assert_accessible(page)
    items = list(event.test_items.order_by("order", "pk"))
    page.locator(f"input[name=item-{items[0].pk}][value='0']").check()  # right
    page.locator(f"input[name=item-{items[1].pk}][value='0']").check()  # wrong
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert TestAttempt.objects.get(registration=registration, phase="pre").score == 1
    her_page, page = page, trainer_page

    # The trainer records attendance and marks the seminar held.
    session = event.sessions.get()
    page.goto(f"/en/learning/events/{event.pk}/sessions/{session.pk}/attendance/")
    assert_accessible(page)
    page.locator(f"input[name=r{registration.pk}][value=present]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the attendance").click()
    assert SessionAttendance.objects.get(registration=registration).status == "present"
    page.goto(f"/en/learning/events/{event.pk}/")
    with page.expect_navigation():
        page.locator("form[action*='/status/']:has(input[name=status][value=held]) button[type=submit]").click()
    event.refresh_from_db()
    assert event.status == "held"
    page = her_page

    # She takes the test after and gives her opinion; her page shows her gain.
    page.goto(f"/en/learning/my-training/{registration.pk}/test/post/")
    page.locator(f"input[name=item-{items[0].pk}][value='0']").check()
    page.locator(f"input[name=item-{items[1].pk}][value='1']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert TestAttempt.objects.get(registration=registration, phase="post").score == 2
    page.goto(f"/en/learning/my-training/{registration.pk}/satisfaction/")
    assert_accessible(page)
    for name in set(page.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)")):
        page.locator(f"input[type=radio][name='{name}']").last.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert SatisfactionResponse.objects.filter(registration=registration).exists()
    page.goto(f"/en/learning/my-training/{registration.pk}/")
    assert_accessible(page)
    page = trainer_page

    # The trainer issues the certificates and reads the results.
    page.goto(f"/en/learning/events/{event.pk}/")
    with page.expect_navigation():
        page.locator("form[action*='/certificates/issue/'] button[type=submit]").click()
    registration.refresh_from_db()
    assert registration.certificate_code
    page.goto(f"/en/learning/events/{event.pk}/results/")
    assert_accessible(page)

    # Anyone can check the code, and sees only her name, the event and its dates.
    context, page, errors = new_page(browser, live_server)
    csp_errors.extend(errors)
    page.goto("/en/certificates/verify/")
    assert_accessible(page)
    page.locator("input[type=text]").fill(registration.certificate_code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    assert_accessible(page)
    body = page.locator("main").inner_text()
    assert "Eleni Example" in body and "Transnational seminar on risk assessment" in body
    assert "eleni@aphvf.example" not in body and "Nicosia Centre" not in body
    context.close()
    assert not csp_errors, csp_errors
