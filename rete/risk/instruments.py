"""Risk instruments as files: reading one (`parse`), finding every problem in it (`validate`),
and small helpers to read a definition that passed validation. The format is described in
docs/risk-instruments.md; that page is binding, this module enforces it.

    definition = parse(path.read_text(), filename=path.name)   # InstrumentError if unreadable
    problems = validate(definition)                             # [] when the file is good
    for item in items(definition): ...

Scoring lives in rete.risk.scoring (pure, no Django). This module imports nothing from Django
except gettext for its messages, so it also runs outside a request.
"""
import datetime
import json
import math
from dataclasses import dataclass

import jsonschema
import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

LANGUAGES = ("en", "it", "el", "cs", "bg")
ASSESSES = ("victim", "perpetrator")
SCORING_KINDS = ("sum", "weighted_sum", "gate_or_count", "judgement")
RANGE_KINDS = ("sum", "weighted_sum")  # the kinds whose bands have min and max
AGENCIES = ("victim_support", "police", "risk_conference", "social_service", "health", "justice",
            "perpetrator_programme", "any")
EVENTS = ("new_incident", "order_breach", "perpetrator_release", "separation", "child_contact_change")
CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z0-9]+([_-][a-z0-9]+)*$"  # item, option, section, band, action and scheme codes

# Above this many distinct reachable scores the bands are checked by arithmetic instead of by
# enumerating every score (only instruments with unusual fractional values get near it).
_MAX_REACHABLE = 100_000


@dataclass(frozen=True)
class Problem:
    """One problem in an instrument file. `location` is a path into the file such as
    `sections[1].items[4].scheme` (or `line 3, column 7` when the file cannot be read)."""

    location: str
    message: str

    def __str__(self):
        return f"{self.location}: {self.message}" if self.location else self.message


