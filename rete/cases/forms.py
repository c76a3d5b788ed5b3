import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rete.cases.models import ClosureReason, ContactRoute, SafeToContact


class IntakeForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    contact_route = forms.ChoiceField(label=_("How did she reach the service?"), choices=ContactRoute.choices)
    first_contact_at = forms.DateTimeField(
        label=_("First contact"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    is_anonymous = forms.BooleanField(label=_("She prefers not to give her name"), required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=120, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=120, required=False)
    alias = forms.CharField(label=_("Name she wants to be called"), max_length=120, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    birth_year = forms.IntegerField(label=_("Year of birth (if the date is not known)"), required=False, min_value=1900)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), required=False,
                                 choices=[("", _("Not recorded"))] + list(settings.LANGUAGES) + [("other", _("Another language"))])
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    safe_to_contact = forms.ChoiceField(label=_("Is it safe to contact her?"), choices=SafeToContact.choices,
                                        widget=forms.RadioSelect, initial=SafeToContact.UNKNOWN)
    safe_phone = forms.CharField(label=_("Safe phone"), max_length=40, required=False)
    safe_times = forms.CharField(label=_("Safe times to call"), max_length=200, required=False)
    code_word = forms.CharField(label=_("Code word"), max_length=60, required=False,
                                help_text=_("A word she will use to say she cannot talk freely."))
    contact_precautions = forms.CharField(label=_("Other precautions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_new = forms.BooleanField(label=_("I have checked the possible matches: this is a different person"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", str(organisations[0].pk))
        self.initial.setdefault("first_contact_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def clean_first_contact_at(self):
        value = self.cleaned_data["first_contact_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The first contact cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("is_anonymous") and not (data.get("given_name") or data.get("alias")):
            self.add_error("given_name", _("Enter her name, the name she wants to be called, or mark the contact as anonymous."))
        dob, year = data.get("date_of_birth"), data.get("birth_year")
        if dob and year and dob.year != year:
            self.add_error("birth_year", _("The year of birth does not match the date of birth."))
        if data.get("safe_to_contact") == SafeToContact.YES and not (data.get("safe_phone") or data.get("phone")):
            self.add_error("safe_phone", _("Give a phone number that is safe to call."))
        return data

    def chosen_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def person_data(self):
        data = self.cleaned_data
        fields = ("is_anonymous", "given_name", "family_name", "alias", "date_of_birth", "birth_year", "phone", "language",
                  "interpreter_needed", "safe_to_contact", "safe_phone", "safe_times", "code_word", "contact_precautions")
        values = {field: data.get(field) for field in fields}
        values["date_of_birth"] = data["date_of_birth"].isoformat() if data.get("date_of_birth") else ""
        for field in fields:
            if values[field] is None and field not in ("birth_year",):
                values[field] = ""
        return values


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        from rete.cases.models import CaseStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any"))] + list(CaseStatus.choices)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("New note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class StatusChangeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonRequiredForm(StatusChangeForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TeamForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Colleague"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(u.pk, str(u)) for u in candidates]


class ClosureRequestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.ChoiceField(label=_("Why is the case closing?"), choices=ClosureReason.choices, widget=forms.RadioSelect)
    safety_plan_reviewed = forms.BooleanField(label=_("The safety plan was reviewed with her"), required=False)
    knows_how_to_return = forms.BooleanField(label=_("She knows she can come back at any time"), required=False)
    services_ended = forms.BooleanField(label=_("Open services are ended or handed over"), required=False)
    summary = forms.CharField(label=_("Closing summary"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    supervisor = forms.ChoiceField(label=_("Supervisor who decides"), required=False)

    def __init__(self, *args, supervisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisors = {str(u.pk): u for u in supervisors}
        self.fields["supervisor"].choices = [(str(u.pk), str(u)) for u in supervisors]

    def clean_supervisor(self):
        value = self.cleaned_data.get("supervisor")
        return self.supervisors.get(value) if value else None

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("summary", "").strip():
            self.add_error("summary", _("Explain the reason in the summary."))
        return data


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve the closure")), ("return", _("Return it to the team"))])
    note = forms.CharField(label=_("Note to the team"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("note", "").strip():
            self.add_error("note", _("Say what is still needed before the case can close."))
        return data


YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# The GBVIMS classification questions, in GBVIMS order, in our own words. The first "yes"
# decides the type.
GBV_QUESTIONS = [
    ("q_rape", _("Did it include penetration of the vagina, anus or mouth, however slight, with a body part or an object, without her consent?")),
    ("q_sexual", _("Did it include other unwanted sexual contact, such as touching, kissing or forced sexual acts without penetration?")),
    ("q_physical", _("Was she hit, slapped, kicked, choked, burnt, pushed or otherwise physically hurt?")),
    ("q_marriage", _("Was she married, or is she to be married, against her will?")),
    ("q_denial", _("Was she kept from money, property, work, school, health care or other services she has a right to?")),
    ("q_psychological", _("Was she threatened, humiliated, intimidated, controlled, isolated or stalked?")),
]


class IncidentForm(forms.Form):
    incident_date = forms.DateField(label=_("Date of the incident"), widget=forms.DateInput(attrs={"type": "date"}))
    reported_on = forms.DateField(label=_("Date she told the service"), widget=forms.DateInput(attrs={"type": "date"}))
    place_type = forms.ChoiceField(label=_("Where did it happen?"))
    narrative = forms.CharField(label=_("What happened, in her words"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 6}))
    reported_to_police = forms.BooleanField(label=_("Reported to the police"), required=False)
    injuries = forms.BooleanField(label=_("She was injured"), required=False)
    medical_care = forms.BooleanField(label=_("She received medical care"), required=False)
    context_flags = forms.MultipleChoiceField(label=_("Context"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from rete.cases.models import ContextFlag, PlaceType

        super().__init__(*args, **kwargs)
        self.fields["place_type"].choices = PlaceType.choices
        self.fields["context_flags"].choices = ContextFlag.choices
        for name, question in GBV_QUESTIONS:
            self.fields[name] = forms.ChoiceField(label=question, choices=YES_NO, widget=forms.RadioSelect)
        self.initial.setdefault("reported_on", timezone.localdate().isoformat())

    def gbv_fields(self):
        return [self[name] for name, _question in GBV_QUESTIONS]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        incident, reported = data.get("incident_date"), data.get("reported_on")
        if incident and incident > today:
            self.add_error("incident_date", _("The date of the incident cannot be in the future."))
        if reported and reported > today:
            self.add_error("reported_on", _("This date cannot be in the future."))
        if incident and reported and reported < incident:
            self.add_error("reported_on", _("She cannot have told the service before the incident."))
        return data

    def proposed_type(self):
        from rete.cases.models import GBV_ORDER, GbvType

        for (name, _question), gbv_type in zip(GBV_QUESTIONS, GBV_ORDER):
            if self.cleaned_data.get(name) == "yes":
                return gbv_type
        return GbvType.NON_GBV


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("She consents"), widget=forms.RadioSelect)
    agency = forms.CharField(label=_("Agency"), required=False, max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    scope = forms.CharField(label=_("What it covers"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("For example: which information, for what purpose, for how long."))
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("How was it given?"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from rete.cases.models import ConsentKind, ConsentMethod, Sector

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ConsentKind.choices
        self.fields["sector"].choices = [("", "—")] + list(Sector.choices)
        self.fields["method"].choices = ConsentMethod.choices
        self.initial.setdefault("given_on", timezone.localdate().isoformat())

    def clean(self):
        data = super().clean()
        if data.get("given_on") and data["given_on"] > timezone.localdate():
            self.add_error("given_on", _("This date cannot be in the future."))
        if data.get("kind") == "share_agency" and not data.get("agency", "").strip():
            self.add_error("agency", _("Name the agency."))
        if data.get("kind") == "share_sector" and not data.get("sector"):
            self.add_error("sector", _("Choose the sector."))
        return data


class ConsentWithdrawForm(forms.Form):
    consent = forms.IntegerField(widget=forms.HiddenInput)
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date cannot be in the future."))
        return value


# ---- supervision and break-glass ---------------------------------------------------------------


class BreakGlassForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to open this case now?"), min_length=10, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For example: she is at the door and her caseworker cannot be reached."))


class SupervisorForm(forms.Form):
    supervisor = forms.ChoiceField(label=_("Supervisor of the case"))

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisors = {str(u.pk): u for u in supervisors}
        self.fields["supervisor"].choices = [("", _("No one named"))] + [(str(u.pk), str(u)) for u in supervisors]
        self.fields["supervisor"].required = False

    def chosen(self):
        return self.supervisors.get(self.cleaned_data.get("supervisor") or "")
