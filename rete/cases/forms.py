import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rete.cases.models import ClosureReason, ContactRoute, SafeToContact


class PersonFieldsForm(forms.Form):
    """Who she is and how to contact her safely: entered at intake, corrected on her case."""

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


class IntakeForm(PersonFieldsForm):
    organisation = forms.ChoiceField(label=_("Organisation"))
    contact_route = forms.ChoiceField(label=_("How did she reach the service?"), choices=ContactRoute.choices)
    first_contact_at = forms.DateTimeField(
        label=_("First contact"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    confirm_new = forms.BooleanField(label=_("I have checked the possible matches: this is a different person"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", str(organisations[0].pk))
        self.initial.setdefault("first_contact_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def clean_first_contact_at(self):
        value = self.cleaned_data["first_contact_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The first contact cannot be in the future."))
        return value

    def chosen_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class PersonForm(PersonFieldsForm):
    """Correcting her details on the case; `version` refuses a stale save."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, person):
        from rete.cases.services import PERSON_FIELDS

        initial = {field: getattr(person, field) for field in PERSON_FIELDS}
        initial["date_of_birth"] = person.birth_date
        initial["version"] = person.version
        return initial


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("Status"), required=False)
    # Keys of selectors.DUE_WINDOWS (support services; other parts of the case file may add
    # their own due items to the same windows).
    due = forms.ChoiceField(label=_("Due items"), required=False,
                            choices=[("", _("Any")), ("overdue", _("Overdue")), ("week", _("Due in the next 7 days"))])
    # Keys of rete.risk.selectors.RISK_FILTERS.
    risk = forms.ChoiceField(label=_("Risk band"), required=False,
                             choices=[("", _("Any")), ("top", _("The highest band of its instrument")), ("assessed", _("Any band assessed")),
                                      ("none", _("Not assessed yet")), ("overdue", _("Reassessment overdue"))])

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


# ---- access to justice ------------------------------------------------------------------------

_DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def _not_future(form, field, message=None):
    value = form.cleaned_data.get(field)
    if value and value > timezone.localdate():
        form.add_error(field, message or _("This date cannot be in the future."))


class _JusticeForm(forms.Form):
    """The hidden `version` is the record's version when the form was opened (edits only)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def values(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ComplaintForm(_JusticeForm):
    filed_on = forms.DateField(label=_("Filed on"), **_DATE)
    authority = forms.CharField(label=_("Filed with"), max_length=200, help_text=_("The police station or prosecutor's office."))
    authority_reference = forms.CharField(label=_("Their reference"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        from rete.cases.models import ComplaintStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ComplaintStatus.choices
        self.initial.setdefault("filed_on", timezone.localdate().isoformat())

    def clean(self):
        data = super().clean()
        _not_future(self, "filed_on")
        return data


class ProtectionOrderForm(_JusticeForm):
    kind = forms.ChoiceField(label=_("Kind of order"))
    court = forms.CharField(label=_("Court or authority"), max_length=200)
    court_reference = forms.CharField(label=_("Their reference"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"))
    applied_on = forms.DateField(label=_("Applied for on"), required=False, **_DATE)
    issued_on = forms.DateField(label=_("Issued on"), required=False, **_DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, **_DATE,
                                 help_text=_("The team is reminded two weeks before. After this date the order is marked expired."))
    conditions = forms.CharField(label=_("Conditions"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("For example: distance he must keep, places he may not go, contact with the children."))

    def __init__(self, *args, **kwargs):
        from rete.cases.models import OrderKind, OrderStatus

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrderKind.choices
        self.fields["status"].choices = OrderStatus.choices

    def clean(self):
        from rete.cases.models import OrderStatus

        data = super().clean()
        _not_future(self, "applied_on")
        _not_future(self, "issued_on")
        applied, issued, expires = data.get("applied_on"), data.get("issued_on"), data.get("expires_on")
        if applied and issued and issued < applied:
            self.add_error("issued_on", _("An order cannot be issued before it was applied for."))
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("An order cannot expire before it was issued."))
        if data.get("status") == OrderStatus.GRANTED and not issued and "issued_on" not in self.errors:
            self.add_error("issued_on", _("Give the date the order was issued."))
        return data


class ProceedingForm(_JusticeForm):
    kind = forms.ChoiceField(label=_("Kind of proceedings"))
    court = forms.CharField(label=_("Court"), max_length=200)
    court_reference = forms.CharField(label=_("Court reference"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"))
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        from rete.cases.models import ProceedingKind, ProceedingStatus

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ProceedingKind.choices
        self.fields["status"].choices = ProceedingStatus.choices


class HearingForm(_JusticeForm):
    at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("A hearing that already took place can be recorded too."),
    )
    place = forms.CharField(label=_("Place or courtroom"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False,
                              help_text=_("For example: her testimony, a preliminary hearing. No details of the case."))
    accompanied = forms.BooleanField(label=_("Someone from the service goes with her"), required=False)

    def clean_at(self):
        value = self.cleaned_data["at"]
        if value.year < 1950 or value.year > timezone.localdate().year + 10:
            raise forms.ValidationError(_("Check the date of the hearing."))
        return value


# ---- individual needs assessment (Directive 2012/29/EU, Art. 22–23) ----------------------------
# The factor catalogues: the codes are stored on NeedsAssessment (JSON lists), the labels are
# what the practitioner reads. A code never changes meaning; a retired factor keeps its code.

from dataclasses import dataclass as _needs_dataclass

from django.db import models as _needs_models


class NeedsPersonal(_needs_models.TextChoices):
    """Art. 22(2)(a) and 22(3): her personal characteristics."""

    CHILD = "child", _("She is a child or a young person")
    OLDER = "older", _("She is an older person")
    DISABILITY = "disability", _("Disability or long-term illness")
    PREGNANCY = "pregnancy", _("Pregnant or has a new baby")
    LANGUAGE = "language", _("Language barrier: she needs interpretation or translation")
    RESIDENCE = "residence", _("Her residence status depends on the perpetrator or is insecure")
    ECONOMIC = "economic", _("Economically dependent on the perpetrator")
    ISOLATED = "isolated", _("Socially isolated: no family or friends she can turn to")
    MENTAL_HEALTH = "mental_health", _("Mental-health needs")
    SUBSTANCE = "substance", _("Alcohol or drug use")
    LGBTIQ = "lgbtiq", _("LGBTIQ+")
    DISCRIMINATION = "discrimination", _("Belongs to a group at risk of discrimination (for example Roma, migrants, a religious minority)")


class NeedsCrime(_needs_models.TextChoices):
    """Art. 22(2)(b) and 22(3): the type or nature of the crime."""

    IPV = "ipv", _("Intimate-partner violence")
    SEXUAL = "sexual", _("Sexual violence")
    STALKING = "stalking", _("Stalking")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    HARMFUL_PRACTICE = "harmful_practice", _("Harmful practice (female genital mutilation, forced marriage)")
    HATE = "hate", _("Bias or hate crime")
    ONLINE = "online", _("Online violence (image-based abuse, threats or harassment online)")
    REPEATED = "repeated", _("Repeated violence over time")


class NeedsCircumstance(_needs_models.TextChoices):
    """Art. 22(2)(c) and 22(3): the circumstances of the crime."""

    COHABITS = "cohabits", _("She lives with the perpetrator")
    WEAPONS = "weapons", _("The perpetrator has access to weapons")
    FAMILY_OR_CARER = "family_carer", _("The perpetrator is a family member or her carer")
    SERIOUS_HARM = "serious_harm", _("She suffered serious harm")
    CHILDREN = "children", _("Children witnessed the violence or were harmed")
    THREATS = "threats", _("Threats since she reported or asked for help")
    DEPENDENT = "dependent", _("She depends on the perpetrator (money, housing, care or residence)")


class NeedsProtection(_needs_models.TextChoices):
    """Art. 22(1): the risks the assessment is about."""

    SECONDARY = "secondary", _("Risk of secondary victimisation (harm caused by the proceedings or the services themselves)")
    INTIMIDATION = "intimidation", _("Risk of intimidation")
    RETALIATION = "retaliation", _("Risk of retaliation")
    REPEAT = "repeat", _("Risk of repeat victimisation")


class NeedsMeasure(_needs_models.TextChoices):
    """Art. 23(2) during the investigation and 23(3) in court."""

    PREMISES = "premises", _("Interviews in premises designed or adapted for the purpose (Art. 23(2)(a))")
    TRAINED = "trained", _("Interviews by or through professionals trained for the purpose (Art. 23(2)(b))")
    SAME_PERSON = "same_person", _("All interviews by the same person (Art. 23(2)(c))")
    SAME_SEX = "same_sex", _("Interviews by a person of the same sex, if she wishes (Art. 23(2)(d))")
    NO_VISUAL_CONTACT = "no_visual_contact", _("No visual contact with the perpetrator, also when giving evidence, by communication technology if needed (Art. 23(3)(a))")
    REMOTE_HEARING = "remote_hearing", _("Heard without being present in the courtroom, by communication technology (Art. 23(3)(b))")
    NO_PRIVATE_QUESTIONS = "no_private_questions", _("No unnecessary questions about her private life unrelated to the offence (Art. 23(3)(c))")
    NO_PUBLIC = "no_public", _("Hearing without the public present (Art. 23(3)(d))")


@_needs_dataclass(frozen=True)
class NeedsArea:
    field: str  # NeedsAssessment field with the ticked codes
    notes: str  # NeedsAssessment field with the free-text note (encrypted)
    title: str
    reference: str
    hint: str
    choices: type


NEEDS_AREAS = (
    NeedsArea("personal_characteristics", "personal_notes", _("Personal characteristics"), _("Art. 22(2)(a) and (3)"),
              _("What about her makes her more exposed or needs adjusting: age, health, language, dependence, isolation."),
              NeedsPersonal),
    NeedsArea("crime_type", "crime_notes", _("Type and nature of the crime"), _("Art. 22(2)(b) and (3)"),
              _("What she has been through, as far as she has told it."), NeedsCrime),
    NeedsArea("circumstances", "circumstances_notes", _("Circumstances of the crime"), _("Art. 22(2)(c) and (3)"),
              _("Her situation now: where she lives, who is around her, what has happened since."), NeedsCircumstance),
    NeedsArea("protection_needs", "protection_notes", _("Protection needs"), _("Art. 22(1)"),
              _("The risks she faces from the perpetrator and from the proceedings themselves."), NeedsProtection),
    NeedsArea("special_measures", "measures_notes", _("Special measures she would benefit from"), _("Art. 23(2) and (3)"),
              _("What the police, prosecutor and court should arrange so that she can take part safely."), NeedsMeasure),
)


def needs_codes_valid(area: NeedsArea, codes) -> bool:
    return all(code in area.choices.values for code in codes)


def needs_labels(area: NeedsArea, codes) -> list:
    """The labels of ticked codes, in catalogue order; an unknown (retired) code shows as is."""
    labels = dict(area.choices.choices)
    known = [str(labels[code]) for code in area.choices.values if code in codes]
    return known + [code for code in codes if code not in labels]


def needs_areas_of(assessment) -> list:
    """One row per area: what was ticked and the note, for the detail page and the case page."""
    return [{"area": area, "labels": needs_labels(area, getattr(assessment, area.field) or []),
             "notes": getattr(assessment, area.notes)} for area in NEEDS_AREAS]


def needs_changes(previous, current) -> list:
    """Per area, the factors added and removed since the previous assessment, and whether the
    note was rewritten. An empty list when nothing changed."""
    rows = []
    for area in NEEDS_AREAS:
        before, after = set(getattr(previous, area.field) or []), set(getattr(current, area.field) or [])
        added, removed = needs_labels(area, [c for c in getattr(current, area.field) or [] if c not in before]), \
            needs_labels(area, [c for c in getattr(previous, area.field) or [] if c not in after])
        notes_changed = getattr(previous, area.notes) != getattr(current, area.notes)
        if added or removed or notes_changed:
            rows.append({"area": area, "added": added, "removed": removed, "notes_changed": notes_changed})
    return rows


class NeedsAssessmentForm(forms.Form):
    """An individual assessment, done with her. A redo starts from the previous answers so only
    what changed needs touching; `based_on` is the number of the assessment it started from."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    trigger = forms.ChoiceField(label=_("Why is she being assessed now?"), widget=forms.RadioSelect)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))
    specific_protection_needs = forms.BooleanField(
        label=_("She has specific protection needs"), required=False,
        help_text=_("Art. 22(1): she is particularly vulnerable to secondary or repeat victimisation, intimidation or retaliation and would benefit from special measures. A child is presumed to have them (Art. 22(4))."))
    summary = forms.CharField(label=_("Summary and what was agreed with her"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Her own view of her needs (Art. 22(6)) and who will be told about the measures."))

    def __init__(self, *args, previous=None, first_contact=None, **kwargs):
        from rete.cases.models import AssessmentTrigger

        super().__init__(*args, **kwargs)
        self.previous = previous
        self.first_contact = first_contact
        self.fields["trigger"].choices = [
            (value, label) for value, label in AssessmentTrigger.choices if (value == AssessmentTrigger.FIRST) == (previous is None)
        ]
        if previous is None:
            self.initial.setdefault("trigger", AssessmentTrigger.FIRST)
        self.initial.setdefault("assessed_on", timezone.localdate().isoformat())
        self.initial.setdefault("based_on", previous.number if previous is not None else 0)
        for area in NEEDS_AREAS:
            self.fields[area.field] = forms.MultipleChoiceField(
                label=_("What applies to her"), required=False, choices=area.choices.choices, widget=forms.CheckboxSelectMultiple)
            self.fields[area.notes] = forms.CharField(label=_("Notes"), required=False, max_length=20000,
                                                      widget=forms.Textarea(attrs={"rows": 3}))

    def areas(self):
        """(area, checkbox field, notes field) for the template: one fieldset each."""
        return [(area, self[area.field], self[area.notes]) for area in NEEDS_AREAS]

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The assessment cannot be dated in the future."))
        if self.first_contact is not None and value < timezone.localdate(self.first_contact):
            raise forms.ValidationError(_("The assessment cannot be dated before her first contact with the service."))
        if self.previous is not None and value < self.previous.assessed_on:
            raise forms.ValidationError(
                _("A new assessment cannot be dated before the previous one (%(date)s).") % {"date": self.previous.assessed_on.isoformat()})
        return value

    def clean(self):
        data = super().clean()
        if NeedsPersonal.CHILD in data.get("personal_characteristics", []) and not data.get("specific_protection_needs"):
            self.add_error("specific_protection_needs", _("A child victim is presumed to have specific protection needs (Art. 22(4)). Tick it, or untick “child or young person”."))
        if data.get("special_measures") and not data.get("specific_protection_needs"):
            self.add_error("specific_protection_needs", _("Special measures are for a victim with specific protection needs. Tick it, or untick the measures."))
        return data

    def values(self) -> dict:
        """The cleaned answers as the service takes them."""
        data = self.cleaned_data
        values = {"trigger": data["trigger"], "assessed_on": data["assessed_on"],
                  "specific_protection_needs": bool(data.get("specific_protection_needs")), "summary": data.get("summary", "")}
        for area in NEEDS_AREAS:
            values[area.field] = list(data.get(area.field, []))
            values[area.notes] = data.get(area.notes, "")
        return values


def needs_initial_from(previous) -> dict:
    """A redo starts from her previous answers (not the reason or the date: those are new)."""
    if previous is None:
        return {}
    initial = {"based_on": previous.number, "specific_protection_needs": previous.specific_protection_needs, "summary": previous.summary}
    for area in NEEDS_AREAS:
        initial[area.field] = list(getattr(previous, area.field) or [])
        initial[area.notes] = getattr(previous, area.notes)
    return initial


# ---- information given (Art. 4) and the safety plan -------------------------------------------


def _language_choices():
    return list(settings.LANGUAGES)


class InformationGivenForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Information given now"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Tick at least one item of information you gave her.")})
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("In which language"))
    in_writing = forms.BooleanField(label=_("Also given in writing (for example the leaflet)"), required=False)

    def __init__(self, *args, **kwargs):
        from rete.cases.models import InformationItem

        super().__init__(*args, **kwargs)
        self.fields["items"].choices = InformationItem.choices
        self.fields["language"].choices = _language_choices()
        self.initial.setdefault("given_on", timezone.localdate().isoformat())

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date cannot be in the future."))
        return value


# Prompts practitioners go through with her, section by section: guidance, never prefilled.
SAFETY_PLAN_PROMPTS = {
    "safe_contacts": [
        _("Who can she call at any hour, and do they know what to do?"),
        _("A code word agreed with a neighbour, friend or relative that means: call the police."),
        _("Emergency number 112 and the national helpline, saved under a neutral name or learnt by heart."),
        _("The service's number, and safe times for us to call her."),
    ],
    "leaving_plan": [
        _("The safest exits from the home; rooms to avoid in an argument (kitchen, bathroom, rooms without a way out)."),
        _("Where she would go: a friend, relative, the shelter; how she gets there (transport, taxi money, car keys)."),
        _("Warning signs that mean it is time to leave, and who looks after pets."),
        _("If there is an emergency: leave first, call 112 once safe."),
    ],
    "documents_bag": [
        _("Identity cards and passports, including the children's; residence permit; birth and marriage certificates."),
        _("Bank cards, some cash, cheque book; medicines and prescriptions; spare keys; phone and charger."),
        _("Evidence of the abuse: photos, medical certificates, messages, police reports, the protection order."),
        _("Where the bag or copies are kept safely (a friend's home, the service)."),
    ],
    "children": [
        _("What the children should do in an emergency: where to go, how to call 112, a safe neighbour."),
        _("Who may pick them up from school or nursery, and who may not."),
        _("Whether the school or nursery has been told, and has a copy of any order."),
    ],
    "technology": [
        _("Check the phone for tracking or spy apps, shared accounts and location sharing; turn location sharing off."),
        _("Change passwords and security questions; a new e-mail address he does not know."),
        _("What not to post or share online (where she is, photos, check-ins); privacy settings."),
        _("Browsing history and call logs: delete, or use a safe device."),
    ],
    "work": [
        _("A trusted person at work or school who knows the situation and what to do."),
        _("Calls screened at reception; a photo of the perpetrator with security, if she wishes."),
        _("A safe route and times to and from work; someone to walk with; parking near the entrance."),
    ],
    "after_separation": [
        _("Change the locks; window locks, a door viewer, outside lighting, a smoke detector."),
        _("Change daily routines: routes, shops, times."),
        _("Keep the protection order with her and a copy at work; know how to report a breach."),
        _("Who to tell: neighbours, school, workplace, her doctor."),
    ],
}


class SafetyPlanForm(forms.Form):
    """Her safety plan, section by section. `stored_next_review` is the plan's current next
    review: keeping it when it has passed is allowed (the review is then overdue)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    language = forms.ChoiceField(label=_("Language of the plan"))
    safe_contacts = forms.CharField(label=_("Safe contacts and emergency numbers"), required=False, max_length=20000)
    leaving_plan = forms.CharField(label=_("Leaving in an emergency"), required=False, max_length=20000)
    documents_bag = forms.CharField(label=_("Documents and emergency bag"), required=False, max_length=20000)
    children = forms.CharField(label=_("Children"), required=False, max_length=20000)
    technology = forms.CharField(label=_("Phone, computer and online safety"), required=False, max_length=20000)
    work = forms.CharField(label=_("At work or school"), required=False, max_length=20000)
    after_separation = forms.CharField(label=_("After separation"), required=False, max_length=20000)
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text=_("When you will go through the plan with her again."))

    def __init__(self, *args, stored_next_review=None, **kwargs):
        from rete.cases.models import SAFETY_PLAN_SECTIONS

        super().__init__(*args, **kwargs)
        self.stored_next_review = stored_next_review
        self.fields["language"].choices = _language_choices()
        for name in SAFETY_PLAN_SECTIONS:
            self.fields[name].widget = forms.Textarea(attrs={"rows": 5, "aria-describedby": f"prompts-{name}"})

    def sections(self):
        """(bound field, prompts) for each section, in the plan's order."""
        from rete.cases.models import SAFETY_PLAN_SECTIONS

        return [(self[name], SAFETY_PLAN_PROMPTS[name]) for name in SAFETY_PLAN_SECTIONS]

    def clean_next_review_on(self):
        value = self.cleaned_data.get("next_review_on")
        if value and value < timezone.localdate() and value != self.stored_next_review:
            raise forms.ValidationError(_("The next review cannot be in the past."))
        return value

    def clean(self):
        from rete.cases.models import SAFETY_PLAN_SECTIONS

        data = super().clean()
        if not self.errors and not any((data.get(name) or "").strip() for name in SAFETY_PLAN_SECTIONS):
            raise forms.ValidationError(_("Write at least one section of the plan."))
        return data


class SafetyPlanReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed with her on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("What changed"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(label=_("Next review"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reviewed_on", timezone.localdate().isoformat())
        self.fields["reviewed_on"].widget.attrs["id"] = "id_review_reviewed_on"
        self.fields["note"].widget.attrs["id"] = "id_review_note"
        self.fields["next_review_on"].widget.attrs["id"] = "id_review_next_review_on"

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        reviewed, following = data.get("reviewed_on"), data.get("next_review_on")
        if reviewed and reviewed > today:
            self.add_error("reviewed_on", _("The review date cannot be in the future."))
        if following and (following < today or (reviewed and following <= reviewed)):
            self.add_error("next_review_on", _("The next review must come after this one, and not in the past."))
        return data


# ---- support plan: needs and services --------------------------------------------------------


class ServiceForm(forms.Form):
    """One line of her support plan. The same rules as the service layer (see
    services.service_problems), shown next to the field they concern."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    need = forms.CharField(label=_("The need"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What she needs, in her words or yours."))
    kind = forms.ChoiceField(label=_("Service"))
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False,
                               help_text=_("The organisation or person who provides it (no details about her)."))
    status = forms.ChoiceField(label=_("Status"))
    due_on = forms.DateField(label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.CharField(label=_("Outcome"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when the service was delivered or cancelled."))

    def __init__(self, *args, case, **kwargs):
        from rete.cases.models import ServiceKind, ServiceStatus

        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["kind"].choices = ServiceKind.choices
        self.fields["status"].choices = ServiceStatus.choices

    def clean(self):
        from rete.cases.services import service_problems

        data = super().clean()
        if data.get("status"):
            for field, message in service_problems(case=self.case, status=data["status"], outcome=data.get("outcome", ""),
                                                   due_on=data.get("due_on")).items():
                if field not in self.errors:
                    self.add_error(field, message)
        if "need" in data and not data["need"].strip():
            self.add_error("need", _("Describe the need."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {field: data.get(field) for field in ("need", "kind", "provider", "status", "due_on", "outcome")}


# ---- related people and documents ------------------------------------------------------------


def _relationship_choices(kind):
    from rete.cases.models import RelatedKind, Relationship as R

    if kind == RelatedKind.CHILD:
        allowed = (R.CHILD, R.CHILD_IN_CARE, R.OTHER_FAMILY, R.OTHER)
    elif kind == RelatedKind.DEPENDANT:
        allowed = (R.PARENT, R.CHILD, R.CHILD_IN_CARE, R.OTHER_FAMILY, R.OTHER)
    else:
        allowed = (R.PARTNER, R.FORMER_PARTNER, R.DATING, R.PARENT, R.CHILD, R.OTHER_FAMILY, R.ACQUAINTANCE, R.STRANGER, R.OTHER)
    return [(value.value, value.label) for value in allowed]


class RelatedPersonForm(forms.Form):
    """One form for the three kinds; fields that do not apply to the kind are dropped on the
    server, so the page shows only what matters (no JavaScript)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("Leave empty if she prefers not to say."))
    relationship = forms.ChoiceField(label=_("Relationship to her"))
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    cohabiting = forms.ChoiceField(label=_("Lives with her"), widget=forms.RadioSelect)
    weapons_access = forms.ChoiceField(label=_("Has access to weapons (including firearms at work or for hunting)"), widget=forms.RadioSelect)
    known_to_police = forms.ChoiceField(label=_("Known to the police (earlier reports, convictions, orders)"), widget=forms.RadioSelect)
    needs = forms.CharField(label=_("Their own needs"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("For example: school, child care, health, psychological support, contact arrangements."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind, **kwargs):
        from rete.cases import services
        from rete.cases.models import RelatedKind, RelatedPerson, YesNoUnknown

        super().__init__(*args, **kwargs)
        self.kind = RelatedKind(kind)
        keep = set(services.related_fields_for(self.kind)) | {"version"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["relationship"].choices = _relationship_choices(self.kind)
        self.fields["sex"].choices = [("", _("Not recorded"))] + list(RelatedPerson._meta.get_field("sex").choices)
        for name in ("cohabiting", "weapons_access", "known_to_police"):
            if name in self.fields:
                self.fields[name].choices = YesNoUnknown.choices
                self.initial.setdefault(name, YesNoUnknown.UNKNOWN)
        if self.kind == RelatedKind.CHILD:
            self.initial.setdefault("relationship", "child")
            self.fields["birth_year"].help_text = _("Her age is worked out from it.")

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def values(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def display_values(self, values):
        """Field label → shown value, for the side-by-side view of a conflicting edit."""
        rows = {}
        for name, field in self.fields.items():
            if name == "version":
                continue
            value = values.get(name)
            if hasattr(field, "choices") and value not in (None, ""):
                value = dict(field.choices).get(str(value), value)
            rows[name] = (field.label, "" if value is None else str(value))
        return rows


class RelatedEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True, max_length=1000)
    description = forms.CharField(label=_("What is it?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("For example: medical certificate of 3 May, photos of the injuries, the police report."))

    def __init__(self, *args, **kwargs):
        from rete.cases import documents

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Accepted: %(types)s. At most %(size)s.") % {
            "types": documents.ALLOWED_DESCRIPTION, "size": documents.human_size(documents.max_bytes())}
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(documents.EXTENSIONS))


class AttachmentRemoveForm(forms.Form):
    attachment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is it removed?"), max_length=2000)
