"""Writes of the service directory by its editors: an editor adds and changes the entries of her
countries and puts them in the public directory or takes them out. The entry's own rules (a
shelter never has an address, known needs, a valid website) are the model's, applied by
`directory_entry_save` as for the demo and the admin; here come the editor's scope, optimistic
locking and the audit of publication. Audit details hold the kind and the country only, never
what she typed."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.portal.models import DirectoryEntry
from rete.portal.services import directory_entry_save

# What an editor types; the rest (search text, version) the entry and the service decide.
ENTRY_FIELDS = ("name", "kind", "country", "region", "city", "postal_codes", "address", "phone", "website", "hours",
                "open_24_7", "languages", "accessibility", "needs", "description", "published", "organisation")
TEXT_FIELDS = ("name", "region", "city", "postal_codes", "address", "phone", "website", "hours", "accessibility",
               "description")


def _countries(by) -> list[str]:
    from rete.portal.selectors import editor_countries

    return editor_countries(user=by)


def _cleaned(values: dict) -> dict:
    cleaned = {field: values.get(field) for field in ENTRY_FIELDS}
    for field in TEXT_FIELDS:
        cleaned[field] = (cleaned[field] or "").strip()
    cleaned["languages"] = list(dict.fromkeys(cleaned["languages"] or []))
    cleaned["needs"] = list(dict.fromkeys(cleaned["needs"] or []))
    cleaned["open_24_7"] = bool(cleaned["open_24_7"])
    cleaned["published"] = bool(cleaned["published"])
    return cleaned


def directory_entry_problems(*, by, values: dict) -> dict:
    """{field: message} for everything wrong with an entry's values; empty when it may be saved.
    Her scope first, then the entry's own validation (the model's, as `directory_entry_save`
    applies it). The form shows the same messages next to the fields they concern."""
    values = _cleaned(values)
    problems = {}
    country = values["country"]
    if country not in _countries(by):
        problems["country"] = _("Choose one of the countries whose portal you edit.")
    if not values["name"]:
        problems["name"] = _("Give the service's name.")
    organisation = values["organisation"]
    if organisation is not None and organisation.country != country and "country" not in problems:
        problems["organisation"] = _("The organisation must be one of the network's organisations in the entry's country.")
    try:
        DirectoryEntry(**values).full_clean(exclude=list(problems))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field if field in ENTRY_FIELDS else "__all__", messages[0])
    return problems


def _check(by, values):
    problems = directory_entry_problems(by=by, values=values)
    if problems:
        field, message = next(iter(problems.items()))
        raise ServiceError(message, field=None if field == "__all__" else field)


def _current_in_scope(by, entry) -> DirectoryEntry:
    """The entry as saved, if its saved country is one of hers; otherwise 404."""
    current = DirectoryEntry.objects.filter(pk=entry.pk).first()
    if current is None or current.country not in _countries(by):
        access.deny()
    return current


def _record_publication(by, entry):
    audit.record(action="portal.directory_entry_published" if entry.published else "portal.directory_entry_unpublished",
                 actor=by, obj=entry, detail={"kind": entry.kind, "country": entry.country})


def _stored(entry, field):
    if field == "organisation":
        return entry.organisation_id
    value = getattr(entry, field)
    return sorted(value or []) if field in ("languages", "needs") else value


def _typed(values, field):
    value = values[field]
    if field == "organisation":
        return getattr(value, "pk", None)
    return sorted(value) if field in ("languages", "needs") else value  # the same ones in another order: no change


@transaction.atomic
def directory_entry_create(*, by, name, kind, country, region, city, postal_codes, address, phone, website, hours,
                           open_24_7, languages, accessibility, needs, description, published, organisation) -> DirectoryEntry:
    """A new entry of one of her countries; in the public directory at once if `published`."""
    values = _cleaned(locals())
    _check(by, values)
    entry = directory_entry_save(actor=by, entry=DirectoryEntry(**values))
    if entry.published:
        _record_publication(by, entry)
    return entry


@transaction.atomic
def directory_entry_update(*, by, entry: DirectoryEntry, version: int, name, kind, country, region, city, postal_codes,
                           address, phone, website, hours, open_24_7, languages, accessibility, needs, description,
                           published, organisation) -> DirectoryEntry:
    """Changes an entry in one versioned save: a stale form is refused (StaleEdit)."""
    before = _current_in_scope(by, entry)
    values = _cleaned(locals())
    _check(by, values)
    changed = {field for field in ENTRY_FIELDS if _stored(before, field) != _typed(values, field)}
    if not changed:
        if before.version != version:
            raise StaleEdit(before)
        return before
    # Claims the version she edited (or refuses a stale one), then saves through the same path
    # as every other write, which validates again and records the change.
    versioned_update(DirectoryEntry, pk=entry.pk, version=version)
    current = DirectoryEntry.objects.get(pk=entry.pk)
    for field, value in values.items():
        setattr(current, field, value)
    if changed - {"published"}:
        directory_entry_save(actor=by, entry=current)
    else:
        current.save(update_fields=["published"])
    if "published" in changed:
        _record_publication(by, current)
    return DirectoryEntry.objects.select_related("organisation").get(pk=entry.pk)


@transaction.atomic
def directory_entry_publish(*, by, entry: DirectoryEntry, version: int, publish: bool) -> DirectoryEntry:
    """Puts the entry in the public directory, or takes it out (e.g. the service has closed)."""
    current = _current_in_scope(by, entry)
    if current.version != version:
        raise StaleEdit(current)
    if current.published == publish:
        return current
    versioned_update(DirectoryEntry, pk=entry.pk, version=version, published=publish)
    current = DirectoryEntry.objects.select_related("organisation").get(pk=entry.pk)
    _record_publication(by, current)
    return current
