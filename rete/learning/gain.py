"""Knowledge gain (Kirkpatrick level 2): the score of a multiple-choice test, one participant's
gain from the test before the training to the test after it, and an event's figures.

Pure functions, no database. The normalised gain is Hake's: the share of what she could still
learn that she did learn, (post − pre) / (max − pre); it is undefined (None) when she already had
every answer right before the training. It is negative when the second score is lower."""
import math
import statistics
from typing import Iterable, Mapping, NamedTuple


class Gain(NamedTuple):
    raw: int  # post − pre, in points
    normalised: float | None  # Hake's (post − pre) / (max − pre); None when pre == max


def _item_key(item) -> str:
    if isinstance(item, Mapping):
        return str(item.get("id", item.get("pk")))
    return str(getattr(item, "pk", None) if getattr(item, "pk", None) is not None else getattr(item, "id"))


def _item_correct(item) -> int:
    return item["correct"] if isinstance(item, Mapping) else item.correct


def _as_index(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        if digits.isascii() and digits.isdigit():
            return int(text)
    return None


def test_score(items, answers: Mapping) -> tuple[int, int]:
    """(score, max): one point per item whose chosen option (answers: item id, as a string or a
    number → the chosen option's index) is the correct one; max is the number of items. An
    unanswered or malformed answer scores nothing."""
    items = list(items)
    chosen = {str(key): _as_index(value) for key, value in (answers or {}).items()}
    score = sum(1 for item in items if chosen.get(_item_key(item)) is not None
                and chosen[_item_key(item)] == _item_correct(item))
    return score, len(items)


test_score.__test__ = False  # not a pytest test, whatever its name


def participant_gain(pre: int, post: int, max_score: int) -> Gain:
    """Her raw and normalised gain; both scores must be within 0..max_score."""
    if max_score < 0 or not (0 <= pre <= max_score) or not (0 <= post <= max_score):
        raise ValueError("scores must lie between 0 and the highest score")
    raw = post - pre
    normalised = None if pre == max_score else raw / (max_score - pre)
    return Gain(raw, normalised)


def _mean(values):
    return sum(values) / len(values) if values else None


def event_gain(pairs: Iterable) -> dict:
    """The event's figures from (pre, post, max) per participant; a participant missing either
    test (None) is left out. Returns a plain dict:

    n: participants with both tests; mean_pre, mean_post: their mean scores (points);
    mean_raw: mean raw gain; sd_raw: its sample standard deviation (None under 2 people);
    median_raw, min_raw, max_raw; mean_normalised: mean of the normalised gains that are defined
    (None when none is); normalised_n: how many are; improved_share: share (0–1) whose score rose.
    Every figure but n is None when n is 0."""
    raws, normalised, pres, posts = [], [], [], []
    for pre, post, max_score in pairs:
        if pre is None or post is None:
            continue
        gain = participant_gain(pre, post, max_score)
        raws.append(gain.raw)
        pres.append(pre)
        posts.append(post)
        if gain.normalised is not None:
            normalised.append(gain.normalised)
    n = len(raws)
    sd = statistics.stdev(raws) if n >= 2 else None
    if sd is not None and math.isclose(sd, 0.0, abs_tol=1e-12):
        sd = 0.0
    return {
        "n": n,
        "mean_pre": _mean(pres),
        "mean_post": _mean(posts),
        "mean_raw": _mean(raws),
        "sd_raw": sd,
        "median_raw": statistics.median(raws) if n else None,
        "min_raw": min(raws) if n else None,
        "max_raw": max(raws) if n else None,
        "mean_normalised": _mean(normalised),
        "normalised_n": len(normalised),
        "improved_share": (sum(1 for raw in raws if raw > 0) / n) if n else None,
    }
