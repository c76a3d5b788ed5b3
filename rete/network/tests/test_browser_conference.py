"""A risk conference with two cases, actions and minutes, in Chromium with an axe check on the
meeting page and the item page: the coordinator schedules a meeting, builds the agenda with two
referred cases, minutes each case with an action for the police member, marks the meeting held,
sends the minutes and downloads them as a PDF."""
import datetime

import pytest
from django.utils import timezone

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import OrganisationKind, Role
from rete.core.tests.test_browser import ARGS, CHROMIUM, assert_accessible, browser, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def conference_with_two_referrals():
    from rete.cases import services as case_services
    from rete.cases.tests.helpers import open_case
    from rete.network.services import conferences as services

    home = make_organisation("cadmi", name="CADMI Milano", languages=("it", "en"))
    police = make_organisation("questura", name="Questura di Milano", languages=("it",))
    police.kinds = [OrganisationKind.POLICE]
    police.save(update_fields=["kinds"])
    coordinator = make_user("coordinator@cadmi.example", roles=[Role.NETWORK_COORDINATOR], organisation=home,
                            first_name="Chiara", last_name="Conti")
    caseworker = make_user("caseworker@cadmi.example", roles=[Role.CASEWORKER], organisation=home)
    officer = make_user("officer@questura.example", roles=[Role.POLICE_OFFICER], organisation=police,
                        first_name="Paolo", last_name="Rossi")
    series = services.series_create(by=coordinator, organisation=home, name="Milan MARAC", country="IT", territory="Milano")
    member = services.member_add(by=coordinator, series=series, organisation=police)
    services.representative_add(by=coordinator, member=member, email=officer.email)
    references = []
    for name in ("Anna", "Bianca"):
        case = open_case(caseworker, home, given_name=name)
        case_services.consent_record(by=caseworker, case=case, kind="share_sector", sector="risk_conference",
                                     given_on=timezone.localdate() - datetime.timedelta(days=1), method="verbal")
        references.append(services.conference_refer(by=caseworker, case=case, series=series, criterion="judgement",
                                                    reasons="He threatened her with a knife last week.").reference)
    return series, references


def test_a_conference_with_two_cases_actions_and_minutes(browser, live_server):  # noqa: F811
    from rete.network.models import ConferenceAction, ConferenceMeeting, MeetingStatus

    series, references = conference_with_two_referrals()
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "coordinator@cadmi.example")
    page.wait_for_url("**/start/")
    page.get_by_role("link", name="Risk conferences").first.click()
    page.get_by_role("link", name="Milan MARAC").click()
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Place or call link").fill("Sala 2, Via Roma 1")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.get_by_text("Meeting 1 was scheduled").first.wait_for()

    page.get_by_role("button", name="Build the agenda").click()
    page.get_by_text("2 cases were added to the agenda").first.wait_for()
    assert_accessible(page)
    meeting_url = page.url
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    for reference in references:
        page.goto(meeting_url)
        page.get_by_role("link", name=f"Minute {reference}").click()
        page.get_by_role("textbox", name="Discussion").fill(f"Risk discussed for {reference}.")
        page.get_by_role("textbox", name="Decisions").fill("The police visit the home this week.")
        page.get_by_role("button", name="Save the minute").click()
        page.get_by_text(f"The minute for {reference} was saved.").first.wait_for()
        page.get_by_label("Agency").select_option(label="Questura di Milano")
        page.get_by_label("Owner").select_option(label="Paolo Rossi")
        page.locator("#action-description").fill("Home visit and weapons check.")
        page.get_by_label("Due by").fill(due)
        page.get_by_role("button", name="Add the action").click()
        page.get_by_text("The action was added for Questura di Milano.").first.wait_for()
        assert_accessible(page)

    page.goto(meeting_url)
    page.get_by_role("button", name="Mark as held").click()
    page.get_by_text("The meeting is marked as held.").first.wait_for()
    page.get_by_role("button", name="Send the minutes").click()
    page.get_by_text("The minutes were sent").first.wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Minutes (PDF) in English").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    meeting = ConferenceMeeting.objects.get(series=series)
    assert meeting.status == MeetingStatus.MINUTES_SENT and meeting.place == "Sala 2, Via Roma 1"
    assert ConferenceAction.objects.filter(item__meeting=meeting, agency__slug="questura").count() == 2
    assert not csp_errors
    context.close()
