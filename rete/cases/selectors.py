"""Every read of victim-support cases; the only place that decides who sees which case."""
from django.db.models import Exists, OuterRef, Q

from rete.cases import access as case_access
from rete.cases.models import ACTIVE_STATUSES, Case, CaseAssignment
from rete.core import access
from rete.core.selectors import active_memberships


def case_organisations(*, user) -> list:
    """Organisations where the user may open and work on cases."""
    seen = {}
    for membership in active_memberships(user=user):
        if membership.role in case_access.OPEN_CASES:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def visibility(*, user) -> Q | None:
    """The cases whose content a user may open, as one filter; None when she may see none.
    Need to know: the case's team, the case's supervisor, and a supervisor who opened it with
    break-glass for the day; every case worker of an organisation only if it chose
    organisation-wide visibility."""
    from django.utils import timezone

    from rete.cases.models import BreakGlassAccess

    whole_org, own = set(), set()
    for membership in active_memberships(user=user):
        if membership.role not in case_access.OPEN_CASES:
            continue
        (whole_org if membership.organisation.org_wide_visibility else own).add(membership.organisation_id)
    if not whole_org and not own:
        return None
    on_team = CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True)
    glass = BreakGlassAccess.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=timezone.now())
    scope = Q(organisation_id__in=whole_org) | (
        Q(organisation_id__in=own - whole_org) & (Q(Exists(on_team)) | Q(supervisor=user) | Q(Exists(glass)))
    )
    hidden = _hidden(user)
    return scope if hidden is None else scope & hidden


def _hidden(user) -> Q | None:
    """The cases she may never open or list whatever her role (e.g. the partner of a man she
    works with in a perpetrator programme), as a filter to AND; None when no module hides any."""
    scope = None
    for source in case_access.hidden_cases_sources():
        ids = source(user)
        if ids is not None:
            scope = ~Q(pk__in=ids) if scope is None else scope & ~Q(pk__in=ids)
    return scope


def oversight_organisations(*, user) -> set:
    """Organisations whose whole caseload the user oversees (supervisors): she sees every case
    in lists, and opens one she does not work on only through break-glass."""
    return {m.organisation_id for m in active_memberships(user=user) if m.role in case_access.SEE_ALL_CASES}


def case_list(*, user, mine_only=False, status="", query="", active_only=False, oversight=False, due="", risk=""):
    """Cases she may open; with `oversight`, a supervisor's whole caseload (each row says
    whether she may open it). Each row carries `overdue_items` and her current risk (`risk_band`,
    `risk_band_top`, `risk_instrument_id`, `risk_next_due_at`: rete.risk.selectors); `due` keeps
    the cases with items in that window (see due_items_filter), `risk` those matching a risk
    filter ("top", "assessed", "none", "overdue")."""
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    if oversight and oversight_organisations(user=user):
        from django.db.models import BooleanField, Value, When
        from django.db.models import Case as Conditional

        overseen = Q(organisation_id__in=oversight_organisations(user=user))
        hidden = _hidden(user)
        cases = Case.objects.filter(scope | (overseen if hidden is None else overseen & hidden)).annotate(
            can_open=Conditional(When(scope, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    else:
        cases = Case.objects.filter(scope)
    cases = cases.select_related("person", "organisation", "supervisor")
    if mine_only:
        cases = cases.filter(Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True)))
    if status:
        cases = cases.filter(status=status)
    if active_only:
        cases = cases.filter(status__in=ACTIVE_STATUSES)
    if query:
        cases = cases.filter(reference__icontains=query.strip())
    if due:
        cases = cases.filter(due_items_filter(due))
    cases = cases.annotate(overdue_items=due_items_count("overdue"))
    from rete.risk import selectors as risk_selectors

    if risk:
        cases = cases.filter(risk_selectors.subject_risk_filter(risk, "case"))
    cases = cases.annotate(**risk_selectors.subject_risk_annotations("case"))
    return cases.order_by("-last_activity_at", "-pk")


def case_get(*, user, pk) -> Case:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    case = Case.objects.filter(scope, pk=pk).select_related("person", "organisation", "supervisor", "opened_by").first()
    if case is None:
        access.deny()
    case._visible_to = user.pk
    return case


def _ensure_visible(user, case):
    """The case-page selectors take a case the caller already fetched with case_get for this
    user; only a case obtained some other way costs a second visibility query."""
    if getattr(case, "_visible_to", None) != user.pk:
        case_get(user=user, pk=case.pk)


def case_team(*, case) -> list:
    return [a.user for a in CaseAssignment.objects.filter(case=case, ended_at__isnull=True).select_related("user").order_by("assigned_at")]


def duplicate_candidates(*, user, organisation, name_index="", phone_index="", limit=10) -> list[dict]:
    """People of the same organisation with the same normalised name and year of birth, or the
    same phone. Reported by reference and status only; whether she may open the case is the
    usual visibility rule."""
    if organisation.pk not in {o.pk for o in case_organisations(user=user)}:
        access.deny()
    match = Q()
    if name_index:
        match |= Q(person__name_index=name_index)
    if phone_index:
        match |= Q(person__phone_index=phone_index)
    if not match:
        return []
    scope = visibility(user=user)
    visible = Case.objects.filter(scope) if scope is not None else Case.objects.none()
    rows = (
        Case.objects.filter(match, organisation=organisation)
        .annotate(visible=Exists(visible.filter(pk=OuterRef("pk"))))
        .order_by("-opened_at")
        .values("pk", "reference", "status", "opened_at", "visible", "person__name_index", "person__phone_index")[:limit]
    )
    return [
        {**row, "same_name": bool(name_index) and row["person__name_index"] == name_index,
         "same_phone": bool(phone_index) and row["person__phone_index"] == phone_index}
        for row in rows
    ]


def caseload_summary(*, user) -> dict | None:
    scope = visibility(user=user)
    if scope is None:
        return None
    mine = case_list(user=user, mine_only=True, active_only=True)
    return {"mine_active": mine.count(), "recent": list(mine[:5]), **services_due_summary(user=user, cases=mine),
            "justice": justice_due(user=user), "closures_waiting": closures_waiting(user=user),
            "contact_requests_waiting": contact_requests_waiting(user=user)}


def closures_waiting(*, user, limit=10) -> list:
    """Closures proposed on the cases she supervises, waiting for her decision (never her own)."""
    from rete.cases.models import ClosureDecision, ClosureRequest

    if not oversight_organisations(user=user):
        return []
    return list(ClosureRequest.objects.filter(decision=ClosureDecision.PENDING, case__supervisor=user)
                .exclude(requested_by=user).select_related("case", "requested_by").order_by("requested_at")[:limit])




def team_candidates(*, user, case) -> list:
    """Colleagues who may join the case's team: case roles at the case's organisation."""
    from rete.cases import access as case_access_
    from rete.core.models import Membership, User

    _ensure_visible(user, case)
    on_team = CaseAssignment.objects.filter(case=case, ended_at__isnull=True).values("user_id")
    member_ids = Membership.objects.filter(organisation=case.organisation, role__in=case_access_.OPEN_CASES, ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).exclude(pk__in=on_team).order_by("last_name", "first_name")[:200])


