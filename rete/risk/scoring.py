"""Scoring an instrument: answers in, score and band out. Pure and deterministic: no Django, no
database, no clock; the same definition and answers always give the same result, whatever the
order of the answers. The definition is one that passed rete.risk.instruments.validate().

    result = score(definition, {"strangled": "yes", "pregnant": "no"})
    result.band, result.band_rank, result.missing

Kinds (docs/risk-instruments.md):
- sum: the sum of the chosen options' values; the band whose inclusive min–max holds it.
- weighted_sum: the sum of weight × value (weight defaults to 1).
- gate_or_count: the score is the number of positive answers among the non-gate items; the
  second (higher) band applies when any gate item is answered positive or that number reaches
  `scoring.at_least`, else the first.
- judgement: no score; the band is the one the assessor judged (`judged_band`), or None.

A draft can be scored for a preview: unanswered items (absent, None or "") are simply left out
of the score and listed in `missing`. An answer naming an unknown item or an option that the
item's scheme does not have raises ValueError.
"""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoreResult:
    score: float | None  # None for judgement instruments
    band: str | None  # the computed band's code; None when no band applies (judgement not yet judged)
    band_rank: int | None  # 0 = the lowest band
    gate_triggered: bool  # gate_or_count: a gate item was answered positive
    positives: int  # answers whose option is marked positive, across all items
    answered: int
    missing: tuple[str, ...]  # codes of the items not answered yet, in the instrument's order

    @property
    def complete(self) -> bool:
        return not self.missing


def _items(definition):
    for section in definition["sections"]:
        yield from section["items"]


def _chosen(definition, answers):
    """[(item, option or None)] in the instrument's order; ValueError on unknown codes."""
    if not isinstance(answers, dict):
        raise ValueError("answers must be a mapping of item code to option code")
    schemes = definition["answer_schemes"]
    items = list(_items(definition))
    known = {item["code"] for item in items}
    unknown = sorted(str(code) for code in answers if code not in known)
    if unknown:
        raise ValueError(f"unknown item {unknown[0]!r}")
    chosen = []
    for item in items:
        answer = answers.get(item["code"])
        if answer is None or answer == "":
            chosen.append((item, None))
            continue
        option = next((o for o in schemes[item["scheme"]]["options"] if o["code"] == answer), None)
        if option is None:
            raise ValueError(f"unknown option {answer!r} for item {item['code']!r}")
        chosen.append((item, option))
    return chosen


def _band_for(bands, value):
    for rank, band in enumerate(bands):
        if band["min"] <= value <= band["max"]:
            return band["code"], rank
    return None, None


def score(definition, answers: dict, *, judged_band: str | None = None) -> ScoreResult:
    """Score `answers` ({item code: option code}). `judged_band` is the assessor's band for a
    judgement instrument (ValueError if the instrument has no such band); other kinds ignore it
    (an override is not scoring: it is recorded beside the computed band)."""
    kind = definition["scoring"]["kind"]
    bands = definition["bands"]
    chosen = _chosen(definition, answers)
    answered = [(item, option) for item, option in chosen if option is not None]
    missing = tuple(item["code"] for item, option in chosen if option is None)
    positives = sum(1 for _item, option in answered if option.get("positive") is True)
    common = {"positives": positives, "answered": len(answered), "missing": missing}

    if kind in ("sum", "weighted_sum"):
        weighted = kind == "weighted_sum"
        # fsum is exact, so the result does not depend on the order of addition.
        total = math.fsum((item.get("weight", 1) if weighted else 1) * option.get("value", 0) for item, option in answered)
        total = round(total, 9) + 0.0  # +0.0: never -0.0
        code, rank = _band_for(bands, total)
        return ScoreResult(score=float(total), band=code, band_rank=rank, gate_triggered=False, **common)

    if kind == "gate_or_count":
        gate = any(item.get("gate") is True and option.get("positive") is True for item, option in answered)
        count = sum(1 for item, option in answered if item.get("gate") is not True and option.get("positive") is True)
        rank = 1 if gate or count >= definition["scoring"]["at_least"] else 0
        return ScoreResult(score=float(count), band=bands[rank]["code"], band_rank=rank, gate_triggered=gate, **common)

    if kind == "judgement":
        if judged_band is None or judged_band == "":
            return ScoreResult(score=None, band=None, band_rank=None, gate_triggered=False, **common)
        for rank, band in enumerate(bands):
            if band["code"] == judged_band:
                return ScoreResult(score=None, band=judged_band, band_rank=rank, gate_triggered=False, **common)
        raise ValueError(f"unknown band {judged_band!r}")

    raise ValueError(f"unknown scoring kind {kind!r}")