class InstrumentError(Exception):
    """An instrument that cannot be used: carries every problem found (`.problems`)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- the structure, as JSON Schema (Draft 2020-12) ------------------------------------------
# `x-message` (ignored by the validator) gives a plainer message for a keyword that fails.

_TEXT = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {"type": "string", "minLength": 1},
    "x-message": {"minProperties": N_("give the text in every language of the instrument"), "type": N_("expected a text per language, e.g. {en: \"…\"}")},
}
_NAME = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": NAME_PATTERN,
         "x-message": {"pattern": N_("use lower-case letters, digits, hyphens or underscores")}}
_DURATION = {
    "type": "object",
    "properties": {"hours": {"type": "integer", "minimum": 1}, "days": {"type": "integer", "minimum": 1}},
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "x-message": {"minProperties": N_("give {hours: N} or {days: N}"), "maxProperties": N_("give either hours or days, not both")},
}
_OPTION = {
    "type": "object",
    "required": ["code", "label"],
    "properties": {"code": _NAME, "value": {"type": "number"}, "positive": {"type": "boolean"}, "label": _TEXT},
    "additionalProperties": False,
}
_ITEM = {
    "type": "object",
    "required": ["code", "text", "scheme"],
    "properties": {
        "code": _NAME,
        "text": _TEXT,
        "help": _TEXT,
        "scheme": {"type": "string", "minLength": 1},
        "weight": {"type": "number", "exclusiveMinimum": 0},
        "gate": {"type": "boolean"},
    },
    "additionalProperties": False,
}
_ACTION = {
    "type": "object",
    "required": ["code", "text", "agency", "due_within"],
    "properties": {"code": _NAME, "text": _TEXT, "agency": {"enum": list(AGENCIES)}, "due_within": _DURATION},
    "additionalProperties": False,
}
_BAND = {
    "type": "object",
    "required": ["code", "label"],
    "properties": {
        "code": _NAME,
        "label": _TEXT,
        "description": _TEXT,
        "min": {"type": "number"},
        "max": {"type": "number"},
        "reassess_within": _DURATION,
        "actions": {"type": "array", "items": _ACTION},
    },
    "additionalProperties": False,
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Rete risk instrument",
    "type": "object",
    "required": ["code", "version", "assesses", "languages", "title", "licence", "answer_schemes", "scoring", "sections", "bands"],
    "properties": {
        "code": {"type": "string", "maxLength": 60, "pattern": CODE_PATTERN,
                 "x-message": {"pattern": N_("use lower-case letters, digits and hyphens, e.g. rete-victim-screen")}},
        "version": {"type": "integer", "minimum": 1},
        "assesses": {"enum": list(ASSESSES)},
        "languages": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(LANGUAGES)}},
        "title": _TEXT,
        "description": _TEXT,
        "licence": {"type": "string", "minLength": 1},
        "answer_schemes": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {
                "type": "object",
                "required": ["options"],
                "properties": {"options": {"type": "array", "minItems": 1, "items": _OPTION}},
                "additionalProperties": False,
            },
        },
        "scoring": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"enum": list(SCORING_KINDS)}, "at_least": {"type": "integer", "minimum": 1}},
            "additionalProperties": False,
        },
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "title", "items"],
                "properties": {"code": _NAME, "title": _TEXT, "items": {"type": "array", "minItems": 1, "items": _ITEM}},
                "additionalProperties": False,
            },
        },
        "bands": {"type": "array", "minItems": 1, "items": _BAND},
        "reassess_on": {"type": "array", "uniqueItems": True, "items": {"enum": list(EVENTS)}},
    },
    "additionalProperties": False,
}

jsonschema.Draft202012Validator.check_schema(SCHEMA)
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


# --- reading a file --------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """safe_load that refuses a key given twice in one mapping (YAML would keep the last) and
    aliases (`*name`: an instrument needs none, and nested aliases can blow up in size)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            raise yaml.composer.ComposerError(None, None, _("aliases (*name) are not allowed in an instrument file"),
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _mapping_without_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (str, int, float, bool)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, _("the key \"%(key)s\" is given twice") % {"key": key}, key_node.start_mark)
        if isinstance(key, (str, int, float, bool)):
            seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def parse(text, *, filename="") -> dict:
    """The definition in a YAML or JSON file (JSON when `filename` ends in .json, YAML
    otherwise). `text` may be bytes (UTF-8). Raises InstrumentError with one Problem located at
    `line L, column C` when the file cannot be read. The result is not validated yet."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InstrumentError([Problem(_("byte %(n)s") % {"n": error.start}, _("the file is not UTF-8 text"))]) from None
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InstrumentError([Problem(_location_line(error.lineno, error.colno), error.msg)]) from None
        except RecursionError:
            raise InstrumentError([Problem("", _("the file is nested too deeply"))]) from None
    else:
        try:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = " ".join(part for part in (error.context, error.problem) if part) or str(error)
            location = _location_line(mark.line + 1, mark.column + 1) if mark else ""
            raise InstrumentError([Problem(location, message)]) from None
        except yaml.YAMLError as error:
            raise InstrumentError([Problem("", str(error))]) from None
        except RecursionError:
            raise InstrumentError([Problem("", _("the file is nested too deeply"))]) from None
    if not isinstance(data, dict):
        raise InstrumentError([Problem(_location_line(1, 1), _("the file must hold a mapping (code, version, title, …)"))])
    return data


def _location_line(line, column):
    return _("line %(line)s, column %(column)s") % {"line": line, "column": column}


def load_file(path) -> dict:
    """parse() + validate() for a file on disk; raises InstrumentError with every problem."""
    from pathlib import Path

    path = Path(path)
    definition = parse(path.read_bytes(), filename=path.name)
    problems = validate(definition)
    if problems:
        raise InstrumentError(problems)
    return definition


# --- validating ------------------------------------------------------------------------------

def location(path) -> str:
    """`sections[1].items[4].scheme` from a sequence of keys and indices."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _join(base, *parts):
    return location(list(_split(base)) + list(parts))


def _split(loc):
    # Only used on locations built by location(); keeps the helpers below short.
    import re

    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", loc):
        yield int(index) if index else name