def case_timeline(*, user, case):
    from rete.cases.models import CaseActivity

    _ensure_visible(user, case)
    return CaseActivity.objects.filter(case=case).select_related("actor", "note", "subject").order_by("-at", "-pk")


def pending_closure(*, user, case):
    from rete.cases.models import ClosureDecision, ClosureRequest

    _ensure_visible(user, case)
    return ClosureRequest.objects.filter(case=case, decision=ClosureDecision.PENDING).select_related("requested_by").first()


def can_decide_closure(*, user, case) -> bool:
    return access.has_capability(user, case.organisation_id, case_access.SEE_ALL_CASES)


def break_glass_candidate(*, user, pk):
    """A case of an organisation she oversees that she may not open yet: what the break-glass
    page may show (reference, status, team size), or a 404 for anything else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    orgs = oversight_organisations(user=user)
    hidden = _hidden(user)
    candidates = Case.objects.filter(pk=pk, organisation_id__in=orgs)
    candidates = candidates if hidden is None else candidates.filter(hidden)
    case = candidates.select_related("organisation", "supervisor").first() if orgs else None
    if case is None:
        access.deny()
    return case


def supervisors_of(*, organisation, exclude=None) -> list:
    """The supervisors of an organisation (who may decide a closure or oversee a case)."""
    from rete.core.models import Membership, User

    ids = Membership.objects.filter(organisation=organisation, role__in=case_access.SEE_ALL_CASES, ended_at__isnull=True).values("user_id")
    users = User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users[:100])


def case_incidents(*, user, case, limit=50):
    from rete.cases.models import Incident

    _ensure_visible(user, case)
    return list(Incident.objects.filter(case=case).order_by("-incident_date", "-pk")[:limit])


def case_consents(*, user, case, limit=100):
    from rete.cases.models import Consent

    _ensure_visible(user, case)
    return list(Consent.objects.filter(case=case).order_by("-given_on", "-pk")[:limit])


def consent_allows(*, case, kind, sector="", agency="", on=None) -> bool:
    """Whether a consent in force covers a share or contact (used by sharing, e.g. referrals).
    Called by services that already hold a case they may act on."""
    from django.utils import timezone as tz

    from rete.cases.models import Consent, ConsentKind

    on = on or tz.localdate()
    consents = Consent.objects.filter(case=case, withdrawn_on__isnull=True, given_on__lte=on)
    if kind == ConsentKind.SHARE_SECTOR:
        return consents.filter(kind=kind, sector=sector).exists()
    if kind == ConsentKind.SHARE_AGENCY:
        return any(c.agency.casefold() == agency.strip().casefold() for c in consents.filter(kind=kind))
    return consents.filter(kind=kind).exists()


def draft_get(*, user, case, form):
    """Her own unsent draft of a long form on this case, as (QueryDict-like data, saved at)."""
    import json

    from django.http import QueryDict

    from rete.cases.models import FormDraft

    _ensure_visible(user, case)
    draft = FormDraft.objects.filter(case=case, user=user, form=form).first()
    if draft is None:
        return None, None
    data = QueryDict(mutable=True)
    for key, values in json.loads(draft.payload).items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data, draft.updated_at


def reviews_break_glass(*, user) -> bool:
    """Data-protection officers review the break-glass openings of their organisations."""
    from rete.core.models import Role

    return any(m.role == Role.DPO for m in active_memberships(user=user))


def break_glass_list(*, user):
    """Break-glass openings in the organisations where she is data-protection officer."""
    from rete.cases.models import BreakGlassAccess
    from rete.core.models import Role

    orgs = {m.organisation_id for m in active_memberships(user=user) if m.role == Role.DPO}
    if not orgs:
        access.deny()
    return BreakGlassAccess.objects.filter(case__organisation_id__in=orgs).select_related("case__organisation", "user").order_by("-opened_at", "-pk")


# ---- information given (Art. 4) and the safety plan -------------------------------------------


def information_given_list(*, user, case, limit=500) -> list:
    """Every record that an Art. 4 item was explained to her, newest first within each item."""
    from rete.cases.models import InformationGiven

    _ensure_visible(user, case)
    return list(InformationGiven.objects.filter(case=case).select_related("given_by").order_by("item", "-given_on", "-pk")[:limit])


def information_checklist(*, user, case) -> list[dict]:
    """One row per Art. 4 item, (a) to (k): the latest time it was given (or None) and how often.
    One query, whatever the number of records."""
    from rete.cases.models import InformationItem

    latest, counts = {}, {}
    for record in information_given_list(user=user, case=case):
        latest.setdefault(record.item, record)
        counts[record.item] = counts.get(record.item, 0) + 1
    return [{"item": item.value, "label": item.label, "latest": latest.get(item.value), "count": counts.get(item.value, 0)}
            for item in InformationItem]


def safety_plan_get(*, user, case):
    """Her safety plan (or None), with who saved it last and the date of the latest review,
    in one query."""
    from django.db.models import Count, Max

    from rete.cases.models import SafetyPlan

    _ensure_visible(user, case)
    return (SafetyPlan.objects.filter(case=case).select_related("updated_by")
            .annotate(last_reviewed_on=Max("reviews__reviewed_on"), review_count=Count("reviews")).first())


def safety_plan_reviews(*, user, case, limit=50) -> list:
    from rete.cases.models import SafetyPlanReview

    _ensure_visible(user, case)
    return list(SafetyPlanReview.objects.filter(plan__case=case).select_related("reviewed_by").order_by("-reviewed_on", "-pk")[:limit])


# ---- access to justice ------------------------------------------------------------------------

ORDER_EXPIRY_WARNING_DAYS = 14
HEARING_REMINDER_DAYS = 3


def case_complaints(*, user, case, limit=100):
    from rete.cases.models import Complaint

    _ensure_visible(user, case)
    return list(Complaint.objects.filter(case=case).order_by("-filed_on", "-pk")[:limit])


def case_protection_orders(*, user, case, limit=100):
    from rete.cases.models import ProtectionOrder

    _ensure_visible(user, case)
    return list(ProtectionOrder.objects.filter(case=case).order_by("-issued_on", "-applied_on", "-pk")[:limit])


def case_proceedings(*, user, case, limit=100, hearings_per_proceeding=50):
    """Proceedings with their hearings (two queries whatever the data), each with
    `upcoming_hearings` (soonest first) and `past_hearings` (latest first)."""
    from django.db.models import Prefetch
    from django.utils import timezone

    from rete.cases.models import Hearing, Proceeding

    _ensure_visible(user, case)
    proceedings = list(
        Proceeding.objects.filter(case=case)
        .prefetch_related(Prefetch("hearings", queryset=Hearing.objects.order_by("at", "pk")))
        .order_by("-recorded_at", "-pk")[:limit]
    )
    now = timezone.now()
    for proceeding in proceedings:
        hearings = list(proceeding.hearings.all())
        proceeding.upcoming_hearings = [h for h in hearings if h.at >= now][:hearings_per_proceeding]
        proceeding.past_hearings = [h for h in reversed(hearings) if h.at < now][:hearings_per_proceeding]
    # Proceedings with a hearing coming up come first, the soonest at the top.
    proceedings.sort(key=lambda p: (not p.upcoming_hearings, p.upcoming_hearings[0].at if p.upcoming_hearings else now))
    return proceedings


def _case_object(user, owner, model, pk, **extra):
    _ensure_visible(user, owner)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    obj = model.objects.filter(pk=pk, **extra).first()
    if obj is None:
        access.deny()
    return obj


def complaint_get(*, user, case, pk):
    from rete.cases.models import Complaint

    return _case_object(user, case, Complaint, pk, case=case)


def order_get(*, user, case, pk):
    from rete.cases.models import ProtectionOrder

    return _case_object(user, case, ProtectionOrder, pk, case=case)


def proceeding_get(*, user, case, pk):
    from rete.cases.models import Proceeding

    return _case_object(user, case, Proceeding, pk, case=case)


def hearing_get(*, user, case, pk):
    from rete.cases.models import Hearing

    hearing = _case_object(user, case, Hearing, pk, proceeding__case=case)
    return hearing


def justice_summary(*, user, case) -> dict:
    """For the case page: orders in force with their expiry, the next hearing, how many
    complaints and open proceedings. Two queries whatever the data."""
    import datetime

    from django.db.models import Count, IntegerField, Subquery
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from rete.cases.models import Complaint, Hearing, OrderStatus, Proceeding, ProceedingStatus, ProtectionOrder

    _ensure_visible(user, case)
    today = timezone.localdate()
    orders = list(ProtectionOrder.objects.filter(case=case, status=OrderStatus.GRANTED).order_by("expires_on", "pk")[:5])
    for order in orders:
        order.expiry_state = order_expiry_state(order, today)

    def count(queryset):
        return Coalesce(Subquery(queryset.order_by().values("case").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)

    upcoming = Hearing.objects.filter(proceeding__case=OuterRef("pk"), at__gte=timezone.now()).order_by("at", "pk")
    row = Case.objects.filter(pk=case.pk).annotate(
        complaints_count=count(Complaint.objects.filter(case=OuterRef("pk"))),
        open_proceedings_count=count(Proceeding.objects.filter(case=OuterRef("pk")).exclude(status=ProceedingStatus.CONCLUDED)),
        next_at=Subquery(upcoming.values("at")[:1]),
        next_kind=Subquery(upcoming.values("proceeding__kind")[:1]),
        next_accompanied=Subquery(upcoming.values("accompanied")[:1]),
    ).values("complaints_count", "open_proceedings_count", "next_at", "next_kind", "next_accompanied").first() or {}
    next_hearing = None
    if row.get("next_at"):
        next_hearing = Hearing(at=row["next_at"], accompanied=bool(row["next_accompanied"]), proceeding=Proceeding(kind=row["next_kind"]))
    return {
        "orders_in_force": orders,
        "next_hearing": next_hearing,
        "complaints_count": row.get("complaints_count", 0),
        "open_proceedings_count": row.get("open_proceedings_count", 0),
        "warning_until": today + datetime.timedelta(days=ORDER_EXPIRY_WARNING_DAYS),
    }


def order_expiry_state(order, today) -> str:
    """"past" (expiry date gone), "soon" (within the warning period), "" otherwise."""
    import datetime

    if not order.expires_on:
        return ""
    if order.expires_on < today:
        return "past"
    if order.expires_on <= today + datetime.timedelta(days=ORDER_EXPIRY_WARNING_DAYS):
        return "soon"
    return ""


def justice_due(*, user, within_days=ORDER_EXPIRY_WARNING_DAYS, limit=10) -> dict:
    """For a start-page panel: upcoming hearings and granted orders expiring soon on active
    cases on her team. One query each (plus the visibility check), at most `limit` rows each;
    rows carry the case reference, never names."""
    import datetime

    from django.utils import timezone

    from rete.cases.models import Hearing, OrderStatus, ProtectionOrder

    scope = visibility(user=user)
    if scope is None:
        return {"hearings": [], "orders": []}
    on_team = CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True)
    cases = Case.objects.filter(scope, Exists(on_team), status__in=ACTIVE_STATUSES).values("pk")
    now = timezone.now()
    today = timezone.localdate()
    hearings = list(
        Hearing.objects.filter(proceeding__case__in=cases, at__gte=now, at__lte=now + datetime.timedelta(days=within_days))
        .select_related("proceeding__case").order_by("at", "pk")[:limit]
    )
    orders = list(
        ProtectionOrder.objects.filter(case__in=cases, status=OrderStatus.GRANTED, expires_on__isnull=False,
                                       expires_on__lte=today + datetime.timedelta(days=within_days))
        .select_related("case").order_by("expires_on", "pk")[:limit]
    )
    for order in orders:
        order.expiry_state = order_expiry_state(order, today)
    return {"hearings": hearings, "orders": orders}


# ---- individual needs assessment ------------------------------------------------------------


def needs_assessment_list(*, user, case, limit=20) -> list:
    """Her assessments, newest first (the first is the one in force)."""
    from rete.cases.models import NeedsAssessment

    _ensure_visible(user, case)
    return list(NeedsAssessment.objects.filter(case=case).select_related("assessed_by").order_by("-number")[:limit])


def needs_assessment_latest(*, user, case):
    from rete.cases.models import NeedsAssessment

    _ensure_visible(user, case)
    return NeedsAssessment.objects.filter(case=case).order_by("-number").first()


def needs_assessment_get(*, user, case, number):
    """One assessment of the case by its number; 404 when the case has no such assessment."""
    from rete.cases.models import NeedsAssessment

    _ensure_visible(user, case)
    try:
        number = int(number)
    except (TypeError, ValueError):
        access.deny()
    assessment = NeedsAssessment.objects.filter(case=case, number=number).select_related("assessed_by").first()
    if assessment is None:
        access.deny()
    return assessment


def needs_assessment_previous(*, user, case, number):
    """The assessment before the given number (to show what changed), or None."""
    from rete.cases.models import NeedsAssessment

    _ensure_visible(user, case)
    return NeedsAssessment.objects.filter(case=case, number__lt=number).order_by("-number").first()


def draft_saved_at(*, user, case, form):
    """When her unsent draft of a long form on this case was last saved, or None."""
    from rete.cases.models import FormDraft

    _ensure_visible(user, case)
    return FormDraft.objects.filter(case=case, user=user, form=form).values_list("updated_at", flat=True).first()


# ---- support plan and due items ------------------------------------------------------------


def case_service_list(*, user, case):
    """The lines of her support plan, soonest due first (undated last), as a queryset."""
    from django.db.models import F

    from rete.cases.models import SupportService

    _ensure_visible(user, case)
    return SupportService.objects.filter(case=case).order_by(F("due_on").asc(nulls_last=True), "pk")


def case_services(*, user, case, limit=200) -> list:
    """The first `limit` lines of her support plan, each marked `overdue` (still open after its
    due date) or `due_soon` (open, due within DUE_SOON_DAYS)."""
    return [mark_due(service) for service in case_service_list(user=user, case=case)[:limit]]


def case_service_get(*, user, case, service_id):
    from rete.cases.models import SupportService

    _ensure_visible(user, case)
    try:
        service_id = int(service_id)
    except (TypeError, ValueError):
        access.deny()
    service = SupportService.objects.filter(case=case, pk=service_id).select_related("created_by").first()
    if service is None:
        access.deny()
    return mark_due(service)


DUE_SOON_DAYS = 7


def mark_due(service, today=None):
    import datetime

    from django.utils import timezone

    from rete.cases.models import OPEN_SERVICE_STATUSES

    today = today or timezone.localdate()
    is_open = service.status in OPEN_SERVICE_STATUSES and service.due_on is not None
    service.overdue = is_open and service.due_on < today
    service.due_soon = is_open and today <= service.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS)
    return service


def _services_due(window, today):
    """Due items of the support plan: open services past their due date ("overdue") or due
    from today to DUE_SOON_DAYS ahead ("week"). Returns (queryset, path to the case)."""
    import datetime

    from rete.cases.models import OPEN_SERVICE_STATUSES, SupportService

    rows = SupportService.objects.filter(status__in=OPEN_SERVICE_STATUSES)
    if window == "overdue":
        return rows.filter(due_on__lt=today), "case"
    return rows.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)), "case"


# The windows the caseload can filter on (forms.CaseFilterForm.due) and the sources of due
# items: each source is fn(window, today) -> (queryset of its items, lookup path to the case).
# Other parts of the case file (hearings, expiring orders) append their own source.
DUE_WINDOWS = ("overdue", "week")
DUE_ITEM_SOURCES = [_services_due]


def due_items_filter(kind, *, today=None) -> Q:
    """Cases with at least one due item in the window `kind` ("overdue" or "week"), as one
    filter of EXISTS subqueries, one per source; "" filters nothing."""
    from django.utils import timezone

    if not kind:
        return Q()
    if kind not in DUE_WINDOWS:
        raise ValueError(f"unknown due window {kind!r}")
    today = today or timezone.localdate()
    condition = Q()
    for source in DUE_ITEM_SOURCES:
        items, path = source(kind, today)
        condition |= Q(Exists(items.filter(**{path: OuterRef("pk")})))
    return condition


def due_items_count(kind="overdue", *, today=None):
    """An expression counting a case's due items in the window (one correlated subquery per
    source, no query per row)."""
    from django.db.models import Count, IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    today = today or timezone.localdate()
    total = None
    for source in DUE_ITEM_SOURCES:
        items, path = source(kind, today)
        counted = items.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(n=Count("pk")).values("n")
        term = Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
        total = term if total is None else total + term
    return total


DUE_PANEL_ROWS = 10


def services_due_summary(*, user, cases=None, limit=DUE_PANEL_ROWS) -> dict:
    """For the start page: open services on the cases of her team that are overdue or due in
    the next DUE_SOON_DAYS, each list cut at `limit` rows, with totals and the number of cases
    with something overdue. Three queries whatever the caseload."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from rete.cases.models import OPEN_SERVICE_STATUSES, SupportService

    if cases is None:
        cases = case_list(user=user, mine_only=True, active_only=True)
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = SupportService.objects.filter(case__in=cases.order_by().values("pk"), status__in=OPEN_SERVICE_STATUSES,
                                         due_on__lte=horizon)
    totals = rows.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        overdue_cases=Count("case", filter=Q(due_on__lt=today), distinct=True),
        due_soon=Count("pk", filter=Q(due_on__gte=today)),
    )
    listed = rows.select_related("case__organisation", "case__person")
    overdue = [mark_due(s, today) for s in listed.filter(due_on__lt=today).order_by("due_on", "pk")[:limit]] if totals["overdue"] else []
    due_soon = [mark_due(s, today) for s in listed.filter(due_on__gte=today).order_by("due_on", "pk")[:limit]] if totals["due_soon"] else []
    for service in overdue:
        service.days_overdue = (today - service.due_on).days
    return {"overdue": overdue, "overdue_total": totals["overdue"], "overdue_cases": totals["overdue_cases"],
            "due_soon": due_soon, "due_soon_total": totals["due_soon"], "today": today}


