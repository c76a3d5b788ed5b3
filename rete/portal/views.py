from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rete.core.decorators import public_page


@public_page
@require_safe
def home(request):
    return render(request, "portal/home.html")


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
