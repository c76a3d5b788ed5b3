"""Partner-contact links, every read (part "partner-contact"). See services/partner_contact.py
for the rule of separation between the programme side and the partner-support side.

Two kinds of reader:
- the partner-support workers of the support organisation (SUPPORT_PARTNERS there), minus anyone
  who works with the man (see `_support_scope`): the inbox, a link with its events and notes;
- the programme's staff (SEND_PARTNER_EVENTS at the programme organisation): only a small frozen
  view (`ProgrammeView`) and the list of the events they sent. Never the link object, never the
  partner case, never the contact status unless the partner-support worker shares it."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from rete.core import access
from rete.core.selectors import active_memberships
from rete.network.models import PartnerContactEvent, PartnerContactLink, PartnerContactStatus


# The programme module tells who works with which man, without this module importing it:
# `enrolments(user_id)` -> values queryset of the enrolment ids she ever worked on, and
# `people(enrolment_id)` -> the user ids of everyone who ever worked with that man.
_programme_staff: list[tuple] = []


def register_programme_staff(*, enrolments, people):
    if (enrolments, people) not in _programme_staff:
        _programme_staff.append((enrolments, people))


def programme_people(enrolment_id) -> set:
    found = set()
    for _enrolments, people in _programme_staff:
        found |= set(people(enrolment_id))
    return found


def works_on_partner_side(*, enrolment_id, user_id) -> bool:
    """Whether she works for the man's partner on a link of this enrolment: on the attached
    partner case's team, or she read its events. Such a person may never work with him."""
    from rete.cases.models import CaseAssignment

    links = PartnerContactLink.objects.filter(enrolment_id=enrolment_id)
    on_case = CaseAssignment.objects.filter(case_id__in=links.exclude(partner_case__isnull=True).values("partner_case_id"),
                                            user_id=user_id, ended_at__isnull=True)
    return on_case.exists() or PartnerContactEvent.objects.filter(link__in=links, seen_by_id=user_id).exists()


def support_organisation_ids(user) -> set:
    """Organisations where she is a partner-support worker (no query: memberships are cached)."""
    return {m.organisation_id for m in active_memberships(user=user) if m.role in access.SUPPORT_PARTNERS}


def programme_organisation_ids(user) -> set:
    """Organisations where she works with the men (facilitator, programme coordinator)."""
    return {m.organisation_id for m in active_memberships(user=user) if m.role in access.SEND_PARTNER_EVENTS}


def supports_partners(*, user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and support_organisation_ids(user))


def _support_scope(user) -> Q | None:
    """The links she may act on from the partner-support side, as one filter (None: none).
    She is a partner-support worker of the link's support organisation, AND she did not request
    the link or send an event on it, AND, when the programme and the support service are the same
    organisation, she does not hold a programme role (facilitator, coordinator) there."""
    support = support_organisation_ids(user)
    if not support:
        return None
    programme = programme_organisation_ids(user)
    sent = PartnerContactEvent.objects.filter(link=OuterRef("pk"), sent_by=user)
    scope = Q(support_organisation_id__in=support) & ~Q(requested_by=user) & ~Q(Exists(sent))
    for enrolments, _people in _programme_staff:
        scope &= ~Q(enrolment_id__in=enrolments(user.pk))
    same_org_staff = programme & support
    if same_org_staff:
        scope &= ~(Q(programme_organisation_id=F("support_organisation_id")) & Q(support_organisation_id__in=same_org_staff))
    return scope


def partner_links_for_support(*, user, status=""):
    """Her inbox: the links of her support organisations she may act on, those with unseen events
    first, then the newest; each row annotated `unseen` (events not yet marked seen). One query
    per page (plus the count); the notes are not loaded."""
    scope = _support_scope(user) if getattr(user, "is_authenticated", False) else None
    if scope is None or (status and status not in PartnerContactStatus.values):
        return PartnerContactLink.objects.none()
    rows = PartnerContactLink.objects.filter(scope)
    if status:
        rows = rows.filter(status=status)
    unseen = (PartnerContactEvent.objects.filter(link=OuterRef("pk"), seen_at__isnull=True).order_by()
              .values("link").annotate(n=Count("pk")).values("n"))
    return (rows.select_related("programme_organisation", "support_organisation")
            .defer("request_note")
            .annotate(unseen=Coalesce(Subquery(unseen, output_field=IntegerField()), Value(0)))
            .order_by("-unseen", "-requested_at", "-pk"))


