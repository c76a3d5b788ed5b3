"""Objects for the tests of events and materials (and their access-policy and public-page
providers): events through the service, a published information page, materials."""
import datetime

from django.utils import timezone

from rete.portal.models import InfoPage, PageStatus, PageVersion

PAGE_BODY = """## What you can do

- Call the helpline: it is free.
- Talk to a support centre.

Read more on [the portal](https://example.org/more)."""


def event_values(organisation, /, **overrides) -> dict:
    starts = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=10)
    values = dict(country=organisation.country, organisation=organisation, campaign=None, kind="info_day",
                  title="Open day at the centre", description="Come and *meet us*.\n\nCoffee offered.", language="it",
                  starts_at=starts, ends_at=starts + datetime.timedelta(hours=3), venue="Town hall", address="Piazza 1",
                  city="Milano", online_url="", accessibility="Step-free access")
    values.update(overrides)
    return values


def make_event(by, organisation, /, *, published=True, cancelled=False, **overrides):
    from rete.portal.services import events as services

    event = services.event_create(by=by, **event_values(organisation, **overrides))
    if published:
        event = services.event_publish(by=by, event=event, version=event.version, publish=True)
    if cancelled:
        event = services.event_cancel(by=by, event=event, version=event.version)
    return event


def make_published_page(*, country="IT", slug="events-test-page", language="en", title="How to get help",
                        summary="Free help, day and night.", body=PAGE_BODY):
    page, _created = InfoPage.objects.get_or_create(country=country, slug=slug)
    number = (PageVersion.objects.filter(page=page, language=language).count()) + 1
    PageVersion.objects.filter(page=page, language=language, status=PageStatus.PUBLISHED).update(status=PageStatus.SUPERSEDED)
    version = PageVersion.objects.create(page=page, language=language, number=number, title=title, summary=summary,
                                         body=body, status=PageStatus.PUBLISHED, published_at=timezone.now())
    return page, version


def make_material(by, organisation, page, *, kind="leaflet", published=True, campaign=None, show_directory=True,
                  name="Leaflet for waiting rooms"):
    from rete.portal.services import materials as services

    return services.material_create(by=by, name=name, kind=kind, page=page, organisation=organisation,
                                    campaign=campaign, show_directory=show_directory, published=published)


def make_campaign(organisation, *, slug="white-ribbon", name="White ribbon"):
    from rete.portal.models import Campaign

    return Campaign.objects.create(country=organisation.country, organisation=organisation, name=name, slug=slug,
                                   starts_on=timezone.localdate())
