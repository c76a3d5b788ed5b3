"""What a pilot's measures say (rete.learning.pilots): change, relative change, direction and the
count of indicators that improved, worsened or stayed the same."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rete.learning.pilots import IMPROVED, UNCHANGED, UNKNOWN, WORSENED, indicator_change, pilot_summary

EXAMPLES = settings(max_examples=200, deadline=None)
values = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2,
                     allow_nan=False, allow_infinity=False)


def test_a_higher_mean_is_an_improvement_when_higher_is_better():
    change = indicator_change(Decimal("2.80"), Decimal("3.50"), True)
    assert change.absolute == Decimal("0.70")
    assert change.relative == Decimal("25.0")
    assert change.direction == IMPROVED and change.improved and not change.worsened


def test_a_lower_value_is_an_improvement_when_lower_is_better():
    change = indicator_change(40, 30, higher_is_better=False)
    assert change.absolute == Decimal("-10") and change.relative == Decimal("-25.0")
    assert change.direction == IMPROVED
    assert indicator_change(30, 40, higher_is_better=False).direction == WORSENED


def test_relative_change_is_none_from_zero_and_rounds_to_one_decimal():
    assert indicator_change(0, 5).relative is None
    assert indicator_change(0, 5).direction == IMPROVED
    assert indicator_change(3, 4).relative == Decimal("33.3")
    assert indicator_change(3, 5).relative == Decimal("66.7")
    assert indicator_change("1.5", "1.5").direction == UNCHANGED


def test_a_negative_value_before_keeps_the_sign_of_the_change():
    change = indicator_change(-4, -2)
    assert change.absolute == 2 and change.relative == Decimal("50.0") and change.direction == IMPROVED


@pytest.mark.parametrize("pre, post", [(None, 3), (3, None), (None, None), ("", 2)])
def test_a_missing_measure_is_unknown(pre, post):
    change = indicator_change(pre, post, True)
    assert change.direction == UNKNOWN and change.absolute is None and change.relative is None


@pytest.mark.parametrize("bad", ["abc", float("nan"), float("inf"), True])
def test_what_is_not_a_number_is_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        indicator_change(bad, 1)


def test_the_summary_counts_each_direction():
    indicators = [
        {"pre_value": 1, "post_value": 2, "higher_is_better": True},
        {"pre_value": 5, "post_value": 4, "higher_is_better": False},
        {"pre_value": 5, "post_value": 4, "higher_is_better": True},
        {"pre_value": 3, "post_value": 3, "higher_is_better": True},
        {"pre_value": 3, "post_value": None, "higher_is_better": True},
    ]
    assert pilot_summary(indicators) == {"improved": 2, "worsened": 1, "unchanged": 1, "unknown": 1, "total": 5}
    assert pilot_summary([]) == {"improved": 0, "worsened": 0, "unchanged": 0, "unknown": 0, "total": 0}


def test_the_summary_reads_objects_too():
    class Row:
        pre_value, post_value, higher_is_better = Decimal("10"), Decimal("12"), False

    assert pilot_summary([Row()])["worsened"] == 1


@EXAMPLES
@given(pre=values, post=values, higher=st.booleans())
def test_the_change_is_after_minus_before_and_its_direction_follows_which_way_is_better(pre, post, higher):
    change = indicator_change(pre, post, higher)
    assert change.absolute == post - pre
    if pre == post:
        assert change.direction == UNCHANGED
    else:
        assert change.direction == (IMPROVED if (post > pre) == higher else WORSENED)
        # The other way round is the opposite verdict.
        assert indicator_change(pre, post, not higher).direction == (WORSENED if change.improved else IMPROVED)
        assert indicator_change(post, pre, higher).direction == (WORSENED if change.improved else IMPROVED)


@EXAMPLES
@given(pre=values, post=values)
def test_the_relative_change_has_the_sign_of_the_change_and_is_none_only_from_zero(pre, post):
    change = indicator_change(pre, post)
    if pre == 0:
        assert change.relative is None
        return
    assert change.relative is not None
    assert abs(change.relative - (post - pre) * 100 / abs(pre)) <= Decimal("0.05")
    if change.relative != 0:
        assert (change.relative > 0) == (change.absolute > 0)


@EXAMPLES
@given(rows=st.lists(st.fixed_dictionaries({"pre_value": st.one_of(st.none(), values),
                                            "post_value": st.one_of(st.none(), values),
                                            "higher_is_better": st.booleans()}), max_size=20))
def test_the_summary_counts_every_indicator_once(rows):
    summary = pilot_summary(rows)
    assert summary["total"] == len(rows)
    assert summary["improved"] + summary["worsened"] + summary["unchanged"] + summary["unknown"] == len(rows)
    assert summary["unknown"] == sum(1 for r in rows if r["pre_value"] is None or r["post_value"] is None)
