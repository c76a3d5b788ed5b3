"""The service directory, the editors' side: the entries of her countries (published and not),
searched by name or place and filtered; adding and editing an entry (a shelter never has an
address); putting it in the public directory or taking it out. Entries of other countries are 404."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.portal import selectors
from rete.portal.models import DirectoryEntry, EntryKind, Need
from rete.portal.selectors import directory as directory_selectors
from rete.portal.services import directory as services

PORTAL_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _countries_or_deny(user) -> list[str]:
    countries = selectors.editor_countries(user=user)
    if not countries:
        access.deny()
    return countries


def _label(field):
    return capfirst(DirectoryEntry._meta.get_field(field).verbose_name)


def _help(field):
    return DirectoryEntry._meta.get_field(field).help_text


class DirectoryEntryForm(forms.Form):
    """An entry's details, labelled as the entry's own fields. The same rules as the service
    (services.directory.directory_entry_problems), shown next to the field they concern."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    name = forms.CharField(label=_label("name"), max_length=200)
    kind = forms.ChoiceField(label=_label("kind"), choices=EntryKind.choices)
    country = forms.ChoiceField(label=_label("country"))
    organisation = forms.TypedChoiceField(label=_label("organisation"), coerce=int, required=False, empty_value=None,
                                          help_text=gettext_lazy("Optional: the network's organisation that runs the service, "
                                                                 "in the entry's country."))
    region = forms.CharField(label=_label("region"), max_length=120, required=False)
    city = forms.CharField(label=_label("city"), max_length=120, required=False)
    postal_codes = forms.CharField(label=_label("postal_codes"), max_length=300, required=False, help_text=_help("postal_codes"))
    address = forms.CharField(label=_label("address"), max_length=300, required=False, help_text=_help("address"))
    phone = forms.CharField(label=_label("phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    website = forms.URLField(label=_label("website"), required=False, assume_scheme="https",
                             help_text=gettext_lazy("Shown as text, not as a link: the portal links to no other site."))
    hours = forms.CharField(label=_label("hours"), max_length=200, required=False)
    open_24_7 = forms.BooleanField(label=_label("open_24_7"), required=False)
    languages = forms.MultipleChoiceField(label=_label("languages"), required=False, choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    accessibility = forms.CharField(label=_label("accessibility"), max_length=300, required=False,
                                    help_text=gettext_lazy("For example: step-free access, sign-language interpreting, childcare."))
    needs = forms.MultipleChoiceField(label=_label("needs"), required=False, choices=Need.choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=gettext_lazy("Visitors who search for one of these needs find the entry."))
    description = forms.CharField(label=_label("description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=gettext_lazy("Plain text, a few sentences: what the service offers and how to reach it."))
    published = forms.BooleanField(label=gettext_lazy("Show it in the public directory"), required=False)

    def __init__(self, *args, user, countries, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        labels = dict(Country.choices)
        self.fields["country"].choices = [(code, labels[code]) for code in countries]
        if len(countries) == 1:
            self.fields["country"].initial = countries[0]
        self.organisations = {org.pk: org for org in directory_selectors.directory_organisations(countries=countries)}
        self.fields["organisation"].choices = [("", _("None"))] + [
            (pk, f"{org.name} ({org.get_country_display()})") for pk, org in self.organisations.items()]
        # Languages other than the portal's five (e.g. a helpline's Arabic) are kept as they are.
        self.other_languages = [code for code in (entry.languages if entry else []) if code not in PORTAL_LANGUAGES]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {field: data.get(field) for field in services.ENTRY_FIELDS}
        values["organisation"] = self.organisations.get(data.get("organisation"))
        chosen, needs = set(data.get("languages") or []), set(data.get("needs") or [])
        values["languages"] = [code for code in PORTAL_LANGUAGES if code in chosen] + self.other_languages
        values["needs"] = [code for code in Need.values if code in needs]
        return values

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in services.directory_entry_problems(by=self.user, values=self.values()).items():
                self.add_error(None if field == "__all__" else field, message)
        return data


def _initial(entry) -> dict:
    initial = {field: getattr(entry, field) for field in services.ENTRY_FIELDS}
    initial.update(version=entry.version, organisation=entry.organisation_id,
                   languages=[code for code in entry.languages or [] if code in PORTAL_LANGUAGES])
    return initial


def _shown(field, value):
    """A stored or typed value as the stale-edit panel prints it."""
    from rete.portal.templatetags.portal_directory import language_names

    if value in (None, "", []):
        return ""
    if field == "kind":
        return EntryKind(value).label
    if field == "country":
        return Country(value).label
    if field == "organisation":
        return value.name
    if field == "languages":
        return language_names(value)
    if field == "needs":
        labels = dict(Need.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def _conflict(form, saved) -> list:
    """Her values beside the saved ones, field by field (includes/conflict.html)."""
    mine = form.values()
    return [conflict_row(form.fields[field].label, mine.get(field), getattr(saved, field),
                         show=lambda value, field=field: _shown(field, value)) for field in services.ENTRY_FIELDS]


def _form_page(request, form, *, entry=None, status=200, error=None, conflict=None):
    return render(request, "portal/editor/directory_form.html", {
        "tab": "directory", "form": form, "entry": entry, "error": error, "conflict": conflict,
    }, status=status)


class DirectoryListFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name, place or postal code"), required=False, max_length=100)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    kind = forms.ChoiceField(label=_label("kind"), required=False)
    published = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", gettext_lazy("All")), ("yes", gettext_lazy("Published")), ("no", gettext_lazy("Not published"))])

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Country.choices)
        self.fields["country"].choices = [("", _("All your countries"))] + [(code, labels[code]) for code in countries]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(EntryKind.choices)


@require_safe
def editor_directory(request):
    countries = _countries_or_deny(request.user)
    form = DirectoryListFilter(request.GET or None, countries=countries)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = 400 if form.is_bound and form.errors else 200
    published = {"yes": True, "no": False}.get(filters.get("published", ""))
    entries = directory_selectors.editor_directory(countries=countries, q=filters.get("q", ""),
                                                   country=filters.get("country", ""), kind=filters.get("kind", ""),
                                                   published=published)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/editor/directory_list.html", {
        "tab": "directory", "countries": countries, "form": form, "page": page, "querystring": query.urlencode(),
    }, status=status)


@require_http_methods(["GET", "POST"])
def editor_directory_add(request):
    countries = _countries_or_deny(request.user)
    form = DirectoryEntryForm(request.POST or None, user=request.user, countries=countries)
    if request.method != "POST":
        return _form_page(request, form)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        entry = services.directory_entry_create(by=request.user, **form.values())
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, form, status=400)
    if entry.published:
        messages.success(request, _("The entry was saved. It is in the public directory."))
    else:
        messages.success(request, _("The entry was saved. It is not in the public directory until you publish it."))
    return redirect("portal:editor_directory_edit", entry_id=entry.pk)


@require_http_methods(["GET", "POST"])
def editor_directory_edit(request, entry_id):
    countries = _countries_or_deny(request.user)
    entry = directory_selectors.editor_directory_entry_get(user=request.user, entry_id=entry_id)
    form = DirectoryEntryForm(request.POST or None, initial=_initial(entry), user=request.user, countries=countries,
                              entry=entry)
    if request.method != "POST":
        return _form_page(request, form, entry=entry)
    if not form.is_valid():
        return _form_page(request, form, entry=entry, status=400)
    if not form.cleaned_data.get("version"):
        form.add_error(None, _("This form is incomplete: open the entry again from the list."))
        return _form_page(request, form, entry=entry, status=400)
    try:
        services.directory_entry_update(by=request.user, entry=entry, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        fresh = exc.current
        conflict = _conflict(form, fresh)
        # Her entries stay in the form; the saved version's number lets her save them knowingly.
        post = request.POST.copy()
        post["version"] = str(fresh.version)
        form = DirectoryEntryForm(post, initial=_initial(fresh), user=request.user, countries=countries, entry=fresh)
        form.is_valid()
        return _form_page(request, form, entry=fresh, status=409, conflict=conflict)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, form, entry=entry, status=400)
    messages.success(request, _("The entry was saved."))
    return redirect("portal:editor_directory_edit", entry_id=entry.pk)


def _posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _action_refused(request, entry, countries, message, status):
    form = DirectoryEntryForm(initial=_initial(entry), user=request.user, countries=countries, entry=entry)
    return _form_page(request, form, entry=entry, status=status, error=message)


@require_POST
def editor_directory_publish(request, entry_id):
    """Put the entry in the public directory (publish=1) or take it out (publish=0)."""
    countries = _countries_or_deny(request.user)
    entry = directory_selectors.editor_directory_entry_get(user=request.user, entry_id=entry_id)
    publish = request.POST.get("publish") == "1"
    version = _posted_version(request)
    if version is None:
        return _action_refused(request, entry, countries, _("This form is incomplete: open the entry again from the list."), 400)
    try:
        entry = services.directory_entry_publish(by=request.user, entry=entry, version=version, publish=publish)
    except StaleEdit as exc:
        return _action_refused(request, exc.current, countries,
                               _("Someone changed this entry while you were looking at it. Check it below, then try again."), 409)
    if publish:
        messages.success(request, _("The entry is in the public directory."))
    else:
        messages.success(request, _("The entry was taken out of the public directory."))
    return redirect("portal:editor_directory_edit", entry_id=entry.pk)
