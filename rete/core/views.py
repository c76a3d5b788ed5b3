import csv
from urllib.parse import urlencode

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rete.core.conflict import conflict_row
from rete.core import access, audit, selectors, services
from rete.core.extensions import start_panels
from rete.core.forms import AuditFilterForm, MemberForm, MemberInviteForm, PreferencesForm
from rete.core.middleware import pop_stash
from rete.core.models import Role

PAGE_SIZE = 50


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# ---- start page ---------------------------------------------------------------------------


def start(request):
    user = request.user
    context = {
        "roles_by_org": selectors.roles_by_organisation(user=user),
        "recent_sign_ins": selectors.recent_sign_ins(user=user),
        "has_mfa": selectors.user_has_strong_mfa(user=user),
        "admin_overview": selectors.admin_overview(user=user),
        "contacts": selectors.organisation_contacts(user=user),
        "module_panels": start_panels(user),
        "audit_overview": None,
    }
    if selectors.audit_scope(user=user) is not None:
        since = timezone.now() - timezone.timedelta(days=1)
        events = selectors.audit_event_list(user=user)
        context["audit_overview"] = {
            "verification": selectors.audit_latest_verification(user=user),
            "events_today": events.filter(at__gte=since).count(),
            "failed_sign_ins_today": events.filter(at__gte=since, action="auth.sign_in_failed").count(),
        }
    return render(request, "core/start.html", context)


# ---- organisation admin ------------------------------------------------------------------


def member_list(request, org):
    organisation = selectors.organisation_get(user=request.user, slug=org, capability=access.MANAGE_MEMBERS)
    from rete.core.api import search_text

    query = search_text(request.GET.get("q", ""))
    members = selectors.member_list(user=request.user, organisation=organisation, query=query)
    return render(
        request,
        "core/member_list.html",
        {
            "organisation": organisation,
            "page": _page(request, members),
            "query": query,
            "querystring": urlencode({"q": query}) if query else "",
        },
    )


