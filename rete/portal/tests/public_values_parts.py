"""Providers of public URL values (see public_values.py); each part appends its own below.
Files served for download (a PDF, an .ics) are public pages too: the walk checks their headers
and that they set no cookie, and the HTML checks only apply to HTML."""
from rete.portal.tests.public_values import provider  # noqa: F401


@provider
def _events_and_materials():
    """A published event and a published material whose page is published in English (part
    "events-materials")."""
    from rete.conftest import make_organisation, make_user
    from rete.core.models import Organisation, Role, User
    from rete.portal.tests.factories_events_materials import make_event, make_material, make_published_page

    organisation = (Organisation.objects.filter(slug="events-public").first()
                    or make_organisation("events-public", name="Events Test Centre"))
    editor = (User.objects.filter(email="editor@events-public.example").first()
              or make_user("editor@events-public.example", roles=[Role.CONTENT_EDITOR], organisation=organisation))
    event = make_event(editor, organisation)
    page, _version = make_published_page(country="IT", slug="events-test-page")
    material = make_material(editor, organisation, page)
    return {"event_id": event.pk, "material_id": material.pk, "language": "en"}


@provider
def _pages():
    """An Italian page published in English (part "pages"): read in every language, it falls
    back to English with a notice."""
    from rete.portal.tests.factories_pages import published_page

    page, _version = published_page(country="IT", slug="pages-public-walk", language="en")
    return {"country": "it", "slug": page.slug}
