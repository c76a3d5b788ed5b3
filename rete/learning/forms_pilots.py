"""Forms of pilots (part "pilots"): the pilot (what was adapted, its period), its indicators with
their measures before and after, its completion and its abandonment. The services check again
(rete.learning.services.pilots); these forms keep her entries when something is refused."""
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rete.learning.models import MeasuredAmong, Pilot, PilotConclusion, PilotIndicator

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
HIGHER_CHOICES = [(True, _("A higher value is better")), (False, _("A lower value is better"))]


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _to_bool(value):
    return value in (True, "True", "true", "1", 1)


class VersionForm(forms.Form):
    """The version of the pilot as she opened it (a stale save is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PilotForm(forms.Form):
    adaptation = forms.CharField(
        label=_label(Pilot, "adaptation"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you changed from the practice as it is described, for your service, your clients or your "
                    "country, and why. Keep names and details of clients out of it."))
    starts_on = forms.DateField(label=_label(Pilot, "starts_on"), widget=forms.DateInput(**DATE_WIDGET))
    ends_on = forms.DateField(label=_label(Pilot, "ends_on"), widget=forms.DateInput(**DATE_WIDGET))

    FIELDS = ("adaptation", "starts_on", "ends_on")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, pilot) -> dict:
        return {"version": pilot.version, "adaptation": pilot.adaptation, "starts_on": pilot.starts_on,
                "ends_on": pilot.ends_on}


class PilotStartForm(PilotForm):
    organisation = forms.TypedChoiceField(label=_("Organisation running the pilot"), coerce=int)

    field_order = ("organisation", "adaptation", "starts_on", "ends_on")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = False
            self.initial.setdefault("organisation", organisations[0].pk)

    def clean_organisation(self):
        """Her only organisation whatever was posted; else the one she chose."""
        if len(self.organisations) == 1:
            return next(iter(self.organisations))
        return self.cleaned_data["organisation"]


class PilotEditForm(VersionForm, PilotForm):
    field_order = ("version", "adaptation", "starts_on", "ends_on")


class IndicatorForm(forms.Form):
    """An indicator: an aggregated measure (a mean, a rate, a count) before and after, with the
    number of answers each time."""

    name = forms.CharField(label=_label(PilotIndicator, "name"), max_length=200,
                           help_text=_("For example: “Clients who feel safer (mean score, 1–5)”."))
    measured_among = forms.ChoiceField(label=_label(PilotIndicator, "measured_among"),
                                       choices=[("", "—"), *MeasuredAmong.choices])
    unit = forms.CharField(label=_label(PilotIndicator, "unit"), max_length=40, required=False,
                           help_text=_("For example: “score 1–5”, “%”, “referrals a month”."))
    higher_is_better = forms.TypedChoiceField(label=_("Which way is better"), choices=HIGHER_CHOICES, coerce=_to_bool,
                                              initial=True, widget=forms.RadioSelect)
    pre_value = forms.DecimalField(label=_label(PilotIndicator, "pre_value"), required=False, max_digits=10,
                                   decimal_places=2, help_text=_("The mean, rate or count before the pilot."))
    pre_n = forms.IntegerField(label=_label(PilotIndicator, "pre_n"), required=False, min_value=1, max_value=1000000)
    post_value = forms.DecimalField(label=_label(PilotIndicator, "post_value"), required=False, max_digits=10,
                                    decimal_places=2, help_text=_("The same measure at the end of the pilot."))
    post_n = forms.IntegerField(label=_label(PilotIndicator, "post_n"), required=False, min_value=1, max_value=1000000)

    FIELDS = ("name", "measured_among", "unit", "higher_is_better", "pre_value", "pre_n", "post_value", "post_n")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, indicator, version) -> dict:
        return {"version": version, **{name: getattr(indicator, name) for name in cls.FIELDS}}


class IndicatorVersionedForm(VersionForm, IndicatorForm):
    field_order = ("version", *IndicatorForm.FIELDS)


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3, max_num=20, absolute_max=20, validate_max=True)


class CompleteForm(VersionForm):
    result_summary = forms.CharField(
        label=_label(Pilot, "result_summary"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the measures show, what went well and what did not, and what another organisation should "
                    "know before trying it. No names or details of clients."))
    conclusion = forms.ChoiceField(label=_label(Pilot, "conclusion"), choices=PilotConclusion.choices,
                                   widget=forms.RadioSelect)


class AbandonForm(VersionForm):
    reason = forms.CharField(label=_("Why the pilot was abandoned"), max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 3}))
