"""Every write of groups (part "groups-sessions"): a group and its schedule, its facilitators and
the men placed in it. Programme coordinators only (404 for anyone else, the same as a missing
group). Audit events carry ids and codes only.

Separation: nobody who works on the partner-support side of a man's enrolment
(rete.network.selectors.partner_contact.works_on_partner_side) may facilitate a group he is in;
a facilitator is refused for a group with such a man, and such a man for such a group."""
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import access as programme_access
from rete.programmes.models import (
    EnrolmentState,
    Group,
    GroupFacilitator,
    GroupMember,
    GroupStatus,
    StageKind,
)
from rete.programmes.selectors.enrolments import enrolment_lock
from rete.programmes.selectors.groups import PLACEABLE, group_lock

GROUP_KINDS = (StageKind.GROUP, StageKind.MOTIVATIONAL)
GROUP_FIELDS = ("name", "stage_kind", "language", "weekdays", "start_time", "duration_minutes", "starts_on", "ends_on",
                "capacity", "place", "status")
MAX_PLACES = 40
MAX_YEARS = 3


def _audit(verb, by, group, **detail):
    audit.record(action=f"programmes.group_{verb}", actor=by, organisation=group.organisation, obj=group,
                 detail={"group": group.pk, **detail})


def _values(values: dict, *, current_members=0) -> dict:
    """The group's fields checked and cleaned (ServiceError on the first problem)."""
    name = (values.get("name") or "").strip()
    if not name:
        raise ServiceError(_("Give the group a name."), "name")
    if len(name) > 200:
        raise ServiceError(_("The name is too long (at most 200 characters)."), "name")
    if values.get("stage_kind") not in GROUP_KINDS:
        raise ServiceError(_("Choose the kind of group."), "stage_kind")
    if values.get("language") not in {code for code, _name in settings.LANGUAGES}:
        raise ServiceError(_("Choose the language the group is held in."), "language")
    try:
        weekdays = sorted({int(day) for day in values.get("weekdays") or ()})
    except (TypeError, ValueError):
        weekdays = []
    if not weekdays or not all(1 <= day <= 7 for day in weekdays):
        raise ServiceError(_("Choose the days the group meets."), "weekdays")
    if not isinstance(values.get("start_time"), datetime.time):
        raise ServiceError(_("Give the time the sessions start."), "start_time")
    duration = values.get("duration_minutes")
    if not isinstance(duration, int) or not 15 <= duration <= 480:
        raise ServiceError(_("A session lasts from 15 to 480 minutes."), "duration_minutes")
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, datetime.date):
        raise ServiceError(_("Give the date of the first session."), "starts_on")
    if ends_on is not None:
        if ends_on < starts_on:
            raise ServiceError(_("The last session cannot come before the first."), "ends_on")
        if (ends_on - starts_on).days > 366 * MAX_YEARS:
            raise ServiceError(_("A group runs for at most three years: set an earlier last session."), "ends_on")
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_PLACES:
        raise ServiceError(_("A group has from 1 to %(max)d places.") % {"max": MAX_PLACES}, "capacity")
    if capacity < current_members:
        raise ServiceError(_("The group has %(count)d men: it needs at least as many places.") % {"count": current_members},
                           "capacity")
    if values.get("status") not in GroupStatus.values:
        raise ServiceError(_("Choose the status of the group."), "status")
    return {"name": name, "stage_kind": values["stage_kind"], "language": values["language"], "weekdays": weekdays,
            "start_time": values["start_time"], "duration_minutes": duration, "starts_on": starts_on, "ends_on": ends_on,
            "capacity": capacity, "place": (values.get("place") or "").strip()[:200], "status": values["status"]}


@transaction.atomic
def group_create(*, by, organisation, **values) -> Group:
    """A new group of the programme (a programme coordinator of it)."""
    if not access.has_capability(by, organisation.pk, programme_access.COORDINATE_PROGRAMME):
        access.deny()
    group = Group.objects.create(organisation=organisation, created_by=by, **_values(values))
    _audit("created", by, group, status=group.status, kind=group.stage_kind)
    return group


@transaction.atomic
def group_update(*, by, group, version, **values) -> Group:
    """Change a group (versioned: a stale edit is refused with both versions)."""
    group = group_lock(user=by, pk=group, manage=True)
    if version is not None and int(version) != group.version:
        raise StaleEdit(group)
    members = GroupMember.objects.filter(group=group, left_on__isnull=True).count()
    cleaned = _values({name: values.get(name, getattr(group, name)) for name in GROUP_FIELDS}, current_members=members)
    changed = sorted(name for name, value in cleaned.items() if getattr(group, name) != value)
    for name, value in cleaned.items():
        setattr(group, name, value)
    group.version += 1
    group.save()
    _audit("updated", by, group, fields=changed, status=group.status)
    return group


