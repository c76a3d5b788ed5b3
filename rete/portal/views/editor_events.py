"""Public events, the editors' side: the list of her countries' events, adding and editing one
(dates and times typed in her own time zone, which the page names), publishing or withdrawing
it, and cancelling it. Events of other countries are 404."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core.conflict import conflict_row
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.portal import selectors
from rete.portal.models import EventKind
from rete.portal.selectors import events as event_selectors
from rete.portal.services import events as services

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")




class EventForm(forms.Form):
    """An event's details. The same rules as the service (services.events.event_problems),
    shown next to the field they concern."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of event"), choices=EventKind.choices)
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organiser"), coerce=int)
    campaign = forms.TypedChoiceField(label=gettext_lazy("Campaign"), coerce=int, required=False, empty_value=None,
                                      help_text=gettext_lazy("Optional: the campaign the event is part of."))
    language = forms.ChoiceField(label=gettext_lazy("Language of the event"), choices=settings.LANGUAGES)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), widget=DATETIME_INPUT)
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=200, required=False,
                            help_text=gettext_lazy("Leave it empty for an event that takes place only online."))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=120, required=False)
    online_url = forms.URLField(label=gettext_lazy("Online link"), required=False, assume_scheme="https",
                                help_text=gettext_lazy("For an event online (or also online): the address of the meeting."))
    accessibility = forms.CharField(label=gettext_lazy("Accessibility"), max_length=300, required=False,
                                    help_text=gettext_lazy("For example: step-free access, sign-language interpreting, childcare."))
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=gettext_lazy("Paragraphs, lists (- item) and links ([text](address))."))

    def __init__(self, *args, user, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        labels = dict(Country.choices)
        self.fields["country"].choices = [(code, labels[code]) for code in countries]
        organisations = {}
        for organisation in selectors.editor_organisations(user=user):
            organisations.setdefault(organisation.pk, organisation)
        self.organisations = organisations
        self.fields["organisation"].choices = [(pk, f"{org.name} ({org.get_country_display()})") for pk, org in organisations.items()]
        self.campaigns = {campaign.pk: campaign for campaign in event_selectors.editor_campaigns(countries=countries)}
        self.fields["campaign"].choices = [("", _("None"))] + [
            (pk, f"{campaign.name} ({campaign.get_country_display()})") for pk, campaign in self.campaigns.items()]
        if len(countries) == 1:
            self.fields["country"].initial = countries[0]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {field: data.get(field) for field in services.EVENT_FIELDS}
        values["organisation"] = self.organisations.get(data.get("organisation"))
        values["campaign"] = self.campaigns.get(data.get("campaign"))
        return values

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in services.event_problems(by=self.user, values=self.values()).items():
                self.add_error(field, message)
        return data


def _initial(event) -> dict:
    initial = {field: getattr(event, field) for field in services.EVENT_FIELDS}
    initial.update(version=event.version, organisation=event.organisation_id, campaign=event.campaign_id)
    return initial


def _conflict(form, saved) -> list:
    """Her values beside the saved ones, field by field (includes/conflict.html)."""
    from django.utils.formats import date_format

    mine = form.values()

    def shown(field, value):
        if value in (None, ""):
            return ""
        if field in ("starts_at", "ends_at"):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if field == "kind":
            return EventKind(value).label
        if field == "country":
            return Country(value).label
        if field == "language":
            return dict(settings.LANGUAGES).get(value, value)
        if field in ("organisation", "campaign"):
            return value.name
        return value

    return [conflict_row(form.fields[field].label, mine.get(field), getattr(saved, field),
                         show=lambda value, field=field: shown(field, value)) for field in services.EVENT_FIELDS]


def _form_page(request, form, *, event=None, status=200, error=None, conflict=None):
    return render(request, "portal/editor/events_form.html", {
        "tab": "events", "form": form, "event": event, "error": error, "conflict": conflict,
        "time_zone": timezone.get_current_timezone_name(),
    }, status=status)


class EventListFilter(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    when = forms.ChoiceField(label=gettext_lazy("When"), required=False, choices=[
        ("upcoming", gettext_lazy("Coming up")), ("past", gettext_lazy("Past")), ("all", gettext_lazy("All"))])
    kind = forms.ChoiceField(label=gettext_lazy("Kind of event"), required=False)

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Country.choices)
        self.fields["country"].choices = [("", _("All your countries"))] + [(code, labels[code]) for code in countries]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(EventKind.choices)


@require_safe
def editor_events(request):
    countries = selectors.editor_countries_or_deny(user=request.user)
    form = EventListFilter(request.GET or None, countries=countries)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = 400 if form.is_bound and form.errors else 200
    events = event_selectors.editor_events(countries=countries, country=filters.get("country", ""),
                                           when=filters.get("when") or "upcoming", kind=filters.get("kind", ""),
                                           now=timezone.now())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/editor/events_list.html", {
        "tab": "events", "countries": countries, "form": form, "page": page, "querystring": query.urlencode(),
        "time_zone": timezone.get_current_timezone_name(), "now": timezone.now(),
    }, status=status)


