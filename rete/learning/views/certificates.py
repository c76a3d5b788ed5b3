"""Certificates of attendance (part "certificates"): issuing and revoking them from the event
page, the PDF in the participant's language (for the event's runners, for her, and through an
outside participant's personal link), the sections of the event page and of the participant's
page, and the public check of a code (which shows her name, the event's title and dates, and
nothing else)."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from rete.core.decorators import public_page
from rete.core.services import ServiceError
from rete.learning import certificates
from rete.learning.models import EventStatus, RegistrationStatus
from rete.learning.selectors import certificates as selectors
from rete.learning.selectors import events as event_selectors
from rete.learning.services import certificates as services
from rete.learning.views.sections import register_section

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _back(event_id):
    try:
        return redirect(reverse("learning:event_detail", kwargs={"training_event_id": event_id}) + "#certificates")
    except NoReverseMatch:  # the event pages are not installed
        return redirect("learning:training_report")


# ---- the PDF ---------------------------------------------------------------------------------


def _pdf(request, registration, *, via):
    from rete.core.documents import pdf_response, render_pdf

    language = registration.language if registration.language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    context = selectors.certificate_document(registration=registration)
    content = render_pdf("learning/certificates_document.html", context, language=language)
    services.certificate_printed(by=request.user, registration=registration, language=language, via=via)
    return pdf_response(content, selectors.certificate_filename(registration))


@require_safe
def certificate_pdf(request, training_event_id, certificate_registration_id):
    """A participant's certificate, for the event's runners."""
    registration = selectors.runner_certificate_get(user=request.user, event_pk=training_event_id,
                                                    registration_pk=certificate_registration_id)
    return _pdf(request, registration, via="runner")


@require_safe
def my_certificate(request, registration_id):
    """Her own certificate."""
    registration = selectors.own_certificate_get(user=request.user, registration_pk=registration_id)
    return _pdf(request, registration, via="member")


@public_page
@require_safe
def participant_certificate(request, participant_token):
    """An outside participant's certificate, through her personal link."""
    registration = selectors.token_certificate_get(token=participant_token)
    return _pdf(request, registration, via="personal_link")


# ---- issuing and revoking --------------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why is it revoked?"), choices=services.REVOKE_REASONS)


@require_POST
def certificates_issue(request, training_event_id):
    event = event_selectors.event_manage_get(user=request.user, pk=training_event_id)
    try:
        issued = services.certificates_issue(by=request.user, event=event)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(event.pk)
    if issued:
        messages.success(request, ngettext("%(count)s certificate was issued.", "%(count)s certificates were issued.",
                                           issued) % {"count": issued})
    else:
        messages.warning(request, _("Nobody else attended enough of the event for a certificate."))
    return _back(event.pk)


@require_POST
def certificate_issue(request, training_event_id, certificate_registration_id):
    registration = selectors.runner_registration_get(user=request.user, event_pk=training_event_id,
                                                     registration_pk=certificate_registration_id)
    try:
        services.certificate_issue(by=request.user, registration=registration)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(registration.event_id)
    messages.success(request, _("The certificate was issued."))
    return _back(registration.event_id)


@require_POST
def certificate_revoke(request, training_event_id, certificate_registration_id):
    registration = selectors.runner_registration_get(user=request.user, event_pk=training_event_id,
                                                     registration_pk=certificate_registration_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the certificate is revoked."))
        return _back(registration.event_id)
    try:
        services.certificate_revoke(by=request.user, registration=registration, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(registration.event_id)
    messages.success(request, _("The certificate was revoked: its code no longer checks as valid."))
    return _back(registration.event_id)


# ---- the public check ------------------------------------------------------------------------


class CheckForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code on the certificate"), max_length=40,
                           help_text=gettext_lazy("For example RETE-7HK2-QW9M-X4TP. Capitals, spaces and dashes do "
                                                  "not matter."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))

    def clean_code(self):
        code = certificates.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("This is not a certificate code: it reads RETE followed by three groups of "
                                          "four letters and digits."))
        return code


@public_page
@require_safe
def certificate_verify(request):
    """The form to type a code; with ?code= it goes to the check of that code."""
    if "code" not in request.GET:
        return render(request, "learning/certificates_verify.html", {"form": CheckForm()})
    form = CheckForm(request.GET)
    if not form.is_valid():
        return render(request, "learning/certificates_verify.html", {"form": form}, status=400)
    return redirect("learning_public:certificate_check", certificate_code=form.cleaned_data["code"])


@public_page
@require_safe
def certificate_check(request, certificate_code):
    """Valid: her name, the event's title and dates. Unknown, revoked or not a code: 404 with the
    same page, which reveals nothing else."""
    checked = selectors.certificate_check(code=certificate_code)
    if checked is None:
        return render(request, "learning/certificates_not_found.html", {"form": CheckForm()}, status=404)
    services.certificate_checked(checked=checked)
    return render(request, "learning/certificates_check.html", {"certificate": checked})


# ---- sections --------------------------------------------------------------------------------


def _event_section(request, event):
    """For the event's runners: the counts, issuing, and each participant's certificate."""
    if not event_selectors.may_run(user=request.user, event=event):
        return None
    summary = selectors.event_certificates(user=request.user, event=event)
    return {"certificates": summary, "held": event.status == EventStatus.HELD, "revoke_form": RevokeForm(),
            "needed": event.certificate_min_attendance}


def _participant_section(request, registration):
    """Her certificate on her page: the download, or what is still missing."""
    if registration.status != RegistrationStatus.REGISTERED and not registration.certificate_code:
        return None
    status = selectors.participant_status(registration=registration)
    url = None
    if status["issued"]:
        token = request.resolver_match.kwargs.get("participant_token") if request.resolver_match else None
        if token:
            url = reverse("learning_public:participant_certificate", kwargs={"participant_token": token})
        elif registration.user_id and registration.user_id == getattr(request.user, "pk", None):
            url = reverse("learning:my_certificate", kwargs={"registration_id": registration.pk})
    return {"certificate": status, "download_url": url}


register_section("event", "certificates", order=60, template="learning/certificates_event_section.html",
                 context=_event_section)
register_section("participant", "certificate", order=60, template="learning/certificates_participant_section.html",
                 context=_participant_section)
