"""Risk conference pages for coordinators and representatives (part "conference-pages"): the
series she coordinates or sits in, a series' members and representatives, meetings, the agenda
with the chair's minute per case and the actions agreed, the minutes (PDF) and the figures.

Who reaches what is decided by rete.network.selectors.conferences: a series, a meeting or an
item out of her reach is 404, like one that does not exist. The coordinators' pages and actions
are 404 for the representatives. A case summary is shown to representatives only, on the
meeting page, and that reading is audited; the minutes never carry it. The actions answer POST
only; a refused action shows its page again with her entries and the reason (400), a stale
minute is refused with both texts shown (409)."""
import csv
import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceCriterion,
    ConferenceMeeting,
    ConferenceSeries,
    MeetingStatus,
    ShareCategory,
)
from rete.network.package import package_sections
from rete.network.selectors import conferences as selectors
from rete.network.services import conferences as services

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
TIME_WIDGET = {"attrs": {"type": "time"}, "format": "%H:%M"}


def _label(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _coordinated(series):
    if not series.can_coordinate:
        access.deny()
    return series


# ---- forms -----------------------------------------------------------------------------------

class SeriesForm(forms.Form):
    name = forms.CharField(label=_label(ConferenceSeries, "name"), max_length=200)
    country = forms.ChoiceField(label=_label(ConferenceSeries, "country"), choices=Country.choices)
    territory = forms.CharField(label=_label(ConferenceSeries, "territory"), max_length=200, required=False)
    every_days = forms.IntegerField(label=_label(ConferenceSeries, "every_days"), min_value=1, max_value=90,
                                    help_text=gettext_lazy("Conferences commonly meet every two to four weeks."))
    escalation_callouts = forms.IntegerField(label=_label(ConferenceSeries, "escalation_callouts"), min_value=1,
                                             max_value=50)
    categories = forms.MultipleChoiceField(
        label=_label(ConferenceSeries, "categories"), choices=ShareCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("What the representatives read about each case. The referring caseworker may share less."))

    def __init__(self, *args, organisations=None, with_active=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations or []}
        if organisations is not None:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_label(ConferenceSeries, "organisation"), coerce=int, choices=[(o.pk, o.name) for o in organisations],
                help_text=gettext_lazy("The organisation that runs the conference; it is its first member."))
            self.order_fields(["organisation"])
            if organisations:
                self.initial.setdefault("organisation", organisations[0].pk)
                self.initial.setdefault("country", organisations[0].country)
        if with_active:
            self.fields["active"] = forms.BooleanField(
                label=_label(ConferenceSeries, "active"), required=False,
                help_text=gettext_lazy("An inactive conference receives no new referrals."))

    def values(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("name", "country", "territory", "every_days", "escalation_callouts", "categories")}


class MemberAddForm(forms.Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {o.pk: o for o in candidates}
        self.fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in candidates]


class RepresentativeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail of the representative"), max_length=254,
                             help_text=gettext_lazy("She must work at this organisation in Rete."))


class MeetingForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(**DATE_WIDGET))
    time = forms.TimeField(label=gettext_lazy("Time"), widget=forms.TimeInput(**TIME_WIDGET))
    place = forms.CharField(label=_label(ConferenceMeeting, "place"), max_length=300, required=False)
    chair = forms.TypedChoiceField(label=_label(ConferenceMeeting, "chair"), coerce=int)

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.coordinators = {u.pk: u for u in coordinators}
        self.fields["chair"].choices = [(u.pk, u.get_full_name() or u.email) for u in coordinators]

    def starts_at(self):
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))


class ItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(label=_label(AgendaItem, "notes"), required=False, max_length=services.TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=gettext_lazy("What the agencies said about the risk and her situation."))
    decisions = forms.CharField(label=_label(AgendaItem, "decisions"), required=False, max_length=services.TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    agency = forms.TypedChoiceField(label=_label(ConferenceAction, "agency"), coerce=int)
    owner = forms.TypedChoiceField(label=_label(ConferenceAction, "owner"), coerce=int, required=False, empty_value=None,
                                   help_text=gettext_lazy("Optional: one of the agency's representatives."))
    description = forms.CharField(label=_label(ConferenceAction, "description"), max_length=services.TEXT_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=gettext_lazy("Specific and measurable: what is done, by whom, by when."))
    due_on = forms.DateField(label=_label(ConferenceAction, "due_on"), widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {m.organisation_id: m.organisation for m in members}
        self.owners = {}
        self.fields["agency"].choices = [("", "—")] + [(m.organisation_id, m.organisation.name) for m in members]
        groups = []
        for member in members:
            reps = [(r.user_id, r.user.get_full_name() or r.user.email) for r in member.representatives.all()]
            for r in member.representatives.all():
                self.owners[r.user_id] = r.user
            if reps:
                groups.append((member.organisation.name, reps))
        self.fields["owner"].choices = [("", "—")] + groups


class FiguresForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(**DATE_WIDGET))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(**DATE_WIDGET))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


# ---- the list and a series ---------------------------------------------------------------------

@require_safe
def conference_list(request):
    organisations = selectors.coordinating_organisations(user=request.user)
    if not (organisations or selectors.may_use_conferences(user=request.user)):
        access.deny()
    return render(request, "network/conference_list.html", {
        "rows": selectors.series_list(user=request.user), "may_add": bool(organisations)})


def _series_form_page(request, form, *, series=None, status=200):
    return render(request, "network/conference_series_form.html", {"form": form, "series": series}, status=status)


@require_http_methods(["GET", "POST"])
def conference_series_add(request):
    organisations = selectors.coordinating_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = SeriesForm(request.POST or None, organisations=organisations,
                      initial={"every_days": 14, "escalation_callouts": 3, "categories": services.DEFAULT_CATEGORIES})
    if request.method != "POST":
        return _series_form_page(request, form)
    if form.is_valid():
        try:
            series = services.series_create(by=request.user, organisation=form.organisations[form.cleaned_data["organisation"]],
                                            **form.values())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The conference was created. Add its member organisations and their representatives."))
            return redirect("network:conference_series_detail", series_id=series.pk)
    return _series_form_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
def conference_series_edit(request, series_id):
    series = selectors.series_for_coordinator(user=request.user, series_id=series_id)
    initial = {"name": series.name, "country": series.country, "territory": series.territory, "every_days": series.every_days,
               "escalation_callouts": series.escalation_callouts, "categories": series.categories, "active": series.active}
    form = SeriesForm(request.POST or None, initial=initial, with_active=True)
    if request.method != "POST":
        return _series_form_page(request, form, series=series)
    if form.is_valid():
        try:
            services.series_update(by=request.user, series=series, active=form.cleaned_data["active"], **form.values())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The conference was updated."))
            return redirect("network:conference_series_detail", series_id=series.pk)
    return _series_form_page(request, form, series=series, status=400)


def _series_page(request, series, *, status=200, member_form=None, representative_forms=None, error=None):
    members = selectors.series_members(series=series)
    representative_forms = representative_forms or {}
    for member in members:
        member.may_name = selectors.may_name_representatives(user=request.user, series=series,
                                                             organisation_id=member.organisation_id)
        if member.may_name:
            member.form = representative_forms.get(member.pk) or RepresentativeForm(auto_id=f"rep-{member.pk}-%s")
    context = {"series": series, "members": members, "meetings": selectors.series_meetings(series=series),
               "waiting": selectors.series_waiting(series=series), "error": error}
    if series.can_coordinate:
        context["member_form"] = member_form or MemberAddForm(candidates=selectors.member_candidates(series=series),
                                                              auto_id="member-%s")
    return render(request, "network/conference_series_detail.html", context, status=status)


@require_safe
def conference_series_detail(request, series_id):
    series = selectors.series_get(user=request.user, series_id=series_id)
    return _series_page(request, series)


@require_POST
def conference_member_add(request, series_id):
    series = _coordinated(selectors.series_get(user=request.user, series_id=series_id))
    form = MemberAddForm(request.POST, candidates=selectors.member_candidates(series=series), auto_id="member-%s")
    if form.is_valid():
        organisation = form.candidates[form.cleaned_data["organisation"]]
        try:
            services.member_add(by=request.user, series=series, organisation=organisation)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("%(organisation)s is now a member of the conference. Name its representatives.")
                             % {"organisation": organisation.name})
            return redirect(reverse("network:conference_series_detail", kwargs={"series_id": series.pk}) + "#members-title")
    return _series_page(request, series, status=400, member_form=form)


