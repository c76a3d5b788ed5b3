"""Information materials, the editors' side: the list, adding and editing a material (composed
from an information page of her countries), and the staff preview of its PDF in each language
the page is published in (not counted as a download; recorded in the audit trail)."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.documents import pdf_response
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.portal import selectors
from rete.portal.models import MaterialKind
from rete.portal.selectors import events as event_selectors
from rete.portal.selectors import materials as material_selectors
from rete.portal.services import materials as services




class MaterialForm(forms.Form):
    """A material's composition. The same rules as the service (services.materials.material_problems)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200,
                           help_text=gettext_lazy("For the team; the printed title is the page's title."))
    kind = forms.ChoiceField(label=gettext_lazy("Format"), choices=MaterialKind.choices, widget=forms.RadioSelect,
                             help_text=gettext_lazy("A leaflet prints the page's whole text; a poster and a card its title and summary."))
    page = forms.TypedChoiceField(label=gettext_lazy("Information page"), coerce=int,
                                  help_text=gettext_lazy("The material is generated in every language this page is published in."))
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    campaign = forms.TypedChoiceField(label=gettext_lazy("Campaign"), coerce=int, required=False, empty_value=None,
                                      help_text=gettext_lazy("Optional: visits from the material's QR code are then counted for the campaign."))
    show_directory = forms.BooleanField(label=gettext_lazy("List the country's services"), required=False,
                                        help_text=gettext_lazy("Up to eight services of the directory with their phone numbers (never a shelter's address)."))
    published = forms.BooleanField(label=gettext_lazy("Offer it for download on the portal"), required=False)

    def __init__(self, *args, user, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        labels = dict(Country.choices)
        self.pages = {page.pk: page for page in material_selectors.editor_pages(countries=countries)}
        self.fields["page"].choices = [("", "—")] + [
            (pk, f"{page.title or page.slug} ({labels[page.country]}, {page.slug})") for pk, page in self.pages.items()]
        organisations = {}
        for organisation in selectors.editor_organisations(user=user):
            organisations.setdefault(organisation.pk, organisation)
        self.organisations = organisations
        self.fields["organisation"].choices = [(pk, f"{org.name} ({org.get_country_display()})") for pk, org in organisations.items()]
        self.campaigns = {campaign.pk: campaign for campaign in event_selectors.editor_campaigns(countries=countries)}
        self.fields["campaign"].choices = [("", _("None"))] + [
            (pk, f"{campaign.name} ({campaign.get_country_display()})") for pk, campaign in self.campaigns.items()]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {field: data.get(field) for field in services.MATERIAL_FIELDS}
        values["page"] = self.pages.get(data.get("page"))
        values["organisation"] = self.organisations.get(data.get("organisation"))
        values["campaign"] = self.campaigns.get(data.get("campaign"))
        return values

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in services.material_problems(by=self.user, values=self.values()).items():
                self.add_error(field, message)
        return data


def _initial(material) -> dict:
    initial = {field: getattr(material, field) for field in ("name", "kind", "show_directory", "published")}
    initial.update(version=material.version, page=material.page_id, organisation=material.organisation_id,
                   campaign=material.campaign_id)
    return initial


def _conflict(form, saved) -> list:
    mine = form.values()

    def shown(field, value):
        if value in (None, ""):
            return ""
        if field == "kind":
            return MaterialKind(value).label
        if field in ("show_directory", "published"):
            return _("Yes") if value else _("No")
        if field == "page":
            return f"{value.country} · {value.slug}"
        if field in ("organisation", "campaign"):
            return value.name
        return value

    rows = []
    for field in services.MATERIAL_FIELDS:
        ours, theirs = mine.get(field), getattr(saved, field)
        if field in ("show_directory", "published"):
            rows.append({"label": form.fields[field].label, "mine": shown(field, ours), "saved": shown(field, theirs),
                         "differs": bool(ours) != bool(theirs)})
        else:
            rows.append(conflict_row(form.fields[field].label, ours, theirs, show=lambda value, field=field: shown(field, value)))
    return rows


def _form_page(request, form, *, material=None, status=200, error=None, conflict=None):
    return render(request, "portal/editor/materials_form.html", {
        "tab": "materials", "form": form, "material": material, "error": error, "conflict": conflict,
        "language_rows": _language_rows(material) if material is not None else [],
    }, status=status)


def _language_rows(material) -> list[dict]:
    available = dict(material.languages)
    return [{"code": code, "name": name, "version": available.get(code)} for code, name in settings.LANGUAGES]


@require_safe
def editor_materials(request):
    countries = selectors.editor_countries_or_deny(user=request.user)
    country = request.GET.get("country", "").upper()
    country = country if country in countries else ""
    items = material_selectors.with_languages(list(material_selectors.editor_materials(countries=countries, country=country)[:500]))
    labels = dict(Country.choices)
    return render(request, "portal/editor/materials_list.html", {
        "tab": "materials", "countries": [{"code": code, "name": labels[code], "current": code == country} for code in countries],
        "materials": items, "languages": settings.LANGUAGES, "country": country,
    })


@require_http_methods(["GET", "POST"])
def editor_material_add(request):
    countries = selectors.editor_countries_or_deny(user=request.user)
    form = MaterialForm(request.POST or None, user=request.user, countries=countries,
                        initial={"kind": MaterialKind.LEAFLET, "show_directory": True})
    if request.method != "POST":
        return _form_page(request, form)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        material = services.material_create(by=request.user, **form.values())
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, form, status=400)
    messages.success(request, _("The material was saved."))
    return redirect("portal:editor_material_edit", material_id=material.pk)


@require_http_methods(["GET", "POST"])
def editor_material_edit(request, material_id):
    countries = selectors.editor_countries_or_deny(user=request.user)
    material = material_selectors.editor_material_get(user=request.user, material_id=material_id)
    form = MaterialForm(request.POST or None, initial=_initial(material), user=request.user, countries=countries)
    if request.method != "POST":
        return _form_page(request, form, material=material)
    if not form.is_valid():
        return _form_page(request, form, material=material, status=400)
    if not form.cleaned_data.get("version"):
        form.add_error(None, _("This form is incomplete: open the material again from the list."))
        return _form_page(request, form, material=material, status=400)
    try:
        services.material_update(by=request.user, material=material, version=form.cleaned_data["version"], **form.values())
    except StaleEdit as exc:
        conflict = _conflict(form, exc.current)
        post = request.POST.copy()
        post["version"] = str(exc.current.version)
        form = MaterialForm(post, initial=_initial(exc.current), user=request.user, countries=countries)
        form.is_valid()
        fresh = material_selectors.editor_material_get(user=request.user, material_id=material.pk)
        return _form_page(request, form, material=fresh, status=409, conflict=conflict)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_page(request, form, material=material, status=400)
    messages.success(request, _("The material was saved."))
    return redirect("portal:editor_material_edit", material_id=material.pk)


@require_safe
def editor_material_pdf(request, material_id, language):
    """The staff preview: generated afresh (never from the cache), not counted, audited."""
    selectors.editor_countries_or_deny(user=request.user)
    if language not in dict(settings.LANGUAGES):
        access.deny()
    material = material_selectors.editor_material_get(user=request.user, material_id=material_id)
    version = material_selectors.published_version(material=material, language=language)
    content = services.material_pdf(material=material, version=version, language=language, cached=False)
    services.material_printed(by=request.user, material=material, language=language)
    return pdf_response(content, services.material_filename(material=material, language=language))
