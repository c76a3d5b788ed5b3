"""Enrolments (part "intake"): the list, the enquiry, the enrolment's page."""
from django.shortcuts import render

from rete.programmes.selectors import enrolments as selectors
from rete.programmes.views.sections import sections_for


def enrolment_list(request):
    rows = selectors.enrolment_list(user=request.user)[:100]
    return render(request, "programmes/enrolment_list.html", {"enrolments": rows})


def enquiry(request):
    selectors.programme_organisations(user=request.user) or selectors.enrolment_list(user=request.user)
    return render(request, "programmes/enquiry.html", {})


def enrolment_page(request, enrolment, *, status=200, **extra):
    """The enrolment's page: its header and every section (`extra` per section key)."""
    return render(request, "programmes/enrolment_detail.html",
                  {"enrolment": enrolment, "participant": enrolment.participant,
                   "sections": sections_for(request, enrolment, **extra)}, status=status)


def enrolment_detail(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    return enrolment_page(request, enrolment)
