"""Forms of groups, sessions, the attendance register and compliance findings (part
"groups-sessions"). The services check everything again; the forms give labels and types."""
import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rete.programmes import pathways
from rete.programmes.models import (
    Attendance,
    AttendanceStatus,
    ComplianceEvent,
    Group,
    GroupStatus,
    Participation,
    Session,
    SessionKind,
    StageKind,
)

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
TIME_WIDGET = {"attrs": {"type": "time"}, "format": "%H:%M"}

WEEKDAYS = [
    (1, _("Monday")), (2, _("Tuesday")), (3, _("Wednesday")), (4, _("Thursday")), (5, _("Friday")), (6, _("Saturday")),
    (7, _("Sunday")),
]
WEEKDAYS_PLURAL = {
    1: _("Mondays"), 2: _("Tuesdays"), 3: _("Wednesdays"), 4: _("Thursdays"), 5: _("Fridays"), 6: _("Saturdays"),
    7: _("Sundays"),
}
GROUP_KIND_CHOICES = [(kind.value, kind.label) for kind in (StageKind.GROUP, StageKind.MOTIVATIONAL)]
INDIVIDUAL_KIND_CHOICES = [(kind.value, kind.label) for kind in
                           (SessionKind.INDIVIDUAL, SessionKind.ASSESSMENT, SessionKind.MOTIVATIONAL, SessionKind.FOLLOW_UP)]
EXCUSE_CHOICES = [("", "—")] + list(pathways.EXCUSES.items())
PARTICIPATION_CHOICES = [("", "—")] + list(Participation.choices)


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def schedule_words(group) -> str:
    """e.g. "Tuesdays and Thursdays, 18:30, 120 minutes"."""
    days = get_text_list([str(WEEKDAYS_PLURAL[day]) for day in sorted(group.weekdays or ()) if day in WEEKDAYS_PLURAL],
                         gettext("and"))
    return gettext("%(days)s, %(time)s, %(minutes)d minutes") % {
        "days": days or "—", "time": group.start_time.strftime("%H:%M") if group.start_time else "—",
        "minutes": group.duration_minutes}


def man_label(enrolment) -> str:
    """His reference, and his name unless the programme hides names in lists."""
    if enrolment.organisation.hide_names_in_lists:
        return enrolment.reference
    return f"{enrolment.reference} · {enrolment.participant.display_name()}"


def user_label(user) -> str:
    return user.get_full_name() or user.email


# ---- groups --------------------------------------------------------------------------------------


class GroupForm(forms.Form):
    name = forms.CharField(label=_label(Group, "name"), max_length=200)
    stage_kind = forms.ChoiceField(label=_label(Group, "stage_kind"), choices=GROUP_KIND_CHOICES)
    language = forms.ChoiceField(label=_label(Group, "language"), choices=settings.LANGUAGES)
    weekdays = forms.TypedMultipleChoiceField(label=_label(Group, "weekdays"), choices=WEEKDAYS, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    start_time = forms.TimeField(label=_label(Group, "start_time"), widget=forms.TimeInput(**TIME_WIDGET))
    duration_minutes = forms.IntegerField(label=_label(Group, "duration_minutes"), min_value=15, max_value=480)
    starts_on = forms.DateField(label=_label(Group, "starts_on"), widget=forms.DateInput(**DATE_WIDGET))
    ends_on = forms.DateField(label=_label(Group, "ends_on"), required=False, widget=forms.DateInput(**DATE_WIDGET),
                              help_text=_("Needed to generate the schedule."))
    capacity = forms.IntegerField(label=_label(Group, "capacity"), min_value=1, max_value=40)
    place = forms.CharField(label=_label(Group, "place"), max_length=200, required=False)
    status = forms.ChoiceField(label=_label(Group, "status"), choices=GroupStatus.choices)

    def __init__(self, *args, organisations=None, versioned=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations or ()}
        if len(self.organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Programme"), coerce=int, choices=[(o.pk, o.name) for o in organisations])
            self.order_fields(["organisation"])
        if versioned:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    def organisation(self):
        if len(self.organisations) == 1:
            return next(iter(self.organisations.values()))
        return self.organisations.get(self.cleaned_data.get("organisation"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "stage_kind", "language", "weekdays", "start_time",
                                                           "duration_minutes", "starts_on", "ends_on", "capacity", "place",
                                                           "status")}

    @staticmethod
    def initial_for(group) -> dict:
        return {"name": group.name, "stage_kind": group.stage_kind, "language": group.language, "weekdays": group.weekdays,
                "start_time": group.start_time, "duration_minutes": group.duration_minutes, "starts_on": group.starts_on,
                "ends_on": group.ends_on, "capacity": group.capacity, "place": group.place, "status": group.status,
                "version": group.version}


class FacilitatorForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Facilitator"), coerce=int,
                                  help_text=_("People who work with the men at this programme."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {u.pk: u for u in candidates}
        self.fields["user"].choices = [("", "—")] + [(u.pk, user_label(u)) for u in candidates]


class MemberForm(forms.Form):
    enrolment = forms.TypedChoiceField(label=_("Man"), coerce=int,
                                       help_text=_("Men accepted on the programme who have not finished it."))
    joined_on = forms.DateField(label=_("Joins on"), widget=forms.DateInput(**DATE_WIDGET))
    start_now = forms.BooleanField(label=_("Start his programme now"), required=False,
                                   help_text=_("Only for a man waiting to start: he becomes active."))
    reason = forms.CharField(label=_("Reason for the start"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Optional: recorded with the change of state."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [("", "—")] + [
            (e.pk, f"{man_label(e)} ({e.get_state_display()})") for e in candidates]
        self.initial.setdefault("joined_on", timezone.localdate())


class MemberRemoveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=forms.DateInput(**DATE_WIDGET))


# ---- sessions --------------------------------------------------------------------------------------


class SessionAddForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(**DATE_WIDGET))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(**TIME_WIDGET))
    duration_minutes = forms.IntegerField(label=_label(Session, "duration_minutes"), min_value=15, max_value=480)
    topic = forms.CharField(label=_label(Session, "topic"), max_length=200, required=False)

    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))


class SessionCancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class RegisterForm(forms.Form):
    """The session's record and one group of fields per man in the register, named
    "<enrolment id>-<field>"."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    topic = forms.CharField(label=_label(Session, "topic"), max_length=200, required=False)
    facilitators = forms.TypedMultipleChoiceField(label=_("Facilitators present"), coerce=int,
                                                  widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_label(Session, "notes"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("What the group worked on and what the facilitators noticed. Kept encrypted."))

    ROW_FIELDS = ("status", "excuse", "participation", "note", "made_up_by", "version")

    def __init__(self, *args, register, staff, **kwargs):
        super().__init__(*args, **kwargs)
        from rete.programmes.selectors.sessions import session_label

        self.register = register
        self.fields["facilitators"].choices = [(u.pk, user_label(u)) for u in staff]
        for item in register:
            pk, saved = item["enrolment"].pk, item["attendance"]
            self.fields[f"{pk}-version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            self.fields[f"{pk}-status"] = forms.ChoiceField(label=_label(Attendance, "status"), choices=AttendanceStatus.choices,
                                                            widget=forms.RadioSelect)
            self.fields[f"{pk}-excuse"] = forms.ChoiceField(label=_("Reason, if excused"), choices=EXCUSE_CHOICES,
                                                            required=False)
            self.fields[f"{pk}-participation"] = forms.ChoiceField(label=_label(Attendance, "participation"),
                                                                   choices=PARTICIPATION_CHOICES, required=False)
            self.fields[f"{pk}-note"] = forms.CharField(label=_label(Attendance, "note"), max_length=2000, required=False)
            self.fields[f"{pk}-made_up_by"] = forms.TypedChoiceField(
                label=_("Absence made up by"), coerce=int, empty_value=None, required=False,
                choices=[("", "—")] + [(s.pk, session_label(s)) for s in item["make_ups"]],
                help_text=_("A later session he attended."))
            self.initial.setdefault(f"{pk}-version", saved.version if saved else 0)
            if saved:
                for name in ("status", "excuse", "participation", "note"):
                    self.initial.setdefault(f"{pk}-{name}", getattr(saved, name))
                self.initial.setdefault(f"{pk}-made_up_by", saved.made_up_by_id)

    def rows_for_template(self):
        """Per man: his label and his bound fields."""
        return [{"enrolment": item["enrolment"], "label": man_label(item["enrolment"]),
                 "fields": {name: self[f"{item['enrolment'].pk}-{name}"] for name in self.ROW_FIELDS}}
                for item in self.register]

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        return [{"enrolment_id": item["enrolment"].pk,
                 **{name: data.get(f"{item['enrolment'].pk}-{name}") for name in self.ROW_FIELDS}}
                for item in self.register]


class IndividualSessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(**DATE_WIDGET))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(**TIME_WIDGET))
    kind = forms.ChoiceField(label=_label(Session, "kind"), choices=INDIVIDUAL_KIND_CHOICES)
    duration_minutes = forms.IntegerField(label=_label(Session, "duration_minutes"), min_value=10, max_value=480)
    topic = forms.CharField(label=_label(Session, "topic"), max_length=200, required=False)
    notes = forms.CharField(label=_label(Session, "notes"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Kept encrypted."))
    status = forms.ChoiceField(label=_("His attendance"), choices=AttendanceStatus.choices, widget=forms.RadioSelect)
    excuse = forms.ChoiceField(label=_("Reason, if excused"), choices=EXCUSE_CHOICES, required=False)
    participation = forms.ChoiceField(label=_label(Attendance, "participation"), choices=PARTICIPATION_CHOICES, required=False)
    note = forms.CharField(label=_("Note on his attendance"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "individual-%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("duration_minutes", 60)
        self.initial.setdefault("kind", SessionKind.INDIVIDUAL)

    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))


class ComplianceAddressForm(forms.Form):
    response = forms.CharField(label=_label(ComplianceEvent, "response"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("E.g. a meeting with him, a written warning, a new agreement. Kept encrypted."))