def _schema_problems(definition) -> list[Problem]:
    problems = []
    errors = sorted(_VALIDATOR.iter_errors(definition), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
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
            names = {"string": _("a text"), "object": _("a mapping"), "array": _("a list"), "integer": _("a whole number"),
                     "number": _("a number"), "boolean": _("true or false")}
            problems.append(Problem(location(path), _("expected %(what)s") % {"what": names.get(expected, expected)}))
        elif error.validator == "enum":
            problems.append(Problem(location(path), _("unknown value \"%(value)s\"; expected one of: %(allowed)s") % {
                "value": error.instance, "allowed": ", ".join(map(str, error.validator_value))}))
        elif error.validator == "propertyNames":
            problems.append(Problem(location(path), _("\"%(name)s\" is not a valid name: use lower-case letters, digits, hyphens or underscores")
                                    % {"name": error.instance}))
        else:
            problems.append(Problem(location(path), error.message))
    return problems


def _dicts(value):
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text_locations(definition):
    """(location, mapping) of every translatable text in the file."""
    for key in ("title", "description"):
        if key in definition:
            yield key, definition[key]
    schemes = definition.get("answer_schemes")
    if isinstance(schemes, dict):
        for name, scheme in schemes.items():
            if isinstance(scheme, dict) and isinstance(scheme.get("options"), list):
                for i, option in enumerate(scheme["options"]):
                    if isinstance(option, dict) and "label" in option:
                        yield location(["answer_schemes", str(name), "options", i, "label"]), option["label"]
    for s, section in enumerate(_list(definition.get("sections"))):
        if not isinstance(section, dict):
            continue
        if "title" in section:
            yield location(["sections", s, "title"]), section["title"]
        for i, item in enumerate(_list(section.get("items"))):
            if isinstance(item, dict):
                for key in ("text", "help"):
                    if key in item:
                        yield location(["sections", s, "items", i, key]), item[key]
    for b, band in enumerate(_list(definition.get("bands"))):
        if not isinstance(band, dict):
            continue
        for key in ("label", "description"):
            if key in band:
                yield location(["bands", b, key]), band[key]
        for a, action in enumerate(_list(band.get("actions"))):
            if isinstance(action, dict) and "text" in action:
                yield location(["bands", b, "actions", a, "text"]), action["text"]


def _language_problems(definition):
    languages = definition.get("languages")
    if not isinstance(languages, list) or not languages:
        return []
    declared = [lang for lang in languages if isinstance(lang, str)]
    problems = []
    for loc, mapping in _text_locations(definition):
        if not isinstance(mapping, dict):
            continue  # reported by the schema
        missing = [lang for lang in declared if lang in LANGUAGES and lang not in mapping]
        if missing:
            problems.append(Problem(loc, _("missing the text in %(languages)s") % {"languages": ", ".join(f'"{m}"' for m in missing)}))
        for key in mapping:
            if key not in LANGUAGES:
                problems.append(Problem(_join(loc, str(key)), _("unknown language \"%(key)s\"; Rete's languages are %(all)s") % {
                    "key": key, "all": ", ".join(LANGUAGES)}))
            elif key not in declared:
                problems.append(Problem(_join(loc, str(key)), _("\"%(key)s\" is not one of the instrument's languages (%(declared)s)") % {
                    "key": key, "declared": ", ".join(declared)}))
    return problems


def _list(value):
    return value if isinstance(value, list) else []


def _scheme_options(definition):
    """{scheme name: its list of options} for the schemes that are well formed (the options
    themselves may not be: filter with _dicts)."""
    schemes = definition.get("answer_schemes")
    out = {}
    if isinstance(schemes, dict):
        for name, scheme in schemes.items():
            if isinstance(scheme, dict) and isinstance(scheme.get("options"), list):
                out[name] = scheme["options"]
    return out


def _located_items(definition):
    """(location, item, section code) of every item that is a mapping."""
    for s, section in enumerate(_list(definition.get("sections"))):
        if isinstance(section, dict) and isinstance(section.get("items"), list):
            for i, item in enumerate(section["items"]):
                if isinstance(item, dict):
                    yield location(["sections", s, "items", i]), item, section.get("code")


def _duplicates(entries, what):
    """entries: (location, code); a Problem for each code already seen."""
    seen, problems = {}, []
    for loc, code in entries:
        if not isinstance(code, str):
            continue
        if code in seen:
            problems.append(Problem(_join(loc, "code"), _("the %(what)s code \"%(code)s\" is already used at %(where)s") % {
                "what": what, "code": code, "where": seen[code]}))
        else:
            seen[code] = loc
    return problems


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _fmt(value):
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _structure_problems(definition):
    problems = []
    kind = (definition.get("scoring") or {}).get("kind") if isinstance(definition.get("scoring"), dict) else None
    schemes = _scheme_options(definition)
    bands = definition.get("bands") if isinstance(definition.get("bands"), list) else []
    located = list(_located_items(definition))

    # Codes that must be unique.
    problems += _duplicates(((location(["sections", s]), sec.get("code")) for s, sec in enumerate(_list(definition.get("sections")))
                             if isinstance(sec, dict)), _("section"))
    problems += _duplicates(((loc, item.get("code")) for loc, item, _section in located), _("item"))
    for name, options in schemes.items():
        problems += _duplicates(((location(["answer_schemes", str(name), "options", i]), o.get("code"))
                                 for i, o in enumerate(options) if isinstance(o, dict)), _("option"))
    problems += _duplicates(((location(["bands", b]), band.get("code")) for b, band in enumerate(bands) if isinstance(band, dict)), _("band"))
    action_texts = {}
    for b, band in enumerate(bands):
        if not isinstance(band, dict) or not isinstance(band.get("actions"), list):
            continue
        problems += _duplicates(((location(["bands", b, "actions", a]), act.get("code")) for a, act in enumerate(band["actions"])
                                 if isinstance(act, dict)), _("action"))
        # The same action in two bands (e.g. a safety plan, sooner in the higher band) must say
        # the same thing: a task keeps only its code and finds its wording by it.
        for a, act in enumerate(band["actions"]):
            if isinstance(act, dict) and isinstance(act.get("code"), str) and "text" in act:
                first = action_texts.setdefault(act["code"], (location(["bands", b, "actions", a]), act["text"]))
                if first[1] != act["text"] and not first[0].startswith(location(["bands", b])):
                    problems.append(Problem(location(["bands", b, "actions", a, "text"]), _(
                        "the action \"%(code)s\" has a different text at %(where)s; an action code has one wording") % {
                        "code": act["code"], "where": first[0]}))

    # Items: their scheme exists; weight and gate only where the kind uses them.
    used_schemes = {}
    for loc, item, _section in located:
        scheme = item.get("scheme")
        declared = definition.get("answer_schemes") if isinstance(definition.get("answer_schemes"), dict) else {}
        if isinstance(scheme, str) and scheme:
            if scheme not in declared:
                problems.append(Problem(_join(loc, "scheme"), _("unknown answer scheme \"%(scheme)s\"") % {"scheme": scheme}))
            elif scheme in schemes:
                used_schemes.setdefault(scheme, loc)
        if "weight" in item and kind in SCORING_KINDS and kind != "weighted_sum" and item.get("weight") != 1:
            problems.append(Problem(_join(loc, "weight"), _("a weight is used only by weighted_sum scoring")))
        if item.get("gate") is True and kind in SCORING_KINDS and kind != "gate_or_count":
            problems.append(Problem(_join(loc, "gate"), _("gate items are used only by gate_or_count scoring")))

    # Option values are needed where the score is a sum.
    if kind in RANGE_KINDS:
        for name in used_schemes:
            for i, option in enumerate(schemes[name]):
                if isinstance(option, dict) and "value" not in option:
                    problems.append(Problem(location(["answer_schemes", str(name), "options", i]), _(
                        "missing \"value\" (%(kind)s scoring adds the values)") % {"kind": kind}))

    # Scoring-specific rules.
    scoring = definition.get("scoring") if isinstance(definition.get("scoring"), dict) else {}
    if kind is not None and kind != "gate_or_count" and "at_least" in scoring:
        problems.append(Problem("scoring.at_least", _("at_least is used only by gate_or_count scoring")))
    if kind in ("gate_or_count", "judgement"):
        for b, band in enumerate(bands):
            if isinstance(band, dict):
                for key in ("min", "max"):
                    if key in band:
                        problems.append(Problem(location(["bands", b, key]), _("%(kind)s bands have no %(key)s") % {"kind": kind, "key": key}))
    if kind == "gate_or_count":
        problems += _gate_problems(scoring, bands, located, used_schemes, schemes)
    elif kind in RANGE_KINDS:
        problems += _range_problems(definition, kind, bands, located, schemes)
    return problems


def _gate_problems(scoring, bands, located, used_schemes, schemes):
    problems = []
    if len(bands) != 2:
        problems.append(Problem("bands", _("gate_or_count needs exactly two bands (not triggered, triggered); this file has %(n)s") % {"n": len(bands)}))
    gates = [item for _loc, item, _s in located if item.get("gate") is True]
    others = [item for _loc, item, _s in located if item.get("gate") is not True]
    if not gates:
        problems.append(Problem("sections", _("gate_or_count needs at least one gate item (gate: true)")))
    if "at_least" not in scoring:
        problems.append(Problem("scoring", _("missing \"at_least\" (how many positive answers among the other items trigger the higher band)")))
    elif isinstance(scoring["at_least"], int) and not isinstance(scoring["at_least"], bool) and scoring["at_least"] > len(others):
        problems.append(Problem("scoring.at_least", _("at_least is %(n)s but only %(others)s items are not gates") % {
            "n": scoring["at_least"], "others": len(others)}))
    for name in used_schemes:
        options = schemes[name]
        if not any(isinstance(o, dict) and o.get("positive") is True for o in options):
            problems.append(Problem(location(["answer_schemes", str(name), "options"]), _(
                "no option is marked positive: true, so no answer could count")))
    return problems


def _item_value_range(item, options):
    values = [o["value"] for o in options if _number(o.get("value"))]
    weight = item.get("weight", 1)
    if not values or not _number(weight):
        return None
    return [weight * v for v in values]


def _reachable(contributions):
    """Every score reachable when each item contributes one of its values; None when too many."""
    sums, work = {0.0}, 0
    for values in contributions:
        distinct = set(values)
        work += len(sums) * len(distinct)
        if work > 20 * _MAX_REACHABLE:
            return None
        sums = {round(s + v, 9) for s in sums for v in distinct}
        if len(sums) > _MAX_REACHABLE:
            return None
    return sums


def _range_problems(definition, kind, bands, located, schemes):
    problems = []
    ranges = []  # (index, band, min, max)
    for b, band in enumerate(bands):
        if not isinstance(band, dict):
            continue
        for key in ("min", "max"):
            if key not in band:
                problems.append(Problem(location(["bands", b]), _("missing \"%(key)s\" (%(kind)s bands cover a range of scores)") % {"key": key, "kind": kind}))
        if _number(band.get("min")) and _number(band.get("max")):
            if band["min"] > band["max"]:
                problems.append(Problem(location(["bands", b, "min"]), _("min %(min)s is greater than max %(max)s") % {
                    "min": _fmt(band["min"]), "max": _fmt(band["max"])}))
            ranges.append((b, band, band["min"], band["max"]))
    if len(ranges) != len([b for b in bands if isinstance(b, dict)]) or not ranges:
        return problems  # the coverage cannot be judged with bands missing their range

    # Ordered from lowest to highest.
    for (b0, _x, min0, _y), (b1, _z, min1, _w) in zip(ranges, ranges[1:]):
        if min1 < min0:
            problems.append(Problem(location(["bands", b1, "min"]), _("bands must be ordered from lowest to highest risk: this band starts below bands[%(prev)s]") % {"prev": b0}))
    ordered = sorted(ranges, key=lambda r: (r[2], r[3]))
    for (b0, _x, _min0, max0), (b1, _z, min1, _max1) in zip(ordered, ordered[1:]):
        if min1 <= max0:
            scores = _fmt(min1) if min1 == max0 else f"{_fmt(min1)}–{_fmt(max0)}"
            problems.append(Problem(location(["bands", b1, "min"]), _("overlaps bands[%(other)s]: %(scores)s would fall in both") % {
                "other": b0, "scores": scores}))

    # Every reachable score falls in a band; every band can be reached.
    contributions, complete = [], True
    for _loc, item, _section in located:
        scheme = item.get("scheme")
        values = _item_value_range(item, _dicts(schemes[scheme])) if isinstance(scheme, str) and scheme in schemes else None
        if values is None:
            complete = False  # an unknown scheme or a missing value, reported elsewhere
        else:
            contributions.append(values)
    reachable = _reachable(contributions) if complete and contributions else None
    if reachable is None:
        # Judged by arithmetic: consecutive bands must meet (with whole-number scores, the next
        # band starts one above the previous one's max).
        integral = all(float(v).is_integer() for values in contributions for v in values)
        step = 1 if integral else 0
        if complete and contributions:
            lowest = math.fsum(min(v) for v in contributions)
            highest = math.fsum(max(v) for v in contributions)
            if ordered[0][2] > lowest:
                problems.append(Problem(location(["bands", ordered[0][0], "min"]), _("the lowest possible score is %(score)s but the first band starts at %(min)s") % {
                    "score": _fmt(lowest), "min": _fmt(ordered[0][2])}))
            if ordered[-1][3] < highest:
                problems.append(Problem(location(["bands", ordered[-1][0], "max"]), _("the highest possible score is %(score)s but the last band ends at %(max)s") % {
                    "score": _fmt(highest), "max": _fmt(ordered[-1][3])}))
        for (_b0, _x, _min0, max0), (b1, _z, min1, _max1) in zip(ordered, ordered[1:]):
            if min1 - max0 > step:
                problems.append(Problem(location(["bands", b1, "min"]), _("scores between %(low)s and %(high)s fall in no band") % {
                    "low": _fmt(max0), "high": _fmt(min1)}))
        return problems
    lowest = math.fsum(min(v) for v in contributions)
    highest = math.fsum(max(v) for v in contributions)

    uncovered = {}
    for score in sorted(reachable):
        if not any(low <= score <= high for _b, _band, low, high in ordered):
            if score < ordered[0][2]:
                where = location(["bands", ordered[0][0], "min"])
            elif score > ordered[-1][3]:
                where = location(["bands", ordered[-1][0], "max"])
            else:
                following = next(r for r in ordered if r[2] > score)
                where = location(["bands", following[0], "min"])
            uncovered.setdefault(where, []).append(score)
    for where, scores in uncovered.items():
        shown = ", ".join(_fmt(s) for s in scores[:8]) + (", …" if len(scores) > 8 else "")
        problems.append(Problem(where, _("possible scores fall in no band: %(scores)s (scores run from %(low)s to %(high)s)") % {
            "scores": shown, "low": _fmt(lowest), "high": _fmt(highest)}))
    for b, _band, low, high in ranges:
        if low <= high and not any(low <= s <= high for s in reachable):
            problems.append(Problem(location(["bands", b]), _("no possible score falls in this band (scores run from %(low)s to %(high)s)") % {
                "low": _fmt(lowest), "high": _fmt(highest)}))
    return problems


def validate(definition) -> list[Problem]:
    """Every problem of a definition (from parse()), in file order: the structure first (JSON
    Schema, SCHEMA above), then the rules a schema cannot state: unique codes (sections, items
    across the whole instrument, options in a scheme, bands, actions in a band), answer schemes
    that exist, every text in every declared language and only in those, band ranges that cover
    every possible score without gaps or overlaps (sum, weighted_sum), exactly two bands, a
    gate item, a reachable `at_least` and a positive option (gate_or_count). An empty list means
    the instrument can be loaded."""
    if not isinstance(definition, dict):
        return [Problem("", _("the file must hold a mapping (code, version, title, …)"))]
    problems = _schema_problems(definition) + _language_problems(definition) + _structure_problems(definition)
    unique, seen = [], set()
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    top = {key: n for n, key in enumerate(definition)}

    def file_order(problem):
        parts = list(_split(problem.location))
        if not parts:
            return ((-1, 0),)
        first = (top.get(parts[0], len(top)), 0)
        return (first,) + tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in parts[1:])

    return sorted(unique, key=file_order)  # stable: problems at one place keep their order


