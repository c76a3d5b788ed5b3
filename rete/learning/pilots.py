"""What a pilot's measures say (part "pilots"). Pure: no database, no request.

An indicator is measured before and after the pilot (the mean of a pre- and a post-questionnaire
among professionals or clients, a rate, a count). `indicator_change` tells how much it moved and
whether that is an improvement, given which way is better; `pilot_summary` counts the
indicators that improved, worsened, stayed the same or cannot be told yet."""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

IMPROVED = "improved"
WORSENED = "worsened"
UNCHANGED = "unchanged"
UNKNOWN = "unknown"
DIRECTIONS = (IMPROVED, WORSENED, UNCHANGED, UNKNOWN)

_ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Change:
    """`absolute` is after minus before; `relative` that difference as a percentage of the
    value before (of its size, so that the sign follows `absolute`), rounded to one decimal;
    None when a value is missing or the value before is 0."""

    absolute: Decimal | None
    relative: Decimal | None
    direction: str

    @property
    def improved(self) -> bool:
        return self.direction == IMPROVED

    @property
    def worsened(self) -> bool:
        return self.direction == WORSENED


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise TypeError("a measure is a number, not a yes or no")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def indicator_change(pre, post, higher_is_better=True) -> Change:
    pre, post = _number(pre), _number(post)
    if pre is None or post is None:
        return Change(None, None, UNKNOWN)
    absolute = post - pre
    relative = None
    if pre != 0:
        relative = (absolute * 100 / abs(pre)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    if absolute == 0:
        direction = UNCHANGED
    elif (absolute > 0) == bool(higher_is_better):
        direction = IMPROVED
    else:
        direction = WORSENED
    return Change(absolute, relative, direction)


def _get(indicator, name):
    if isinstance(indicator, dict):
        return indicator.get(name)
    return getattr(indicator, name, None)


def pilot_summary(indicators) -> dict:
    """{"improved": n, "worsened": n, "unchanged": n, "unknown": n, "total": n} for indicators
    given as objects or mappings with pre_value, post_value and higher_is_better."""
    counts = {direction: 0 for direction in DIRECTIONS}
    for indicator in indicators:
        higher = _get(indicator, "higher_is_better")
        change = indicator_change(_get(indicator, "pre_value"), _get(indicator, "post_value"),
                                  True if higher is None else higher)
        counts[change.direction] += 1
    counts["total"] = sum(counts[d] for d in DIRECTIONS)
    return counts
