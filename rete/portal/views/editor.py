"""The content editors' start page: what waits for them in their countries' portal, and the
way to each part (pages, events, materials, campaigns and posts, reach)."""
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from rete.core.models import Country
from rete.portal import selectors


@require_safe
def editor_home(request):
    countries = selectors.editor_countries_or_deny(user=request.user)
    labels = dict(Country.choices)
    return render(request, "portal/editor/home.html", {
        "summary": selectors.editor_summary(user=request.user, countries=countries, now=timezone.now()),
        "countries": countries, "country_names": ", ".join(str(labels[code]) for code in countries), "tab": "home",
    })
