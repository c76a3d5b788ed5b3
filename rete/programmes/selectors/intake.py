"""Reads for the intake pages (part "intake"): the list with its filters and counts, the
duplicate warning at the enquiry, an enrolment's history of states and the start-page panel.
Visibility is decided by selectors.enrolments (visibility, enrolment_list, enrolment_get); these
only narrow what it allows, each with a fixed number of queries."""
from django.db.models import Count, Exists, OuterRef, Q

from rete.core import access
from rete.programmes import access as programme_access
from rete.programmes import states
from rete.programmes.models import Enrolment, EnrolmentStaff, EnrolmentState, Participant, StateChange
from rete.programmes.selectors import enrolments as enrolment_selectors

# Groups of states for the list's filter and the start page (together: every open state).
STATE_GROUPS = {
    "before": states.BEFORE_PROGRAMME,
    "in": states.IN_PROGRAMME - {EnrolmentState.NON_COMPLIANT},
    "non_compliant": frozenset({EnrolmentState.NON_COMPLIANT}),
    "after": states.OPEN & states.ENDED,
}
ALL = "all"


def _states_for(state: str):
    """The states a filter value stands for: "" every open state, "all" every state, a group
    key ("group:before"), or one state's code. None for an unknown value."""
    if not state:
        return states.OPEN
    if state == ALL:
        return frozenset(EnrolmentState.values)
    if state.startswith("group:"):
        return STATE_GROUPS.get(state.removeprefix("group:"))
    if state in EnrolmentState.values:
        return frozenset({state})
    return None


def enrolment_rows(*, user, state="", query="", mine_only=False):
    """The list: enrolments she may open in the chosen states (one query per page; 404 when she
    works with no men). An unknown state matches nothing."""
    rows = enrolment_selectors.enrolment_list(user=user, query=query, mine_only=mine_only)
    chosen = _states_for(state)
    if chosen is None:
        return rows.none()
    return rows.filter(state__in=list(chosen))


def enrolment_state_counts(*, user, query="", mine_only=False) -> dict:
    """How many of the enrolments she may open are in each state (one aggregate query), with the
    same search and "only mine" as the list."""
    rows = enrolment_selectors.enrolment_list(user=user, query=query, mine_only=mine_only)
    return {row["state"]: row["n"] for row in rows.order_by().values("state").annotate(n=Count("pk"))}


def enquiry_duplicates(*, user, organisation, given_name="", family_name="", birth_year=None, phone="") -> list[dict]:
    """The possible matches for a new enquiry in her programme (same normalised name and year of
    birth, or same phone), each with whether she may open it and what matched: three queries."""
    if not access.has_capability(user, organisation.pk, programme_access.WORK_WITH_MEN):
        access.deny()
    found = enrolment_selectors.participant_duplicates(organisation=organisation, given_name=given_name,
                                                       family_name=family_name, birth_year=birth_year, phone=phone)
    if not found:
        return []
    indexes = enrolment_selectors.participant_indexes(given_name=given_name, family_name=family_name,
                                                      birth_year=birth_year, phone=phone)
    scope = enrolment_selectors.visibility(user=user)
    visible = set(Enrolment.objects.filter(scope, pk__in=[e.pk for e in found]).values_list("pk", flat=True)) if scope is not None else set()
    people = {row["pk"]: row for row in Participant.objects.filter(pk__in={e.participant_id for e in found})
              .values("pk", "name_index", "phone_index")}
    matches = []
    for enrolment in found:
        person = people.get(enrolment.participant_id, {})
        matches.append({
            "pk": enrolment.pk, "reference": enrolment.reference, "state": enrolment.get_state_display(),
            "enquiry_at": enrolment.enquiry_at, "visible": enrolment.pk in visible,
            "same_name": bool(indexes["name_index"]) and person.get("name_index") == indexes["name_index"],
            "same_phone": bool(indexes["phone_index"]) and person.get("phone_index") == indexes["phone_index"],
        })
    return matches


def state_history(*, enrolment) -> list[StateChange]:
    """Every change of state of an enrolment she opened (through enrolment_get), newest first,
    with who made it: one query."""
    return list(StateChange.objects.filter(enrolment_id=enrolment.pk).select_related("by").order_by("-at", "-pk"))


def start_summary(*, user) -> dict | None:
    """For the start page: how many open enrolments she may open are in each group of states,
    and how many of them she works on herself (one aggregate query). None when she works with
    no men (no programme role, or no open enrolment she may open)."""
    if not enrolment_selectors.works_with_men(user=user):
        return None
    scope = enrolment_selectors.visibility(user=user)
    if scope is None:
        return None
    assigned = EnrolmentStaff.objects.filter(enrolment=OuterRef("pk"), user=user, ended_at__isnull=True)
    counts = Enrolment.objects.filter(scope).aggregate(
        mine=Count("pk", filter=Q(Exists(assigned)) & Q(state__in=list(states.OPEN))),
        **{key: Count("pk", filter=Q(state__in=list(group))) for key, group in STATE_GROUPS.items()})
    mine = counts.pop("mine")
    total = sum(counts.values())
    if not total:
        return None
    return {"counts": counts, "total": total, "mine": mine}