@require_http_methods(["GET", "POST"])
def editor_event_add(request):
    countries = selectors.editor_countries_or_deny(user=request.user)
    form = EventForm(request.POST or None, user=request.user, countries=countries)
    if request.method != "POST":
        return _form_page(request, form)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        event = services.event_create(by=request.user, **form.values())
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, form, status=400)
    messages.success(request, _("The event was saved. It is not on the public calendar until you publish it."))
    return redirect("portal:editor_event_edit", event_id=event.pk)


@require_http_methods(["GET", "POST"])
def editor_event_edit(request, event_id):
    countries = selectors.editor_countries_or_deny(user=request.user)
    event = event_selectors.editor_event_get(user=request.user, event_id=event_id)
    form = EventForm(request.POST or None, initial=_initial(event), user=request.user, countries=countries)
    if request.method != "POST":
        return _form_page(request, form, event=event)
    if not form.is_valid():
        return _form_page(request, form, event=event, status=400)
    if not form.cleaned_data.get("version"):
        form.add_error(None, _("This form is incomplete: open the event again from the list."))
        return _form_page(request, form, event=event, status=400)
    try:
        services.event_update(by=request.user, event=event, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = exc.current
        conflict = _conflict(form, fresh)
        # Her entries stay in the form; the saved version's number lets her save them knowingly.
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        form = EventForm(post, initial=_initial(fresh), user=request.user, countries=countries)
        form.is_valid()
        return _form_page(request, form, event=fresh, status=409, conflict=conflict)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, form, event=event, status=400)
    messages.success(request, _("The event was saved."))
    return redirect("portal:editor_event_edit", event_id=event.pk)


def _posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _action_refused(request, event, countries, message, status):
    form = EventForm(initial=_initial(event), user=request.user, countries=countries)
    return _form_page(request, form, event=event, status=status, error=message)


@require_POST
def editor_event_publish(request, event_id):
    """Publish (publish=1) or withdraw (publish=0) an event."""
    countries = selectors.editor_countries_or_deny(user=request.user)
    event = event_selectors.editor_event_get(user=request.user, event_id=event_id)
    publish = request.POST.get("publish") == "1"
    version = _posted_version(request)
    if version is None:
        return _action_refused(request, event, countries, _("This form is incomplete: open the event again from the list."), 400)
    try:
        event = services.event_publish(by=request.user, event=event, version=version, publish=publish)
    except StaleEdit as exc:
        return _action_refused(request, exc.current, countries,
                               _("Someone changed this event while you were looking at it. Check it below, then try again."), 409)
    if publish:
        messages.success(request, _("The event is on the public calendar."))
    else:
        messages.success(request, _("The event was taken off the public calendar."))
    return redirect("portal:editor_event_edit", event_id=event.pk)


@require_POST
def editor_event_cancel(request, event_id):
    countries = selectors.editor_countries_or_deny(user=request.user)
    event = event_selectors.editor_event_get(user=request.user, event_id=event_id)
    version = _posted_version(request)
    if version is None:
        return _action_refused(request, event, countries, _("This form is incomplete: open the event again from the list."), 400)
    try:
        event = services.event_cancel(by=request.user, event=event, version=version)
    except StaleEdit as exc:
        return _action_refused(request, exc.current, countries,
                               _("Someone changed this event while you were looking at it. Check it below, then try again."), 409)
    except ServiceError as exc:
        return _action_refused(request, event, countries, exc.message, 400)
    messages.success(request, _("The event is marked as cancelled."))
    return redirect("portal:editor_event_edit", event_id=event.pk)

