"""The arithmetic of the EIGE review (part "practice-review"), pure: no database, no request.

A practice first meets every basic criterion (yes or no); then each reviewer scores it on the
scored criteria of the grid, from 0 to the criterion's highest score. Her weighted score is

    sum(weight × score / max_score) / sum(weights) × 100

over the scored criteria, 0–100 with two decimals. The reviews of a practice are summed up by
their mean, lowest, highest and spread; with enough reviews, a mean at or above the grid's
threshold proposes the practice as promising. A criterion is anything with `key`, `kind`,
`weight` and `max_score` (a ReviewCriterion, or a plain object in tests)."""
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

BASIC = "basic"
SCORED = "scored"
PROMISING = "promising"
NOT_PROMISING = "not_promising"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class ScoreError(ValueError):
    """A score that cannot be used: `key` names the criterion (empty for the whole grid)."""

    def __init__(self, message, key=""):
        super().__init__(message)
        self.key = key


class Aggregate(NamedTuple):
    count: int
    mean: Decimal | None
    min: Decimal | None
    max: Decimal | None
    spread: Decimal | None


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def basic_criteria(criteria) -> list:
    return [c for c in criteria if c.kind == BASIC]


def scored_criteria(criteria) -> list:
    return [c for c in criteria if c.kind == SCORED]


def basic_check_passed(criteria, answers: dict) -> bool:
    """True when every basic criterion is answered yes (a grid without basic criteria passes)."""
    answers = answers or {}
    return all(answers.get(c.key) is True for c in basic_criteria(criteria))


def _as_score(value, criterion) -> int:
    if isinstance(value, bool) or value is None:
        raise ScoreError("missing or not a number", criterion.key)
    try:
        number = Decimal(str(value).strip())
    except Exception:  # noqa: BLE001 (InvalidOperation and friends: not a number)
        raise ScoreError("not a number", criterion.key) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ScoreError("not a whole number", criterion.key)
    number = int(number)
    if number < 0 or number > int(criterion.max_score):
        raise ScoreError("out of range", criterion.key)
    return number


def clean_scores(criteria, scores: dict) -> dict:
    """The scores as whole numbers, one for every scored criterion and nothing else; ScoreError
    names the first criterion that is missing, not a whole number or out of 0..max_score."""
    scores = scores or {}
    scored = scored_criteria(criteria)
    known = {c.key for c in scored}
    unknown = sorted(str(k) for k in scores if k not in known)
    if unknown:
        raise ScoreError("not a scored criterion of the grid", unknown[0])
    return {c.key: _as_score(scores.get(c.key), c) for c in scored}


def weighted_score(criteria, scores: dict) -> Decimal:
    """sum(weight × score/max_score) / sum(weights) × 100 over the scored criteria, 0–100,
    rounded to two decimals."""
    scored = scored_criteria(criteria)
    cleaned = clean_scores(criteria, scores)
    for c in scored:
        if Decimal(c.weight) <= 0 or int(c.max_score) < 1:
            raise ScoreError("a scored criterion needs a positive weight and highest score", c.key)
    total_weight = sum((Decimal(c.weight) for c in scored), Decimal(0))
    if not scored or total_weight <= 0:
        raise ScoreError("the grid has no scored criterion")
    points = sum((Decimal(c.weight) * Decimal(cleaned[c.key]) / Decimal(int(c.max_score)) for c in scored), Decimal(0))
    return _round(points / total_weight * HUNDRED)


def aggregate(reviews) -> Aggregate:
    """Mean, lowest, highest and spread of weighted scores (numbers, or objects with
    `weighted`); all None for no review."""
    values = [Decimal(getattr(r, "weighted", r)) for r in reviews]
    if not values:
        return Aggregate(0, None, None, None, None)
    low, high = min(values), max(values)
    return Aggregate(len(values), _round(sum(values, Decimal(0)) / len(values)), low, high, high - low)


def proposal(mean, threshold, reviews_count: int, reviews_needed: int) -> str | None:
    """"promising" when the mean reaches the threshold, "not_promising" below it; None until
    the grid's number of reviews is in."""
    if mean is None or reviews_count < max(int(reviews_needed), 1):
        return None
    return PROMISING if Decimal(mean) >= Decimal(threshold) else NOT_PROMISING
