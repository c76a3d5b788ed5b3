"""Forms of the public portal. Sensitive inputs carry autocomplete="off": nothing she types
should be remembered by a browser someone else may check."""
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rete.cases.models import HeardAbout
from rete.core.models import Country

OFF = {"autocomplete": "off"}
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ContactRequestForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Which service should contact you?"))
    name_or_alias = forms.CharField(label=_("A name we can use (it does not need to be your real name)"), max_length=120,
                                    required=False, widget=forms.TextInput(attrs=OFF))
    phone = forms.CharField(label=_("A phone number that is safe to call"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={**OFF, "type": "tel", "inputmode": "tel"}))
    other_contact = forms.CharField(label=_("Another safe way to reach you (for example an e-mail address)"), max_length=200,
                                    required=False, widget=forms.TextInput(attrs=OFF))
    safe_to_contact = forms.ChoiceField(label=_("Is it safe for the service to contact you?"), choices=YES_NO,
                                        widget=forms.RadioSelect)
    safe_times = forms.CharField(label=_("When is it safe to contact you?"), max_length=200, required=False,
                                 help_text=_("For example: weekdays between 9 and 12."), widget=forms.TextInput(attrs=OFF))
    code_word = forms.CharField(label=_("A code word (optional)"), max_length=60, required=False,
                                help_text=_("If you say this word, the person calling will know you cannot talk freely."),
                                widget=forms.TextInput(attrs=OFF))
    leave_message = forms.ChoiceField(label=_("If you do not answer, may we leave a message or say who is calling?"),
                                      choices=YES_NO, widget=forms.RadioSelect, initial="no")
    message = forms.CharField(label=_("Anything you want to tell us (optional)"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={**OFF, "rows": 4}))
    language = forms.ChoiceField(label=_("In which language should we speak to you?"), choices=settings.LANGUAGES)
    heard_about = forms.ChoiceField(label=_("How did you hear about this service? (optional)"), required=False,
                                    choices=[("", _("I prefer not to say"))] + list(HeardAbout.choices))
    # Honeypot: hidden from people (and from assistive technology); a program filling every
    # input fills it too, and gets the same thank-you page without anything being kept.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={**OFF, "tabindex": "-1"}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        countries = dict(Country.choices)
        groups = {}
        for organisation in organisations:
            groups.setdefault(str(countries.get(organisation.country, organisation.country)), []).append(
                (str(organisation.pk), organisation.name))
        self.fields["organisation"].choices = [("", _("Choose a service"))] + list(groups.items())
        self.initial.setdefault("language", (get_language() or settings.LANGUAGE_CODE).split("-")[0])

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("other_contact")):
            if data.get("safe_to_contact") == "no":
                message = _("If it is not safe for anyone to contact you, you can call a helpline yourself (see the numbers "
                            "below). To send this request, give at least one way to reach you safely.")
            else:
                message = _("Give at least one way to reach you: a phone number or another safe contact.")
            self.add_error("phone", message)
        return data

    def is_spam(self):
        return bool(self.data.get("website"))

    def chosen_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def request_data(self):
        data = self.cleaned_data
        return {
            "name_or_alias": data["name_or_alias"], "phone": data["phone"], "other_contact": data["other_contact"],
            "safe_to_contact": data["safe_to_contact"] == "yes", "safe_times": data["safe_times"], "code_word": data["code_word"],
            "leave_message": data["leave_message"] == "yes", "message": data["message"], "language": data["language"],
            "heard_about": data["heard_about"],
        }


# The service directory's search (part 1).
from rete.portal.models import Need  # noqa: E402


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Town, city or postal code"), required=False, max_length=100)
    need = forms.ChoiceField(label=_("What do you need?"), required=False,
                             choices=[("", _("Any kind of help"))] + list(Need.choices))
    country = forms.ChoiceField(label=_("Country"), required=False,
                                choices=[("", _("All countries"))] + list(Country.choices))
    open_24_7 = forms.BooleanField(label=_("Only services open day and night"), required=False)
