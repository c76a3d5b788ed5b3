"""Every write on victim-support cases: keyword-only, atomic, audited in the same transaction.
Audit details carry references and field names, never names, phones or narratives."""
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rete.cases import access as case_access
from rete.cases.models import Case, CaseAssignment, CaseReferenceCounter, CaseStatus, Person
from rete.core import access, audit, crypto


@dataclass(frozen=True)
class PersonIndexes:
    name_index: str
    phone_index: str


def person_indexes(*, given_name="", family_name="", birth_year=None, phone="") -> PersonIndexes:
    """Blind indexes for duplicate detection: the same normalised full name *and* year of birth,
    or the same phone number."""
    full_name = crypto.normalise(f"{given_name} {family_name}")
    name_index = crypto.blind_index(f"{full_name}|{birth_year}", purpose="person.name_year") if full_name and birth_year else ""
    digits = crypto.normalise_phone(phone)
    phone_index = crypto.blind_index(digits[-9:], purpose="person.phone") if len(digits) >= 6 else ""
    return PersonIndexes(name_index=name_index, phone_index=phone_index)


def _next_reference(organisation) -> str:
    year = timezone.now().year
    counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.slug.upper()}-{year}-{counter.last:05d}"


PERSON_FIELDS = (
    "is_anonymous", "given_name", "family_name", "alias", "date_of_birth", "birth_year", "phone", "language",
    "interpreter_needed", "safe_to_contact", "safe_phone", "safe_times", "code_word", "contact_precautions",
)


@transaction.atomic
def intake_open_case(*, by, organisation, contact_route, first_contact_at, person: dict) -> Case:
    """Register the person and open her case, with the person who took the contact on its team."""
    if not access.has_capability(by, organisation.pk, case_access.OPEN_CASES):
        access.deny()
    values = {field: person.get(field) for field in PERSON_FIELDS if field in person}
    if values.get("is_anonymous"):
        values["given_name"] = values["family_name"] = values["date_of_birth"] = ""
    if values.get("date_of_birth") and not values.get("birth_year"):
        values["birth_year"] = int(str(values["date_of_birth"])[:4])
    values["date_of_birth"] = str(values.get("date_of_birth") or "")
    indexes = person_indexes(
        given_name=values.get("given_name", ""), family_name=values.get("family_name", ""),
        birth_year=values.get("birth_year"), phone=values.get("phone", ""),
    )
    record = Person.objects.create(organisation=organisation, name_index=indexes.name_index, phone_index=indexes.phone_index, **values)
    now = timezone.now()
    case = Case.objects.create(
        organisation=organisation, person=record, reference=_next_reference(organisation), status=CaseStatus.OPEN,
        contact_route=contact_route, first_contact_at=first_contact_at or now, opened_by=by, last_activity_at=now,
    )
    CaseAssignment.objects.create(case=case, user=by)
    _activity(case, actor=by, kind="opened")
    audit.record(
        action="case.opened", actor=by, organisation=organisation, obj=case,
        detail={"reference": case.reference, "anonymous": bool(values.get("is_anonymous")), "route": contact_route},
    )
    return case


@transaction.atomic
def case_record_view(*, by, case):
    """Every opening of a case leaves a trace (who, when, from where)."""
    audit.record(action="case.viewed", actor=by, organisation=case.organisation, obj=case, detail={"reference": case.reference})


# ---- the case's life ---------------------------------------------------------------------


class CaseError(Exception):
    """A refusal the person can act on (translated message)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _on_case(by, case):
    """The same rule as the pages: only someone who may see the case may act on it."""
    from rete.cases import selectors

    return selectors.case_get(user=by, pk=case.pk)


def _activity(case, *, actor, kind, note=None, subject=None, text=""):
    from rete.cases.models import CaseActivity

    now = timezone.now()
    CaseActivity.objects.create(case=case, at=now, actor=actor, kind=kind, note=note, subject=subject, text=text)
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)


def activity_add(*, case, actor, kind, text=""):
    """A timeline entry written by another app inside its own audited service (e.g. a referral
    of rete.network); `text` is a label, kept encrypted like every timeline text."""
    _activity(case, actor=actor, kind=kind, text=text)


def _set_status(case, *, version, **values):
    from rete.core.services import versioned_update

    versioned_update(Case, pk=case.pk, version=version, **values)


@transaction.atomic
def note_add(*, by, case, body):
    from rete.cases.models import ActivityKind, CaseNote

    case = _on_case(by, case)
    note = CaseNote.objects.create(case=case, author=by, body=body.strip())
    _activity(case, actor=by, kind=ActivityKind.NOTE, note=note)
    audit.record(action="case.note_added", actor=by, organisation=case.organisation, obj=case, detail={"note": note.pk})
    return note


@transaction.atomic
def case_put_on_hold(*, by, case, version, reason):
    from django.utils.translation import gettext as _

    from rete.cases.models import ACTIVE_STATUSES, ActivityKind

    case = _on_case(by, case)
    if case.status not in ACTIVE_STATUSES or case.status == CaseStatus.ON_HOLD:
        raise CaseError(_("Only an open case can be put on hold."))
    _set_status(case, version=version, status=CaseStatus.ON_HOLD)
    _activity(case, actor=by, kind=ActivityKind.PUT_ON_HOLD, text=reason.strip())
    audit.record(action="case.put_on_hold", actor=by, organisation=case.organisation, obj=case, detail={"reference": case.reference})


@transaction.atomic
def case_resume(*, by, case, version):
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind

    case = _on_case(by, case)
    if case.status != CaseStatus.ON_HOLD:
        raise CaseError(_("Only a case on hold can be resumed."))
    _set_status(case, version=version, status=CaseStatus.OPEN)
    _activity(case, actor=by, kind=ActivityKind.RESUMED)
    audit.record(action="case.resumed", actor=by, organisation=case.organisation, obj=case, detail={"reference": case.reference})


@transaction.atomic
def team_add(*, by, case, member):
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind

    case = _on_case(by, case)
    if not access.has_capability(member, case.organisation_id, case_access.OPEN_CASES):
        raise CaseError(_("Only colleagues who work on cases at this organisation can join the team."))
    if CaseAssignment.objects.filter(case=case, user=member, ended_at__isnull=True).exists():
        raise CaseError(_("%(name)s is already on the team.") % {"name": member})
    CaseAssignment.objects.create(case=case, user=member)
    _activity(case, actor=by, kind=ActivityKind.TEAM_JOINED, subject=member)
    audit.record(action="case.team_joined", actor=by, organisation=case.organisation, obj=case, detail={"user": member.pk})


@transaction.atomic
def team_remove(*, by, case, member):
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind

    case = _on_case(by, case)
    current = CaseAssignment.objects.select_for_update().filter(case=case, ended_at__isnull=True)
    if current.count() <= 1:
        raise CaseError(_("A case always keeps at least one person on its team."))
    updated = current.filter(user=member).update(ended_at=timezone.now())
    if not updated:
        raise CaseError(_("%(name)s is not on the team.") % {"name": member})
    _activity(case, actor=by, kind=ActivityKind.TEAM_LEFT, subject=member)
    audit.record(action="case.team_left", actor=by, organisation=case.organisation, obj=case, detail={"user": member.pk})


@transaction.atomic
def closure_request(*, by, case, version, reason, safety_plan_reviewed, knows_how_to_return, services_ended, summary, supervisor=None):
    """Propose closing the case. The supervisor who decides becomes the case's supervisor (and
    so may read it); without one already, or when the proposer is that supervisor, one is named."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ACTIVE_STATUSES, ActivityKind, ClosureDecision, ClosureRequest

    case = _on_case(by, case)
    if case.status not in ACTIVE_STATUSES:
        raise CaseError(_("This case is already closed."))
    if ClosureRequest.objects.filter(case=case, decision=ClosureDecision.PENDING).exists():
        raise CaseError(_("A closure is already waiting for the supervisor."))
    decider = supervisor or case.supervisor
    if decider is None or decider.pk == by.pk:
        raise CaseError(_("Choose the supervisor who will decide on the closure (not yourself)."))
    if not access.has_capability(decider, case.organisation_id, case_access.SEE_ALL_CASES):
        raise CaseError(_("Choose the supervisor who will decide on the closure (not yourself)."))
    from rete.core.services import versioned_update

    # Someone else's change in between is a conflict.
    versioned_update(Case, pk=case.pk, version=version, supervisor=decider)
    if decider.pk != case.supervisor_id:
        _activity(case, actor=by, kind=ActivityKind.SUPERVISOR, subject=decider)
    request = ClosureRequest.objects.create(
        case=case, requested_by=by, reason=reason, safety_plan_reviewed=safety_plan_reviewed,
        knows_how_to_return=knows_how_to_return, services_ended=services_ended, summary=summary.strip(),
    )
    _activity(case, actor=by, kind=ActivityKind.CLOSURE_REQUESTED)
    case_id, decider_id = case.pk, decider.pk
    transaction.on_commit(lambda: _tell_the_deciding_supervisor(case_id, decider_id))
    audit.record(action="case.closure_requested", actor=by, organisation=case.organisation, obj=case, detail={"reason": reason})
    return request


