"""Training evaluation (part "evaluation"), on Kirkpatrick's levels 1–3.

- For the people who run an event: its knowledge test (list, add, edit, remove; read-only once
  anyone has taken it), its results (satisfaction, knowledge gain per participant and for the
  event, the follow-up's answers), and a section on the event page with links to both.
- For a participant: the test before and after the training, the satisfaction questionnaire and
  the follow-up questionnaire, the same pages and forms whether she is a member (her
  registration through her account, under /learning/my-training/) or an outside professional
  (her personal link, public pages), and a section on her registration's page with what she
  may answer now and what she answered (her scores and her gain).

Public pages are exempt from CSRF on purpose: a visitor without an account must not get a
cookie (rete.core.middleware.PublicPrivacyMiddleware), and a forged request would need her
secret personal link, which is in the address itself."""
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access as core_access
from rete.core.conflict import conflict_row
from rete.core.decorators import public_page
from rete.core.services import ServiceError, StaleEdit
from rete.learning import evaluation
from rete.learning.forms_evaluation import FollowUpForm, SatisfactionForm, TestAnswersForm, TestItemForm
from rete.learning.models import EventStatus, RegistrationStatus, TestPhase
from rete.learning.selectors import evaluation as selectors
from rete.learning.selectors import events as event_selectors
from rete.learning.services import evaluation as services
from rete.learning.views.sections import register_section

# ---- the knowledge test, for the people who run the event ----------------------------------------


def _event_url(event):
    return _reverse("learning:event_detail", training_event_id=event.pk)



def _item_rows(items):
    return [{"item": item, "options": [{"text": text, "correct": index == item.correct}
                                       for index, text in enumerate(item.options or [])]} for item in items]


