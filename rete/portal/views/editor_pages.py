"""Information pages, the editors' side: the matrix of pages and languages, writing a draft,
preview, submitting for review, review by a second person, and every version's history. An
editor reaches the pages of her organisations' countries only; anything else is 404."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.portal import markup
from rete.portal import selectors as portal_selectors
from rete.portal.models import PageStatus
from rete.portal.selectors import pages as selectors
from rete.portal.services import pages as services
from rete.portal.views.pages import page_context

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


# ---- forms -----------------------------------------------------------------------------------

def _text_fields(form, language=None):
    lang = {"lang": language} if language else {}
    form.fields["title"] = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=lang))
    form.fields["summary"] = forms.CharField(
        label=_("Summary"), max_length=400, required=False,
        help_text=_("One or two sentences, shown in lists and on printed materials."),
        widget=forms.Textarea(attrs={"rows": 2, **lang}))
    form.fields["body"] = forms.CharField(
        label=_("Text"), help_text=_("Paragraphs, headings (## Heading), lists (- item) and links to pages of this site "
                                     "([text](/en/directory/)). Write other sites' addresses as plain text."),
        widget=forms.Textarea(attrs={"rows": 20, **lang}))
    form.fields["change_note"] = forms.CharField(
        label=_("What changed"), max_length=300, required=False,
        help_text=_("A short note for the reviewer and the history, for example \"New opening hours of the helpline\"."))


class PageVersionForm(forms.Form):
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        _text_fields(self, language)


class PageAddForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    slug = forms.SlugField(label=_("Address"), max_length=80,
                           help_text=_("The last part of the page's web address: lower-case letters, digits and hyphens, "
                                       "for example \"protection-orders\"."))
    position = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=32767, initial=100,
                                  help_text=_("Pages are listed from the smallest number up."))
    for_professionals = forms.BooleanField(label=_("For professionals outside the field"), required=False)
    language = forms.ChoiceField(label=_("Language of this first version"), choices=settings.LANGUAGES)

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Country.choices)
        self.fields["country"].choices = [(code, labels[code]) for code in countries]
        self.initial.setdefault("language", (get_language() or "en")[:2])
        _text_fields(self)


class VersionActionForm(forms.Form):
    draft = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", _("Publish")), ("return", _("Return with comments"))])
    comment = forms.CharField(label=_("Comments for the author"), required=False, max_length=4000,
                              help_text=_("Required when you return the version: say what should change."),
                              widget=forms.Textarea(attrs={"rows": 4}))


# ---- helpers ---------------------------------------------------------------------------------



def _add_error(form, exc: ServiceError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _conflict(form, mine: dict, saved):
    return [conflict_row(form.fields[name].label, (mine.get(name) or "").strip(), getattr(saved, name, "") if saved else "")
            for name in ("title", "summary", "body", "change_note")]


# ---- the overview ----------------------------------------------------------------------------

@require_safe
def editor_pages(request):
    countries = portal_selectors.editor_countries_or_deny(user=request.user)
    which = request.GET.get("status", "")
    context = {"tab": "pages", "countries": countries, "which": which, "languages": LANGUAGE_CODES}
    if which in ("in_review", "mine"):
        versions = selectors.page_versions_waiting(user=request.user, countries=countries, which=which)
        context["versions"] = Paginator(versions, 50).get_page(request.GET.get("page"))
        context["querystring"] = f"status={which}"
    else:
        context["which"] = ""
        context["groups"] = selectors.page_matrix(countries=countries, language=get_language())
    return render(request, "portal/editor/pages_list.html", context)


@require_http_methods(["GET", "POST"])
def editor_page_add(request):
    countries = portal_selectors.editor_countries_or_deny(user=request.user)
    form = PageAddForm(request.POST or None, countries=countries)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.page_create(by=request.user, **data)
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The page was created. Its first version is a draft: preview it, "
                                                   "then submit it for review."))
                return redirect("portal:editor_page_edit", page_id=version.page_id, language=version.language)
        return render(request, "portal/editor/pages_add.html", {"form": form, "tab": "pages"}, status=400)
    return render(request, "portal/editor/pages_add.html", {"form": form, "tab": "pages"})


# ---- writing ---------------------------------------------------------------------------------

def _edit_context(page, language, state):
    """Where a new draft starts from: the open (returned) version, the published one, or, for a
    language not written yet, the published text of another language to translate."""
    opened = state["open"]
    source = None
    if opened is not None and opened.status == PageStatus.RETURNED:
        source = opened
    elif state["published"] is not None:
        source = state["published"]
    else:
        source = selectors.translation_source(page=page, language=language)
    translate_from = source if source is not None and source.language != language else None
    return source, translate_from


def _edit_page(request, page, language, *, form=None, state=None, conflict=None, status=200, error=""):
    state = state or selectors.page_state(page=page, language=language)
    opened = state["open"]
    draft = opened if opened is not None and opened.status == PageStatus.DRAFT else None
    source, translate_from = (None, None) if draft else _edit_context(page, language, state)
    if form is None and (draft or opened is None or opened.status == PageStatus.RETURNED):
        if draft:
            initial = {"draft": draft.pk, "version": draft.version, "title": draft.title, "summary": draft.summary,
                       "body": draft.body, "change_note": draft.change_note}
        elif source is not None:
            initial = {"title": source.title, "summary": source.summary, "body": source.body}
        else:
            initial = {}
        form = PageVersionForm(initial=initial, language=language)
    labels = dict(Country.choices)
    shown = state["published"] or opened or translate_from
    return render(request, "portal/editor/pages_edit.html", {
        "tab": "pages", "page": page, "language": language, "state": state, "draft": draft,
        "heading": shown.title if shown is not None else page.slug,
        "in_review": opened if opened is not None and opened.status == PageStatus.IN_REVIEW else None,
        "form": form, "translate_from": translate_from, "conflict": conflict, "error": error,
        "country_name": labels.get(page.country, page.country), "languages": LANGUAGE_CODES,
        "action_form": VersionActionForm(initial={"draft": draft.pk, "version": draft.version}, auto_id=False) if draft else None,
    }, status=status)


@require_http_methods(["GET", "POST"])
def editor_page_edit(request, page_id, language):
    page = selectors.editor_page_get(user=request.user, page_id=page_id)
    language = selectors.editor_language(language)
    if request.method == "GET":
        return _edit_page(request, page, language)
    form = PageVersionForm(request.POST, language=language)
    if not form.is_valid():
        return _edit_page(request, page, language, form=form, status=400)
    data = form.cleaned_data
    try:
        services.page_draft_save(by=request.user, page=page, language=language, draft_id=data["draft"],
                                 version=data["version"], title=data["title"], summary=data["summary"], body=data["body"],
                                 change_note=data["change_note"])
    except StaleEdit as exc:
        saved = exc.current
        conflict = _conflict(form, data, saved)
        post = request.POST.copy()
        # Her entries stay in the form; saving again replaces the saved draft knowingly.
        if saved is not None and saved.status == PageStatus.DRAFT:
            post["draft"], post["version"] = str(saved.pk), str(saved.version)
        else:
            post["draft"], post["version"] = "", ""
        form = PageVersionForm(post, language=language)
        form.is_valid()
        return _edit_page(request, page, language, form=form, conflict=conflict, status=409)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, page, language, form=form, status=400)
    messages.success(request, _("The draft was saved. Only editors see it until it is reviewed and published."))
    return redirect("portal:editor_page_edit", page_id=page.pk, language=language)


def _posted_draft(request, page, language):
    """The draft an action names, checked against the page's open draft: a stale form (the
    draft saved, submitted or discarded since) answers 409 on the edit page."""
    form = VersionActionForm(request.POST)
    state = selectors.page_state(page=page, language=language)
    opened = state["open"]
    if not form.is_valid():
        return None, _edit_page(request, page, language, state=state, status=400,
                                error=_("The form was incomplete: try again."))
    if opened is None or opened.pk != form.cleaned_data["draft"] or opened.status != PageStatus.DRAFT:
        return None, _edit_page(request, page, language, state=state, status=409,
                                error=_("This draft has changed since you opened the page (someone submitted or "
                                               "discarded it). Here is what is there now."))
    return (opened, form.cleaned_data["version"]), None


@require_POST
def editor_page_submit(request, page_id, language):
    page = selectors.editor_page_get(user=request.user, page_id=page_id)
    language = selectors.editor_language(language)
    posted, refusal = _posted_draft(request, page, language)
    if refusal is not None:
        return refusal
    draft, version = posted
    try:
        services.page_submit(by=request.user, draft=draft, version=version)
    except StaleEdit:
        return _edit_page(request, page, language, status=409,
                          error=_("Someone saved this draft after you opened it. Read it again (or preview it) "
                                         "before you submit it."))
    except ServiceError as exc:
        return _edit_page(request, page, language, status=400, error=exc.message)
    messages.success(request, _("The version was submitted for review. Another editor of the country reviews it "
                                       "before it is published."))
    return redirect("portal:editor_page_edit", page_id=page.pk, language=language)


@require_POST
def editor_page_discard(request, page_id, language):
    page = selectors.editor_page_get(user=request.user, page_id=page_id)
    language = selectors.editor_language(language)
    posted, refusal = _posted_draft(request, page, language)
    if refusal is not None:
        return refusal
    draft, version = posted
    try:
        services.page_draft_discard(by=request.user, draft=draft, version=version)
    except StaleEdit:
        return _edit_page(request, page, language, status=409,
                          error=_("Someone saved this draft after you opened it. Read it again before you "
                                         "discard it."))
    except ServiceError as exc:
        return _edit_page(request, page, language, status=400, error=exc.message)
    messages.success(request, _("The draft was discarded."))
    return redirect("portal:editor_page_edit", page_id=page.pk, language=language)


@require_safe
def editor_page_preview(request, page_id, language):
    """The open version (else the published one) exactly as visitors would see it."""
    page = selectors.editor_page_get(user=request.user, page_id=page_id)
    language = selectors.editor_language(language)
    state = selectors.page_state(page=page, language=language)
    version = state["open"] or state["published"]
    if version is None:
        access.deny()
    published = selectors.published_languages(page=page)
    context = page_context(page, version, sorted(set(published) | {language}, key=LANGUAGE_CODES.index), language)
    context.update({"tab": "pages", "language": language, "previewed": version,
                    "is_published": version.status == PageStatus.PUBLISHED})
    return render(request, "portal/editor/pages_preview.html", context)


# ---- review and history ----------------------------------------------------------------------

def _review_page(request, version, *, form=None, status=200):
    published = selectors.published_version(page=version.page, language=version.language)
    if published is not None and published.pk == version.pk:
        compared = selectors.page_version_by_number(page=version.page, language=version.language, number=version.number - 1)
    else:
        compared = published
    return render(request, "portal/editor/pages_review.html", {
        "tab": "pages", "page": version.page, "version": version, "compared": compared,
        "diff": selectors.version_diff(compared, version), "body": markup.render(version.body),
        "refusal": services.review_refusal(user=request.user, version=version),
        "form": form or ReviewForm(), "country_name": dict(Country.choices).get(version.page.country, ""),
    }, status=status)


@require_http_methods(["GET", "POST"])
def editor_page_review(request, page_version_id):
    version = selectors.editor_version_get(user=request.user, version_id=page_version_id)
    if request.method == "GET":
        return _review_page(request, version)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, version, form=form, status=400)
    try:
        if form.cleaned_data["decision"] == "publish":
            services.page_publish(by=request.user, version=version)
        else:
            services.page_return(by=request.user, version=version, comment=form.cleaned_data["comment"])
    except ServiceError as exc:
        _add_error(form, exc)
        return _review_page(request, selectors.editor_version_get(user=request.user, version_id=page_version_id), form=form,
                            status=400)
    if form.cleaned_data["decision"] == "publish":
        messages.success(request, _("Version %(number)s was published: visitors read it now.")
                         % {"number": version.number})
    else:
        messages.success(request, _("Version %(number)s was returned to its author with your comments.")
                         % {"number": version.number})
    return redirect("portal:editor_page_history", page_id=version.page_id, language=version.language)


@require_safe
def editor_page_history(request, page_id, language):
    page = selectors.editor_page_get(user=request.user, page_id=page_id)
    language = selectors.editor_language(language)
    versions = selectors.page_history(page=page, language=language)
    return render(request, "portal/editor/pages_history.html", {
        "tab": "pages", "page": page, "language": language, "versions": versions,
        "country_name": dict(Country.choices).get(page.country, ""),
    })


@require_safe
def editor_page_version(request, page_version_id):
    """One version as it reads, with its details; ?compare=<number> shows what changed between
    it and another version of the page in the same language."""
    version = selectors.editor_version_get(user=request.user, version_id=page_version_id)
    compared = None
    if request.GET.get("compare"):
        compared = selectors.page_version_by_number(page=version.page, language=version.language,
                                                    number=request.GET["compare"])
    diff = None
    if compared is not None and compared.pk != version.pk:
        older, newer = sorted([compared, version], key=lambda v: v.number)
        diff = {"older": older, "newer": newer, **selectors.version_diff(older, newer)}
    return render(request, "portal/editor/pages_version.html", {
        "tab": "pages", "page": version.page, "version": version, "body": markup.render(version.body), "diff": diff,
        "compare_missing": bool(request.GET.get("compare")) and diff is None,
        "compare_value": str(compared.number) if compared is not None and compared.pk != version.pk else "",
        "country_name": dict(Country.choices).get(version.page.country, ""),
    })
