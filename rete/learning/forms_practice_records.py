"""Forms of the staff pages of practices (part "practice-records"): the list's filters, a new
practice, the source text's edit, a translation, a file."""
from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rete.core.models import Country
from rete.learning.models import (PRACTICE_TEXT_FIELDS, Pillar, Practice, PracticeAttachment, PracticeStatus, TargetGroup,
                                  ViolenceForm)
from rete.learning.services import practices as practice_services
from rete.network import texts

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
ANY = [("", _("Any"))]
HELP = {
    "title": _("A short name that says what the practice does."),
    "summary": _("Two or three sentences: what it is, for whom, what it achieves. Needed to submit the practice."),
    "description": _("The practice in full: its aims, who runs it and in what setting. Needed to submit the practice."),
    "how_it_works": _("The steps, in order, as someone adopting it would follow them."),
    "evidence": _("How you know it works: evaluations, figures, feedback, with their dates."),
    "resources": _("Staff, skills, time, money and materials it needs."),
    "sustainability": _("How it is funded and kept going over time."),
    "transferability": _("What another organisation or country would need to adopt it, and what it should adapt."),
}


def label(field) -> str:
    return capfirst(Practice._meta.get_field(field).verbose_name)


def _text_field(name, *, required=False, language=None):
    attrs = {"lang": language} if language else {}
    if name == "title":
        return forms.CharField(label=label(name), max_length=practice_services.TITLE_MAX, required=required,
                               widget=forms.TextInput(attrs=attrs), help_text=HELP[name])
    return forms.CharField(label=label(name), max_length=practice_services.TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 5, **attrs}), help_text=HELP[name])


class VersionTokenForm(forms.Form):
    """The version of the practice as she opened it (a stale save is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PracticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        help_text=_("Words from the practice's text, in any language."))
    country = forms.ChoiceField(label=_("Country"), required=False, choices=ANY + list(Country.choices))
    pillar = forms.ChoiceField(label=_("Pillar"), required=False, choices=ANY + list(Pillar.choices))
    target_group = forms.ChoiceField(label=_("Target group"), required=False, choices=ANY + list(TargetGroup.choices))
    violence_form = forms.ChoiceField(label=_("Form of violence"), required=False, choices=ANY + list(ViolenceForm.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + list(PracticeStatus.choices))
    mine = forms.BooleanField(label=_("Only my organisations' practices"), required=False)


class _PracticeDetailsForm(forms.Form):
    """The details of a practice and its text in the language it is written in."""

    country = forms.ChoiceField(label=label("country"), choices=Country.choices,
                                help_text=_("Where the practice runs."))
    pillar = forms.ChoiceField(label=label("pillar"), choices=Pillar.choices,
                               help_text=_("The area of work, as EIGE groups good practices."))
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    violence_forms = forms.MultipleChoiceField(label=_("Forms of violence"), choices=ViolenceForm.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    contact = forms.CharField(label=label("contact"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Who to ask about the practice: a name and a work telephone or e-mail. "
                                          "Kept encrypted; only members of the network who may read the practice "
                                          "see it, never the public portal."))
    started_on = forms.DateField(label=label("started_on"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    public = forms.BooleanField(label=label("public"), required=False,
                                help_text=_("Once the network publishes the practice, it also appears on the public "
                                            "portal (without its contact and files)."))

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PRACTICE_TEXT_FIELDS:
            self.fields[name] = _text_field(name, required=name == "title", language=language)

    def texts(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in PRACTICE_TEXT_FIELDS}

    def facets(self) -> dict:
        return {"target_group": self.cleaned_data.get("target_groups", []),
                "violence_form": self.cleaned_data.get("violence_forms", [])}


class PracticeAddForm(_PracticeDetailsForm):
    organisation = forms.TypedChoiceField(label=_("Shared by"), coerce=int)
    source_language = forms.ChoiceField(label=label("source_language"), choices=settings.LANGUAGES,
                                        help_text=_("The language you write the texts in. They can be translated "
                                                    "into the other languages afterwards."))

    def __init__(self, *args, organisations, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if organisations:
            self.initial.setdefault("organisation", organisations[0].pk)
            self.initial.setdefault("country", organisations[0].country)
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
        self.initial.setdefault("source_language", language)
        # The organisation and the language come first on the page.
        self.order_fields(["organisation", "source_language"])


class PracticeEditForm(VersionTokenForm, _PracticeDetailsForm):
    @staticmethod
    def initial_for(practice, facet_values) -> dict:
        initial = {name: source_text(practice, name) for name in PRACTICE_TEXT_FIELDS}
        initial.update(version=practice.version, country=practice.country, pillar=practice.pillar,
                       target_groups=facet_values(practice, "target_group"),
                       violence_forms=facet_values(practice, "violence_form"), contact=practice.contact,
                       started_on=practice.started_on, public=practice.public)
        return initial


def source_text(practice, field) -> str:
    return getattr(practice, texts.column(field, practice.source_language), "") or ""


class TranslationForm(VersionTokenForm):
    """The texts of one language other than the source: an emptied field removes its
    translation."""

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PRACTICE_TEXT_FIELDS:
            self.fields[name] = _text_field(name, language=language)
            self.fields[name].help_text = ""

    def texts(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in PRACTICE_TEXT_FIELDS}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=capfirst(PracticeAttachment._meta.get_field("title").verbose_name), required=False,
                            max_length=200, help_text=_("What the file is. Leave empty to use the file's name."))
    file = forms.FileField(label=_("File"))
