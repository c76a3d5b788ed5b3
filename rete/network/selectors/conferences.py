"""Every read of the multi-agency risk conferences (part "conference-core").

Who sees what:
- the network coordinators of a series' coordinating organisation run it: members,
  representatives, meetings, the agenda with its references, notes, decisions and actions, and
  the figures (no personal data);
- the named representatives of its member organisations (who must still be members of that
  organisation) read the case summaries, the minutes and the actions, and report progress on
  their own agency's actions;
- the team of a case (caseworker, supervisor) sees the conference referrals of that case;
- nobody else learns that a series, a meeting or a referral exists (404).
A case summary (the package) is shown to representatives only, never to a coordinator who is
not one. Each function issues a fixed number of queries."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from rete.core import access
from rete.core.selectors import active_memberships
from rete.network.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceActionUpdate,
    ConferenceMeeting,
    ConferenceMember,
    ConferenceReferral,
    ConferenceReferralStatus,
    ConferenceRepresentative,
    ConferenceSeries,
    MeetingStatus,
)

REPEAT_WINDOW = datetime.timedelta(days=365)
_CACHE_ATTR = "_rete_conference_seats"
OPEN_ACTIONS = (ConferenceActionStatus.OPEN, ConferenceActionStatus.IN_PROGRESS)
LIST_LIMIT = 200  # rows on a list page; the figures count everything


@dataclass(frozen=True)
class Seats:
    """Where a user sits: the series she coordinates (by organisation) and the member
    organisations she represents, per series."""

    coordinator_of: frozenset  # organisation ids where she is a network coordinator
    represents: dict = field(default_factory=dict)  # series id -> frozenset of organisation ids

    def coordinates(self, series) -> bool:
        return series.organisation_id in self.coordinator_of

    def represented(self, series_id) -> frozenset:
        return self.represents.get(series_id, frozenset())


def seats(*, user) -> Seats:
    """One query per request (cached on the user like the memberships)."""
    if not getattr(user, "is_authenticated", False):
        return Seats(frozenset())
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    memberships = active_memberships(user=user)
    coordinator_of = frozenset(m.organisation_id for m in memberships if m.role in access.COORDINATE_CONFERENCES)
    member_of = {m.organisation_id for m in memberships}
    represents: dict = {}
    if member_of:
        for series_id, organisation_id in ConferenceRepresentative.objects.filter(
                user=user, member__organisation_id__in=member_of).values_list("member__series_id", "member__organisation_id"):
            represents.setdefault(series_id, set()).add(organisation_id)
    result = Seats(coordinator_of, {k: frozenset(v) for k, v in represents.items()})
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_seats(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def may_use_conferences(*, user) -> bool:
    s = seats(user=user)
    return bool(s.coordinator_of or s.represents)


def _annotate(series, s: Seats):
    series.can_coordinate = s.coordinates(series)
    series.represented = s.represented(series.pk)
    series.is_representative = bool(series.represented)
    return series


def series_list(*, user) -> list[ConferenceSeries]:
    """The series she coordinates or sits in, each with the number of cases waiting and the
    next planned meeting. Two queries."""
    s = seats(user=user)
    if not (s.coordinator_of or s.represents):
        return []
    now = timezone.now()
    rows = (ConferenceSeries.objects.filter(Q(organisation_id__in=s.coordinator_of) | Q(pk__in=list(s.represents)))
            .select_related("organisation")
            .annotate(waiting=Count("referrals", filter=Q(referrals__status=ConferenceReferralStatus.WAITING), distinct=True))
            .order_by("-active", "country", "name", "pk"))
    rows = [_annotate(series, s) for series in rows]
    upcoming = {}
    for meeting in ConferenceMeeting.objects.filter(series__in=[r.pk for r in rows], status=MeetingStatus.PLANNED,
                                                    starts_at__gte=now - datetime.timedelta(hours=12)).order_by("starts_at"):
        upcoming.setdefault(meeting.series_id, meeting)
    for series in rows:
        series.next_meeting = upcoming.get(series.pk)
    return rows


def series_get(*, user, series_id) -> ConferenceSeries:
    """A series she coordinates or sits in (404 otherwise), with `can_coordinate`,
    `represented` (organisation ids) and `is_representative`."""
    s = seats(user=user)
    try:
        series = ConferenceSeries.objects.select_related("organisation").get(pk=int(series_id))
    except (ConferenceSeries.DoesNotExist, TypeError, ValueError):
        access.deny()
    if not (s.coordinates(series) or s.represented(series.pk)):
        access.deny()
    return _annotate(series, s)


def series_for_coordinator(*, user, series_id) -> ConferenceSeries:
    series = series_get(user=user, series_id=series_id)
    if not series.can_coordinate:
        access.deny()
    return series


def series_members(*, series) -> list[ConferenceMember]:
    """Members with their representatives (the series was fetched through series_get). Two
    queries."""
    return list(ConferenceMember.objects.filter(series=series).select_related("organisation").prefetch_related(
        Prefetch("representatives", queryset=ConferenceRepresentative.objects.select_related("user").order_by("pk")))
        .order_by("organisation__name", "pk"))


def series_waiting(*, series) -> list[ConferenceReferral]:
    """The referrals waiting for the next meeting: references and criteria, no summary."""
    return list(ConferenceReferral.objects.filter(series=series, status=ConferenceReferralStatus.WAITING)
                .select_related("from_organisation").defer("package", "reasons", "without_consent_reason")
                .order_by("referred_at", "pk")[:LIST_LIMIT])


def series_meetings(*, series) -> list[ConferenceMeeting]:
    return list(ConferenceMeeting.objects.filter(series=series).annotate(cases=Count("items"))
                .order_by("-starts_at", "-pk")[:LIST_LIMIT])


def meeting_get(*, user, meeting_id) -> ConferenceMeeting:
    """A meeting of a series she coordinates or sits in (404 otherwise); `meeting.series` is
    annotated as by series_get."""
    s = seats(user=user)
    try:
        meeting = ConferenceMeeting.objects.select_related("series", "series__organisation", "chair").get(pk=int(meeting_id))
    except (ConferenceMeeting.DoesNotExist, TypeError, ValueError):
        access.deny()
    if not (s.coordinates(meeting.series) or s.represented(meeting.series_id)):
        access.deny()
    _annotate(meeting.series, s)
    meeting.minutes_due_on = minutes_due_on(meeting)
    return meeting


def minutes_due_on(meeting) -> datetime.date:
    """Minutes go out within three working days of the meeting."""
    day = timezone.localdate(meeting.starts_at)
    added = 0
    while added < 3:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def meeting_agenda(*, meeting, with_summaries: bool) -> list[AgendaItem]:
    """The agenda in order, each item with its referral (and its referring organisation), its
    actions (agency, owner, latest updates). The summaries (packages) are loaded only when
    `with_summaries` (the reader is a representative). Four queries."""
    referral_defer = ("reasons", "without_consent_reason") + (() if with_summaries else ("package",))
    today = timezone.localdate()
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("referral", "referral__from_organisation")
                 .defer(*[f"referral__{f}" for f in referral_defer]).prefetch_related(
        Prefetch("referral__actions", queryset=ConferenceAction.objects.select_related("agency", "owner", "item__meeting")
                 .order_by("due_on", "pk"), to_attr="all_actions"))
                 .order_by("position", "pk"))
    for item in items:
        for action in item.referral.all_actions:
            action.overdue = action.is_open and action.due_on < today
        item.new_actions = [a for a in item.referral.all_actions if a.item_id == item.pk]
        item.earlier_actions = [a for a in item.referral.all_actions if a.item_id != item.pk]
    return items


def conference_referral_get(*, user, referral_id) -> ConferenceReferral:
    """A referral of a series she coordinates or sits in (404 otherwise); `show_summary` when
    she is a representative. The sender's side is conference_referral_get_for_sender."""
    s = seats(user=user)
    try:
        referral = (ConferenceReferral.objects.select_related("series", "series__organisation", "from_organisation")
                    .defer("without_consent_reason").get(pk=int(referral_id)))
    except (ConferenceReferral.DoesNotExist, TypeError, ValueError):
        access.deny()
    if not (s.coordinates(referral.series) or s.represented(referral.series_id)):
        access.deny()
    _annotate(referral.series, s)
    referral.show_summary = referral.series.is_representative
    return referral