@transaction.atomic
def closure_decide(*, by, case, approve, note):
    """A supervisor of the organisation decides; never the person who proposed the closure."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, ClosureDecision, ClosureRequest

    case = _on_case(by, case)
    if not access.has_capability(by, case.organisation_id, case_access.SEE_ALL_CASES):
        access.deny()
    request = ClosureRequest.objects.select_for_update().filter(case=case, decision=ClosureDecision.PENDING).first()
    if request is None:
        raise CaseError(_("There is no closure waiting for a decision."))
    if request.requested_by_id == by.pk:
        raise CaseError(_("Another supervisor must approve a closure you proposed."))
    now = timezone.now()
    request.decision = ClosureDecision.APPROVED if approve else ClosureDecision.RETURNED
    request.decided_by, request.decided_at, request.decision_note = by, now, note.strip()
    request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    if approve:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=now, version=F("version") + 1)
    _activity(case, actor=by, kind=ActivityKind.CLOSURE_APPROVED if approve else ActivityKind.CLOSURE_RETURNED, text=note.strip())
    audit.record(action="case.closed" if approve else "case.closure_returned", actor=by, organisation=case.organisation,
                 obj=case, detail={"reference": case.reference})
    return request


@transaction.atomic
def case_reopen(*, by, case, version, reason):
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind

    case = _on_case(by, case)
    if case.status != CaseStatus.CLOSED:
        raise CaseError(_("Only a closed case can be reopened."))
    _set_status(case, version=version, status=CaseStatus.REOPENED, closed_at=None)
    _activity(case, actor=by, kind=ActivityKind.REOPENED, text=reason.strip())
    if not CaseAssignment.objects.filter(case=case, user=by, ended_at__isnull=True).exists():
        CaseAssignment.objects.create(case=case, user=by)
    audit.record(action="case.reopened", actor=by, organisation=case.organisation, obj=case, detail={"reference": case.reference})


INCIDENT_FIELDS = ("incident_date", "reported_on", "place_type", "gbv_type", "context_flags", "narrative",
                   "reported_to_police", "injuries", "medical_care")


@transaction.atomic
def incident_record(*, by, case, **values):
    from rete.cases.models import ActivityKind, GbvType, Incident

    case = _on_case(by, case)
    data = {field: values[field] for field in INCIDENT_FIELDS}
    data["gbv_type"] = GbvType(data["gbv_type"])
    data["narrative"] = (data["narrative"] or "").strip()
    incident = Incident.objects.create(case=case, recorded_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.INCIDENT)
    # The type is a classification, not her words; the narrative never leaves its field.
    audit.record(action="case.incident_recorded", actor=by, organisation=case.organisation, obj=case,
                 detail={"incident": incident.pk, "gbv_type": str(data["gbv_type"])})
    _risk_event(by, case, "new_incident")
    from rete.core.extensions import incident_recorded_jobs

    for job in incident_recorded_jobs():
        job(case=case, incident=incident, by=by)
    return incident


def _risk_event(by, case, event):
    """A new incident or a breached order may make a risk reassessment due (rete.risk decides,
    from the instrument in force)."""
    from rete.risk import services as risk_services

    risk_services.subject_event(by=by, subject_type="case", subject_id=case.pk, event=event)


@transaction.atomic
def consent_record(*, by, case, kind, given_on, method, agency="", sector="", scope=""):
    from rete.cases.models import ActivityKind, Consent, ConsentKind

    case = _on_case(by, case)
    consent = Consent.objects.create(
        case=case, kind=kind, agency=agency.strip() if kind == ConsentKind.SHARE_AGENCY else "",
        sector=sector if kind == ConsentKind.SHARE_SECTOR else "", scope=scope.strip(), given_on=given_on,
        method=method, recorded_by=by,
    )
    _activity(case, actor=by, kind=ActivityKind.CONSENT_GIVEN, text=consent.get_kind_display())
    audit.record(action="case.consent_recorded", actor=by, organisation=case.organisation, obj=case,
                 detail={"consent": consent.pk, "kind": kind, "sector": consent.sector})
    return consent


@transaction.atomic
def consent_withdraw(*, by, case, consent_id, withdrawn_on, reason=""):
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, Consent

    case = _on_case(by, case)
    consent = Consent.objects.select_for_update().filter(case=case, pk=consent_id).first()
    if consent is None:
        access.deny()
    if consent.withdrawn_on is not None:
        raise CaseError(_("This consent was already withdrawn."))
    if withdrawn_on < consent.given_on:
        raise CaseError(_("A consent cannot be withdrawn before it was given."))
    consent.withdrawn_on, consent.withdrawn_reason, consent.withdrawn_by = withdrawn_on, reason.strip(), by
    consent.save(update_fields=["withdrawn_on", "withdrawn_reason", "withdrawn_by"])
    _activity(case, actor=by, kind=ActivityKind.CONSENT_WITHDRAWN, text=consent.get_kind_display())
    audit.record(action="case.consent_withdrawn", actor=by, organisation=case.organisation, obj=case, detail={"consent": consent.pk})
    # What other modules share under her consent stops with it (e.g. referrals), in this transaction.
    from rete.core.extensions import consent_withdrawn_jobs

    for job in consent_withdrawn_jobs():
        job(case=case, by=by)
    return consent


# ---- server-side drafts of long forms ------------------------------------------------------

DRAFT_FORMS = frozenset({"needs_assessment", "safety_plan"})


@transaction.atomic
def draft_save(*, by, case, form, data: dict):
    """Keep what she has typed so far (encrypted), one draft per person, case and form."""
    import json

    from rete.cases.models import FormDraft

    if form not in DRAFT_FORMS:
        access.deny()
    case = _on_case(by, case)
    payload = json.dumps({k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken", "save_draft", "discard")})
    draft, created = FormDraft.objects.update_or_create(case=case, user=by, form=form, defaults={"payload": payload})
    if created:
        audit.record(action="case.draft_started", actor=by, organisation=case.organisation, obj=case, detail={"form": form})
    return draft


@transaction.atomic
def draft_discard(*, by, case, form):
    from rete.cases.models import FormDraft

    deleted, _ = FormDraft.objects.filter(case=case, user=by, form=form).delete()
    if deleted:
        audit.record(action="case.draft_discarded", actor=by, organisation=case.organisation, obj=case, detail={"form": form})


# ---- supervision and break-glass ---------------------------------------------------------------


@transaction.atomic
def case_set_supervisor(*, by, case, supervisor):
    """Name the supervisor who oversees this case (she may then read it without break-glass)."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind

    case = _on_case(by, case)
    if supervisor is not None and not access.has_capability(supervisor, case.organisation_id, case_access.SEE_ALL_CASES):
        raise CaseError(_("Choose a supervisor of this organisation."))
    Case.objects.filter(pk=case.pk).update(supervisor=supervisor, version=F("version") + 1)
    _activity(case, actor=by, kind=ActivityKind.SUPERVISOR, subject=supervisor)
    audit.record(action="case.supervisor_changed", actor=by, organisation=case.organisation, obj=case,
                 detail={"supervisor": supervisor.pk if supervisor else None})


