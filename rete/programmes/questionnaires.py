"""Outcome questionnaires as files: reading one (`parse`), finding every problem in it
(`validate`), and small helpers to read a definition that passed validation. The format is
described in docs/outcome-questionnaires.md; this module enforces it. Pure: nothing here touches
the database (gettext only, for the messages), so it also runs outside a request.

    definition = parse(path.read_bytes(), filename=path.name)  # QuestionnaireError if unreadable
    problems = validate(definition)                            # [] when the file is good
    for item in items(definition, timepoint="intake"): ...
    reports(definition, answers)                               # {indicator: True/False/None}

A questionnaire is answered by the man (in the programme) or by his (ex-)partner (in the
partner-support service, never visible to the programme). Each item measures one `indicator`
from a fixed list (INDICATORS), so that answers to different questionnaires add up to the same
aggregated figures; an answer "reports" the indicator when its option's value reaches the item's
`threshold` (default 1).
"""
from dataclasses import dataclass

import jsonschema
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from rete.risk.instruments import InstrumentError, Problem, location
from rete.risk.instruments import parse as _parse_file

LANGUAGES = ("en", "it", "el", "cs", "bg")
RESPONDENTS = ("man", "partner")
TIMEPOINTS = ("intake", "mid", "end", "follow_up")
HIGHER_IS_WORSE = "higher_is_worse"
HIGHER_IS_BETTER = "higher_is_better"
DIRECTIONS = (HIGHER_IS_WORSE, HIGHER_IS_BETTER)
CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z0-9]+([_-][a-z0-9]+)*$"

# What an item may measure, each with the direction of its scale (a higher value is worse, or
# better) and a plain label for the figures. IMPACT (WWP EN) and Project Mirabal's measures of
# success: safety and freedom from abuse, space for action, respectful communication, safe
# parenting, his awareness of the impact of his abuse, children who feel safe.
INDICATORS = {
    "physical_violence": (HIGHER_IS_WORSE, gettext_lazy("Physical violence")),
    "sexual_violence": (HIGHER_IS_WORSE, gettext_lazy("Sexual violence or pressure")),
    "injury": (HIGHER_IS_WORSE, gettext_lazy("Injuries")),
    "threats": (HIGHER_IS_WORSE, gettext_lazy("Threats and intimidation")),
    "psychological_abuse": (HIGHER_IS_WORSE, gettext_lazy("Insults and humiliation")),
    "controlling": (HIGHER_IS_WORSE, gettext_lazy("Controlling behaviour")),
    "fear": (HIGHER_IS_WORSE, gettext_lazy("Fear of him")),
    "children_witness": (HIGHER_IS_WORSE, gettext_lazy("Children seeing or hearing the violence")),
    "feeling_safe": (HIGHER_IS_BETTER, gettext_lazy("Feeling safe")),
    "space_for_action": (HIGHER_IS_BETTER, gettext_lazy("Space for action")),
    "respectful_communication": (HIGHER_IS_BETTER, gettext_lazy("Respectful communication")),
    "safe_parenting": (HIGHER_IS_BETTER, gettext_lazy("Safe, respectful parenting")),
    "awareness": (HIGHER_IS_BETTER, gettext_lazy("Awareness of his behaviour and its impact")),
}


class QuestionnaireError(InstrumentError):
    """A questionnaire that cannot be used: carries every problem found (`.problems`)."""


# --- the structure, as JSON Schema -------------------------------------------------------------

_TEXT = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {"type": "string", "minLength": 1},
    "x-message": {"minProperties": N_("give the text in every language of Rete"),
                  "type": N_("expected a text per language, e.g. {en: \"…\"}")},
}
_NAME = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": NAME_PATTERN,
         "x-message": {"pattern": N_("use lower-case letters, digits, hyphens or underscores")}}
