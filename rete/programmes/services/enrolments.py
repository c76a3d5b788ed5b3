"""Every write of an enrolment's life: the enquiry, his own request, the information contact,
the suitability decision, the changes of state, the staff who work with him, a disclosed threat.

Every service is atomic, checks who may act (404 otherwise: the same as a missing record),
writes an audit event with ids and codes only (never a name, a note or a reason) and, for what
matters to others, tells them through services.notify after the change."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import access as programme_access
from rete.programmes import pathways, states
from rete.programmes.models import (
    Enrolment,
    EnrolmentStaff,
    EnrolmentState,
    Participant,
    PathwayStatus,
    PathwayVersion,
    ReferenceCounter,
    ReferralSource,
    StaffRole,
    StateChange,
    Suitability,
)
from rete.programmes.selectors.enrolments import enrolment_lock, participant_indexes

REASON_MAX = 4000
PARTICIPANT_FIELDS = ("given_name", "family_name", "date_of_birth", "birth_year", "phone", "email", "address", "language",
                      "interpreter_needed")
ADULT_AGE = 18


def _audit(verb, by, enrolment, **detail):
    audit.record(action=f"programmes.{verb}", actor=by, organisation=enrolment.organisation, obj=enrolment,
                 detail={"enrolment": enrolment.pk, **detail})


def _check_version(enrolment, version):
    if version is not None and int(version) != enrolment.version:
        raise StaleEdit(enrolment)


def _touch(enrolment, *fields):
    enrolment.version += 1
    enrolment.last_activity_at = timezone.now()
    enrolment.save(update_fields=["version", "last_activity_at", *fields])


def _text(value, field, *, required=False, message=None):
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(message or _("This field is required."), field)
    if len(value) > REASON_MAX:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": REASON_MAX}, field)
    return value


def next_reference(organisation, year) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.slug.upper()}-P{year}-{counter.last:04d}"


def _participant_values(participant: dict, *, today) -> dict:
    values = {name: participant.get(name) for name in PARTICIPANT_FIELDS if name in participant}
    for name in ("given_name", "family_name", "date_of_birth", "phone", "email", "address", "language"):
        if name in values:
            values[name] = (values[name] or "").strip() if isinstance(values[name], str) else (values[name] or "")
    if not values.get("given_name"):
        raise ServiceError(_("Give at least his given name."), "given_name")
    birth = values.get("date_of_birth") or ""
    if birth:
        try:
            born = datetime.date.fromisoformat(birth)
        except ValueError:
            raise ServiceError(_("Enter the date of birth as YYYY-MM-DD."), "date_of_birth")
        values["birth_year"] = born.year
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < ADULT_AGE:
            raise ServiceError(_("Programmes for men who use violence take adults only (18 and over)."), "date_of_birth")
    elif values.get("birth_year") and today.year - int(values["birth_year"]) < ADULT_AGE:
        raise ServiceError(_("Programmes for men who use violence take adults only (18 and over)."), "birth_year")
    values.update(participant_indexes(given_name=values.get("given_name", ""), family_name=values.get("family_name", ""),
                                      birth_year=values.get("birth_year"), phone=values.get("phone", "")))
    return values


@transaction.atomic
def enquiry_record(*, by, organisation, participant: dict, source, enquiry_at=None, referrer_body="", referrer_contact="",
                   enquiry_note="", own_request_on=None, own_request_note="") -> Enrolment:
    """The first contact: the man and who sent him. The person who took it becomes his case
    manager. His own request may come now or later (it is needed before the assessment)."""
    if not access.has_capability(by, organisation.pk, programme_access.WORK_WITH_MEN):
        access.deny()
    if source not in ReferralSource.values:
        raise ServiceError(_("Choose who referred him."), "source")
    now = timezone.now()
    enquiry_at = enquiry_at or now
    if enquiry_at > now + datetime.timedelta(minutes=5):
        raise ServiceError(_("The first contact cannot be in the future."), "enquiry_at")
    if own_request_on and own_request_on > timezone.localdate():
        raise ServiceError(_("His request cannot be dated in the future."), "own_request_on")
    values = _participant_values(participant, today=timezone.localdate())
    person = Participant.objects.create(organisation=organisation, **values)
    enrolment = Enrolment.objects.create(
        organisation=organisation, participant=person, reference=next_reference(organisation, enquiry_at.year),
        source=source, referrer_body=(referrer_body or "").strip()[:200], referrer_contact=_text(referrer_contact, "referrer_contact"),
        enquiry_at=enquiry_at, enquiry_note=_text(enquiry_note, "enquiry_note"), own_request_on=own_request_on,
        own_request_note=_text(own_request_note, "own_request_note"), created_by=by, state_changed_at=now,
        last_activity_at=now)
    EnrolmentStaff.objects.create(enrolment=enrolment, user=by, role=StaffRole.CASE_MANAGER)
    StateChange.objects.create(enrolment=enrolment, from_state="", to_state=EnrolmentState.ENQUIRY, reason="", at=now, by=by)
    _audit("enquiry_recorded", by, enrolment, source=source, own_request=bool(own_request_on))
    return enrolment


@transaction.atomic
def participant_update(*, by, enrolment, version, **fields) -> Participant:
    """Correct his details (the participant row is versioned on its own)."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    person = Participant.objects.select_for_update().get(pk=enrolment.participant_id)
    if version is not None and int(version) != person.version:
        raise StaleEdit(person)
    current = {name: getattr(person, name) for name in PARTICIPANT_FIELDS}
    current.update({k: v for k, v in fields.items() if k in PARTICIPANT_FIELDS})
    values = _participant_values(current, today=timezone.localdate())
    for name, value in values.items():
        setattr(person, name, value)
    person.version += 1
    person.save()
    _touch(enrolment)
    _audit("participant_updated", by, enrolment, fields=sorted(k for k in fields if k in PARTICIPANT_FIELDS))
    return person


