"""Outcome monitoring, every write (part "outcomes"): loading questionnaire files (Rete's own
after `migrate`, licensed ones with `rete questionnaires load FILE --organisation SLUG`), the
man's answers at a timepoint, and the audit events of reading answers and figures.

His answers are recorded once per timepoint and questionnaire, encrypted, never edited. The
partner's answers are recorded by the partner-support service (rete.network.services.
partner_outcomes), never here. Every write is atomic and audited with ids and codes only."""
import datetime
import hashlib
import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError
from rete.programmes import access as programme_access
from rete.programmes import questionnaires
from rete.programmes.models import OutcomeQuestionnaire, OutcomeResponse, Respondent
from rete.programmes.selectors.enrolments import enrolment_lock

logger = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "questionnaires"


# ---- questionnaire files ---------------------------------------------------------------------------


@transaction.atomic
def questionnaire_load(*, definition: dict, source: bytes, by=None, organisation=None) -> OutcomeQuestionnaire:
    """Store a new version of a questionnaire. `organisation` empty: Rete's own (or one the
    operator loads for every organisation); otherwise that organisation's, loaded under its
    licence. Refused with QuestionnaireError: an invalid definition; a version not higher than
    the newest of the same code (past answers keep the version they were given with); a code
    that belongs to another owner. A person (`by`) must coordinate the programme of
    `organisation`; the command and post_migrate pass none."""
    if by is not None and not getattr(by, "is_superuser", False):
        if organisation is None or not access.has_capability(by, organisation.pk, programme_access.COORDINATE_PROGRAMME):
            access.deny()
    problems = questionnaires.validate(definition)
    if problems:
        raise questionnaires.QuestionnaireError(problems)
    code, version = definition["code"], definition["version"]
    existing = list(OutcomeQuestionnaire.objects.select_for_update().filter(code=code).values_list("version", "organisation_id"))
    owners = {owner for _version, owner in existing}
    wanted = organisation.pk if organisation is not None else None
    if owners and owners != {wanted}:
        raise questionnaires.QuestionnaireError([questionnaires.Problem("code", _(
            "the code \"%(code)s\" already belongs to another questionnaire owner; choose another code") % {"code": code})])
    newest = max((v for v, _owner in existing), default=0)
    if version <= newest:
        raise questionnaires.QuestionnaireError([questionnaires.Problem("version", _(
            "version %(version)s is not higher than the version already loaded (%(newest)s)") % {
            "version": version, "newest": newest})])
    raw = source if isinstance(source, bytes) else source.encode("utf-8")
    questionnaire = OutcomeQuestionnaire.objects.create(
        code=code, version=version, respondent=definition["respondent"], definition=definition, organisation=organisation,
        source_sha256=hashlib.sha256(raw).hexdigest(), loaded_by=by if getattr(by, "is_authenticated", False) else None)
    audit.record(action="programmes.questionnaire_loaded", actor=by, organisation=organisation, obj=questionnaire,
                 detail={"code": code, "version": version, "respondent": definition["respondent"],
                         "organisation": organisation.slug if organisation else None})
    return questionnaire


def questionnaires_install_shipped(*, strict=True) -> int:
    """Load every file of rete/programmes/questionnaires/*.yaml whose code and version are not
    there yet: running it again loads nothing. Returns how many versions were loaded. A file that
    does not validate raises QuestionnaireError (with `strict=False`, as after `migrate`, it is
    logged and the others are still loaded). Each file loads in its own transaction."""
    loaded = 0
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        source = path.read_bytes()
        try:
            definition = questionnaires.parse(source, filename=path.name)
            code, version = definition.get("code"), definition.get("version")
            if isinstance(code, str) and OutcomeQuestionnaire.objects.filter(
                    code=code, version__gte=version if isinstance(version, int) else 0).exists():
                continue
            questionnaire_load(definition=definition, source=source)
        except questionnaires.QuestionnaireError as error:
            if strict:
                raise questionnaires.QuestionnaireError([
                    questionnaires.Problem(f"{path.name}: {p.location}".rstrip(": "), p.message) for p in error.problems]) from None
            logger.error("Shipped outcome questionnaire %s was not loaded:\n%s", path.name, error)
            continue
        loaded += 1
    return loaded


# ---- answers ------------------------------------------------------------------------------------------


