"""The form for answers to an outcome questionnaire (part "outcomes"), built from the
questionnaire's definition: one group of radio buttons (a fieldset with its legend) per item
asked at the timepoint, in the definition's sections, and the date the answers were given.
Used for the man's answers (rete.programmes.views.outcomes) and for the partner's (rete.network.
views.partner_outcomes)."""
from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rete.programmes import questionnaires

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
PREFIX = "item-"


class AnswersForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, definition, timepoint, language=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("answered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        language = language or get_language() or "en"
        self.sections = []
        for section in questionnaires.sections(definition, timepoint=timepoint):
            names = []
            for item in section["items"]:
                name = PREFIX + item["code"]
                self.fields[name] = forms.ChoiceField(
                    label=questionnaires.text(item["text"], language),
                    help_text=questionnaires.text(item.get("help"), language),
                    choices=[(option["code"], questionnaires.text(option["label"], language)) for option in item["options"]],
                    widget=forms.RadioSelect, error_messages={"required": _("Choose an answer.")})
                names.append(name)
            self.sections.append({"code": section["code"], "title": questionnaires.text(section["title"], language),
                                  "description": questionnaires.text(section.get("description"), language), "names": names})

    def grouped(self):
        """[(section, [bound field, …])] for the template."""
        return [(section, [self[name] for name in section["names"]]) for section in self.sections]

    def answers(self) -> dict:
        """{item code: option code} from the cleaned data."""
        return {name[len(PREFIX):]: value for name, value in self.cleaned_data.items() if name.startswith(PREFIX)}

    def add_service_error(self, error):
        """A ServiceError from the services, on its field when the form has it."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


def answers_shown(definition, answers, language=None) -> list[dict]:
    """His or her answers, for reading: [{"title", "items": [{"text", "answer"}]}] in the
    definition's order (items not answered are left out)."""
    language = language or get_language() or "en"
    out = []
    for section in questionnaires.sections(definition):
        rows = []
        for item in section["items"]:
            chosen = (answers or {}).get(item["code"])
            if not chosen:
                continue
            option = next((o for o in item["options"] if o["code"] == chosen), None)
            rows.append({"code": item["code"], "text": questionnaires.text(item["text"], language),
                         "answer": questionnaires.text(option["label"], language) if option else chosen})
        if rows:
            out.append({"title": questionnaires.text(section["title"], language), "items": rows})
    return out
