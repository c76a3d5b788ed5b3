"""The life of a protocol version, the pages' side: circulating a draft, taking it back, the
parties' comments and sign-offs, adoption, starting the next version, and the printed protocol.
The actions are forms of the lifecycle panel on the version page (network/lifecycle_panel.html)
and answer POST only; a refused or invalid action shows its form again with the reason (400).
A version out of her reach is 404, like one that does not exist."""
import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from rete.core import access
from rete.core.services import ServiceError, StaleEdit
from rete.network import texts
from rete.network.selectors import lifecycle as selectors
from rete.network.selectors.protocols import can_coordinate, party_for, protocol_get, version_get
from rete.network.services import lifecycle as services

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


# ---- forms -----------------------------------------------------------------------------------

class SeenForm(forms.Form):
    """The version's lock counter as the page showed it: an action on a version changed since is refused."""

    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CirculateForm(SeenForm):
    comments_until = forms.DateField(
        label=_("Comments until"), widget=forms.DateInput(**DATE_WIDGET),
        help_text=_("The parties comment and sign off until this date. The version cannot be edited while it circulates."))


class AdoptForm(SeenForm):
    review_date = forms.DateField(
        label=_("Review date"), widget=forms.DateInput(**DATE_WIDGET),
        help_text=_("By when the network reviews the protocol; the coordinators are reminded a month before."))


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("On which part"), required=False)
    text = forms.CharField(label=_("Your comment"), max_length=services.COMMENT_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = selectors.comment_section_choices()


class SignForm(forms.Form):
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("I sign off this version for %(organisation)s") % {"organisation": organisation.name if organisation else ""}


class RecordSignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(**DATE_WIDGET))
    signatory_name = forms.CharField(label=_("Signed by"), max_length=200)
    signatory_title = forms.CharField(label=_("Position"), max_length=200, required=False)


def panel_forms(context: dict) -> dict:
    """The unbound forms of the lifecycle panel, for the context of selectors.lifecycle_context."""
    version, today = context["version"], context["today"]
    seen = {"seen": version.version}
    found = {}
    if context["may_circulate"]:
        until = version.comments_until if version.comments_until and version.comments_until >= today else today + datetime.timedelta(days=30)
        found["circulate_form"] = CirculateForm(initial={**seen, "comments_until": until}, auto_id="circulate-%s")
    if context["may_reopen"]:
        found["reopen_form"] = SeenForm(initial=seen, auto_id="reopen-%s")
    if context["may_adopt"]:
        found["adopt_form"] = AdoptForm(initial={**seen, "review_date": services.default_review_date(today)}, auto_id="adopt-%s")
    if context["comment_party"] is not None:
        found["comment_form"] = CommentForm(auto_id="comment-%s")
    for row in context["parties"]:
        if row["may_sign"]:
            row["sign_form"] = SignForm(organisation=row["party"].organisation, auto_id=f"sign-{row['party'].pk}-%s")
        if row["may_record"]:
            row["record_form"] = RecordSignForm(initial={"signatory_name": row["party"].signatory_name,
                                                         "signatory_title": row["party"].signatory_title},
                                                auto_id=f"record-{row['party'].pk}-%s")
    return found


# ---- helpers ---------------------------------------------------------------------------------

def _back(version, anchor="lifecycle"):
    return redirect(reverse("network:version_detail", kwargs={"version_id": version.pk}) + f"#{anchor}")


def _add_error(form, exc: ServiceError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _refused(request, version, form, *, heading, action, button, intro="", party=None, status=400):
    """The action's form again, with what she entered and why it was refused."""
    return render(request, "network/lifecycle_form.html", {
        "version": version, "protocol": version.protocol, "form": form, "heading": heading, "action": action,
        "button": button, "intro": intro, "party": party,
        "title": texts.get(version.protocol, "title", request.LANGUAGE_CODE, source=version.source_language),
    }, status=status)


def _coordinated_version(request, version_id):
    """A version she may read and whose protocol she coordinates; 404 otherwise."""
    version = version_get(user=request.user, version_id=version_id)
    if not can_coordinate(user=request.user, protocol=version.protocol):
        access.deny()
    return version


def _stale(form, exc: StaleEdit) -> int:
    """Someone changed the version since she opened the page: say so; sending the form again
    acts on the version as it is now."""
    form.add_error(None, _("Someone changed this version since you opened the page: look at it again before you go on."))
    form.data = form.data.copy()
    form.data["seen"] = str(exc.current.version)
    return 409


# ---- circulation -----------------------------------------------------------------------------

@require_POST
def version_circulate(request, version_id):
    version = _coordinated_version(request, version_id)
    status = 400
    form = CirculateForm(request.POST, auto_id="circulate-%s")
    if form.is_valid():
        try:
            services.version_circulate(by=request.user, version=version, comments_until=form.cleaned_data["comments_until"],
                                       seen=form.cleaned_data["seen"])
        except StaleEdit as exc:
            status = _stale(form, exc)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The version was circulated to the parties, who were told by e-mail. It can no "
                                        "longer be edited unless you take it back to a draft."))
            return _back(version)
    return _refused(request, version, form, heading=_("Circulate this version to the parties"),
                    action=reverse("network:version_circulate", kwargs={"version_id": version.pk}), button=_("Circulate"), status=status)


