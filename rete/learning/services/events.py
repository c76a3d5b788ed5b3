"""Writing training events: creating and editing one (its trainers and network coordinators
only), and the one way an event changes status. Atomic, locked, capability checked inside (404
otherwise), audited with ids and codes only."""
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError, StaleEdit
from rete.learning import access
from rete.learning.models import EventKind, EventStatus, TrainingEvent

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
EDITABLE_FIELDS = ("kind", "title", "description", "agenda", "country", "venue", "city", "online", "online_link",
                   "time_zone", "starts_on", "ends_on", "capacity", "languages", "interpretation",
                   "registration_closes_on", "certificate_min_attendance", "follow_up_after_days")

STATUS_STEPS = {
    EventStatus.DRAFT: {EventStatus.OPEN, EventStatus.CANCELLED},
    EventStatus.OPEN: {EventStatus.CLOSED, EventStatus.HELD, EventStatus.CANCELLED},
    EventStatus.CLOSED: {EventStatus.OPEN, EventStatus.HELD, EventStatus.CANCELLED},
    EventStatus.HELD: set(),
    EventStatus.CANCELLED: set(),
}


def audit_event(action, by, event, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=event.host, obj=event,
                 detail={"event": event.pk, **detail})


def locked(by, event) -> TrainingEvent:
    pk = getattr(event, "pk", event)
    row = TrainingEvent.objects.select_for_update(of=("self",)).select_related("host").filter(pk=pk).first()
    if row is None or not core_access.has_capability(by, row.host_id, access.RUN_TRAINING):
        core_access.deny()
    return row


def _clean(values: dict) -> dict:
    cleaned = {k: values[k] for k in EDITABLE_FIELDS if k in values}
    if not (cleaned.get("title") or "").strip():
        raise ServiceError(_("Give the event a title."), field="title")
    if cleaned.get("kind") not in EventKind.values:
        raise ServiceError(_("Choose from the list."), field="kind")
    if cleaned["ends_on"] < cleaned["starts_on"]:
        raise ServiceError(_("The last day cannot be before the first."), field="ends_on")
    if not cleaned.get("capacity") or int(cleaned["capacity"]) < 1:
        raise ServiceError(_("Give the number of places."), field="capacity")
    languages = [code for code in cleaned.get("languages") or [] if code in LANGUAGE_CODES]
    if not languages:
        raise ServiceError(_("Choose at least one language."), field="languages")
    cleaned["languages"] = languages
    closes = cleaned.get("registration_closes_on")
    if closes and closes > cleaned["ends_on"]:
        raise ServiceError(_("Registration must close by the last day."), field="registration_closes_on")
    if not cleaned.get("online") and not (cleaned.get("venue") or "").strip():
        raise ServiceError(_("Give the venue, or mark the event as online."), field="venue")
    return cleaned


@transaction.atomic
def event_create(*, by, host, **values) -> TrainingEvent:
    if not core_access.has_capability(by, host.pk, access.RUN_TRAINING):
        core_access.deny()
    event = TrainingEvent.objects.create(host=host, created_by=by, **_clean(values))
    audit_event("event.created", by, event, kind=event.kind)
    return event


@transaction.atomic
def event_update(*, by, event, version, **values) -> TrainingEvent:
    row = locked(by, event)
    if version is not None and int(version) != row.version:
        raise StaleEdit(row)
    if row.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise ServiceError(_("This event is over: its details can no longer be changed."))
    cleaned = _clean(values)
    changed = sorted(k for k, v in cleaned.items() if getattr(row, k) != v)
    for key, value in cleaned.items():
        setattr(row, key, value)
    row.version += 1
    row.save()
    audit_event("event.updated", by, row, fields=changed)
    return row


@transaction.atomic
def event_set_status(*, by, event, status) -> TrainingEvent:
    row = locked(by, event)
    if status not in STATUS_STEPS.get(row.status, set()):
        raise ServiceError(_("This step is not possible from the event's current status."))
    from_status, row.status = row.status, status
    row.version += 1
    row.save(update_fields=["status", "version"])
    audit_event("event.status", by, row, from_status=from_status, to_status=status)
    return row
