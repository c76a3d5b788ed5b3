"""Information materials for visitors: the leaflets, posters and pocket cards of a country, each
downloadable as a print-ready PDF in the languages its page is published in. Every download is
counted (a daily number, nothing about who)."""
from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from rete.core import access
from rete.core.decorators import public_page
from rete.core.documents import pdf_response
from rete.core.models import Country
from rete.portal import reach
from rete.portal.models import ReachKind
from rete.portal.selectors import materials as selectors
from rete.portal.services import materials as services
from rete.portal.views.events import chosen_country


@public_page
@require_safe
def materials(request):
    country = chosen_country(request)
    labels = dict(Country.choices)
    language = translation.get_language()
    items = selectors.public_materials(country=country)
    for material in items:
        versions = dict(material.languages)
        material.shown = versions.get(language) or material.languages[0][1]
    return render(request, "portal/materials/list.html", {
        "materials": items, "country": country,
        "countries": [{"code": code, "name": name, "current": code == country} for code, name in labels.items()],
    })


@public_page
@require_safe
def material_pdf(request, material_id, language):
    if language not in dict(settings.LANGUAGES):
        access.deny()
    material = selectors.public_material_get(material_id=material_id)
    version = selectors.published_version(material=material, language=language)
    content = services.material_pdf(material=material, version=version, language=language)
    reach.count(kind=ReachKind.MATERIAL_DOWNLOAD, key=f"material/{material.pk}", country=material.country,
                language=language, campaign_ref=material.campaign_id or 0)
    response = pdf_response(content, services.material_filename(material=material, language=language))
    response.rete_counted = True  # a download, counted above; not a page view
    return response
