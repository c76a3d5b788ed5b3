"""Cooperation protocols, reading and editing: the list of her protocols, a new protocol, a
protocol's versions, a version readable in any of the five languages, and the editor of a
DRAFT (its text one language at a time, its parties, pathways with their steps, and sharing
rules). A version out of her reach is 404; so are the edit pages for anyone who may not edit
that version, and for every version that is no longer a draft. The circulation, sign-off and
adoption actions live in views/lifecycle.py, on the panel network/lifecycle_panel.html."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.models import Country, OrganisationKind
from rete.core.services import ServiceError, StaleEdit
from rete.network import texts
from rete.network.models import (
    SECTION_FIELDS,
    EntryPoint,
    LegalBasis,
    Pathway,
    PathwayStep,
    Protocol,
    ProtocolParty,
    ProtocolVersion,
    ReferralService,
    ShareCategory,
    SharingRule,
)
from rete.network.selectors import protocols as selectors
from rete.network.services import protocols as services

LANGUAGE_CODES = texts.LANGUAGE_CODES
DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
HOURS, DAYS = "hours", "days"


def _label(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def _her_language(request) -> str:
    language = (get_language() or "en")[:2]
    return language if language in LANGUAGE_CODES else "en"


def _language_or_deny(language) -> str:
    if language not in LANGUAGE_CODES:
        access.deny()
    return language


def time_limit_display(hours) -> str:
    """A step's time limit as people say it: in days when it is a whole number of days."""
    if hours and hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours or 0) % {"count": hours or 0}


def _shown(obj, field, language, source) -> dict:
    """A translated text for the page: its text, its language, and whether it is shown in
    another language than the one asked for (not translated yet)."""
    shown = texts.get(obj, field, language, source=source)
    return {"text": shown.text, "language": shown.language, "fallback": bool(shown.text) and shown.language != language}


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _version_url(version, language=None, anchor=""):
    url = reverse("network:version_detail", kwargs={"version_id": version.pk})
    if language:
        url += f"?lang={language}"
    return url + (f"#{anchor}" if anchor else "")


# ---- forms -----------------------------------------------------------------------------------

