"""Information pages, the visitor's side: a country's pages in her language, and one page with
its helplines. The country comes from the address (?country=XX on the list, part of the path on
a page) or from the language; nothing about her is asked or kept."""
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from rete.core.decorators import public_page
from rete.core.helplines import helpline_groups
from rete.core.models import Country
from rete.portal import markup
from rete.portal.selectors import pages as selectors
from rete.portal.views import helplines_context


def country_choices(current: str) -> list[dict]:
    labels = dict(Country.choices)
    return [{"code": code, "url_code": code.lower(), "name": labels[code], "current": code == current}
            for code in Country.values]


def home_pages_context(request, country: str) -> dict:
    """For the home page: the pages of the visitor's country (one query; none without a country)."""
    if not country:
        return {"info_pages": None, "info_country": ""}
    return {"info_pages": selectors.info_page_list(country=country, language=translation.get_language()),
            "info_country": country}


@public_page
@require_safe
def info_index(request):
    context = helplines_context(request)
    country = context["helpline_country"]
    labels = dict(Country.choices)
    context.update({
        "country": country, "country_name": labels.get(country, ""), "countries": country_choices(country),
        "pages": selectors.info_page_list(country=country, language=translation.get_language()) if country else None,
    })
    return render(request, "portal/info/index.html", context)


@public_page
@require_safe
def info_page(request, country, slug):
    code = selectors.country_from_url(country)
    language = translation.get_language()
    found = selectors.info_page_public(country=code, slug=slug, language=language)
    return render(request, "portal/info/page.html", page_context(found["page"], found["version"], found["languages"],
                                                                 language))


def page_context(page, version, languages, language) -> dict:
    """What the page template needs; the editors' preview uses it too, so a draft is shown
    exactly as visitors will see it."""
    from django.conf import settings

    names = dict(settings.LANGUAGES)
    other_languages = []
    for code in languages:
        if code == version.language:
            continue
        with translation.override(code):
            url = reverse("portal:info_page", kwargs={"country": page.country.lower(), "slug": page.slug})
        other_languages.append({"code": code, "name": translation.get_language_info(code)["name_local"],
                                "label": names[code], "url": url})
    labels = dict(Country.choices)
    return {
        "page": page, "version": version, "body": markup.render(version.body),
        "translated": version.language == language, "other_languages": other_languages,
        "country_name": labels.get(page.country, page.country),
        "helpline_groups": helpline_groups(country=page.country),
    }