def conference_referral_get_for_sender(*, user, referral_id) -> ConferenceReferral:
    """A conference referral of a case she may see (404 otherwise)."""
    from rete.cases import selectors as case_selectors

    try:
        referral = ConferenceReferral.objects.select_related("series", "from_organisation", "referred_by").get(pk=int(referral_id))
    except (ConferenceReferral.DoesNotExist, TypeError, ValueError):
        access.deny()
    referral.case = case_selectors.case_get(user=user, pk=referral.case_id)
    return referral


def conference_referrals_of_case(*, user, case) -> list[ConferenceReferral]:
    """The case's conference referrals (the case was fetched for this user through case_get),
    newest first, with the series."""
    from rete.cases import selectors as case_selectors

    case_selectors._ensure_visible(user, case)
    return list(ConferenceReferral.objects.filter(case_id=case.pk).select_related("series")
                .defer("package", "reasons", "without_consent_reason").order_by("-referred_at", "-pk")[:LIST_LIMIT])


def referral_history(*, referral) -> list[AgendaItem]:
    """The meetings where the case was discussed, with notes and decisions (for representatives
    and coordinators)."""
    return list(AgendaItem.objects.filter(referral=referral).select_related("meeting").order_by("meeting__starts_at", "pk"))


def series_options_for_case(*, user, case) -> list[ConferenceSeries]:
    """The active series her organisation is a member of, for the referral form; each with the
    last referral of this case to it (for the repeat flag). Two queries (the case was fetched
    for this user)."""
    from rete.cases import selectors as case_selectors

    case_selectors._ensure_visible(user, case)
    rows = list(ConferenceSeries.objects.filter(active=True, members__organisation_id=case.organisation_id)
                .distinct().order_by("name", "pk"))
    last = {}
    for referral in (ConferenceReferral.objects.filter(case_id=case.pk, series__in=[r.pk for r in rows])
                     .exclude(status=ConferenceReferralStatus.WITHDRAWN).order_by("referred_at", "pk")
                     .only("pk", "series_id", "referred_at", "status")):
        last[referral.series_id] = referral
    since = timezone.now() - REPEAT_WINDOW
    for series in rows:
        series.last_referral = last.get(series.pk)
        series.would_repeat = bool(series.last_referral and series.last_referral.referred_at >= since)
    return rows


