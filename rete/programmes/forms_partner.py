"""Partner safety, the programme's forms (part "partner-safety"). None of them asks anything about
the (ex-)partner: the programme never holds her details."""
from django import forms
from django.utils.translation import gettext_lazy as _

from rete.network.models import PartnerEventKind
from rete.network.services.partner_contact import NOTE_MAX
from rete.programmes.services.partner import MANUAL_EVENT_KINDS


class PartnerRequestForm(forms.Form):
    support_organisation = forms.TypedChoiceField(
        label=_("Partner-support service"), coerce=int, empty_value=None,
        error_messages={"invalid_choice": _("Choose a partner-support service from the list.")},
        help_text=_("A service whose partner-support workers do not work with him."))
    note = forms.CharField(
        label=_("What the programme can say about the contact"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("About him and the programme only, e.g. when he started and what the service should know "
                    "before offering contact. Never write her name, address, phone number, where she or the "
                    "children live, or anything she said: the programme does not keep her details."))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_organisation"].choices = [("", "—")] + [(org.pk, org.name) for org in services]


class PartnerEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"))
    note = forms.CharField(
        label=_("What the partner-support service should know"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, except for “Other”. Write about him and his programme, never about her. Her "
                    "service reads it; its e-mail says only that there is news."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + [(kind, PartnerEventKind(kind).label) for kind in MANUAL_EVENT_KINDS]

    def clean(self):
        data = super().clean()
        if data.get("kind") == PartnerEventKind.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what the partner-support service should know."))
        return data


class ThreatForm(forms.Form):
    note = forms.CharField(
        label=_("What he disclosed"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what he disclosed, as the partner-support service should know it.")},
        help_text=_("His words and what he said he would do, when and where, as far as you know. Her service hears "
                    "at once. If she is in immediate danger, also call the police."))
