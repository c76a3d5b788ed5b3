"""Pages of the EIGE review (part "practice-review"): the queue of practices waiting for a step,
the review grids (list, page, editor, copy, activation), the "Review" section of the practice
page with its forms and the reviewer's page with the scoring form, and the public portal's
pages of published practices their owners chose to make public.

Reads go through selectors/review.py (and the spine's selectors/practices.py), writes through
services/review.py; a refusal the person can act on re-renders the review page with her entries
and the message (400); anything out of her reach is a 404."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core.conflict import conflict_row
from rete.core.decorators import public_page
from rete.core.services import ServiceError, StaleEdit
from rete.learning import forms_review as forms
from rete.learning.models import (PRACTICE_TEXT_FIELDS, CriterionKind, Facet, PracticeStatus, TargetGroup,
                                  ViolenceForm)
from rete.learning.selectors import pilots as pilot_selectors
from rete.learning.selectors import practices as practice_selectors
from rete.learning.selectors import review as selectors
from rete.learning.services import review as services
from rete.learning.views.sections import register_section
from rete.network import texts

PUBLIC_PAGE_SIZE = 20


def _language() -> str:
    return translation.get_language() or "en"


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _shown(obj, field, language, source="") -> dict:
    shown = texts.get(obj, field, language, source=source)
    return {"text": shown.text, "language": shown.language, "fallback": bool(shown.text) and shown.language != language}


def _title(practice, language=None) -> dict:
    return _shown(practice, "title", language or _language(), practice.source_language)


def _practice_url(practice) -> str:
    """The practice's page (part "practice-records"); the review page until it exists."""
    try:
        return reverse("learning:practice_detail", kwargs={"practice_id": practice.pk})
    except NoReverseMatch:
        return reverse("learning:practice_review", kwargs={"practice_id": practice.pk})


def _criterion_rows(criteria, language) -> list[dict]:
    return [{"pk": c.pk, "key": c.key, "kind": c.kind, "weight": c.weight, "max_score": c.max_score,
             "label": selectors.criterion_text(c, "label", language),
             "guidance": selectors.criterion_text(c, "guidance", language)} for c in criteria]


# ---- the review section and the review page ----------------------------------------------------

def _check_rows(checks, criteria_by_grid, language) -> list[dict]:
    rows = []
    for check in checks:
        labels = {c.key: selectors.criterion_text(c, "label", language)["text"]
                  for c in criteria_by_grid.get(check.grid_id, []) if c.kind == CriterionKind.BASIC}
        answers = [{"label": labels.get(key, key), "met": bool(value)} for key, value in (check.answers or {}).items()]
        rows.append({"check": check, "answers": answers})
    return rows


def _review_matrix(criteria, reviews_) -> list[dict]:
    return [{"criterion": row, "scores": [r.scores.get(row["key"]) for r in reviews_]}
            for row in criteria if row["kind"] == CriterionKind.SCORED]


def review_context(request, practice, *, bound=None, error=None) -> dict | None:
    """What the review section shows her (None: nothing, she neither owns, reviews nor decides).
    `bound` replaces the blank forms with hers after a refused post ({"check": form, …})."""
    user, language = request.user, _language()
    role = selectors.viewer(user=user, practice=practice)
    if role is None:
        return None
    context = {"role": role, "practice": practice, "error": error, "status_label": practice.get_status_display()}
    if practice.status == PracticeStatus.DRAFT:
        return context
    record = selectors.review_record(practice=practice, with_reviews=role == "reviewer")
    criteria = _criterion_rows(record["criteria"], language)
    context.update(record=record, aggregate=record["aggregate"], needed=record["needed"],
                   proposal=record["proposal"], proposal_label=forms.DECISION_LABELS.get(record["proposal"], ""),
                   decisions=record["decisions"], grid=record["grid"],
                   basic=[c for c in criteria if c["kind"] == CriterionKind.BASIC],
                   scored=[c for c in criteria if c["kind"] == CriterionKind.SCORED])
    if role != "reviewer":
        return context
    bound = bound or {}
    decider, reviewer = selectors.decides(user=user), selectors.reviews(user=user)
    context.update(checks=_check_rows(record["checks"], record["check_criteria"], language),
                   reviews=record["reviews"], matrix=_review_matrix(criteria, record["reviews"]),
                   earlier_reviews=record["earlier_reviews"], decider=decider)
    status = practice.status
    if decider and status == PracticeStatus.SUBMITTED:
        active = selectors.active_grid()
        active_criteria = _criterion_rows(active.criteria.all(), language) if active else []
        context["active_grid"] = active
        context["check_form"] = bound.get("check") or forms.CheckForm(criteria=active_criteria)
    if reviewer and status == PracticeStatus.IN_REVIEW:
        context["may_review"] = user.pk not in record["reviewer_ids"]
        if context["may_review"] and bound.get("review_page"):
            context["review_form"] = bound.get("review") or forms.ReviewForm(criteria=criteria)
    if decider and services.conclusions_for(status):
        context["conclude_form"] = bound.get("conclude") or forms.ConcludeForm(status=status)
    if decider and status == PracticeStatus.PROMISING:
        context["select_form"] = bound.get("select") or forms.SelectForm()
    if decider and status in (PracticeStatus.SELECTED, PracticeStatus.WITHDRAWN):
        context["may_publish"] = True
    if decider and status == PracticeStatus.PUBLISHED:
        context["withdraw_form"] = bound.get("withdraw") or forms.WithdrawForm()
    return context