@transaction.atomic
def own_request_record(*, by, enrolment, on, note="", version=None) -> Enrolment:
    """His own request to take part (needed even when a court sends him)."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    _check_version(enrolment, version)
    if on is None:
        raise ServiceError(_("Give the date of his request."), "own_request_on")
    if on > timezone.localdate() or on < enrolment.enquiry_at.date() - datetime.timedelta(days=366):
        raise ServiceError(_("The date of his request must be on or before today."), "own_request_on")
    enrolment.own_request_on, enrolment.own_request_note = on, _text(note, "own_request_note")
    _touch(enrolment, "own_request_on", "own_request_note")
    _audit("own_request_recorded", by, enrolment)
    return enrolment


@transaction.atomic
def information_contact_record(*, by, enrolment, on, version=None) -> Enrolment:
    """The free first informational contact took place (enquiry → information contact)."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    _check_version(enrolment, version)
    if on is None or on > timezone.localdate():
        raise ServiceError(_("Give the date of the information contact (today or earlier)."), "information_contact_on")
    enrolment.information_contact_on = on
    enrolment.save(update_fields=["information_contact_on"])
    if enrolment.state == EnrolmentState.ENQUIRY:
        _change_state(by, enrolment, EnrolmentState.INFORMATION, _("Information contact held."))
    else:
        _touch(enrolment)
    _audit("information_contact_recorded", by, enrolment)
    return enrolment


