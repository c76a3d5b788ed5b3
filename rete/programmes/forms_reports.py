"""Forms of court and probation reports (part "court-reports")."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rete.programmes.services.court_reports import ASSESSMENT_MAX, REASON_MAX, SEND_METHODS


class VersionForm(forms.Form):
    """An action on a report as she saw it (draft, sign off)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssessmentForm(forms.Form):
    assessment = forms.CharField(
        label=_("The programme's assessment"), required=False, max_length=ASSESSMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the programme concludes about his attendance and participation, for the court. "
                    "Write only what the court should read: nothing about his partner."))
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendForm(forms.Form):
    recipients = forms.MultipleChoiceField(label=_("Sent to"), widget=forms.CheckboxSelectMultiple)
    method = forms.ChoiceField(label=_("Sent by"), choices=SEND_METHODS, widget=forms.RadioSelect)
    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [(str(row.pk), f"{row.name} ({row.get_kind_display()})") for row in recipients]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is this report not needed?"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
