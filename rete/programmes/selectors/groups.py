"""Every read of groups (part "groups-sessions"): the only place that decides who sees which
group. Programme coordinators see every group of their programme; facilitators the groups they
facilitate (every group of the programme if it chose organisation-wide visibility)."""
from django.db.models import Count, Prefetch, Q

from rete.core import access
from rete.core.selectors import active_memberships
from rete.programmes import access as programme_access
from rete.programmes.models import Enrolment, EnrolmentState, Group, GroupFacilitator, GroupMember, GroupStatus
from rete.programmes.selectors.enrolments import coordinated_organisation_ids, staff_choices

# A man may be placed in a group while he is in one of these states.
PLACEABLE = (EnrolmentState.WAITING, EnrolmentState.MOTIVATIONAL, EnrolmentState.ACTIVE, EnrolmentState.NON_COMPLIANT,
             EnrolmentState.SUSPENDED)
CANDIDATES_MAX = 300


def may_use_groups(*, user) -> bool:
    """Whether she works with the men somewhere (no query: memberships are cached)."""
    return group_scope(user=user) is not None


def group_scope(*, user) -> Q | None:
    """The groups she may open, as one filter (None: none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    whole, own = set(coordinated_organisation_ids(user=user)), set()
    for membership in active_memberships(user=user):
        if membership.role in programme_access.WORK_WITH_MEN and membership.organisation_id not in whole:
            (whole if membership.organisation.org_wide_visibility else own).add(membership.organisation_id)
    if not whole and not own:
        return None
    facilitated = GroupFacilitator.objects.filter(user=user, ended_at__isnull=True).values("group_id")
    return Q(organisation_id__in=whole) | (Q(organisation_id__in=own) & Q(pk__in=facilitated))


def coordinates(*, user, organisation_id) -> bool:
    """She coordinates the programme (creates and edits groups, places men, names facilitators)."""
    return access.has_capability(user, organisation_id, programme_access.COORDINATE_PROGRAMME)


def coordinated_organisations(*, user) -> list:
    ids = coordinated_organisation_ids(user=user)
    seen = {}
    for membership in active_memberships(user=user):
        if membership.organisation_id in ids:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def _active_facilitators():
    return Prefetch("facilitators", queryset=GroupFacilitator.objects.filter(ended_at__isnull=True)
                    .select_related("user").order_by("assigned_at", "pk"), to_attr="active_facilitators")


def group_list(*, user, status=""):
    """Her groups with their current facilitators and the number of men in each (two queries)."""
    scope = group_scope(user=user)
    if scope is None:
        access.deny()
    rows = Group.objects.filter(scope).select_related("organisation").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True)))
    if status in GroupStatus.values:
        rows = rows.filter(status=status)
    return rows.prefetch_related(_active_facilitators()).order_by("status", "name", "pk")


def group_get(*, user, pk) -> Group:
    """One group she may open (404 otherwise), with `may_manage` (she coordinates it) and
    `may_run` (she coordinates it or facilitates it: sessions and attendance)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = group_scope(user=user)
    if scope is None:
        access.deny()
    group = (Group.objects.filter(scope, pk=pk).select_related("organisation")
             .prefetch_related(_active_facilitators()).first())
    if group is None:
        access.deny()
    group.may_manage = coordinates(user=user, organisation_id=group.organisation_id)
    group.may_run = group.may_manage or any(f.user_id == user.pk for f in group.active_facilitators)
    return group


def group_lock(*, user, pk, manage=False) -> Group:
    """For the services: the group locked, if she may open it and (`manage`) coordinates it, or
    else runs it (coordinates or facilitates it). 404 otherwise."""
    scope = group_scope(user=user)
    if scope is None:
        access.deny()
    group = (Group.objects.select_for_update(of=("self",)).filter(scope, pk=getattr(pk, "pk", pk))
             .select_related("organisation").first())
    if group is None:
        access.deny()
    if coordinates(user=user, organisation_id=group.organisation_id):
        return group
    if manage or not GroupFacilitator.objects.filter(group=group, user=user, ended_at__isnull=True).exists():
        access.deny()
    return group


def group_members(*, group, on=None) -> list[GroupMember]:
    """The men placed in the group now (or on a date), with their enrolment and participant."""
    rows = GroupMember.objects.filter(group=group).select_related("enrolment__participant", "enrolment__organisation")
    if on is None:
        rows = rows.filter(left_on__isnull=True)
    else:
        rows = rows.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)
    return list(rows.order_by("enrolment__reference", "pk"))


def facilitator_candidates(*, group) -> list:
    """People who work with the men at the programme and do not facilitate the group now."""
    current = {f.user_id for f in getattr(group, "active_facilitators", ())}
    return [user for user in staff_choices(organisation_id=group.organisation_id) if user.pk not in current]


def member_candidates(*, group) -> list[Enrolment]:
    """Enrolments of the programme that may be placed in the group (one query)."""
    placed = GroupMember.objects.filter(group=group, left_on__isnull=True).values("enrolment_id")
    return list(Enrolment.objects.filter(organisation_id=group.organisation_id, state__in=PLACEABLE)
                .exclude(pk__in=placed).select_related("participant", "organisation")
                .order_by("reference")[:CANDIDATES_MAX])
