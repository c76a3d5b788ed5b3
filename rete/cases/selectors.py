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
    return Q(organisation_id__in=whole_org) | (
        Q(organisation_id__in=own - whole_org) & (Q(Exists(on_team)) | Q(supervisor=user) | Q(Exists(glass)))
    )


def oversight_organisations(*, user) -> set:
    """Organisations whose whole caseload the user oversees (supervisors): she sees every case
    in lists, and opens one she does not work on only through break-glass."""
    return {m.organisation_id for m in active_memberships(user=user) if m.role in case_access.SEE_ALL_CASES}


def case_list(*, user, mine_only=False, status="", query="", active_only=False, oversight=False):
    """Cases she may open; with `oversight`, a supervisor's whole caseload (each row says
    whether she may open it)."""
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    if oversight and oversight_organisations(user=user):
        from django.db.models import BooleanField, Value, When
        from django.db.models import Case as Conditional

        cases = Case.objects.filter(scope | Q(organisation_id__in=oversight_organisations(user=user))).annotate(
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
    return {"mine_active": mine.count(), "recent": list(mine[:5])}




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
    case = Case.objects.filter(pk=pk, organisation_id__in=orgs).select_related("organisation", "supervisor").first() if orgs else None
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


def break_glass_list(*, user):
    """Break-glass openings in the organisations where she is data-protection officer."""
    from rete.cases.models import BreakGlassAccess
    from rete.core.models import Role

    orgs = {m.organisation_id for m in active_memberships(user=user) if m.role == Role.DPO}
    if not orgs:
        access.deny()
    return BreakGlassAccess.objects.filter(case__organisation_id__in=orgs).select_related("case__organisation", "user").order_by("-opened_at", "-pk")