def _on_partner_side(enrolment_ids, user_ids):
    """The first (enrolment id, user id) pair where the user works on the partner-support side of
    the enrolment, or None (two queries a pair: bounded by the group's places and facilitators)."""
    from rete.network.selectors.partner_contact import works_on_partner_side

    for enrolment_id in enrolment_ids:
        for user_id in user_ids:
            if works_on_partner_side(enrolment_id=enrolment_id, user_id=user_id):
                return enrolment_id, user_id
    return None


@transaction.atomic
def facilitator_add(*, by, group, user) -> GroupFacilitator:
    """Someone of the programme starts facilitating the group. Never a person on the
    partner-support side of a man in the group."""
    group = group_lock(user=by, pk=group, manage=True)
    if user is None or not access.has_capability(user, group.organisation_id, programme_access.WORK_WITH_MEN):
        raise ServiceError(_("Choose someone who works with the men at this programme."), "user")
    if GroupFacilitator.objects.filter(group=group, user=user, ended_at__isnull=True).exists():
        raise ServiceError(_("This person already facilitates the group."), "user")
    members = list(GroupMember.objects.filter(group=group, left_on__isnull=True).values_list("enrolment_id", flat=True))
    if _on_partner_side(members, [user.pk]):
        raise ServiceError(_("This person works on the partner-support side of a man in this group and cannot facilitate it."),
                           "user")
    row = GroupFacilitator.objects.create(group=group, user=user)
    _audit("facilitator_added", by, group, user=user.pk)
    return row


@transaction.atomic
def facilitator_end(*, by, group, facilitator_id) -> None:
    """She stops facilitating the group (the row stays: whoever once facilitated a man's group
    can never be on his partner's side)."""
    group = group_lock(user=by, pk=group, manage=True)
    row = GroupFacilitator.objects.select_for_update().filter(pk=facilitator_id, group=group, ended_at__isnull=True).first()
    if row is None:
        access.deny()
    row.ended_at = timezone.now()
    row.save(update_fields=["ended_at"])
    _audit("facilitator_ended", by, group, user=row.user_id)


@transaction.atomic
def member_place(*, by, group, enrolment, joined_on=None, start_now=False, reason="") -> GroupMember:
    """Place a man of the programme in the group (waiting, motivational, active, non-compliant
    or suspended), within its places. A man waiting to start may start his programme now (he
    becomes active, with the reason). Refused when a facilitator of the group works on the
    partner-support side of his enrolment."""
    from rete.programmes.services.enrolments import enrolment_transition

    group = group_lock(user=by, pk=group, manage=True)
    if group.status == GroupStatus.CLOSED:
        raise ServiceError(_("The group is closed: nobody can join it."), "enrolment")
    if enrolment is None:
        raise ServiceError(_("Choose the man to place in the group."), "enrolment")
    enrolment = enrolment_lock(user=by, pk=enrolment)
    if enrolment.organisation_id != group.organisation_id:
        access.deny()
    if enrolment.state not in PLACEABLE:
        raise ServiceError(_("Only a man accepted on the programme and not yet finished can join a group."), "enrolment")
    joined_on = joined_on or timezone.localdate()
    if group.ends_on and joined_on > group.ends_on:
        raise ServiceError(_("The group ends before that date."), "joined_on")
    if GroupMember.objects.filter(group=group, enrolment=enrolment, left_on__isnull=True).exists():
        raise ServiceError(_("He is already in this group."), "enrolment")
    members = GroupMember.objects.filter(group=group, left_on__isnull=True).count()
    if members >= group.capacity:
        raise ServiceError(_("The group is full (%(count)d places).") % {"count": group.capacity}, "enrolment")
    facilitators = list(GroupFacilitator.objects.filter(group=group, ended_at__isnull=True).values_list("user_id", flat=True))
    if _on_partner_side([enrolment.pk], facilitators):
        raise ServiceError(_("A facilitator of this group works on the partner-support side of his enrolment: "
                             "place him in another group."), "enrolment")
    reason = (reason or "").strip()
    if len(reason) > 4000:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": 4000}, "reason")
    starts = bool(start_now and enrolment.state == EnrolmentState.WAITING)
    row = GroupMember.objects.create(group=group, enrolment=enrolment, joined_on=joined_on)
    _audit("member_placed", by, group, enrolment=enrolment.pk, started=starts)
    if starts:
        enrolment_transition(by=by, enrolment=enrolment, to_state=EnrolmentState.ACTIVE,
                             reason=reason or _("He started in the group “%(group)s”.") % {"group": group.name})
    return row


@transaction.atomic
def member_remove(*, by, group, member_id, left_on=None) -> GroupMember:
    """He leaves the group (the row stays, with the day he left)."""
    group = group_lock(user=by, pk=group, manage=True)
    row = GroupMember.objects.select_for_update().filter(pk=member_id, group=group, left_on__isnull=True).first()
    if row is None:
        access.deny()
    left_on = left_on or timezone.localdate()
    if left_on < row.joined_on:
        raise ServiceError(_("He cannot leave before he joined."), "left_on")
    row.left_on = left_on
    row.save(update_fields=["left_on"])
    _audit("member_removed", by, group, enrolment=row.enrolment_id)
    return row