@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def member_invite(request, org):
    organisation = selectors.organisation_get(user=request.user, slug=org, capability=access.MANAGE_MEMBERS)
    form = MemberInviteForm(request.POST or None, initial={"language": organisation.languages[0] if organisation.languages else "en"})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.member_invite(by=request.user, organisation=organisation, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(exc.field, exc.message)
        else:
            if result.created:
                messages.success(request, _("%(name)s was added. An e-mail with a link to set a password is on its way.") % {"name": result.member})
            else:
                messages.success(request, _("%(name)s already had an account; the roles were added.") % {"name": result.member})
            return redirect("core:member_list", org=organisation.slug)
    return render(request, "core/member_invite.html", {"organisation": organisation, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def member_edit(request, org, member_id):
    organisation = selectors.organisation_get(user=request.user, slug=org, capability=access.MANAGE_MEMBERS)
    member = selectors.member_get(user=request.user, organisation=organisation, member_id=member_id)
    initial = {
        "version": member.version,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "phone": member.phone,
        "language": member.language,
        "roles": selectors.member_roles(member),
    }
    form = MemberForm(request.POST or None, initial=initial)
    conflict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.member_update(by=request.user, organisation=organisation, member=member, **data)
            except services.StaleEdit as exc:
                fresh = selectors.member_get(user=request.user, organisation=organisation, member_id=member.pk)
                conflict = _member_conflict(data, fresh)
                # The person's own entries stay in the form; the new version lets her save them
                # knowingly over the other person's change.
                post = request.POST.copy()
                post["version"] = str(exc.current.version)
                form = MemberForm(post, initial=initial)
                form.is_valid()
                status = 409
            except services.ServiceError as exc:
                form.add_error(exc.field, exc.message)
                status = 400
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("core:member_list", org=organisation.slug)
        else:
            status = 400
    services.audit_record_read(user=request.user, organisation=organisation, obj=member, action="member.viewed")
    return render(
        request,
        "core/member_edit.html",
        {"organisation": organisation, "member": member, "form": form, "conflict": conflict},
        status=status,
    )


def _member_conflict(mine, saved):
    role_labels = dict(Role.choices)
    rows = []
    for field, label in (
        ("first_name", _("First name")),
        ("last_name", _("Last name")),
        ("phone", _("Work phone")),
        ("language", _("Language")),
    ):
        rows.append(conflict_row(label, mine.get(field, ""), getattr(saved, field)))
    saved_roles = selectors.member_roles(saved)
    mine_roles = sorted(mine.get("roles", []))
    rows.append(
        {
            "label": _("Roles"),
            "mine": ", ".join(str(role_labels[r]) for r in mine_roles),
            "saved": ", ".join(str(role_labels[r]) for r in saved_roles),
            "differs": mine_roles != saved_roles,
        }
    )
    return rows


@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def member_remove(request, org, member_id):
    organisation = selectors.organisation_get(user=request.user, slug=org, capability=access.MANAGE_MEMBERS)
    member = selectors.member_get(user=request.user, organisation=organisation, member_id=member_id)
    if request.method == "POST":
        try:
            services.member_remove(by=request.user, organisation=organisation, member=member)
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s no longer belongs to %(org)s.") % {"name": member, "org": organisation})
        return redirect("core:member_list", org=organisation.slug)
    return render(request, "core/member_remove.html", {"organisation": organisation, "member": member, "roles": selectors.member_roles(member)})


# ---- the person's own account ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    initial = {"version": user.version, "language": user.language, "time_zone": user.time_zone, "phone": user.phone}
    form = PreferencesForm(request.POST or None, initial=initial)
    status = 200
    conflict = None
    if request.method == "POST":
        if form.is_valid():
            try:
                updated = services.preferences_update(user=user, **form.cleaned_data)
            except services.StaleEdit as exc:
                conflict = [
                    {"label": _("Language"), "mine": form.cleaned_data["language"], "saved": exc.current.language},
                    {"label": _("Time zone"), "mine": form.cleaned_data["time_zone"], "saved": exc.current.time_zone},
                    {"label": _("Work phone"), "mine": form.cleaned_data["phone"], "saved": exc.current.phone},
                ]
                post = request.POST.copy()
                post["version"] = str(exc.current.version)
                form = PreferencesForm(post, initial=initial)
                form.is_valid()
                status = 409
            else:
                messages.success(request, _("Your preferences were saved."))
                from django.urls import reverse
                from django.utils import translation

                with translation.override(updated.language):
                    return redirect(reverse("core:preferences"))
        else:
            status = 400
    return render(request, "core/preferences.html", {"form": form, "conflict": conflict}, status=status)


# ---- audit trail -------------------------------------------------------------------------


def _audit_filters(request):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


def audit_list(request):
    form, filters = _audit_filters(request)
    events = selectors.audit_event_list(user=request.user, **filters)
    page = _page(request, events)
    services.audit_record_read(user=request.user, action="audit.viewed", detail={"filters": sorted(filters)})
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "verification": selectors.audit_latest_verification(user=request.user),
            "actions": selectors.audit_actions(user=request.user),
            "querystring": request.GET.urlencode() if not form.errors else "",
        },
        status=400 if form.errors else 200,
    )


def audit_detail(request, seq):
    event = selectors.audit_event_get(user=request.user, seq=seq)
    services.audit_record_read(user=request.user, action="audit.viewed", detail={"seq": event.seq})
    return render(request, "core/audit_detail.html", {"event": event})


def audit_verify(request):
    if selectors.audit_scope(user=request.user) is None:
        access.deny()
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = audit.verify_and_store(run_by=request.user)
    if result.ok:
        messages.success(request, _("The audit trail is intact: %(n)s events checked.") % {"n": result.events_checked})
    else:
        messages.error(
            request,
            _("The audit trail has been tampered with at event %(seq)s. Report this to the platform administrator at once.")
            % {"seq": result.first_bad_seq},
        )
    return redirect("core:audit_list")


def audit_export(request):
    # Reach first (an outsider gets 404 without being asked for her password), then re-auth.
    if selectors.audit_scope(user=request.user) is None:
        access.deny()
    return _audit_export(request)


@reauthentication_required
def _audit_export(request):
    form, filters = _audit_filters(request)
    events = selectors.audit_event_list(user=request.user, **filters)[:100_000]
    services.audit_record_read(user=request.user, action="audit.exported", detail={"filters": sorted(filters)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="rete-audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Exported by %(who)s at %(when)s") % {"who": request.user.email, "when": timezone.now().isoformat(timespec="seconds")}])
    writer.writerow(["seq", "at", "actor", "organisation", "action", "object_type", "object_id", "detail", "ip_address", "hash"])
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            [event.seq, event.at.isoformat(), event.actor_label, event.organisation_id or "", event.action,
             event.object_type, event.object_id, event.detail, event.ip_address or "", event.hash]
        )
    return response


# ---- session -----------------------------------------------------------------------------


@require_POST
def keepalive(request):
    """"Stay signed in": any request slides the session; this one only answers how long is left."""
    return JsonResponse({"seconds": settings.SESSION_COOKIE_AGE})


def resume(request, token):
    stash = pop_stash(request, token)
    if stash is None:
        messages.info(request, _("There was nothing left to restore."))
        return redirect("core:start")
    return render(request, "core/resume.html", {"stash": stash})


# ---- refusals ----------------------------------------------------------------------------


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def locked_out(request, credentials=None, *args, **kwargs):
    from allauth.account.forms import LoginForm

    login = (request.POST.get("login") if request.method == "POST" else "") or ""
    form = LoginForm(initial={"login": login}, request=request)
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "core/locked_out.html", {"form": form, "minutes": minutes}, status=429)
