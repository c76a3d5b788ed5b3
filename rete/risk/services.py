"""Every write of the risk app: keyword-only, atomic, with its audit row in the same transaction."""
from django.db import transaction


# ---- reads worth an audit row (the history of a subject) ----


@transaction.atomic
def history_record_view(*, by, subject_type, subject, assessments_shown):
    """She opened a subject's risk history: who, which subject, how many assessments (ids and
    counts only)."""
    from rete.core import audit

    audit.record(action="risk.history_viewed", actor=by, organisation=subject.organisation, obj=subject,
                 detail={"subject_type": subject_type, "subject_id": subject.pk, "assessments": assessments_shown})


# ---- assessments: start, answer (draft saved as she goes), sign off, correct; actions; events ----
# (a signed assessment never changes: every function below refuses to touch one, except
# assessment_correct, which starts a new draft pointing to it)

OVERRIDE_REASON_MIN = 10  # characters of a written reason for raising the band
RATIONALE_MIN = 10  # characters of the rationale of a structured professional judgement
NOTE_MAX = 4000  # characters of a note on one item


from rete.core.services import ServiceError  # noqa: E402


class RiskError(ServiceError):
    """A refusal the person can act on (translated message); `missing` lists the item codes
    still unanswered when signing was refused for that reason."""

    def __init__(self, message, field=None, missing=()):
        super().__init__(message, field=field)
        self.missing = list(missing)


def _definition_items(definition) -> dict:
    from rete.risk import instruments

    return {item["code"]: item for item in instruments.items(definition)}


def _clean_answers(definition, answers, item_notes):
    """The answers and notes as stored: known item codes and option codes only (RiskError
    otherwise), empty values dropped, notes trimmed."""
    from django.utils.translation import gettext as _

    from rete.risk import instruments

    known = _definition_items(definition)
    clean = {}
    for code, option in (answers or {}).items():
        if option in (None, ""):
            continue
        if code not in known:
            raise RiskError(_("This assessment has no question \"%(code)s\".") % {"code": code})
        if option not in {o["code"] for o in instruments.options(definition, known[code])}:
            raise RiskError(_("\"%(option)s\" is not an answer to question \"%(code)s\".") % {"option": option, "code": code}, field=code)
        clean[code] = option
    notes = {}
    for code, note in (item_notes or {}).items():
        note = (note or "").strip()
        if not note:
            continue
        if code not in known:
            raise RiskError(_("This assessment has no question \"%(code)s\".") % {"code": code})
        if len(note) > NOTE_MAX:
            raise RiskError(_("A note can hold at most %(n)s characters.") % {"n": NOTE_MAX}, field=code)
        notes[code] = note
    return clean, notes


def _draft_for_write(by, assessment_id):
    """The draft, locked, if she may see its subject; RiskError if it is signed already."""
    from django.utils.translation import gettext as _

    from rete.risk import selectors
    from rete.risk.models import AssessmentStatus

    assessment = selectors.assessment_get(user=by, assessment_id=assessment_id, lock=True)
    if assessment.status != AssessmentStatus.DRAFT:
        raise RiskError(_("This assessment was signed off and can no longer be changed. Correct it instead: the correction is a new assessment."))
    return assessment


@transaction.atomic
def assessment_start(*, by, subject_type, subject_id, instrument_id):
    """A new draft assessment of a subject she may see, with an instrument her subject's
    organisation may use and that assesses what this kind of subject is assessed on."""
    from django.utils.translation import gettext as _

    from rete.core import audit
    from rete.risk import selectors
    from rete.risk.models import RiskAssessment
    from rete.risk.subjects import subject_get, subject_type as subject_type_of

    kind = subject_type_of(subject_type)
    subject = subject_get(user=by, subject_type_code=subject_type, pk=subject_id)
    available = {instrument.pk: instrument for instrument in selectors.assessment_instruments(subject_type=subject_type, subject=subject)}
    try:
        instrument = available[int(instrument_id)]
    except (KeyError, TypeError, ValueError):
        raise RiskError(_("Choose one of the instruments listed."), field="instrument") from None
    if instrument.assesses not in kind.assesses:  # also checked by the selector; never trust one place only
        raise RiskError(_("Choose one of the instruments listed."), field="instrument")
    assessment = RiskAssessment.objects.create(
        instrument=instrument, organisation=subject.organisation, subject_type=subject_type, subject_id=subject.pk,
        subject_reference=subject.reference, started_by=by,
    )
    audit.record(action="risk.assessment_started", actor=by, organisation=subject.organisation, obj=assessment,
                 detail={"assessment": assessment.pk, "subject_type": subject_type, "subject_id": subject.pk,
                         "instrument": instrument.code, "instrument_version": instrument.version})
    return assessment


