"""A protocol drafted, adopted and printed, in Chromium with an axe check on every page: the
coordinator circulates a draft to two other parties; the other party's admin comments and signs
off; the coordinator signs for her own organisation, records the third party's sign-off made on
paper, adopts, downloads the PDF, then starts version 2 and still sees version 1 in force."""
import re

import pytest

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drafted_protocol(coordinator, home, other, third):
    """Written through the editor's services: Italian text with an English translation."""
    from rete.network.services import protocols as services

    version = services.protocol_create(by=coordinator, organisation=home, title="Protocollo della rete di Esempio",
                                       territory="Milano", country="IT", language="it")
    version = services.version_edit(by=coordinator, version=version, version_token=version.version, language="it", values={
        "purpose": "Accogliere e proteggere le donne che subiscono violenza.",
        "governance": "Il coordinamento convoca i referenti ogni tre mesi."})
    version = services.version_edit(by=coordinator, version=version, version_token=version.version, language="en", values={
        "title": "Example network protocol", "territory": "Milan",
        "purpose": "To receive and protect women who experience violence.",
        "governance": "The coordination convenes the contact persons every three months."})
    for organisation, name in ((other, "Olga Other"), (third, "Teresa Terza")):
        services.party_add(by=coordinator, version=version, organisation_id=organisation.pk, language="it",
                           role="Accoglie le donne.", signatory_name=name, signatory_title="Presidente")
    services.pathway_add(by=coordinator, version=version, language="it", name="Allontanamento urgente", entry_point="police",
                         service="shelter", urgent=True, criteria="Pericolo immediato.",
                         steps=[{"action": "Messa in sicurezza", "responsible_kind": "police", "time_limit_hours": 2},
                                {"action": "Inserimento in casa rifugio", "responsible_kind": "shelter", "time_limit_hours": 8}])
    services.rule_add(by=coordinator, version=version, language="it", receiver_kind="police", categories=["identity", "risk"],
                      legal_basis="consent", note="Solo con il consenso.")
    return version


def test_a_protocol_drafted_adopted_and_printed(browser, live_server):  # noqa: F811
    from pypdf import PdfReader

    from rete.network.models import ProtocolVersion, VersionStatus

    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    other = make_organisation("other", name="Centro Altro", languages=("it",))
    third = make_organisation("third", name="Servizio Terzo", languages=("it",))
    coordinator = make_user("coordinator@home.example", roles=[Role.NETWORK_COORDINATOR], organisation=home)
    make_user("admin@other.example", roles=[Role.ORG_ADMIN], organisation=other, first_name="Olga", last_name="Other")
    make_user("admin@third.example", roles=[Role.ORG_ADMIN], organisation=third)  # signs on paper, never signs in
    version = drafted_protocol(coordinator, home, other, third)
    version_url = f"/en/network/protocols/versions/{version.pk}/"

    # The coordinator circulates the draft.
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "coordinator@home.example")
    page.wait_for_url("**/start/")
    page.goto(version_url)
    assert_accessible(page)
    assert page.get_by_label("Comments until").input_value()
    page.get_by_role("button", name="Circulate this version").click()
    page.get_by_text("The version was circulated to the parties").first.wait_for()
    assert_accessible(page)
    assert ProtocolVersion.objects.get(pk=version.pk).status == VersionStatus.CIRCULATING

    # The other party's admin comments and signs off.
    other_context, other_page, other_errors = new_page(browser, live_server)
    sign_in(other_page, "admin@other.example")
    other_page.wait_for_url("**/start/")
    other_page.goto(version_url)
    assert_accessible(other_page)
    other_page.get_by_label("On which part").select_option("pathways")
    other_page.get_by_label("Your comment").fill("Please add the shelter's night number to the urgent pathway.")
    other_page.get_by_role("button", name="Add the comment").click()
    other_page.get_by_text("Your comment was added").first.wait_for()
    assert_accessible(other_page)
    other_page.get_by_label("I sign off this version for Centro Altro").check()
    other_page.get_by_role("button", name="Sign off").click()
    other_page.get_by_text("Your sign-off for Centro Altro was recorded").first.wait_for()
    assert_accessible(other_page)
    other_page.get_by_role("link", name="All comments by section").click()
    other_page.get_by_text("Please add the shelter's night number").first.wait_for()
    assert_accessible(other_page)
    assert not other_errors
    other_context.close()

    # The coordinator signs for her organisation, records the third party's paper sign-off, adopts.
    page.goto(version_url)
    assert page.get_by_text("Please add the shelter's night number").count() == 1
    page.get_by_label("I sign off this version for Casa Esempio").check()
    page.get_by_role("button", name="Sign off").click()
    page.get_by_text("Your sign-off for Casa Esempio was recorded").first.wait_for()
    assert_accessible(page)
    page.get_by_text("Record a sign-off on paper for Servizio Terzo").click()
    page.get_by_label("Signed on").fill(version.created_at.date().isoformat())
    page.get_by_label("Signed by").fill("Teresa Terza")
    page.get_by_label("Position").fill("Presidente")
    page.get_by_role("button", name="Record the sign-off").click()
    page.get_by_text("The sign-off of Servizio Terzo on paper was recorded").first.wait_for()
    assert_accessible(page)
    assert page.get_by_label("Review date").input_value()
    page.get_by_role("button", name="Adopt this version").click()
    page.get_by_text("The version was adopted and is in force from today").first.wait_for()
    assert_accessible(page)

    # Printed, in English.
    with page.expect_download() as printout:
        page.get_by_role("link", name="Version 1 as PDF, in English").click()
    assert printout.value.suggested_filename == f"protocol-{version.protocol_id}-v1-en.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(printout.value.path()).pages).split())
    for expected in ("Example network protocol", "To receive and protect women who experience violence.", "Signatories",
                     "Olga Other", "Teresa Terza", "Casa Esempio", "Centro Altro", "Servizio Terzo", "Allontanamento urgente"):
        assert expected in text, expected

    # Version 2 starts as a draft; version 1 stays in force.
    page.get_by_role("button", name="Start version 2").click()
    page.get_by_text("Version 2 was started as a draft").first.wait_for()
    assert_accessible(page)
    page.goto(f"/en/network/protocols/{version.protocol_id}/")
    assert_accessible(page)
    rows = page.get_by_role("row")
    assert re.search(r"Version 1\s+Adopted, in force", rows.filter(has_text="Version 1").first.inner_text())
    assert "Draft" in rows.filter(has_text="Version 2").first.inner_text()
    assert ProtocolVersion.objects.get(pk=version.pk).status == VersionStatus.ADOPTED
    assert not csp_errors
    context.close()
