from django.db import transaction

from rete.core import audit
from rete.portal.models import DirectoryEntry


@transaction.atomic
def directory_entry_save(*, actor=None, entry: DirectoryEntry) -> DirectoryEntry:
    """Validates (a shelter never has an address) and saves an entry, with its audit event."""
    created = entry.pk is None
    entry.full_clean()
    entry.save()
    audit.record(action="portal.directory_entry_added" if created else "portal.directory_entry_changed",
                 actor=actor, obj=entry, detail={"kind": entry.kind, "country": entry.country})
    return entry