@transaction.atomic
def assessment_save_answers(*, by, assessment_id, version, answers, item_notes=None, autosave=False):
    """Store the answers of a draft as they stand (the whole form: an answer left out is no
    answer). Versioned: a stale version raises StaleEdit. An autosave is not audited; a save
    from the form is (`risk.assessment_saved`, counts only). Returns the new version."""
    from rete.core import audit
    from rete.core.services import versioned_update
    from rete.risk.models import RiskAssessment

    assessment = _draft_for_write(by, assessment_id)
    clean, notes = _clean_answers(assessment.instrument.definition, answers, item_notes)
    versioned_update(RiskAssessment, pk=assessment.pk, version=version, answers=clean, item_notes=notes)
    if not autosave:
        audit.record(action="risk.assessment_saved", actor=by, organisation=assessment.organisation, obj=assessment,
                     detail={"assessment": assessment.pk, "answered": len(clean), "notes": len(notes)})
    return version + 1


def _item_label(definition, code, language):
    from rete.risk import instruments

    item = _definition_items(definition).get(code)
    label = instruments.text(item["text"], language, definition=definition) if item else code
    return label if len(label) <= 80 else label[:77].rstrip() + "…"


@transaction.atomic
def assessment_sign(*, by, assessment_id, version, override_band="", override_reason="", judged_band="", rationale=""):
    """Sign a draft off: every item answered, the band computed by the instrument (or judged,
    with a rationale, for structured professional judgement), optionally raised, never lowered,
    with a written reason. The band's mandated actions become tasks due after their intervals,
    the next reassessment is due after the band's interval, and the subject's risk status
    points to this assessment (a correction takes the place of the one it corrects)."""
    from django.utils import timezone
    from django.utils.translation import get_language, gettext as _

    from rete.core import audit
    from rete.core.services import versioned_update
    from rete.risk import instruments, scoring
    from rete.risk.models import AssessmentStatus, ReassessmentReason, RiskAction, RiskAssessment, RiskStatus

    from rete.core.services import StaleEdit

    assessment = _draft_for_write(by, assessment_id)
    if assessment.version != version:
        # She reviewed answers that someone has changed since: nothing is signed.
        raise StaleEdit(assessment)
    instrument = assessment.instrument
    definition = instrument.definition
    judgement = definition["scoring"]["kind"] == "judgement"
    band_codes = [b["code"] for b in definition["bands"]]
    override_band, override_reason = (override_band or "").strip(), (override_reason or "").strip()
    judged_band, rationale = (judged_band or "").strip(), (rationale or "").strip()

    answers = dict(assessment.answers or {})
    missing = [item["code"] for item in instruments.items(definition) if item["code"] not in answers]
    if missing:
        language = get_language() or "en"
        named = "; ".join(_item_label(definition, code, language) for code in missing[:5])
        if len(missing) > 5:
            named += " " + _("and %(n)s more") % {"n": len(missing) - 5}
        raise RiskError(_("Answer every question before signing off. Still unanswered: %(items)s") % {"items": named}, missing=missing)
    if judgement:
        if judged_band not in band_codes:
            raise RiskError(_("Choose the level of risk you judge."), field="judged_band")
        if len(rationale) < RATIONALE_MIN:
            raise RiskError(_("Write the rationale of your judgement (at least %(n)s characters).") % {"n": RATIONALE_MIN}, field="rationale")
    result = scoring.score(definition, answers, judged_band=judged_band if judgement else None)
    computed = result.band
    if override_band:
        if override_band not in [b["code"] for b in instruments.bands_above(definition, computed)]:
            raise RiskError(_("An override can only raise the band above the computed one."), field="override_band")
        if len(override_reason) < OVERRIDE_REASON_MIN:
            raise RiskError(_("Give the reason for raising the band (at least %(n)s characters).") % {"n": OVERRIDE_REASON_MIN},
                            field="override_reason")
    elif override_reason:
        raise RiskError(_("You wrote a reason for raising the band but chose no higher band."), field="override_band")
    final = override_band or computed
    rank = instruments.band_rank(definition, final)
    band = instruments.band(definition, final)
    now = timezone.now()
    interval = instruments.duration(band.get("reassess_within"))
    next_due_at = now + interval if interval else None
    versioned_update(
        RiskAssessment, pk=assessment.pk, version=version, status=AssessmentStatus.SIGNED,
        score=None if judgement or result.score is None else float(result.score), computed_band=computed,
        override_band=override_band, override_reason=override_reason if override_band else "", band=final, band_rank=rank,
        rationale=rationale, signed_by=by, signed_at=now, next_due_at=next_due_at,
    )
    common = {"organisation_id": assessment.organisation_id, "subject_type": assessment.subject_type,
              "subject_id": assessment.subject_id, "subject_reference": assessment.subject_reference}
    actions = RiskAction.objects.bulk_create([
        RiskAction(assessment_id=assessment.pk, code=action["code"], agency=action["agency"],
                   due_at=now + instruments.duration(action["due_within"]), **common)
        for action in band.get("actions", [])
    ])
    # The subject's risk now: this assessment, unless it corrects one that is no longer the one
    # in force (a later assessment stays in force; the correction is history).
    values = {"assessment_id": assessment.pk, "band": final, "band_rank": rank, "band_is_top": rank == len(band_codes) - 1,
              "next_due_at": next_due_at, "due_reason": ReassessmentReason.SCHEDULE if next_due_at else "",
              "reminder_sent_at": None, "organisation_id": assessment.organisation_id,
              "subject_reference": assessment.subject_reference}
    # get_or_create: two first sign-offs at once cannot both create the subject's row.
    status, created = RiskStatus.objects.select_for_update().get_or_create(
        subject_type=assessment.subject_type, subject_id=assessment.subject_id, defaults=values)
    in_force = created or assessment.corrects_id is None or status.assessment_id in (None, assessment.corrects_id)
    previous_rank = None if created or status.assessment_id is None else status.band_rank
    if in_force and not created:
        for field, value in values.items():
            setattr(status, field, value)
        status.save()
    audit.record(action="risk.assessment_signed", actor=by, organisation=assessment.organisation, obj=assessment,
                 detail={"assessment": assessment.pk, "subject_type": assessment.subject_type, "subject_id": assessment.subject_id,
                         "instrument": instrument.code, "instrument_version": instrument.version, "computed_band": computed,
                         "band": final, "overridden": bool(override_band), "judgement": judgement,
                         "corrects": assessment.corrects_id, "actions": [a.pk for a in actions], "in_force": in_force})
    # The owning app hears of the risk now in force (e.g. to tell others when it rose).
    from rete.risk.subjects import subject_type as subject_type_of

    on_signed = subject_type_of(assessment.subject_type).signed
    if in_force and on_signed is not None:
        on_signed(subject_id=assessment.subject_id, previous_rank=previous_rank, new_rank=rank,
                  top=rank == len(band_codes) - 1, by=by)
    return RiskAssessment.objects.select_related("instrument").get(pk=assessment.pk)


