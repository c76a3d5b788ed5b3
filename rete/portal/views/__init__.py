from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from rete.core.decorators import public_page
from rete.core.helplines import all_national_helplines, country_for_language, helpline_groups
from rete.core.models import Country
from rete.portal.forms import DirectorySearchForm
from rete.portal.selectors import directory_search

def helplines_context(request):
    """The helplines for the visitor's country: chosen in the URL (?country=XX; no cookie),
    else from the language; in English, every country."""
    chosen = request.GET.get("country", "").upper()
    if chosen == "ALL":
        country = ""
    else:
        country = chosen if chosen in Country.values else country_for_language(get_language())
    labels = dict(Country.choices)
    return {
        "helpline_country": country,
        "helpline_groups": helpline_groups(country=country),
        "helpline_countries": [{"code": code, "name": labels[code], "current": code == country}
                               for code, _numbers in all_national_helplines()],
    }


@public_page
@require_safe
def home(request):
    from rete.portal.views.pages import home_pages_context

    context = helplines_context(request)
    context.update(home_pages_context(request, context["helpline_country"]))
    return render(request, "portal/home.html", context)


@public_page
@require_safe
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    searched = form.is_bound
    if searched and not form.is_valid():
        return render(request, "portal/directory.html", {"form": form, "searched": False}, status=400)
    filters = form.cleaned_data if searched else {}
    entries = directory_search(q=filters.get("q", ""), need=filters.get("need", ""),
                               country=filters.get("country", ""), open_24_7=filters.get("open_24_7", False))
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    country = filters.get("country", "")
    fallback = helpline_groups(country=country)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/directory.html", {
        "form": form, "page": page, "searched": searched, "fallback_helplines": fallback,
        "query": query.urlencode(),
    })


@public_page
def quick_exit(request):
    """Ends any session and leaves for a neutral site. Plain link without JavaScript; with it,
    the page is blanked first and history is replaced so Back does not return here."""
    if request.user.is_authenticated:
        logout(request)
    else:
        request.session.flush()
    response = HttpResponseRedirect(settings.RETE_QUICK_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def _self_check(request, which):
    from django.utils import translation

    from rete.portal import self_check

    items = self_check.questions(which)
    first_danger, last_danger = self_check.danger_range(items)
    return render(request, "portal/self_check_form.html", {
        "which": which, "questions": items, "first_danger": first_danger, "last_danger": last_danger,
        "helplines": self_check.helplines_by_country(translation.get_language()),
    })


@public_page
@require_safe
def self_check(request):
    return render(request, "portal/self_check.html")


@public_page
@require_safe
def self_check_me(request):
    return _self_check(request, "me")


@public_page
@require_safe
def self_check_other(request):
    return _self_check(request, "other")


@public_page
@require_safe
def quick_exit_info(request):
    return render(request, "portal/quick_exit_info.html")


@public_page
@require_safe
def browsing_safely(request):
    from django.utils import translation

    from rete.portal import self_check

    return render(request, "portal/browsing_safely.html",
                  {"helplines": self_check.helplines_by_country(translation.get_language())})
