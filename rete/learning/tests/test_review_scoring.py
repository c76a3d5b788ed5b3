"""The arithmetic of the EIGE review (rete.learning.scoring): pure, no database."""
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rete.learning import scoring


@dataclass(frozen=True)
class C:
    key: str
    kind: str = "scored"
    weight: Decimal = Decimal(1)
    max_score: int = 5


# The default grid's scored criteria (weights 3, 2, 2, 2, 1, 1, 1, 1 → 13) and two basic ones.
GRID = [C("effective", weight=Decimal(3)), C("gender", weight=Decimal(2)), C("transferable", weight=Decimal(2)),
        C("sustainable", weight=Decimal(2)), C("inspirational"), C("intersecting"), C("transformative"),
        C("participatory"), C("gbv", kind="basic"), C("implemented", kind="basic")]
SCORED_KEYS = [c.key for c in GRID if c.kind == "scored"]


def _all(value):
    return {key: value for key in SCORED_KEYS}


def test_weighted_score_follows_the_formula():
    assert scoring.weighted_score(GRID, _all(5)) == Decimal("100.00")
    assert scoring.weighted_score(GRID, _all(0)) == Decimal("0.00")
    assert scoring.weighted_score(GRID, {**_all(0), "effective": 5}) == Decimal("23.08")  # 3/13
    # (3×4/5 + 2×3/5 + 2×3/5 + 2×2/5 + 4×1×5/5) / 13 × 100 = (2.4 + 1.2 + 1.2 + 0.8 + 4) / 13 × 100
    mixed = {"effective": 4, "gender": 3, "transferable": 3, "sustainable": 2, "inspirational": 5,
             "intersecting": 5, "transformative": 5, "participatory": 5}
    assert scoring.weighted_score(GRID, mixed) == Decimal("73.85")
    assert isinstance(scoring.weighted_score(GRID, mixed), Decimal)


def test_scores_on_different_scales_count_by_their_share_of_the_highest():
    grid = [C("a", max_score=10), C("b", max_score=2)]
    assert scoring.weighted_score(grid, {"a": 5, "b": 1}) == Decimal("50.00")
    assert scoring.weighted_score(grid, {"a": "10", "b": "2"}) == Decimal("100.00")  # numbers from a form


@pytest.mark.parametrize("bad, key", [
    ({**_all(3), "effective": 6}, "effective"),  # above the highest score
    ({**_all(3), "gender": -1}, "gender"),
    ({**_all(3), "transferable": 2.5}, "transferable"),  # not a whole number
    ({**_all(3), "sustainable": "x"}, "sustainable"),
    ({**_all(3), "inspirational": True}, "inspirational"),  # a yes is not a score
    ({**_all(3), "participatory": None}, "participatory"),
    ({key: 3 for key in SCORED_KEYS if key != "intersecting"}, "intersecting"),  # missing
    ({**_all(3), "gbv": 1}, "gbv"),  # a basic criterion is not scored
    ({**_all(3), "nonsense": 1}, "nonsense"),
])
def test_every_scored_criterion_needs_a_whole_score_in_range(bad, key):
    with pytest.raises(scoring.ScoreError) as error:
        scoring.weighted_score(GRID, bad)
    assert error.value.key == key


def test_a_grid_without_weight_cannot_be_scored():
    with pytest.raises(scoring.ScoreError):
        scoring.weighted_score([C("gbv", kind="basic")], {})
    with pytest.raises(scoring.ScoreError):
        scoring.weighted_score([C("a", weight=Decimal(0))], {"a": 1})


def test_the_basic_check_passes_only_when_every_basic_criterion_is_a_yes():
    assert scoring.basic_check_passed(GRID, {"gbv": True, "implemented": True})
    assert not scoring.basic_check_passed(GRID, {"gbv": True, "implemented": False})
    assert not scoring.basic_check_passed(GRID, {"gbv": True})  # not answered
    assert not scoring.basic_check_passed(GRID, {"gbv": True, "implemented": "yes"})  # only a real yes
    assert not scoring.basic_check_passed(GRID, None)
    assert scoring.basic_check_passed([C("a")], {})  # no basic criterion: nothing to fail


def test_aggregate_of_reviews():
    assert scoring.aggregate([]) == scoring.Aggregate(0, None, None, None, None)
    totals = scoring.aggregate([Decimal("80.00"), Decimal("60.00"), Decimal("70.01")])
    assert totals == scoring.Aggregate(3, Decimal("70.00"), Decimal("60.00"), Decimal("80.00"), Decimal("20.00"))

    class Review:
        weighted = Decimal("55.50")

    assert scoring.aggregate([Review()]).mean == Decimal("55.50")


def test_proposal_needs_enough_reviews_and_reaches_the_threshold_inclusively():
    assert scoring.proposal(Decimal(90), Decimal(60), 1, 2) is None
    assert scoring.proposal(None, Decimal(60), 0, 0) is None
    assert scoring.proposal(Decimal("60.00"), Decimal(60), 2, 2) == "promising"
    assert scoring.proposal(Decimal("59.99"), Decimal(60), 3, 2) == "not_promising"


weights = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
criteria_and_scores = st.lists(
    st.tuples(weights, st.integers(min_value=1, max_value=10)).flatmap(
        lambda wm: st.tuples(st.just(wm[0]), st.just(wm[1]), st.integers(min_value=0, max_value=wm[1]))),
    min_size=1, max_size=10)


def _grid(items):
    grid = [C(f"c{i}", weight=w, max_score=m) for i, (w, m, _s) in enumerate(items)]
    return grid, {f"c{i}": s for i, (_w, _m, s) in enumerate(items)}


@given(criteria_and_scores)
def test_the_weighted_score_is_between_0_and_100(items):
    grid, given_scores = _grid(items)
    value = scoring.weighted_score(grid, given_scores)
    assert Decimal(0) <= value <= Decimal(100)
    assert value == value.quantize(Decimal("0.01"))


@given(criteria_and_scores, st.integers(min_value=0, max_value=9))
def test_a_higher_score_never_lowers_the_weighted_score(items, index):
    grid, given_scores = _grid(items)
    index %= len(grid)
    criterion = grid[index]
    if given_scores[criterion.key] == criterion.max_score:
        return
    higher = {**given_scores, criterion.key: given_scores[criterion.key] + 1}
    assert scoring.weighted_score(grid, higher) >= scoring.weighted_score(grid, given_scores)


@given(criteria_and_scores, st.integers(min_value=2, max_value=50))
def test_only_the_proportions_of_the_weights_matter(items, factor):
    grid, given_scores = _grid(items)
    scaled = [C(c.key, weight=c.weight * factor, max_score=c.max_score) for c in grid]
    difference = scoring.weighted_score(scaled, given_scores) - scoring.weighted_score(grid, given_scores)
    assert abs(difference) <= Decimal("0.01")


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=20))
def test_the_mean_lies_between_the_lowest_and_the_highest(values):
    totals = scoring.aggregate(values)
    assert totals.count == len(values)
    assert totals.min <= totals.mean <= totals.max
    assert totals.spread == totals.max - totals.min >= 0


@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2),
       st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=5))
def test_the_proposal_is_none_exactly_when_reviews_are_missing(mean, threshold, count, needed):
    result = scoring.proposal(mean, threshold, count, needed)
    if count < needed:
        assert result is None
    else:
        assert result == ("promising" if mean >= threshold else "not_promising")