register_section("practice", "review", order=40, template="learning/review_section.html", context=review_context)


def _review_page(request, practice, *, bound=None, error=None, status=200):
    section = review_context(request, practice, bound=bound, error=error) or {"role": None, "error": error}
    return render(request, "learning/review_page.html", {
        **section, "practice": practice, "title": _title(practice), "practice_url": _practice_url(practice),
        "on_review_page": True,
    }, status=status)


@require_http_methods(["GET", "POST"])
def practice_review(request, practice_id):
    practice = selectors.practice_for_review(user=request.user, pk=practice_id)
    if request.method == "GET":
        return _review_page(request, practice, bound={"review_page": True})
    criteria = _criterion_rows(practice.grid.criteria.all(), _language()) if practice.grid else []
    form = forms.ReviewForm(request.POST, criteria=criteria)
    bound = {"review_page": True, "review": form}
    if not form.is_valid():
        return _review_page(request, practice, bound=bound, status=400)
    try:
        services.practice_review_submit(by=request.user, practice=practice, scores=form.scores(),
                                        comment=form.cleaned_data["comment"])
    except ServiceError as exc:
        if exc.field in form.fields:
            _add_error(form, exc)
            return _review_page(request, practice, bound=bound, status=400)
        return _review_page(request, practice, bound=bound, error=exc.message, status=400)
    messages.success(request, _("Your review was saved. Thank you."))
    return redirect(reverse("learning:practice_review", kwargs={"practice_id": practice.pk}))


def _step(request, practice, *, key, form, act, success):
    """A review step posted from the section: her form again with the refusal (400), or back to
    the practice with a message."""
    if form is not None and not form.is_valid():
        return _review_page(request, practice, bound={key: form}, status=400)
    try:
        act(practice)
    except ServiceError as exc:
        if form is not None and exc.field in form.fields:
            _add_error(form, exc)
            return _review_page(request, practice, bound={key: form}, status=400)
        return _review_page(request, practice, bound={key: form} if form is not None else None, error=exc.message,
                            status=400)
    messages.success(request, success)
    return redirect(_practice_url(practice))


def _practice(request, practice_id):
    return practice_selectors.practice_get(user=request.user, pk=practice_id)


@require_POST
def practice_check(request, practice_id):
    practice = _practice(request, practice_id)
    active = selectors.active_grid()
    criteria = _criterion_rows(active.criteria.all(), _language()) if active else []
    form = forms.CheckForm(request.POST, criteria=criteria)
    return _step(request, practice, key="check", form=form,
                 act=lambda p: services.practice_check(by=request.user, practice=p, answers=form.answers(),
                                                       note=form.cleaned_data["note"]),
                 success=_("The basic check was recorded."))


@require_POST
def practice_conclude(request, practice_id):
    practice = _practice(request, practice_id)
    form = forms.ConcludeForm(request.POST, status=practice.status)
    return _step(request, practice, key="conclude", form=form,
                 act=lambda p: services.practice_conclude(by=request.user, practice=p,
                                                          decision=form.cleaned_data["decision"],
                                                          reason=form.cleaned_data["reason"]),
                 success=_("The decision was recorded."))


@require_POST
def practice_select(request, practice_id):
    form = forms.SelectForm(request.POST)
    return _step(request, _practice(request, practice_id), key="select", form=form,
                 act=lambda p: services.practice_select(by=request.user, practice=p, reason=form.cleaned_data["reason"]),
                 success=_("The practice was recorded as selected by the stakeholders."))


@require_POST
def practice_publish(request, practice_id):
    return _step(request, _practice(request, practice_id), key="publish", form=None,
                 act=lambda p: services.practice_publish(by=request.user, practice=p),
                 success=_("The practice was published."))


@require_POST
def practice_withdraw(request, practice_id):
    form = forms.WithdrawForm(request.POST)
    return _step(request, _practice(request, practice_id), key="withdraw", form=form,
                 act=lambda p: services.practice_withdraw(by=request.user, practice=p,
                                                          reason=form.cleaned_data["reason"]),
                 success=_("The practice was withdrawn."))