def summary(definition) -> str:
    """`code vN, K items, B bands` for a valid definition."""
    return f"{definition['code']} v{definition['version']}, {len(items(definition))} items, {len(definition['bands'])} bands"


# --- reading a valid definition ---------------------------------------------------------------

def items(definition) -> list[dict]:
    """Every item in order, flattened across sections: a copy of each item's mapping with
    `section` (the section's code) added. Codes are unique, so `{i["code"]: i for i in items(d)}`
    is safe."""
    return [{**item, "section": section["code"]} for section in definition["sections"] for item in section["items"]]


def find_item(definition, code) -> dict:
    """One item (as in items()) by its code; ValueError if there is none."""
    for candidate in items(definition):
        if candidate["code"] == code:
            return candidate
    raise ValueError(f"unknown item {code!r}")


def text(mapping, language, *, definition=None) -> str:
    """A text of the file in `language`. When the text lacks that language, falls back to the
    instrument's first language (give `definition` to know it; without it: English, else the
    first language written). "" for a missing text (e.g. an item without help)."""
    if not mapping:
        return ""
    if isinstance(mapping, str):
        return mapping
    if language in mapping:
        return mapping[language]
    order = list(definition.get("languages", [])) if definition else []
    for lang in order + ["en"]:
        if lang in mapping:
            return mapping[lang]
    return next(iter(mapping.values()))


