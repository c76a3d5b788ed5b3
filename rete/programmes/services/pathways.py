"""Writing pathways: a programme coordinator creates a pathway (its version 1 a draft), edits a
DRAFT version (its details, stages, attendance rules and notifications), publishes it, retires
a published one and starts a new version from any of them.

Every write is atomic, locks the version, checks inside that she coordinates the programme the
pathway belongs to (else 404, as for a version that does not exist) and that the version is
still a draft (a published or retired version never changes: a man stays on the version he was
enrolled on). Edits name the version she opened (Versioned.version): a stale one raises
StaleEdit with what is saved. Each leaves an audit event with ids, codes and field names only."""
import copy

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import access as programme_access
from rete.programmes import pathways
from rete.programmes.models import Pathway, PathwayStatus, PathwayVersion

DESCRIPTION_MAX = 4000


class InvalidPathway(ServiceError):
    """The version cannot be published: `problems` as pathways.validate gives them."""

    def __init__(self, problems):
        super().__init__(_("This version cannot be published yet: correct the problems listed."))
        self.problems = problems


def _audit(action, by, version, **detail):
    audit.record(action=f"programmes.{action}", actor=by, organisation=version.pathway.organisation, obj=version,
                 detail={"pathway": version.pathway_id, "pathway_version": version.pk, **detail})


def _locked(by, version, *, draft=True) -> PathwayVersion:
    """The version locked for this transaction if she coordinates its programme (404 otherwise);
    a refusal when it must be a draft and is not."""
    pk = getattr(version, "pk", version)
    row = (PathwayVersion.objects.select_for_update(of=("self",)).select_related("pathway", "pathway__organisation")
           .filter(pk=pk).first())
    if row is None or not access.has_capability(by, row.pathway.organisation_id, programme_access.COORDINATE_PROGRAMME):
        access.deny()
    if draft and row.status != PathwayStatus.DRAFT:
        raise ServiceError(_("This version is no longer a draft: it cannot be changed. Start a new version from it "
                             "to change the pathway."))
    return row


def _check_version(row, version_token):
    if version_token is not None and int(version_token) != row.version:
        raise StaleEdit(row)


def _save(row, *fields):
    row.version += 1
    row.save(update_fields=["version", *fields])


def _name(value) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(_("Give the pathway a name."), "name")
    if len(value) > pathways.NAME_MAX:
        raise ServiceError(_("At most %(max)d characters.") % {"max": pathways.NAME_MAX}, "name")
    return value


def _description(value) -> str:
    value = (value or "").strip()
    if len(value) > DESCRIPTION_MAX:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": DESCRIPTION_MAX},
                           "description")
    return value


# ---- pathways and their details ------------------------------------------------------------------

@transaction.atomic
def pathway_create(*, by, organisation, name, description="", from_defaults=True) -> PathwayVersion:
    """A new pathway of her programme, with its version 1 as a draft: the default stages,
    attendance rules and notifications, or nothing to start from."""
    if organisation is None or not access.has_capability(by, organisation.pk, programme_access.COORDINATE_PROGRAMME):
        access.deny()
    pathway = Pathway.objects.create(organisation=organisation, name=_name(name), created_by=by)
    if from_defaults:
        content = {"stages": pathways.DEFAULT_STAGES, "rules": pathways.DEFAULT_RULES,
                   "notifications": pathways.DEFAULT_NOTIFICATIONS}
    else:
        content = {"stages": [], "rules": pathways.EMPTY_RULES, "notifications": pathways.EMPTY_NOTIFICATIONS}
    version = PathwayVersion.objects.create(pathway=pathway, number=1, status=PathwayStatus.DRAFT,
                                            description=_description(description), created_by=by,
                                            **copy.deepcopy(content))
    _audit("pathway_created", by, version, from_defaults=bool(from_defaults))
    return version


