"""Good practices, the staff pages (part "practice-records"): the list with search and filters,
sharing a new practice, its page in the reader's language (with the sections other parts add:
review, pilots), editing its source text, translating it field by field, submitting it to the
network's review, and its files.

Policy: a practice out of her reach is 404 everywhere (selectors.practices.practice_get). A
practice she reads but may not change (someone else's, or her own while it is reviewed or
published) sends the edit and translation pages back to the practice's page with a message
saying why (302). Reads go through selectors, writes through services."""
import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.cases import documents
from rete.core import access as core_access
from rete.core.conflict import conflict_row
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.learning import states
from rete.learning.forms_practice_records import (AttachmentForm, PracticeAddForm, PracticeEditForm, PracticeFilterForm,
                                                  TranslationForm, VersionTokenForm, label, source_text)
from rete.learning.models import PRACTICE_TEXT_FIELDS, Pillar, TargetGroup, ViolenceForm
from rete.learning.selectors import practice_records as records
from rete.learning.selectors import practices as selectors
from rete.learning.services import practice_records as record_services
from rete.learning.services import practices as services
from rete.learning.views.sections import render_sections

LANGUAGE_CODES = records.LANGUAGE_CODES
PAGE_SIZE = 25
TARGET_GROUPS = dict(TargetGroup.choices)
VIOLENCE_FORMS = dict(ViolenceForm.choices)


def _her_language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in LANGUAGE_CODES else "en"


def _shown(practice, field, language) -> dict:
    """A text for the page: in `language`, else in the language it is written in (with a note)."""
    from rete.network import texts

    shown = texts.get(practice, field, language, source=practice.source_language)
    return {"text": shown.text, "language": shown.language, "fallback": bool(shown.text) and shown.language != language}


def _facets(practice) -> dict:
    return {"target_groups": [TARGET_GROUPS.get(v, v) for v in selectors.facet_values(practice, "target_group")],
            "violence_forms": [VIOLENCE_FORMS.get(v, v) for v in selectors.facet_values(practice, "violence_form")]}


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _detail_url(practice, language="", anchor=""):
    url = reverse("learning:practice_detail", kwargs={"practice_id": practice.pk})
    if language:
        url += f"?lang={language}"
    return url + (f"#{anchor}" if anchor else "")


def _why_not_editable(request, practice) -> str:
    if records.owns(user=request.user, practice=practice) and practice.status not in states.EDITABLE:
        return _("This practice is being reviewed or has been published: its text and files can no longer be "
                 "changed. It can still be translated.")
    return _("Only the members of the organisation that shared this practice can change it.")


# ---- the list --------------------------------------------------------------------------------

@require_safe
def practice_list(request):
    language = _her_language()
    form = PracticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = records.record_list(
        user=request.user, mine=bool(filters.get("mine")), query=filters.get("q", ""),
        country=filters.get("country", ""), pillar=filters.get("pillar", ""),
        target_group=filters.get("target_group", ""), violence_form=filters.get("violence_form", ""),
        status=filters.get("status", ""))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [{"practice": practice, "title": _shown(practice, "title", language), **_facets(practice)}
                        for practice in page.object_list]
    query = {name: ("on" if value is True else value) for name, value in filters.items() if value}
    return render(request, "learning/practice_records_list.html", {
        "form": form, "page": page, "querystring": urlencode(query), "language": language,
        "filtered": bool(query), "may_share": bool(selectors.shares_practices(user=request.user)),
    })


# ---- a new practice --------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def practice_add(request):
    organisations = selectors.shares_practices(user=request.user)
    if not organisations:
        core_access.deny()
    form = PracticeAddForm(request.POST or None, organisations=organisations, language=_her_language())
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                practice = services.practice_create(
                    by=request.user, organisation=form.organisations[data["organisation"]],
                    source_language=data["source_language"], country=data["country"], pillar=data["pillar"],
                    texts_by_field=form.texts(), facets=form.facets(), contact=data["contact"],
                    started_on=data["started_on"], public=data["public"])
            except ServiceError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The practice was saved as a draft. Only your organisation sees it until "
                                            "you submit it to the network's review."))
                return redirect(_detail_url(practice))
        return render(request, "learning/practice_records_add.html", {"form": form}, status=400)
    return render(request, "learning/practice_records_add.html", {"form": form})