# ---- related people and documents ------------------------------------------------------------


def related_people_list(*, user, case, limit=200):
    """Children, dependants and perpetrators of the case, current ones first (one query)."""
    from rete.cases.models import RelatedPerson

    _ensure_visible(user, case)
    return list(RelatedPerson.objects.filter(case=case).order_by("ended_at", "kind", "pk")[:limit])


def related_person_get(*, user, case, related_id):
    from rete.cases.models import RelatedPerson

    _ensure_visible(user, case)
    try:
        related_id = int(related_id)
    except (TypeError, ValueError):
        access.deny()
    related = RelatedPerson.objects.filter(case=case, pk=related_id).first()
    if related is None:
        access.deny()
    return related


def attachment_list(*, user, case, limit=200):
    """The case's documents, newest first, without their contents (one query)."""
    from rete.cases.models import Attachment

    _ensure_visible(user, case)
    return list(Attachment.objects.filter(case=case).defer("content").select_related("uploaded_by").order_by("-uploaded_at", "-pk")[:limit])


def attachment_get(*, user, case, attachment_id, with_content=False):
    from rete.cases.models import Attachment

    _ensure_visible(user, case)
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        access.deny()
    rows = Attachment.objects.filter(case=case, pk=attachment_id)
    attachment = (rows if with_content else rows.defer("content")).first()
    if attachment is None:
        access.deny()
    return attachment