BREAK_GLASS_HOURS = 8


@transaction.atomic
def break_glass_open(*, by, case_id, reason):
    """A supervisor opens a case of her organisation she does not work on, for a written reason.
    Access lasts a working day; the audit trail and the data-protection officers are told."""
    import datetime

    from django.utils.translation import gettext as _

    from rete.cases import selectors
    from rete.cases.models import ActivityKind, BreakGlassAccess

    case = selectors.break_glass_candidate(user=by, pk=case_id)
    reason = reason.strip()
    if len(reason) < 10:
        raise CaseError(_("Say why you need to open this case (at least a sentence)."))
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(case=case, user=by, reason=reason, expires_at=now + datetime.timedelta(hours=BREAK_GLASS_HOURS))
    _activity(case, actor=by, kind=ActivityKind.BREAK_GLASS, text=reason)
    audit.record(action="case.break_glass", actor=by, organisation=case.organisation, obj=case,
                 detail={"reference": case.reference, "grant": grant.pk, "hours": BREAK_GLASS_HOURS})
    organisation_id, reference, actor_id = case.organisation_id, case.reference, by.pk
    transaction.on_commit(lambda: _tell_data_protection_officers(organisation_id, reference, actor_id))
    return grant


def _tell_data_protection_officers(organisation_id, reference, actor_id):
    """E-mail the organisation's DPOs: who opened which case, when. The reason stays in the
    system (it may be personal); they read it on the break-glass review page."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.core.models import Membership, Role, User

    actor = User.objects.get(pk=actor_id)
    dpo_ids = Membership.objects.filter(organisation_id=organisation_id, role=Role.DPO, ended_at__isnull=True).values("user_id")
    for dpo in User.objects.filter(pk__in=dpo_ids, is_active=True):
        with translation.override(dpo.language or settings.LANGUAGE_CODE):
            context = {"reference": reference, "actor": actor, "at": timezone.now(),
                       "review_url": settings.RETE_BASE_URL.rstrip("/") + reverse("cases:break_glass_review")}
            subject = render_to_string("cases/email/break_glass_subject.txt", context).strip()
            body = render_to_string("cases/email/break_glass.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [dpo.email])


@transaction.atomic
def break_glass_reviewed(*, by, grants):
    """Reading the reasons (which may be personal) is itself recorded: one event per
    organisation naming the openings shown."""
    by_org = {}
    for grant in grants:
        by_org.setdefault(grant.case.organisation_id, (grant.case.organisation, []))[1].append(grant.pk)
    for organisation, ids in by_org.values():
        audit.record(action="case.break_glass_reviewed", actor=by, organisation=organisation, detail={"grants": ids})


# ---- access to justice: complaints, protection orders, proceedings, hearings ------------------
# Timeline rows carry labels only ("Protection order: Granted"); audit rows carry ids, codes and
# the names of the fields that changed, never notes, conditions or outcomes.

COMPLAINT_FIELDS = ("filed_on", "authority", "authority_reference", "status", "notes")
ORDER_FIELDS = ("kind", "court", "court_reference", "status", "applied_on", "issued_on", "expires_on", "conditions")
PROCEEDING_FIELDS = ("kind", "court", "court_reference", "status", "outcome")
HEARING_FIELDS = ("at", "place", "purpose", "accompanied")


def _justice_values(values, fields):
    data = {field: values.get(field) for field in fields}
    for field, value in data.items():
        if isinstance(value, str):
            data[field] = value.strip()
    return data


def _changed_fields(obj, data):
    return sorted(field for field, value in data.items() if getattr(obj, field) != value)


def _check_order_dates(data):
    """Dates must follow each other: applied ≤ issued ≤ expires; a granted order was issued."""
    from django.utils.translation import gettext as _

    from rete.cases.models import OrderStatus

    applied, issued, expires = data.get("applied_on"), data.get("issued_on"), data.get("expires_on")
    if applied and issued and issued < applied:
        raise CaseError(_("An order cannot be issued before it was applied for."))
    if issued and expires and expires < issued:
        raise CaseError(_("An order cannot expire before it was issued."))
    if data.get("status") == OrderStatus.GRANTED and not issued:
        raise CaseError(_("Give the date the order was issued."))


def _order_text(order):
    from django.utils.translation import gettext as _

    return _("%(kind)s: %(status)s") % {"kind": order.get_kind_display(), "status": order.get_status_display()}


def _complaint_text(complaint):
    from django.utils.translation import gettext as _

    return _("Complaint: %(status)s") % {"status": complaint.get_status_display()}


def _proceeding_text(proceeding):
    from django.utils.translation import gettext as _

    return _("Proceedings (%(kind)s): %(status)s") % {"kind": proceeding.get_kind_display(), "status": proceeding.get_status_display()}


def _hearing_text(hearing, proceeding):
    from django.utils import formats
    from django.utils.translation import gettext as _

    return _("Hearing (%(kind)s proceedings): %(when)s") % {
        "kind": proceeding.get_kind_display(),
        "when": formats.date_format(timezone.localtime(hearing.at), "SHORT_DATETIME_FORMAT"),
    }


@transaction.atomic
def complaint_add(*, by, case, **values):
    from rete.cases.models import ActivityKind, Complaint

    case = _on_case(by, case)
    data = _justice_values(values, COMPLAINT_FIELDS)
    complaint = Complaint.objects.create(case=case, recorded_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_complaint_text(complaint))
    audit.record(action="case.complaint_recorded", actor=by, organisation=case.organisation, obj=case,
                 detail={"complaint": complaint.pk, "status": complaint.status})
    return complaint


@transaction.atomic
def complaint_update(*, by, case, complaint_id, version, **values):
    from rete.cases.models import ActivityKind, Complaint
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    complaint = Complaint.objects.filter(case=case, pk=complaint_id).first()
    if complaint is None:
        access.deny()
    data = _justice_values(values, COMPLAINT_FIELDS)
    changed = _changed_fields(complaint, data)
    versioned_update(Complaint, pk=complaint.pk, version=version, **data)
    complaint = Complaint.objects.get(pk=complaint.pk)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_complaint_text(complaint))
    audit.record(action="case.complaint_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"complaint": complaint.pk, "status": complaint.status, "fields": changed})
    return complaint


@transaction.atomic
def order_add(*, by, case, **values):
    """Record a protection order. A granted order whose expiry date has passed stays as entered:
    only the tick marks it expired (and says so on the timeline)."""
    from rete.cases.models import ActivityKind, ProtectionOrder

    case = _on_case(by, case)
    data = _justice_values(values, ORDER_FIELDS)
    _check_order_dates(data)
    order = ProtectionOrder.objects.create(case=case, recorded_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_order_text(order))
    audit.record(action="case.order_recorded", actor=by, organisation=case.organisation, obj=case,
                 detail={"order": order.pk, "kind": order.kind, "status": order.status,
                         "expires_on": order.expires_on.isoformat() if order.expires_on else None})
    if order.status == "breached":
        _risk_event(by, case, "order_breach")
    return order


@transaction.atomic
def order_update(*, by, case, order_id, version, **values):
    from rete.cases.models import ActivityKind, ProtectionOrder
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    order = ProtectionOrder.objects.filter(case=case, pk=order_id).first()
    if order is None:
        access.deny()
    data = _justice_values(values, ORDER_FIELDS)
    _check_order_dates(data)
    changed = _changed_fields(order, data)
    if "expires_on" in changed or "status" in changed:
        # A renewed or re-granted order earns a new expiry reminder.
        data["expiry_reminder_sent_at"] = None
    versioned_update(ProtectionOrder, pk=order.pk, version=version, **data)
    order = ProtectionOrder.objects.get(pk=order.pk)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_order_text(order))
    audit.record(action="case.order_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"order": order.pk, "kind": order.kind, "status": order.status, "fields": changed,
                         "expires_on": order.expires_on.isoformat() if order.expires_on else None})
    if "status" in changed and order.status == "breached":
        _risk_event(by, case, "order_breach")
    return order


@transaction.atomic
def proceeding_add(*, by, case, **values):
    from rete.cases.models import ActivityKind, Proceeding

    case = _on_case(by, case)
    data = _justice_values(values, PROCEEDING_FIELDS)
    proceeding = Proceeding.objects.create(case=case, recorded_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_proceeding_text(proceeding))
    audit.record(action="case.proceeding_recorded", actor=by, organisation=case.organisation, obj=case,
                 detail={"proceeding": proceeding.pk, "kind": proceeding.kind, "status": proceeding.status})
    return proceeding


@transaction.atomic
def proceeding_update(*, by, case, proceeding_id, version, **values):
    from rete.cases.models import ActivityKind, Proceeding
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    proceeding = Proceeding.objects.filter(case=case, pk=proceeding_id).first()
    if proceeding is None:
        access.deny()
    data = _justice_values(values, PROCEEDING_FIELDS)
    changed = _changed_fields(proceeding, data)
    versioned_update(Proceeding, pk=proceeding.pk, version=version, **data)
    proceeding = Proceeding.objects.get(pk=proceeding.pk)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_proceeding_text(proceeding))
    audit.record(action="case.proceeding_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"proceeding": proceeding.pk, "kind": proceeding.kind, "status": proceeding.status, "fields": changed})
    return proceeding


@transaction.atomic
def hearing_add(*, by, case, proceeding_id, **values):
    """A hearing can be recorded after it took place; it then simply gets no reminder."""
    from rete.cases.models import ActivityKind, Hearing, Proceeding

    case = _on_case(by, case)
    proceeding = Proceeding.objects.filter(case=case, pk=proceeding_id).first()
    if proceeding is None:
        access.deny()
    data = _justice_values(values, HEARING_FIELDS)
    data["accompanied"] = bool(data["accompanied"])
    hearing = Hearing.objects.create(proceeding=proceeding, recorded_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_hearing_text(hearing, proceeding))
    audit.record(action="case.hearing_recorded", actor=by, organisation=case.organisation, obj=case,
                 detail={"hearing": hearing.pk, "proceeding": proceeding.pk, "at": hearing.at.isoformat()})
    return hearing


@transaction.atomic
def hearing_update(*, by, case, hearing_id, version, **values):
    """Change a hearing. A new date or time resets its reminder, so the team hears of the new one."""
    from rete.cases.models import ActivityKind, Hearing
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    hearing = Hearing.objects.filter(proceeding__case=case, pk=hearing_id).select_related("proceeding").first()
    if hearing is None:
        access.deny()
    data = _justice_values(values, HEARING_FIELDS)
    data["accompanied"] = bool(data["accompanied"])
    if data["at"] and data["at"].replace(second=0, microsecond=0) == hearing.at.replace(second=0, microsecond=0):
        data["at"] = hearing.at  # the form shows minutes: the same minute is the same time
    changed = _changed_fields(hearing, data)
    if "at" in changed:
        data["reminder_sent_at"] = None
    versioned_update(Hearing, pk=hearing.pk, version=version, **data)
    hearing = Hearing.objects.select_related("proceeding").get(pk=hearing.pk)
    _activity(case, actor=by, kind=ActivityKind.JUSTICE, text=_hearing_text(hearing, hearing.proceeding))
    audit.record(action="case.hearing_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"hearing": hearing.pk, "proceeding": hearing.proceeding_id, "at": hearing.at.isoformat(), "fields": changed})
    return hearing


@transaction.atomic
def order_mark_expired(*, order_id, today):
    """The tick's half of an order's life: a granted order past its expiry date becomes expired,
    on the timeline and in the audit trail, with no one as the actor. Returns whether it did."""
    from django.utils import translation

    from rete.cases.models import ActivityKind, OrderStatus, ProtectionOrder

    updated = ProtectionOrder.objects.filter(pk=order_id, status=OrderStatus.GRANTED, expires_on__lt=today).update(
        status=OrderStatus.EXPIRED, version=F("version") + 1)
    if not updated:
        return False
    order = ProtectionOrder.objects.select_related("case__organisation").get(pk=order_id)
    case = order.case
    from django.conf import settings

    language = (case.organisation.languages or [settings.LANGUAGE_CODE])[0]
    with translation.override(language):
        _activity(case, actor=None, kind=ActivityKind.JUSTICE, text=_order_text(order))
    audit.record(action="case.order_expired", actor=None, organisation=case.organisation, obj=case,
                 detail={"order": order.pk, "kind": order.kind, "expires_on": order.expires_on.isoformat()})
    return True


# ---- information given (Directive 2012/29/EU, Art. 4) -----------------------------------------


def document_languages() -> list[str]:
    """The languages documents and records may be in: the platform's five."""
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


