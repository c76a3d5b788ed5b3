"""Printed information materials: an editor composes a leaflet, a poster or a pocket card from a
published information page of her countries; Rete generates it as a print-ready PDF (bleed and
crop marks) in each language the page is published in, with the country's helplines, 112, a
few services, and a QR code to the page on the portal (with the campaign's code, so visits from
the printed material are counted)."""
from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.portal.models import Material, MaterialKind
from rete.portal.selectors import editor_scope

MATERIAL_FIELDS = ("name", "kind", "page", "organisation", "campaign", "show_directory", "published")
TEMPLATES = {MaterialKind.LEAFLET: "documents/material_leaflet.html", MaterialKind.POSTER: "documents/material_poster.html",
             MaterialKind.CARD: "documents/material_card.html"}
CACHE_SECONDS = 60 * 60


def material_problems(*, by, values: dict) -> dict:
    """{field: message} for everything wrong with a material's values; empty when it may be saved."""
    countries, organisations = editor_scope(user=by)
    problems = {}
    if not (values.get("name") or "").strip():
        problems["name"] = _("Give the material a name.")
    if values.get("kind") not in MaterialKind.values:
        problems["kind"] = _("Choose a format.")
    page = values.get("page")
    if page is None or page.country not in countries:
        problems["page"] = _("Choose an information page of a country whose portal you edit.")
        return problems
    organisation = values.get("organisation")
    if organisation is None or organisation.pk not in {org.pk for org in organisations} or organisation.country != page.country:
        problems["organisation"] = _("Choose one of your organisations in the page's country.")
    campaign = values.get("campaign")
    if campaign is not None and campaign.country != page.country:
        problems["campaign"] = _("The campaign must be one of the page's country.")
    return problems


def _check(by, values):
    problems = material_problems(by=by, values=values)
    if problems:
        field, message = next(iter(problems.items()))
        raise ServiceError(message, field=field)


def _cleaned(values: dict) -> dict:
    cleaned = {field: values.get(field) for field in MATERIAL_FIELDS}
    cleaned["name"] = (cleaned["name"] or "").strip()
    cleaned["show_directory"] = bool(cleaned["show_directory"])
    cleaned["published"] = bool(cleaned["published"])
    return cleaned


@transaction.atomic
def material_create(*, by, name, kind, page, organisation, campaign, show_directory, published) -> Material:
    values = _cleaned(locals())
    _check(by, values)
    material = Material.objects.create(country=page.country, created_by=by, **values)
    audit.record(action="portal.material_created", actor=by, organisation=organisation, obj=material,
                 detail={"country": material.country, "kind": material.kind, "page": page.pk, "published": material.published})
    return material


@transaction.atomic
def material_update(*, by, material: Material, version: int, name, kind, page, organisation, campaign, show_directory,
                    published) -> Material:
    """Changes a material in one versioned save: a stale form is refused (StaleEdit)."""
    countries, _organisations = editor_scope(user=by)
    if material.country not in countries:
        access.deny()
    values = _cleaned(locals())
    _check(by, values)
    values["country"] = page.country
    before = Material.objects.get(pk=material.pk)
    changed = sorted(field for field, value in values.items() if getattr(before, field) != value)
    if not changed:
        if before.version != version:
            raise StaleEdit(before)
        return before
    versioned_update(Material, pk=material.pk, version=version, **{field: values[field] for field in changed})
    audit.record(action="portal.material_changed", actor=by, organisation=organisation, obj=before,
                 detail={"fields": changed, "country": values["country"], "published": values["published"]})
    return Material.objects.get(pk=material.pk)


@transaction.atomic
def material_printed(*, by, material: Material, language: str):
    """A member of staff generated the material's PDF (preview or for printing)."""
    audit.record(action="portal.material_printed", actor=by, organisation=material.organisation, obj=material,
                 detail={"language": language, "kind": material.kind})


# ---- composition -------------------------------------------------------------------------------


def page_url(*, material, language) -> str:
    """The absolute address of the material's page on the portal in `language`, with the
    campaign's code when the material belongs to a campaign."""
    from rete.portal.reach import CAMPAIGN_PARAMETER

    kwargs = {"country": material.country.lower(), "slug": material.page.slug}
    with translation.override(language):
        try:
            path = reverse("portal:info_page", kwargs=kwargs)
        except NoReverseMatch:  # the information pages are not installed: their address all the same
            path = f"/{language}/info/{kwargs['country']}/{kwargs['slug']}/"
    url = settings.RETE_BASE_URL.rstrip("/") + path
    if material.campaign_id:
        url += f"?{CAMPAIGN_PARAMETER}={material.campaign.slug}"
    return url


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline SVG, scaled by the material's style sheet."""
    import segno
    from django.utils.safestring import mark_safe

    return mark_safe(segno.make(url, error="m").svg_inline(omitsize=True, title=url))  # noqa: S308 (segno's own markup)


def material_context(*, material, version, language) -> dict:
    """Everything the material's template prints: the published version's title, summary (and
    for a leaflet its text), the helplines, 112, a few services, and the QR code."""
    from rete.core.helplines import national_helplines
    from rete.portal import markup
    from rete.portal.selectors.materials import material_directory_entries

    url = page_url(material=material, language=language)
    with translation.override(language):
        helplines = [(number, str(description)) for number, description in national_helplines(material.country)]
    return {
        "material": material, "version": version, "language": language, "url": url, "qr": qr_svg(url),
        "body": markup.render(version.body) if material.kind == MaterialKind.LEAFLET else "",
        "helplines": helplines,
        "entries": material_directory_entries(country=material.country) if material.show_directory else [],
    }


def material_html(*, material, version, language) -> str:
    """The material's HTML before it becomes a PDF (for checks and tests)."""
    from django.template.loader import render_to_string

    context = material_context(material=material, version=version, language=language)
    with translation.override(language):
        return render_to_string(TEMPLATES[material.kind], {**context, "LANGUAGE_CODE": language})


def material_pdf(*, material, version, language, cached=True) -> bytes:
    """The print-ready PDF. Public downloads are cached per material version, page version and
    language for an hour (the services listed may change meanwhile; an hour is short enough)."""
    from django.core.cache import cache

    from rete.core.documents import render_pdf

    key = (f"portal:material:{material.pk}:{material.version}:{version.pk}:{language}:"
           f"{material.campaign.slug if material.campaign_id else ''}")
    if cached:
        try:
            content = cache.get(key)
        except Exception:  # noqa: BLE001 (the cache is an optimisation: without it, the PDF is generated)
            content = None
        if content is not None:
            return content
    context = material_context(material=material, version=version, language=language)
    content = render_pdf(TEMPLATES[material.kind], context, language=language, stylesheets=("rete/material.css",))
    if cached:
        try:
            cache.set(key, content, CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            pass
    return content


def material_filename(*, material, language) -> str:
    return f"{material.page.slug}-{material.kind}-{language}.pdf"
