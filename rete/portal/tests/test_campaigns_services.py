"""Campaigns (part "campaigns-reach"), the services: validation, scope by country, the
organisation in the campaign's country, unique short codes, stale edits, audit events."""
import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.portal.models import Campaign
from rete.portal.services import campaigns as services
from rete.portal.tests.factories_campaigns import make_campaign

pytestmark = pytest.mark.django_db


def values(network, **changes):
    today = timezone.localdate()
    data = {"country": "IT", "organisation_id": network.home.pk, "name": "Orange the world", "slug": "orange-it",
            "aim": "", "starts_on": today, "ends_on": today + datetime.timedelta(days=16)}
    data.update(changes)
    return data


def test_an_editor_creates_a_campaign_of_her_country_with_its_audit_event(network):
    campaign = services.campaign_create(by=network["content_editor"], **values(network, slug="Orange-IT"))
    assert campaign.country == "IT" and campaign.organisation == network.home and campaign.slug == "orange-it"
    assert campaign.created_by == network["content_editor"]
    event = AuditEvent.objects.get(action="portal.campaign_created")
    assert event.object_id == str(campaign.pk) and event.detail == {"country": "IT"}


@pytest.mark.parametrize("changes, field", [
    ({"name": "  "}, "name"),
    ({"slug": ""}, "slug"),
    ({"starts_on": None}, "starts_on"),
    ({"ends_on": "before"}, "ends_on"),
    ({"organisation_id": 0}, "organisation"),
])
def test_invalid_campaigns_are_refused_on_the_right_field(network, changes, field):
    if changes.get("ends_on") == "before":
        changes = {"ends_on": timezone.localdate() - datetime.timedelta(days=1)}
    with pytest.raises(ServiceError) as refused:
        services.campaign_create(by=network["content_editor"], **values(network, **changes))
    assert refused.value.field == field
    assert not Campaign.objects.exists()


def test_an_open_ended_campaign_is_allowed(network):
    assert services.campaign_create(by=network["content_editor"], **values(network, ends_on=None)).ends_on is None


def test_the_short_code_is_unique(network):
    make_campaign(network["content_editor"], network.home, slug="orange-it")
    with pytest.raises(ServiceError) as refused:
        services.campaign_create(by=network["network_coordinator"], **values(network, slug="orange-it"))
    assert refused.value.field == "slug"


def test_scope_is_by_country_and_the_organisation_must_be_hers_there(network):
    # A Cypriot editor cannot create an Italian campaign, even naming an Italian organisation.
    with pytest.raises(Http404):
        services.campaign_create(by=network["other_content_editor"], **values(network))
    # Her own organisation is in Cyprus: not the country she chose.
    with pytest.raises(Http404):
        services.campaign_create(by=network["other_content_editor"], **values(network, organisation_id=network.other.pk))
    with pytest.raises(ServiceError) as refused:
        services.campaign_create(by=network["other_content_editor"],
                                 **values(network, country="CY", organisation_id=network.home.pk))
    assert refused.value.field == "organisation"
    # Other roles of the home organisation do not edit the portal.
    with pytest.raises(Http404):
        services.campaign_create(by=network["caseworker"], **values(network))
    campaign = services.campaign_create(by=network["other_network_coordinator"],
                                        **values(network, country="CY", organisation_id=network.other.pk, slug="cy"))
    assert campaign.country == "CY"


def test_update_is_versioned_and_audited_with_field_names_only(network):
    editor = network["content_editor"]
    campaign = make_campaign(editor, network.home)
    saved = services.campaign_update(by=network["network_coordinator"], campaign=campaign, version=campaign.version,
                                     **values(network, name="Orange the world 2026", aim="Secret-free aim"))
    assert saved.version == campaign.version + 1 and saved.name == "Orange the world 2026"
    event = AuditEvent.objects.get(action="portal.campaign_changed")
    assert event.detail == {"fields": ["aim", "ends_on", "name", "starts_on"]}
    assert "Secret" not in str(event.detail)
    with pytest.raises(StaleEdit) as stale:
        services.campaign_update(by=editor, campaign=campaign, version=campaign.version, **values(network, name="Mine"))
    assert stale.value.current.name == "Orange the world 2026"
    # Nothing changed and the right version: nothing written.
    again = services.campaign_update(by=editor, campaign=saved, version=saved.version,
                                     **values(network, name="Orange the world 2026", aim="Secret-free aim"))
    assert again.version == saved.version


def test_update_refuses_an_editor_of_another_country(network):
    campaign = make_campaign(network["content_editor"], network.home)
    with pytest.raises(Http404):
        services.campaign_update(by=network["other_content_editor"], campaign=campaign, version=campaign.version,
                                 **values(network, country="CY", organisation_id=network.other.pk))


def test_update_keeps_the_short_code_unique(network):
    make_campaign(network["content_editor"], network.home, slug="taken")
    campaign = make_campaign(network["content_editor"], network.home, slug="mine")
    with pytest.raises(ServiceError) as refused:
        services.campaign_update(by=network["content_editor"], campaign=campaign, version=campaign.version,
                                 **values(network, slug="taken"))
    assert refused.value.field == "slug"


def test_a_colleague_of_another_organisation_in_the_country_keeps_the_campaigns_organisation(network):
    from rete.conftest import make_organisation, make_user
    from rete.core.models import Role

    milan = make_organisation("milan", country="IT")
    colleague = make_user("coordinator@milan.example", roles=[Role.NETWORK_COORDINATOR], organisation=milan)
    campaign = make_campaign(network["content_editor"], network.home)
    saved = services.campaign_update(by=colleague, campaign=campaign, version=campaign.version,
                                     **values(network, name="Renamed by Milan"))
    assert saved.organisation == network.home and saved.name == "Renamed by Milan"
    saved = services.campaign_update(by=colleague, campaign=saved, version=saved.version,
                                     **values(network, organisation_id=milan.pk))
    assert saved.organisation == milan
    # Now the home editor may keep Milan, or choose her own again; not someone else's.
    with pytest.raises(ServiceError):
        services.campaign_update(by=network["content_editor"], campaign=saved, version=saved.version,
                                 **values(network, organisation_id=network.other.pk))