@transaction.atomic
def information_record(*, by, case, items, given_on, language, in_writing=False):
    """Record that the ticked Art. 4 items were explained to her today (or on `given_on`): one
    row per item, one line on the timeline, one audit event naming the items."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, InformationGiven, InformationItem

    case = _on_case(by, case)
    valid = set(InformationItem.values)
    chosen = sorted({str(item) for item in items or ()})
    if not chosen:
        raise CaseError(_("Tick at least one item of information you gave her."))
    if any(item not in valid for item in chosen):
        raise CaseError(_("Choose the items from the list."))
    if given_on > timezone.localdate():
        raise CaseError(_("This date cannot be in the future."))
    if language not in document_languages():
        raise CaseError(_("Choose the language from the list."))
    records = InformationGiven.objects.bulk_create([
        InformationGiven(case=case, item=item, given_on=given_on, language=language, in_writing=bool(in_writing), given_by=by)
        for item in chosen
    ])
    _activity(case, actor=by, kind=ActivityKind.INFORMATION_GIVEN, text=", ".join(f"({item})" for item in chosen))
    audit.record(action="case.information_given", actor=by, organisation=case.organisation, obj=case,
                 detail={"items": chosen, "language": language, "in_writing": bool(in_writing), "given_on": given_on.isoformat()})
    return records


@transaction.atomic
def information_leaflet_printed(*, by, case, language):
    """The rights leaflet was printed for her: who, when, in which language."""
    case = _on_case(by, case)
    audit.record(action="case.document_printed", actor=by, organisation=case.organisation, obj=case,
                 detail={"document": "information_leaflet", "language": language})


# ---- safety plan -----------------------------------------------------------------------------


@transaction.atomic
def safety_plan_save(*, by, case, version, language, next_review_on=None, **sections):
    """Create her safety plan on the first save, else update it if nobody saved it since
    `version` (StaleEdit otherwise, carrying the stored plan). Returns (plan, changed names).
    Her own unsent draft of the form is discarded once the plan is saved."""
    from django.db import IntegrityError

    from rete.cases.models import SAFETY_PLAN_SECTIONS, ActivityKind, SafetyPlan
    from rete.core.services import StaleEdit, versioned_update

    case = _on_case(by, case)
    unknown = set(sections) - set(SAFETY_PLAN_SECTIONS)
    if unknown:
        raise TypeError(f"unknown safety plan sections: {sorted(unknown)}")
    if language not in document_languages():
        from django.utils.translation import gettext as _

        raise CaseError(_("Choose the language from the list."))
    values = {name: (sections.get(name) or "").strip() for name in SAFETY_PLAN_SECTIONS}
    values.update(language=language, next_review_on=next_review_on)
    plan = SafetyPlan.objects.filter(case=case).first()
    created = plan is None
    if created:
        if version:
            # She edited a plan that no longer exists in that form: nothing to compare with.
            raise StaleEdit(SafetyPlan.objects.filter(case=case).first())
        try:
            with transaction.atomic():
                plan = SafetyPlan.objects.create(case=case, updated_by=by, **values)
        except IntegrityError:
            # Someone else created the plan a moment ago: show her theirs next to hers.
            raise StaleEdit(SafetyPlan.objects.get(case=case)) from None
        changed = [name for name in SAFETY_PLAN_SECTIONS if values[name]]
    else:
        changed = [name for name, value in values.items() if getattr(plan, name) != value]
        if not version or int(version) != plan.version:
            raise StaleEdit(plan)
        if not changed:
            draft_discard(by=by, case=case, form="safety_plan")
            return plan, []
        versioned_update(SafetyPlan, pk=plan.pk, version=version, updated_by=by, updated_at=timezone.now(), **values)
        plan.refresh_from_db()
    draft_discard(by=by, case=case, form="safety_plan")
    _activity(case, actor=by, kind=ActivityKind.SAFETY_PLAN)
    audit.record(action="case.safety_plan_saved", actor=by, organisation=case.organisation, obj=case,
                 detail={"plan": plan.pk, "created": created, "changed": changed, "version": plan.version})
    return plan, changed


@transaction.atomic
def safety_plan_review(*, by, case, reviewed_on, note="", next_review_on=None):
    """Record that the plan was gone through with her; set the date of the next review."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, SafetyPlan, SafetyPlanReview

    case = _on_case(by, case)
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise CaseError(_("Write and save the safety plan before recording a review."))
    today = timezone.localdate()
    if reviewed_on > today:
        raise CaseError(_("The review date cannot be in the future."))
    if next_review_on is not None and (next_review_on <= reviewed_on or next_review_on < today):
        raise CaseError(_("The next review must come after this one, and not in the past."))
    review = SafetyPlanReview.objects.create(plan=plan, reviewed_on=reviewed_on, note=(note or "").strip(), reviewed_by=by)
    # The review changes the plan's next review: an edit opened before it must notice.
    SafetyPlan.objects.filter(pk=plan.pk).update(next_review_on=next_review_on, version=F("version") + 1)
    _activity(case, actor=by, kind=ActivityKind.SAFETY_PLAN_REVIEWED, text=(note or "").strip())
    audit.record(action="case.safety_plan_reviewed", actor=by, organisation=case.organisation, obj=case,
                 detail={"plan": plan.pk, "review": review.pk, "reviewed_on": reviewed_on.isoformat(),
                         "next_review_on": next_review_on.isoformat() if next_review_on else None})
    return review


