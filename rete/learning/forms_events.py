"""Forms of training events (part "events"): the event, its sessions, a material, an
invitation link, a status action. The services check everything again; the forms give labels,
types and the choices."""
from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rete.core.forms import time_zone_choices
from rete.core.models import Country
from rete.learning.models import EventKind, EventMaterial, EventSession, EventStatus, Invitation, TrainingEvent

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
TIME_WIDGET = {"attrs": {"type": "time"}, "format": "%H:%M"}
# A sensible default time zone for an event in each country of the network.
COUNTRY_TIME_ZONES = {"IT": "Europe/Rome", "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "BG": "Europe/Sofia"}


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_label(TrainingEvent, "kind"), choices=EventKind.choices)
    title = forms.CharField(label=_label(TrainingEvent, "title"), max_length=200)
    description = forms.CharField(label=_label(TrainingEvent, "description"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Who it is for and what participants will learn."))
    agenda = forms.CharField(label=_label(TrainingEvent, "agenda"), required=False, max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 6}))
    starts_on = forms.DateField(label=_label(TrainingEvent, "starts_on"), widget=forms.DateInput(**DATE_WIDGET))
    ends_on = forms.DateField(label=_label(TrainingEvent, "ends_on"), widget=forms.DateInput(**DATE_WIDGET))
    time_zone = forms.ChoiceField(label=_label(TrainingEvent, "time_zone"), choices=time_zone_choices,
                                  help_text=_("Where the event takes place (for a webinar, where its organisers are). "
                                              "Session times are typed and shown in this time zone."))
    country = forms.ChoiceField(label=_label(TrainingEvent, "country"), choices=Country.choices)
    venue = forms.CharField(label=_label(TrainingEvent, "venue"), max_length=200, required=False)
    city = forms.CharField(label=_label(TrainingEvent, "city"), max_length=120, required=False)
    online = forms.BooleanField(label=_("Held online (or also online)"), required=False)
    online_link = forms.URLField(label=_label(TrainingEvent, "online_link"), max_length=200, required=False,
                                 assume_scheme="https",
                                 help_text=_("Shown only to registered participants and to the people who run the "
                                             "event."))
    capacity = forms.IntegerField(label=_label(TrainingEvent, "capacity"), min_value=1, max_value=10000)
    languages = forms.MultipleChoiceField(label=_label(TrainingEvent, "languages"), choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": _("Choose at least one language.")})
    interpretation = forms.CharField(label=_label(TrainingEvent, "interpretation"), max_length=200, required=False,
                                     help_text=_("For example: simultaneous interpretation English ↔ Italian."))
    registration_closes_on = forms.DateField(label=_label(TrainingEvent, "registration_closes_on"), required=False,
                                             widget=forms.DateInput(**DATE_WIDGET),
                                             help_text=_("Leave empty to keep registration open until the first day."))
    certificate_min_attendance = forms.IntegerField(label=_label(TrainingEvent, "certificate_min_attendance"),
                                                    min_value=0, max_value=100)
    follow_up_after_days = forms.IntegerField(label=_label(TrainingEvent, "follow_up_after_days"), min_value=1,
                                              max_value=730)

    FIELDS = ("kind", "title", "description", "agenda", "country", "venue", "city", "online", "online_link",
              "time_zone", "starts_on", "ends_on", "capacity", "languages", "interpretation",
              "registration_closes_on", "certificate_min_attendance", "follow_up_after_days")

    def __init__(self, *args, hosts=None, versioned=False, current_zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hosts = {o.pk: o for o in hosts or ()}
        if len(self.hosts) > 1:
            self.fields["host"] = forms.TypedChoiceField(label=_("Hosted by"), coerce=int,
                                                         choices=[(o.pk, o.name) for o in hosts])
            self.order_fields(["host"])
        zones = time_zone_choices()
        if current_zone and current_zone not in dict(zones):
            zones.append((current_zone, current_zone.replace("_", " ")))
        self.fields["time_zone"].choices = zones
        if versioned:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def chosen_host(self):
        if len(self.hosts) == 1:
            return next(iter(self.hosts.values()))
        return self.hosts.get(self.cleaned_data.get("host"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, event) -> dict:
        return {**{name: getattr(event, name) for name in cls.FIELDS}, "version": event.version}

    @staticmethod
    def initial_new(host) -> dict:
        return {"kind": EventKind.SEMINAR, "country": host.country,
                "time_zone": COUNTRY_TIME_ZONES.get(host.country, settings.TIME_ZONE),
                "languages": [code for code in host.languages or () if code in dict(settings.LANGUAGES)] or ["en"],
                "capacity": 30, "certificate_min_attendance": 75, "follow_up_after_days": 90}


class SessionForm(forms.Form):
    title = forms.CharField(label=_label(EventSession, "title"), max_length=200)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(**DATE_WIDGET))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(**TIME_WIDGET))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(**TIME_WIDGET))
    room = forms.CharField(label=_label(EventSession, "room"), max_length=120, required=False)
    speakers = forms.CharField(label=_label(EventSession, "speakers"), max_length=400, required=False,
                               help_text=_("Separate the names with semicolons, e.g. “Anna Rossi, psychologist; "
                                           "Eleni Georgiou”."))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "day", "start_time", "end_time", "room", "speakers")}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_label(EventMaterial, "title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the file's name."))
    file = forms.FileField(label=_("File"))


class InvitationForm(forms.Form):
    label = forms.CharField(label=_label(Invitation, "label"), max_length=200,
                            help_text=_("For example the organisation or network you send it to. Participants do not "
                                        "see it."))
    expires_on = forms.DateField(label=_label(Invitation, "expires_on"), widget=forms.DateInput(**DATE_WIDGET))
    max_uses = forms.IntegerField(label=_label(Invitation, "max_uses"), min_value=1, max_value=10000, required=False,
                                  help_text=_("Leave empty for no limit other than the event's places."))


STATUS_ACTIONS = (EventStatus.OPEN, EventStatus.CLOSED, EventStatus.HELD, EventStatus.CANCELLED)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in STATUS_ACTIONS])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(required=False)
