"""Events and materials in Chromium: an editor adds an info day and publishes it, a visitor finds
it, opens it and downloads its calendar file; the editor composes a leaflet from a published page
and offers it, the visitor downloads the PDF and the download is counted. axe on every page."""
import datetime

import icalendar
import pytest
from pypdf import PdfReader

from rete.cases.tests.test_browser_flow import new_page
from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.core.tests.test_browser import assert_accessible, browser, sign_in  # noqa: F401 (fixture)
from rete.portal.models import Material, PublicEvent, ReachCount, ReachKind
from rete.portal.tests.factories_events_materials import make_published_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_info_day_and_a_leaflet_from_the_editor_to_the_visitor(browser, live_server):  # noqa: F811
    home = make_organisation("home", name="Casa Esempio", languages=("it", "en"))
    make_user("editor@home.example", roles=[Role.CONTENT_EDITOR], organisation=home, time_zone="Europe/Rome")
    make_published_page(country="IT", slug="support-centres", language="en", title="Support centres near you",
                        summary="They listen, free of charge.")
    day = datetime.date.today() + datetime.timedelta(days=12)

    # The editor adds an info day and publishes it.
    context, page, csp_errors = new_page(browser, live_server)
    sign_in(page, "editor@home.example")
    page.wait_for_url("**/start/")
    page.goto("/en/editor/")
    assert_accessible(page)
    page.get_by_role("navigation", name="Public portal").get_by_role("link", name="Events").click()
    page.wait_for_url("**/editor/events/")
    assert_accessible(page)
    page.get_by_role("link", name="Add an event").click()
    assert "Europe/Rome" in page.content()
    assert_accessible(page)
    page.get_by_label("Title").fill("Open day at Casa Esempio")
    page.get_by_label("Kind of event").select_option("info_day")
    page.get_by_label("Language of the event").select_option("it")
    page.get_by_label("Starts at").fill(f"{day:%Y-%m-%d}T10:00")
    page.get_by_label("Ends at").fill(f"{day:%Y-%m-%d}T09:00")  # before it starts: refused
    page.get_by_label("Venue").fill("Town hall")
    page.get_by_label("City").fill("Milano")
    page.get_by_label("Accessibility").fill("Step-free access")
    page.get_by_role("button", name="Save the event").click()
    page.get_by_text("The event must end after it starts.").first.wait_for()
    assert page.get_by_label("Title").input_value() == "Open day at Casa Esempio"
    assert_accessible(page)
    page.get_by_label("Ends at").fill(f"{day:%Y-%m-%d}T13:00")
    page.get_by_role("button", name="Save the event").click()
    page.get_by_text("The event was saved.").first.wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Publish on the calendar").click()
    page.get_by_text("The event is on the public calendar.").first.wait_for()
    assert_accessible(page)
    event = PublicEvent.objects.get()
    assert event.published and event.starts_at.astimezone(datetime.timezone.utc).hour in (8, 9)  # 10:00 in Rome

    # The visitor finds it, opens it and takes it into her calendar.
    visitor_context, visitor, visitor_csp = new_page(browser, live_server)
    visitor.goto("/en/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Info days and events").first.click()
    visitor.wait_for_url("**/en/events/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Open day at Casa Esempio").click()
    visitor.wait_for_url(f"**/en/events/{event.pk}/")
    assert "Step-free access" in visitor.content() and "time in Italy" in visitor.content()
    assert_accessible(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Add to your calendar (.ics file)").click()
    assert download.value.suggested_filename == f"event-{event.pk}.ics"
    with open(download.value.path(), "rb") as ics:
        [item] = icalendar.Calendar.from_ical(ics.read()).walk("VEVENT")
    assert str(item["SUMMARY"]) == "Open day at Casa Esempio" and item["DTSTART"].dt == event.starts_at
    assert str(item["UID"]).startswith(f"portal-event-{event.pk}@")
    assert ReachCount.objects.get(kind=ReachKind.CALENDAR_DOWNLOAD, key=f"event/{event.pk}").count == 1

    # The editor composes a leaflet from the published page and offers it.
    page.get_by_role("navigation", name="Public portal").get_by_role("link", name="Materials").click()
    page.wait_for_url("**/editor/materials/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a material").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Leaflet for waiting rooms")
    page.get_by_label("Leaflet (A5)").check()
    page.get_by_label("Information page").select_option(label="Support centres near you (Italy, support-centres)")
    page.get_by_label("Offer it for download on the portal").check()
    page.get_by_role("button", name="Save the material").click()
    page.get_by_text("The material was saved.").first.wait_for()
    assert_accessible(page)
    material = Material.objects.get()
    assert material.published and material.kind == "leaflet"
    with page.expect_download() as preview:
        page.get_by_role("link", name="Preview the PDF in English").click()
    assert "Support centres near you" in PdfReader(preview.value.path()).pages[0].extract_text()
    assert not ReachCount.objects.filter(kind=ReachKind.MATERIAL_DOWNLOAD).exists()  # a preview is not a download

    # The visitor downloads it; the download is counted once.
    visitor.get_by_role("link", name="Materials to print").click()
    visitor.wait_for_url("**/en/materials/")
    assert_accessible(visitor)
    with visitor.expect_download() as leaflet:
        visitor.get_by_role("link", name="Support centres near you, in English").click()
    assert leaflet.value.suggested_filename == "support-centres-leaflet-en.pdf"
    text = "".join(p.extract_text() for p in PdfReader(leaflet.value.path()).pages)
    assert "Support centres near you" in text and "1522" in text and "112" in text
    counter = ReachCount.objects.get(kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}")
    assert (counter.count, counter.language, counter.country) == (1, "en", "IT")

    assert visitor_context.cookies() == []
    assert not csp_errors and not visitor_csp, (csp_errors, visitor_csp)
    visitor_context.close()
    context.close()
