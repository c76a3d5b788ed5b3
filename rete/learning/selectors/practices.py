"""Every read of practices: the only place that decides who sees which practice.

A member sees her organisations' practices in any state and every published practice;
reviewers and deciders (rete.learning.access) also see every practice submitted to the network
(not drafts). The public portal sees published practices whose owners chose it. Anything else is
404."""
from django.db.models import Exists, OuterRef, Prefetch, Q

from rete.core import access as core_access
from rete.core.selectors import active_memberships
from rete.learning import access, search
from rete.learning.models import Practice, PracticeFacet, PracticeStatus


def _orgs(user, capability) -> set[int]:
    return {m.organisation_id for m in active_memberships(user=user) if m.role in capability}


def shares_practices(*, user) -> list:
    """The organisations on whose behalf she drafts practices and records pilots."""
    seen = {}
    for m in active_memberships(user=user):
        if m.role in access.SHARE_PRACTICES:
            seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def reviews_practices(*, user) -> bool:
    return bool(_orgs(user, access.REVIEW_PRACTICES))


def decides_practices(*, user) -> bool:
    return bool(_orgs(user, access.DECIDE_PRACTICES))


def _visible_q(user) -> Q:
    """Nothing for someone who is a member of no organisation (a platform administrator)."""
    if not active_memberships(user=user):
        return Q(pk__in=[])
    q = Q(status=PracticeStatus.PUBLISHED)
    own = _orgs(user, access.SHARE_PRACTICES)
    if own:
        q |= Q(organisation_id__in=own)
    if reviews_practices(user=user) or decides_practices(user=user):
        q |= ~Q(status=PracticeStatus.DRAFT)
    return q


def _facets_prefetch():
    return Prefetch("facets", queryset=PracticeFacet.objects.order_by("facet", "value"))


def _filtered(queryset, *, query="", country="", pillar="", target_group="", violence_form=""):
    if country:
        queryset = queryset.filter(country=country)
    if pillar:
        queryset = queryset.filter(pillar=pillar)
    for facet, value in (("target_group", target_group), ("violence_form", violence_form)):
        if value:
            queryset = queryset.filter(Exists(PracticeFacet.objects.filter(practice=OuterRef("pk"), facet=facet, value=value)))
    if query:
        ids = search.matching_practice_ids(query)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
    return queryset


def practice_list(*, user, query="", country="", pillar="", target_group="", violence_form="", status="",
                  organisation_id=None):
    """Practices she may see, filtered; with organisation and facets (a fixed number of queries)."""
    queryset = Practice.objects.filter(_visible_q(user))
    if status:
        queryset = queryset.filter(status=status)
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    queryset = _filtered(queryset, query=query, country=country, pillar=pillar, target_group=target_group,
                         violence_form=violence_form)
    return queryset.select_related("organisation").prefetch_related(_facets_prefetch())


def practice_get(*, user, pk) -> Practice:
    practice = (Practice.objects.filter(_visible_q(user), pk=pk).select_related("organisation", "grid")
                .prefetch_related(_facets_prefetch()).first())
    if practice is None:
        core_access.deny()
    return practice


def may_edit(*, user, practice) -> bool:
    """Her organisation's practice, while its source text may change."""
    from rete.learning.states import EDITABLE

    return practice.status in EDITABLE and core_access.has_capability(user, practice.organisation_id, access.SHARE_PRACTICES)


def may_translate(*, user, practice) -> bool:
    """The owner's members at any time; the network coordinators once it is submitted."""
    if core_access.has_capability(user, practice.organisation_id, access.SHARE_PRACTICES):
        return True
    return practice.status != PracticeStatus.DRAFT and decides_practices(user=user)


def public_practice_list(*, query="", country="", pillar="", target_group="", violence_form=""):
    queryset = Practice.objects.filter(status=PracticeStatus.PUBLISHED, public=True)
    queryset = _filtered(queryset, query=query, country=country, pillar=pillar, target_group=target_group,
                         violence_form=violence_form)
    return queryset.select_related("organisation").prefetch_related(_facets_prefetch()).order_by("-published_at", "-pk")


def public_practice_get(*, pk) -> Practice:
    practice = (Practice.objects.filter(status=PracticeStatus.PUBLISHED, public=True, pk=pk)
                .select_related("organisation").prefetch_related(_facets_prefetch()).first())
    if practice is None:
        core_access.deny()
    return practice


def facet_values(practice, facet) -> list[str]:
    """The values of one facet from the prefetched rows (no query)."""
    return [row.value for row in practice.facets.all() if row.facet == facet]
