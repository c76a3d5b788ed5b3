"""Scoring is pure and deterministic: properties for every kind (hypothesis), exact examples at
the band boundaries."""
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rete.risk import instruments, scoring
from rete.risk.tests.fixtures import definition

COUNT = definition("count-24")
WEIGHTED = definition("weighted-20")
GATE = definition("gate-11")
JUDGEMENT = definition("judgement-20")
BY_NAME = {"count-24": COUNT, "weighted-20": WEIGHTED, "gate-11": GATE, "judgement-20": JUDGEMENT}

SETTINGS = settings(max_examples=150, deadline=None)


def option_codes(defn, item):
    return [o["code"] for o in instruments.options(defn, item)]


def answers_for(defn, *, complete=False):
    """Answers to some (or every) item of an instrument, as a dict."""
    per_item = []
    for item in instruments.items(defn):
        choices = option_codes(defn, item)
        per_item.append(st.sampled_from(choices if complete else choices + [None]).map(lambda c, code=item["code"]: (code, c)))
    return st.tuples(*per_item).map(lambda pairs: {code: c for code, c in pairs if c is not None})


def yes_count(answers, codes=None):
    return sum(1 for code, answer in answers.items() if answer == "yes" and (codes is None or code in codes))


# ---- every kind: determinism, order of the answers, missing items ----


@pytest.mark.parametrize("name", list(BY_NAME))
@SETTINGS
@given(data=st.data())
def test_same_answers_in_any_order_give_the_same_result(name, data):
    defn = BY_NAME[name]
    answers = data.draw(answers_for(defn))
    judged = data.draw(st.sampled_from([None] + [b["code"] for b in defn["bands"]])) if name == "judgement-20" else None
    shuffled = list(answers.items())
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    first = scoring.score(defn, answers, judged_band=judged)
    assert scoring.score(defn, dict(shuffled), judged_band=judged) == first
    assert scoring.score(defn, dict(answers), judged_band=judged) == first  # and again: nothing remembered


@pytest.mark.parametrize("name", list(BY_NAME))
@SETTINGS
@given(data=st.data())
def test_missing_lists_exactly_the_unanswered_items_in_order(name, data):
    defn = BY_NAME[name]
    answers = data.draw(answers_for(defn))
    result = scoring.score(defn, answers)
    codes = [item["code"] for item in instruments.items(defn)]
    assert result.missing == tuple(code for code in codes if code not in answers)
    assert result.answered == len(answers)
    assert result.complete == (len(answers) == len(codes))


@pytest.mark.parametrize("name", list(BY_NAME))
@SETTINGS
@given(data=st.data())
def test_unknown_item_or_option_raises(name, data):
    defn = BY_NAME[name]
    answers = data.draw(answers_for(defn))
    codes = {item["code"] for item in instruments.items(defn)}
    stranger = data.draw(st.text(min_size=1, max_size=12))
    assume(stranger not in codes)
    with pytest.raises(ValueError, match="unknown item"):
        scoring.score(defn, {**answers, stranger: "yes"})
    item = data.draw(st.sampled_from(instruments.items(defn)))
    bad = data.draw(st.text(min_size=1, max_size=12))
    assume(bad not in option_codes(defn, item))
    with pytest.raises(ValueError, match="unknown option"):
        scoring.score(defn, {**answers, item["code"]: bad})


def test_empty_answers_count_as_unanswered():
    result = scoring.score(COUNT, {"c01": "", "c02": None, "c03": "yes"})
    assert result.answered == 1 and "c01" in result.missing and "c02" in result.missing and result.score == 1


def test_answers_must_be_a_mapping():
    with pytest.raises(ValueError):
        scoring.score(COUNT, [("c01", "yes")])


# ---- sum (count-24) ----


@SETTINGS
@given(answers=answers_for(COUNT))
def test_count_score_is_the_number_of_yes(answers):
    result = scoring.score(COUNT, answers)
    assert result.score == yes_count(answers)
    assert result.positives == yes_count(answers)
    assert result.band == ("high" if result.score >= 14 else "standard")
    assert result.band_rank == (1 if result.score >= 14 else 0)
    assert result.gate_triggered is False