def action_get(*, user, action_id) -> ConferenceAction:
    """An action of a series she coordinates or sits in (404 otherwise), with `may_update`
    (she coordinates, or represents the responsible agency) and its updates."""
    s = seats(user=user)
    try:
        action = (ConferenceAction.objects.select_related("agency", "owner", "referral", "referral__series",
                                                          "referral__series__organisation", "item__meeting")
                  .defer("referral__package", "referral__reasons", "referral__without_consent_reason").get(pk=int(action_id)))
    except (ConferenceAction.DoesNotExist, TypeError, ValueError):
        access.deny()
    series = action.referral.series
    if not (s.coordinates(series) or s.represented(series.pk)):
        access.deny()
    _annotate(series, s)
    action.may_update = series.can_coordinate or action.agency_id in series.represented
    action.update_list = list(ConferenceActionUpdate.objects.filter(action=action).select_related("by").order_by("at", "pk"))
    action.overdue = action.is_open and action.due_on < timezone.localdate()
    return action


def my_open_actions(*, user) -> list[ConferenceAction]:
    """Open actions of the agencies she represents, soonest due first. Two queries."""
    s = seats(user=user)
    if not s.represents:
        return []
    condition = Q()
    for series_id, organisation_ids in s.represents.items():
        condition |= Q(referral__series_id=series_id, agency_id__in=organisation_ids)
    today = timezone.localdate()
    rows = list(ConferenceAction.objects.filter(condition, status__in=OPEN_ACTIONS)
                .select_related("agency", "owner", "referral__series").defer("referral__package", "referral__reasons",
                                                                              "referral__without_consent_reason")
                .order_by("due_on", "pk")[:LIST_LIMIT])
    for action in rows:
        action.overdue = action.due_on < today
    return rows


def series_figures(*, series, start: datetime.date, end: datetime.date) -> dict:
    """The figures a conference reports for a period, no personal data: cases, referrals,
    repeats and the repeat rate, referrals by agency and by criterion, children in the
    households, and the actions due in the period completed on time. Five queries."""
    referrals = (ConferenceReferral.objects.filter(series=series, referred_at__date__gte=start, referred_at__date__lte=end)
                 .exclude(status=ConferenceReferralStatus.WITHDRAWN))
    totals = referrals.aggregate(referrals=Count("pk"), cases=Count("case_id", distinct=True),
                                 repeats=Count("pk", filter=Q(repeat=True)))
    children = sum(r for r in referrals.filter(repeat=False).values_list("children", flat=True))
    by_agency = list(referrals.values("from_organisation__name").annotate(n=Count("pk")).order_by("-n", "from_organisation__name"))
    by_criterion = dict(referrals.values_list("criterion").annotate(n=Count("pk")))
    actions = ConferenceAction.objects.filter(referral__series=series, due_on__gte=start, due_on__lte=end).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(status=ConferenceActionStatus.DONE, completed_on__lte=F("due_on"))),
        late=Count("pk", filter=Q(status=ConferenceActionStatus.DONE, completed_on__gt=F("due_on"))),
        not_done=Count("pk", filter=Q(status=ConferenceActionStatus.NOT_DONE)),
        open=Count("pk", filter=Q(status__in=OPEN_ACTIONS)))
    n = totals["referrals"] or 0
    return {
        "start": start, "end": end, "referrals": n, "cases": totals["cases"] or 0, "repeats": totals["repeats"] or 0,
        "repeat_rate": (totals["repeats"] / n) if n else None, "children": children,
        "by_agency": [(row["from_organisation__name"], row["n"]) for row in by_agency],
        "by_criterion": by_criterion, "actions": actions,
        "on_time_rate": (actions["on_time"] / actions["due"]) if actions["due"] else None,
    }



