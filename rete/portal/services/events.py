"""Writes of the portal's calendar: an editor adds and changes the events of her countries,
publishes or withdraws them, and cancels them (a cancelled event stays on the calendar, marked,
so that nobody travels to it). Every write is audited in the same transaction."""
from django.db import transaction
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.portal.models import PublicEvent
from rete.portal.selectors import editor_scope

# What an editor types; the rest (country scope, who created it, status) the service decides.
EVENT_FIELDS = ("country", "organisation", "campaign", "kind", "title", "description", "language", "starts_at", "ends_at",
                "venue", "address", "city", "online_url", "accessibility")
TEXT_FIELDS = ("title", "description", "venue", "address", "city", "online_url", "accessibility")


def event_problems(*, by, values: dict) -> dict:
    """{field: message} for everything wrong with an event's values; empty when it may be saved.
    The form shows the same messages next to the fields they concern."""
    countries, organisations = editor_scope(user=by)
    problems = {}
    country = values.get("country")
    if country not in countries:
        problems["country"] = _("Choose one of the countries whose portal you edit.")
    organisation = values.get("organisation")
    if organisation is None or organisation.pk not in {org.pk for org in organisations}:
        problems["organisation"] = _("Choose one of your organisations as the organiser.")
    elif organisation.country != country and "country" not in problems:
        problems["organisation"] = _("The organiser must be one of your organisations in the event's country.")
    campaign = values.get("campaign")
    if campaign is not None and campaign.country != country:
        problems["campaign"] = _("The campaign must be one of the event's country.")
    if not (values.get("title") or "").strip():
        problems["title"] = _("Give the event a title.")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        problems["ends_at"] = _("The event must end after it starts.")
    if not (values.get("venue") or "").strip() and not (values.get("online_url") or "").strip():
        problems["venue"] = _("Give the venue, or the online link if the event takes place online.")
    return problems


def _check(by, values):
    problems = event_problems(by=by, values=values)
    if problems:
        field, message = next(iter(problems.items()))
        raise ServiceError(message, field=field)


def _cleaned(values: dict) -> dict:
    cleaned = {field: values.get(field) for field in EVENT_FIELDS}
    for field in TEXT_FIELDS:
        cleaned[field] = (cleaned[field] or "").strip()
    return cleaned


@transaction.atomic
def event_create(*, by, country, organisation, campaign, kind, title, description, language, starts_at, ends_at,
                 venue, address, city, online_url, accessibility) -> PublicEvent:
    """A new event, not yet published."""
    values = _cleaned(locals())
    _check(by, values)
    event = PublicEvent.objects.create(created_by=by, **values)
    audit.record(action="portal.event_created", actor=by, organisation=organisation, obj=event,
                 detail={"country": event.country, "kind": event.kind, "language": event.language})
    return event


def _require_scope(by, event):
    countries, _organisations = editor_scope(user=by)
    if event.country not in countries:
        access.deny()


@transaction.atomic
def event_update(*, by, event: PublicEvent, version: int, country, organisation, campaign, kind, title, description, language,
                 starts_at, ends_at, venue, address, city, online_url, accessibility) -> PublicEvent:
    """Changes an event in one versioned save: a stale form is refused (StaleEdit)."""
    _require_scope(by, event)
    values = _cleaned(locals())
    _check(by, values)
    before = PublicEvent.objects.get(pk=event.pk)
    changed = sorted(field for field, value in values.items() if getattr(before, field) != value)
    if not changed:
        if before.version != version:
            raise StaleEdit(before)
        return before
    versioned_update(PublicEvent, pk=event.pk, version=version,
                     **{field: value for field, value in values.items() if field in changed})
    audit.record(action="portal.event_changed", actor=by, organisation=organisation, obj=before,
                 detail={"fields": changed, "country": values["country"]})
    return PublicEvent.objects.get(pk=event.pk)


@transaction.atomic
def event_publish(*, by, event: PublicEvent, version: int, publish: bool) -> PublicEvent:
    """Puts the event on the public calendar, or takes it off (e.g. found to be wrong)."""
    _require_scope(by, event)
    current = PublicEvent.objects.get(pk=event.pk)
    if current.version != version:
        raise StaleEdit(current)
    if current.published == publish:
        return current
    versioned_update(PublicEvent, pk=event.pk, version=version, published=publish)
    audit.record(action="portal.event_published" if publish else "portal.event_unpublished", actor=by,
                 organisation=current.organisation, obj=current, detail={"country": current.country})
    return PublicEvent.objects.get(pk=event.pk)


@transaction.atomic
def event_cancel(*, by, event: PublicEvent, version: int) -> PublicEvent:
    """Marks the event cancelled: it stays on the calendar (and in calendar files) as cancelled."""
    _require_scope(by, event)
    current = PublicEvent.objects.get(pk=event.pk)
    if current.version != version:
        raise StaleEdit(current)
    if current.cancelled:
        raise ServiceError(_("This event is already cancelled."))
    versioned_update(PublicEvent, pk=event.pk, version=version, cancelled=True)
    audit.record(action="portal.event_cancelled", actor=by, organisation=current.organisation, obj=current,
                 detail={"country": current.country, "published": current.published})
    return PublicEvent.objects.get(pk=event.pk)