@pytest.mark.parametrize("name", ["count-24", "weighted-20"])
@SETTINGS
@given(data=st.data())
def test_adding_a_yes_never_lowers_the_score_or_the_band(name, data):
    defn = BY_NAME[name]
    answers = data.draw(answers_for(defn))
    item = data.draw(st.sampled_from(instruments.items(defn)))
    assume(answers.get(item["code"]) != "yes")
    before = scoring.score(defn, answers)
    after = scoring.score(defn, {**answers, item["code"]: "yes"})
    assert after.score >= before.score
    assert after.band_rank >= before.band_rank
    assert after.score == before.score + item.get("weight", 1)


@pytest.mark.parametrize("yes, band", [(0, "standard"), (13, "standard"), (14, "high"), (24, "high")])
def test_count_boundaries(yes, band):
    codes = [item["code"] for item in instruments.items(COUNT)]
    answers = {code: ("yes" if n < yes else "no") for n, code in enumerate(codes)}
    result = scoring.score(COUNT, answers)
    assert (result.score, result.band, result.missing) == (yes, band, ())


def test_not_known_counts_with_its_value():
    codes = [item["code"] for item in instruments.items(COUNT)]
    answers = {code: "unknown" for code in codes} | {code: "yes" for code in codes[:13]}
    assert scoring.score(COUNT, answers).band == "standard"
    # A preview of a draft: 14 answered yes, 10 left, is already high.
    partial = {code: "yes" for code in codes[:14]}
    result = scoring.score(COUNT, partial)
    assert (result.band, len(result.missing)) == ("high", 10)


# ---- weighted_sum (weighted-20) ----


@SETTINGS
@given(answers=answers_for(WEIGHTED))
def test_weighted_score_is_the_sum_of_the_weights_of_yes(answers):
    weights = {item["code"]: item["weight"] for item in instruments.items(WEIGHTED)}
    result = scoring.score(WEIGHTED, answers)
    assert result.score == sum(weights[code] for code, answer in answers.items() if answer == "yes")
    band = instruments.band(WEIGHTED, result.band)
    assert band["min"] <= result.score <= band["max"]
    assert result.band_rank == instruments.band_rank(WEIGHTED, result.band)


@pytest.mark.parametrize("score, band", [(0, "low"), (7, "low"), (8, "moderate"), (13, "moderate"), (14, "serious"),
                                         (17, "serious"), (18, "extreme"), (50, "extreme")])
def test_weighted_boundaries(score, band):
    # Pick yes answers adding up to `score`: heaviest first, then fill in.
    items = sorted(instruments.items(WEIGHTED), key=lambda i: -i["weight"])
    answers, total = {}, 0
    for item in items:
        if total + item["weight"] <= score:
            answers[item["code"]] = "yes"
            total += item["weight"]
        else:
            answers[item["code"]] = "no"
    assert total == score
    result = scoring.score(WEIGHTED, answers)
    assert (result.score, result.band) == (score, band)


# ---- gate_or_count (gate-11) ----

GATES = {item["code"] for item in instruments.items(GATE) if item.get("gate")}


@SETTINGS
@given(answers=answers_for(GATE))
def test_any_gate_yes_or_four_of_the_rest(answers):
    result = scoring.score(GATE, answers)
    gate = any(answers.get(code) == "yes" for code in GATES)
    counted = yes_count(answers) - yes_count(answers, GATES)
    assert result.gate_triggered == gate
    assert result.score == counted
    if gate:
        assert result.band == "triggered"
    else:
        assert (result.band == "triggered") == (counted >= 4)
    assert result.band_rank == (1 if result.band == "triggered" else 0)


@SETTINGS
@given(answers=answers_for(GATE), gate=st.sampled_from(sorted(GATES)))
def test_a_gate_yes_always_triggers(answers, gate):
    assert scoring.score(GATE, {**answers, gate: "yes"}).band == "triggered"


@pytest.mark.parametrize("gates, others, band", [(0, 0, "not-triggered"), (0, 3, "not-triggered"), (0, 4, "triggered"),
                                                 (1, 0, "triggered"), (0, 8, "triggered")])
def test_gate_boundaries(gates, others, band):
    items = instruments.items(GATE)
    gate_codes = [i["code"] for i in items if i.get("gate")]
    other_codes = [i["code"] for i in items if not i.get("gate")]
    answers = {code: ("yes" if n < gates else "no") for n, code in enumerate(gate_codes)}
    answers |= {code: ("yes" if n < others else "unknown") for n, code in enumerate(other_codes)}
    assert scoring.score(GATE, answers).band == band


