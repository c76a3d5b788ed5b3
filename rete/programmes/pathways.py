"""A pathway version as data (pure: no database): its stages, its attendance rules and the
notifications each event triggers. The coordinator edits them in forms; `validate` is the one
check, used by the services before a version is saved or published.

stages: [{"code": "assessment", "kind": <StageKind>, "name": "...", "min_sessions": 3,
          "min_hours": 0}, ...] in order; codes unique, lower-case.
rules: see rete.programmes.rules (DEFAULT_RULES below).
notifications: {event: ["partner", "court"]} for the events in NOTIFICATION_EVENTS. The
partner-support service is always told of the events that matter for her safety
(PARTNER_ALWAYS): a pathway may add to them, never take them away.
"""
import re

from django.utils.translation import gettext_lazy as _

STAGE_KINDS = ("assessment", "motivational", "group", "individual", "follow_up")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

DEFAULT_RULES = {
    "warning_after_absences": 2,
    "non_compliance_after_absences": 4,
    "max_consecutive_absences": 3,
    "lates_per_absence": 3,
    "excusable": ["illness", "work", "court", "family"],
    "max_excused_absences": 4,
    "make_up_within_days": 14,
    "oppositional_warning_after": 2,
    "oppositional_non_compliance_after": 4,
    "sessions_per_week": 0,
}
RULE_NUMBERS = tuple(name for name, value in DEFAULT_RULES.items() if isinstance(value, int))

EXCUSES = {
    "illness": _("Illness"),
    "work": _("Work"),
    "court": _("Court hearing"),
    "family": _("Family emergency"),
    "other": _("Other reason"),
}

# Events the programme records, and what each one is (labels for the editor and the pages).
NOTIFICATION_EVENTS = {
    "started": _("He started the programme"),
    "absence_warning": _("An attendance warning"),
    "non_compliance": _("Non-compliance"),
    "suspended": _("Participation suspended"),
    "dropped_out": _("He dropped out"),
    "excluded": _("He was excluded"),
    "threat": _("He disclosed a threat"),
    "risk_raised": _("His risk was assessed higher"),
    "completed": _("He completed the programme"),
}
TARGETS = {"partner": _("The partner-support service"), "court": _("The court or probation (a report falls due)")}
# WWP EN / the reference's "what flows where": her service hears of these at once, always.
PARTNER_ALWAYS = frozenset({"started", "absence_warning", "non_compliance", "dropped_out", "excluded", "threat",
                            "risk_raised", "completed", "suspended"})
# The court hears of these when he has a mandate (the report kind that falls due).
COURT_REPORT_FOR = {"started": "start", "non_compliance": "compliance", "suspended": "interruption",
                    "dropped_out": "interruption", "excluded": "interruption", "completed": "final"}

DEFAULT_NOTIFICATIONS = {event: (["partner", "court"] if event in COURT_REPORT_FOR else ["partner"])
                         for event in NOTIFICATION_EVENTS}

# A pathway started from nothing: no stage, no rule that would ever fire, her service told of
# what matters for her safety (it always is).
EMPTY_RULES = {name: ([] if name == "excusable" else 0) for name in DEFAULT_RULES}
EMPTY_NOTIFICATIONS = {event: (["partner"] if event in PARTNER_ALWAYS else []) for event in NOTIFICATION_EVENTS}

DEFAULT_STAGES = [
    {"code": "assessment", "kind": "assessment", "name": "Assessment", "min_sessions": 3, "min_hours": 0},
    {"code": "motivational", "kind": "motivational", "name": "Motivational work", "min_sessions": 4, "min_hours": 0},
    {"code": "group", "kind": "group", "name": "Group programme", "min_sessions": 44, "min_hours": 88},
    {"code": "follow_up", "kind": "follow_up", "name": "Follow-up", "min_sessions": 2, "min_hours": 0},
]


def notified(notifications, event) -> set:
    """Who is told of an event under a version's notifications (the partner always when it
    matters for her safety)."""
    targets = set((notifications or {}).get(event) or ())
    if event in PARTNER_ALWAYS:
        targets.add("partner")
    return targets & set(TARGETS)


def stage(stages, code) -> dict | None:
    return next((item for item in stages or () if item.get("code") == code), None)


def first_programme_stage(stages) -> dict | None:
    """The first stage after the assessment (where a man starts when he is accepted)."""
    return next((item for item in stages or () if item.get("kind") != "assessment"), None)


