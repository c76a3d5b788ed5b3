from rete.core.crypto import normalise
from rete.portal.models import DirectoryEntry


def directory_search(*, q="", need="", country="", open_24_7=False):
    """Published entries matching the filters; one query (plus the paginator's count)."""
    entries = DirectoryEntry.objects.filter(published=True)
    words = normalise(q).split()
    for word in words[:8]:
        entries = entries.filter(search_text__contains=word)
    if need:
        entries = entries.filter(needs__icontains=f'"{need}"')
    if country:
        entries = entries.filter(country=country)
    if open_24_7:
        entries = entries.filter(open_24_7=True)
    return entries.order_by("country", "city", "name", "pk")
