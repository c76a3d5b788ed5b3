"""Partner safety (part "partner-safety"): the "Partner safety" section of the enrolment page and
its actions. The programme asks a partner-support service to offer contact to the man's
(ex-)partner through rete.network's partner-contact link, sends it what matters for her safety
(by hand here; automatically through services.notify on state changes and attendance findings),
reports a threat he disclosed, and ends the contact after the follow-up.

What the programme sees of the contact is rete.network's ProgrammeView: the link's reference,
the service, when it was asked, and the contact status only when the partner-support worker
chooses to share it; the events it sent (kind and date, never whether they were read). Never
her identity, whereabouts, disclosures, answers, nor the partner-support notes.

The actions answer POST only (405 to a GET); an enrolment out of reach is 404; refused input
shows the whole enrolment page again (400) with the data kept."""
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rete.core.services import ServiceError
from rete.network.models import PartnerEventKind
from rete.network.selectors import partner_contact as partner_selectors
from rete.programmes import states
from rete.programmes.forms_partner import PartnerEventForm, PartnerRequestForm, ThreatForm
from rete.programmes.models import EnrolmentState
from rete.programmes.selectors import enrolments as selectors
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import partner as services
from rete.programmes.views.enrolments import enrolment_page
from rete.programmes.views.sections import register_section

SECTION = "partner"
# Accepted on a pathway and not yet over: partner contact is recommended from here on.
RECOMMENDED_STATES = frozenset({EnrolmentState.WAITING}) | states.IN_PROGRAMME


def _request_form(request, data=None):
    return PartnerRequestForm(data, services=partner_selectors.support_services(user=request.user),
                              auto_id="partner-request-%s")


def section_context(request, enrolment) -> dict:
    """Three queries at most, whatever the data: the links, the events sent, the services."""
    link, events = partner_selectors.partner_contact_for_programme(user=request.user, enrolment_id=enrolment.pk)
    is_open = link is not None and not link.ended
    context = {
        "link": link,
        "is_open": is_open,
        "events": [{"label": PartnerEventKind(kind).label if kind in PartnerEventKind.values else kind, "at": at}
                   for kind, at in events],
        "recommended": not is_open and enrolment.state in RECOMMENDED_STATES,
        "request_form": None,
        "event_form": None,
        "threat_form": None,
        "may_end": False,
        "end_error": "",
    }
    if is_open:
        context["event_form"] = PartnerEventForm(auto_id="partner-event-%s")
        context["threat_form"] = ThreatForm(auto_id="partner-threat-%s")
        context["may_end"] = services.may_end(enrolment)
    elif enrolment.state != EnrolmentState.CLOSED:
        context["request_form"] = _request_form(request)
    return context


register_section(SECTION, order=40, template="programmes/partner_section.html", context=section_context)


def _page(request, enrolment, **extra):
    return enrolment_page(request, enrolment, status=400, **{SECTION: extra})


def _back(enrolment):
    return redirect(reverse("programmes:enrolment_detail", kwargs={"enrolment_id": enrolment.pk}) + "#partner-safety")


def _refused(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@require_POST
def partner_request(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    form = _request_form(request, request.POST)
    if not form.is_valid():
        return _page(request, enrolment, request_form=form)
    try:
        services.partner_contact_request(by=request.user, enrolment=enrolment,
                                         support_organisation_id=form.cleaned_data["support_organisation"],
                                         note=form.cleaned_data["note"])
    except ServiceError as exc:
        _refused(form, exc)
        return _page(request, enrolment, request_form=form)
    messages.success(request, _("Partner contact is requested. The partner-support service was told."))
    return _back(enrolment)


@require_POST
def partner_event(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    form = PartnerEventForm(request.POST, auto_id="partner-event-%s")
    if not form.is_valid():
        return _page(request, enrolment, event_form=form)
    try:
        services.partner_event_send(by=request.user, enrolment=enrolment, kind=form.cleaned_data["kind"],
                                    note=form.cleaned_data["note"])
    except ServiceError as exc:
        _refused(form, exc)
        return _page(request, enrolment, event_form=form)
    messages.success(request, _("Sent to the partner-support service."))
    return _back(enrolment)


@require_POST
def partner_threat(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    form = ThreatForm(request.POST, auto_id="partner-threat-%s")
    if not form.is_valid():
        return _page(request, enrolment, threat_form=form)
    told = partner_selectors.has_open_link(enrolment_id=enrolment.pk)
    try:
        enrolment_services.threat_disclose(by=request.user, enrolment=enrolment, note=form.cleaned_data["note"])
    except ServiceError as exc:
        _refused(form, exc)
        return _page(request, enrolment, threat_form=form)
    if told:
        messages.success(request, _("The threat is recorded and her partner-support service was told at once."))
    else:
        messages.warning(request, _("The threat is recorded. No partner contact is open for him: no partner-support "
                                    "service was told. Follow your safeguarding procedure."))
    return _back(enrolment)


@require_POST
def partner_end(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    try:
        services.partner_contact_end(by=request.user, enrolment=enrolment)
    except ServiceError as exc:
        return _page(request, enrolment, end_error=exc.message)
    messages.success(request, _("Partner contact has ended. Her service keeps its own record."))
    return _back(enrolment)