def incident_list(*, user, case):
    """A case's incidents as a queryset (for paginated API listings)."""
    from rete.cases.models import Incident

    _ensure_visible(user, case)
    return Incident.objects.filter(case=case).order_by("-incident_date", "-pk")


def incident_get(*, user, case, incident_id):
    from rete.cases.models import Incident

    _ensure_visible(user, case)
    try:
        incident_id = int(incident_id)
    except (TypeError, ValueError):
        access.deny()
    incident = Incident.objects.filter(case=case, pk=incident_id).first()
    if incident is None:
        access.deny()
    return incident


# ---- for the risk app (rete.risk.subjects): whose due risk work she sees, whom to remind ----


def case_ids_to_watch(*, user):
    """The active cases whose due work (risk reassessments and actions) her start page shows,
    as a values queryset of pks for a subquery: the cases on her team; a supervisor's also the
    cases she supervises or may open. None when she works on no case."""
    if visibility(user=user) is None:
        return None
    mine_only = not oversight_organisations(user=user)
    return case_list(user=user, mine_only=mine_only, active_only=True).order_by().values("pk")


def case_people_to_remind(case_id) -> list:
    """Whom a reminder about an active case goes to: its active team and its supervisor, if they
    still work at the organisation in a case role, are active and have an address."""
    from rete.core.models import Membership, User

    case = Case.objects.filter(pk=case_id, status__in=ACTIVE_STATUSES).only("pk", "organisation_id", "supervisor_id").first()
    if case is None:
        return []
    ids = set(CaseAssignment.objects.filter(case=case, ended_at__isnull=True).values_list("user_id", flat=True))
    if case.supervisor_id:
        ids.add(case.supervisor_id)
    roles = set(case_access.OPEN_CASES) | set(case_access.SEE_ALL_CASES)
    working = Membership.objects.filter(organisation_id=case.organisation_id, role__in=roles, ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).filter(pk__in=working).exclude(email="").order_by("pk"))


