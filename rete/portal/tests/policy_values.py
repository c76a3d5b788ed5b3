"""Objects of the public portal for the access-policy test: each part of the portal adds a
provider returning the URL keyword values its URLs need (the home organisation is in Italy, so
the objects are Italian: the home editors reach them, the other organisation's do not)."""
from rete.cases.tests.policy_values import provider  # noqa: F401 (the providers below register with it)


@provider
def _events_and_materials(network, case):
    """A published Italian event, and a published Italian material whose page is published in
    English (part "events-materials")."""
    from rete.portal.tests.factories_events_materials import make_event, make_material, make_published_page

    editor = network["content_editor"]
    event = make_event(editor, network.home)
    page, _version = make_published_page(country="IT", slug="events-materials-policy")
    material = make_material(editor, network.home, page)
    return {"event_id": event.pk, "material_id": material.pk, "language": "en"}


@provider
def _campaigns(network, case):
    """An Italian campaign with one approved post with an image (part "campaigns-reach")."""
    from rete.portal.tests.factories_campaigns import approved_post, make_campaign

    campaign = make_campaign(network["content_editor"], network.home, slug="policy-walk")
    post = approved_post(network["content_editor"], network["network_coordinator"], campaign)
    return {"campaign_id": campaign.pk, "post_id": post.pk}


@provider
def _pages(network, case):
    """An Italian page published in English with a draft on top (part "pages")."""
    from rete.portal.tests.factories_pages import make_page

    page, published, draft = make_page(network["content_editor"], network["network_coordinator"], country="IT",
                                       slug="pages-policy-walk", language="en")
    return {"page_id": page.pk, "language": "en", "page_version_id": draft.pk, "country": "it", "slug": page.slug}


@provider
def _directory(network, case):
    """An Italian directory entry, not published (part "directory-editor")."""
    from rete.portal.tests.factories_directory import make_entry

    return {"entry_id": make_entry(name="Policy walk centre", country="IT", published=False).pk}