@transaction.atomic
def safety_plan_printed(*, by, case, language):
    """The plan was printed. The paper names no service, so who and when live only here."""
    case = _on_case(by, case)
    audit.record(action="case.document_printed", actor=by, organisation=case.organisation, obj=case,
                 detail={"document": "safety_plan", "language": language})


# ---- individual needs assessment (Directive 2012/29/EU, Art. 22) --------------------------------

NEEDS_ASSESSMENT_TEXT_FIELDS = ("personal_notes", "crime_notes", "circumstances_notes", "protection_notes", "measures_notes", "summary")


@transaction.atomic
def needs_assessment_record(*, by, case, based_on=None, **values):
    """Record an individual assessment as a new row with the next number; an assessment is never
    edited. `based_on` is the number of the latest assessment the form started from (0 for
    none): if someone recorded another one meanwhile, StaleEdit carries it, so she can compare
    before saving hers."""
    from django.db.models import Max
    from django.utils.translation import gettext as _

    from rete.cases.forms import NEEDS_AREAS, needs_codes_valid
    from rete.cases.models import ActivityKind, AssessmentTrigger, NeedsAssessment
    from rete.core.services import StaleEdit

    case = _on_case(by, case)
    # The case row is the lock: two assessments saved at once get consecutive numbers.
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).get()
    latest = NeedsAssessment.objects.filter(case=case).aggregate(latest=Max("number"))["latest"] or 0
    if based_on is not None and int(based_on) != latest:
        raise StaleEdit(NeedsAssessment.objects.get(case=case, number=latest) if latest else None)
    trigger = AssessmentTrigger(values["trigger"])
    if (trigger == AssessmentTrigger.FIRST) != (latest == 0):
        raise CaseError(_("Only the first assessment is “first”; for a new one, say what changed.") if latest
                        else _("The first assessment of a case is the “first assessment”."))
    if values["assessed_on"] > timezone.localdate():
        raise CaseError(_("The assessment cannot be dated in the future."))
    data = {"trigger": trigger, "assessed_on": values["assessed_on"],
            "specific_protection_needs": bool(values.get("specific_protection_needs"))}
    for area in NEEDS_AREAS:
        codes = list(dict.fromkeys(values.get(area.field) or []))
        if not needs_codes_valid(area, codes):
            raise CaseError(_("Choose the factors from the list."))
        data[area.field] = codes
    for field in NEEDS_ASSESSMENT_TEXT_FIELDS:
        data[field] = (values.get(field) or "").strip()
    assessment = NeedsAssessment.objects.create(case=case, number=latest + 1, assessed_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.NEEDS_ASSESSED,
              text=_("Assessment %(number)s: %(trigger)s") % {"number": assessment.number, "trigger": trigger.label})
    # Codes and numbers only: the notes and the summary never leave their encrypted fields.
    audit.record(action="case.needs_assessed", actor=by, organisation=case.organisation, obj=case,
                 detail={"assessment": assessment.pk, "number": assessment.number, "trigger": str(trigger),
                         "specific_protection_needs": assessment.specific_protection_needs})
    draft_discard(by=by, case=case, form="needs_assessment")
    return assessment