def active_case_ids():
    """Ids of the cases still being worked on (any organisation): for aggregate counts only,
    never shown as such."""
    return Case.objects.filter(status__in=ACTIVE_STATUSES).values("pk")


# ---- safe contact: requests from the public portal ------------------------------------------


def contact_request_organisations() -> list:
    """Organisations that receive requests for contact, by country then name (public list:
    names only). Kinds are a JSON list, filtered here to work on every database."""
    from rete.cases.models import CONTACT_REQUEST_KINDS
    from rete.core.models import Organisation

    organisations = Organisation.objects.only("pk", "name", "country", "kinds").order_by("country", "name")
    return [o for o in organisations if set(o.kinds or []) & set(CONTACT_REQUEST_KINDS)]


def contact_request_queue(*, user):
    """Requests waiting (new or in progress) at the organisations where she holds a case role;
    None when she holds none."""
    from rete.cases.models import ContactRequest, ContactRequestStatus

    organisation_ids = [o.pk for o in case_organisations(user=user)]
    if not organisation_ids:
        return None
    return (ContactRequest.objects.filter(organisation_id__in=organisation_ids,
                                          status__in=[ContactRequestStatus.NEW, ContactRequestStatus.IN_PROGRESS])
            .select_related("organisation").order_by("received_at", "pk"))


