"""Risk pages: thin views over rete.risk.selectors and rete.risk.services."""


# ---- history, the network view, the instruments page ----------------------------------------
from allauth.account.decorators import reauthentication_required  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.shortcuts import redirect, render  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.views.decorators.http import require_GET, require_http_methods  # noqa: E402

from rete.core.conflict import conflict_row
from rete.core import access  # noqa: E402
from rete.risk import selectors as risk_selectors  # noqa: E402
from rete.risk import services as risk_services  # noqa: E402


@require_GET
def subject_history(request, subject_type, subject_id):
    """Every assessment of a subject, a chart of the band over time and the same data as a table."""
    from rete.risk import chart
    from rete.risk.subjects import subject_url

    history = risk_selectors.subject_history(user=request.user, subject_type_code=subject_type, subject_id=subject_id)
    risk_services.history_record_view(by=request.user, subject_type=subject_type, subject=history["subject"],
                                      assessments_shown=len(history["assessments"]))
    bands = [b["label"] for b in history["current_bands"]]
    plotted = [a for a in history["signed"] if a.instrument.code == history["current_code"] and a.band_rank is not None]
    drawn = chart.band_chart([chart.Point(at=a.signed_at, rank=a.band_rank, label=a.band_label, overridden=bool(a.override_band),
                                          top=a.band_rank >= len(bands) - 1) for a in plotted], bands)
    return render(request, "risk/subject_history.html", {
        **history, "chart": drawn, "plotted": plotted, "not_plotted": len(history["signed"]) - len(plotted),
        "subject_url": subject_url(subject_type, history["subject"].pk),
    })


@require_GET
def network(request):
    """Network coordinators: counts per organisation and band, no personal data."""
    overview = risk_selectors.network_overview(user=request.user)
    return render(request, "risk/network.html", {"organisations": overview})


@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def instrument_list(request):
    """The instruments her organisations may use; an organisation admin loads her own."""
    from rete.risk import instruments
    from rete.risk.forms import InstrumentUploadForm

    listed = risk_selectors.instruments_for_page(user=request.user)
    loaders = risk_selectors.instrument_organisations(user=request.user, roles=risk_selectors.INSTRUMENT_LOADERS)
    if request.method == "POST" and not loaders:
        access.deny()
    form = InstrumentUploadForm(request.POST or None, request.FILES or None, organisations=loaders) if loaders else None
    problems, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            source = upload.read()
            try:
                definition = instruments.parse(source, filename=upload.name)
                problems = instruments.validate(definition)
                if not problems:
                    loaded = risk_services.instrument_load(definition=definition, source=source, by=request.user,
                                                           organisation=form.chosen_organisation())
            except instruments.InstrumentError as error:
                problems = error.problems
            if not problems:
                messages.success(request, _("Loaded %(code)s version %(version)s for %(org)s.")
                                 % {"code": loaded.code, "version": loaded.version, "org": form.chosen_organisation()})
                return redirect("risk:instrument_list")
        status = 400
    return render(request, "risk/instrument_list.html",
                  {"instruments": listed, "form": form, "problems": problems, "max_kb": 512}, status=status)


# ---- assessments: start, answer (saved as she goes), sign off, correct; actions; events --------
# Every view reaches the assessment through its subject (risk_selectors.assessment_get asks the
# owning app, on every request), so anyone outside the subject's need-to-know gets a 404.

from django.http import HttpResponse  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from rete.core.services import StaleEdit  # noqa: E402

_AUTOSAVE_CHAIN = "risk.autosave.%s"


def _lang():
    from django.utils.translation import get_language

    return (get_language() or "en").split("-")[0]


def _t(definition, mapping):
    from rete.risk import instruments

    return instruments.text(mapping, _lang(), definition=definition)


def _band_label(definition, code):
    from rete.risk import instruments

    if not code:
        return ""
    try:
        return _t(definition, instruments.band(definition, code)["label"])
    except ValueError:
        return code


def _option_label(definition, item, code):
    from rete.risk import instruments

    for option in instruments.options(definition, item):
        if option["code"] == code:
            return _t(definition, option["label"])
    return ""