# ---- the practice's page ---------------------------------------------------------------------

def _detail_page(request, practice, *, status=200, error=None, attachment_form=None):
    requested = request.GET.get("lang", "")
    language = requested if requested in LANGUAGE_CODES else _her_language()
    source = practice.source_language
    stale = records.stale_in(practice, language)
    title = _shown(practice, "title", language)
    fields = [{"name": name, "label": label(name), **_shown(practice, name, language), "stale": name in stale}
              for name in PRACTICE_TEXT_FIELDS if name != "title"]
    may_edit = selectors.may_edit(user=request.user, practice=practice)
    may_translate = selectors.may_translate(user=request.user, practice=practice)
    translate_to = language if language != source else next((c for c in LANGUAGE_CODES if c != source), "")
    return render(request, "learning/practice_records_detail.html", {
        "practice": practice, "language": language, "source": source, "title": title,
        "title_stale": "title" in stale, "fields": fields, **_facets(practice),
        "languages": records.languages_with_text(practice),
        "may_edit": may_edit, "may_translate": may_translate, "translate_to": translate_to,
        "may_manage_attachments": records.may_manage_attachments(user=request.user, practice=practice),
        "attachments": records.attachment_list(practice=practice),
        "attachment_form": attachment_form or AttachmentForm(),
        "max_size": documents.human_size(documents.max_bytes()), "allowed_types": documents.ALLOWED_DESCRIPTION,
        "history": records.state_history(practice=practice),
        "token_form": VersionTokenForm(initial={"version": practice.version}, auto_id=False),
        "error": error, "sections": render_sections(request, "practice", practice),
    }, status=status)


@require_safe
def practice_detail(request, practice_id):
    practice = selectors.practice_get(user=request.user, pk=practice_id)
    return _detail_page(request, practice)


@require_POST
def practice_submit(request, practice_id):
    practice = selectors.practice_get(user=request.user, pk=practice_id)
    form = VersionTokenForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, practice, status=400, error=_("The page was out of date: try again."))
    try:
        services.practice_submit(by=request.user, practice=practice, version=form.cleaned_data["version"])
    except StaleEdit:
        fresh = selectors.practice_get(user=request.user, pk=practice.pk)
        return _detail_page(request, fresh, status=409,
                            error=_("Someone changed the practice while you were reading it. Check it, then submit "
                                    "it again."))
    except ServiceError as exc:
        return _detail_page(request, practice, status=400, error=exc.message)
    messages.success(request, _("The practice was submitted to the network's review. Its text can no longer be "
                                "changed unless the reviewers return it to you."))
    return redirect(_detail_url(practice))


# ---- editing the source text -----------------------------------------------------------------

def _edit_page(request, practice, form, *, status=200, conflict=None):
    return render(request, "learning/practice_records_edit.html", {
        "practice": practice, "form": form, "conflict": conflict, "source": practice.source_language,
    }, status=status)


def _labels(choices):
    names = dict(choices)
    return lambda values: ", ".join(str(names.get(v, v)) for v in values or ())