def contact_request_get(*, user, request_id):
    """One request, for a case role of its organisation; 404 for anyone else."""
    from rete.cases.models import ContactRequest
    from rete.core import access as core_access

    organisation_ids = [o.pk for o in case_organisations(user=user)]
    request = (ContactRequest.objects.filter(pk=request_id, organisation_id__in=organisation_ids)
               .select_related("organisation", "handled_by", "case").first())
    if request is None:
        core_access.deny()
    return request


def contact_requests_waiting(*, user) -> int:
    queue = contact_request_queue(user=user)
    return queue.count() if queue is not None else 0


# ---- referral packages (read by rete.network's referral services) ----------------------------

REFERRAL_PACKAGE_LIMIT = 50  # rows per category in a package


def _iso(value):
    return value.isoformat() if value else None


def referral_package(*, case, categories) -> dict:
    """The snapshot of `case` that travels with a referral: ONLY the requested categories (codes
    of rete.network.models.ShareCategory), each as plain JSON data (dates as ISO strings). No
    access check: called by the referral service, which has checked the sender, the protocol and
    her consent. At most one query per category (two for risk and justice, three for justice)."""
    from django.utils import timezone as tz

    from rete.cases.models import (
        Complaint,
        NeedsAssessment,
        Person,
        Proceeding,
        ProtectionOrder,
        RelatedKind,
        RelatedPerson,
        SafetyPlan,
        SupportService,
    )

    wanted = set(categories)
    package = {}
    limit = REFERRAL_PACKAGE_LIMIT
    person = None
    if wanted & {"identity", "contact"}:
        person = case.person if type(case).person.is_cached(case) else Person.objects.get(pk=case.person_id)
    if "identity" in wanted:
        package["identity"] = {
            "given_name": person.given_name, "family_name": person.family_name, "alias": person.alias,
            "date_of_birth": person.date_of_birth, "birth_year": person.birth_year, "language": person.language,
            "interpreter_needed": person.interpreter_needed,
        }
    if "contact" in wanted:
        package["contact"] = {
            "safe_to_contact": person.safe_to_contact, "safe_phone": person.safe_phone, "safe_times": person.safe_times,
            "code_word": person.code_word, "precautions": person.contact_precautions,
        }
    if "incidents" in wanted:
        package["incidents"] = [
            {"date": _iso(i.incident_date), "reported_on": _iso(i.reported_on), "type": i.gbv_type, "place": i.place_type,
             "context": list(i.context_flags or []), "narrative": i.narrative, "reported_to_police": i.reported_to_police,
             "injuries": i.injuries, "medical_care": i.medical_care}
            for i in case.incidents.order_by("-incident_date", "-pk")[:limit]]
    if "risk" in wanted:
        package["risk"] = _risk_for_package(case)
    if "needs" in wanted:
        latest = NeedsAssessment.objects.filter(case=case).order_by("-number").first()
        package["needs"] = None if latest is None else {
            "assessed_on": _iso(latest.assessed_on), "trigger": latest.trigger,
            "personal_characteristics": list(latest.personal_characteristics or []),
            "crime_type": list(latest.crime_type or []), "circumstances": list(latest.circumstances or []),
            "protection_needs": list(latest.protection_needs or []), "special_measures": list(latest.special_measures or []),
            "specific_protection_needs": latest.specific_protection_needs,
        }
    if "safety_plan" in wanted:
        plan = SafetyPlan.objects.filter(case=case).first()
        package["safety_plan"] = None if plan is None else {
            "language": plan.language, "updated_at": _iso(plan.updated_at), "next_review_on": _iso(plan.next_review_on),
            **{field: getattr(plan, field) for field in ("safe_contacts", "leaving_plan", "documents_bag", "children",
                                                         "technology", "work", "after_separation")},
        }
    if "children" in wanted or "perpetrator" in wanted:
        related = list(RelatedPerson.objects.filter(case=case, ended_at__isnull=True).order_by("kind", "pk")[:limit * 2])
        year = tz.localdate().year
        if "children" in wanted:
            package["children"] = [
                {"first_name": (r.name.split() or [""])[0], "age": year - r.birth_year if r.birth_year else None,
                 "kind": r.kind, "relationship": r.relationship, "needs": r.needs}
                for r in related if r.kind in (RelatedKind.CHILD, RelatedKind.DEPENDANT)]
        if "perpetrator" in wanted:
            package["perpetrator"] = [
                {"name": r.name, "relationship": r.relationship, "cohabiting": r.cohabiting,
                 "weapons_access": r.weapons_access, "known_to_police": r.known_to_police}
                for r in related if r.kind == RelatedKind.PERPETRATOR]
    if "justice" in wanted:
        package["justice"] = {
            "complaints": [{"filed_on": _iso(c.filed_on), "authority": c.authority, "status": c.status}
                           for c in Complaint.objects.filter(case=case).order_by("-filed_on", "-pk")[:limit]],
            "orders": [{"kind": o.kind, "court": o.court, "status": o.status, "applied_on": _iso(o.applied_on),
                        "issued_on": _iso(o.issued_on), "expires_on": _iso(o.expires_on)}
                       for o in ProtectionOrder.objects.filter(case=case).order_by("-pk")[:limit]],
            "proceedings": [{"kind": p.kind, "court": p.court, "status": p.status}
                            for p in Proceeding.objects.filter(case=case).order_by("-pk")[:limit]],
        }
    if "services" in wanted:
        package["services"] = [
            {"kind": s.kind, "status": s.status, "provider": s.provider, "due_on": _iso(s.due_on)}
            for s in SupportService.objects.filter(case=case).order_by("due_on", "pk")[:limit]]
    return package


