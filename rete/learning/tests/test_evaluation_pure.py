"""The pure modules of evaluation (part "evaluation"): scoring a test, a participant's and an
event's knowledge gain (rete.learning.gain), the shipped questionnaires, checking answers, the
summaries, and when each questionnaire may be answered (rete.learning.evaluation)."""
import datetime
import statistics
import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rete.learning import evaluation, gain

# Pure and quick, but the machine may be busy: no deadline, no complaint about slow generation.
QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- scoring -------------------------------------------------------------------------------------


def test_a_test_scores_one_point_per_right_answer():
    items = [{"id": 1, "correct": 0}, {"id": 2, "correct": 2}, {"id": 3, "correct": 1}]
    assert gain.test_score(items, {"1": 0, "2": 2, "3": 0}) == (2, 3)
    assert gain.test_score(items, {1: "0", 2: "2", 3: "1"}) == (3, 3)  # keys and values as numbers or strings
    assert gain.test_score(items, {}) == (0, 3)
    assert gain.test_score(items, {"1": "x", "2": None, "3": True}) == (0, 3)  # malformed answers score nothing
    assert gain.test_score([], {"1": 0}) == (0, 0)


def test_a_test_scores_model_like_items():
    class Item:
        def __init__(self, pk, correct):
            self.pk, self.correct = pk, correct

    assert gain.test_score([Item(7, 1), Item(8, 0)], {"7": 1, "8": 1}) == (1, 2)


@QUICK
@given(st.lists(st.integers(0, 5), max_size=20), st.data())
def test_a_score_lies_between_zero_and_the_number_of_items(corrects, data):
    items = [{"id": n, "correct": c} for n, c in enumerate(corrects)]
    answers = {str(n): data.draw(st.one_of(st.integers(-1, 6), st.none(), st.text(max_size=2))) for n in range(len(items))}
    score, top = gain.test_score(items, answers)
    assert top == len(items)
    assert 0 <= score <= top


# ---- a participant's gain ------------------------------------------------------------------------


def test_participant_gain_is_hakes():
    assert gain.participant_gain(4, 8, 10) == gain.Gain(4, 4 / 6)
    assert gain.participant_gain(0, 10, 10) == gain.Gain(10, 1.0)
    assert gain.participant_gain(5, 5, 10) == gain.Gain(0, 0.0)
    assert gain.participant_gain(6, 3, 10) == gain.Gain(-3, -0.75)  # she did worse
    assert gain.participant_gain(10, 10, 10).normalised is None  # nothing left to learn: undefined
    assert gain.participant_gain(10, 7, 10) == gain.Gain(-3, None)
    assert gain.participant_gain(0, 0, 0) == gain.Gain(0, None)


@pytest.mark.parametrize("pre, post, top", [(-1, 3, 5), (3, 6, 5), (6, 3, 5), (0, 0, -1)])
def test_participant_gain_refuses_scores_out_of_bounds(pre, post, top):
    with pytest.raises(ValueError):
        gain.participant_gain(pre, post, top)


@QUICK
@given(st.integers(1, 50).flatmap(lambda top: st.tuples(st.integers(0, top), st.integers(0, top), st.just(top))))
def test_participant_gain_bounds(scores):
    pre, post, top = scores
    result = gain.participant_gain(pre, post, top)
    assert result.raw == post - pre
    assert -top <= result.raw <= top
    if pre == top:
        assert result.normalised is None
    else:
        assert result.normalised <= 1
        assert result.normalised == pytest.approx((post - pre) / (top - pre))
        assert (result.normalised > 0) == (post > pre)
        assert result.normalised == 1 or post < top


# ---- an event's gain -----------------------------------------------------------------------------


def test_event_gain_with_nobody():
    figures = gain.event_gain([])
    assert figures["n"] == 0
    assert all(value is None for key, value in figures.items() if key not in ("n", "normalised_n"))
    assert figures["normalised_n"] == 0


def test_event_gain_with_one_participant():
    figures = gain.event_gain([(2, 5, 6)])
    assert figures["n"] == 1
    assert figures["mean_raw"] == figures["median_raw"] == figures["min_raw"] == figures["max_raw"] == 3
    assert figures["sd_raw"] is None  # no spread with one person
    assert figures["mean_normalised"] == pytest.approx(0.75)
    assert figures["improved_share"] == 1.0
    assert (figures["mean_pre"], figures["mean_post"]) == (2, 5)