@transaction.atomic
def version_describe(*, by, version, version_token, name, description="") -> PathwayVersion:
    """The pathway's name (shared by its versions) and the draft's description."""
    row = _locked(by, version)
    _check_version(row, version_token)
    name, description = _name(name), _description(description)
    changed = []
    if name != row.pathway.name:
        row.pathway.name = name
        row.pathway.save(update_fields=["name"])
        changed.append("name")
    if description != row.description:
        row.description = description
        changed.append("description")
    if changed:
        _save(row, "description")
        _audit("pathway_described", by, row, fields=changed)
    return row


# ---- stages ---------------------------------------------------------------------------------------

def _stage_values(values) -> dict:
    def number(name):
        value = values.get(name, 0)
        if value in (None, ""):
            return 0
        try:
            return int(value)
        except (TypeError, ValueError):
            return value

    return {"code": str(values.get("code") or "").strip(), "kind": values.get("kind") or "",
            "name": str(values.get("name") or "").strip(), "min_sessions": number("min_sessions"),
            "min_hours": number("min_hours")}


def _stage_index(stages, code) -> int:
    for index, item in enumerate(stages):
        if item.get("code") == code:
            return index
    raise ServiceError(_("This stage is no longer in the draft."), None)


def _check_stage(item, others):
    problems = pathways.stage_problems(item, other_codes=[other.get("code") for other in others])
    if problems:
        field, message = next(iter(problems.items()))
        raise ServiceError(message, field)


@transaction.atomic
def stage_save(*, by, version, version_token, values: dict, code=None) -> PathwayVersion:
    """Add a stage at the end (`code` None) or change the stage `code` of a draft."""
    row = _locked(by, version)
    _check_version(row, version_token)
    stages = list(row.stages or [])
    item = _stage_values(values)
    if code is None:
        if len(stages) >= pathways.MAX_STAGES:
            raise ServiceError(_("A pathway has at most %(max)d stages.") % {"max": pathways.MAX_STAGES}, None)
        _check_stage(item, stages)
        stages.append(item)
        action = "pathway_stage_added"
    else:
        index = _stage_index(stages, code)
        _check_stage(item, stages[:index] + stages[index + 1:])
        if stages[index] == item:
            return row
        stages[index] = item
        action = "pathway_stage_changed"
    row.stages = stages
    _save(row, "stages")
    _audit(action, by, row, stage=item["code"], kind=item["kind"])
    return row


@transaction.atomic
def stage_remove(*, by, version, version_token, code) -> PathwayVersion:
    row = _locked(by, version)
    _check_version(row, version_token)
    stages = list(row.stages or [])
    removed = stages.pop(_stage_index(stages, code))
    row.stages = stages
    _save(row, "stages")
    _audit("pathway_stage_removed", by, row, stage=removed.get("code", ""))
    return row


@transaction.atomic
def stage_move(*, by, version, version_token, code, direction) -> PathwayVersion:
    """One place up or down in the order of the stages."""
    if direction not in ("up", "down"):
        raise ServiceError(_("Choose up or down."), "direction")
    row = _locked(by, version)
    _check_version(row, version_token)
    stages = list(row.stages or [])
    index = _stage_index(stages, code)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(stages):
        return row  # already first (or last): nothing to do
    stages[index], stages[other] = stages[other], stages[index]
    row.stages = stages
    _save(row, "stages")
    _audit("pathway_stage_moved", by, row, stage=code, direction=direction)
    return row


# ---- attendance rules and notifications --------------------------------------------------------------

@transaction.atomic
def rules_save(*, by, version, version_token, rules: dict) -> PathwayVersion:
    """The draft's attendance rules (every rule of pathways.DEFAULT_RULES; one left out keeps
    its value)."""
    row = _locked(by, version)
    _check_version(row, version_token)
    current = {**pathways.DEFAULT_RULES, **(row.rules or {})}
    unknown = set(rules) - set(pathways.DEFAULT_RULES)
    if unknown:
        raise ServiceError(_("Unknown attendance rules: %(names)s.") % {"names": ", ".join(sorted(unknown))}, None)
    new = {name: rules.get(name, current.get(name)) for name in pathways.DEFAULT_RULES}
    excusable = new.get("excusable") or []
    if isinstance(excusable, (list, tuple, set)):
        new["excusable"] = [code for code in pathways.EXCUSES if code in set(excusable)] + \
                           [code for code in excusable if code not in pathways.EXCUSES]
    problems = pathways.rule_problems(new)
    if problems:
        field, message = next(iter(problems.items()))
        raise ServiceError(message, field)
    changed = sorted(name for name in new if new[name] != (row.rules or {}).get(name))
    if not changed:
        return row
    row.rules = new
    _save(row, "rules")
    _audit("pathway_rules_changed", by, row, rules=changed)
    return row