def _risk_for_package(case):
    """The band in force (the one the case page shows): code, label, instrument and date."""
    from rete.risk.models import RiskStatus
    from rete.risk.selectors import band_label, instruments_described

    status = (RiskStatus.objects.filter(subject_type="case", subject_id=case.pk).select_related("assessment")
              .defer("assessment__answers", "assessment__item_notes", "assessment__override_reason",
                     "assessment__rationale").first())
    current = status.assessment if status is not None else None
    if current is None or not current.band:
        return None
    described = instruments_described({current.instrument_id})
    info = described.get(current.instrument_id)
    return {"band": current.band, "label": str(band_label(described, current.instrument_id, current.band)),
            "instrument": info["title"] if info else "", "assessed_at": _iso(getattr(current, "signed_at", None))}


def referral_package_choices() -> dict:
    """The labels of the coded values in a referral package, by (category, group, field), so
    that the receiver reads them in her own language; group is "" outside `justice`."""
    from rete.cases import models as m

    def labels(choices):
        return dict(choices.choices)

    return {
        ("incidents", "", "type"): labels(m.GbvType), ("incidents", "", "place"): labels(m.PlaceType),
        ("incidents", "", "context"): labels(m.ContextFlag), ("needs", "", "trigger"): labels(m.AssessmentTrigger),
        ("children", "", "kind"): labels(m.RelatedKind), ("children", "", "relationship"): labels(m.Relationship),
        ("perpetrator", "", "relationship"): labels(m.Relationship),
        ("justice", "complaints", "status"): labels(m.ComplaintStatus),
        ("justice", "orders", "kind"): labels(m.OrderKind), ("justice", "orders", "status"): labels(m.OrderStatus),
        ("justice", "proceedings", "kind"): labels(m.ProceedingKind),
        ("justice", "proceedings", "status"): labels(m.ProceedingStatus),
        ("services", "", "kind"): labels(m.ServiceKind), ("services", "", "status"): labels(m.ServiceStatus),
    }


def conference_facts(*, case, now=None) -> dict:
    """What a risk conference counts about a case, for rete.network (which has checked access):
    police call-outs in the last 12 months (incidents reported to the police) and the children
    and dependants recorded with her. Two queries."""
    import datetime

    from django.utils import timezone as tz

    from rete.cases.models import Incident, RelatedKind, RelatedPerson

    today = tz.localdate(now) if now else tz.localdate()
    since = today - datetime.timedelta(days=365)
    return {
        "police_callouts": Incident.objects.filter(case=case, reported_to_police=True, incident_date__gte=since).count(),
        "children": RelatedPerson.objects.filter(case=case, ended_at__isnull=True,
                                                 kind__in=[RelatedKind.CHILD, RelatedKind.DEPENDANT]).count(),
    }
