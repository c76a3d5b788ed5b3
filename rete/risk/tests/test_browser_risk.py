"""A risk assessment in Greek in Chromium: from the case page to a band with mandated actions
and a reassessment date, with an axe check on every page."""
import datetime
import re

import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETHAL = ("strangulation", "threats-to-kill", "weapons")


def test_an_assessment_in_greek_ends_in_a_band_with_actions_and_a_reassessment_date(browser, live_server):  # noqa: F811
    from rete.cases.tests.helpers import open_case
    from rete.risk import instruments, services
    from rete.risk.models import RiskAction, RiskAssessment, RiskStatus

    services.instruments_install_shipped()  # a transactional test starts from an emptied database
    home = make_organisation("home", country="CY", languages=("el", "en"))
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home, language="el")
    case = open_case(worker, home, language="el")
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")

    page.goto(f"/el/cases/{case.pk}/")
    assert page.locator("html").get_attribute("lang") == "el"
    page.locator(f"a[href='/el/risk/case/{case.pk}/new/']").click()
    assert_accessible(page)
    screen = next(i for i in __import__("rete.risk.selectors", fromlist=["x"]).instruments_available(organisation=home)
                  if i.code == "rete-victim-screen")
    definition = screen.definition
    assert instruments.text(definition["title"], "el") in page.content()
    page.check(f"#instrument-{screen.pk}")
    page.locator("form button.button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/el/risk/assessments/\d+/$"))
    assert_accessible(page)

    # Three lethal indicators and four others: 3×3 + 4 = 13, the top band.
    codes = [item["code"] for item in instruments.items(definition)]
    others = [code for code in codes if code not in LETHAL]
    for code in codes:
        page.check(f"#answer-{code}-{'yes' if code in LETHAL or code in others[:4] else 'no'}")
    page.locator("button[name=review]").click()
    page.wait_for_url(re.compile(r".*/sign/$"))
    top = definition["bands"][-1]
    assert instruments.text(top["label"], "el") in page.content()
    assert_accessible(page)
    page.locator("form button.button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/el/risk/assessments/\d+/$"))
    assert_accessible(page)

    assessment = RiskAssessment.objects.get(subject_id=case.pk, status="signed")
    assert assessment.score == 13 and assessment.band == top["code"]
    actions = list(RiskAction.objects.filter(assessment=assessment))
    assert {a.code for a in actions} == {action["code"] for action in top["actions"]}
    page_text = page.content()
    for action in top["actions"]:
        assert instruments.text(action["text"], "el") in page_text
    status = RiskStatus.objects.get(subject_type="case", subject_id=case.pk)
    assert status.next_due_at - assessment.signed_at == instruments.duration(top["reassess_within"]) == datetime.timedelta(hours=72)

    # Back on the case page: the band, the open actions and the next reassessment.
    page.goto(f"/el/cases/{case.pk}/")
    assert instruments.text(top["label"], "el") in page.content()
    assert_accessible(page)
    page.goto(f"/el/risk/case/{case.pk}/")
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page)
    assert not csp_errors, csp_errors
    context.close()


def test_an_organisation_admin_loads_its_own_instrument_and_a_caseworker_can_use_it(browser, live_server, tmp_path):  # noqa: F811
    from pathlib import Path

    from rete.cases.tests.helpers import open_case
    from rete.risk.models import Instrument

    fixture = Path(__file__).parent / "instruments" / "count-24.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text(fixture.read_text().replace("scheme: yes_no_unknown", "scheme: yes_no", 1))
    home = make_organisation("home")
    make_user("admin@home.example", roles=[Role.ORG_ADMIN], organisation=home)
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    case = open_case(worker, home)

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "admin@home.example")
    page.wait_for_url("**/start/")
    page.goto("/en/risk/instruments/")
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(broken))
    page.get_by_role("button", name="Check and load").click()
    alert = page.get_by_role("alert").inner_text()
    assert "items[0].scheme" in alert and not Instrument.objects.filter(organisation=home).exists()
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(fixture))
    page.get_by_role("button", name="Check and load").click()
    page.wait_for_load_state()
    loaded = Instrument.objects.get(organisation=home)
    assert loaded.code in page.content()
    assert not csp_errors, csp_errors
    context.close()

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    page.goto(f"/en/risk/case/{case.pk}/new/")
    assert page.locator(f"#instrument-{loaded.pk}").count() == 1
    context.close()
