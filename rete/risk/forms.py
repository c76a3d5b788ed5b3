"""Forms of the risk pages."""
from django import forms
from django.utils.translation import gettext_lazy as _


# ---- the instruments page: an organisation admin loads her organisation's instrument ----

INSTRUMENT_MAX_BYTES = 512 * 1024


class InstrumentUploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("For which organisation"), coerce=int)
    file = forms.FileField(label=_("Instrument file (YAML or JSON)"), help_text=_("At most 512 KB. Check it first with “rete instruments check”."))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["file"].widget.attrs["accept"] = ".yaml,.yml,.json,application/json,application/yaml,text/yaml"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > INSTRUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 KB."))
        name = upload.name.lower()
        if not name.endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError(_("Choose a .yaml, .yml or .json file."))
        return upload

    def chosen_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]