# ---- support plan: needs and the services that answer them ---------------------------------

SERVICE_FIELDS = ("need", "kind", "provider", "status", "due_on", "outcome")
# How far ahead a due date may sensibly lie (a typo such as 2206 is refused).
SERVICE_DUE_MAX_YEARS = 5


class ServicePlanError(CaseError):
    """A refusal about one field of a support-plan line (the API reports it against that field)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def service_problems(*, case, status, outcome="", due_on=None) -> dict:
    """What is wrong with a line of the support plan, as {field: translated message}. A service
    that was delivered or cancelled says what came of it; a due date cannot precede her first
    contact with the service or lie years ahead."""
    import datetime

    from django.utils.translation import gettext as _

    from rete.cases.models import ServiceStatus

    problems = {}
    if status in (ServiceStatus.DELIVERED, ServiceStatus.CANCELLED) and not (outcome or "").strip():
        problems["outcome"] = _("Say what came of it: an outcome is required when a service was delivered or cancelled.")
    if due_on is not None:
        first_contact = timezone.localtime(case.first_contact_at).date()
        if due_on < first_contact:
            problems["due_on"] = _("The due date cannot be before her first contact with the service (%(date)s).") % {
                "date": first_contact.isoformat()}
        elif due_on > timezone.localdate() + datetime.timedelta(days=366 * SERVICE_DUE_MAX_YEARS):
            problems["due_on"] = _("The due date is too far in the future: check the year.")
    return problems


def _service_values(case, values: dict) -> dict:
    from django.utils.translation import gettext as _

    from rete.cases.models import ServiceKind, ServiceStatus

    data = {field: values[field] for field in SERVICE_FIELDS if field in values}
    data["need"] = (data.get("need") or "").strip()
    data["provider"] = (data.get("provider") or "").strip()
    data["outcome"] = (data.get("outcome") or "").strip()
    if not data["need"]:
        raise ServicePlanError(_("Describe the need."), field="need")
    if data.get("kind") not in ServiceKind.values:
        raise ServicePlanError(_("Choose a service from the list."), field="kind")
    if data.get("status") not in ServiceStatus.values:
        raise ServicePlanError(_("Choose a status from the list."), field="status")
    data["kind"], data["status"] = ServiceKind(data["kind"]), ServiceStatus(data["status"])
    for field, message in service_problems(case=case, status=data["status"], outcome=data["outcome"], due_on=data.get("due_on")).items():
        raise ServicePlanError(message, field=field)
    return data


def _service_line(kind, status) -> str:
    """The timeline's words for a line of the plan: labels only, never the need or outcome."""
    from rete.cases.models import ServiceKind, ServiceStatus

    return f"{ServiceKind(kind).label}: {ServiceStatus(status).label}"


