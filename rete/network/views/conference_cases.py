"""Risk conferences from a case, summaries and actions (part "conference-case").

The case team refers a case to a risk conference of which its organisation is a member, sees the
referral, its discussion and its actions, and may withdraw it before it is discussed (all
reached through the case: whoever may not open the case gets 404). The representatives of the
member organisations read the summary (never the case); coordinators who are not
representatives see the referral without the summary. The representatives report progress on
their agencies' actions. Every read goes through rete.network.selectors.conferences, every write
through rete.network.services.conferences."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from rete.cases import selectors as case_selectors
from rete.cases import services as case_services
from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import (
    ConferenceActionStatus,
    ConferenceCriterion,
    ConferenceReferralStatus,
    ShareCategory,
)
from rete.network.package import package_sections
from rete.network.selectors import conferences as selectors
from rete.network.services import conferences as services

TEXT_MAX = 5000
WITHDRAWABLE = (ConferenceReferralStatus.WAITING, ConferenceReferralStatus.ON_AGENDA)


def _category_labels(codes) -> list:
    return [ShareCategory(c).label for c in ShareCategory.values if c in (codes or [])]


# ---- refer a case ------------------------------------------------------------------------------


class ConferenceReferralForm(forms.Form):
    series = forms.TypedChoiceField(label=_("Risk conference"), coerce=int, widget=forms.HiddenInput,
                                    error_messages={"invalid_choice": _("Choose one of the conferences listed.")})
    criterion = forms.ChoiceField(label=_("Criterion"), choices=ConferenceCriterion.choices, widget=forms.RadioSelect,
                                  error_messages={"required": _("Choose the criterion for the referral.")})
    reasons = forms.CharField(label=_("Reasons"), required=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required for professional judgement. Write only what the conference needs."))
    categories = forms.MultipleChoiceField(label=_("What the summary carries"), required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("The representatives of the member organisations read these "
                                                       "parts of the case, as they are today; never the case itself."))
    without_consent_reason = forms.CharField(
        label=_("Why her case must be shared without her consent"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, series, consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = [(series.pk, series.name)]
        self.fields["categories"].choices = [(c, ShareCategory(c).label) for c in ShareCategory.values
                                             if c in series.categories]
        if consent is not None:
            del self.fields["without_consent_reason"]

    def clean_categories(self):
        categories = self.cleaned_data.get("categories") or []
        if not categories:
            raise forms.ValidationError(_("Choose what the conference's representatives may read."))
        return categories


def _chosen_series(options, value):
    try:
        wanted = int(value)
    except (TypeError, ValueError):
        wanted = None
    for series in options:
        if series.pk == wanted:
            return series
    return options[0] if len(options) == 1 else None


def _referral_form_page(request, case, options, series, *, form=None, facts=None, consent=None, status=200):
    context = {"case": case, "options": options, "series": series, "form": form, "facts": facts,
               "consent": consent, "minimum": services.REASON_MIN}
    if series is not None:
        band = facts["band"]
        context.update({
            "band_high": bool(band and band["high"]),
            "escalation": facts["police_callouts"] >= series.escalation_callouts,
            "pending": series.last_referral if series.last_referral and series.last_referral.status in WITHDRAWABLE else None,
        })
    return render(request, "network/conference_referral_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def conference_referral_new(request, case_id):
    """Choose the conference (when her organisation sits in several), then the criterion with
    the case's facts beside it, the reasons, what the summary carries and, without her consent,
    the written reason for sharing without it."""
    case = case_selectors.case_get(user=request.user, pk=case_id)
    options = selectors.series_options_for_case(user=request.user, case=case)
    source = request.POST if request.method == "POST" else request.GET
    series = _chosen_series(options, source.get("series"))
    if series is None:
        if request.method == "POST":
            access.deny()  # not one of the conferences she may refer to
        return _referral_form_page(request, case, options, None)
    facts = services.case_facts(case=case)
    consent = services.covering_consent(case=case, series=series)
    if request.method != "POST":
        form = ConferenceReferralForm(series=series, consent=consent,
                                      initial={"series": series.pk, "categories": list(series.categories)})
        return _referral_form_page(request, case, options, series, form=form, facts=facts, consent=consent)
    form = ConferenceReferralForm(request.POST, series=series, consent=consent)
    if not form.is_valid():
        return _referral_form_page(request, case, options, series, form=form, facts=facts, consent=consent, status=400)
    data = form.cleaned_data
    try:
        referral = services.conference_refer(
            by=request.user, case=case, series=series, criterion=data["criterion"], reasons=data["reasons"],
            categories=data["categories"], without_consent_reason=data.get("without_consent_reason", ""))
    except ServiceError as exc:
        shown = exc.field in form.fields and not form.fields[exc.field].widget.is_hidden
        form.add_error(exc.field if shown else None, exc.message)
        return _referral_form_page(request, case, options, series, form=form, facts=facts, consent=consent, status=400)
    if referral.consent_id is None:
        messages.warning(request, _("The case was referred without her consent; your data-protection officers were told."))
    else:
        messages.success(request, _("The case was referred to %(series)s.") % {"series": series.name})
    return redirect("network:conference_referral_sent", conference_referral_id=referral.pk)


# ---- the referral, the sender's side ---------------------------------------------------------


def _sent_page(request, referral, *, status=200, withdraw_error=None, reason=""):
    case_services.case_record_view(by=request.user, case=referral.case)
    return render(request, "network/conference_referral_sent.html", {
        "case": referral.case, "referral": referral, "category_labels": _category_labels(referral.categories),
        "history": selectors.referral_history(referral=referral), "actions": selectors.referral_actions(referral=referral),
        "can_withdraw": referral.status in WITHDRAWABLE, "withdraw_error": withdraw_error, "reason": reason},
        status=status)


@require_http_methods(["GET"])
def conference_referral_sent(request, conference_referral_id):
    referral = selectors.conference_referral_get_for_sender(user=request.user, referral_id=conference_referral_id)
    return _sent_page(request, referral)


@require_POST
def conference_referral_withdraw(request, conference_referral_id):
    referral = selectors.conference_referral_get_for_sender(user=request.user, referral_id=conference_referral_id)
    reason = request.POST.get("reason", "")[:TEXT_MAX]
    try:
        services.conference_referral_withdraw(by=request.user, referral=referral, reason=reason)
    except ServiceError as exc:
        return _sent_page(request, referral, status=400, withdraw_error=exc.message, reason=reason)
    messages.success(request, _("The referral was withdrawn: the conference no longer sees the summary."))
    return redirect("network:conference_referral_sent", conference_referral_id=referral.pk)


# ---- the summary, for the conference ---------------------------------------------------------


@require_http_methods(["GET"])
def conference_summary(request, conference_referral_id):
    """The summary for the representatives; a coordinator who is not one sees the referral and
    its history without it."""
    referral = selectors.conference_referral_get(user=request.user, referral_id=conference_referral_id)
    sections = None
    if referral.show_summary:
        sections = package_sections(referral)
        services.summary_record_view(by=request.user, referral=referral)
    return render(request, "network/conference_summary.html", {
        "referral": referral, "series": referral.series, "sections": sections,
        "category_labels": _category_labels(referral.categories),
        "history": selectors.referral_history(referral=referral), "actions": selectors.referral_actions(referral=referral)})


# ---- actions ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def conference_actions(request):
    if not selectors.may_use_conferences(user=request.user):
        access.deny()
    return render(request, "network/conference_actions.html", {"actions": selectors.my_open_actions(user=request.user)})


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ConferenceActionStatus.choices,
                               error_messages={"required": _("Choose the status.")})
    note = forms.CharField(label=_("Progress"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Required when the action could not be done. No more than the conference needs."))
    version = forms.IntegerField(widget=forms.HiddenInput)


def _action_conflict(data, saved) -> list:
    def shown(value):
        return ConferenceActionStatus(value).label if value in ConferenceActionStatus.values else value

    last = saved.update_list[-1] if saved.update_list else None
    return [conflict_row(_("Status"), data.get("status", ""), saved.status, show=shown),
            conflict_row(_("Progress"), (data.get("note") or "").strip(), last.note if last else "")]


def _action_page(request, action, form, *, status=200, conflict=None):
    return render(request, "network/conference_action_detail.html",
                  {"action": action, "form": form, "conflict": conflict}, status=status)


@require_http_methods(["GET", "POST"])
def conference_action_detail(request, conference_action_id):
    action = selectors.action_get(user=request.user, action_id=conference_action_id)
    initial = {"status": action.status, "version": action.version}
    if request.method != "POST":
        return _action_page(request, action, ActionUpdateForm(initial=initial) if action.may_update and action.is_open else None)
    if not action.may_update:
        access.deny()
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        return _action_page(request, action, form, status=400)
    data = form.cleaned_data
    try:
        services.action_update(by=request.user, action=action, status=data["status"], note=data["note"],
                               version=data["version"])
    except StaleEdit:
        fresh = selectors.action_get(user=request.user, action_id=action.pk)
        conflict = _action_conflict(data, fresh)
        post = request.POST.copy()
        post["version"] = str(fresh.version)  # her entries stay; the saved version lets her save them knowingly
        form = ActionUpdateForm(post)
        form.is_valid()
        return _action_page(request, fresh, form if fresh.is_open else None, status=409, conflict=conflict)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _action_page(request, action, form, status=400)
    messages.success(request, _("The progress was recorded."))
    return redirect("network:conference_action_detail", conference_action_id=action.pk)