def partner_link_get_for_support(*, user, link_id) -> PartnerContactLink:
    """One link for the partner-support side, with its events (newest first); 404 otherwise."""
    try:
        link_id = int(link_id)
    except (TypeError, ValueError):
        access.deny()
    scope = _support_scope(user) if getattr(user, "is_authenticated", False) else None
    if scope is None:
        access.deny()
    link = (PartnerContactLink.objects.filter(scope, pk=link_id)
            .select_related("programme_organisation", "support_organisation", "partner_case").first())
    if link is None:
        access.deny()
    link.event_list = list(PartnerContactEvent.objects.filter(link=link).order_by("-at", "-pk"))
    return link


def partner_link_lock_for_support(*, user, link) -> PartnerContactLink:
    """For the services: the link locked, if she may act on it from the partner-support side."""
    scope = _support_scope(user) if getattr(user, "is_authenticated", False) else None
    if scope is None:
        access.deny()
    pk = link.pk if isinstance(link, PartnerContactLink) else link
    link = (PartnerContactLink.objects.select_for_update(of=("self",)).select_related("support_organisation")
            .filter(scope, pk=pk).first())
    if link is None:
        access.deny()
    return link


def unseen_summary(*, user) -> dict | None:
    """For her start page: how many events from programmes she has not seen yet. One query;
    None (no panel) when she is no partner-support worker."""
    scope = _support_scope(user) if getattr(user, "is_authenticated", False) else None
    if scope is None:
        return None
    links = PartnerContactLink.objects.filter(scope).values("pk")
    return {"unseen": PartnerContactEvent.objects.filter(link_id__in=links, seen_at__isnull=True).count()}


def partner_case_choices(*, user, link, limit=200) -> list:
    """The active cases of the link's support organisation that she may open (the cases module's
    visibility rule), newest activity first, for the "attach a case" form."""
    from rete.cases.models import ACTIVE_STATUSES, Case
    from rete.cases.selectors import visibility

    scope = visibility(user=user)
    if scope is None:
        return []
    return list(Case.objects.filter(scope, organisation_id=link.support_organisation_id, status__in=ACTIVE_STATUSES)
                .select_related("person").order_by("-last_activity_at", "-pk")[:limit])


# ---- the programme side --------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeView:
    """All that the programme may know of the partner contact of one enrolment."""

    reference: str
    support_organisation: str
    requested_at: datetime.datetime
    shared_status: str | None  # a PartnerContactStatus code, only when the partner-support worker shares it
    ended: bool

    @property
    def shared_status_label(self) -> str:
        return str(PartnerContactStatus(self.shared_status).label) if self.shared_status else ""


def _programme_links(user, enrolment_id):
    """The links of an enrolment (newest first) as the programme may read them: only the
    columns it may know. 404 when she holds no programme role at the links' organisation."""
    try:
        enrolment_id = int(enrolment_id)
    except (TypeError, ValueError):
        access.deny()
    organisations = programme_organisation_ids(user) if getattr(user, "is_authenticated", False) else set()
    if not organisations:
        access.deny()
    links = list(PartnerContactLink.objects.filter(enrolment_id=enrolment_id)
                 .only("id", "programme_organisation_id", "support_organisation__name", "requested_at", "shared_status",
                       "ended_at").select_related("support_organisation").order_by("-requested_at", "-pk")[:50])
    if any(link.programme_organisation_id not in organisations for link in links):
        access.deny()
    return links