@transaction.atomic
def service_add(*, by, case, need, kind, provider="", status="planned", due_on=None, outcome=""):
    """Add a line to her support plan: the need, the service that answers it, who provides it
    and by when."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, SupportService

    case = _on_case(by, case)
    if case.status == CaseStatus.CLOSED:
        raise CaseError(_("This case is closed: reopen it to add to the support plan."))
    data = _service_values(case, {"need": need, "kind": kind, "provider": provider, "status": status, "due_on": due_on,
                                  "outcome": outcome})
    service = SupportService.objects.create(case=case, created_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.SERVICE, text=_service_line(data["kind"], data["status"]))
    audit.record(action="case.service_added", actor=by, organisation=case.organisation, obj=case,
                 detail={"service": service.pk, "kind": str(data["kind"]), "status": str(data["status"])})
    return service


@transaction.atomic
def service_update(*, by, case, service_id, version, **values):
    """Change a line of the plan (its status, due date, outcome…) if nobody saved it since the
    editor opened it; otherwise StaleEdit carries the saved line. Fields not given keep their
    value."""
    from rete.cases.models import ActivityKind, SupportService
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    service = SupportService.objects.filter(case=case, pk=service_id).first()
    if service is None:
        access.deny()
    current = {field: getattr(service, field) for field in SERVICE_FIELDS}
    data = _service_values(case, {**current, **{k: v for k, v in values.items() if k in SERVICE_FIELDS}})
    changed = sorted(field for field in SERVICE_FIELDS if data[field] != current[field])
    if not changed:
        return service  # nothing to record: the saved line already says this
    versioned_update(SupportService, pk=service.pk, version=version, updated_at=timezone.now(), **data)
    _activity(case, actor=by, kind=ActivityKind.SERVICE, text=_service_line(data["kind"], data["status"]))
    audit.record(action="case.service_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"service": service.pk, "kind": str(data["kind"]), "status": str(data["status"]), "fields": changed})
    return SupportService.objects.get(pk=service.pk)


# ---- related people: children, dependants, the (alleged) perpetrator -----------------------

RELATED_COMMON_FIELDS = ("name", "birth_year", "sex", "relationship", "cohabiting", "notes")
RELATED_PERPETRATOR_FIELDS = ("weapons_access", "known_to_police")
RELATED_DEPENDANT_FIELDS = ("needs",)


def related_fields_for(kind) -> tuple:
    """The fields that mean something for this kind of person: weapons and police records for
    a perpetrator, their own needs for a child or dependant."""
    from rete.cases.models import RelatedKind

    if kind == RelatedKind.PERPETRATOR:
        return RELATED_COMMON_FIELDS + RELATED_PERPETRATOR_FIELDS
    return RELATED_COMMON_FIELDS + RELATED_DEPENDANT_FIELDS


def _related_values(kind, values) -> dict:
    from django.utils.translation import gettext as _

    from rete.cases.models import Relationship, YesNoUnknown

    data = {field: values[field] for field in related_fields_for(kind) if field in values}
    for field in ("name", "notes", "needs"):
        if field in data:
            data[field] = (data[field] or "").strip()
    if "sex" in data:
        data["sex"] = data["sex"] or ""
        if data["sex"] not in ("", "female", "male", "other"):
            raise CaseError(_("Choose the sex from the list."))
    if "birth_year" in data and data["birth_year"] in ("", None):
        data["birth_year"] = None
    if data.get("birth_year") is not None:
        year = int(data["birth_year"])
        if year < 1900 or year > timezone.localdate().year:
            raise CaseError(_("The year of birth must be between 1900 and this year."))
        data["birth_year"] = year
    try:
        if "relationship" in data:
            data["relationship"] = Relationship(data["relationship"])
        for field in ("cohabiting", "weapons_access", "known_to_police"):
            if field in data:
                data[field] = YesNoUnknown(data[field] or YesNoUnknown.UNKNOWN)
    except ValueError:
        raise CaseError(_("Choose the answers from the lists.")) from None
    return data


@transaction.atomic
def related_person_add(*, by, case, kind, **values):
    """Record a child, a dependant or the (alleged) perpetrator. Fields that do not apply to the
    kind are ignored. The timeline and the audit trail carry the kind, never the name."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, RelatedKind, RelatedPerson

    case = _on_case(by, case)
    try:
        kind = RelatedKind(kind)
    except ValueError:
        raise CaseError(_("Choose who you are recording: a child, another dependant or the perpetrator.")) from None
    data = _related_values(kind, values)
    if "relationship" not in data:
        raise CaseError(_("Choose the relationship."))
    related = RelatedPerson.objects.create(case=case, kind=kind, created_by=by, **data)
    _activity(case, actor=by, kind=ActivityKind.RELATED_PERSON, text=str(kind.label))
    audit.record(action="case.related_person_added", actor=by, organisation=case.organisation, obj=case,
                 detail={"related": related.pk, "kind": str(kind)})
    return related


def _related_on_case(case, related_id, *, lock=False):
    from rete.cases.models import RelatedPerson

    try:
        related_id = int(related_id)
    except (TypeError, ValueError):
        access.deny()
    rows = RelatedPerson.objects.filter(case=case, pk=related_id)
    related = (rows.select_for_update() if lock else rows).first()
    if related is None:
        access.deny()
    return related


@transaction.atomic
def related_person_update(*, by, case, related_id, version, **values):
    """Save changes to a related person; someone else's save in between raises StaleEdit."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, RelatedKind, RelatedPerson
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    related = _related_on_case(case, related_id)
    kind = RelatedKind(related.kind)
    data = _related_values(kind, values)
    changed = sorted(field for field, value in data.items() if getattr(related, field) != value)
    versioned_update(RelatedPerson, pk=related.pk, version=version, **data)
    _activity(case, actor=by, kind=ActivityKind.RELATED_PERSON, text=_("%(kind)s: details updated") % {"kind": kind.label})
    audit.record(action="case.related_person_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"related": related.pk, "kind": str(kind), "fields": changed})
    return RelatedPerson.objects.get(pk=related.pk)


@transaction.atomic
def related_person_end(*, by, case, related_id, version):
    """She is no longer in this situation (a child who left her care, a former partner out of
    the picture): the record stays, marked as ended, never deleted."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, RelatedKind, RelatedPerson
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    related = _related_on_case(case, related_id)
    if related.ended_at is not None:
        raise CaseError(_("This person is already marked as no longer part of her situation."))
    kind = RelatedKind(related.kind)
    versioned_update(RelatedPerson, pk=related.pk, version=version, ended_at=timezone.now())
    _activity(case, actor=by, kind=ActivityKind.RELATED_PERSON, text=_("%(kind)s: no longer part of her situation") % {"kind": kind.label})
    audit.record(action="case.related_person_ended", actor=by, organisation=case.organisation, obj=case,
                 detail={"related": related.pk, "kind": str(kind)})
    return RelatedPerson.objects.get(pk=related.pk)


# ---- documents -------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, by, case, filename, data: bytes, description=""):
    """Store a document encrypted. Its type is the one found in its name and first bytes;
    a refused file raises CaseError with the reason. The audit trail has the id, type and size,
    never the name or the description."""
    from rete.cases import documents
    from rete.cases.models import ActivityKind, Attachment

    case = _on_case(by, case)
    try:
        checked = documents.check(filename, data)
    except documents.DocumentRefused as exc:
        raise CaseError(str(exc.message)) from None
    attachment = Attachment.objects.create(
        case=case, filename=checked.filename, description=(description or "").strip(), content_type=checked.content_type,
        size=len(checked.data), content=checked.data, uploaded_by=by,
    )
    _activity(case, actor=by, kind=ActivityKind.ATTACHMENT, text=checked.filename)
    audit.record(action="case.document_added", actor=by, organisation=case.organisation, obj=case,
                 detail={"attachment": attachment.pk, "content_type": checked.content_type, "size": len(checked.data)})
    return attachment


@transaction.atomic
def attachment_record_download(*, by, case, attachment):
    audit.record(action="case.document_downloaded", actor=by, organisation=case.organisation, obj=case,
                 detail={"attachment": attachment.pk})


