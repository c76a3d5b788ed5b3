"""Every read of pilots (part "pilots"): the only place that decides who sees which pilot.

The members of the piloting organisation (rete.learning.access.SHARE_PRACTICES) see its pilots
in any state and change them. A completed pilot is part of the practice's evidence: whoever sees
the practice sees it. A running pilot is also seen by the members of the organisation that owns
the practice and by the network coordinators who decide on practices. Anything else is 404.

Which practice an organisation may pilot: any published practice, and its own practices in any
state after submission (an organisation pilots its own new method to produce evidence), never a
draft."""
from django.db.models import Count, Prefetch, Q
from django.utils.translation import get_language

from rete.core import access as core_access
from rete.core.selectors import active_memberships
from rete.learning import access
from rete.learning.models import Pilot, PilotIndicator, PilotStatus, Practice, PracticeStatus
from rete.learning.pilots import indicator_change, pilot_summary
from rete.learning.selectors import practices as practice_selectors
from rete.network import texts

OPEN = (PilotStatus.PLANNED, PilotStatus.RUNNING)


def pilot_organisations(*, user) -> list:
    """The organisations on whose behalf she records pilots."""
    return practice_selectors.shares_practices(user=user)


def _own_ids(user) -> set[int]:
    return {o.pk for o in pilot_organisations(user=user)}


def may_pilot_at(*, practice, organisation_id) -> bool:
    """May `organisation_id` pilot `practice` (the practice's state only; not who asks)?"""
    if practice.status == PracticeStatus.PUBLISHED:
        return True
    return practice.status != PracticeStatus.DRAFT and practice.organisation_id == organisation_id


def organisations_to_pilot(*, user, practice) -> list:
    """Her organisations at which she may start a pilot of this practice (which she sees)."""
    return [o for o in pilot_organisations(user=user) if may_pilot_at(practice=practice, organisation_id=o.pk)]


def practice_for_pilot(*, user, pk):
    """(practice, organisations): a practice she sees and may pilot at one of her organisations
    at least; 404 otherwise (a draft is never piloted)."""
    practice = practice_selectors.practice_get(user=user, pk=pk)
    organisations = organisations_to_pilot(user=user, practice=practice)
    if not organisations:
        core_access.deny()
    return practice, organisations


def may_manage(*, user, pilot) -> bool:
    """A member of the piloting organisation changes its pilot."""
    return core_access.has_capability(user, pilot.organisation_id, access.SHARE_PRACTICES)


def _seen_practices(user):
    return practice_selectors.practice_list(user=user).order_by().values("pk")


def practice_title(practice) -> str:
    """The practice's title in the language of the page (else in its own language)."""
    return str(texts.get(practice, "title", get_language() or "en", source=practice.source_language))


def titled(pilots) -> list:
    """Each pilot gets `.practice_title` (no query: the practice is selected with it)."""
    pilots = list(pilots)
    for pilot in pilots:
        pilot.practice_title = practice_title(pilot.practice)
    return pilots


def _visible_q(user) -> Q:
    own = _own_ids(user)
    q = Q(organisation_id__in=own) if own else Q(pk__in=[])
    if not active_memberships(user=user):
        return q
    seen = _seen_practices(user)
    q |= Q(status=PilotStatus.COMPLETED, practice_id__in=seen)
    if practice_selectors.decides_practices(user=user):
        q |= Q(status=PilotStatus.RUNNING, practice_id__in=seen)
    elif own:
        q |= Q(status=PilotStatus.RUNNING, practice__organisation_id__in=own)
    return q


def _indicators_prefetch():
    return Prefetch("indicators", queryset=PilotIndicator.objects.order_by("order", "pk"))


def with_changes(pilots):
    """Each indicator of each pilot gets `.change` (rete.learning.pilots), each pilot `.summary`
    (from the prefetched indicators: no query)."""
    pilots = list(pilots)
    for pilot in pilots:
        indicators = list(pilot.indicators.all())
        for indicator in indicators:
            indicator.change = indicator_change(indicator.pre_value, indicator.post_value, indicator.higher_is_better)
        pilot.shown_indicators = indicators
        pilot.summary = pilot_summary(indicators)
    return pilots


def pilot_list(*, user, status=""):
    """Her organisations' pilots, newest first, with practice, organisation and the number of
    indicators (a fixed number of queries)."""
    own = _own_ids(user)
    if not own:
        return Pilot.objects.none()
    queryset = Pilot.objects.filter(organisation_id__in=own)
    if status:
        queryset = queryset.filter(status=status)
    return (queryset.select_related("practice", "practice__organisation", "organisation")
            .annotate(indicator_count=Count("indicators")))


def pilot_get(*, user, pk) -> Pilot:
    """A pilot she may see, with its indicators and their changes; `may_manage` set."""
    pilot = (Pilot.objects.filter(_visible_q(user), pk=pk)
             .select_related("practice", "practice__organisation", "organisation")
             .prefetch_related(_indicators_prefetch()).first())
    if pilot is None:
        core_access.deny()
    with_changes([pilot])
    titled([pilot])
    pilot.may_manage = may_manage(user=user, pilot=pilot)
    pilot.is_open = pilot.status in OPEN
    return pilot


def pilot_manage_get(*, user, pk) -> Pilot:
    """A pilot of one of her organisations (404 otherwise), as pilot_get."""
    pilot = pilot_get(user=user, pk=pk)
    if not pilot.may_manage:
        core_access.deny()
    return pilot


def indicator_get(*, pilot, pk) -> PilotIndicator:
    """One indicator of the pilot (already reached through pilot_manage_get); 404 otherwise."""
    for indicator in pilot.shown_indicators:
        if indicator.pk == pk:
            return indicator
    core_access.deny()


def practice_evidence(*, user, practice) -> dict | None:
    """What the practice page shows of its pilots, for a person who sees the practice: the
    completed pilots with their measures, how many are running, her organisations' own pilots
    of it still open or abandoned, and where she may start one. None for a draft or for someone
    who is no member (4 queries whatever the number of pilots)."""
    if practice.status == PracticeStatus.DRAFT or not active_memberships(user=user):
        return None
    completed = with_changes(
        Pilot.objects.filter(practice=practice, status=PilotStatus.COMPLETED).select_related("organisation")
        .prefetch_related(_indicators_prefetch()).order_by("-completed_at", "-pk"))
    running_count = Pilot.objects.filter(practice=practice, status=PilotStatus.RUNNING).count()
    own = _own_ids(user)
    mine = []
    if own:
        mine = list(Pilot.objects.filter(practice=practice, organisation_id__in=own)
                    .exclude(status=PilotStatus.COMPLETED).select_related("organisation"))
    return {"completed": completed, "running_count": running_count, "mine": mine,
            "may_start": bool(organisations_to_pilot(user=user, practice=practice))}


def completed_pilots_for_public(practices) -> list:
    """Completed pilots of practices shown on the public portal (published, the owner chose
    it), for a public page: `practices` is a practice, its id or several ids. Each pilot with
    its organisation, period, conclusion and indicators with their changes (2 queries)."""
    if isinstance(practices, Practice):
        ids = [practices.pk]
    elif isinstance(practices, int):
        ids = [practices]
    else:
        ids = [getattr(p, "pk", p) for p in practices]
    if not ids:
        return []
    queryset = (Pilot.objects.filter(practice_id__in=ids, status=PilotStatus.COMPLETED,
                                     practice__status=PracticeStatus.PUBLISHED, practice__public=True)
                .select_related("organisation").prefetch_related(_indicators_prefetch())
                .order_by("-completed_at", "-pk"))
    return with_changes(queryset)