def partner_link_for_programme(*, user, enrolment_id) -> ProgrammeView | None:
    """The enrolment's partner-contact link as the programme sees it (the open one, else the
    latest), or None when there is none. 404 for anyone without a programme role at its
    organisation."""
    links = _programme_links(user, enrolment_id)
    if not links:
        return None
    link = next((item for item in links if item.ended_at is None), links[0])
    return ProgrammeView(reference=link.reference, support_organisation=link.support_organisation.name,
                         requested_at=link.requested_at, shared_status=link.shared_status or None,
                         ended=link.ended_at is not None)


def partner_events_for_programme(*, user, enrolment_id) -> list[tuple[str, datetime.datetime]]:
    """What the programme sent about this enrolment, as (kind, at), newest first. The notes stay
    with the partner-support service; whether and when they were seen is not told either."""
    links = _programme_links(user, enrolment_id)
    if not links:
        return []
    return list(PartnerContactEvent.objects.filter(link_id__in=[link.pk for link in links])
                .order_by("-at", "-pk").values_list("kind", "at")[:500])


def partner_contact_for_programme(*, user, enrolment_id) -> tuple[ProgrammeView | None, list]:
    """For the programme's enrolment page: the link as the programme sees it (see
    partner_link_for_programme) and the events it sent (see partner_events_for_programme), in
    two queries whatever the data. 404 for anyone without a programme role at its organisation."""
    links = _programme_links(user, enrolment_id)
    if not links:
        return None, []
    link = next((item for item in links if item.ended_at is None), links[0])
    view = ProgrammeView(reference=link.reference, support_organisation=link.support_organisation.name,
                         requested_at=link.requested_at, shared_status=link.shared_status or None,
                         ended=link.ended_at is not None)
    events = list(PartnerContactEvent.objects.filter(link_id__in=[item.pk for item in links])
                  .order_by("-at", "-pk").values_list("kind", "at")[:500])
    return view, events


def support_services(*, user, limit=500) -> list:
    """The services a programme may ask to offer contact to a man's (ex-)partner: organisations
    with an active partner-support worker who holds no programme role (facilitator, programme
    coordinator) at her programmes, and who is not she. Her own programme's organisation is
    listed only when it has such a worker: a separate team with different staff. One query."""
    from rete.core.models import Membership, Organisation, Role

    if not getattr(user, "is_authenticated", False):
        return []
    programmes = programme_organisation_ids(user)
    if not programmes:
        return []
    programme_staff = Membership.objects.filter(organisation_id__in=programmes, role__in=list(access.SEND_PARTNER_EVENTS),
                                                ended_at__isnull=True).values("user_id")
    workers = (Membership.objects.filter(organisation=OuterRef("pk"), role=Role.PARTNER_SUPPORT_WORKER,
                                         ended_at__isnull=True, user__is_active=True)
               .exclude(user_id__in=programme_staff).exclude(user_id=user.pk))
    return list(Organisation.objects.filter(Exists(workers)).order_by("name", "pk")[:limit])


def partner_cases_hidden_from(user):
    """For the cases module (rete.cases.access.register_hidden_cases): the partner cases she may
    never open whatever her role, because she works, or once worked, with the man: she is on his
    enrolment's staff or facilitates his group (ended rows count), requested the link or sent an
    event on it. A values queryset of case ids, used as a subquery (no query of its own)."""
    sent = PartnerContactEvent.objects.filter(link=OuterRef("pk"), sent_by_id=user.pk)
    involved = Q(requested_by_id=user.pk) | Q(Exists(sent))
    for enrolments, _people in _programme_staff:
        involved |= Q(enrolment_id__in=enrolments(user.pk))
    return (PartnerContactLink.objects.filter(involved, partner_case__isnull=False).order_by()
            .values("partner_case_id"))


def has_open_link(*, enrolment_id) -> bool:
    """Whether the enrolment has an open partner-contact link (for the programme's services,
    after they checked that she may open the enrolment)."""
    return PartnerContactLink.objects.filter(enrolment_id=enrolment_id, ended_at__isnull=True).exists()
