"""Outcome questionnaires as files (part "outcomes"): the shipped ones validate; a missing
language, duplicate codes, bad options, a direction against its indicator, an unreachable
threshold, an unknown scale are refused with their location; the pure helpers (answers
checked, indicators reported, counts tallied, small numbers protected)."""
import copy
from pathlib import Path

import pytest

from rete.programmes import questionnaires as q

SHIPPED = sorted((Path(q.__file__).parent / "questionnaires").glob("*.yaml"))


def _text(word):
    return {lang: f"{word} ({lang})" for lang in q.LANGUAGES}


def minimal():
    return {
        "code": "test-outcomes",
        "version": 1,
        "respondent": "man",
        "languages": list(q.LANGUAGES),
        "title": _text("Title"),
        "licence": "Fiction for the tests.",
        "scales": {"often": [
            {"code": "never", "value": 0, "label": _text("Never")},
            {"code": "often", "value": 2, "label": _text("Often")},
            {"code": "skip", "value": None, "label": _text("Prefer not to say")},
        ]},
        "sections": [{"code": "main", "title": _text("Main"), "items": [
            {"code": "hit", "text": _text("Hit?"), "indicator": "physical_violence", "direction": "higher_is_worse",
             "scale": "often"},
            {"code": "calm", "text": _text("Calm?"), "indicator": "respectful_communication", "direction": "higher_is_better",
             "threshold": 2, "timepoints": ["end", "follow_up"], "options": [
                {"code": "no", "value": 0, "label": _text("No")}, {"code": "yes", "value": 2, "label": _text("Yes")}]},
        ]}],
    }


def where(problems):
    return {problem.location for problem in problems}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_the_shipped_questionnaires_are_valid_in_five_languages(path):
    definition = q.load_file(path)
    assert definition["code"].startswith("rete-")
    assert set(definition["languages"]) == set(q.LANGUAGES)
    assert 10 <= len(q.items(definition)) <= 15
    for item in q.items(definition):
        for lang in q.LANGUAGES:
            assert item["text"][lang].strip()
            assert all(option["label"][lang].strip() for option in item["options"])


def test_both_respondents_are_shipped_and_measure_the_core_indicators():
    shipped = {d["respondent"]: d for d in (q.load_file(p) for p in SHIPPED)}
    assert set(shipped) == {"man", "partner"}
    partner = {item["indicator"] for item in q.items(shipped["partner"])}
    assert {"fear", "physical_violence", "injury", "controlling", "children_witness", "space_for_action",
            "feeling_safe", "sexual_violence"} <= partner
    man = {item["indicator"] for item in q.items(shipped["man"])}
    assert {"physical_violence", "awareness", "safe_parenting", "respectful_communication"} <= man


def test_a_minimal_definition_is_valid():
    assert q.validate(minimal()) == []


def test_a_missing_language_is_refused_where_it_is_missing():
    definition = minimal()
    del definition["sections"][0]["items"][0]["text"]["bg"]
    del definition["scales"]["often"][1]["label"]["el"]
    problems = q.validate(definition)
    assert "sections[0].items[0].text" in where(problems)
    assert "scales.often[1].label" in where(problems)
    assert any('"bg"' in p.message for p in problems)


def test_a_questionnaire_must_be_written_in_every_language():
    definition = minimal()
    definition["languages"] = ["en", "it"]
    assert "languages" in where(q.validate(definition))
    definition = minimal()
    definition["title"]["de"] = "Titel"
    assert "title.de" in where(q.validate(definition))


def test_duplicate_codes_are_refused():
    definition = minimal()
    items = definition["sections"][0]["items"]
    items.append(copy.deepcopy(items[0]))
    definition["scales"]["often"][1]["code"] = "never"
    definition["sections"].append(copy.deepcopy(definition["sections"][0]))
    definition["sections"][1]["items"] = [dict(items[0], code="other")]
    found = where(q.validate(definition))
    assert "sections[0].items[2].code" in found  # the item code again
    assert "scales.often[1].code" in found  # an option code again in a scale
    assert "sections[1].code" in found  # a section code again


def test_bad_options_are_refused():
    definition = minimal()
    calm = definition["sections"][0]["items"][1]
    calm["options"] = [{"code": "only", "value": 1, "label": _text("Only")}]  # one option
    assert "sections[0].items[1].options" in where(q.validate(definition))
    calm["options"] = [{"code": "a", "value": None, "label": _text("A")}, {"code": "b", "value": None, "label": _text("B")}]
    assert "sections[0].items[1].options" in where(q.validate(definition))  # no numeric value
    calm["options"] = [{"code": "a", "value": "two", "label": _text("A")}, {"code": "B C", "label": _text("B")}]
    found = where(q.validate(definition))
    assert "sections[0].items[1].options[0].value" in found and "sections[0].items[1].options[1]" in found
    assert "sections[0].items[1].options[1].code" in found


