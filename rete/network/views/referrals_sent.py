"""Referrals, the sender's side (part "referral-sender"): the form to refer a case to another
organisation under an adopted protocol, the sent referral with its timeline, the receiver's
answer and the package as it was sent, and the withdrawal of the share. Everything here is
reached through the case: a person who may not open the case gets 404. The case page shows
the case's referrals through the section added in rete/cases/views.py."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from rete.cases import selectors as case_selectors
from rete.cases import services as case_services
from rete.core.services import ServiceError
from rete.network import texts
from rete.network.package import package_sections
from rete.network.models import EntryPoint, Referral, ReferralService, ShareCategory
from rete.network.selectors import referrals as selectors
from rete.network.services import referrals as services


def _label(field):
    return capfirst(Referral._meta.get_field(field).verbose_name)


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in texts.LANGUAGE_CODES else "en"


def _hours(hours) -> str:
    if hours and hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours or 0) % {"count": hours or 0}


def _choices(options) -> dict:
    """From referral_options: the receivers (each once, with the union of what may go to it and
    whether her consent is needed), and the pathways, each described for the form."""
    language = _language()
    receivers, pathways = {}, {}
    for option in options:
        version = option["version"]
        title = texts.get(option["protocol"], "title", language, source=version.source_language).text
        for receiver in option["receivers"]:
            organisation = receiver["organisation"]
            entry = receivers.setdefault(organisation.pk, {"organisation": organisation, "categories": [],
                                                           "consent_needed": False, "protocols": []})
            entry["categories"] += [c for c in receiver["categories"] if c not in entry["categories"]]
            entry["consent_needed"] = entry["consent_needed"] or receiver["consent_needed"]
            entry["protocols"].append(title)
        for item in option["pathways"]:
            pathway = item["pathway"]
            limit = item["time_limit_hours"]
            pathways[pathway.pk] = {
                "pathway": pathway, "protocol": title,
                "name": texts.get(pathway, "name", language, source=version.source_language).text,
                "entry_point": EntryPoint(pathway.entry_point).label, "service": ReferralService(pathway.service).label,
                "urgent": pathway.urgent, "time_limit": _hours(limit) if limit else "",
            }
    for entry in receivers.values():
        entry["category_labels"] = [ShareCategory(c).label for c in ShareCategory.values if c in entry["categories"]]
    return {"receivers": receivers, "pathways": pathways}


def _pathway_label(item) -> str:
    parts = [item["protocol"], item["entry_point"], item["service"]]
    if item["urgent"]:
        parts.append(str(_("urgent")))
    if item["time_limit"]:
        parts.append(str(_("answer within %(limit)s")) % {"limit": item["time_limit"]})
    return f"{item['name']} ({' · '.join(str(p) for p in parts)})"


class ReferralForm(forms.Form):
    to_organisation = forms.TypedChoiceField(
        label=_("Receiving organisation"), coerce=int,
        error_messages={"invalid_choice": _("Choose an organisation that is party to a protocol in force with yours.")})
    pathway = forms.TypedChoiceField(label=_("Pathway"), coerce=int, required=False, empty_value=None,
                                     widget=forms.RadioSelect,
                                     help_text=_("Optional. A pathway sets the service, the urgency and the time limit."))
    service = forms.ChoiceField(label=_label("service"), required=False, choices=[("", "—"), *ReferralService.choices])
    categories = forms.MultipleChoiceField(label=_("What of the case is shared"), choices=ShareCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    request = forms.CharField(label=_label("request"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What you ask the receiving organisation to do. Write only what it needs."))
    urgent = forms.BooleanField(label=_label("urgent"), required=False)
    emergency_reason = forms.CharField(
        label=_("Emergency: why it cannot wait for her consent"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when her consent is needed and not recorded. The referral is then sent, flagged to your "
                    "organisation's data-protection officers, with your reason."))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["to_organisation"].choices = [("", "—")] + [
            (pk, str(entry["organisation"])) for pk, entry in choices["receivers"].items()]
        self.fields["pathway"].choices = [("", _("No pathway"))] + [
            (pk, _pathway_label(item)) for pk, item in choices["pathways"].items()]

    def clean(self):
        data = super().clean()
        pathway_id = data.get("pathway")
        if pathway_id and not data.get("service"):
            data["service"] = self.choices["pathways"][pathway_id]["pathway"].service
        if not data.get("service") and "service" not in self.errors:
            self.add_error("service", _("Choose the service you ask for, or a pathway."))
        return data


def _case_or_deny(request, case_id):
    return case_selectors.case_get(user=request.user, pk=case_id)


def _form_page(request, case, form, choices, *, status=200):
    chosen = None
    if form.is_bound:
        try:
            chosen = choices["receivers"].get(int(form.data.get("to_organisation") or 0))
        except (TypeError, ValueError):
            chosen = None
    return render(request, "network/referrals_sent_form.html", {
        "case": case, "form": form, "receivers": list(choices["receivers"].values()),
        "pathways": list(choices["pathways"].values()), "chosen": chosen,
        "minimum": services.EMERGENCY_REASON_MIN}, status=status)


@require_http_methods(["GET", "POST"])
def referral_new(request, case_id):
    """Refer the case. "Apply the pathway" (no JavaScript needed) fills the service and the
    urgency from the chosen pathway and shows the form again; "Send" sends it."""
    case = _case_or_deny(request, case_id)
    choices = _choices(services.referral_options(by=request.user, case=case))
    if request.method != "POST":
        return _form_page(request, case, ReferralForm(choices=choices), choices)
    if "apply_pathway" in request.POST:
        data = request.POST.copy()
        try:
            item = choices["pathways"].get(int(data.get("pathway") or 0))
        except (TypeError, ValueError):
            item = None
        if item is not None:
            data["service"] = item["pathway"].service
            if item["pathway"].urgent:
                data["urgent"] = "on"
        form = ReferralForm(data, choices=choices)
        form.errors.clear()  # only filled in, not sent: no errors yet
        return _form_page(request, case, form, choices)
    form = ReferralForm(request.POST, choices=choices)
    if not form.is_valid():
        return _form_page(request, case, form, choices, status=400)
    data = form.cleaned_data
    pathway = choices["pathways"][data["pathway"]]["pathway"] if data.get("pathway") else None
    try:
        referral = services.referral_send(
            by=request.user, case=case, to_organisation=choices["receivers"][data["to_organisation"]]["organisation"],
            service=data["service"], pathway=pathway, categories=data["categories"], request=data["request"],
            urgent=data["urgent"], emergency_reason=data["emergency_reason"])
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, case, form, choices, status=400)
    if referral.emergency:
        messages.warning(request, _("The referral was sent without her consent; your data-protection officers were told."))
    else:
        messages.success(request, _("The referral was sent."))
    return redirect("network:referral_sent_detail", referral_id=referral.pk)


def _detail_page(request, referral, *, status=200, withdraw_error=None, reason=""):
    case = case_selectors.case_get(user=request.user, pk=referral.case_id)
    case_services.case_record_view(by=request.user, case=case)
    return render(request, "network/referrals_sent_detail.html", {
        "case": case, "referral": referral, "events": list(referral.events.all()),
        "sections": package_sections(referral),
        "category_labels": [ShareCategory(c).label for c in referral.categories if c in ShareCategory.values],
        "pathway_name": texts.get(referral.pathway, "name", _language()).text if referral.pathway else "",
        "can_withdraw": referral.status in services.ACTIVE_STATUSES,
        "withdraw_error": withdraw_error, "reason": reason}, status=status)


@require_http_methods(["GET"])
def referral_sent_detail(request, referral_id):
    referral = selectors.referral_get_for_sender(user=request.user, referral_id=referral_id)
    return _detail_page(request, referral)


@require_POST
def referral_withdraw(request, referral_id):
    referral = selectors.referral_get_for_sender(user=request.user, referral_id=referral_id)
    reason = request.POST.get("reason", "")[:5000]
    try:
        services.referral_withdraw(by=request.user, referral=referral, reason=reason)
    except ServiceError as exc:
        return _detail_page(request, referral, status=400, withdraw_error=exc.message, reason=reason)
    messages.success(request, _("The share was withdrawn: the receiving organisation no longer sees what was shared."))
    return redirect("network:referral_sent_detail", referral_id=referral.pk)