@require_POST
def version_reopen(request, version_id):
    version = _coordinated_version(request, version_id)
    status = 400
    form = SeenForm(request.POST, auto_id="reopen-%s")
    if form.is_valid():
        try:
            services.version_reopen(by=request.user, version=version, seen=form.cleaned_data["seen"])
        except StaleEdit as exc:
            status = _stale(form, exc)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The version is a draft again. The comments stay; the sign-offs recorded so far "
                                        "were cleared, because the text may change."))
            return _back(version)
    return _refused(request, version, form, heading=_("Take this version back to a draft"),
                    action=reverse("network:version_reopen", kwargs={"version_id": version.pk}), button=_("Take back to a draft"),
                    intro=_("The comments stay with the version; the sign-offs recorded so far are cleared."), status=status)


# ---- comments --------------------------------------------------------------------------------

@require_POST
def comment_add(request, version_id):
    version = version_get(user=request.user, version_id=version_id)
    if party_for(user=request.user, version=version, capability=access.COMMENT_PROTOCOLS) is None:
        access.deny()
    form = CommentForm(request.POST, auto_id="comment-%s")
    if form.is_valid():
        try:
            services.comment_add(by=request.user, version=version, section=form.cleaned_data["section"],
                                 text=form.cleaned_data["text"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Your comment was added. The coordinators and the other parties read it."))
            return _back(version, "comments")
    return _refused(request, version, form, heading=_("Comment on this version"),
                    action=reverse("network:comment_add", kwargs={"version_id": version.pk}), button=_("Add the comment"))


@require_safe
def version_comments(request, version_id):
    version = version_get(user=request.user, version_id=version_id)
    comments = selectors.version_comments(user=request.user, version=version)
    return render(request, "network/lifecycle_comments.html", {
        "version": version, "protocol": version.protocol, "groups": selectors.comments_by_section(comments),
        "count": len(comments),
        "title": texts.get(version.protocol, "title", request.LANGUAGE_CODE, source=version.source_language),
    })


# ---- sign-off --------------------------------------------------------------------------------

@require_POST
def party_sign(request, party_id):
    party = selectors.party_get(user=request.user, party_id=party_id)
    if not access.has_capability(request.user, party.organisation_id, access.SIGN_PROTOCOLS):
        access.deny()
    version = party.version
    form = SignForm(request.POST, organisation=party.organisation, auto_id=f"sign-{party.pk}-%s")
    if form.is_valid():
        try:
            services.party_sign(by=request.user, party=party, confirm=form.cleaned_data["confirm"])
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Your sign-off for %(organisation)s was recorded.") % {"organisation": party.organisation.name})
            return _back(version, "parties")
    return _refused(request, version, form, heading=_("Sign off for %(organisation)s") % {"organisation": party.organisation.name},
                    action=reverse("network:party_sign", kwargs={"party_id": party.pk}), button=_("Sign off"), party=party)


@require_POST
def party_sign_record(request, party_id):
    party = selectors.party_get(user=request.user, party_id=party_id)
    version = party.version
    if not can_coordinate(user=request.user, protocol=version.protocol):
        access.deny()
    form = RecordSignForm(request.POST, auto_id=f"record-{party.pk}-%s")
    if form.is_valid():
        try:
            services.party_sign_record(by=request.user, party=party, **form.cleaned_data)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The sign-off of %(organisation)s on paper was recorded.") % {
                "organisation": party.organisation.name})
            return _back(version, "parties")
    return _refused(request, version, form,
                    heading=_("Record the sign-off of %(organisation)s on paper") % {"organisation": party.organisation.name},
                    action=reverse("network:party_sign_record", kwargs={"party_id": party.pk}), button=_("Record the sign-off"),
                    party=party)


# ---- adoption and the next version -----------------------------------------------------------

@require_POST
def version_adopt(request, version_id):
    version = _coordinated_version(request, version_id)
    status = 400
    form = AdoptForm(request.POST, auto_id="adopt-%s")
    if form.is_valid():
        try:
            services.version_adopt(by=request.user, version=version, review_date=form.cleaned_data["review_date"],
                                   seen=form.cleaned_data["seen"])
        except StaleEdit as exc:
            status = _stale(form, exc)
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The version was adopted and is in force from today."))
            return _back(version)
    return _refused(request, version, form, heading=_("Adopt this version"),
                    action=reverse("network:version_adopt", kwargs={"version_id": version.pk}), button=_("Adopt"), status=status)


@require_POST
def version_new(request, protocol_id):
    protocol = protocol_get(user=request.user, protocol_id=protocol_id)
    try:
        draft = services.version_new(by=request.user, protocol=protocol)
    except ServiceError as exc:
        messages.error(request, exc.message)
        source = protocol.in_force or protocol.latest
        return _back(source)
    messages.success(request, _("Version %(number)d was started as a draft, a copy of the version it comes from; that "
                                "version is unchanged.") % {"number": draft.number})
    return redirect("network:version_detail", version_id=draft.pk)


# ---- the printed protocol --------------------------------------------------------------------

@require_safe
def version_pdf(request, version_id, language):
    from rete.core.documents import pdf_response, render_pdf

    if language not in texts.LANGUAGE_CODES:
        access.deny()
    version = version_get(user=request.user, version_id=version_id)
    context = selectors.protocol_document(version=version, language=language)
    context.update(printed_by=request.user, printed_at=timezone.localtime())
    content = render_pdf("documents/protocol.html", context, language=language)
    services.version_printed(by=request.user, version=version, language=language)
    return pdf_response(content, f"protocol-{version.protocol_id}-v{version.number}-{language}.pdf")