# ---- judgement (judgement-20) ----


@SETTINGS
@given(answers=answers_for(JUDGEMENT), judged=st.sampled_from(["low", "medium", "high"]))
def test_judged_band_passes_through(answers, judged):
    result = scoring.score(JUDGEMENT, answers, judged_band=judged)
    assert (result.score, result.band, result.band_rank) == (None, judged, ["low", "medium", "high"].index(judged))


@SETTINGS
@given(answers=answers_for(JUDGEMENT), judged=st.text(min_size=1, max_size=10))
def test_unknown_judged_band_raises(answers, judged):
    assume(judged not in {"low", "medium", "high"})
    with pytest.raises(ValueError, match="unknown band"):
        scoring.score(JUDGEMENT, answers, judged_band=judged)


def test_judgement_without_a_judged_band_has_no_band():
    result = scoring.score(JUDGEMENT, {"f01": "present"})
    assert (result.score, result.band, result.band_rank, result.answered) == (None, None, None, 1)


def test_a_judged_band_does_not_change_a_computed_kind():
    assert scoring.score(COUNT, {}, judged_band="high").band == "standard"


# ---- any valid sum instrument: its bands hold every possible score ----


@st.composite
def sum_instruments(draw):
    """A random, valid sum or weighted_sum instrument with contiguous bands."""
    kind = draw(st.sampled_from(["sum", "weighted_sum"]))
    values = draw(st.lists(st.integers(0, 3), min_size=2, max_size=4, unique=True))
    weights = draw(st.lists(st.integers(1, 4), min_size=1, max_size=8))
    if kind == "sum":
        weights = [1] * len(weights)
    low, high = min(values) * sum(weights), max(values) * sum(weights)
    reachable = {0}
    for w in weights:
        reachable = {r + w * v for r in reachable for v in values}
    # Each band starts at a reachable score, so none is empty (the validator refuses empty bands).
    above_lowest = sorted(reachable - {low})
    cuts = sorted(draw(st.sets(st.sampled_from(above_lowest), max_size=3))) if above_lowest else []
    starts = [low] + cuts
    ends = [c - 1 for c in cuts] + [high]
    label = {"en": "x"}
    return {
        "code": "generated", "version": 1, "assesses": "victim", "languages": ["en"], "title": label, "licence": "test",
        "answer_schemes": {"scale": {"options": [{"code": f"o{v}", "value": v, "label": label} for v in values]}},
        "scoring": {"kind": kind},
        "sections": [{"code": "s", "title": label, "items": [
            {"code": f"i{n}", "text": label, "scheme": "scale", **({"weight": w} if kind == "weighted_sum" else {})}
            for n, w in enumerate(weights)]}],
        "bands": [{"code": f"b{n}", "label": label, "min": s, "max": e} for n, (s, e) in enumerate(zip(starts, ends))],
    }


@SETTINGS
@given(data=st.data())
def test_generated_sum_instruments_validate_and_every_complete_answer_has_a_band(data):
    defn = data.draw(sum_instruments())
    assert instruments.validate(defn) == []
    answers = data.draw(answers_for(defn, complete=True))
    result = scoring.score(defn, answers)
    assert result.band is not None and not result.missing
    band = instruments.band(defn, result.band)
    assert band["min"] <= result.score <= band["max"]


@SETTINGS
@given(data=st.data())
def test_a_gap_in_generated_bands_is_found(data):
    defn = data.draw(sum_instruments())
    assume(len(defn["bands"]) >= 2)
    n = data.draw(st.integers(1, len(defn["bands"]) - 1))
    band = defn["bands"][n]
    assume(band["max"] > band["min"])
    band["min"] += 1  # score band["min"] - 1 … is reachable whenever the values are consecutive
    problems = instruments.validate(defn)
    values = sorted(o["value"] for o in defn["answer_schemes"]["scale"]["options"])
    if values == list(range(values[0], values[-1] + 1)) and defn["scoring"]["kind"] == "sum":
        assert any(p.location == f"bands[{n}].min" for p in problems), problems
