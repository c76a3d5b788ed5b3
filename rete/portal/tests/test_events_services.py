"""Events, the services: validation, the editor's country scope, optimistic locking, publishing,
cancelling, and the audit trail."""
import datetime

import pytest
from django.http import Http404

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.portal.models import PublicEvent
from rete.portal.services import events as services
from rete.portal.tests.factories_events_materials import event_values, make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_an_editor_creates_an_unpublished_event_and_it_is_audited(network):
    editor = network["content_editor"]
    event = services.event_create(by=editor, **event_values(network.home))
    assert not event.published and not event.cancelled and event.created_by == editor
    audit = AuditEvent.objects.get(action="portal.event_created")
    assert audit.object_id == str(event.pk) and audit.detail == {"country": "IT", "kind": "info_day", "language": "it"}


@pytest.mark.parametrize("overrides, field", [
    ({"ends_at_offset": 0}, "ends_at"),
    ({"ends_at_offset": -1}, "ends_at"),
    ({"venue": "", "online_url": ""}, "venue"),
    ({"title": "  "}, "title"),
    ({"country": "CY"}, "country"),
])
def test_invalid_events_are_refused_with_the_field(network, overrides, field):
    values = event_values(network.home)
    offset = overrides.pop("ends_at_offset", None)
    if offset is not None:
        values["ends_at"] = values["starts_at"] + datetime.timedelta(hours=offset)
    values.update(overrides)
    with pytest.raises(ServiceError) as refused:
        services.event_create(by=network["content_editor"], **values)
    assert refused.value.field == field
    assert not PublicEvent.objects.exists()


def test_an_online_event_needs_no_venue(network):
    event = services.event_create(by=network["content_editor"],
                                  **event_values(network.home, venue="", address="", city="", online_url="https://meet.example.org/a"))
    assert event.online_url and not event.venue


def test_the_organiser_must_be_one_of_hers_in_the_events_country(network):
    editor = network["content_editor"]
    # The other organisation (Cyprus) is not hers.
    with pytest.raises(ServiceError) as refused:
        services.event_create(by=editor, **event_values(network.home, organisation=network.other))
    assert refused.value.field == "organisation"
    # The campaign must be of the same country.
    campaign = make_campaign(network.other, slug="cy-campaign")
    with pytest.raises(ServiceError) as refused:
        services.event_create(by=editor, **event_values(network.home, campaign=campaign))
    assert refused.value.field == "campaign"
    own = make_campaign(network.home, slug="it-campaign")
    assert services.event_create(by=editor, **event_values(network.home, campaign=own)).campaign == own


def test_people_who_do_not_edit_the_portal_cannot_create_events(network):
    for person in (network["caseworker"], network["other_content_editor"], network.outsider):
        with pytest.raises(ServiceError):
            services.event_create(by=person, **event_values(network.home))


def test_another_countrys_editor_cannot_touch_the_event(network):
    event = make_event(network["content_editor"], network.home, published=False)
    stranger = network["other_content_editor"]
    with pytest.raises(Http404):
        services.event_update(by=stranger, event=event, version=event.version, **event_values(network.other))
    with pytest.raises(Http404):
        services.event_publish(by=stranger, event=event, version=event.version, publish=True)
    with pytest.raises(Http404):
        services.event_cancel(by=stranger, event=event, version=event.version)
    assert not PublicEvent.objects.get(pk=event.pk).published


def test_a_stale_edit_is_refused_with_the_saved_version(network):
    editor, coordinator = network["content_editor"], network["network_coordinator"]
    event = make_event(editor, network.home, published=False)
    services.event_update(by=coordinator, event=event, version=event.version, **event_values(network.home, title="Changed first"))
    with pytest.raises(StaleEdit) as stale:
        services.event_update(by=editor, event=event, version=event.version, **event_values(network.home, title="Changed second"))
    assert stale.value.current.title == "Changed first"
    assert PublicEvent.objects.get(pk=event.pk).title == "Changed first"
    changed = AuditEvent.objects.get(action="portal.event_changed")
    assert changed.detail["fields"] == ["title"]


def test_saving_unchanged_values_changes_nothing(network):
    editor = network["content_editor"]
    event = make_event(editor, network.home, published=False)
    again = services.event_update(by=editor, event=event, version=event.version, **event_values(network.home, starts_at=event.starts_at,
                                                                                               ends_at=event.ends_at))
    assert again.version == event.version
    assert not AuditEvent.objects.filter(action="portal.event_changed").exists()


def test_publish_unpublish_and_cancel_are_audited(network):
    editor = network["content_editor"]
    event = make_event(editor, network.home, published=False)
    event = services.event_publish(by=editor, event=event, version=event.version, publish=True)
    assert event.published
    event = services.event_publish(by=editor, event=event, version=event.version, publish=False)
    assert not event.published
    stale_version = event.version
    event = services.event_cancel(by=editor, event=event, version=event.version)
    assert event.cancelled
    with pytest.raises(StaleEdit):
        services.event_publish(by=editor, event=event, version=stale_version, publish=True)
    with pytest.raises(ServiceError):
        services.event_cancel(by=editor, event=event, version=event.version)
    actions = list(AuditEvent.objects.filter(action__startswith="portal.event_").order_by("seq").values_list("action", flat=True))
    assert actions == ["portal.event_created", "portal.event_published", "portal.event_unpublished", "portal.event_cancelled"]