def test_event_gain_counts_only_participants_with_both_tests():
    figures = gain.event_gain([(2, 5, 6), (None, 6, 6), (3, None, 6), (6, 6, 6), (4, 3, 6)])
    assert figures["n"] == 3
    assert figures["mean_raw"] == pytest.approx((3 + 0 - 1) / 3)
    assert figures["median_raw"] == 0
    assert (figures["min_raw"], figures["max_raw"]) == (-1, 3)
    assert figures["sd_raw"] == pytest.approx(statistics.stdev([3, 0, -1]))
    # The one who had everything right before has no normalised gain: the mean is over the others.
    assert figures["normalised_n"] == 2
    assert figures["mean_normalised"] == pytest.approx((0.75 + (-1 / 2)) / 2)
    assert figures["improved_share"] == pytest.approx(1 / 3)


def test_event_gain_without_spread_has_a_zero_deviation():
    assert gain.event_gain([(1, 3, 5), (2, 4, 5)])["sd_raw"] == 0


@QUICK
@given(st.integers(1, 30).flatmap(lambda top: st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, top)), st.one_of(st.none(), st.integers(0, top)), st.just(top)),
    max_size=40)))
def test_event_gain_bounds(pairs):
    figures = gain.event_gain(pairs)
    both = [(pre, post) for pre, post, _top in pairs if pre is not None and post is not None]
    assert figures["n"] == len(both)
    if not both:
        assert figures["mean_raw"] is None and figures["improved_share"] is None
        return
    raws = [post - pre for pre, post in both]
    assert figures["min_raw"] <= figures["median_raw"] <= figures["max_raw"]
    assert figures["min_raw"] - 1e-9 <= figures["mean_raw"] <= figures["max_raw"] + 1e-9
    assert figures["mean_raw"] == pytest.approx(sum(raws) / len(raws))
    assert 0 <= figures["improved_share"] <= 1
    assert (figures["sd_raw"] is None) == (len(both) < 2)
    if figures["sd_raw"] is not None:
        assert figures["sd_raw"] >= 0
    if figures["mean_normalised"] is not None:
        assert figures["mean_normalised"] <= 1


def test_event_gain_takes_percentages_too():
    figures = gain.event_gain([(50.0, 75.0, 100), (100.0, 100.0, 100)])
    assert figures["mean_raw"] == pytest.approx(12.5)
    assert figures["mean_normalised"] == pytest.approx(0.5)


# ---- the shipped questionnaires ----------------------------------------------------------------


def test_the_shipped_items():
    assert [item.key for item in evaluation.SATISFACTION_ITEMS] == [
        "overall", "relevance", "speakers", "organisation", "interpretation", "recommend"]
    assert [item.key for item in evaluation.FOLLOW_UP_ITEMS] == ["used", "changed_work", "shared", "organisation_changed"]
    assert all(item.values() == [1, 2, 3, 4, 5] for item in evaluation.SATISFACTION_ITEMS)
    assert evaluation.FOLLOW_UP_ITEMS[0].values() == ["never", "sometimes", "often", "very_often"]
    assert evaluation.FOLLOW_UP_ITEMS[1].values() == ["yes", "no", "not_applicable"]
    assert evaluation.FOLLOW_UP_ITEMS[2].values() == ["yes", "no"]
    assert evaluation.FOLLOW_UP_ITEMS[3].values() == ["yes", "no", "dont_know"]
    with_interpretation = evaluation.items_for(evaluation.SATISFACTION_ITEMS, interpretation=True)
    without = evaluation.items_for(evaluation.SATISFACTION_ITEMS, interpretation=False)
    assert "interpretation" in [i.key for i in with_interpretation]
    assert "interpretation" not in [i.key for i in without] and len(without) == 5


def test_the_items_are_translated():
    from django.utils import translation

    with translation.override("en"):
        assert str(evaluation.SATISFACTION_ITEMS[0].label) == "Overall, I am satisfied with this event."


# ---- checking answers ----------------------------------------------------------------------------


def test_validate_answers_cleans_ratings_and_choices():
    cleaned, errors = evaluation.validate_answers(evaluation.SATISFACTION_ITEMS, {
        "overall": "5", "relevance": 4, "speakers": " 3 ", "organisation": ["1", "2"], "interpretation": "na",
        "recommend": "5", "other": "ignored"})
    assert errors == {}
    assert cleaned == {"overall": 5, "relevance": 4, "speakers": 3, "organisation": 2, "recommend": 5}


def test_validate_answers_reports_each_missing_or_invalid_answer():
    cleaned, errors = evaluation.validate_answers(evaluation.SATISFACTION_ITEMS, {
        "overall": "6", "relevance": "", "speakers": "abc", "organisation": "0", "recommend": "na"})
    assert set(errors) == {"overall", "relevance", "speakers", "organisation", "recommend"}
    assert "interpretation" not in errors  # optional: may be left empty
    assert cleaned == {}


def test_validate_follow_up_answers():
    cleaned, errors = evaluation.validate_answers(evaluation.FOLLOW_UP_ITEMS, {
        "used": "often", "changed_work": "not_applicable", "shared": "maybe"})
    assert cleaned == {"used": "often", "changed_work": "not_applicable"}
    assert set(errors) == {"shared", "organisation_changed"}
    assert evaluation.validate_answers(evaluation.FOLLOW_UP_ITEMS, None)[1].keys() == {
        "used", "changed_work", "shared", "organisation_changed"}