def _edit_conflict(form, data, saved) -> list[dict]:
    rows = [conflict_row(form.fields[name].label, (data.get(name) or "").strip(), source_text(saved, name))
            for name in PRACTICE_TEXT_FIELDS]
    countries, pillars = dict(Country.choices), dict(Pillar.choices)
    rows += [
        conflict_row(form.fields["country"].label, data.get("country"), saved.country,
                     show=lambda v: countries.get(v, v or "")),
        conflict_row(form.fields["pillar"].label, data.get("pillar"), saved.pillar,
                     show=lambda v: pillars.get(v, v or "")),
        conflict_row(form.fields["target_groups"].label, sorted(data.get("target_groups") or []),
                     sorted(selectors.facet_values(saved, "target_group")), show=_labels(TargetGroup.choices)),
        conflict_row(form.fields["violence_forms"].label, sorted(data.get("violence_forms") or []),
                     sorted(selectors.facet_values(saved, "violence_form")), show=_labels(ViolenceForm.choices)),
        conflict_row(form.fields["contact"].label, (data.get("contact") or "").strip(), saved.contact),
        conflict_row(form.fields["started_on"].label, data.get("started_on"), saved.started_on,
                     show=lambda v: date_format(v, "SHORT_DATE_FORMAT") if v else ""),
        conflict_row(form.fields["public"].label, bool(data.get("public")), bool(saved.public),
                     show=lambda v: _("Yes") if v else _("No")),
    ]
    return rows