class ProtocolAddForm(forms.Form):
    title = forms.CharField(label=_label(Protocol, "title"), max_length=300)
    territory = forms.CharField(label=_label(Protocol, "territory"), max_length=200,
                                help_text=Protocol._meta.get_field("territory").help_text)
    country = forms.ChoiceField(label=_label(Protocol, "country"), choices=Country.choices)
    organisation = forms.TypedChoiceField(label=_label(Protocol, "organisation"), coerce=int,
                                          help_text=gettext_lazy("The organisation that keeps the protocol and "
                                                                 "coordinates its versions. It is the first party."))
    language = forms.ChoiceField(label=_label(ProtocolVersion, "source_language"), choices=settings.LANGUAGES,
                                 help_text=gettext_lazy("The language the protocol is written in. Its text can be "
                                                        "translated into the other languages afterwards."))

    def __init__(self, *args, organisations, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if organisations:
            self.initial.setdefault("organisation", organisations[0].pk)
            self.initial.setdefault("country", organisations[0].country)
        self.initial.setdefault("language", language)


class VersionTextForm(forms.Form):
    """A draft's text in one language: the protocol's title and territory, every section and
    the review date."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        lang = {"lang": language}
        self.fields["title"] = forms.CharField(label=_label(Protocol, "title"), max_length=300, required=False,
                                               widget=forms.TextInput(attrs=lang))
        self.fields["territory"] = forms.CharField(label=_label(Protocol, "territory"), max_length=200, required=False,
                                                   widget=forms.TextInput(attrs=lang))
        for field in SECTION_FIELDS:
            self.fields[field] = forms.CharField(label=_label(ProtocolVersion, field), required=False, max_length=20000,
                                                 widget=forms.Textarea(attrs={"rows": 6, **lang}))
        self.fields["review_date"] = forms.DateField(
            label=_label(ProtocolVersion, "review_date"), required=False, widget=forms.DateInput(**DATE_WIDGET),
            help_text=gettext_lazy("When the parties review the protocol; a reminder goes out before it."))

    TEXT_FIELDS = ("title", "territory", *SECTION_FIELDS)


class PartyForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_label(ProtocolParty, "organisation"), coerce=int)
    role = forms.CharField(label=_label(ProtocolParty, "role"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=gettext_lazy("What this organisation undertakes to do under the protocol."))
    signatory_name = forms.CharField(label=_label(ProtocolParty, "signatory_name"), required=False, max_length=200,
                                     help_text=gettext_lazy("The person who signs for the organisation."))
    signatory_title = forms.CharField(label=_label(ProtocolParty, "signatory_title"), required=False, max_length=200)

    def __init__(self, *args, organisations, language, **kwargs):
        super().__init__(*args, **kwargs)
        countries = dict(Country.choices)
        self.fields["organisation"].choices = [("", "—")] + [
            (o.pk, f"{o.name} ({countries.get(o.country, o.country)})") for o in organisations]
        self.fields["role"].widget.attrs["lang"] = language


class PathwayForm(forms.Form):
    name = forms.CharField(label=_label(Pathway, "name"), max_length=200)
    entry_point = forms.ChoiceField(label=_label(Pathway, "entry_point"), choices=[("", "—"), *EntryPoint.choices])
    service = forms.ChoiceField(label=_label(Pathway, "service"), choices=[("", "—"), *ReferralService.choices])
    urgent = forms.BooleanField(label=_label(Pathway, "urgent"), required=False,
                                help_text=Pathway._meta.get_field("urgent").help_text)
    criteria = forms.CharField(label=_label(Pathway, "criteria"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=gettext_lazy("When a case should take this pathway."))

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "criteria"):
            self.fields[name].widget.attrs["lang"] = language


class StepForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    action = forms.CharField(label=_label(PathwayStep, "action"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    responsible_kind = forms.ChoiceField(label=_label(PathwayStep, "responsible_kind"),
                                         choices=[("", "—"), *OrganisationKind.choices])
    time_limit = forms.IntegerField(label=gettext_lazy("Time limit"), min_value=1, max_value=services.MAX_TIME_LIMIT_HOURS,
                                    help_text=PathwayStep._meta.get_field("time_limit_hours").help_text)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=[(HOURS, gettext_lazy("hours")), (DAYS, gettext_lazy("days"))],
                             initial=HOURS)

    def __init__(self, *args, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["lang"] = language

    def clean(self):
        data = super().clean()
        if data.get("time_limit") and data.get("unit") == DAYS and data["time_limit"] * 24 > services.MAX_TIME_LIMIT_HOURS:
            self.add_error("time_limit", _("At most a year."))
        return data

    @property
    def hours(self):
        data = self.cleaned_data
        return data["time_limit"] * (24 if data["unit"] == DAYS else 1)


class BaseStepFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = gettext_lazy("Position")
        form.fields["ORDER"].help_text = gettext_lazy("Steps are taken from the smallest number up.")
        form.fields["DELETE"].label = gettext_lazy("Remove this step")


def step_formset(data=None, *, steps=(), language, extra):
    factory = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=extra, can_order=True, can_delete=True,
                                    max_num=50, validate_max=True)
    initial = []
    for step in steps:
        hours = step.time_limit_hours
        in_days = hours % 24 == 0
        initial.append({"id": step.pk, "action": getattr(step, texts.column("action", language)) or "",
                        "responsible_kind": step.responsible_kind, "time_limit": hours // 24 if in_days else hours,
                        "unit": DAYS if in_days else HOURS})
    return factory(data, initial=initial or None, prefix="steps", form_kwargs={"language": language})


class RuleForm(forms.Form):
    receiver_kind = forms.ChoiceField(label=_label(SharingRule, "receiver_kind"),
                                      choices=[("", "—"), *OrganisationKind.choices])
    categories = forms.MultipleChoiceField(label=_label(SharingRule, "categories"), choices=ShareCategory.choices,
                                           required=False, widget=forms.CheckboxSelectMultiple)
    legal_basis = forms.ChoiceField(label=_label(SharingRule, "legal_basis"), choices=LegalBasis.choices,
                                    initial=LegalBasis.CONSENT,
                                    help_text=gettext_lazy("With her consent as the basis, a referral needs her recorded "
                                                           "consent, not withdrawn."))
    note = forms.CharField(label=_label(SharingRule, "note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["lang"] = language


# ---- reading ---------------------------------------------------------------------------------

@require_safe
def protocol_list(request):
    from rete.network.selectors.lifecycle import review_due

    language = _her_language(request)
    today = timezone.localdate()
    rows = []
    for protocol in selectors.protocol_list(user=request.user):
        source = protocol.latest.source_language
        in_force = protocol.in_force
        rows.append({
            "protocol": protocol, "title": _shown(protocol, "title", language, source),
            "territory": _shown(protocol, "territory", language, source),
            "in_force": in_force, "latest": protocol.latest,
            "review": review_due(version=in_force, today=today) if in_force else "",
        })
    return render(request, "network/protocols_list.html", {
        "rows": rows, "may_add": bool(selectors.coordinating_organisations(user=request.user)),
    })


@require_http_methods(["GET", "POST"])
def protocol_add(request):
    organisations = selectors.coordinating_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = ProtocolAddForm(request.POST or None, organisations=organisations, language=_her_language(request))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            organisation = form.organisations.get(data["organisation"])
            try:
                version = services.protocol_create(by=request.user, organisation=organisation, title=data["title"],
                                                   territory=data["territory"], country=data["country"],
                                                   language=data["language"])
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The protocol was created. Its version 1 is a draft: write its text, "
                                            "then add the parties, pathways and sharing rules."))
                return redirect("network:version_edit", version_id=version.pk, language=version.source_language)
        return render(request, "network/protocols_add.html", {"form": form}, status=400)
    return render(request, "network/protocols_add.html", {"form": form})


@require_safe
def protocol_detail(request, protocol_id):
    protocol = selectors.protocol_get(user=request.user, protocol_id=protocol_id)
    language = _her_language(request)
    source = protocol.latest.source_language
    return render(request, "network/protocols_detail.html", {
        "protocol": protocol, "title": _shown(protocol, "title", language, source),
        "territory": _shown(protocol, "territory", language, source),
        "versions": protocol.readable_versions, "in_force": protocol.in_force,
        "coordinator": selectors.can_coordinate(user=request.user, protocol=protocol),
        "today": timezone.localdate(),
    })


@require_safe
def version_detail(request, version_id):
    version = selectors.version_get(user=request.user, version_id=version_id)
    language = request.GET.get("lang", "")
    if language not in LANGUAGE_CODES:
        language = _her_language(request)
    source = version.source_language
    protocol = version.protocol
    sections = [{"name": field, "label": _label(ProtocolVersion, field), **_shown(version, field, language, source)}
                for field in SECTION_FIELDS]
    parties = [{"party": party, "role": _shown(party, "role", language, source)} for party in version.parties.all()]
    pathways = [{
        "pathway": pathway, "name": _shown(pathway, "name", language, source),
        "criteria": _shown(pathway, "criteria", language, source),
        "steps": [{"step": step, "action": _shown(step, "action", language, source),
                   "limit": time_limit_display(step.time_limit_hours)} for step in pathway.steps.all()],
    } for pathway in version.pathways.all()]
    rules = [{"rule": rule, "note": _shown(rule, "note", language, source),
              "categories": [label for value, label in ShareCategory.choices if value in (rule.categories or [])]}
             for rule in version.sharing_rules.all()]
    complete = selectors.complete_languages(version)
    editable = selectors.can_edit(user=request.user, version=version)
    return render(request, "network/protocols_version.html", {
        "version": version, "protocol": protocol, "language": language,
        "title": _shown(protocol, "title", language, source), "territory": _shown(protocol, "territory", language, source),
        "sections": sections, "parties": parties, "pathways": pathways, "rules": rules,
        "languages": [{"code": code, "complete": code in complete} for code in LANGUAGE_CODES],
        "complete": language in complete, "editable": editable, "today": timezone.localdate(),
        # The panel of part "protocol-lifecycle" (circulation, comments, sign-off, adoption): it
        # builds its own context from `version` and `request.user`.
        "lifecycle_panel": True,
    })


# ---- editing the text ------------------------------------------------------------------------

def _text_initial(version, language) -> dict:
    initial = {field: getattr(version, texts.column(field, language)) or "" for field in SECTION_FIELDS}
    for field in ("title", "territory"):
        initial[field] = getattr(version.protocol, texts.column(field, language)) or ""
    initial.update(version=version.version, review_date=version.review_date)
    return initial


def _text_conflict(form, mine: dict, saved, language):
    from django.utils.formats import date_format

    rows = []
    protocol = saved.protocol if saved is not None else None
    for field in VersionTextForm.TEXT_FIELDS:
        holder = protocol if field in ("title", "territory") else saved
        theirs = (getattr(holder, texts.column(field, language)) or "") if holder is not None else ""
        rows.append(conflict_row(form.fields[field].label, (mine.get(field) or "").strip(), theirs))
    rows.append(conflict_row(form.fields["review_date"].label, mine.get("review_date"),
                             saved.review_date if saved is not None else None,
                             show=lambda value: date_format(value, "SHORT_DATE_FORMAT") if value else ""))
    return rows


def _text_page(request, version, language, *, form, conflict=None, status=200):
    source = version.source_language
    fields = []
    for name in VersionTextForm.TEXT_FIELDS:
        holder = version.protocol if name in ("title", "territory") else version
        beside = ""
        if language != source:
            beside = getattr(holder, texts.column(name, source)) or ""
        fields.append({"field": form[name], "source_text": beside})
    return render(request, "network/protocols_version_edit.html", {
        "version": version, "protocol": version.protocol, "language": language, "form": form, "fields": fields,
        "source": source, "conflict": conflict, "languages": LANGUAGE_CODES,
        "title": _shown(version.protocol, "title", language, source),
    }, status=status)


@require_http_methods(["GET", "POST"])
def version_edit(request, version_id, language):
    version = selectors.version_for_edit(user=request.user, version_id=version_id)
    language = _language_or_deny(language)
    if request.method == "GET":
        form = VersionTextForm(initial=_text_initial(version, language), language=language)
        return _text_page(request, version, language, form=form)
    form = VersionTextForm(request.POST, language=language)
    if not form.is_valid():
        return _text_page(request, version, language, form=form, status=400)
    data = form.cleaned_data
    values = {field: data[field] for field in VersionTextForm.TEXT_FIELDS}
    try:
        services.version_edit(by=request.user, version=version, version_token=data["version"], language=language,
                              values=values, review_date=data["review_date"])
    except StaleEdit as exc:
        saved = exc.current
        conflict = _text_conflict(form, data, saved, language)
        post = request.POST.copy()
        post["version"] = str(saved.version)
        form = VersionTextForm(post, language=language)
        form.is_valid()
        fresh = selectors.version_for_edit(user=request.user, version_id=version.pk)
        return _text_page(request, fresh, language, form=form, conflict=conflict, status=409)
    except ServiceError as exc:
        _add_error(form, exc)
        return _text_page(request, version, language, form=form, status=400)
    messages.success(request, _("The text was saved in %(language)s.") % {"language": _language_name(language)})
    return redirect(_version_url(version, language))


def _language_name(code):
    from rete.core.templatetags.rete import language_name

    return language_name(code)


# ---- parties ---------------------------------------------------------------------------------

def _party_page(request, version, language, *, form, party=None, status=200):
    source = version.source_language
    return render(request, "network/protocols_party_form.html", {
        "version": version, "protocol": version.protocol, "language": language, "form": form, "party": party,
        "source": source, "title": _shown(version.protocol, "title", language, source),
        "source_role": (getattr(party, texts.column("role", source)) or "") if party is not None and language != source else "",
        "languages": LANGUAGE_CODES,
    }, status=status)


@require_http_methods(["GET", "POST"])
def party_add(request, version_id):
    version = selectors.version_for_edit(user=request.user, version_id=version_id)
    language = version.source_language
    taken = {party.organisation_id for party in version.parties.all()}
    organisations = [o for o in selectors.organisation_directory(user=request.user) if o.pk not in taken]
    form = PartyForm(request.POST or None, organisations=organisations, language=language)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.party_add(by=request.user, version=version, organisation_id=form.cleaned_data["organisation"],
                                   language=language, role=form.cleaned_data["role"],
                                   signatory_name=form.cleaned_data["signatory_name"],
                                   signatory_title=form.cleaned_data["signatory_title"])
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The party was added."))
                return redirect(_version_url(version, language, "parties"))
        return _party_page(request, version, language, form=form, status=400)
    return _party_page(request, version, language, form=form)


@require_http_methods(["GET", "POST"])
def party_edit(request, party_id, language):
    party = selectors.party_for_edit(user=request.user, party_id=party_id)
    language = _language_or_deny(language)
    version = party.version
    taken = set(selectors.party_organisation_ids(version=version)) - {party.organisation_id}
    organisations = [o for o in selectors.organisation_directory(user=request.user) if o.pk not in taken]
    initial = {"organisation": party.organisation_id, "role": getattr(party, texts.column("role", language)) or "",
               "signatory_name": party.signatory_name, "signatory_title": party.signatory_title}
    form = PartyForm(request.POST or None, initial=initial, organisations=organisations, language=language)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.party_change(by=request.user, party=party, organisation_id=form.cleaned_data["organisation"],
                                      language=language, role=form.cleaned_data["role"],
                                      signatory_name=form.cleaned_data["signatory_name"],
                                      signatory_title=form.cleaned_data["signatory_title"])
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The party was saved."))
                return redirect(_version_url(version, language, "parties"))
        return _party_page(request, version, language, form=form, party=party, status=400)
    return _party_page(request, version, language, form=form, party=party)


def _refusal(request, version, exc: ServiceError, anchor):
    messages.error(request, exc.message)
    return redirect(_version_url(version, None, anchor))


@require_POST
def party_remove(request, party_id):
    party = selectors.party_for_edit(user=request.user, party_id=party_id)
    try:
        services.party_remove(by=request.user, party=party)
    except ServiceError as exc:
        return _refusal(request, party.version, exc, "parties")
    messages.success(request, _("The party was removed from this version."))
    return redirect(_version_url(party.version, None, "parties"))


# ---- pathways --------------------------------------------------------------------------------

def _pathway_page(request, version, language, *, form, steps, pathway=None, error="", status=200):
    source = version.source_language
    source_actions = {}
    source_texts = {}
    if pathway is not None and language != source:
        source_texts = {field: getattr(pathway, texts.column(field, source)) or "" for field in ("name", "criteria")}
        source_actions = {step.pk: getattr(step, texts.column("action", source)) or "" for step in pathway.step_list}
    step_rows = []
    for index, step_form in enumerate(steps.forms, start=1):
        step_id = step_form["id"].value()
        try:
            step_id = int(step_id)
        except (TypeError, ValueError):
            step_id = None
        step_rows.append({"form": step_form, "number": index, "source_action": source_actions.get(step_id, "")})
    return render(request, "network/protocols_pathway_form.html", {
        "version": version, "protocol": version.protocol, "language": language, "form": form, "steps": steps,
        "step_rows": step_rows, "pathway": pathway, "error": error, "source": source, "source_texts": source_texts,
        "title": _shown(version.protocol, "title", language, source), "languages": LANGUAGE_CODES,
    }, status=status)


def _posted_steps(formset) -> list[dict]:
    return [{"id": form.cleaned_data.get("id"), "action": form.cleaned_data["action"],
             "responsible_kind": form.cleaned_data["responsible_kind"], "time_limit_hours": form.hours}
            for form in formset.ordered_forms]


def _pathway_error(form, exc: ServiceError) -> str:
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
        return ""
    return exc.message


@require_http_methods(["GET", "POST"])
def pathway_add(request, version_id):
    version = selectors.version_for_edit(user=request.user, version_id=version_id)
    language = version.source_language
    form = PathwayForm(request.POST or None, language=language)
    steps = step_formset(request.POST or None, language=language, extra=3)
    if request.method == "GET":
        return _pathway_page(request, version, language, form=form, steps=steps)
    error = ""
    if form.is_valid() and steps.is_valid():
        try:
            services.pathway_add(by=request.user, version=version, language=language, steps=_posted_steps(steps),
                                 **form.cleaned_data)
        except ServiceError as exc:
            error = _pathway_error(form, exc)
        else:
            messages.success(request, _("The pathway was added."))
            return redirect(_version_url(version, language, "pathways"))
    return _pathway_page(request, version, language, form=form, steps=steps, error=error, status=400)


@require_http_methods(["GET", "POST"])
def pathway_edit(request, pathway_id, language):
    pathway = selectors.pathway_for_edit(user=request.user, pathway_id=pathway_id)
    language = _language_or_deny(language)
    version = pathway.version
    initial = {field: getattr(pathway, texts.column(field, language)) or "" for field in ("name", "criteria")}
    initial.update(entry_point=pathway.entry_point, service=pathway.service, urgent=pathway.urgent)
    form = PathwayForm(request.POST or None, initial=initial, language=language)
    steps = step_formset(request.POST or None, steps=pathway.step_list, language=language, extra=1)
    if request.method == "GET":
        return _pathway_page(request, version, language, form=form, steps=steps, pathway=pathway)
    error = ""
    if form.is_valid() and steps.is_valid():
        try:
            services.pathway_change(by=request.user, pathway=pathway, language=language, steps=_posted_steps(steps),
                                    **form.cleaned_data)
        except ServiceError as exc:
            error = _pathway_error(form, exc)
        else:
            messages.success(request, _("The pathway was saved."))
            return redirect(_version_url(version, language, "pathways"))
    return _pathway_page(request, version, language, form=form, steps=steps, pathway=pathway, error=error, status=400)


@require_POST
def pathway_remove(request, pathway_id):
    pathway = selectors.pathway_for_edit(user=request.user, pathway_id=pathway_id)
    try:
        services.pathway_remove(by=request.user, pathway=pathway)
    except ServiceError as exc:
        return _refusal(request, pathway.version, exc, "pathways")
    messages.success(request, _("The pathway was removed from this version."))
    return redirect(_version_url(pathway.version, None, "pathways"))


# ---- sharing rules ---------------------------------------------------------------------------

def _rule_page(request, version, language, *, form, rule=None, status=200):
    source = version.source_language
    return render(request, "network/protocols_rule_form.html", {
        "version": version, "protocol": version.protocol, "language": language, "form": form, "rule": rule,
        "source": source, "title": _shown(version.protocol, "title", language, source),
        "source_note": (getattr(rule, texts.column("note", source)) or "") if rule is not None and language != source else "",
        "languages": LANGUAGE_CODES,
    }, status=status)


@require_http_methods(["GET", "POST"])
def rule_add(request, version_id):
    version = selectors.version_for_edit(user=request.user, version_id=version_id)
    language = version.source_language
    form = RuleForm(request.POST or None, language=language)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rule_add(by=request.user, version=version, language=language, **form.cleaned_data)
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The sharing rule was added."))
                return redirect(_version_url(version, language, "sharing"))
        return _rule_page(request, version, language, form=form, status=400)
    return _rule_page(request, version, language, form=form)


@require_http_methods(["GET", "POST"])
def rule_edit(request, rule_id, language):
    rule = selectors.rule_for_edit(user=request.user, rule_id=rule_id)
    language = _language_or_deny(language)
    version = rule.version
    initial = {"receiver_kind": rule.receiver_kind, "categories": rule.categories, "legal_basis": rule.legal_basis,
               "note": getattr(rule, texts.column("note", language)) or ""}
    form = RuleForm(request.POST or None, initial=initial, language=language)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rule_change(by=request.user, rule=rule, language=language, **form.cleaned_data)
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The sharing rule was saved."))
                return redirect(_version_url(version, language, "sharing"))
        return _rule_page(request, version, language, form=form, rule=rule, status=400)
    return _rule_page(request, version, language, form=form, rule=rule)


@require_POST
def rule_remove(request, rule_id):
    rule = selectors.rule_for_edit(user=request.user, rule_id=rule_id)
    try:
        services.rule_remove(by=request.user, rule=rule)
    except ServiceError as exc:
        return _refusal(request, rule.version, exc, "sharing")
    messages.success(request, _("The sharing rule was removed from this version."))
    return redirect(_version_url(rule.version, None, "sharing"))
