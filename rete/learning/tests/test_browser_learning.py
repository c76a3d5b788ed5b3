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