@transaction.atomic
def assessment_correct(*, by, assessment_id):
    """A signed assessment never changes: a correction is a new draft with the same instrument
    version and answers, pointing to the one it corrects. Asking again while that draft is open
    returns the same draft."""
    from django.utils.translation import gettext as _

    from rete.core import audit
    from rete.risk import selectors
    from rete.risk.models import AssessmentStatus, RiskAssessment

    original = selectors.assessment_get(user=by, assessment_id=assessment_id, lock=True)
    if original.status != AssessmentStatus.SIGNED:
        raise RiskError(_("Only a signed assessment is corrected; change the draft itself."))
    corrections = list(RiskAssessment.objects.filter(corrects=original).order_by("pk"))
    draft = next((c for c in corrections if c.status == AssessmentStatus.DRAFT), None)
    if draft is not None:
        return draft
    if corrections:
        raise RiskError(_("This assessment was corrected already: correct the correction instead."))
    draft = RiskAssessment.objects.create(
        instrument_id=original.instrument_id, organisation_id=original.organisation_id, subject_type=original.subject_type,
        subject_id=original.subject_id, subject_reference=original.subject_reference, answers=dict(original.answers or {}),
        item_notes=dict(original.item_notes or {}), corrects=original, started_by=by,
    )
    audit.record(action="risk.correction_started", actor=by, organisation=original.organisation, obj=draft,
                 detail={"assessment": draft.pk, "corrects": original.pk, "subject_type": original.subject_type,
                         "subject_id": original.subject_id})
    return draft


