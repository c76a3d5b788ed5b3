"""Reads of the service directory for its editors: every entry of her countries (published or
not), searched like the public directory (accent- and case-folded name, place and postal codes),
one entry of her countries (any other is 404), and the network's organisations an entry may
belong to."""
from rete.core import access
from rete.core.crypto import normalise
from rete.portal.models import DirectoryEntry

# A form offers the network's organisations of her countries: a national network counts tens of
# them, a few hundred at most.
ORGANISATIONS_LIMIT = 500


def matching(entries, q: str):
    """Entries whose name, place or postal codes hold every word of `q` (as the public search)."""
    for word in normalise(q or "").split()[:8]:
        entries = entries.filter(search_text__contains=word)
    return entries


def editor_directory(*, countries, q="", country="", kind="", published=None):
    """Her countries' entries, drafts included, by country, place and name; `published` is True,
    False or None (both)."""
    entries = matching(DirectoryEntry.objects.filter(country__in=countries), q)
    if country:
        entries = entries.filter(country=country)
    if kind:
        entries = entries.filter(kind=kind)
    if published is not None:
        entries = entries.filter(published=published)
    return entries.order_by("country", "city", "name", "pk")


def editor_directory_entry_get(*, user, entry_id) -> DirectoryEntry:
    """An entry of one of her countries; any other is 404, exactly like one that does not exist."""
    from rete.portal.selectors import editor_countries

    entry = DirectoryEntry.objects.filter(pk=entry_id).select_related("organisation").first()
    if entry is None or entry.country not in editor_countries(user=user):
        access.deny()
    return entry


def directory_organisations(*, countries) -> list:
    """The network's organisations in her countries, which an entry of the same country may name
    (not only her own: a coordinator keeps the whole country's directory)."""
    from rete.core.models import Organisation

    return list(Organisation.objects.filter(country__in=countries).only("pk", "name", "short_name", "country")
                .order_by("country", "name", "pk")[:ORGANISATIONS_LIMIT])
