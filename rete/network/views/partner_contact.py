"""Partner contact, the partner-support workers' pages (part "partner-contact"): the inbox of
links from perpetrator programmes, a link's page (the programme, its reference, the events with
their notes), and the actions: mark the events seen, attach her case, set the contact status and
whether the programme may see it. Only a partner-support worker of the support organisation who
does not work with the man reaches a link (selectors.partner_contact); everyone else, the
programme's staff included, gets 404. Actions answer POST only; a refused action shows the page
again with the reason (400); a status saved on a link changed since the page was shown is
refused (409) with both versions."""
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import PartnerContactStatus
from rete.network.selectors import partner_contact as selectors
from rete.network.services import partner_contact as services
from rete.network.views import partner_outcomes as partner_outcome_views

# ---- forms -----------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Contact status"), required=False,
                               choices=[("", _("All"))] + list(PartnerContactStatus.choices))


class AttachForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Her case"), coerce=int, choices=(),
                                  help_text=_("Only active cases of your service that you may open are listed."))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "—")] + [(case.pk, f"{case.reference} — {case.person.display_name()}")
                                                     for case in cases]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Contact status"), choices=PartnerContactStatus.choices)
    share = forms.BooleanField(label=_("Share the contact status with the programme"), required=False,
                               help_text=_("The programme then sees this status, and nothing else about her. "
                                           "Share it only when it is safe and she agrees."))
    version = forms.IntegerField(widget=forms.HiddenInput)


# ---- the inbox -------------------------------------------------------------------------------


@require_safe
def partner_inbox(request):
    if not selectors.supports_partners(user=request.user):
        access.deny()
    form = InboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors.partner_links_for_support(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "network/partner_contact_inbox.html", {
        "form": form, "page": page, "querystring": f"status={status}" if status else ""})


# ---- a link ----------------------------------------------------------------------------------


def _page(request, link, *, status=200, attach_form=None, status_form=None, conflict=None, error=None):
    cases = selectors.partner_case_choices(user=request.user, link=link) if link.partner_case_id is None else []
    return render(request, "network/partner_contact_detail.html", {
        "link": link,
        "events": link.event_list,
        "unseen": sum(1 for event in link.event_list if event.seen_at is None),
        "attach_form": attach_form or AttachForm(cases=cases, auto_id="attach-%s"),
        "has_cases": bool(cases),
        "status_form": status_form or StatusForm(initial={"status": link.status, "share": link.status_shared,
                                                          "version": link.version}, auto_id="status-%s"),
        "conflict": conflict,
        "error": error,
        # Her outcome questionnaires (issue 6, part "outcomes"): views/partner_outcomes.py.
        "partner_outcomes": partner_outcome_views.section(request, link),
    }, status=status)


@require_safe
def partner_link_detail(request, partner_link_id):
    link = selectors.partner_link_get_for_support(user=request.user, link_id=partner_link_id)
    services.partner_link_record_view(by=request.user, link=link)
    return _page(request, link)


@require_POST
def partner_link_seen(request, partner_link_id):
    link = selectors.partner_link_get_for_support(user=request.user, link_id=partner_link_id)
    services.partner_event_mark_seen(by=request.user, link=link)
    messages.success(request, _("The events are marked as seen."))
    return redirect("network:partner_link_detail", partner_link_id=link.pk)


@require_POST
def partner_link_attach(request, partner_link_id):
    link = selectors.partner_link_get_for_support(user=request.user, link_id=partner_link_id)
    cases = selectors.partner_case_choices(user=request.user, link=link)
    form = AttachForm(request.POST, cases=cases, auto_id="attach-%s")
    if not form.is_valid():
        return _page(request, link, status=400, attach_form=form)
    try:
        services.partner_link_attach_case(by=request.user, link=link, case=form.cleaned_data["case"])
    except ServiceError as exc:
        form.add_error("case" if exc.field == "case" else None, exc.message)
        return _page(request, link, status=400, attach_form=form)
    messages.success(request, _("Her case is attached to this partner contact. The programme does not see it."))
    return redirect("network:partner_link_detail", partner_link_id=link.pk)


def _status_conflict(form, mine, saved):
    def status_label(value):
        return PartnerContactStatus(value).label if value in PartnerContactStatus.values else ""

    def yes_no(value):
        return _("Yes") if value else _("No")

    rows = [conflict_row(form.fields["status"].label, mine.get("status"), saved.status, show=status_label),
            conflict_row(form.fields["share"].label, mine.get("share"), saved.status_shared, show=yes_no)]
    if saved.status_updated_at:
        rows.append(conflict_row(_("Last changed"), "", saved.status_updated_at,
                                 show=lambda value: date_format(value, "SHORT_DATETIME_FORMAT") if value else ""))
    return rows


@require_POST
def partner_link_status(request, partner_link_id):
    link = selectors.partner_link_get_for_support(user=request.user, link_id=partner_link_id)
    form = StatusForm(request.POST, auto_id="status-%s")
    if not form.is_valid():
        return _page(request, link, status=400, status_form=form)
    data = form.cleaned_data
    try:
        services.partner_status_set(by=request.user, link=link, status=data["status"], share=data["share"],
                                    version=data["version"])
    except StaleEdit as exc:
        conflict = _status_conflict(form, data, exc.current)
        post = request.POST.copy()
        post["version"] = str(exc.current.version)
        form = StatusForm(post, auto_id="status-%s")
        form.is_valid()
        fresh = selectors.partner_link_get_for_support(user=request.user, link_id=link.pk)
        return _page(request, fresh, status=409, status_form=form, conflict=conflict)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, link, status=400, status_form=form)
    messages.success(request, _("The contact status is saved."))
    return redirect("network:partner_link_detail", partner_link_id=link.pk)