def _change_state(by, enrolment, to_state, reason, *, automatic=False, note="", compliance_event=None):
    """Move an enrolment (already locked) to a state allowed from its own, record the change and
    tell whoever the pathway says must know."""
    from rete.programmes.services import notify

    from_state = enrolment.state
    if not states.allowed(from_state, to_state):
        raise ServiceError(_("He cannot go from “%(from)s” to “%(to)s”.")
                           % {"from": EnrolmentState(from_state).label, "to": EnrolmentState(to_state).label}, "to_state")
    today = timezone.localdate()
    now = timezone.now()
    fields = ["state", "state_changed_at"]
    first_start = to_state in (EnrolmentState.ACTIVE, EnrolmentState.MOTIVATIONAL) and enrolment.started_on is None
    if first_start:
        enrolment.started_on = today
        fields.append("started_on")
    if to_state == EnrolmentState.ACTIVE and enrolment.pathway_version_id:
        stages = enrolment.pathway_version.stages
        current = pathways.stage(stages, enrolment.stage)
        if current is None or current.get("kind") in ("assessment", "motivational"):
            group_stage = next((s for s in stages if s.get("kind") in ("group", "individual")), None)
            if group_stage:
                enrolment.stage = group_stage["code"]
                fields.append("stage")
    if to_state == EnrolmentState.MOTIVATIONAL and enrolment.pathway_version_id:
        motivational = next((s for s in enrolment.pathway_version.stages if s.get("kind") == "motivational"), None)
        if motivational:
            enrolment.stage = motivational["code"]
            fields.append("stage")
    if to_state in states.ENDED and from_state in states.IN_PROGRAMME | states.BEFORE_PROGRAMME and enrolment.ended_on is None:
        enrolment.ended_on = today
        fields.append("ended_on")
    if to_state == EnrolmentState.FOLLOW_UP:
        enrolment.follow_up_due_on = today + datetime.timedelta(days=182)
        fields.append("follow_up_due_on")
        follow = next((s for s in (enrolment.pathway_version.stages if enrolment.pathway_version_id else ())
                       if s.get("kind") == "follow_up"), None)
        if follow:
            enrolment.stage = follow["code"]
            fields.append("stage")
    enrolment.state, enrolment.state_changed_at = to_state, now
    _touch(enrolment, *fields)
    StateChange.objects.create(enrolment=enrolment, from_state=from_state, to_state=to_state, stage=enrolment.stage,
                               reason=reason, at=now, by=by)
    _audit("state_changed", by, enrolment, **{"from": from_state, "to": to_state, "automatic": automatic})
    event = states.EVENT_ON_ENTERING.get(to_state)
    if event == "started" and not first_start:
        event = None  # resumed after a suspension: not a new start
    if event:
        # Who was told ("partner", "court"), for the caller to say so (part "groups-sessions").
        enrolment.notified = notify.dispatch(by=by, enrolment=enrolment, event=event, note=note,
                                             compliance_event=compliance_event)
    return enrolment


@transaction.atomic
def enrolment_transition(*, by, enrolment, to_state, reason, version=None) -> Enrolment:
    """Change his state, with its reason. Only the changes allowed from his state; leaving the
    assessment goes through the suitability decision."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    _check_version(enrolment, version)
    if to_state not in EnrolmentState.values:
        raise ServiceError(_("Choose the new state."), "to_state")
    if to_state in states.DECISION_STATES:
        raise ServiceError(_("Record the suitability decision to end the assessment."), "to_state")
    reason = _text(reason, "reason", required=True, message=_("Give the reason for this change."))
    if to_state == EnrolmentState.ASSESSING and enrolment.own_request_on is None:
        raise ServiceError(_("Record his own request first: the assessment starts only when he asks for it himself."), "to_state")
    if to_state in (EnrolmentState.ACTIVE, EnrolmentState.MOTIVATIONAL) and enrolment.pathway_version_id is None:
        raise ServiceError(_("He has no pathway yet: record the suitability decision first."), "to_state")
    return _change_state(by, enrolment, to_state, reason)


@transaction.atomic
def suitability_decide(*, by, enrolment, decision, reason, version=None, pathway_version=None,
                       start_state=EnrolmentState.WAITING, referred_to="") -> Enrolment:
    """The end of the assessment: not suitable, referred elsewhere, or accepted on a published
    pathway version of the programme (waiting, or straight into the motivational phase or the
    programme)."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    _check_version(enrolment, version)
    if enrolment.state != EnrolmentState.ASSESSING:
        raise ServiceError(_("The suitability decision ends the assessment: he is not being assessed."), "decision")
    if decision not in Suitability.values:
        raise ServiceError(_("Choose the decision."), "decision")
    reason = _text(reason, "reason", required=True, message=_("Give the reasons for the decision."))
    fields = ["suitability", "suitability_reason", "decided_by", "decided_at"]
    if decision == Suitability.ACCEPTED:
        pv_id = getattr(pathway_version, "pk", pathway_version)
        version_row = (PathwayVersion.objects.select_related("pathway")
                       .filter(pk=pv_id, status=PathwayStatus.PUBLISHED, pathway__organisation_id=enrolment.organisation_id)
                       .first() if pv_id else None)
        if version_row is None:
            raise ServiceError(_("Choose a pathway in use at the programme."), "pathway_version")
        if start_state not in (EnrolmentState.WAITING, EnrolmentState.MOTIVATIONAL, EnrolmentState.ACTIVE):
            raise ServiceError(_("Choose where he starts."), "start_state")
        enrolment.pathway_version = version_row
        first = pathways.first_programme_stage(version_row.stages)
        enrolment.stage = first["code"] if first else ""
        fields += ["pathway_version", "stage"]
        target = start_state
    elif decision == Suitability.REFERRED_ELSEWHERE:
        enrolment.referred_to = (referred_to or "").strip()[:200]
        if not enrolment.referred_to:
            raise ServiceError(_("Say where he was referred."), "referred_to")
        fields.append("referred_to")
        target = EnrolmentState.REFERRED_ELSEWHERE
    else:
        target = EnrolmentState.NOT_SUITABLE
    enrolment.suitability, enrolment.suitability_reason = decision, reason
    enrolment.decided_by, enrolment.decided_at = by, timezone.now()
    enrolment.save(update_fields=fields)
    _audit("suitability_decided", by, enrolment, decision=decision)
    return _change_state(by, enrolment, target, reason)


