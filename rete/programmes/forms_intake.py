"""Forms of the intake pages (part "intake"): the list's filters, the enquiry, his details, his
own request, the information contact, a change of state and the people working with him.
The rules themselves live in services.enrolments; these forms only check what a browser can get
wrong and keep her entries when the service refuses."""
import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from rete.programmes import states
from rete.programmes.models import EnrolmentState, ReferralSource, StaffRole
from rete.programmes.services.enrolments import ADULT_AGE, REASON_MAX

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
DATETIME_WIDGET = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
OTHER_LANGUAGE = "other"
# Languages often spoken by the men programmes meet, beyond the languages of Rete itself
# (codes Django knows, so their names come translated).
MORE_LANGUAGES = ("ar", "bn", "de", "es", "fa", "fr", "hi", "pa", "pl", "pt", "ro", "ru", "sq", "sr", "tr", "uk", "ur",
                  "zh-hans")
TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "max_length": REASON_MAX, "required": False}


def language_label(code) -> str:
    """A language code as the reader says it ("ar" → "Arabic" / "Arabo")."""
    from django.utils.translation import gettext

    if not code:
        return ""
    if code == OTHER_LANGUAGE:
        return gettext("Another language")
    names = dict(settings.LANGUAGES)
    if code in names:
        return gettext(str(names[code]))
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def language_choices():
    own = [(code, language_label(code)) for code, _name in settings.LANGUAGES]
    more = sorted(((code, language_label(code)) for code in MORE_LANGUAGES if code not in dict(own)), key=lambda c: c[1])
    return [("", _("Not recorded"))] + own + more + [(OTHER_LANGUAGE, _("Another language"))]


def age_on(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


ADULTS_ONLY = _("Programmes for men who use violence take adults only (18 and over).")


# ---- the list ----------------------------------------------------------------------------------


class EnrolmentFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=40)
    mine = forms.BooleanField(label=_("Only the men I work with"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All open")),
            (_("Groups of states"), [("group:before", _("Before the programme")), ("group:in", _("In the programme")),
                                     ("group:non_compliant", _("Non-compliant")),
                                     ("group:after", _("Programme ended, not closed yet"))]),
            (_("One state"), list(EnrolmentState.choices)),
            ("all", _("All, closed ones included")),
        ]


# ---- his details -------------------------------------------------------------------------------


class ParticipantFieldsForm(forms.Form):
    """Who he is and how to reach him: entered at the enquiry, corrected on his page."""

    given_name = forms.CharField(label=_("Given name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    birth_year = forms.IntegerField(label=_("Year of birth (if the date is not known)"), required=False, min_value=1900)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), required=False)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)

    PARTICIPANT_FIELDS = ("given_name", "family_name", "date_of_birth", "birth_year", "phone", "email", "address", "language",
                          "interpreter_needed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        if year and timezone.localdate().year - year < ADULT_AGE:
            raise forms.ValidationError(ADULTS_ONLY)
        return year

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if value and value > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if value and age_on(value, today) < ADULT_AGE:
            raise forms.ValidationError(ADULTS_ONLY)
        return value

    def clean(self):
        data = super().clean()
        born, year = data.get("date_of_birth"), data.get("birth_year")
        if born and year and born.year != year:
            self.add_error("birth_year", _("The year of birth does not match the date of birth."))
        return data

    def participant_data(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.PARTICIPANT_FIELDS}
        values["date_of_birth"] = data["date_of_birth"].isoformat() if data.get("date_of_birth") else ""
        for name in ("given_name", "family_name", "phone", "email", "address", "language"):
            values[name] = (values[name] or "").strip()
        values["birth_year"] = data["date_of_birth"].year if data.get("date_of_birth") else data.get("birth_year")
        values["interpreter_needed"] = bool(values["interpreter_needed"])
        return values


class ParticipantForm(ParticipantFieldsForm):
    """Correcting his details on his page; `version` refuses a stale save."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {name: getattr(person, name) for name in cls.PARTICIPANT_FIELDS}
        try:
            initial["date_of_birth"] = datetime.date.fromisoformat(person.date_of_birth) if person.date_of_birth else None
        except ValueError:
            initial["date_of_birth"] = None
        initial["version"] = person.version
        return initial


# ---- the enquiry -------------------------------------------------------------------------------


class EnquiryForm(ParticipantFieldsForm):
    organisation = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    enquiry_at = forms.DateTimeField(label=_("First contact"), widget=forms.DateTimeInput(**DATETIME_WIDGET),
                                     input_formats=DATETIME_FORMATS)
    source = forms.ChoiceField(label=_("Referred by"), choices=[("", "—")] + list(ReferralSource.choices))
    referrer_body = forms.CharField(label=_("Referring body"), max_length=200, required=False,
                                    help_text=_("For example the court and its section, the probation office, the service."))
    referrer_contact = forms.CharField(label=_("Contact at the referring body"), **TEXT,
                                       help_text=_("Who to write to there, and how."))
    enquiry_note = forms.CharField(label=_("What he asked"), **TEXT)
    own_request_on = forms.DateField(label=_("His own request, on"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    own_request_note = forms.CharField(label=_("His request in his own words"), **TEXT)
    confirm_new = forms.BooleanField(label=_("I have checked the possible matches: this is a different man"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", organisations[0].pk)
        self.initial.setdefault("enquiry_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        self.order_fields(["organisation"])

    def clean_enquiry_at(self):
        value = self.cleaned_data["enquiry_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The first contact cannot be in the future."))
        return value

    def clean_own_request_on(self):
        value = self.cleaned_data.get("own_request_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("His request cannot be dated in the future."))
        return value

    def clean(self):
        data = super().clean()
        if (data.get("own_request_note") or "").strip() and not data.get("own_request_on"):
            self.add_error("own_request_on", _("Give the date of his request."))
        return data

    def chosen_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def enquiry_data(self) -> dict:
        data = self.cleaned_data
        return {"source": data["source"], "enquiry_at": data["enquiry_at"], "referrer_body": data["referrer_body"].strip(),
                "referrer_contact": data["referrer_contact"], "enquiry_note": data["enquiry_note"],
                "own_request_on": data.get("own_request_on"), "own_request_note": data["own_request_note"]}


# ---- the enrolment page's actions -----------------------------------------------------------------


class OwnRequestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    own_request_on = forms.DateField(label=_("His own request, on"), widget=forms.DateInput(**DATE_WIDGET))
    own_request_note = forms.CharField(label=_("His request in his own words"), **TEXT)


class InformationContactForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    information_contact_on = forms.DateField(label=_("Information contact held on"), widget=forms.DateInput(**DATE_WIDGET))


class _StateField(forms.ChoiceField):
    """Offers the states he may go to from his own; accepts any state so that a change made by
    someone else meanwhile is answered as a stale edit, and a refused one with the reason."""

    def valid_value(self, value):
        return value in EnrolmentState.values


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_state = _StateField(label=_("New state"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX)

    def __init__(self, *args, from_state, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(EnrolmentState.choices)
        self.offered = states.next_states(from_state)
        self.fields["to_state"].choices = [("", "—")] + [(code, labels[code]) for code in self.offered]


class StaffAssignForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Colleague"), coerce=int)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices, initial=StaffRole.FACILITATOR)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {u.pk: u for u in candidates}
        self.fields["user"].choices = [("", "—")] + [(u.pk, u.get_full_name() or u.email) for u in candidates]

    def chosen_user(self):
        return self.candidates[self.cleaned_data["user"]]
