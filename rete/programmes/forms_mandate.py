"""Forms of part "mandate-assessment": the court's mandate, a recipient of its reports, the
suitability decision. They check the shape of the input; the services decide what is allowed."""
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rete.programmes.models import (
    EnrolmentState,
    LegalMandate,
    MandateBasis,
    RecipientKind,
    ReportKind,
    ReportRecipient,
    Suitability,
)
from rete.programmes.services import mandate as services

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
START_STATES = (EnrolmentState.WAITING, EnrolmentState.MOTIVATIONAL, EnrolmentState.ACTIVE)


def _label(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def add_service_error(form, exc):
    """A refusal of a service, under its field when the form has it."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class MandateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    basis = forms.ChoiceField(label=_label(LegalMandate, "basis"), choices=[("", "—")] + MandateBasis.choices)
    court = forms.CharField(label=_label(LegalMandate, "court"), max_length=services.COURT_MAX)
    case_number = forms.CharField(label=_label(LegalMandate, "case_number"), max_length=services.CASE_NUMBER_MAX)
    order_on = forms.DateField(label=_label(LegalMandate, "order_on"), widget=forms.DateInput(**DATE_WIDGET))
    start_by = forms.DateField(label=_label(LegalMandate, "start_by"), required=False, widget=forms.DateInput(**DATE_WIDGET),
                               help_text=_("The date by which the order says he must start, if it sets one."))
    sessions_per_week = forms.IntegerField(
        label=_label(LegalMandate, "sessions_per_week"), min_value=services.SESSIONS_PER_WEEK[0],
        max_value=services.SESSIONS_PER_WEEK[1],
        help_text=_("The frequency the order requires: since Law 168/2023 a suspended sentence asks for at least two a week."))
    duration_weeks = forms.IntegerField(label=_label(LegalMandate, "duration_weeks"), required=False,
                                        min_value=services.DURATION_WEEKS[0], max_value=services.DURATION_WEEKS[1])
    deadline = forms.DateField(
        label=_label(LegalMandate, "deadline"), required=False, widget=forms.DateInput(**DATE_WIDGET),
        help_text=_("Leave empty when the order sets none: the term is then five years from the date of the order."))
    favourable_outcome_condition = forms.CharField(
        label=_label(LegalMandate, "favourable_outcome_condition"), required=False, max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the order says he must achieve for the programme to count as completed with a favourable outcome."))
    consent_recorded = forms.BooleanField(
        label=_label(LegalMandate, "consent_recorded"), required=False,
        help_text=_("Court rulings require the order to record his consent to the programme."))
    report_every_weeks = forms.IntegerField(label=_label(LegalMandate, "report_every_weeks"),
                                            min_value=services.REPORT_EVERY_WEEKS[0], max_value=services.REPORT_EVERY_WEEKS[1])
    notes = forms.CharField(label=_label(LegalMandate, "notes"), required=False, max_length=services.TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        order_on = data.get("order_on")
        if order_on:
            if data.get("start_by") and data["start_by"] < order_on:
                self.add_error("start_by", _("He cannot have to start before the date of the order."))
            if data.get("deadline") and data["deadline"] < order_on:
                self.add_error("deadline", _("The deadline cannot be before the date of the order."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.MANDATE_FIELDS}

    @classmethod
    def initial_for(cls, mandate) -> dict:
        if mandate is None:
            return {"sessions_per_week": 2, "report_every_weeks": 12}
        return {"version": mandate.version, **{name: getattr(mandate, name) for name in services.MANDATE_FIELDS}}


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_label(ReportRecipient, "kind"), choices=[("", "—")] + RecipientKind.choices)
    name = forms.CharField(label=_label(ReportRecipient, "name"), max_length=services.NAME_MAX)
    contact = forms.CharField(label=_label(ReportRecipient, "contact"), required=False, max_length=services.TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Where reports go: a certified e-mail address (PEC), a postal address or an office."))
    reports = forms.MultipleChoiceField(label=_label(ReportRecipient, "reports"), choices=ReportKind.choices,
                                        widget=forms.CheckboxSelectMultiple)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("kind", "name", "contact", "reports")}


class SuitabilityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=Suitability.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reasons"), max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Why: what the assessment showed. Required for every decision."))
    pathway_version = forms.TypedChoiceField(label=_("Pathway"), coerce=int, required=False, empty_value=None,
                                             help_text=_("If accepted: the pathway he follows (only pathways in use are offered)."))
    start_state = forms.ChoiceField(label=_("Where he starts"), required=False, widget=forms.RadioSelect,
                                    choices=[(state.value, state.label) for state in START_STATES],
                                    help_text=_("If accepted."))
    referred_to = forms.CharField(label=_("Referred to"), required=False, max_length=200,
                                  help_text=_("If referred elsewhere: the service he was referred to."))

    def __init__(self, *args, pathway_versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway_version"].choices = [("", "—")] + [
            (v.pk, gettext("%(pathway)s, version %(number)s") % {"pathway": v.pathway.name, "number": v.number})
            for v in pathway_versions]
        self.initial.setdefault("start_state", EnrolmentState.WAITING)