# ---- the queue -------------------------------------------------------------------------------

QUEUE_GROUPS = (
    ("check", gettext_lazy("Waiting for the basic check")),
    ("review", gettext_lazy("Waiting for your review")),
    ("conclude", gettext_lazy("Reviews in: ready to conclude")),
    ("promising", gettext_lazy("Promising: waiting for the stakeholders' selection")),
    ("selected", gettext_lazy("Selected: ready to publish")),
)


@require_safe
def review_queue(request):
    groups = selectors.review_queue(user=request.user)
    language = _language()
    shown = []
    for key, label in QUEUE_GROUPS:
        if key not in groups:
            continue
        rows = [{"practice": p, "title": _title(p, language)} for p in groups[key]["rows"]]
        shown.append({"key": key, "label": label, "rows": rows, "more": groups[key]["more"]})
    return render(request, "learning/review_queue.html", {
        "groups": shown, "decider": selectors.decides(user=request.user), "limit": selectors.QUEUE_LIMIT,
    })


# ---- grids -----------------------------------------------------------------------------------

@require_safe
def grid_list(request):
    return render(request, "learning/review_grid_list.html", {"grids": selectors.grid_list(user=request.user)})


def _grid_url(grid) -> str:
    return reverse("learning:grid_detail", kwargs={"grid_id": grid.pk})


def _grid_page(request, grid, *, error=None, status=200):
    criteria = _criterion_rows(grid.criteria.all(), _language())
    return render(request, "learning/review_grid_detail.html", {
        "grid": grid, "error": error,
        "basic": [c for c in criteria if c["kind"] == CriterionKind.BASIC],
        "scored": [c for c in criteria if c["kind"] == CriterionKind.SCORED],
    }, status=status)


@require_safe
def grid_detail(request, grid_id):
    return _grid_page(request, selectors.grid_get(user=request.user, pk=grid_id))


def _criterion_initial(grid, language) -> list[dict]:
    rows = []
    for c in grid.criteria.all():
        row = {"id": c.pk, "kind": c.kind, "label_en": c.label_en or "", "guidance_en": c.guidance_en or "",
               "weight": c.weight if c.kind == CriterionKind.SCORED else None,
               "max_score": c.max_score if c.kind == CriterionKind.SCORED else None}
        if language != "en":
            row["label_local"] = getattr(c, texts.column("label", language), "") or ""
            row["guidance_local"] = getattr(c, texts.column("guidance", language), "") or ""
        rows.append(row)
    return rows


def _criteria_text(items) -> str:
    """The criteria as one line for the stale-edit panel."""
    parts = []
    for item in items:
        if item.get("delete"):
            continue
        label = next((t for t in item["labels"].values() if t), "") or "—"
        if item["kind"] == CriterionKind.SCORED:
            parts.append(f"{label} (×{item['weight']}, 0–{item['max_score']})")
        else:
            parts.append(label)
    return "; ".join(parts)


def _saved_items(grid, language) -> list[dict]:
    items = []
    for c in grid.criteria.all():
        labels = {"en": c.label_en or ""}
        if language != "en":
            labels = {language: getattr(c, texts.column("label", language), "") or "", **labels}
        items.append({"kind": c.kind, "labels": labels, "weight": c.weight, "max_score": c.max_score})
    return items


def _edit_page(request, grid, form, formset, *, conflict=None, status=200):
    return render(request, "learning/review_grid_edit.html", {
        "grid": grid, "form": form, "formset": formset, "conflict": conflict,
    }, status=status)