def _sections(definition, answers, notes, *, errors=()):
    """The instrument's sections and items in her language, each item with its options and the
    answer given (for the form and for the read-only page)."""
    from rete.risk import instruments

    judgement = definition["scoring"]["kind"] == "judgement"
    number = 0
    sections = []
    for section in definition["sections"]:
        rows = []
        for item in section["items"]:
            number += 1
            chosen = answers.get(item["code"], "")
            options = [{"code": o["code"], "label": _t(definition, o["label"]), "checked": o["code"] == chosen}
                       for o in instruments.options(definition, item)]
            rows.append({"code": item["code"], "number": number, "text": _t(definition, item["text"]),
                         "help": _t(definition, item.get("help")), "options": options, "chosen": chosen,
                         "chosen_label": next((o["label"] for o in options if o["checked"]), ""), "note": notes.get(item["code"], ""),
                         "error": item["code"] in errors, "gate": bool(item.get("gate"))})
        sections.append({"code": section["code"], "title": _t(definition, section["title"]), "items": rows})
    return {"sections": sections, "judgement": judgement, "items_total": number}


def _posted_answers(request, definition):
    from rete.risk import instruments

    answers, notes = {}, {}
    for item in instruments.items(definition):
        value = request.POST.get(f"answer-{item['code']}", "")
        if value:
            answers[item["code"]] = value
        note = request.POST.get(f"note-{item['code']}", "")
        if note.strip():
            notes[item["code"]] = note
    return answers, notes


def _posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _effective_version(request, assessment_id, posted):
    """The autosave bumps the version on the server while her page keeps the one it was opened
    with; her own session remembers what that became, so her next save is not mistaken for
    someone else's. Anybody else's save in between still makes hers stale."""
    chain = request.session.get(_AUTOSAVE_CHAIN % assessment_id)
    if chain and chain[0] == posted:
        return chain[1]
    return posted


def _remember_version(request, assessment_id, posted, new):
    request.session[_AUTOSAVE_CHAIN % assessment_id] = [posted, new]


def _preview(definition, answers):
    """The band so far (server-side, from what is saved), for every kind but judgement."""
    from rete.risk import scoring

    if definition["scoring"]["kind"] == "judgement":
        return None
    try:
        result = scoring.score(definition, answers)
    except ValueError:
        return None
    return {"score": result.score, "band_label": _band_label(definition, result.band), "answered": result.answered,
            "missing": len(result.missing), "complete": result.complete, "gate": result.gate_triggered}


def _answers_conflict(definition, mine_answers, mine_notes, saved):
    """Her answers next to the saved ones, item by item, for includes/conflict.html."""
    from rete.risk import instruments

    rows = []
    saved_answers, saved_notes = saved.answers or {}, saved.item_notes or {}
    for number, item in enumerate(instruments.items(definition), start=1):
        code = item["code"]
        mine, theirs = mine_answers.get(code, ""), saved_answers.get(code, "")
        rows.append(conflict_row(f"{number}. {_t(definition, item['text'])}", mine, theirs,
                                 show=lambda value, item=item: _option_label(definition, item, value)))
        if (mine_notes.get(code, "").strip() or saved_notes.get(code, "")) and mine_notes.get(code, "").strip() != saved_notes.get(code, ""):
            rows.append({"label": _("%(number)s. Note") % {"number": number}, "mine": mine_notes.get(code, "").strip(),
                         "saved": saved_notes.get(code, ""), "differs": True})
    return rows


def _draft_page(request, assessment, *, answers=None, notes=None, status=200, error=None, errors=(), conflict=None, version=None):
    definition = assessment.definition
    saved_answers = assessment.answers or {}
    context = _sections(definition, saved_answers if answers is None else answers, (assessment.item_notes or {}) if notes is None else notes,
                        errors=errors)
    context.update({
        "assessment": assessment, "subject": assessment.subject, "subject_url": _subject_url(assessment),
        "instrument_title": _t(definition, definition["title"]), "description": _t(definition, definition.get("description")),
        "preview": _preview(definition, saved_answers), "version": assessment.version if version is None else version,
        "error": error, "conflict": conflict, "corrects": assessment.corrects_id,
    })
    return render(request, "risk/assessment_form.html", context, status=status)