@transaction.atomic
def action_complete(*, by, action_id, status, note=""):
    """Close a mandated action: done, or no longer needed (with a note saying why)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from rete.core import audit
    from rete.risk import selectors
    from rete.risk.models import ActionStatus, RiskAction

    action = selectors.action_get(user=by, action_id=action_id, lock=True)
    note = (note or "").strip()
    if status not in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise RiskError(_("Mark the action done or no longer needed."), field="status")
    if action.status != ActionStatus.OPEN:
        raise RiskError(_("This action was closed already."))
    if status == ActionStatus.CANCELLED and not note:
        raise RiskError(_("Say why the action is no longer needed."), field="note")
    if len(note) > NOTE_MAX:
        raise RiskError(_("A note can hold at most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    updated = RiskAction.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
        status=status, completed_by=by, completed_at=timezone.now(), note=note)
    if not updated:
        raise RiskError(_("This action was closed already."))
    audit.record(action="risk.action_completed", actor=by, organisation=action.organisation, obj=action,
                 detail={"action": action.pk, "assessment": action.assessment_id, "code": action.code, "status": status,
                         "subject_type": action.subject_type, "subject_id": action.subject_id})
    return RiskAction.objects.get(pk=action.pk)


# The events the case file does not record itself, offered by the "Something changed" form.
OTHER_EVENTS = ("perpetrator_release", "separation", "child_contact_change")


@transaction.atomic
def subject_event(*, by, subject_type, subject_id, event):
    """Something happened to a subject (a new incident, a breach of a protection order, the
    perpetrator's release, separation, a change in child contact). When the instrument of the
    assessment in force lists the event in `reassess_on`, a reassessment is due now (an
    earlier due date stays). Returns True when it made a reassessment due, False when the
    instrument does not ask for one after this event, None when no signed assessment is in
    force (nothing to reassess; nothing is recorded)."""
    from django.db.models import Q
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from rete.core import audit
    from rete.risk.models import ReassessmentReason, RiskStatus
    from rete.risk.subjects import subject_get

    if event not in ReassessmentReason.values or event == ReassessmentReason.SCHEDULE:
        raise RiskError(_("Choose what changed."), field="event")
    subject = subject_get(user=by, subject_type_code=subject_type, pk=subject_id)
    status = (RiskStatus.objects.select_for_update(of=("self",)).select_related("assessment__instrument")
              .filter(subject_type=subject_type, subject_id=subject.pk).first())
    if status is None or status.assessment is None:
        return None
    listed = event in (status.assessment.instrument.definition.get("reassess_on") or [])
    if listed:
        now = timezone.now()
        RiskStatus.objects.filter(pk=status.pk).filter(Q(next_due_at__isnull=True) | Q(next_due_at__gt=now)).update(next_due_at=now)
        RiskStatus.objects.filter(pk=status.pk).update(due_reason=event, reminder_sent_at=None)
    audit.record(action="risk.reassessment_due" if listed else "risk.event_recorded", actor=by, organisation=subject.organisation,
                 obj=status.assessment, detail={"subject_type": subject_type, "subject_id": subject.pk, "event": event,
                                                "assessment": status.assessment_id, "due": listed})
    return listed


@transaction.atomic
def assessment_record_view(*, by, assessment):
    """She opened an assessment (its answers are about the subject): who, which, ids only."""
    from rete.core import audit

    audit.record(action="risk.assessment_viewed", actor=by, organisation=assessment.subject.organisation, obj=assessment,
                 detail={"assessment": assessment.pk, "subject_type": assessment.subject_type, "subject_id": assessment.subject_id,
                         "status": assessment.status})


# ---- instruments: loading a file (a new version; past assessments keep theirs), Rete's own ----

SHIPPED_DIR = __import__("pathlib").Path(__file__).resolve().parent / "instruments"


@transaction.atomic
def instrument_load(*, definition: dict, source: bytes, by=None, organisation=None):
    """Store a new version of an instrument. `organisation` empty: Rete's own (or one the
    operator loads for every organisation, `rete instruments load FILE`); otherwise that
    organisation's private instrument, loaded under its licence. Refused with InstrumentError
    (its `.problems` say why): an invalid definition; a version not higher than the newest one of
    the same code (every past assessment keeps pointing to the version it was made with); a code
    that already belongs to someone else (another organisation, or Rete when loading privately,
    or an organisation when loading for everyone). A person (`by`) must hold a loading role
    (selectors.INSTRUMENT_LOADERS) in `organisation`; the commands and post_migrate pass none."""
    import hashlib

    from django.utils.translation import gettext as _

    from rete.core import access, audit
    from rete.risk import instruments
    from rete.risk.models import Instrument
    from rete.risk.selectors import INSTRUMENT_LOADERS

    if by is not None and not getattr(by, "is_superuser", False):
        if organisation is None or not access.has_capability(by, organisation.pk, INSTRUMENT_LOADERS):
            access.deny()
    problems = instruments.validate(definition)
    if problems:
        raise instruments.InstrumentError(problems)
    code, version = definition["code"], definition["version"]
    # Lock the code's rows (PostgreSQL) so two loads of one code cannot both pass the check.
    existing = list(Instrument.objects.select_for_update().filter(code=code).values_list("version", "organisation_id"))
    owners = {owner for _version, owner in existing}
    wanted = organisation.pk if organisation is not None else None
    if owners and owners != {wanted}:
        raise instruments.InstrumentError([instruments.Problem("code", _(
            "the code \"%(code)s\" already belongs to another instrument owner; choose another code") % {"code": code})])
    newest = max((v for v, _owner in existing), default=0)
    if version <= newest:
        raise instruments.InstrumentError([instruments.Problem("version", _(
            "version %(version)s is not higher than the version already loaded (%(newest)s)") % {"version": version, "newest": newest})])
    instrument = Instrument.objects.create(
        code=code, version=version, assesses=definition["assesses"], definition=definition, organisation=organisation,
        source_sha256=hashlib.sha256(source if isinstance(source, bytes) else source.encode("utf-8")).hexdigest(),
        loaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(action="risk.instrument_loaded", actor=by, organisation=organisation, obj=instrument,
                 detail={"code": code, "version": version, "organisation": organisation.slug if organisation else None})
    return instrument


def instruments_install_shipped(*, strict=True) -> int:
    """Load every file of rete/risk/instruments/*.yaml whose code and version are not there yet
    (a file older than what is installed is skipped): running it again loads nothing. Returns
    how many versions were loaded. A file that does not validate raises InstrumentError (with
    `strict=False`, as after `migrate`, it is logged and the others are still loaded). Each
    file loads in its own transaction."""
    import logging

    from rete.risk import instruments
    from rete.risk.models import Instrument

    loaded = 0
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        source = path.read_bytes()
        try:
            definition = instruments.parse(source, filename=path.name)
            code, version = definition.get("code"), definition.get("version")
            if isinstance(code, str) and Instrument.objects.filter(code=code, version__gte=version if isinstance(version, int) else 0).exists():
                continue
            instrument_load(definition=definition, source=source)
        except instruments.InstrumentError as error:
            if strict:
                raise instruments.InstrumentError([instruments.Problem(f"{path.name}: {p.location}".rstrip(": "), p.message)
                                                   for p in error.problems]) from None
            logging.getLogger(__name__).error("Shipped risk instrument %s was not loaded:\n%s", path.name, error)
            continue
        loaded += 1
    return loaded


@transaction.atomic
def instrument_retire(*, code, by=None) -> int:
    """Stop offering every version of an instrument for new assessments (for example when a
    licence ends). Signed and draft assessments keep the version they were made with."""
    from django.utils import timezone

    from rete.core import audit
    from rete.risk.instruments import InstrumentError, Problem
    from rete.risk.models import Instrument

    versions = Instrument.objects.filter(code=code, retired_at__isnull=True)
    first = versions.select_related("organisation").first()
    if first is None:
        raise InstrumentError([Problem("", f"No instrument in use has the code {code!r}.")])
    count = versions.update(retired_at=timezone.now())
    audit.record(action="risk.instrument_retired", actor=by, organisation=first.organisation, obj=first,
                 detail={"code": code, "versions": count})
    return count