@require_http_methods(["GET", "POST"])
def grid_edit(request, grid_id):
    grid = selectors.grid_get(user=request.user, pk=grid_id)
    language = _language()
    if request.method == "GET":
        if grid.in_use:
            messages.warning(request, _("Practices have been checked or reviewed on this grid: it can no longer "
                                        "change. Copy it into a new version to change it."))
            return redirect(_grid_url(grid))
        form = forms.GridForm(initial={"token": selectors.grid_token(grid), "name": grid.name,
                                       "threshold": grid.threshold, "reviews_needed": grid.reviews_needed})
        formset = forms.CriterionFormSet(initial=_criterion_initial(grid, language), prefix="criteria",
                                         language=language)
        return _edit_page(request, grid, form, formset)
    form = forms.GridForm(request.POST)
    formset = forms.CriterionFormSet(request.POST, prefix="criteria", language=language)
    if not (form.is_valid() & formset.is_valid()):
        return _edit_page(request, grid, form, formset, status=400)
    used = [f for i, f in enumerate(formset.forms) if i < formset.initial_form_count() or f.has_changed()]
    items = [f.item() for f in used]
    data = form.cleaned_data
    try:
        services.grid_update(by=request.user, grid=grid, token=data["token"], name=data["name"],
                             threshold=data["threshold"], reviews_needed=data["reviews_needed"], criteria=items)
    except StaleEdit:
        saved = selectors.grid_get(user=request.user, pk=grid.pk)
        conflict = [conflict_row(form.fields["name"].label, data["name"].strip(), saved.name),
                    conflict_row(form.fields["threshold"].label, str(data["threshold"]), str(saved.threshold)),
                    conflict_row(form.fields["reviews_needed"].label, str(data["reviews_needed"]),
                                 str(saved.reviews_needed)),
                    conflict_row(_("Criteria"), _criteria_text(items), _criteria_text(_saved_items(saved, language)))]
        post = request.POST.copy()
        post["token"] = selectors.grid_token(saved)
        form = forms.GridForm(post)
        form.is_valid()
        return _edit_page(request, saved, form, formset, conflict=conflict, status=409)
    except ServiceError as exc:
        field = exc.field or ""
        if field.startswith("criteria."):
            _prefix, index, name = field.split(".", 2)
            target = used[int(index)]
            if name in ("label", "guidance"):
                name = f"{name}_local" if f"{name}_local" in target.fields else f"{name}_en"
            target.add_error(name if name in target.fields else None, exc.message)
        else:
            _add_error(form, exc)
        return _edit_page(request, grid, form, formset, status=400)
    messages.success(request, _("The grid was saved."))
    return redirect(_grid_url(grid))


@require_POST
def grid_copy(request, grid_id):
    grid = selectors.grid_get(user=request.user, pk=grid_id)
    copy = services.grid_copy(by=request.user, grid=grid)
    messages.success(request, _("Version %(number)d was started from this grid. Change it, then activate it for new "
                                "checks.") % {"number": copy.number})
    return redirect(_grid_url(copy))


@require_POST
def grid_activate(request, grid_id):
    grid = selectors.grid_get(user=request.user, pk=grid_id)
    try:
        services.grid_activate(by=request.user, grid=grid)
    except ServiceError as exc:
        return _grid_page(request, grid, error=exc.message, status=400)
    messages.success(request, _("New checks now use this grid. Practices already checked stay on their grid."))
    return redirect(_grid_url(grid))


# ---- the public portal -----------------------------------------------------------------------

_TARGET_GROUPS = dict(TargetGroup.choices)
_VIOLENCE_FORMS = dict(ViolenceForm.choices)


def _facet_labels(practice, facet, labels) -> list:
    return [labels.get(value, value) for value in practice_selectors.facet_values(practice, facet)]


@public_page
@require_safe
def public_practice_list(request):
    form = forms.PublicSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "learning/review_public_list.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data
    queryset = practice_selectors.public_practice_list(query=data["q"], country=data["country"], pillar=data["pillar"],
                                                       target_group=data["target_group"],
                                                       violence_form=data["violence_form"])
    page = Paginator(queryset, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    language = _language()
    rows = [{"practice": p, "title": _title(p, language),
             "summary": _shown(p, "summary", language, p.source_language),
             "target_groups": _facet_labels(p, Facet.TARGET_GROUP, _TARGET_GROUPS),
             "violence_forms": _facet_labels(p, Facet.VIOLENCE_FORM, _VIOLENCE_FORMS)} for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "learning/review_public_list.html", {
        "form": form, "page": page, "rows": rows, "querystring": query.urlencode(),
        "searched": any(data.values()),
    })


@public_page
@require_safe
def public_practice_detail(request, public_practice_id):
    practice = practice_selectors.public_practice_get(pk=public_practice_id)
    language = _language()
    sections = [{"field": field, "label": practice._meta.get_field(field).verbose_name,
                 "shown": _shown(practice, field, language, practice.source_language)}
                for field in PRACTICE_TEXT_FIELDS if field != "title"]
    sections = [s for s in sections if s["shown"]["text"]]
    return render(request, "learning/review_public_detail.html", {
        "practice": practice, "title": _title(practice, language), "sections": sections,
        "fallback": next((s["shown"]["language"] for s in sections if s["shown"]["fallback"]), ""),
        "target_groups": _facet_labels(practice, Facet.TARGET_GROUP, _TARGET_GROUPS),
        "violence_forms": _facet_labels(practice, Facet.VIOLENCE_FORM, _VIOLENCE_FORMS),
        # Evidence from completed pilots (part "pilots"): organisation, period, indicators; nothing personal.
        "pilots": pilot_selectors.completed_pilots_for_public(practice),
    })