# ---- the pages (part "conference-pages") ------------------------------------------------------
# Small reads the coordinators' and representatives' pages need; the visibility rules above
# (series_get) apply to each of them.


def coordinating_organisations(*, user) -> list:
    """The organisations where she may create and run a conference (no query: memberships are
    cached per request)."""
    from rete.core.selectors import organisations_with

    return organisations_with(user=user, capability=access.COORDINATE_CONFERENCES)


def may_name_representatives(*, user, series, organisation_id) -> bool:
    """The coordinators, or the member organisation's own admins and coordinators (as the
    service checks it); no query."""
    return (access.has_capability(user, series.organisation_id, access.COORDINATE_CONFERENCES)
            or access.has_capability(user, organisation_id, access.NAME_REPRESENTATIVES))


def member_get(*, user, member_id) -> ConferenceMember:
    """A member of a series she coordinates or sits in (404 otherwise), with `series`
    annotated as by series_get."""
    try:
        member = ConferenceMember.objects.select_related("organisation").get(pk=int(member_id))
    except (ConferenceMember.DoesNotExist, TypeError, ValueError):
        access.deny()
    member.series = series_get(user=user, series_id=member.series_id)
    return member


def representative_get(*, user, representative_id) -> ConferenceRepresentative:
    """A representative in a series she coordinates or sits in (404 otherwise)."""
    try:
        representative = (ConferenceRepresentative.objects.select_related("member", "member__organisation", "user")
                          .get(pk=int(representative_id)))
    except (ConferenceRepresentative.DoesNotExist, TypeError, ValueError):
        access.deny()
    representative.member.series = series_get(user=user, series_id=representative.member.series_id)
    return representative


def member_candidates(*, series) -> list:
    """Organisations of the series' country that are not members yet, for the coordinators'
    "add a member" choice. One query."""
    from rete.core.models import Organisation

    return list(Organisation.objects.filter(country=series.country).exclude(
        pk__in=ConferenceMember.objects.filter(series=series).values("organisation_id")).order_by("name", "pk")[:LIST_LIMIT])


def series_coordinators(*, series) -> list:
    """The people who may chair a meeting: the coordinating organisation's network
    coordinators. One query."""
    from rete.core.models import Membership, User

    ids = Membership.objects.filter(organisation_id=series.organisation_id, role__in=access.COORDINATE_CONFERENCES,
                                    ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "pk"))


def item_get(*, user, item_id) -> AgendaItem:
    """An agenda item of a series she coordinates (404 otherwise, representatives included),
    with its meeting and referral (no summary), for the chair's minute."""
    try:
        item = (AgendaItem.objects.select_related("meeting", "referral", "referral__from_organisation")
                .defer("referral__package", "referral__reasons", "referral__without_consent_reason").get(pk=int(item_id)))
    except (AgendaItem.DoesNotExist, TypeError, ValueError):
        access.deny()
    item.meeting.series = series_for_coordinator(user=user, series_id=item.meeting.series_id)
    item.meeting.minutes_due_on = minutes_due_on(item.meeting)
    return item


def item_actions(*, item) -> list[ConferenceAction]:
    """The actions agreed for the case, this meeting's and earlier ones. One query."""
    today = timezone.localdate()
    rows = list(ConferenceAction.objects.filter(referral_id=item.referral_id).select_related("agency", "owner", "item__meeting")
                .order_by("due_on", "pk"))
    for action in rows:
        action.overdue = action.is_open and action.due_on < today
    return rows


# ---- conference-case additions (part "conference-case") ---------------------------------------


def referral_actions(*, referral) -> list[ConferenceAction]:
    """The actions agreed for a referral (the referral was fetched for this user through one of
    the referral selectors), soonest due first, each with `overdue`. One query."""
    today = timezone.localdate()
    rows = list(ConferenceAction.objects.filter(referral=referral).select_related("agency", "owner", "item__meeting")
                .order_by("due_on", "pk")[:LIST_LIMIT])
    for action in rows:
        action.overdue = action.is_open and action.due_on < today
    return rows