@transaction.atomic
def attachment_remove(*, by, case, attachment_id, reason):
    """Take a document off the case: its content is wiped (what remains is an empty encrypted
    value), the row stays for the record with who removed it, when and why (in the timeline)."""
    from django.utils.translation import gettext as _

    from rete.cases.models import ActivityKind, Attachment

    case = _on_case(by, case)
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        access.deny()
    attachment = Attachment.objects.select_for_update().defer("content").filter(case=case, pk=attachment_id).first()
    if attachment is None:
        access.deny()
    if attachment.removed_at is not None:
        raise CaseError(_("This document was already removed."))
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Say why the document is removed."))
    Attachment.objects.filter(pk=attachment.pk).update(content=b"", removed_at=timezone.now())
    _activity(case, actor=by, kind=ActivityKind.ATTACHMENT,
              text=_("Document removed: %(name)s. Reason: %(reason)s") % {"name": attachment.filename, "reason": reason})
    audit.record(action="case.document_removed", actor=by, organisation=case.organisation, obj=case,
                 detail={"attachment": attachment.pk})
    return attachment


# ---- her own details -----------------------------------------------------------------------


@transaction.atomic
def person_update(*, by, case, version, **values):
    """Correct who she is and how to reach her safely. The blind indexes follow the new values,
    so duplicate detection keeps working; the audit names the fields, never their values."""
    from rete.cases.models import ActivityKind
    from rete.core.services import versioned_update

    case = _on_case(by, case)
    person = case.person
    data = {field: values[field] for field in PERSON_FIELDS if field in values}
    if data.get("is_anonymous"):
        data["given_name"] = data["family_name"] = data["date_of_birth"] = ""
    if data.get("date_of_birth") and not data.get("birth_year"):
        data["birth_year"] = int(str(data["date_of_birth"])[:4])
    data["date_of_birth"] = str(data.get("date_of_birth") or "")
    changed = sorted(field for field, value in data.items() if getattr(person, field) != value)
    if not changed:
        return person, []
    indexes = person_indexes(given_name=data.get("given_name", person.given_name), family_name=data.get("family_name", person.family_name),
                             birth_year=data.get("birth_year", person.birth_year), phone=data.get("phone", person.phone))
    versioned_update(Person, pk=person.pk, version=version, name_index=indexes.name_index, phone_index=indexes.phone_index, **data)
    _activity(case, actor=by, kind=ActivityKind.PERSON_UPDATED)
    audit.record(action="case.person_updated", actor=by, organisation=case.organisation, obj=case,
                 detail={"person": person.pk, "fields": changed})
    return Person.objects.get(pk=person.pk), changed


def _tell_the_deciding_supervisor(case_id, supervisor_id):
    """E-mail the supervisor named to decide a closure: the reference and a link, nothing else."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.core.models import User

    supervisor = User.objects.get(pk=supervisor_id)
    reference = Case.objects.values_list("reference", flat=True).get(pk=case_id)
    with translation.override(supervisor.language or settings.LANGUAGE_CODE):
        context = {"reference": reference,
                   "link": settings.RETE_BASE_URL.rstrip("/") + reverse("cases:closure_decide", kwargs={"pk": case_id})}
        subject = render_to_string("cases/email/closure_requested_subject.txt", context).strip()
        body = render_to_string("cases/email/closure_requested.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [supervisor.email])


# ---- safe contact: requests from the public portal ------------------------------------------

CONTACT_REQUEST_FIELDS = ("name_or_alias", "phone", "other_contact", "safe_to_contact", "safe_times", "code_word",
                          "leave_message", "message", "language", "heard_about")


@transaction.atomic
def contact_request_receive(*, organisation, **fields):
    """A visitor asks the organisation to contact her. Nothing personal leaves the encrypted
    columns: the audit row and the e-mail to the staff carry no content."""
    from rete.cases.models import CONTACT_REQUEST_KINDS, ContactRequest

    if not set(organisation.kinds) & set(CONTACT_REQUEST_KINDS):
        raise ValueError("This organisation does not receive requests for contact.")
    values = {field: fields[field] for field in CONTACT_REQUEST_FIELDS if field in fields}
    if not (values.get("phone") or values.get("other_contact")):
        raise ValueError("A request needs at least one way to reach her.")
    request = ContactRequest.objects.create(organisation=organisation, **values)
    audit.record(action="case.contact_request_received", actor=None, organisation=organisation, obj=request,
                 detail={"request": request.pk, "organisation": organisation.pk})
    organisation_id = organisation.pk
    transaction.on_commit(lambda: _tell_case_staff_of_request(organisation_id))
    return request


def _tell_case_staff_of_request(organisation_id):
    """A notice without personal content to the organisation's caseworkers and supervisors."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.core.models import Membership, Role, User

    staff_ids = Membership.objects.filter(organisation_id=organisation_id, role__in=[Role.CASEWORKER, Role.SUPERVISOR],
                                          ended_at__isnull=True).values("user_id")
    for member in User.objects.filter(pk__in=staff_ids, is_active=True):
        with translation.override(member.language or settings.LANGUAGE_CODE):
            context = {"queue_url": settings.RETE_BASE_URL.rstrip("/") + reverse("cases:contact_requests")}
            subject = render_to_string("cases/email/contact_request_subject.txt", context).strip()
            body = render_to_string("cases/email/contact_request.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [member.email])


def _contact_request_for(by, request_id):
    from rete.cases.models import ContactRequest

    request = ContactRequest.objects.select_for_update().filter(pk=request_id).select_related("organisation").first()
    if request is None or not access.has_capability(by, request.organisation_id, case_access.OPEN_CASES):
        access.deny()
    return request


@transaction.atomic
def contact_request_record_view(*, by, request):
    """Reading a request (her contact details) is recorded."""
    if not access.has_capability(by, request.organisation_id, case_access.OPEN_CASES):
        access.deny()
    audit.record(action="case.contact_request_viewed", actor=by, organisation=request.organisation, obj=request,
                 detail={"request": request.pk})


@transaction.atomic
def contact_request_update(*, by, request_id, status):
    from rete.cases.models import ContactRequestStatus

    request = _contact_request_for(by, request_id)
    if status not in ContactRequestStatus.values or status == ContactRequestStatus.NEW:
        raise ValueError("Unknown status.")
    before = request.status
    request.status = status
    request.handled_by = by
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_by", "handled_at"])
    audit.record(action="case.contact_request_updated", actor=by, organisation=request.organisation, obj=request,
                 detail={"request": request.pk, "from": before, "to": status})
    return request


@transaction.atomic
def contact_request_link_case(*, by, request_id, case):
    """The case opened from a request: linked, and the request handled."""
    from rete.cases.models import ContactRequestStatus

    request = _contact_request_for(by, request_id)
    if case.organisation_id != request.organisation_id:
        access.deny()
    request.case = case
    request.status = ContactRequestStatus.HANDLED
    request.handled_by = by
    request.handled_at = timezone.now()
    request.save(update_fields=["case", "status", "handled_by", "handled_at"])
    audit.record(action="case.contact_request_linked", actor=by, organisation=request.organisation, obj=request,
                 detail={"request": request.pk, "reference": case.reference})
    return request
