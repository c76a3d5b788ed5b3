"""Objects for the tests of the directory's editing (and its access-policy provider): an entry's
values as an editor types them, and entries saved the way the demo and the admin save them."""
from rete.portal.models import DirectoryEntry, EntryKind, Need


def entry_values(**overrides) -> dict:
    values = dict(name="Centro Aiuto Donne", kind=EntryKind.VICTIM_SUPPORT, country="IT", region="Lombardia",
                  city="Milano", postal_codes="201 202", address="Via Esempio 3", phone="+39 02 0000 0000",
                  website="https://centro.example/", hours="Lunedì–venerdì 9:00–17:00", open_24_7=False,
                  languages=["it", "en"], accessibility="Step-free access", needs=[Need.TALK, Need.LEGAL],
                  description="Listening and legal information.", published=False, organisation=None)
    values.update(overrides)
    return values


def make_entry(**overrides) -> DirectoryEntry:
    from rete.portal.services import directory_entry_save

    return directory_entry_save(entry=DirectoryEntry(**entry_values(**overrides)))