def test_an_item_needs_one_known_scale_or_its_own_options():
    definition = minimal()
    definition["sections"][0]["items"][0]["scale"] = "nowhere"
    assert "sections[0].items[0].scale" in where(q.validate(definition))
    definition = minimal()
    definition["sections"][0]["items"][1]["scale"] = "often"
    assert "sections[0].items[1]" in where(q.validate(definition))
    definition = minimal()
    definition["scales"]["unused"] = definition["scales"]["often"]
    assert "scales.unused" in where(q.validate(definition))


def test_indicator_direction_threshold_and_timepoints_are_checked():
    definition = minimal()
    item = definition["sections"][0]["items"][0]
    item["direction"] = "higher_is_better"
    assert "sections[0].items[0].direction" in where(q.validate(definition))
    item["direction"], item["indicator"] = "higher_is_worse", "happiness"
    assert "sections[0].items[0].indicator" in where(q.validate(definition))
    item["indicator"], item["threshold"] = "physical_violence", 3
    assert "sections[0].items[0].threshold" in where(q.validate(definition))
    item["threshold"] = 0  # every answer would report it
    assert "sections[0].items[0].threshold" in where(q.validate(definition))
    del item["threshold"]
    definition["timepoints"] = ["intake", "end"]
    assert "sections[0].items[1].timepoints" in where(q.validate(definition))  # follow_up is not one of them
    definition["timepoints"] = ["intake", "mid"]
    definition["sections"][0]["items"][1]["timepoints"] = ["intake"]
    definition["sections"][0]["items"][0]["timepoints"] = ["intake"]
    assert "timepoints" in where(q.validate(definition))  # nothing is asked mid-way


def test_unreadable_files_and_unknown_keys_are_located():
    with pytest.raises(q.QuestionnaireError) as error:
        q.parse("code: a\ncode: b\n", filename="x.yaml")
    assert "line 2" in str(error.value)
    with pytest.raises(q.QuestionnaireError):
        q.parse(b"\xff\xfe", filename="x.yaml")
    definition = minimal()
    definition["colour"] = "blue"
    assert "colour" in where(q.validate(definition))
    assert q.validate([]) and q.validate({"code": "x"})


def test_answers_are_checked_for_the_items_asked_at_the_timepoint():
    definition = minimal()
    assert [i["code"] for i in q.items(definition, timepoint="intake")] == ["hit"]
    assert [i["code"] for i in q.items(definition, timepoint="end")] == ["hit", "calm"]
    assert q.answer_problems(definition, "intake", {"hit": "never"}) == {}
    assert set(q.answer_problems(definition, "end", {"hit": "never"})) == {"calm"}
    assert set(q.answer_problems(definition, "intake", {"hit": "sometimes"})) == {"hit"}
    assert set(q.answer_problems(definition, "intake", {"hit": "never", "calm": "yes"})) == {"calm"}


def test_reports_follow_thresholds_and_leave_out_what_has_no_value():
    definition = minimal()
    assert q.reports(definition, {"hit": "often", "calm": "no"}) == {"physical_violence": True, "respectful_communication": False}
    assert q.reports(definition, {"hit": "skip"}) == {"physical_violence": None, "respectful_communication": None}


def test_tally_counts_each_respondent_once_per_timepoint():
    definition = minimal()
    rows = [(1, "intake", 7, {"hit": "often"}), (1, "intake", 8, {"hit": "never"}),  # two questionnaires, once
            (2, "intake", 7, {"hit": "never"}), (3, "intake", 7, {"hit": "skip"}), (4, "end", 7, {"hit": "never", "calm": "yes"}),
            (5, "intake", 99, {"hit": "often"})]  # an unknown questionnaire is left out
    answered, counts = q.tally(rows, {7: definition, 8: definition})
    assert answered == {"intake": 3, "end": 1}
    assert counts[("physical_violence", "intake")] == (2, 1)
    assert counts[("respectful_communication", "end")] == (1, 1)


def test_small_numbers_are_protected():
    assert q.protect(0).value == 0 and q.protect(5).value == 5
    assert [q.protect(n).why for n in (1, 4)] == ["small", "small"]
    assert q.protect_share(4, 4)["percent"] is None
    assert q.protect_share(8, 2) == {"respondents": 8, "reporting": 2, "percent": 25}
    total, parts = q.protect_group(20, [("a", 3), ("b", 10), ("c", 7), ("d", 0)])
    shown = dict(parts)
    assert total.value == 20 and shown["a"].why == "small"
    assert shown["c"].why == "hidden" and shown["b"].value == 10 and shown["d"].value == 0  # a cannot be worked out
    _total, parts = q.protect_group(12, [("a", 3), ("b", 2), ("c", 7)])
    assert [cell.why for _key, cell in parts] == ["small", "small", ""]  # two unknowns already
