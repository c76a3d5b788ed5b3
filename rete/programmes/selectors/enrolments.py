"""Every read of enrolments: the only place that decides who sees which man's record."""
from django.db.models import Exists, OuterRef, Q

from rete.core import access
from rete.core import crypto
from rete.core.selectors import active_memberships
from rete.programmes import access as programme_access
from rete.programmes import states
from rete.programmes.models import Enrolment, EnrolmentStaff, GroupFacilitator, GroupMember, Participant


def programme_organisations(*, user) -> list:
    """Programmes where she works with the men (no query: memberships are cached)."""
    seen = {}
    for membership in active_memberships(user=user):
        if membership.role in programme_access.WORK_WITH_MEN:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def coordinated_organisation_ids(*, user) -> set:
    return {m.organisation_id for m in active_memberships(user=user) if m.role in programme_access.COORDINATE_PROGRAMME}


def works_with_men(*, user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and programme_organisations(user=user))


def visibility(*, user) -> Q | None:
    """The enrolments she may open, as one filter (None: none). Coordinators: their whole
    programme. Facilitators: the men they are assigned to or whose current group they
    facilitate; every man of the programme if it chose organisation-wide visibility."""
    if not getattr(user, "is_authenticated", False):
        return None
    whole, own = set(coordinated_organisation_ids(user=user)), set()
    for membership in active_memberships(user=user):
        if membership.role in programme_access.WORK_WITH_MEN and membership.organisation_id not in whole:
            (whole if membership.organisation.org_wide_visibility else own).add(membership.organisation_id)
    if not whole and not own:
        return None
    assigned = EnrolmentStaff.objects.filter(enrolment=OuterRef("pk"), user=user, ended_at__isnull=True)
    facilitated = GroupMember.objects.filter(
        enrolment=OuterRef("pk"), left_on__isnull=True,
        group__in=GroupFacilitator.objects.filter(user=user, ended_at__isnull=True).values("group_id"))
    return Q(organisation_id__in=whole) | (Q(organisation_id__in=own) & (Q(Exists(assigned)) | Q(Exists(facilitated))))


def enrolment_list(*, user, state="", query="", mine_only=False, open_only=False):
    """Enrolments she may open, most recently active first (one query per page)."""
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    rows = Enrolment.objects.filter(scope).select_related("participant", "organisation", "pathway_version__pathway")
    if mine_only:
        rows = rows.filter(Exists(EnrolmentStaff.objects.filter(enrolment=OuterRef("pk"), user=user, ended_at__isnull=True)))
    if state:
        rows = rows.filter(state=state)
    if open_only:
        rows = rows.filter(state__in=states.OPEN)
    if query:
        rows = rows.filter(reference__icontains=query.strip())
    return rows.order_by("-last_activity_at", "-pk")


def enrolment_get(*, user, pk) -> Enrolment:
    """One enrolment if she may open it; 404 otherwise (the same for one that does not exist)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    enrolment = (Enrolment.objects.filter(scope, pk=pk)
                 .select_related("participant", "organisation", "pathway_version__pathway").first())
    if enrolment is None:
        access.deny()
    return enrolment


def enrolment_lock(*, user, pk) -> Enrolment:
    """For the services: the enrolment locked, if she may open it and works with men there."""
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    pk = getattr(pk, "pk", pk)
    enrolment = (Enrolment.objects.select_for_update(of=("self",)).filter(scope, pk=pk)
                 .select_related("participant", "organisation", "pathway_version").first())
    if enrolment is None:
        access.deny()
    return enrolment


def enrolment_staff(*, enrolment) -> list[EnrolmentStaff]:
    return list(EnrolmentStaff.objects.filter(enrolment=enrolment, ended_at__isnull=True).select_related("user").order_by("pk"))


def staff_choices(*, organisation_id) -> list:
    """People who work with men at the programme (for assigning staff and facilitators)."""
    from rete.core.models import Membership, User

    ids = Membership.objects.filter(organisation_id=organisation_id, role__in=list(programme_access.WORK_WITH_MEN),
                                    ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "pk"))


def participant_duplicates(*, organisation, given_name="", family_name="", birth_year=None, phone="", exclude_id=None):
    """Enrolments of the programme whose man has the same normalised name and year of birth,
    or the same phone (blind indexes), for the warning at the enquiry."""
    indexes = participant_indexes(given_name=given_name, family_name=family_name, birth_year=birth_year, phone=phone)
    match = Q(pk__in=[])
    if indexes["name_index"]:
        match |= Q(name_index=indexes["name_index"])
    if indexes["phone_index"]:
        match |= Q(phone_index=indexes["phone_index"])
    people = Participant.objects.filter(match, organisation=organisation)
    if exclude_id:
        people = people.exclude(pk=exclude_id)
    return list(Enrolment.objects.filter(participant__in=people.values("pk")).order_by("-enquiry_at")[:10])


def participant_indexes(*, given_name="", family_name="", birth_year=None, phone="") -> dict:
    full_name = crypto.normalise(f"{given_name} {family_name}")
    digits = crypto.normalise_phone(phone)
    return {
        "name_index": crypto.blind_index(f"{full_name}|{birth_year}", purpose="participant.name_year") if full_name and birth_year else "",
        "phone_index": crypto.blind_index(digits, purpose="participant.phone") if len(digits) >= 6 else "",
    }


# ---- for other modules (no content: ids only) -----------------------------------------------------


def enrolments_worked_with(user_id):
    """Values queryset of the ids of every enrolment she ever worked on: on its staff, or
    facilitating a group while he was in it (rows that ended count too). For rete.network: such
    a person can never be the partner-support worker for his partner."""
    staff = EnrolmentStaff.objects.filter(user_id=user_id).values("enrolment_id")
    groups = GroupFacilitator.objects.filter(user_id=user_id).values("group_id")
    places = GroupMember.objects.filter(group_id__in=groups).values("enrolment_id")
    return Enrolment.objects.filter(Q(pk__in=staff) | Q(pk__in=places)).values("pk")


def people_worked_with(enrolment_id) -> set:
    """The user ids of everyone who ever worked with the man of one enrolment."""
    staff = set(EnrolmentStaff.objects.filter(enrolment_id=enrolment_id).values_list("user_id", flat=True))
    groups = GroupMember.objects.filter(enrolment_id=enrolment_id).values("group_id")
    staff |= set(GroupFacilitator.objects.filter(group_id__in=groups).values_list("user_id", flat=True))
    return staff


def enrolment_ids_to_watch(*, user):
    """For the risk module's start page and reminders: the enrolments she may open."""
    scope = visibility(user=user)
    if scope is None:
        return None
    return Enrolment.objects.filter(scope, state__in=states.OPEN).values("pk")


def enrolment_people_to_remind(enrolment_id) -> list:
    """The people to remind of due risk work on an enrolment: its active staff."""
    from rete.core.models import User

    ids = EnrolmentStaff.objects.filter(enrolment_id=enrolment_id, ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(email=""))


def active_enrolment_ids():
    return Enrolment.objects.filter(state__in=states.OPEN).values("pk")