def check_answers(*, questionnaire, timepoint, answers, answered_on, earliest=None) -> dict:
    """The answers to store, or ServiceError: a timepoint of the questionnaire, every item asked
    then answered with one of its options, a date not in the future nor before `earliest`.
    Shared with the partner-support side (rete.network.services.partner_outcomes)."""
    definition = questionnaire.definition
    if timepoint not in questionnaires.timepoints(definition):
        raise ServiceError(_("This questionnaire is not answered at this time."), "timepoint")
    if not isinstance(answered_on, datetime.date):
        raise ServiceError(_("Give the date of the answers."), "answered_on")
    if answered_on > timezone.localdate():
        raise ServiceError(_("The answers cannot be dated in the future."), "answered_on")
    if earliest is not None and answered_on < earliest:
        raise ServiceError(_("The answers cannot be dated before %(date)s.") % {"date": earliest.isoformat()}, "answered_on")
    answers = {str(k): v for k, v in (answers or {}).items() if v not in (None, "")}
    problems = questionnaires.answer_problems(definition, timepoint, answers)
    if problems:
        code, message = next(iter(problems.items()))
        raise ServiceError(message, f"item-{code}")
    return answers


@transaction.atomic
def outcome_record(*, by, enrolment, questionnaire, timepoint, answers: dict, answered_on) -> OutcomeResponse:
    """His answers at a timepoint (intake, mid-way, end, follow-up), encrypted. One set per
    timepoint and questionnaire (whatever its version); once recorded they are not edited. The
    questionnaire must be one for men that his programme may use."""
    from rete.programmes.selectors.outcomes import questionnaire_for

    enrolment = enrolment_lock(user=by, pk=enrolment)
    questionnaire = questionnaire_for(respondent=Respondent.MAN, organisation_id=enrolment.organisation_id,
                                      questionnaire_id=getattr(questionnaire, "pk", questionnaire))
    answers = check_answers(questionnaire=questionnaire, timepoint=timepoint, answers=answers, answered_on=answered_on,
                            earliest=timezone.localtime(enrolment.enquiry_at).date())
    if OutcomeResponse.objects.filter(enrolment=enrolment, timepoint=timepoint, questionnaire__code=questionnaire.code).exists():
        raise ServiceError(_("His answers at this time are already recorded: they are not changed once recorded."), "timepoint")
    response = OutcomeResponse.objects.create(enrolment=enrolment, questionnaire=questionnaire, timepoint=timepoint,
                                              answers=answers, answered_on=answered_on, recorded_by=by)
    enrolment.last_activity_at = timezone.now()
    enrolment.save(update_fields=["last_activity_at"])
    audit.record(action="programmes.outcome_recorded", actor=by, organisation=enrolment.organisation, obj=response,
                 detail={"enrolment": enrolment.pk, "questionnaire": questionnaire.code, "version": questionnaire.version,
                         "timepoint": timepoint})
    return response


@transaction.atomic
def outcome_record_view(*, by, response) -> None:
    """She opened his answers: an audit read event (ids and codes only)."""
    audit.record(action="programmes.outcome_viewed", actor=by, organisation=response.enrolment.organisation, obj=response,
                 detail={"enrolment": response.enrolment_id, "questionnaire": response.questionnaire.code,
                         "timepoint": response.timepoint})


@transaction.atomic
def outcome_figures_record(*, by, organisation, start, end, exported=False) -> None:
    """A coordinator read (or downloaded) the programme's aggregated outcome figures: the period
    only."""
    if not access.has_capability(by, organisation.pk, programme_access.COORDINATE_PROGRAMME):
        access.deny()
    audit.record(action="programmes.outcomes_exported" if exported else "programmes.outcomes_viewed", actor=by,
                 organisation=organisation, detail={"start": start.isoformat(), "end": end.isoformat()})


def install_shipped_questionnaires(sender, using="default", verbosity=1, stdout=None, **kwargs):
    """post_migrate of the programmes app: load the shipped outcome questionnaires not installed
    yet (questionnaires_install_shipped above). Skipped while the tables it needs do
    not exist; a broken file is logged, never stops `migrate`."""
    import logging

    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

    from rete.programmes.models import OutcomeQuestionnaire

    if using != DEFAULT_DB_ALIAS:
        return
    try:
        tables = set(connections[using].introspection.table_names())
        if OutcomeQuestionnaire._meta.db_table not in tables or "core_auditevent" not in tables:
            return
        loaded = questionnaires_install_shipped(strict=False)
    except DatabaseError:
        logging.getLogger(__name__).exception("Shipped outcome questionnaires could not be installed")
        return
    if loaded and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Installed {loaded} shipped outcome questionnaire version(s).\n")