def _subject_url(assessment_or_type, subject=None):
    from rete.risk.subjects import subject_type

    if subject is None:
        return subject_type(assessment_or_type.subject_type).url(assessment_or_type.subject)
    return subject_type(assessment_or_type).url(subject)


def _signed_page(request, assessment, *, status=200, error=None, action_error_id=None):
    from rete.risk.models import ActionStatus

    definition = assessment.definition
    context = _sections(definition, assessment.answers or {}, assessment.item_notes or {})
    actions = risk_selectors.assessment_actions(assessment=assessment)
    for action in actions:
        action.text = risk_selectors.action_text(instrument=assessment.instrument, code=action.code)
        action.is_open = action.status == ActionStatus.OPEN
    from django.utils import timezone

    context.update({
        "assessment": assessment, "subject": assessment.subject, "subject_url": _subject_url(assessment),
        "instrument_title": _t(definition, definition["title"]), "band_label": _band_label(definition, assessment.band),
        "computed_label": _band_label(definition, assessment.computed_band),
        "override_label": _band_label(definition, assessment.override_band), "actions": actions,
        "corrections": risk_selectors.assessment_corrections(assessment=assessment), "now": timezone.now(),
        "overdue": bool(assessment.next_due_at and assessment.next_due_at < timezone.now()),
        "error": error, "action_error_id": action_error_id,
    })
    return render(request, "risk/assessment_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assessment_start(request, subject_type, subject_id):
    """Choose an instrument (those her subject's organisation may use, of the right kind)."""
    from rete.risk.subjects import subject_get

    subject = subject_get(user=request.user, subject_type_code=subject_type, pk=subject_id)
    available = risk_selectors.assessment_instruments(subject_type=subject_type, subject=subject)
    choices = [{"instrument": i, "title": _t(i.definition, i.definition.get("title")),
                "description": _t(i.definition, i.definition.get("description")), "licence": i.definition.get("licence", "")}
               for i in available]
    error, status, chosen = None, 200, request.POST.get("instrument", "")
    if request.method == "POST":
        try:
            assessment = risk_services.assessment_start(by=request.user, subject_type=subject_type, subject_id=subject.pk,
                                                        instrument_id=chosen)
        except risk_services.RiskError as exc:
            error, status = exc.message, 400
        else:
            messages.success(request, _("The assessment was started. Your answers are saved as you go."))
            return redirect("risk:assessment_edit", assessment_id=assessment.pk)
    return render(request, "risk/assessment_start.html", {
        "subject": subject, "subject_type": subject_type, "subject_url": _subject_url(subject_type, subject), "choices": choices,
        "chosen": chosen, "error": error,
    }, status=status)


@require_http_methods(["GET", "POST"])
def assessment_edit(request, assessment_id):
    """A draft: the questions by section, saved as she goes; a signed assessment: read only."""
    from rete.risk.models import AssessmentStatus

    assessment = risk_selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    if assessment.status == AssessmentStatus.SIGNED:
        if request.method == "POST":
            return _signed_page(request, assessment, status=400,
                                error=_("This assessment was signed off and can no longer be changed. Correct it instead."))
        risk_services.assessment_record_view(by=request.user, assessment=assessment)
        return _signed_page(request, assessment)
    if request.method == "GET":
        risk_services.assessment_record_view(by=request.user, assessment=assessment)
        return _draft_page(request, assessment)
    answers, notes = _posted_answers(request, assessment.definition)
    posted = _posted_version(request)
    if posted is None:
        return _draft_page(request, assessment, answers=answers, notes=notes, status=400,
                           error=_("This form is incomplete: open the assessment again from the case page."))
    version = _effective_version(request, assessment.pk, posted)
    try:
        new = risk_services.assessment_save_answers(by=request.user, assessment_id=assessment.pk, version=version, answers=answers,
                                                    item_notes=notes)
    except StaleEdit as exc:
        fresh = exc.current
        assessment = risk_selectors.assessment_get(user=request.user, assessment_id=assessment.pk)
        return _draft_page(request, assessment, answers=answers, notes=notes, status=409,
                           conflict=_answers_conflict(assessment.definition, answers, notes, fresh), version=fresh.version)
    except risk_services.RiskError as exc:
        return _draft_page(request, assessment, answers=answers, notes=notes, status=400, error=exc.message,
                           errors=(exc.field,) if exc.field else ())
    _remember_version(request, assessment.pk, posted, new)
    if "review" in request.POST:
        return redirect("risk:assessment_sign", assessment_id=assessment.pk)
    messages.success(request, _("Your answers were saved."))
    return redirect("risk:assessment_edit", assessment_id=assessment.pk)


@require_POST
def assessment_autosave(request, assessment_id):
    """Called by staff.js as she answers: saves the whole form; 204 when saved."""
    assessment = risk_selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    posted = _posted_version(request)
    if posted is None:
        return HttpResponse(status=400)
    answers, notes = _posted_answers(request, assessment.definition)
    version = _effective_version(request, assessment.pk, posted)
    try:
        new = risk_services.assessment_save_answers(by=request.user, assessment_id=assessment.pk, version=version, answers=answers,
                                                    item_notes=notes, autosave=True)
    except StaleEdit:
        return HttpResponse(status=409)
    except risk_services.RiskError:
        return HttpResponse(status=400)
    _remember_version(request, assessment.pk, posted, new)
    return HttpResponse(status=204)


def _sign_page(request, assessment, *, status=200, error=None, field=None, values=None, conflict=None):
    from rete.risk import instruments, scoring

    definition = assessment.definition
    answers = assessment.answers or {}
    judgement = definition["scoring"]["kind"] == "judgement"
    result = scoring.score(definition, answers)
    missing = []
    numbers = {item["code"]: n for n, item in enumerate(instruments.items(definition), start=1)}
    for code in result.missing:
        missing.append({"code": code, "number": numbers[code], "text": _t(definition, instruments.find_item(definition, code)["text"])})
    above = [{"code": b["code"], "label": _t(definition, b["label"])} for b in instruments.bands_above(definition, result.band)] if result.band else []
    values = values or {}
    context = {
        "assessment": assessment, "subject": assessment.subject, "subject_url": _subject_url(assessment),
        "instrument_title": _t(definition, definition["title"]), "judgement": judgement, "result": result,
        "computed_label": _band_label(definition, result.band), "missing": missing, "above": above,
        "bands": [{"code": b["code"], "label": _t(definition, b["label"])} for b in definition["bands"]],
        "values": values, "error": error, "field": field, "conflict": conflict, "items_total": len(numbers),
    }
    return render(request, "risk/assessment_sign.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assessment_sign(request, assessment_id):
    """Review the result and sign off: score, computed band, what is missing; raise the band
    with a reason; for a judgement instrument, the judged band and its rationale."""
    from rete.risk.models import AssessmentStatus

    assessment = risk_selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    if assessment.status == AssessmentStatus.SIGNED:
        return redirect("risk:assessment_edit", assessment_id=assessment.pk)
    if request.method == "GET":
        risk_services.assessment_record_view(by=request.user, assessment=assessment)
        return _sign_page(request, assessment)
    values = {key: request.POST.get(key, "") for key in ("override_band", "override_reason", "judged_band", "rationale")}
    posted = _posted_version(request)
    if posted is None:
        return _sign_page(request, assessment, status=400, values=values,
                          error=_("This form is incomplete: open the assessment again from the case page."))
    try:
        signed = risk_services.assessment_sign(by=request.user, assessment_id=assessment.pk, version=posted, **values)
    except StaleEdit as exc:
        fresh = risk_selectors.assessment_get(user=request.user, assessment_id=assessment.pk)
        if fresh.status == AssessmentStatus.SIGNED:
            messages.warning(request, _("Someone else signed this assessment off while you were reviewing it."))
            return redirect("risk:assessment_edit", assessment_id=fresh.pk)
        conflict = _sign_conflict(request, fresh, exc.current)
        return _sign_page(request, fresh, status=409, values=values, conflict=conflict)
    except risk_services.RiskError as exc:
        return _sign_page(request, assessment, status=400, error=exc.message, field=exc.field, values=values)
    messages.success(request, _("The assessment was signed off. The actions of its band are listed below."))
    return redirect("risk:assessment_edit", assessment_id=signed.pk)


def _sign_conflict(request, fresh, current):
    """What she reviewed next to what is saved now (someone changed the answers meanwhile)."""
    from rete.risk import scoring

    definition = fresh.definition
    result = scoring.score(definition, current.answers or {})
    reviewed_band = request.POST.get("reviewed_band", "")
    reviewed_score = request.POST.get("reviewed_score", "")
    saved_score = "" if result.score is None else f"{result.score:g}"
    return [
        conflict_row(_("Score"), reviewed_score, saved_score),
        conflict_row(_("Computed band"), reviewed_band, result.band or "", show=lambda band: _band_label(definition, band)),
        conflict_row(_("Questions answered"), request.POST.get("reviewed_answered", ""), str(result.answered)),
    ]


@require_POST
def assessment_correct(request, assessment_id):
    """Start a correction of a signed assessment: a new draft with its answers."""
    assessment = risk_selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    try:
        draft = risk_services.assessment_correct(by=request.user, assessment_id=assessment.pk)
    except risk_services.RiskError as exc:
        if assessment.status == "signed":
            return _signed_page(request, assessment, status=400, error=exc.message)
        return _draft_page(request, assessment, status=400, error=exc.message)
    messages.success(request, _("A correction was started with the same answers. When you sign it off, it takes the place of the assessment it corrects."))
    return redirect("risk:assessment_edit", assessment_id=draft.pk)


@require_POST
def action_update(request, action_id):
    """Mark a mandated action done, or no longer needed (with a note)."""
    action = risk_selectors.action_get(user=request.user, action_id=action_id)
    try:
        risk_services.action_complete(by=request.user, action_id=action.pk, status=request.POST.get("status", ""),
                                      note=request.POST.get("note", ""))
    except risk_services.RiskError as exc:
        assessment = risk_selectors.assessment_get(user=request.user, assessment_id=action.assessment_id)
        return _signed_page(request, assessment, status=400, error=exc.message, action_error_id=action.pk)
    messages.success(request, _("The action was updated."))
    return redirect(f"{_reverse('risk:assessment_edit', assessment_id=action.assessment_id)}#actions")


def _reverse(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


@require_POST
def event_record(request, subject_type, subject_id):
    """"Something changed" that the case file does not record itself (the perpetrator's release,
    separation, a change in child contact): a reassessment becomes due when the instrument in
    force asks for one after that event."""
    from rete.risk.models import ReassessmentReason
    from rete.risk.subjects import subject_get

    subject = subject_get(user=request.user, subject_type_code=subject_type, pk=subject_id)
    event = request.POST.get("event", "")
    choices = [(value, ReassessmentReason(value).label) for value in risk_services.OTHER_EVENTS]
    if event not in risk_services.OTHER_EVENTS:
        return render(request, "risk/event_form.html", {"subject": subject, "subject_type": subject_type, "choices": choices,
                                                         "subject_url": _subject_url(subject_type, subject), "chosen": event,
                                                         "error": _("Choose what changed.")}, status=400)
    due = risk_services.subject_event(by=request.user, subject_type=subject_type, subject_id=subject.pk, event=event)
    if due:
        messages.warning(request, _("Noted: a risk reassessment is due now."))
    elif due is None:
        messages.info(request, _("There is no signed-off risk assessment yet: start one now that this has changed."))
    else:
        messages.info(request, _("Noted. The assessment in force does not ask for a reassessment after this change; use your judgement."))
    return redirect(_subject_url(subject_type, subject))
