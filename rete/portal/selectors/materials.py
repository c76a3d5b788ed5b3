"""Reads of the printed information materials: what visitors may download (published materials,
in the languages their page is published in), and what an editor sees and edits (the materials
and pages of her countries, nothing else)."""
from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery

from rete.core import access
from rete.portal.models import DirectoryEntry, InfoPage, Material, PageStatus, PageVersion

# At most this many services are printed on a material (a leaflet or a poster has room for few).
DIRECTORY_LIMIT = 8


def _published_versions():
    return Prefetch("page__versions", to_attr="published_versions",
                    queryset=PageVersion.objects.filter(status=PageStatus.PUBLISHED)
                    .only("pk", "page_id", "language", "title", "summary", "number"))


def with_languages(materials):
    """Gives each material `languages`: the published version of its page per language, in the
    order of settings.LANGUAGES (the ones it can be generated in)."""
    order = [code for code, _name in settings.LANGUAGES]
    for material in materials:
        versions = {version.language: version for version in getattr(material.page, "published_versions", [])}
        material.languages = [(code, versions[code]) for code in order if code in versions]
    return materials


def public_materials(*, country=""):
    """Published materials (of a country, or every one) that can be downloaded in at least one
    language; three queries whatever the data."""
    materials = (Material.objects.filter(published=True, page__versions__status=PageStatus.PUBLISHED)
                 .distinct().select_related("page").prefetch_related(_published_versions())
                 .order_by("country", "name", "pk"))
    if country:
        materials = materials.filter(country=country)
    return with_languages(list(materials[:200]))


def public_material_get(*, material_id) -> Material:
    material = Material.objects.filter(pk=material_id, published=True).select_related("page", "campaign").first()
    if material is None:
        access.deny()
    return material


def published_version(*, material, language) -> PageVersion:
    """The published version of the material's page in `language`; 404 when there is none."""
    version = PageVersion.objects.filter(page_id=material.page_id, language=language, status=PageStatus.PUBLISHED).first()
    if version is None:
        access.deny()
    return version


def editor_materials(*, countries, country=""):
    materials = (Material.objects.filter(country__in=countries)
                 .select_related("page", "campaign", "organisation").prefetch_related(_published_versions())
                 .order_by("country", "name", "pk"))
    if country:
        materials = materials.filter(country=country)
    return materials


def editor_material_get(*, user, material_id) -> Material:
    """A material of one of her countries, with its published languages; any other is 404."""
    from rete.portal.selectors import editor_countries

    material = (Material.objects.filter(pk=material_id).select_related("page", "campaign", "organisation")
                .prefetch_related(_published_versions()).first())
    if material is None or material.country not in editor_countries(user=user):
        access.deny()
    return with_languages([material])[0]


def editor_pages(*, countries):
    """The information pages of her countries a material may be composed from, each with
    `title`: its newest version's title in any language (one query)."""
    newest = PageVersion.objects.filter(page=OuterRef("pk")).order_by("-created_at", "-pk").values("title")[:1]
    return list(InfoPage.objects.filter(country__in=countries).annotate(title=Subquery(newest))
                .order_by("country", "position", "slug")[:500])


def material_directory_entries(*, country):
    """The country's published services with a phone, to print on a material: at most
    DIRECTORY_LIMIT, helplines first. Only what is printed is read: never an address."""
    from rete.portal.models import EntryKind

    order = [EntryKind.HELPLINE, EntryKind.VICTIM_SUPPORT, EntryKind.SHELTER, EntryKind.POLICE, EntryKind.LEGAL_AID,
             EntryKind.SOCIAL_SERVICES, EntryKind.HEALTH, EntryKind.PERPETRATOR_PROGRAMME, EntryKind.OTHER]
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(*[When(kind=kind, then=Value(position)) for position, kind in enumerate(order)],
                default=Value(len(order)), output_field=IntegerField())
    return list(DirectoryEntry.objects.filter(published=True, country=country).exclude(phone="").exclude(phone="112")
                .annotate(rank=rank).only("pk", "name", "kind", "city", "phone", "open_24_7")
                .order_by("rank", "name", "pk")[:DIRECTORY_LIMIT])
