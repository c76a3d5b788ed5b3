"""Forms of training evaluation (part "evaluation"): a knowledge-test item for the people who run
the event, the test itself, and the satisfaction and follow-up questionnaires for participants.
The forms keep what was typed and show errors; the services decide (rete.learning.services.
evaluation)."""
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rete.learning import evaluation
from rete.learning.services import evaluation as services


class ServiceErrorMixin:
    def add_service_error(self, error):
        """A ServiceError from the services, on its field when the form has it."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class TestItemForm(ServiceErrorMixin, forms.Form):
    question = forms.CharField(label=_("Question"), max_length=services.QUESTION_MAX,
                               widget=forms.Textarea(attrs={"rows": 3}))
    correct = forms.TypedChoiceField(label=_("Correct answer"), coerce=int, widget=forms.RadioSelect,
                                     error_messages={"required": _("Mark the correct answer.")})
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correct"].choices = [(number, gettext("Answer %(number)s is the correct one") % {"number": number})
                                          for number in range(1, services.OPTIONS_MAX + 1)]
        for number in range(1, services.OPTIONS_MAX + 1):
            self.fields[f"option_{number}"] = forms.CharField(
                label=gettext("Answer %(number)s") % {"number": number}, required=False, max_length=services.OPTION_MAX)

    __test__ = False

    @classmethod
    def initial_for(cls, item):
        initial = {"question": item.question, "correct": item.correct + 1, "fingerprint": services.fingerprint(item)}
        for number, option in enumerate(item.options or [], start=1):
            initial[f"option_{number}"] = option
        return initial

    def option_rows(self):
        """(answer field, its "correct" radio) for each of the possible answers."""
        radios = list(self["correct"])
        return [(self[f"option_{number}"], radios[number - 1]) for number in range(1, services.OPTIONS_MAX + 1)]

    def clean(self):
        data = super().clean()
        written = [(number, (data.get(f"option_{number}") or "").strip()) for number in range(1, services.OPTIONS_MAX + 1)]
        written = [(number, text) for number, text in written if text]
        if len(written) < services.OPTIONS_MIN:
            self.add_error(None, gettext("Give at least %(low)s answers.") % {"low": services.OPTIONS_MIN})
            return data
        correct = data.get("correct")
        numbers = [number for number, _text in written]
        if correct is not None and correct not in numbers:
            self.add_error("correct", gettext("Mark the correct answer among the answers you wrote."))
            return data
        if correct is not None:
            data["options"] = [text for _number, text in written]
            data["correct_index"] = numbers.index(correct)
        return data


def _answer_field(item, *, optional):
    choices = [(str(value), label) for value, label in item.choices]
    if optional:
        choices.append((evaluation.NOT_APPLICABLE, _("Not applicable")))
    return forms.ChoiceField(label=item.label, choices=choices, widget=forms.RadioSelect, required=not optional,
                             error_messages={"required": _("Please answer this question.")})


class TestAnswersForm(ServiceErrorMixin, forms.Form):
    """The knowledge test: one question per item, every one to answer."""

    __test__ = False

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for number, item in enumerate(items, start=1):
            self.fields[f"item-{item.pk}"] = forms.ChoiceField(
                label=f"{number}. {item.question}", widget=forms.RadioSelect,
                choices=[(str(index), option) for index, option in enumerate(item.options or [])],
                error_messages={"required": _("Please answer this question.")})
        self.items = items

    def answers(self) -> dict:
        return {str(item.pk): self.cleaned_data.get(f"item-{item.pk}") for item in self.items}


class QuestionnaireForm(ServiceErrorMixin, forms.Form):
    """Items of rete.learning.evaluation plus one free text (encrypted when stored)."""

    text_field = ""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[item.key] = _answer_field(item, optional=item.optional)
        self.fields[self.text_field] = forms.CharField(
            label=self.text_label, help_text=self.text_help, required=False, max_length=evaluation.COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 5}))

    def clean(self):
        data = super().clean()
        _cleaned, errors = evaluation.validate_answers(self.items, {item.key: self.data.get(item.key) for item in self.items})
        for key, message in errors.items():
            if key not in self.errors:
                self.add_error(key, message)
        return data

    def answers(self) -> dict:
        return {item.key: self.cleaned_data.get(item.key) for item in self.items}

    def text(self) -> str:
        return self.cleaned_data.get(self.text_field) or ""

    def item_fields(self):
        return [self[item.key] for item in self.items]


class SatisfactionForm(QuestionnaireForm):
    text_field = "comment"
    text_label = _("Anything else you would like to tell the organisers?")
    text_help = _("Optional. Please do not write names or details of the people you work with.")


class FollowUpForm(QuestionnaireForm):
    text_field = "examples"
    text_label = _("Examples of how you used what you learned")
    text_help = _("Optional. Please do not write names or details that could identify the people you work with.")
