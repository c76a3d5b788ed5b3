"""Forms of the EIGE review (part "practice-review"): the basic check, a reviewer's scores, the
conclusion and the later steps, the grid editor, and the public portal's search of practices."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rete.core.models import Country
from rete.learning.models import CriterionKind, PracticeStatus, Pillar, TargetGroup, ViolenceForm
from rete.learning.services import review as services

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CheckForm(forms.Form):
    """One yes/no question per basic criterion of the active grid (fields `basic_<key>`)."""

    note = forms.CharField(label=_("Note to the owner"), required=False, max_length=services.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Needed when a criterion is not met: the practice goes back to its owner "
                                       "with this note."))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if c["kind"] == CriterionKind.BASIC]
        for criterion in self.criteria:
            self.fields[f"basic_{criterion['key']}"] = forms.ChoiceField(
                label=criterion["label"]["text"], choices=YES_NO, widget=forms.RadioSelect,
                help_text=criterion["guidance"]["text"])
        self.order_fields([*(f"basic_{c['key']}" for c in self.criteria), "note"])

    def answers(self) -> dict:
        return {c["key"]: self.cleaned_data[f"basic_{c['key']}"] == "yes" for c in self.criteria}

    def criterion_fields(self):
        return [self[f"basic_{c['key']}"] for c in self.criteria]


class ReviewForm(forms.Form):
    """A score from 0 to the criterion's highest for each scored criterion (`score_<key>`)."""

    comment = forms.CharField(label=_("Comment for the network coordinators"), required=False,
                              max_length=services.COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What the scores rest on, strengths, doubts. The owner does not see it."))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if c["kind"] == CriterionKind.SCORED]
        for criterion in self.criteria:
            highest = criterion["max_score"]
            self.fields[f"score_{criterion['key']}"] = forms.TypedChoiceField(
                label=criterion["label"]["text"], coerce=int, widget=forms.RadioSelect,
                choices=[(n, str(n)) for n in range(highest + 1)],
                help_text=criterion["guidance"]["text"])
        self.order_fields([*(f"score_{c['key']}" for c in self.criteria), "comment"])

    def scores(self) -> dict:
        return {c["key"]: self.cleaned_data[f"score_{c['key']}"] for c in self.criteria}

    def criterion_fields(self):
        return [self[f"score_{c['key']}"] for c in self.criteria]


DECISION_LABELS = {
    PracticeStatus.PROMISING: _("Promising"),
    PracticeStatus.NOT_PROMISING: _("Not promising"),
    PracticeStatus.RETURNED: _("Return it to the owner for changes"),
}


class ConcludeForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=services.NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The owner reads it. Needed unless you follow the scores' proposal."))

    def __init__(self, *args, status, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(c, DECISION_LABELS[c]) for c in services.conclusions_for(status)]


class SelectForm(forms.Form):
    reason = forms.CharField(label=_("Where or how the stakeholders selected it"), required=False,
                             max_length=services.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=services.NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


# ---- the grid editor -------------------------------------------------------------------------

class GridForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    threshold = forms.DecimalField(label=_("Threshold for promising (0–100)"), min_value=0, max_value=100,
                                   max_digits=5, decimal_places=2,
                                   help_text=_("A practice whose reviewers' mean weighted score reaches it is proposed "
                                               "as promising."))
    reviews_needed = forms.IntegerField(label=_("Reviews needed"), min_value=1,
                                        max_value=services.REVIEWS_NEEDED_LIMIT,
                                        help_text=_("How many reviewers score a practice before it can be found "
                                                    "promising."))


class CriterionForm(forms.Form):
    """One criterion of the grid: its label and guidance in English and in the editor's
    language (`language`, when it is not English)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *CriterionKind.choices])
    label_en = forms.CharField(label=_("Criterion in English"), required=False, max_length=services.LABEL_MAX)
    guidance_en = forms.CharField(label=_("Guidance for reviewers in English"), required=False,
                                  max_length=services.GUIDANCE_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(label=_("Weight"), required=False, min_value=0, max_digits=5, decimal_places=2,
                                help_text=_("Scored criteria only."))
    max_score = forms.IntegerField(label=_("Highest score"), required=False, min_value=1,
                                   max_value=services.MAX_SCORE_LIMIT, help_text=_("Scored criteria only."))

    def __init__(self, *args, language=settings.LANGUAGE_CODE, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        if language != "en":
            from rete.core.templatetags.rete import language_name

            self.fields["label_local"] = forms.CharField(
                label=_("Criterion in %(language)s") % {"language": language_name(language)}, required=False,
                max_length=services.LABEL_MAX)
            self.fields["guidance_local"] = forms.CharField(
                label=_("Guidance for reviewers in %(language)s") % {"language": language_name(language)},
                required=False, max_length=services.GUIDANCE_MAX, widget=forms.Textarea(attrs={"rows": 2}))
            self.order_fields(["id", "kind", "label_local", "label_en", "guidance_local", "guidance_en", "weight",
                               "max_score"])

    def item(self) -> dict:
        data = self.cleaned_data
        labels, guidance = {"en": data.get("label_en", "")}, {"en": data.get("guidance_en", "")}
        if self.language != "en":
            labels[self.language] = data.get("label_local", "")
            guidance[self.language] = data.get("guidance_local", "")
        return {"id": data.get("id"), "kind": data.get("kind"), "labels": labels, "guidance": guidance,
                "weight": data.get("weight") if data.get("weight") is not None else "",
                "max_score": data.get("max_score") if data.get("max_score") is not None else "",
                "delete": bool(data.get("DELETE"))}


class BaseCriterionFormSet(forms.BaseFormSet):
    def __init__(self, *args, language=settings.LANGUAGE_CODE, **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "language": self.language}


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=2, can_delete=True,
                                         max_num=40, validate_max=True)


# ---- the public portal -----------------------------------------------------------------------

class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Words to look for"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    pillar = forms.ChoiceField(label=_("Area of work"), required=False)
    target_group = forms.ChoiceField(label=_("For whom"), required=False)
    violence_form = forms.ChoiceField(label=_("Form of violence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *Country.choices]
        self.fields["pillar"].choices = [("", _("All areas")), *Pillar.choices]
        self.fields["target_group"].choices = [("", _("Everyone")), *TargetGroup.choices]
        self.fields["violence_form"].choices = [("", _("All forms")), *ViolenceForm.choices]