@QUICK
@given(st.dictionaries(st.sampled_from([i.key for i in evaluation.SATISFACTION_ITEMS] + ["x"]),
                       st.one_of(st.integers(-3, 8), st.text(max_size=3), st.none())))
def test_validate_answers_never_keeps_a_value_out_of_range(data):
    cleaned, errors = evaluation.validate_answers(evaluation.SATISFACTION_ITEMS, data)
    assert all(value in (1, 2, 3, 4, 5) for value in cleaned.values())
    assert not set(cleaned) & set(errors)


# ---- summaries -----------------------------------------------------------------------------------


def test_satisfaction_summary():
    summary = evaluation.satisfaction_summary([
        {"overall": 5, "relevance": 4, "interpretation": 2},
        {"overall": 3, "relevance": 4},
        {"overall": 7, "relevance": True},  # out of range: ignored
    ])
    rows = {row["key"]: row for row in summary["items"]}
    assert summary["n"] == 3
    assert rows["overall"]["n"] == 2 and rows["overall"]["mean"] == 4
    assert [cell["count"] for cell in rows["overall"]["distribution"]] == [0, 0, 1, 0, 1]
    assert rows["overall"]["distribution"][2]["share"] == 0.5
    assert rows["relevance"]["mean"] == 4 and rows["relevance"]["n"] == 2
    assert rows["interpretation"]["n"] == 1 and rows["interpretation"]["not_applicable"] == 2
    assert rows["speakers"]["mean"] is None and rows["speakers"]["distribution"][0]["share"] is None
    assert isinstance(rows["overall"]["label"], str)


def test_satisfaction_summary_of_nobody():
    summary = evaluation.satisfaction_summary([])
    assert summary["n"] == 0 and all(row["mean"] is None for row in summary["items"])


def test_follow_up_summary():
    class Response:
        def __init__(self, answers):
            self.answers = answers

    summary = evaluation.follow_up_summary([
        Response({"used": "often", "shared": "yes"}),
        {"used": "never", "shared": "no", "changed_work": "yes"},
        {"used": "very_often", "shared": "yes", "changed_work": "bogus"},
    ], sent_count=6)
    rows = {row["key"]: row for row in summary["items"]}
    assert (summary["sent"], summary["n"], summary["response_rate"]) == (6, 3, 0.5)
    assert rows["used"]["mean"] == pytest.approx((3 + 1 + 4) / 3)
    assert rows["shared"]["mean"] is None  # not an ordered scale
    assert {cell["value"]: cell["count"] for cell in rows["shared"]["distribution"]} == {"yes": 2, "no": 1}
    assert rows["changed_work"]["n"] == 1
    assert evaluation.follow_up_summary([], 0)["response_rate"] is None


# ---- time windows --------------------------------------------------------------------------------

ROME = zoneinfo.ZoneInfo("Europe/Rome")


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ROME)


def test_windows_follow_the_sessions():
    first, last = datetime.date(2025, 3, 10), datetime.date(2025, 3, 11)
    windows = evaluation.answer_windows(starts_on=first, ends_on=last, time_zone="Europe/Rome", follow_up_after_days=90,
                                        sessions=[(_at(last, 14), _at(last, 17)), (_at(first, 9), _at(first, 12))])
    assert windows.test_open("pre", _at(first, 8)) and windows.test_open("pre", _at(first, 11))
    assert not windows.test_open("pre", _at(first, 12))  # the first session has ended
    assert not windows.test_open("post", _at(last, 13))
    assert windows.test_open("post", _at(last, 14))
    assert windows.test_open("post", _at(last + datetime.timedelta(days=89), 23))
    assert not windows.test_open("post", _at(last + datetime.timedelta(days=90), 0))  # the follow-up took over
    assert windows.satisfaction_opens == _at(first, 9)
    assert not windows.test_open("other", _at(first, 8))


def test_windows_without_sessions_use_the_days():
    first, last = datetime.date(2025, 3, 10), datetime.date(2025, 3, 12)
    windows = evaluation.answer_windows(starts_on=first, ends_on=last, time_zone="Not/AZone", follow_up_after_days=0,
                                        sessions=[])
    zone = windows.pre_closes.tzinfo
    assert windows.pre_closes == datetime.datetime(2025, 3, 11, tzinfo=zone)
    assert windows.post_opens == datetime.datetime(2025, 3, 12, tzinfo=zone)
    assert windows.post_closes == datetime.datetime(2025, 3, 13, tzinfo=zone)  # at least the whole last day
    assert windows.satisfaction_opens == datetime.datetime(2025, 3, 10, tzinfo=zone)