@transaction.atomic
def notifications_save(*, by, version, version_token, notifications: dict) -> PathwayVersion:
    """Who is told of each event. Her service is always told of what matters for her safety
    (pathways.PARTNER_ALWAYS), whatever is posted; the court only of the events after which a
    report falls due (pathways.COURT_REPORT_FOR)."""
    row = _locked(by, version)
    _check_version(row, version_token)
    problems = pathways.notification_problems(notifications)
    if problems:
        raise ServiceError(next(iter(problems.values())), None)
    new = {}
    for event in pathways.NOTIFICATION_EVENTS:
        targets = set(notifications.get(event) or ())
        if event in pathways.PARTNER_ALWAYS:
            targets.add("partner")
        if event not in pathways.COURT_REPORT_FOR:
            targets.discard("court")  # no report for the court follows this event
        new[event] = [target for target in pathways.TARGETS if target in targets]
    changed = sorted(event for event in new if new[event] != (row.notifications or {}).get(event))
    if not changed:
        return row
    row.notifications = new
    _save(row, "notifications")
    _audit("pathway_notifications_changed", by, row, events=changed)
    return row


# ---- the life of a version ---------------------------------------------------------------------------

@transaction.atomic
def version_publish(*, by, version, version_token) -> PathwayVersion:
    """The draft goes into use: new enrolments may be made on it. Nothing else is retired:
    several versions may be in use, and a man stays on his. Refused (InvalidPathway) while
    pathways.validate finds problems."""
    row = _locked(by, version)
    _check_version(row, version_token)
    problems = pathways.validate(stages=row.stages, rules=row.rules, notifications=row.notifications)
    if problems:
        raise InvalidPathway(problems)
    row.status, row.published_by, row.published_at = PathwayStatus.PUBLISHED, by, timezone.now()
    _save(row, "status", "published_by", "published_at")
    _audit("pathway_published", by, row, number=row.number)
    return row


@transaction.atomic
def version_retire(*, by, version) -> PathwayVersion:
    """No new enrolment on this version; the men on it stay on it."""
    row = _locked(by, version, draft=False)
    if row.status != PathwayStatus.PUBLISHED:
        raise ServiceError(_("Only a version in use can be retired."), None)
    row.status = PathwayStatus.RETIRED
    _save(row, "status")
    _audit("pathway_retired", by, row, number=row.number)
    return row


@transaction.atomic
def version_copy(*, by, version) -> PathwayVersion:
    """A new draft of the same pathway from this version's stages, rules and notifications,
    numbered after the pathway's latest version. One draft at a time."""
    row = _locked(by, version, draft=False)
    Pathway.objects.select_for_update().filter(pk=row.pathway_id).first()  # one number at a time
    draft = PathwayVersion.objects.filter(pathway_id=row.pathway_id, status=PathwayStatus.DRAFT).first()
    if draft is not None:
        raise ServiceError(_("Version %(number)d of this pathway is already a draft: change that one, or publish it "
                             "first.") % {"number": draft.number}, None)
    number = (PathwayVersion.objects.filter(pathway_id=row.pathway_id).aggregate(last=Max("number"))["last"] or 0) + 1
    new = PathwayVersion.objects.create(
        pathway=row.pathway, number=number, status=PathwayStatus.DRAFT, description=row.description,
        stages=copy.deepcopy(row.stages), rules=copy.deepcopy(row.rules), notifications=copy.deepcopy(row.notifications),
        created_by=by)
    _audit("pathway_version_started", by, new, number=number, source=row.pk)
    return new
