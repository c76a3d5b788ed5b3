"""Referrals, the receiver's pages (part "referral-receiver"): the inbox of referrals to her
organisations, a referral's page (the package only, never the sender's case), the answers
(accept, decline with a reason, feedback once accepted), and protocol compliance for the
coordinators. Only a case role (caseworker, supervisor, police officer) of the receiving
organisation reaches a referral; everyone else gets 404. Actions answer POST only; a refused
action shows the page again with the reason (400); an action on a referral changed since the
page was shown is refused (409)."""
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from rete.core import access
from rete.core.services import ServiceError
from rete.network import texts
from rete.network.models import DeclineReason, ReferralStatus
from rete.network.package import package_sections
from rete.network.selectors import referrals as selectors
from rete.network.selectors import referrals_received as received
from rete.network.selectors.protocols import protocol_get
from rete.network.services import referrals as services

# ---- forms -----------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(ReferralStatus.choices))


class SeenForm(forms.Form):
    """The referral's lock counter as the page showed it."""

    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DeclineForm(SeenForm):
    reason = forms.ChoiceField(label=_("Why do you decline?"), choices=[("", "—")] + list(DeclineReason.choices))
    note = forms.CharField(label=_("Note for the sender"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Optional. Do not write more about her than the sender needs."))


class FeedbackForm(SeenForm):
    text = forms.CharField(label=_("Service given and outcome"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("What was done and how it went; this goes back to the sender."))


# ---- the inbox -------------------------------------------------------------------------------


@require_safe
def referral_inbox(request):
    if not received.receives_referrals(user=request.user):
        access.deny()
    form = InboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(received.inbox(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "network/referrals_received_inbox.html", {
        "form": form, "page": page, "querystring": f"status={status}" if status else ""})


# ---- a referral ------------------------------------------------------------------------------


def _protocol_title(referral, language):
    version = referral.protocol_version
    if version is None:
        return ""
    return texts.get(version.protocol, "title", language, source=version.source_language).text


def _detail_page(request, referral, *, status=200, decline_form=None, feedback_form=None, error=None):
    language = (get_language() or "en")[:2]
    seen = {"seen": referral.version}
    pathway_name = ""
    if referral.pathway is not None and referral.protocol_version is not None:
        pathway_name = texts.get(referral.pathway, "name", language, source=referral.protocol_version.source_language).text
    sharing_stopped = bool(referral.share_withdrawn_at or referral.consent_withdrawn_at
                           or referral.status == ReferralStatus.WITHDRAWN)
    return render(request, "network/referrals_received_detail.html", {
        "referral": referral,
        "sections": [] if sharing_stopped else package_sections(referral),
        "sharing_stopped": sharing_stopped,
        "protocol_title": _protocol_title(referral, language),
        "pathway_name": pathway_name,
        "may_answer": referral.status == ReferralStatus.SENT,
        "may_give_feedback": referral.status == ReferralStatus.ACCEPTED,
        "may_open_case": (referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED)
                          and referral.receiver_case_id is None and not sharing_stopped),
        "accept_form": SeenForm(initial=seen, auto_id="accept-%s"),
        "decline_form": decline_form or DeclineForm(initial=seen, auto_id="decline-%s"),
        "feedback_form": feedback_form or FeedbackForm(initial=seen, auto_id="feedback-%s"),
        "error": error,
    }, status=status)


@require_safe
def referral_received_detail(request, referral_id):
    referral = selectors.referral_get_for_receiver(user=request.user, referral_id=referral_id)
    services.referral_record_view(by=request.user, referral=referral)
    return _detail_page(request, referral)


def _stale(form, referral) -> bool:
    seen = form.cleaned_data.get("seen")
    return seen is not None and seen != referral.version


def _act(request, referral_id, form_class, form_name, act, done_message):
    referral = selectors.referral_get_for_receiver(user=request.user, referral_id=referral_id)
    form = form_class(request.POST, auto_id=f"{form_name}-%s")
    if not form.is_valid():
        return _detail_page(request, referral, status=400, **({f"{form_name}_form": form} if form_name != "accept" else {}))
    if _stale(form, referral):
        return _detail_page(request, referral, status=409, error=_(
            "This referral was changed since you opened it; here it is as it is now. Please check and try again."))
    try:
        act(referral, form.cleaned_data)
    except ServiceError as exc:
        if exc.field and exc.field in form.fields and form_name != "accept":
            form.add_error(exc.field, exc.message)
            return _detail_page(request, referral, status=400, **{f"{form_name}_form": form})
        return _detail_page(request, referral, status=400, error=exc.message)
    messages.success(request, done_message)
    return redirect("network:referral_received_detail", referral_id=referral.pk)


@require_POST
def referral_accept(request, referral_id):
    return _act(request, referral_id, SeenForm, "accept",
                lambda referral, data: services.referral_accept(by=request.user, referral=referral),
                _("You accepted the referral. The sender has been told."))


@require_POST
def referral_decline(request, referral_id):
    return _act(request, referral_id, DeclineForm, "decline",
                lambda referral, data: services.referral_decline(by=request.user, referral=referral,
                                                                 reason=data["reason"], note=data["note"]),
                _("You declined the referral. The sender has been told; the package is no longer kept."))


@require_POST
def referral_feedback(request, referral_id):
    return _act(request, referral_id, FeedbackForm, "feedback",
                lambda referral, data: services.referral_feedback(by=request.user, referral=referral, text=data["text"]),
                _("Your feedback has been sent to the sender."))


# ---- protocol compliance ---------------------------------------------------------------------


@require_safe
def protocol_compliance(request, protocol_id):
    protocol = protocol_get(user=request.user, protocol_id=protocol_id)
    rows = selectors.protocol_compliance(user=request.user, protocol=protocol)
    language = (get_language() or "en")[:2]
    source = protocol.latest.source_language
    for row in rows:
        pathway = row["pathway"]
        row["name"] = texts.get(pathway, "name", language, source=source).text if pathway is not None else ""
        row["reasons"] = [(DeclineReason(code).label if code in DeclineReason.values else code, count)
                          for code, count in sorted(row["declined_reasons"].items(), key=lambda item: (-item[1], item[0] or ""))]
    return render(request, "network/compliance.html", {
        "protocol": protocol, "title": texts.get(protocol, "title", language, source=source).text, "rows": rows})