_TIMEPOINTS = {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(TIMEPOINTS)}}
_OPTION = {
    "type": "object",
    "required": ["code", "label", "value"],
    "properties": {"code": _NAME, "label": _TEXT, "value": {"type": ["number", "null"]}},
    "additionalProperties": False,
}
_OPTIONS = {"type": "array", "minItems": 2, "items": _OPTION}
_ITEM = {
    "type": "object",
    "required": ["code", "text", "indicator", "direction"],
    "properties": {
        "code": _NAME,
        "text": _TEXT,
        "help": _TEXT,
        "indicator": {"enum": list(INDICATORS)},
        "direction": {"enum": list(DIRECTIONS)},
        "threshold": {"type": "number"},
        "scale": {"type": "string", "minLength": 1},
        "options": _OPTIONS,
        "timepoints": _TIMEPOINTS,
    },
    "additionalProperties": False,
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Rete outcome questionnaire",
    "type": "object",
    "required": ["code", "version", "respondent", "languages", "title", "licence", "sections"],
    "properties": {
        "code": {"type": "string", "maxLength": 60, "pattern": CODE_PATTERN,
                 "x-message": {"pattern": N_("use lower-case letters, digits and hyphens, e.g. rete-men-outcomes")}},
        "version": {"type": "integer", "minimum": 1},
        "respondent": {"enum": list(RESPONDENTS)},
        "languages": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(LANGUAGES)}},
        "title": _TEXT,
        "description": _TEXT,
        "licence": {"type": "string", "minLength": 1},
        "timepoints": _TIMEPOINTS,
        "scales": {"type": "object", "propertyNames": {"pattern": NAME_PATTERN}, "additionalProperties": _OPTIONS},
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "title", "items"],
                "properties": {"code": _NAME, "title": _TEXT, "description": _TEXT,
                               "items": {"type": "array", "minItems": 1, "items": _ITEM}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

jsonschema.Draft202012Validator.check_schema(SCHEMA)
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


# --- reading a file ----------------------------------------------------------------------------

def parse(text, *, filename="") -> dict:
    """The definition in a YAML or JSON file (JSON when `filename` ends in .json). Refuses a key
    given twice and YAML aliases, as instrument files do. Not validated yet."""
    try:
        return _parse_file(text, filename=filename)
    except InstrumentError as error:
        raise QuestionnaireError(error.problems) from None


def load_file(path) -> dict:
    """parse() + validate() for a file on disk; raises QuestionnaireError with every problem."""
    from pathlib import Path

    path = Path(path)
    definition = parse(path.read_bytes(), filename=path.name)
    problems = validate(definition)
    if problems:
        raise QuestionnaireError(problems)
    return definition


# --- validating ----------------------------------------------------------------------------------

def _schema_problems(definition) -> list[Problem]:
    problems = []
    errors = sorted(_VALIDATOR.iter_errors(definition), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    names = {"string": N_("a text"), "object": N_("a mapping"), "array": N_("a list"), "integer": N_("a whole number"),
             "number": N_("a number"), "boolean": N_("true or false")}
    for error in errors:
        path = list(error.absolute_path)
        custom = (error.schema.get("x-message") or {}) if isinstance(error.schema, dict) else {}
        if error.validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance and f"'{name}'" in error.message:
                    problems.append(Problem(location(path), _("missing \"%(key)s\"") % {"key": name}))
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in known:
                    problems.append(Problem(location(path + [str(key)]), _("unknown key \"%(key)s\"") % {"key": key}))
        elif error.validator in custom:
            problems.append(Problem(location(path), _(custom[error.validator])))
        elif error.validator == "type" and isinstance(error.instance, bool):
            problems.append(Problem(location(path), _(
                "read as true/false: a word such as yes, no, on or off must be written in quotes, e.g. \"yes\"")))
        elif error.validator == "type":
            expected = error.validator_value
            expected = expected[0] if isinstance(expected, list) else expected
            problems.append(Problem(location(path), _("expected %(what)s") % {"what": _(names.get(expected, expected))}))
        elif error.validator == "enum":
            problems.append(Problem(location(path), _("unknown value \"%(value)s\"; expected one of: %(allowed)s") % {
                "value": error.instance, "allowed": ", ".join(map(str, error.validator_value))}))
        elif error.validator == "propertyNames":
            problems.append(Problem(location(path), _(
                "\"%(name)s\" is not a valid name: use lower-case letters, digits, hyphens or underscores") % {"name": error.instance}))
        elif error.validator == "minItems" and path and path[-1] == "options":
            problems.append(Problem(location(path), _("give at least two options")))
        else:
            problems.append(Problem(location(path), error.message))
    return problems


def _list(value):
    return value if isinstance(value, list) else []


def _dicts(value):
    return [(i, v) for i, v in enumerate(_list(value)) if isinstance(v, dict)]


def _text_locations(definition):
    """(location, mapping) of every translatable text in the file."""
    for key in ("title", "description"):
        if key in definition:
            yield key, definition[key]
    scales = definition.get("scales")
    if isinstance(scales, dict):
        for name, options in scales.items():
            for i, option in _dicts(options):
                if "label" in option:
                    yield location(["scales", str(name), i, "label"]), option["label"]
    for s, section in _dicts(definition.get("sections")):
        for key in ("title", "description"):
            if key in section:
                yield location(["sections", s, key]), section[key]
        for i, item in _dicts(section.get("items")):
            for key in ("text", "help"):
                if key in item:
                    yield location(["sections", s, "items", i, key]), item[key]
            for o, option in _dicts(item.get("options")):
                if "label" in option:
                    yield location(["sections", s, "items", i, "options", o, "label"]), option["label"]


def _language_problems(definition):
    problems = []
    languages = definition.get("languages")
    if isinstance(languages, list):
        missing = [lang for lang in LANGUAGES if lang not in languages]
        if missing:
            problems.append(Problem("languages", _("a questionnaire is written in every language of Rete; missing %(languages)s") % {
                "languages": ", ".join(f'"{m}"' for m in missing)}))
    for loc, mapping in _text_locations(definition):
        if not isinstance(mapping, dict):
            continue  # reported by the schema
        missing = [lang for lang in LANGUAGES if lang not in mapping]
        if missing:
            problems.append(Problem(loc, _("missing the text in %(languages)s") % {"languages": ", ".join(f'"{m}"' for m in missing)}))
        for key in mapping:
            if key not in LANGUAGES:
                problems.append(Problem(f"{loc}.{key}", _("unknown language \"%(key)s\"; Rete's languages are %(all)s") % {
                    "key": key, "all": ", ".join(LANGUAGES)}))
    return problems


def _duplicates(entries, what):
    """entries: (location, code); a Problem for each code already seen."""
    seen, problems = {}, []
    for loc, code in entries:
        if not isinstance(code, str):
            continue
        if code in seen:
            problems.append(Problem(f"{loc}.code", _("the %(what)s code \"%(code)s\" is already used at %(where)s") % {
                "what": what, "code": code, "where": seen[code]}))
        else:
            seen[code] = loc
    return problems


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _option_problems(options, where):
    problems = _duplicates(((location(where + [o]), option.get("code")) for o, option in _dicts(options)), _("option"))
    values = [option.get("value") for _o, option in _dicts(options)]
    if options and isinstance(options, list) and not any(_number(v) for v in values):
        problems.append(Problem(location(where), _("at least one option needs a numeric value (null is for \"prefer not to say\" "
                                                   "or \"does not apply\")")))
    return problems


def _structure_problems(definition):
    problems = []
    sections = _dicts(definition.get("sections"))
    scales = definition.get("scales") if isinstance(definition.get("scales"), dict) else {}
    timepoints = definition.get("timepoints") if isinstance(definition.get("timepoints"), list) else list(TIMEPOINTS)
    problems += _duplicates(((location(["sections", s]), section.get("code")) for s, section in sections), _("section"))
    located = [(["sections", s, "items", i], item) for s, section in sections for i, item in _dicts(section.get("items"))]
    problems += _duplicates(((location(where), item.get("code")) for where, item in located), _("item"))
    for name, options in scales.items():
        problems += _option_problems(options, ["scales", str(name)])
    used = set()
    for where, item in located:
        has_scale, has_options = "scale" in item, "options" in item
        if has_scale == has_options:
            problems.append(Problem(location(where), _("give either \"scale\" (a scale of the file) or \"options\", not both")
                                    if has_scale else _("missing \"scale\" or \"options\"")))
        options = None
        if has_options:
            options = item["options"]
            problems += _option_problems(options, where + ["options"])
        elif isinstance(item.get("scale"), str):
            if item["scale"] not in scales:
                problems.append(Problem(location(where + ["scale"]), _("unknown scale \"%(scale)s\"") % {"scale": item["scale"]}))
            else:
                options = scales[item["scale"]]
                used.add(item["scale"])
        indicator, direction = item.get("indicator"), item.get("direction")
        if indicator in INDICATORS and direction in DIRECTIONS and INDICATORS[indicator][0] != direction:
            problems.append(Problem(location(where + ["direction"]), _(
                "the indicator \"%(indicator)s\" is measured with %(direction)s") % {
                "indicator": indicator, "direction": INDICATORS[indicator][0]}))
        values = [o.get("value") for _o, o in _dicts(options) if _number(o.get("value"))]
        threshold = item.get("threshold", 1)
        if values and _number(threshold) and not (min(values) < threshold <= max(values)):
            problems.append(Problem(location(where + (["threshold"] if "threshold" in item else [])), _(
                "the threshold %(threshold)s must be above the lowest value and at most the highest (%(low)s–%(high)s): "
                "otherwise every answer, or none, reports the indicator") % {
                "threshold": threshold, "low": min(values), "high": max(values)}))
        if isinstance(item.get("timepoints"), list):
            outside = [t for t in item["timepoints"] if t in TIMEPOINTS and t not in timepoints]
            if outside:
                problems.append(Problem(location(where + ["timepoints"]), _(
                    "not a timepoint of the questionnaire: %(timepoints)s") % {"timepoints": ", ".join(outside)}))
    for name in scales:
        if name not in used:
            problems.append(Problem(location(["scales", str(name)]), _("no item uses this scale")))
    for timepoint in timepoints:
        if timepoint in TIMEPOINTS and located and not any(
                timepoint in (item.get("timepoints") if isinstance(item.get("timepoints"), list) else timepoints)
                for _where, item in located):
            problems.append(Problem("timepoints", _("no item is asked at \"%(timepoint)s\"") % {"timepoint": timepoint}))
    return problems


def validate(definition) -> list[Problem]:
    """Every problem of a definition (from parse()): the structure first (SCHEMA), then the rules
    a schema cannot state: every text in every one of Rete's five languages, unique codes
    (sections, items across the questionnaire, options of an item or a scale), an item's scale
    that exists, a direction that matches its indicator, a threshold some answers reach and
    others do not, item timepoints among the questionnaire's. An empty list: it can be loaded."""
    if not isinstance(definition, dict):
        return [Problem("", _("the file must hold a mapping (code, version, title, …)"))]
    problems = _schema_problems(definition) + _language_problems(definition) + _structure_problems(definition)
    unique, seen = [], set()
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    return unique


# --- reading a valid definition -------------------------------------------------------------------

def timepoints(definition) -> list[str]:
    """The timepoints the questionnaire is answered at, in Rete's order."""
    declared = definition.get("timepoints") or TIMEPOINTS
    return [t for t in TIMEPOINTS if t in declared]


def options(definition, item) -> list[dict]:
    """An item's options (its own, or its scale's), in the file's order."""
    if "options" in item:
        return item["options"]
    return definition["scales"][item["scale"]]


def items(definition, *, timepoint=None) -> list[dict]:
    """Every item in order (those asked at `timepoint` when given): a copy of each item with
    `section` (its section's code), `options` resolved and `threshold` filled in."""
    declared = timepoints(definition)
    out = []
    for section in definition["sections"]:
        for item in section["items"]:
            asked = item.get("timepoints") or declared
            if timepoint is not None and timepoint not in asked:
                continue
            out.append({**item, "section": section["code"], "options": options(definition, item),
                        "threshold": item.get("threshold", 1), "timepoints": list(asked)})
    return out


def sections(definition, *, timepoint=None) -> list[dict]:
    """The sections with their items asked at `timepoint` (sections left empty are left out)."""
    asked = items(definition, timepoint=timepoint)
    out = []
    for section in definition["sections"]:
        own = [item for item in asked if item["section"] == section["code"]]
        if own:
            out.append({**section, "items": own})
    return out


def text(mapping, language) -> str:
    """A text of the file in `language` (English when it lacks it); "" for a missing text."""
    if not mapping:
        return ""
    if isinstance(mapping, str):
        return mapping
    return mapping.get(language) or mapping.get("en") or next(iter(mapping.values()))


def summary(definition) -> str:
    """`code vN (respondent), K items` for a valid definition."""
    return f"{definition['code']} v{definition['version']} ({definition['respondent']}), {len(items(definition))} items"


def answer_problems(definition, timepoint, answers) -> dict:
    """{item code: message} for a set of answers ({item code: option code}) at a timepoint:
    every item asked then must be answered with one of its options; nothing else is allowed."""
    problems = {}
    asked = {item["code"]: item for item in items(definition, timepoint=timepoint)}
    for code, item in asked.items():
        given = answers.get(code) if isinstance(answers, dict) else None
        if not given:
            problems[code] = _("Choose an answer.")
        elif given not in {option["code"] for option in item["options"]}:
            problems[code] = _("Choose one of the answers offered.")
    for code in (answers or {}):
        if code not in asked:
            problems[code] = _("This question is not asked at this time.")
    return problems


def reports(definition, answers) -> dict:
    """{indicator: True | False | None} for one set of answers: True when an item of the
    indicator was answered with a value at or above its threshold, False when its items were
    answered below it, None when none was answered with a value (prefer not to say, does not
    apply, not asked)."""
    out = {}
    for item in items(definition):
        chosen = (answers or {}).get(item["code"])
        option = next((o for o in item["options"] if o["code"] == chosen), None)
        if option is None or not _number(option.get("value")):
            out.setdefault(item["indicator"], None)
            continue
        reached = option["value"] >= item["threshold"]
        out[item["indicator"]] = bool(out.get(item["indicator"])) or reached
    return out


def indicator_label(code) -> str:
    return str(INDICATORS[code][1]) if code in INDICATORS else code


def indicator_direction(code) -> str:
    return INDICATORS[code][0] if code in INDICATORS else HIGHER_IS_WORSE


def valid_timepoint(value) -> bool:
    return isinstance(value, str) and value in TIMEPOINTS



def tally(rows, definitions) -> tuple[dict, dict]:
    """Counts for aggregated figures, from answers already read: `rows` are (respondent key,
    timepoint, questionnaire id, answers) and `definitions` {questionnaire id: definition}.
    A respondent counts once per timepoint, whatever the number of questionnaires she or he
    answered then (an indicator is reported when any of them reports it). Returns
    (answered, counts): answered = {timepoint: respondents}, counts = {(indicator, timepoint):
    (respondents who answered an item of it with a value, those among them who report it)}."""
    merged: dict[tuple, dict] = {}
    for key, timepoint, questionnaire_id, answers in rows:
        definition = definitions.get(questionnaire_id)
        if definition is None or timepoint not in TIMEPOINTS:
            continue
        found = merged.setdefault((key, timepoint), {})
        for indicator, reported in reports(definition, answers).items():
            if reported is None:
                found.setdefault(indicator, None)
            else:
                found[indicator] = bool(found.get(indicator)) or reported
    answered: dict[str, int] = {}
    counts: dict[tuple, list] = {}
    for (_key, timepoint), found in merged.items():
        answered[timepoint] = answered.get(timepoint, 0) + 1
        for indicator, reported in found.items():
            if reported is None:
                continue
            cell = counts.setdefault((indicator, timepoint), [0, 0])
            cell[0] += 1
            cell[1] += int(reported)
    return answered, {key: tuple(value) for key, value in counts.items()}


# --- small numbers --------------------------------------------------------------------------------

MIN_CELL = 5  # a figure about fewer people than this is never shown: nobody can be singled out


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: `value` when shown; otherwise `why` says why not: "small"
    (fewer than MIN_CELL people) or "hidden" (shown, it would let a small number be worked out
    from a total)."""

    value: int | None
    why: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None


def protect(count) -> Cell:
    """A count: shown when it is 0 or at least MIN_CELL."""
    count = int(count or 0)
    return Cell(count) if count == 0 or count >= MIN_CELL else Cell(None, "small")


def protect_group(total, parts) -> tuple[Cell, list]:
    """A total and its parts [(key, count)]: each protected, and when exactly one part is too
    small while the total is shown, the smallest other part is hidden too, so the small one
    cannot be worked out by subtraction."""
    total_cell = protect(total)
    cells = [(key, protect(count)) for key, count in parts]
    small = [key for key, cell in cells if cell.why == "small"]
    if total_cell.shown and len(small) == 1:
        candidates = [(cell.value, n) for n, (key, cell) in enumerate(cells) if cell.shown and cell.value > 0]
        if candidates:
            _value, n = min(candidates)
            cells[n] = (cells[n][0], Cell(None, "hidden"))
    return total_cell, cells


def protect_share(respondents, reporting) -> dict:
    """A share as it may be shown: {"respondents", "reporting", "percent"}, all None when fewer
    than MIN_CELL people answered."""
    respondents, reporting = int(respondents or 0), int(reporting or 0)
    if respondents < MIN_CELL:
        return {"respondents": None, "reporting": None, "percent": None}
    return {"respondents": respondents, "reporting": reporting, "percent": round(100 * reporting / respondents)}
