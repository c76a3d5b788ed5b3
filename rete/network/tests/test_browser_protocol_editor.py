"""The protocol editor in Chromium: a coordinator creates a protocol, writes its purpose in
Italian, adds a party, a pathway with two steps and a sharing rule, translates the purpose into
English and reads the version in English and in Italian. axe on every page."""
import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import assert_accessible, browser, sign_in  # noqa: F401 (fixture)
from rete.network.models import PathwayStep, ProtocolParty, ProtocolVersion, SharingRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_drafts_a_protocol_and_reads_it_in_two_languages(browser, live_server):  # noqa: F811
    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    police = make_organisation("police", name="Questura Esempio", languages=("it",))
    make_user("coordinator@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=home)
    make_user("admin@police.example", roles=[Role.ORG_ADMIN], organisation=police)

    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "coordinator@home.example")
    page.wait_for_url("**/start/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Protocols").click()
    page.wait_for_url("**/network/protocols/")
    assert_accessible(page)

    # A new protocol, written in Italian.
    page.get_by_role("link", name="New protocol").click()
    page.wait_for_url("**/network/protocols/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Protocollo della rete antiviolenza di Milano")
    page.get_by_label("Territory").fill("Milano")
    page.get_by_label("Country").select_option("IT")
    page.get_by_label("Written in").select_option("it")
    page.get_by_role("button", name="Create the protocol").click()
    page.get_by_text("The protocol was created.").first.wait_for()
    assert_accessible(page)
    version = ProtocolVersion.objects.get()

    # Its purpose, in Italian.
    page.get_by_label("Purpose").fill("Garantire alle donne una risposta coordinata e tempestiva.")
    page.get_by_role("button", name="Save the text").click()
    page.get_by_text("The text was saved in Italian.").first.wait_for()
    assert_accessible(page)

    # A party: the police, with its signatory.
    page.get_by_role("link", name="Add a party").click()
    page.wait_for_url("**/parties/new/")
    assert_accessible(page)
    page.get_by_label("Organisation").select_option(label="Questura Esempio (Italy)")
    page.get_by_label("Role in the protocol").fill("Interviene in caso di pericolo e informa la donna dei suoi diritti.")
    page.locator("#id_signatory_name").fill("Dott.ssa Paola Neri")
    page.get_by_label("Signatory's position").fill("Questore")
    page.get_by_role("button", name="Add the party").click()
    page.get_by_text("The party was added.").first.wait_for()
    assert_accessible(page)
    assert ProtocolParty.objects.filter(version=version, organisation=police, signatory_name="Dott.ssa Paola Neri").exists()

    # A pathway with two steps, the second one in days.
    page.get_by_role("link", name="Add a pathway").click()
    page.wait_for_url("**/pathways/new/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Allontanamento urgente")
    page.get_by_label("Entry point").select_option("police")
    page.get_by_label("Leads to").select_option("shelter")
    page.get_by_label("Urgent pathway").check()
    page.locator("#id_steps-0-action").fill("La polizia contatta il centro antiviolenza")
    page.locator("#id_steps-0-responsible_kind").select_option("police")
    page.locator("#id_steps-0-time_limit").fill("2")
    page.locator("#id_steps-1-action").fill("Il centro trova un posto in casa rifugio")
    page.locator("#id_steps-1-responsible_kind").select_option("shelter")
    page.locator("#id_steps-1-time_limit").fill("1")
    page.locator("#id_steps-1-unit").select_option("days")
    page.get_by_role("button", name="Add the pathway").click()
    page.get_by_text("The pathway was added.").first.wait_for()
    assert_accessible(page)
    assert [(s.responsible_kind, s.time_limit_hours) for s in PathwayStep.objects.order_by("position")] == [
        ("police", 2), ("shelter", 24)]

    # A sharing rule for shelters.
    page.get_by_role("link", name="Add a sharing rule").click()
    page.wait_for_url("**/rules/new/")
    assert_accessible(page)
    page.get_by_label("To which kind of agency").select_option("shelter")
    page.get_by_label("Her identity (name, date of birth)").check()
    page.get_by_label("Risk assessment and band").check()
    page.get_by_label("Legal basis").select_option("consent")
    page.get_by_label("Note").fill("Solo quanto serve per l'accoglienza.")
    page.get_by_role("button", name="Add the rule").click()
    page.get_by_text("The sharing rule was added.").first.wait_for()
    assert_accessible(page)
    assert SharingRule.objects.get().categories == ["identity", "risk"]

    # The English translation of the purpose, with the Italian text beside the field.
    page.get_by_role("navigation", name="Read this version in").get_by_role("link", name="English").click()
    page.wait_for_url("**?lang=en")
    assert "Not yet translated into English: shown in Italian." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Edit the text in English").click()
    page.wait_for_url("**/edit/en/")
    page.get_by_text("Garantire alle donne una risposta coordinata e tempestiva.").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Purpose").fill("To give women a coordinated and timely response.")
    page.get_by_role("button", name="Save the text").click()
    page.get_by_text("The text was saved in English.").first.wait_for()
    assert_accessible(page)
    version.refresh_from_db()
    assert version.purpose_en == "To give women a coordinated and timely response."
    assert version.purpose_it == "Garantire alle donne una risposta coordinata e tempestiva."

    # Read in English: the purpose translated, the rest shown in Italian with a note.
    purpose = page.locator("#section-purpose").locator("xpath=..")
    assert "To give women a coordinated and timely response." in purpose.inner_text()
    assert "Not yet translated" not in purpose.inner_text()
    assert "Il centro trova un posto in casa rifugio" in page.content() and "1 day" in page.content()

    # And in Italian.
    page.get_by_role("navigation", name="Read this version in").get_by_role("link", name="Italian").click()
    page.wait_for_url("**?lang=it")
    page.get_by_text("Garantire alle donne una risposta coordinata e tempestiva.").first.wait_for()
    assert "Not yet translated" not in page.content()
    assert_accessible(page)
    assert not csp_errors, csp_errors
    context.close()