def _test_items_page(request, event, form, *, status=200):
    items = selectors.test_items(event=event)
    locked = selectors.test_locked(event=event)
    return render(request, "learning/evaluation_test_items.html", {
        "event": event, "event_url": _event_url(event), "rows": _item_rows(items), "locked": locked,
        "editable": not locked and event.status != EventStatus.CANCELLED, "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def test_items(request, training_event_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    if request.method != "POST":
        return _test_items_page(request, event, TestItemForm(auto_id="test-item-%s"))
    form = TestItemForm(request.POST, auto_id="test-item-%s")
    if not form.is_valid():
        return _test_items_page(request, event, form, status=400)
    try:
        services.test_item_add(by=request.user, event=event, question=form.cleaned_data["question"],
                               options=form.cleaned_data["options"], correct=form.cleaned_data["correct_index"])
    except ServiceError as error:
        form.add_service_error(error)
        return _test_items_page(request, event, form, status=400)
    messages.success(request, _("The question was added."))
    return redirect("learning:test_items", training_event_id=event.pk)


def _edit_page(request, event, item, form, *, status=200, conflict=None):
    locked = selectors.test_locked(event=event)
    return render(request, "learning/evaluation_test_item_edit.html", {
        "event": event, "event_url": _event_url(event), "item": item, "row": _item_rows([item])[0], "form": form, "conflict": conflict,
        "editable": not locked and event.status != EventStatus.CANCELLED, "locked": locked}, status=status)


def _options_text(options):
    return " · ".join(options or [])


@require_http_methods(["GET", "HEAD", "POST"])
def test_item_edit(request, training_event_id, test_item_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    item = selectors.test_item_get(event=event, pk=test_item_id)
    if request.method != "POST":
        return _edit_page(request, event, item, TestItemForm(initial=TestItemForm.initial_for(item), auto_id="test-item-%s"))
    form = TestItemForm(request.POST, auto_id="test-item-%s")
    if not form.is_valid():
        return _edit_page(request, event, item, form, status=400)
    data = form.cleaned_data
    try:
        services.test_item_update(by=request.user, item=item, fingerprint_seen=data["fingerprint"] or None,
                                  question=data["question"], options=data["options"], correct=data["correct_index"])
    except StaleEdit as exc:
        saved = exc.current
        post = request.POST.copy()
        post["fingerprint"] = services.fingerprint(saved)
        form = TestItemForm(post, auto_id="test-item-%s")
        form.is_valid()
        conflict = [
            conflict_row(form.fields["question"].label, data["question"].strip(), saved.question),
            conflict_row(_("Answers"), _options_text(data["options"]), _options_text(saved.options)),
            conflict_row(form.fields["correct"].label, data["options"][data["correct_index"]],
                         (saved.options or [""])[saved.correct] if saved.correct < len(saved.options or []) else ""),
        ]
        return _edit_page(request, event, saved, form, status=409, conflict=conflict)
    except ServiceError as error:
        form.add_service_error(error)
        return _edit_page(request, event, item, form, status=400)
    messages.success(request, _("The question was saved."))
    return redirect("learning:test_items", training_event_id=event.pk)


@require_POST
def test_item_delete(request, training_event_id, test_item_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    item = selectors.test_item_get(event=event, pk=test_item_id)
    try:
        services.test_item_delete(by=request.user, item=item)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question was removed."))
    return redirect("learning:test_items", training_event_id=event.pk)


# ---- a participant's questionnaires ----------------------------------------------------------------

PAGES = {
    "test": ("learning:my_test", "learning_public:participant_test"),
    "satisfaction": ("learning:my_satisfaction", "learning_public:participant_satisfaction"),
    "follow_up": ("learning:my_follow_up", "learning_public:participant_follow_up"),
    "home": ("learning:my_registration", "learning_public:participant_home"),
}


def _reverse(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # the registration pages belong to another part
        return ""


@dataclass(frozen=True)
class Via:
    """How she reached her registration: her account (token None) or her personal link."""

    registration: object
    token: str | None = None

    @property
    def public(self) -> bool:
        return bool(self.token)

    @property
    def base_template(self) -> str:
        return "portal/base_public.html" if self.public else "base.html"

    def url(self, page, **kwargs) -> str:
        staff, public = PAGES[page]
        if self.public:
            return _reverse(public, participant_token=self.token, **kwargs)
        return _reverse(staff, registration_id=self.registration.pk, **kwargs)


def _local(value, event):
    return timezone.localtime(value, evaluation.time_zone_of(event.time_zone)) if value else None


def _not_registered_reason(registration):
    if registration.status == RegistrationStatus.WAITING:
        return _("You are on the waiting list: the evaluation is for registered participants.")
    if registration.status != RegistrationStatus.REGISTERED:
        return _("Your registration was cancelled: there is nothing to answer.")
    if registration.event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        return _("This event was cancelled: there is nothing to evaluate.")
    return ""


def _render(request, via, template, context, *, status=200):
    registration = via.registration
    return render(request, template, {"via": via, "base_template": via.base_template, "registration": registration,
                                      "event": registration.event, "home_url": via.url("home"), **context}, status=status)


def _test(request, via, phase):
    if phase not in TestPhase.values:
        core_access.deny()
    registration = via.registration
    event = registration.event
    attempt = selectors.participant_state(registration=registration)["attempts"].get(phase)
    items = selectors.test_items(event=event)
    reason = ""
    if attempt is None:
        reason = (_not_registered_reason(registration) or ("" if items else _("This event has no knowledge test."))
                  or services.test_closed_reason(phase, selectors.windows(event=event), timezone.now()))
    form = error = None
    status = 200
    if attempt is None and not reason:
        form = TestAnswersForm(request.POST if request.method == "POST" else None, items=items, auto_id="test-%s")
    if request.method == "POST":
        if form is None:
            error, status = reason or _("You have already taken this test: it is taken once."), 400
        elif not form.is_valid():
            status = 400
        else:
            try:
                services.test_submit(registration=registration, phase=phase, answers=form.answers(),
                                     by=request.user if not via.public else None)
            except ServiceError as exc:
                form.add_service_error(exc)
                status = 400
            else:
                return redirect(via.url("test", test_phase=phase))
    return _render(request, via, "learning/evaluation_test.html", {
        "phase": phase, "phase_label": TestPhase(phase).label, "attempt": attempt, "reason": reason, "form": form,
        "error": error, "action": via.url("test", test_phase=phase)}, status=status)


def _questionnaire(request, via, *, kind):
    registration = via.registration
    event = registration.event
    state = selectors.participant_state(registration=registration)
    if kind == "satisfaction":
        response, form_class, template = state["satisfaction"], SatisfactionForm, "learning/evaluation_satisfaction.html"
        items = evaluation.items_for(evaluation.SATISFACTION_ITEMS, interpretation=bool(event.interpretation))
        not_yet = (_("This questionnaire opens when the event starts.")
                   if timezone.now() < state["windows"].satisfaction_opens else "")
    else:
        response, form_class, template = state["follow_up"], FollowUpForm, "learning/evaluation_follow_up.html"
        items = evaluation.FOLLOW_UP_ITEMS
        not_yet = ("" if registration.follow_up_sent_at else
                   _("This questionnaire opens some months after the event: you will receive an e-mail."))
    reason = "" if response else (_not_registered_reason(registration) or not_yet)
    form = error = None
    status = 200
    if response is None and not reason:
        form = form_class(request.POST if request.method == "POST" else None, items=items, auto_id=f"{kind}-%s")
    if request.method == "POST":
        if form is None:
            error, status = reason or _("You have already answered this questionnaire."), 400
        elif not form.is_valid():
            status = 400
        else:
            submit = services.satisfaction_submit if kind == "satisfaction" else services.follow_up_submit
            text = {"comment": form.text()} if kind == "satisfaction" else {"examples": form.text()}
            try:
                submit(registration=registration, answers=form.answers(), by=request.user if not via.public else None,
                       **text)
            except ServiceError as exc:
                form.add_service_error(exc)
                status = 400
            else:
                return redirect(via.url(kind))
    return _render(request, via, template, {"response": response, "reason": reason, "form": form, "error": error,
                                            "action": via.url(kind), "due_on": evaluation_due_on(event)}, status=status)


def evaluation_due_on(event):
    import datetime

    return event.ends_on + datetime.timedelta(days=event.follow_up_after_days)


# Her own registration, through her account.


@require_http_methods(["GET", "HEAD", "POST"])
def my_test(request, registration_id, test_phase):
    registration = selectors.own_registration_get(user=request.user, pk=registration_id)
    return _test(request, Via(registration), test_phase)


@require_http_methods(["GET", "HEAD", "POST"])
def my_satisfaction(request, registration_id):
    registration = selectors.own_registration_get(user=request.user, pk=registration_id)
    return _questionnaire(request, Via(registration), kind="satisfaction")


@require_http_methods(["GET", "HEAD", "POST"])
def my_follow_up(request, registration_id):
    registration = selectors.own_registration_get(user=request.user, pk=registration_id)
    return _questionnaire(request, Via(registration), kind="follow_up")


# An outside professional's registration, through her personal link.


@csrf_exempt
@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def participant_test(request, participant_token, test_phase):
    registration = event_selectors.registration_by_token(token=participant_token)
    return _test(request, Via(registration, participant_token), test_phase)


@csrf_exempt
@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def participant_satisfaction(request, participant_token):
    registration = event_selectors.registration_by_token(token=participant_token)
    return _questionnaire(request, Via(registration, participant_token), kind="satisfaction")


@csrf_exempt
@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def participant_follow_up(request, participant_token):
    registration = event_selectors.registration_by_token(token=participant_token)
    return _questionnaire(request, Via(registration, participant_token), kind="follow_up")


# ---- the section of her registration's page --------------------------------------------------------


def _test_row(phase, state, via, now, registered):
    attempt = state["attempts"].get(phase)
    windows = state["windows"]
    row = {"phase": phase, "label": TestPhase(phase).label, "attempt": attempt, "url": "", "note": ""}
    if attempt is not None or not registered:
        return row
    if windows.test_open(phase, now):
        row["url"] = via.url("test", test_phase=phase)
        row["closes"] = _local(windows.pre_closes if phase == TestPhase.PRE else windows.post_closes, via.registration.event)
    else:
        row["note"] = services.test_closed_reason(phase, windows, now)
        if phase == TestPhase.POST and now < windows.post_opens:
            row["opens"] = _local(windows.post_opens, via.registration.event)
    return row


def _participant_section(request, registration):
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("participant_token") if match else None
    if not token and (not getattr(request.user, "is_authenticated", False) or registration.user_id != request.user.pk):
        return None
    via = Via(registration, token)
    state = selectors.participant_state(registration=registration)
    registered = registration.status == RegistrationStatus.REGISTERED and registration.event.status not in (
        EventStatus.DRAFT, EventStatus.CANCELLED)
    answered = bool(state["attempts"] or state["satisfaction"] or state["follow_up"])
    if not registered and not answered:
        return None
    now = timezone.now()
    windows = state["windows"]
    tests = [_test_row(phase, state, via, now, registered) for phase in TestPhase.values] if state["items"] else []
    satisfaction_open = registered and state["satisfaction"] is None and now >= windows.satisfaction_opens
    follow_up_open = registered and state["follow_up"] is None and registration.follow_up_sent_at is not None
    return {
        "tests": tests, "gain": state["gain"], "attempts": state["attempts"],
        "satisfaction": state["satisfaction"], "follow_up": state["follow_up"], "registered": registered,
        "satisfaction_url": via.url("satisfaction") if satisfaction_open else "",
        "satisfaction_opens": _local(windows.satisfaction_opens, registration.event) if now < windows.satisfaction_opens else None,
        "follow_up_url": via.url("follow_up") if follow_up_open else "",
        "follow_up_due_on": evaluation_due_on(registration.event),
    }


register_section("participant", "evaluation", order=40, template="learning/evaluation_participant_section.html",
                 context=_participant_section)


# ---- the section of the event page, and the results, for the people who run it -------------------


def _event_section(request, event):
    if not event_selectors.may_run(user=request.user, event=event):
        return None
    return {"counts": selectors.event_section(event=event), "follow_up_due_on": evaluation_due_on(event)}


register_section("event", "evaluation", order=50, template="learning/evaluation_event_section.html",
                 context=_event_section)


@require_safe
def event_results(request, training_event_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    results = selectors.event_results(event=event)
    names = selectors.participant_names(event=event)
    texts = selectors.free_texts(event=event)
    services.results_viewed(by=request.user, event=event)
    participants = [{**row, "name": names.get(row["registration_id"], "")} for row in results["level2"]["participants"]]
    return render(request, "learning/evaluation_results.html", {
        "event": event, "event_url": _event_url(event), "results": results, "participants": participants, "comments": texts["comments"],
        "examples": texts["examples"]})
