"""A referral from APHVF to Cyprus Police accepted and answered, in Chromium with an axe check on
every page: a police officer finds the referral in her inbox, opens it (the package only),
accepts it and sends feedback; the sender's caseworker then sees the feedback."""
import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import OrganisationKind, Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEEDBACK = "Statement taken; a patrol checks the address every night this week."


def referral_to_the_police():
    """Through the services: an adopted protocol between APHVF and Cyprus Police, a case at
    APHVF with her consent to share with the police, and a referral of it."""
    from rete.cases import services as case_services
    from rete.cases.models import Person
    from rete.cases.tests.helpers import open_case
    from rete.network.models import SharingRule, VersionStatus
    from rete.network.services.referrals import referral_send
    from rete.network.tests.factories_protocols import make_protocol

    aphvf = make_organisation("aphvf", country="CY", name="Association for the Prevention and Handling of Violence in the Family",
                              languages=("el", "en"))
    aphvf.short_name = "APHVF"
    aphvf.save(update_fields=["short_name"])
    police = make_organisation("cypol", country="CY", name="Cyprus Police", languages=("el", "en"))
    police.kinds = [OrganisationKind.POLICE]
    police.save(update_fields=["kinds"])
    coordinator = make_user("coordinator@aphvf.example", roles=[Role.NETWORK_COORDINATOR], organisation=aphvf)
    caseworker = make_user("caseworker@aphvf.example", roles=[Role.CASEWORKER], organisation=aphvf)
    make_user("officer@police.example", roles=[Role.POLICE_OFFICER], organisation=police, first_name="Eleni")
    version = make_protocol(coordinator, aphvf, title="Nicosia cooperation protocol", territory="Nicosia", language="en",
                            parties=[police], rules=(OrganisationKind.POLICE,), status=VersionStatus.ADOPTED)
    SharingRule.objects.filter(version=version).update(categories=["identity", "contact"], legal_basis="consent")
    case = open_case(caseworker, aphvf)
    Person.objects.filter(pk=case.person_id).update(safe_phone="+357 99 000000", code_word="lemon")
    case_services.consent_record(by=caseworker, case=case, kind="share_sector", sector="police", agency="",
                                 given_on=timezone.localdate() - datetime.timedelta(days=1), method="verbal")
    return referral_send(by=caseworker, case=case, to_organisation=police, service="police",
                         categories=["identity", "contact"], request="She asks for protection at home tonight.")


def test_a_referral_from_aphvf_to_cyprus_police_accepted_and_answered(browser, live_server):  # noqa: F811
    from rete.network.models import Referral, ReferralStatus

    referral = referral_to_the_police()

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "officer@police.example")
    page.wait_for_url("**/start/")
    assert_accessible(page)
    page.get_by_text("1 referral is waiting for your answer.").first.wait_for()
    page.get_by_role("link", name="Referrals received").first.click()
    page.wait_for_url("**/network/referrals/")
    assert_accessible(page)
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_text("What was shared with you").first.wait_for()
    assert_accessible(page)
    body = page.content()
    assert "Maria" in body and "lemon" in body and "She asks for protection at home tonight." in body
    assert "/cases/" not in page.locator("main").inner_html().replace("/cases/intake/", "")

    page.get_by_role("button", name="Accept the referral").click()
    page.get_by_text("You accepted the referral").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Service given and outcome").fill(FEEDBACK)
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Your feedback has been sent to the sender.").first.wait_for()
    assert_accessible(page)
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == ReferralStatus.CLOSED and referral.feedback == FEEDBACK
    assert not csp_errors
    context.close()

    # The sender's caseworker sees the feedback on the sent referral (when its page exists).
    try:
        sent_url = reverse("network:referral_sent_detail", kwargs={"referral_id": referral.pk})
    except NoReverseMatch:
        return
    sender_context, sender_page, sender_errors = new_page(browser, live_server)
    sign_in(sender_page, "caseworker@aphvf.example")
    sender_page.wait_for_url("**/start/")
    sender_page.goto(sent_url)
    sender_page.get_by_text(FEEDBACK).first.wait_for()
    assert_accessible(sender_page)
    assert not sender_errors
    sender_context.close()