@require_POST
def conference_member_remove(request, conference_member_id):
    member = selectors.member_get(user=request.user, member_id=conference_member_id)
    series = _coordinated(member.series)
    try:
        services.member_remove(by=request.user, member=member)
    except ServiceError as exc:
        return _series_page(request, series, status=400, error=exc.message)
    messages.success(request, _("%(organisation)s is no longer a member of the conference.")
                     % {"organisation": member.organisation.name})
    return redirect(reverse("network:conference_series_detail", kwargs={"series_id": series.pk}) + "#members-title")


@require_POST
def conference_representative_add(request, conference_member_id):
    member = selectors.member_get(user=request.user, member_id=conference_member_id)
    series = member.series
    if not selectors.may_name_representatives(user=request.user, series=series, organisation_id=member.organisation_id):
        access.deny()
    form = RepresentativeForm(request.POST, auto_id=f"rep-{member.pk}-%s")
    if form.is_valid():
        try:
            representative = services.representative_add(by=request.user, member=member, email=form.cleaned_data["email"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            selectors.forget_seats(request.user)
            messages.success(request, _("%(person)s now represents %(organisation)s.") % {
                "person": representative.user.get_full_name() or representative.user.email,
                "organisation": member.organisation.name})
            return redirect(reverse("network:conference_series_detail", kwargs={"series_id": series.pk}) + "#members-title")
    return _series_page(request, series, status=400, representative_forms={member.pk: form})


@require_POST
def conference_representative_remove(request, representative_id):
    representative = selectors.representative_get(user=request.user, representative_id=representative_id)
    member = representative.member
    if not selectors.may_name_representatives(user=request.user, series=member.series, organisation_id=member.organisation_id):
        access.deny()
    services.representative_remove(by=request.user, representative=representative)
    selectors.forget_seats(request.user)
    messages.success(request, _("%(person)s no longer represents %(organisation)s.") % {
        "person": representative.user.get_full_name() or representative.user.email, "organisation": member.organisation.name})
    if representative.user_id == request.user.pk and not member.series.can_coordinate:
        return redirect("network:conference_list")
    return redirect(reverse("network:conference_series_detail", kwargs={"series_id": member.series.pk}) + "#members-title")


# ---- meetings --------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def conference_meeting_add(request, series_id):
    series = selectors.series_for_coordinator(user=request.user, series_id=series_id)
    coordinators = selectors.series_coordinators(series=series)
    suggested = services.next_meeting_start(series=series)
    suggested = timezone.localtime(suggested) if timezone.is_aware(suggested) else suggested
    form = MeetingForm(request.POST or None, coordinators=coordinators,
                       initial={"date": suggested.date(), "time": suggested.time().replace(second=0, microsecond=0),
                                "chair": request.user.pk})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(by=request.user, series=series, starts_at=form.starts_at(),
                                                    place=form.cleaned_data["place"],
                                                    chair=form.coordinators.get(form.cleaned_data["chair"]))
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("Meeting %(number)s was scheduled. Build its agenda when the referrals are in.")
                                 % {"number": meeting.number})
                return redirect("network:conference_meeting_detail", meeting_id=meeting.pk)
    return render(request, "network/conference_meeting_form.html", {"series": series, "form": form}, status=status)


def _meeting_page(request, meeting, *, status=200, error=None):
    series = meeting.series
    with_summaries = series.is_representative
    items = selectors.meeting_agenda(meeting=meeting, with_summaries=with_summaries)
    if with_summaries:
        shown = []
        for item in items:
            referral = item.referral
            referral.stopped = bool(referral.consent_withdrawn_at or referral.status == "withdrawn")
            item.sections = [] if referral.stopped else package_sections(referral)
            if not referral.stopped:
                shown.append(referral.pk)
        services.agenda_record_view(by=request.user, meeting=meeting, referral_ids=shown)
    return render(request, "network/conference_meeting_detail.html", {
        "meeting": meeting, "series": series, "items": items, "with_summaries": with_summaries,
        "coordinator": series.can_coordinate, "error": error, "languages": settings.LANGUAGES,
        "planned": meeting.status == MeetingStatus.PLANNED, "held": meeting.status == MeetingStatus.HELD,
        "sent": meeting.status == MeetingStatus.MINUTES_SENT,
    }, status=status)


@require_safe
def conference_meeting_detail(request, meeting_id):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    return _meeting_page(request, meeting)


def _meeting_action(request, meeting_id, act):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    _coordinated(meeting.series)
    try:
        done = act(meeting)
    except ServiceError as exc:
        return _meeting_page(request, meeting, status=400, error=exc.message)
    messages.success(request, done)
    return redirect("network:conference_meeting_detail", meeting_id=meeting.pk)


@require_POST
def conference_agenda_build(request, meeting_id):
    from django.utils.translation import ngettext

    def act(meeting):
        added = services.agenda_build(by=request.user, meeting=meeting)
        if not added:
            return _("No case was added: the agenda already has every case waiting or with open actions.")
        return ngettext("%(count)d case was added to the agenda. The representatives were told.",
                        "%(count)d cases were added to the agenda. The representatives were told.", added) % {"count": added}

    return _meeting_action(request, meeting_id, act)


@require_POST
def conference_meeting_held(request, meeting_id):
    def act(meeting):
        services.meeting_held(by=request.user, meeting=meeting)
        return _("The meeting is marked as held. Minute each case, then send the minutes.")

    return _meeting_action(request, meeting_id, act)


@require_POST
def conference_minutes_send(request, meeting_id):
    def act(meeting):
        services.minutes_send(by=request.user, meeting=meeting)
        return _("The minutes were sent: the representatives were told by e-mail, with a link to this page.")

    return _meeting_action(request, meeting_id, act)


@require_safe
def conference_minutes_pdf(request, meeting_id, language):
    from rete.core.documents import pdf_response, render_pdf

    if language not in LANGUAGE_CODES:
        access.deny()
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    context = {"meeting": meeting, "series": meeting.series, "members": selectors.series_members(series=meeting.series),
               "items": selectors.meeting_agenda(meeting=meeting, with_summaries=False),
               "printed_by": request.user, "printed_at": timezone.localtime()}
    content = render_pdf("documents/conference_minutes.html", context, language=language)
    services.minutes_record_print(by=request.user, meeting=meeting, language=language)
    return pdf_response(content, f"minutes-{meeting.series_id}-{meeting.number}-{language}.pdf")


# ---- an agenda item --------------------------------------------------------------------------

def _item_page(request, item, *, item_form=None, action_form=None, status=200, conflict=None, error=None):
    members = selectors.series_members(series=item.meeting.series)
    editable = item.meeting.status != MeetingStatus.MINUTES_SENT
    return render(request, "network/conference_item.html", {
        "item": item, "meeting": item.meeting, "series": item.meeting.series, "referral": item.referral,
        "actions": selectors.item_actions(item=item), "editable": editable, "conflict": conflict, "error": error,
        "item_form": item_form or ItemForm(initial={"version": item.version, "notes": item.notes, "decisions": item.decisions},
                                           auto_id="item-%s"),
        "action_form": action_form or ActionForm(members=members, auto_id="action-%s"),
    }, status=status)


@require_http_methods(["GET", "POST"])
def conference_item_edit(request, item_id):
    item = selectors.item_get(user=request.user, item_id=item_id)
    if request.method != "POST":
        return _item_page(request, item)
    form = ItemForm(request.POST, auto_id="item-%s")
    if not form.is_valid():
        return _item_page(request, item, item_form=form, status=400)
    data = form.cleaned_data
    try:
        services.item_record(by=request.user, item=item, notes=data["notes"], decisions=data["decisions"],
                             version=data["version"])
    except StaleEdit as exc:
        fresh = exc.current
        conflict = [conflict_row(_label(AgendaItem, "notes"), data["notes"].strip(), fresh.notes),
                    conflict_row(_label(AgendaItem, "decisions"), data["decisions"].strip(), fresh.decisions)]
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        form = ItemForm(post, auto_id="item-%s")
        form.is_valid()
        item = selectors.item_get(user=request.user, item_id=item.pk)
        return _item_page(request, item, item_form=form, status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _item_page(request, item, item_form=form, status=400)
    messages.success(request, _("The minute for %(reference)s was saved.") % {"reference": item.referral.reference})
    return redirect("network:conference_item_edit", item_id=item.pk)


@require_POST
def conference_item_remove(request, item_id):
    item = selectors.item_get(user=request.user, item_id=item_id)
    try:
        services.item_remove(by=request.user, item=item)
    except ServiceError as exc:
        meeting = selectors.meeting_get(user=request.user, meeting_id=item.meeting_id)
        return _meeting_page(request, meeting, status=400, error=exc.message)
    messages.success(request, _("%(reference)s was taken off the agenda.") % {"reference": item.referral.reference})
    return redirect("network:conference_meeting_detail", meeting_id=item.meeting_id)


@require_POST
def conference_action_add(request, item_id):
    item = selectors.item_get(user=request.user, item_id=item_id)
    members = selectors.series_members(series=item.meeting.series)
    form = ActionForm(request.POST, members=members, auto_id="action-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(by=request.user, item=item, agency=form.agencies.get(data["agency"]),
                                owner=form.owners.get(data["owner"]) if data["owner"] else None,
                                description=data["description"], due_on=data["due_on"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The action was added for %(agency)s.") % {"agency": form.agencies[data["agency"]].name})
            return redirect(reverse("network:conference_item_edit", kwargs={"item_id": item.pk}) + "#actions-title")
    return _item_page(request, item, action_form=form, status=400)


# ---- figures ---------------------------------------------------------------------------------

def last_full_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_of_this = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - datetime.timedelta(days=1)
    return datetime.date(end.year, end.month - 2, 1), end


def _cell(value) -> str:
    """A spreadsheet never runs a cell as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _figures_rows(figures) -> list[tuple]:
    criteria = dict(ConferenceCriterion.choices)
    actions = figures["actions"]

    def rate(value):
        return "" if value is None else f"{value * 100:.0f}%"

    rows = [(_("Cases"), "", figures["cases"]), (_("Referrals"), "", figures["referrals"]),
            (_("Repeat referrals"), "", figures["repeats"]), (_("Repeat rate"), "", rate(figures["repeat_rate"])),
            (_("Children in the households"), "", figures["children"])]
    rows += [(_("Referrals by agency"), name, n) for name, n in figures["by_agency"]]
    rows += [(_("Referrals by criterion"), criteria.get(code, code), n) for code, n in figures["criteria_rows"]]
    rows += [(_("Actions due"), "", actions["due"]), (_("Actions done on time"), "", actions["on_time"]),
             (_("Actions done late"), "", actions["late"]), (_("Actions that could not be done"), "", actions["not_done"]),
             (_("Actions still open"), "", actions["open"]), (_("On-time rate"), "", rate(figures["on_time_rate"]))]
    return rows


@require_safe
def conference_figures(request, series_id):
    series = selectors.series_for_coordinator(user=request.user, series_id=series_id)
    start, end = last_full_quarter(timezone.localdate())
    form = FiguresForm(request.GET if "start" in request.GET or "end" in request.GET else None,
                       initial={"start": start, "end": end})
    if form.is_bound:
        if not form.is_valid():
            return render(request, "network/conference_figures.html", {"series": series, "form": form, "figures": None},
                          status=400)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    figures = selectors.series_figures(series=series, start=start, end=end)
    figures["criteria_rows"] = [(code, figures["by_criterion"].get(code, 0)) for code in ConferenceCriterion.values]
    criteria = dict(ConferenceCriterion.choices)
    figures["criteria_labelled"] = [(criteria[code], n) for code, n in figures["criteria_rows"]]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="conference-{series.pk}-{start:%Y%m%d}-{end:%Y%m%d}.csv"')
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow([_cell(_("%(series)s from %(start)s to %(end)s: figures, no personal data") % {
            "series": series.name, "start": start.isoformat(), "end": end.isoformat()})])
        writer.writerow([_("figure"), _("item"), _("value")])
        for label, item, value in _figures_rows(figures):
            writer.writerow([_cell(label), _cell(item), value])
        return response
    query = f"start={start.isoformat()}&end={end.isoformat()}"
    return render(request, "network/conference_figures.html", {
        "series": series, "form": form, "figures": figures, "csv_query": query + "&format=csv"})
