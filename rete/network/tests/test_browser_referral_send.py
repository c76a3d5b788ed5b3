"""A referral sent from a case, in Chromium with an axe check on every page: the caseworker
records her consent to share with the police, refers the case to the police organisation
under an adopted protocol choosing two categories, and sees the referral on the case page."""
import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import OrganisationKind, Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_refers_a_case_to_the_police(browser, live_server):  # noqa: F811
    from rete.cases.tests.helpers import open_case
    from rete.network.models import Referral, SharingRule, VersionStatus
    from rete.network.tests.factories_protocols import make_protocol

    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    police = make_organisation("police", name="Questura di Esempio", languages=("it",))
    police.kinds = [OrganisationKind.POLICE]
    police.save(update_fields=["kinds"])
    make_user("officer@police.example", roles=[Role.POLICE_OFFICER], organisation=police)
    coordinator = make_user("coordinator@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=home)
    worker = make_user("worker@home.example", roles=[Role.CASEWORKER], organisation=home)
    version = make_protocol(coordinator, home, parties=[police], status=VersionStatus.ADOPTED)
    SharingRule.objects.filter(version=version).update(categories=["identity", "contact", "risk"])
    case = open_case(worker, home)

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "worker@home.example")
    page.wait_for_url("**/start/")
    page.goto(f"/en/cases/{case.pk}/consents/new/")
    assert_accessible(page)
    page.get_by_label("To share information with a sector").check()
    page.locator("select#id_sector").select_option("police")
    page.get_by_label("Verbally").check()
    page.get_by_role("button", name="Record the consent").click()
    page.get_by_text("The consent was recorded").first.wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Refer to another organisation").click()
    page.get_by_role("heading", name="Refer to another organisation").wait_for()
    assert_accessible(page)
    page.get_by_label("Receiving organisation").select_option(label=str(police))
    page.get_by_label("Service asked for").select_option("police")
    page.get_by_label("Her identity (name, date of birth)").check()
    page.get_by_label("How to contact her safely").check()
    page.get_by_label("What is asked").fill("Please contact her about a report.")
    page.get_by_role("button", name="Send the referral").click()
    page.get_by_text("The referral was sent").first.wait_for()
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.categories == ["identity", "contact"] and referral.consent_id is not None
    assert page.get_by_text("Please contact her about a report.").count() == 1

    page.get_by_role("link", name=f"Back to the case {case.reference}").click()
    page.get_by_role("heading", name="Referrals").wait_for()
    assert_accessible(page)
    assert page.get_by_role("link", name=referral.reference).count() == 1
    assert not csp_errors
    context.close()
