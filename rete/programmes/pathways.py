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


def validate(*, stages, rules, notifications) -> dict:
    """Problems as {field: [message, ...]} (empty when the version may be published)."""
    problems: dict[str, list] = {}

    def add(where, message):
        problems.setdefault(where, []).append(message)

    if not stages:
        add("stages", _("A pathway needs at least one stage."))
    seen = set()
    for index, item in enumerate(stages or ()):
        where = f"stages.{index}"
        code = str(item.get("code") or "")
        if not CODE.match(code):
            add(where, _("A stage's code is lower-case letters, digits and underscores, starting with a letter."))
        elif code in seen:
            add(where, _("Two stages have the code “%(code)s”.") % {"code": code})
        seen.add(code)
        if item.get("kind") not in STAGE_KINDS:
            add(where, _("Choose the kind of stage."))
        if not str(item.get("name") or "").strip():
            add(where, _("Give the stage a name."))
        for number in ("min_sessions", "min_hours"):
            value = item.get(number, 0)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
                add(where, _("Minimum sessions and hours are whole numbers from 0 to 1000."))
                break
    for name in RULE_NUMBERS:
        value = (rules or {}).get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            add(f"rules.{name}", _("A whole number from 0 to 100."))
    rules = rules or {}
    if rules.get("warning_after_absences") and rules.get("non_compliance_after_absences") and \
            rules["warning_after_absences"] > rules["non_compliance_after_absences"]:
        add("rules.warning_after_absences", _("The warning must come before non-compliance."))
    if not set(rules.get("excusable") or ()) <= set(EXCUSES):
        add("rules.excusable", _("Choose the reasons among those offered."))
    for event, targets in (notifications or {}).items():
        if event not in NOTIFICATION_EVENTS or not set(targets or ()) <= set(TARGETS):
            add("notifications", _("Choose who is told of each event among those offered."))
            break
    return problems
