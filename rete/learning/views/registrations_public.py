"""Public pages of registration (part "registration"): the registration form behind an
invitation link, and an outside participant's personal page (her registration, the event, her
attendance, cancelling, the calendar file). No sign-in, no cookie, nothing cached.

The forms are exempt from CSRF on purpose: the CSRF cookie is what these pages must not set,
and there is nothing to forge on someone's behalf without the secret token in the address,
which only the invited professional (or the participant) has. A wrong, expired, revoked or
used-up token is a 404, like a page that does not exist."""
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core.decorators import public_page
from rete.core.services import ServiceError
from rete.learning.forms_registration import OutsideRegistrationForm
from rete.learning.models import RegistrationStatus
from rete.learning.selectors import events as event_selectors
from rete.learning.selectors import registrations as selectors
from rete.learning.services import registrations as services
from rete.learning.views.registrations import _add_error, participant_context


def _join_page(request, invitation, form, *, status=200):
    event = invitation.event
    return render(request, "learning/registration_join.html", {
        "event": event, "form": form, "open": services.is_open(event), "closes_on": services.registration_window(event),
        "sessions": selectors.event_sessions(event=event)}, status=status)


@csrf_exempt
@public_page
@require_http_methods(["GET", "POST"])
def join(request, invitation_token):
    invitation = selectors.invitation_by_token(token=invitation_token)
    if request.method != "POST":
        language = translation.get_language() or ""
        form = OutsideRegistrationForm(initial={"language": language[:2]})
        return _join_page(request, invitation, form)
    form = OutsideRegistrationForm(request.POST)
    if form.is_valid():
        try:
            result = services.register_outside(invitation_token=invitation_token, profile=form.profile())
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            return render(request, "learning/registration_join_done.html", {
                "event": invitation.event, "already": result.already, "status": result.registration.status})
    return _join_page(request, invitation, form, status=400)


def _home(request, registration, *, status=200, error="", cancelled=False):
    context = participant_context(request, registration)
    context.update(token=request.resolver_match.kwargs.get("participant_token"), error=error, cancelled=cancelled)
    return render(request, "learning/registration_participant_home.html", context, status=status)


@public_page
@require_safe
def participant_home(request, participant_token):
    registration = event_selectors.registration_by_token(token=participant_token)
    return _home(request, registration)


@csrf_exempt
@public_page
@require_POST
def participant_cancel(request, participant_token):
    registration = event_selectors.registration_by_token(token=participant_token)
    try:
        registration = services.registration_cancel(token=participant_token, registration=registration)
    except ServiceError as exc:
        return _home(request, registration, status=400, error=exc.message)
    registration = event_selectors.registration_by_token(token=participant_token)
    return _home(request, registration, cancelled=True)


@public_page
@require_safe
def participant_calendar(request, participant_token):
    registration = event_selectors.registration_by_token(token=participant_token)
    if registration.status == RegistrationStatus.CANCELLED:
        raise Http404
    try:
        from rete.learning.calendar import event_calendar
    except ImportError:  # the calendar of part "events" is not there
        raise Http404 from None
    # The entries point to her own page (the event's page is for members who sign in).
    own_page = settings.RETE_BASE_URL.rstrip("/") + reverse("learning_public:participant_home",
                                                            kwargs={"participant_token": participant_token})
    content = event_calendar(registration.event, include_online_link=registration.status == RegistrationStatus.REGISTERED,
                             url=own_page)
    if isinstance(content, str):
        content = content.encode("utf-8")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{registration.event_id}.ics"'
    return response
