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
    return incident


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