def band(definition, code) -> dict:
    """The band with this code; ValueError if there is none."""
    for candidate in definition["bands"]:
        if candidate["code"] == code:
            return candidate
    raise ValueError(f"unknown band {code!r}")


def band_rank(definition, code) -> int:
    """The band's position, 0 for the lowest risk; ValueError for an unknown code."""
    for rank, candidate in enumerate(definition["bands"]):
        if candidate["code"] == code:
            return rank
    raise ValueError(f"unknown band {code!r}")


def bands_above(definition, code) -> list[dict]:
    """The bands of higher risk than `code`, lowest first: what an override may choose."""
    return definition["bands"][band_rank(definition, code) + 1:]


def top_band(definition) -> dict:
    """The band of the highest risk."""
    return definition["bands"][-1]


def action(definition, code) -> dict:
    """A mandated action by its code (its wording is the same in every band that names it);
    ValueError if no band has it."""
    for candidate_band in definition["bands"]:
        for candidate in candidate_band.get("actions", []):
            if candidate["code"] == code:
                return candidate
    raise ValueError(f"unknown action {code!r}")


def duration(spec) -> datetime.timedelta | None:
    """`{days: 7}` or `{hours: 72}` as a timedelta; None for no interval (e.g. a band without
    `reassess_within`: reassessment only when an event makes it due)."""
    if not spec:
        return None
    return datetime.timedelta(days=spec.get("days", 0), hours=spec.get("hours", 0))


def options(definition, item) -> list[dict]:
    """The answer options of an item (its mapping, or its code), in the file's order."""
    if isinstance(item, str):
        item = find_item(definition, item)
    return definition["answer_schemes"][item["scheme"]]["options"]
