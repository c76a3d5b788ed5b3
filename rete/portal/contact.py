"""Safe contact: a visitor asks a service to contact her. The request is stored encrypted in the
organisation's intake queue; nothing stays in her browser and her address is never kept."""
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from rete.cases import selectors, services
from rete.core import crypto
from rete.core.decorators import public_page
from rete.core.helplines import NATIONAL_HELPLINES
from rete.core.middleware import client_ip
from rete.core.models import Country
from rete.portal import reach
from rete.portal.forms import ContactRequestForm
from rete.portal.models import ReachKind
from rete.portal.selectors.reach import UNANSWERED

RATE_LIMIT = 5  # requests per address and per hour
RATE_WINDOW = 3600


def _helplines():
    countries = dict(Country.choices)
    return [(countries.get(code, code), lines) for code, lines in NATIONAL_HELPLINES.items()]


def _rate_limited(request) -> bool:
    """Counts submissions per client address for an hour. The cache key is a keyed hash of the
    address: the address itself is never stored, and the key cannot be turned back into it."""
    key = "contact.rate:" + crypto.blind_index(client_ip(request) or "unknown", purpose="contact.rate")
    if cache.add(key, 1, RATE_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        return False
    return count > RATE_LIMIT


# Exempt from CSRF on purpose: the CSRF cookie is exactly what a watched visitor must not get,
# and there is nothing to forge on her behalf: she has no session, and the request only adds a
# message to a queue. Abuse is limited by a honeypot field and a per-address rate limit.
@csrf_exempt
@public_page
@require_http_methods(["GET", "POST"])
def safe_contact(request):
    organisations = selectors.contact_request_organisations()
    form = ContactRequestForm(request.POST or None, organisations=organisations)
    context = {"form": form, "helplines": _helplines()}
    if request.method == "POST":
        if _rate_limited(request):
            context["rate_limited"] = True
            return render(request, "portal/safe_contact.html", context, status=429)
        if form.is_spam():
            # The same answer as a real request, so a program learns nothing; nothing is kept.
            return render(request, "portal/safe_contact_thanks.html", {"helplines": _helplines()})
        if form.is_valid():
            organisation = form.chosen_organisation()
            services.contact_request_receive(organisation=organisation, **form.request_data())
            # "How did you hear about us", counted apart from the request: a daily counter per
            # answer, country and page language, with nothing that leads back to the request.
            reach.count(kind=ReachKind.HEARD_ABOUT, key=form.cleaned_data["heard_about"] or UNANSWERED,
                        country=organisation.country, language=getattr(request, "LANGUAGE_CODE", ""))
            helplines = [(dict(Country.choices).get(organisation.country), NATIONAL_HELPLINES.get(organisation.country, []))]
            return render(request, "portal/safe_contact_thanks.html",
                          {"organisation": organisation, "helplines": helplines if helplines[0][1] else _helplines()})
        return render(request, "portal/safe_contact.html", context, status=400)
    return render(request, "portal/safe_contact.html", context)