@require_http_methods(["GET", "POST"])
def practice_edit(request, practice_id):
    practice = selectors.practice_get(user=request.user, pk=practice_id)
    if not selectors.may_edit(user=request.user, practice=practice):
        messages.warning(request, _why_not_editable(request, practice))
        return redirect(_detail_url(practice))
    language = practice.source_language
    if request.method == "GET":
        form = PracticeEditForm(initial=PracticeEditForm.initial_for(practice, selectors.facet_values), language=language)
        return _edit_page(request, practice, form)
    form = PracticeEditForm(request.POST, language=language)
    if not form.is_valid():
        return _edit_page(request, practice, form, status=400)
    data = form.cleaned_data
    try:
        services.practice_update(by=request.user, practice=practice, version=data["version"], country=data["country"],
                                 pillar=data["pillar"], texts_by_field=form.texts(), facets=form.facets(),
                                 contact=data["contact"], started_on=data["started_on"], public=data["public"])
    except StaleEdit:
        saved = selectors.practice_get(user=request.user, pk=practice.pk)
        conflict = _edit_conflict(form, data, saved)
        post = request.POST.copy()
        post["version"] = str(saved.version)
        form = PracticeEditForm(post, language=language)
        form.is_valid()
        return _edit_page(request, saved, form, status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _edit_page(request, practice, form, status=400)
    messages.success(request, _("The practice was saved."))
    return redirect(_detail_url(practice))


# ---- translating -----------------------------------------------------------------------------

def _translate_page(request, practice, language, form, *, status=200, conflict=None):
    stale = records.stale_in(practice, language)
    rows = [{"field": form[name], "source_text": source_text(practice, name), "stale": name in stale}
            for name in PRACTICE_TEXT_FIELDS]
    return render(request, "learning/practice_records_translate.html", {
        "practice": practice, "language": language, "source": practice.source_language, "form": form, "rows": rows,
        "title": _shown(practice, "title", language), "conflict": conflict,
        "languages": [{"code": code, "status": records.language_status(practice, code)} for code in LANGUAGE_CODES],
    }, status=status)


@require_http_methods(["GET", "POST"])
def practice_translate(request, practice_id, practice_language):
    practice = selectors.practice_get(user=request.user, pk=practice_id)
    language = practice_language
    if language not in LANGUAGE_CODES:
        core_access.deny()
    if not selectors.may_translate(user=request.user, practice=practice):
        messages.warning(request, _("Only the members of the organisation that shared this practice, and the "
                                    "network's coordinators once it is submitted, can translate it."))
        return redirect(_detail_url(practice))
    if language == practice.source_language:
        if selectors.may_edit(user=request.user, practice=practice):
            return redirect("learning:practice_edit", practice_id=practice.pk)
        messages.warning(request, _("This is the language the practice is written in: its text can no longer be "
                                    "changed."))
        return redirect(_detail_url(practice))
    if request.method == "GET":
        initial = {name: records.text_in(practice, name, language) for name in PRACTICE_TEXT_FIELDS}
        form = TranslationForm(initial={**initial, "version": practice.version}, language=language)
        return _translate_page(request, practice, language, form)
    form = TranslationForm(request.POST, language=language)
    if not form.is_valid():
        return _translate_page(request, practice, language, form, status=400)
    try:
        services.practice_translate(by=request.user, practice=practice, version=form.cleaned_data["version"],
                                    language=language, texts_by_field=form.texts())
    except StaleEdit:
        saved = selectors.practice_get(user=request.user, pk=practice.pk)
        conflict = [conflict_row(form.fields[name].label, (form.cleaned_data.get(name) or "").strip(),
                                 records.text_in(saved, name, language)) for name in PRACTICE_TEXT_FIELDS]
        post = request.POST.copy()
        post["version"] = str(saved.version)
        form = TranslationForm(post, language=language)
        form.is_valid()
        return _translate_page(request, saved, language, form, status=409, conflict=conflict)
    except ServiceError as exc:
        _add_error(form, exc)
        return _translate_page(request, practice, language, form, status=400)
    from rete.core.templatetags.rete import language_name

    messages.success(request, _("The translation into %(language)s was saved.") % {"language": language_name(language)})
    return redirect(_detail_url(practice, language))


# ---- files -----------------------------------------------------------------------------------

def _upload_view(view):
    """An upload: a request far beyond the size limit is refused before its body is read (413),
    files stay in memory up to the limit (no plaintext temporary file), and the CSRF check runs
    once the upload handler is in place (as rete.cases.views does)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, practice_id):
        practice = selectors.practice_get(user=request.user, pk=practice_id)
        if not records.owns(user=request.user, practice=practice):
            core_access.deny()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > documents.max_bytes() + documents.REQUEST_MARGIN_BYTES:
            # The body is not read: her title is lost with it, the page says why.
            form = AttachmentForm({})
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", documents.too_large_message())
            return _detail_page(request, practice, status=413, attachment_form=form)
        request.upload_handlers = [documents.CappedMemoryUploadHandler(request)]
        return protected(request, practice)

    return wrapper


@require_POST
@_upload_view
def practice_attachment_add(request, practice):
    form = AttachmentForm(request.POST, request.FILES)
    if getattr(request, "rete_upload_too_large", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", documents.too_large_message())
        return _detail_page(request, practice, status=400, attachment_form=form)
    if not form.is_valid():
        return _detail_page(request, practice, status=400, attachment_form=form)
    upload = form.cleaned_data["file"]
    try:
        record_services.practice_attachment_add(by=request.user, practice=practice, filename=upload.name,
                                                data=upload.read(), title=form.cleaned_data["title"])
    except ServiceError as exc:
        _add_error(form, exc)
        return _detail_page(request, practice, status=400, attachment_form=form)
    messages.success(request, _("The file was added."))
    return redirect(_detail_url(practice, anchor="attachments"))


@require_safe
def practice_attachment_download(request, practice_id, practice_attachment_id):
    """Always a download, never shown in the browser; audited."""
    practice = selectors.practice_get(user=request.user, pk=practice_id)
    attachment = records.attachment_get(practice=practice, pk=practice_attachment_id, with_content=True)
    record_services.practice_attachment_record_download(by=request.user, practice=practice, attachment=attachment)
    data = bytes(attachment.content)
    response = HttpResponse(data, content_type=documents.download_type(attachment.content_type))
    response["Content-Disposition"] = documents.content_disposition(attachment.filename)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def practice_attachment_delete(request, practice_id, practice_attachment_id):
    practice = selectors.practice_get(user=request.user, pk=practice_id)
    try:
        record_services.practice_attachment_delete(by=request.user, practice=practice,
                                                   attachment_id=practice_attachment_id)
    except ServiceError as exc:
        return _detail_page(request, practice, status=400, error=exc.message)
    messages.success(request, _("The file was removed."))
    return redirect(_detail_url(practice, anchor="attachments"))
