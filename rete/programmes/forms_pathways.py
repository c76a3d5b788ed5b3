"""Forms of the pathway editor (part "pathways"): every number of the attendance rules comes
with what it means in plain words."""
from django import forms
from django.utils.translation import gettext_lazy as _

from rete.programmes import pathways
from rete.programmes.models import StageKind


class VersionTokenForm(forms.Form):
    """The version of the draft as she opened it (a stale save is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PathwayAddForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    name = forms.CharField(label=_("Name of the pathway"), max_length=pathways.NAME_MAX,
                           help_text=_("For example: “Court-ordered programme, 12 months”."))
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Who the pathway is for, and anything the staff should know about it."))
    from_defaults = forms.BooleanField(
        label=_("Start from Rete's default stages, attendance rules and notifications"), required=False, initial=True,
        help_text=_("Assessment, motivational work, a group programme and follow-up, with common attendance rules. "
                    "You can change all of it before publishing. Leave unticked to start from nothing."))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", organisations[0].pk)


class DescribeForm(VersionTokenForm):
    name = forms.CharField(label=_("Name of the pathway"), max_length=pathways.NAME_MAX,
                           help_text=_("The name is the pathway's, shared by all its versions."))
    description = forms.CharField(label=_("Description of this version"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class StageForm(VersionTokenForm):
    code = forms.RegexField(
        label=_("Code"), regex=pathways.CODE, max_length=40,
        error_messages={"invalid": _("Lower-case letters, digits and underscores, starting with a letter.")},
        help_text=_("A short name the records use, e.g. “group” or “follow_up”: lower-case letters, digits and "
                    "underscores. It must differ from the other stages' codes."))
    kind = forms.ChoiceField(label=_("Kind of stage"), choices=[("", "—"), *StageKind.choices],
                             help_text=_("A man accepted on the pathway starts at the first stage after the "
                                         "assessment; the group programme or individual sessions are where he is "
                                         "when he is active."))
    name = forms.CharField(label=_("Name"), max_length=pathways.NAME_MAX)
    min_sessions = forms.IntegerField(label=_("Minimum sessions"), min_value=0, max_value=1000, initial=0,
                                      help_text=_("The sessions he must attend to complete the stage. 0: no minimum."))
    min_hours = forms.IntegerField(label=_("Minimum hours"), min_value=0, max_value=1000, initial=0,
                                   help_text=_("The hours of sessions he must attend to complete the stage. "
                                               "0: no minimum."))

    FIELDS = ("code", "kind", "name", "min_sessions", "min_hours")


def _number(label, help_text, *, max_value=100):
    return forms.IntegerField(label=label, help_text=help_text, min_value=0, max_value=max_value,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class RulesForm(VersionTokenForm):
    """The attendance rules, grouped as the page shows them (GROUPS)."""

    warning_after_absences = _number(
        _("A warning after this many absences"),
        _("Counted from the start of the programme. An absence counts unless it was excused for an accepted reason "
          "within the allowance below, or made up in time. 0: no warning."))
    non_compliance_after_absences = _number(
        _("Non-compliance after this many absences"),
        _("Counted the same way, in total. It must not be lower than the number for the warning. "
          "0: never non-compliance for the number of absences alone."))
    max_consecutive_absences = _number(
        _("Non-compliance after this many absences in a row"),
        _("Absences that count, with no session attended between them. 0: no such rule."))
    lates_per_absence = _number(
        _("Late arrivals that count as one absence"),
        _("Every time he is late this many times, it counts as one absence. 0: late arrivals never count as "
          "absences."))
    excusable = forms.MultipleChoiceField(
        label=_("Reasons that excuse an absence"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(pathways.EXCUSES.items()),
        help_text=_("An absence for one of these reasons does not count, within the allowance below. An absence for "
                    "any other reason counts."))
    max_excused_absences = _number(
        _("Excused absences allowed"),
        _("Beyond this many, an excused absence counts like any other. 0: no limit."))
    make_up_within_days = _number(
        _("Days within which an absence can be made up"),
        _("An absence made up by another session within this many days counts as a session attended. "
          "0: absences cannot be made up."), max_value=100)
    oppositional_warning_after = _number(
        _("A warning after this many sessions with an oppositional attitude"),
        _("Being there while refusing to take part is not compliance. 0: no warning."))
    oppositional_non_compliance_after = _number(
        _("Non-compliance after this many sessions with an oppositional attitude"),
        _("It must not be lower than the number for the warning. 0: no such rule."))
    sessions_per_week = _number(
        _("Sessions he must attend each week"),
        _("In every complete week: at least this many sessions, or every session offered if fewer were offered; "
          "a week that falls short is a warning. A court order may ask for more: the higher number applies. "
          "0: no weekly rule of the pathway's own."), max_value=14)

    GROUPS = (
        ("absences", _("Absences"), ("warning_after_absences", "non_compliance_after_absences",
                                     "max_consecutive_absences")),
        ("excused", _("Excused absences and making up"), ("excusable", "max_excused_absences", "make_up_within_days")),
        ("late", _("Late arrivals"), ("lates_per_absence",)),
        ("attitude", _("Attitude in sessions"), ("oppositional_warning_after", "oppositional_non_compliance_after")),
        ("weekly", _("Weekly attendance"), ("sessions_per_week",)),
    )
    RULES = tuple(pathways.DEFAULT_RULES)

    def rules(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.RULES}

    @classmethod
    def initial_for(cls, version) -> dict:
        rules = {**pathways.DEFAULT_RULES, **(version.rules or {})}
        return {"version": version.version, **{name: rules.get(name) for name in cls.RULES}}


def cell_name(event, target) -> str:
    return f"{event}__{target}"


def _cell(event, target) -> tuple[bool, bool]:
    """(always told, never told): her service always hears of what matters for her safety; the
    court hears only of the events after which a report falls due."""
    return (target == "partner" and event in pathways.PARTNER_ALWAYS,
            target == "court" and event not in pathways.COURT_REPORT_FOR)


class NotificationsForm(VersionTokenForm):
    """A checkbox for each event and whom it reaches; the partner-support service's box is
    ticked and cannot be unticked for the events that matter for her safety."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event, event_label in pathways.NOTIFICATION_EVENTS.items():
            for target, target_label in pathways.TARGETS.items():
                always, never = _cell(event, target)
                described = "partner-always" if always else "court-reports" if never else None
                self.fields[cell_name(event, target)] = forms.BooleanField(
                    label=_("%(event)s: %(target)s") % {"event": event_label, "target": target_label},
                    required=False, disabled=always or never, initial=True if always else False if never else None,
                    widget=forms.CheckboxInput(attrs={"aria-describedby": described} if described else None))

    def notifications(self) -> dict:
        return {event: [target for target in pathways.TARGETS if self.cleaned_data.get(cell_name(event, target))]
                for event in pathways.NOTIFICATION_EVENTS}

    def rows(self):
        """For the matrix: each event with its cells."""
        return [{"event": event, "label": label,
                 "cells": [{"field": self[cell_name(event, target)], "target": target,
                            "always": _cell(event, target)[0], "never": _cell(event, target)[1]}
                           for target in pathways.TARGETS]}
                for event, label in pathways.NOTIFICATION_EVENTS.items()]

    @classmethod
    def initial_for(cls, version) -> dict:
        initial = {"version": version.version}
        for event in pathways.NOTIFICATION_EVENTS:
            told = pathways.notified(version.notifications, event)
            for target in pathways.TARGETS:
                initial[cell_name(event, target)] = target in told
        return initial
