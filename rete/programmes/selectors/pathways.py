"""Every read of pathways: the ONE place that decides who sees which pathway version.

- a programme coordinator (access.COORDINATE_PROGRAMME) sees every version of the pathways of
  her programme, drafts included, and is the only one who edits a draft;
- a facilitator of the programme reads the versions that were published (in use or retired: men
  stay on the version they were enrolled on);
- everyone else gets 404, the same as for a version that does not exist.
Every function issues a fixed number of queries, whatever the number of pathways, versions,
stages and enrolments."""
from django.db.models import Count, Q

from rete.core import access
from rete.core.selectors import active_memberships
from rete.programmes import access as programme_access
from rete.programmes import states
from rete.programmes.models import Pathway, PathwayStatus, PathwayVersion
from rete.programmes.selectors.enrolments import coordinated_organisation_ids

# What a list never needs.
_CONTENT = ("stages", "rules", "notifications", "description")


def reading_organisation_ids(*, user) -> set:
    """Programmes where she works with the men (no query: memberships are cached)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.organisation_id for m in active_memberships(user=user) if m.role in programme_access.WORK_WITH_MEN}


def may_coordinate(*, user) -> bool:
    """For the navigation and the "new pathway" button (no query)."""
    return bool(getattr(user, "is_authenticated", False) and coordinated_organisation_ids(user=user))


def coordinating_organisations(*, user) -> list:
    """The programmes where she defines pathways (no query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    seen = {}
    for membership in active_memberships(user=user):
        if membership.role in programme_access.COORDINATE_PROGRAMME:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return sorted(seen.values(), key=lambda o: (o.name, o.pk))


def can_coordinate(*, user, pathway) -> bool:
    return access.has_capability(user, pathway.organisation_id, programme_access.COORDINATE_PROGRAMME)


def can_edit(*, user, version) -> bool:
    return version.status == PathwayStatus.DRAFT and can_coordinate(user=user, pathway=version.pathway)


def version_scope(*, user) -> Q | None:
    """The versions she may read, as one filter on PathwayVersion (None: none)."""
    read = reading_organisation_ids(user=user)
    if not read:
        return None
    coordinate = coordinated_organisation_ids(user=user) & read
    scope = Q(pathway__organisation_id__in=coordinate) if coordinate else Q(pk__in=[])
    others = read - coordinate
    if others:
        scope |= Q(pathway__organisation_id__in=others) & ~Q(status=PathwayStatus.DRAFT)
    return scope


def _with_counts(rows):
    """How many men were ever enrolled on each version, and how many of them are still on it
    (an open enrolment)."""
    return rows.annotate(enrolled=Count("enrolments"),
                         enrolled_open=Count("enrolments", filter=Q(enrolments__state__in=list(states.OPEN))))


def pathway_list(*, user) -> list[Pathway]:
    """The pathways of which she can read a version, by name, each with `shown_versions`
    (newest first, with the enrolment counts), `in_use` (the published ones) and `has_draft`.
    One query. 404 for someone who works with men nowhere."""
    scope = version_scope(user=user)
    if scope is None:
        access.deny()
    versions = _with_counts(PathwayVersion.objects.filter(scope).defer(*_CONTENT)
                            .select_related("pathway", "pathway__organisation")
                            .order_by("pathway__name", "pathway_id", "-number"))
    pathways: dict[int, Pathway] = {}
    for version in versions:
        pathway = pathways.get(version.pathway_id)
        if pathway is None:
            pathway = pathways[version.pathway_id] = version.pathway
            pathway.shown_versions, pathway.in_use, pathway.has_draft = [], [], False
        version.pathway = pathway
        pathway.shown_versions.append(version)
        if version.status == PathwayStatus.PUBLISHED:
            pathway.in_use.append(version)
        elif version.status == PathwayStatus.DRAFT:
            pathway.has_draft = True
    return list(pathways.values())


def version_get(*, user, pk) -> PathwayVersion:
    """One version she may read, with its counts; 404 otherwise. One query."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = version_scope(user=user)
    if scope is None:
        access.deny()
    version = (_with_counts(PathwayVersion.objects.filter(scope, pk=pk))
               .select_related("pathway", "pathway__organisation", "created_by", "published_by").first())
    if version is None:
        access.deny()
    return version


def version_for_edit(*, user, pk) -> PathwayVersion:
    """A draft she may edit (a coordinator of its programme); 404 for anything else, published
    and retired versions included: they never change."""
    version = version_get(user=user, pk=pk)
    if not can_edit(user=user, version=version):
        access.deny()
    return version


def pathway_versions(*, user, pathway) -> list[PathwayVersion]:
    """The versions of one pathway she may read, newest first, with their counts. One query."""
    scope = version_scope(user=user)
    if scope is None:
        return []
    return list(_with_counts(PathwayVersion.objects.filter(scope, pathway=pathway).defer(*_CONTENT)).order_by("-number"))