STAGE_NUMBERS = ("min_sessions", "min_hours")
MAX_STAGES = 30
NAME_MAX = 200


def stage_problems(item, *, other_codes=()) -> dict:
    """What is wrong with one stage, as {field: message} (empty when it is well formed).
    `other_codes`: the codes of the pathway's other stages (a code is unique in a pathway)."""
    problems = {}
    if not isinstance(item, dict):
        return {"code": _("A stage's code is lower-case letters, digits and underscores, starting with a letter.")}
    code = str(item.get("code") or "")
    if not CODE.match(code):
        problems["code"] = _("A stage's code is lower-case letters, digits and underscores, starting with a letter.")
    elif code in set(other_codes):
        problems["code"] = _("Two stages have the code “%(code)s”.") % {"code": code}
    if item.get("kind") not in STAGE_KINDS:
        problems["kind"] = _("Choose the kind of stage.")
    name = str(item.get("name") or "").strip()
    if not name:
        problems["name"] = _("Give the stage a name.")
    elif len(name) > NAME_MAX:
        problems["name"] = _("A stage's name is at most %(max)d characters.") % {"max": NAME_MAX}
    for number in STAGE_NUMBERS:
        value = item.get(number, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
            problems[number] = _("Minimum sessions and hours are whole numbers from 0 to 1000.")
    return problems


def rule_problems(rules) -> dict:
    """What is wrong with a version's attendance rules, as {rule name: message}."""
    problems = {}
    if not isinstance(rules, dict):
        return {"rules": _("The attendance rules are missing.")}
    unknown = set(rules) - set(DEFAULT_RULES)
    if unknown:
        problems["rules"] = _("Unknown attendance rules: %(names)s.") % {"names": ", ".join(sorted(unknown))}
    for name in RULE_NUMBERS:
        value = rules.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            problems[name] = _("A whole number from 0 to 100.")
    if "sessions_per_week" not in problems and rules.get("sessions_per_week", 0) > 14:
        problems["sessions_per_week"] = _("At most 14 sessions a week.")
    for warning, non_compliance in (("warning_after_absences", "non_compliance_after_absences"),
                                    ("oppositional_warning_after", "oppositional_non_compliance_after")):
        low, high = rules.get(warning), rules.get(non_compliance)
        if warning not in problems and non_compliance not in problems and low and high and low > high:
            problems[warning] = _("The warning must come before non-compliance.")
    excusable = rules.get("excusable") or []
    if not isinstance(excusable, (list, tuple)) or not all(isinstance(code, str) and code in EXCUSES for code in excusable):
        problems["excusable"] = _("Choose the reasons among those offered.")
    return problems


def notification_problems(notifications) -> dict:
    if not isinstance(notifications, dict):
        return {"notifications": _("Choose who is told of each event among those offered.")}
    for event, targets in notifications.items():
        if event not in NOTIFICATION_EVENTS or not isinstance(targets, (list, tuple)) or \
                not all(isinstance(target, str) and target in TARGETS for target in targets):
            return {"notifications": _("Choose who is told of each event among those offered.")}
    return {}


def validate(*, stages, rules, notifications) -> dict:
    """Problems as {field: [message, ...]} (empty when the version may be published): "stages",
    "stages.<index>", "rules.<name>", "notifications"."""
    problems: dict[str, list] = {}

    def add(where, message):
        problems.setdefault(where, []).append(message)

    if not stages:
        add("stages", _("A pathway needs at least one stage."))
    elif not isinstance(stages, (list, tuple)):
        add("stages", _("A pathway needs at least one stage."))
        stages = []
    elif len(stages) > MAX_STAGES:
        add("stages", _("A pathway has at most %(max)d stages.") % {"max": MAX_STAGES})
    elif first_programme_stage([s for s in stages if isinstance(s, dict)]) is None:
        add("stages", _("A pathway needs a stage after the assessment, where a man starts when he is accepted."))
    seen = []
    for index, item in enumerate(stages or ()):
        for message in dict.fromkeys(stage_problems(item, other_codes=seen).values()):
            add(f"stages.{index}", message)
        if isinstance(item, dict):
            seen.append(str(item.get("code") or ""))
    for name, message in rule_problems(rules).items():
        add("rules" if name == "rules" else f"rules.{name}", message)
    for where, message in notification_problems(notifications).items():
        add(where, message)
    return problems