@transaction.atomic
def staff_assign(*, by, enrolment, user, role) -> EnrolmentStaff:
    """Someone of the programme starts working with him. Never a person who is on the
    partner-support side of his enrolment."""
    from rete.network.selectors.partner_contact import works_on_partner_side

    enrolment = enrolment_lock(user=by, pk=enrolment)
    if role not in StaffRole.values:
        raise ServiceError(_("Choose the role."), "role")
    if user is None or not access.has_capability(user, enrolment.organisation_id, programme_access.WORK_WITH_MEN):
        raise ServiceError(_("Choose someone who works with the men at this programme."), "user")
    if works_on_partner_side(enrolment_id=enrolment.pk, user_id=user.pk):
        raise ServiceError(_("This person works on the partner-support side of this enrolment and cannot work with him."), "user")
    if EnrolmentStaff.objects.filter(enrolment=enrolment, user=user, ended_at__isnull=True).exists():
        raise ServiceError(_("This person already works with him."), "user")
    row = EnrolmentStaff.objects.create(enrolment=enrolment, user=user, role=role)
    _touch(enrolment)
    _audit("staff_assigned", by, enrolment, user=user.pk, role=role)
    return row


@transaction.atomic
def staff_end(*, by, enrolment, staff_id) -> None:
    enrolment = enrolment_lock(user=by, pk=enrolment)
    row = EnrolmentStaff.objects.select_for_update().filter(pk=staff_id, enrolment=enrolment, ended_at__isnull=True).first()
    if row is None:
        access.deny()
    if not EnrolmentStaff.objects.filter(enrolment=enrolment, ended_at__isnull=True).exclude(pk=row.pk).exists():
        raise ServiceError(_("Someone must keep working with him: assign another person first."), "staff")
    row.ended_at = timezone.now()
    row.save(update_fields=["ended_at"])
    _touch(enrolment)
    _audit("staff_ended", by, enrolment, user=row.user_id)


@transaction.atomic
def threat_disclose(*, by, enrolment, note) -> Enrolment:
    """He disclosed a threat or an intent to harm: the partner-support service hears at once
    (the note goes to it, encrypted; its e-mail carries only the label and a link)."""
    from rete.programmes.services import notify

    enrolment = enrolment_lock(user=by, pk=enrolment)
    note = _text(note, "note", required=True, message=_("Say what he disclosed, as the partner-support service should know it."))
    _touch(enrolment)
    _audit("threat_disclosed", by, enrolment)
    notify.dispatch(by=by, enrolment=enrolment, event="threat", note=note)
    return enrolment
