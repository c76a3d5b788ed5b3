"""The questionnaires Rete ships for evaluating training (Kirkpatrick's levels 1 and 3), how an
answer is checked, and how the answers of an event are summed up.

Level 1, reaction: SATISFACTION_ITEMS, statements rated from 1 (strongly disagree) to 5
(strongly agree), answered once the event has started; the item on interpretation is asked only
when the event has interpretation, and may be answered "not applicable" (then it is left out of
the answers). A free comment goes with them (stored encrypted, never summed up).

Level 3, behaviour: FOLLOW_UP_ITEMS, answered some months after the event (the event's
`follow_up_after_days`, 90 by default), with free examples (stored encrypted).

Level 2, learning, is the knowledge test of each event (rete.learning.gain).

Pure module: no database. Answers are stored as {item key: value}."""
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LIKERT = "likert"
CHOICE = "choice"
NOT_APPLICABLE = "na"

AGREEMENT = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)


@dataclass(frozen=True)
class Item:
    key: str
    label: object  # a lazy translation
    kind: str = LIKERT
    choices: tuple = AGREEMENT  # (value, label); for LIKERT the values 1..5
    # May be answered "not applicable" (or left empty): it is then left out of the answers.
    optional: bool = False
    # Asked only when the event has interpretation.
    needs_interpretation: bool = False
    # For ordered choices: value → position, to give a mean (1 = lowest).
    scale: dict = field(default_factory=dict)

    def values(self):
        return [value for value, _label in self.choices]

    def choice_label(self, value):
        return next((label for v, label in self.choices if v == value), value)


SATISFACTION_ITEMS = (
    Item("overall", _("Overall, I am satisfied with this event.")),
    Item("relevance", _("What I learned is relevant to my work.")),
    Item("speakers", _("The speakers knew their subject and explained it clearly.")),
    Item("organisation", _("The event was well organised, and the materials were useful.")),
    Item("interpretation", _("The interpretation was good."), optional=True, needs_interpretation=True),
    Item("recommend", _("I would recommend this event to colleagues.")),
)

USE_FREQUENCY = (
    ("never", _("Never")),
    ("sometimes", _("Sometimes")),
    ("often", _("Often")),
    ("very_often", _("Very often")),
)
YES_NO = (("yes", _("Yes")), ("no", _("No")))

FOLLOW_UP_ITEMS = (
    Item("used", _("Since the event, how often have you used what you learned there?"), kind=CHOICE,
         choices=USE_FREQUENCY, scale={"never": 1, "sometimes": 2, "often": 3, "very_often": 4}),
    Item("changed_work", _("Have you changed how you work with victims or perpetrators because of it?"), kind=CHOICE,
         choices=YES_NO + (("not_applicable", _("Does not apply to my work")),)),
    Item("shared", _("Have you shared what you learned with colleagues?"), kind=CHOICE, choices=YES_NO),
    Item("organisation_changed", _("Has your organisation changed a procedure or protocol because of it?"),
         kind=CHOICE, choices=YES_NO + (("dont_know", _("I don't know")),)),
)

COMMENT_MAX = 4000


def items_for(items, *, interpretation: bool) -> list[Item]:
    """The items asked at an event: the one on interpretation only when it has interpretation."""
    return [item for item in items if interpretation or not item.needs_interpretation]


def _clean_one(item: Item, raw):
    """(value, error); value None means left out."""
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, (None if item.optional else gettext("Please answer this question."))
    if item.optional and raw == NOT_APPLICABLE:
        return None, None
    if item.kind == LIKERT:
        text = str(raw).strip()
        value = int(text) if text.isascii() and text.isdigit() else None
    else:
        value = str(raw).strip()
    if value not in item.values():
        return None, gettext("Choose one of the answers offered.")
    return value, None


def validate_answers(items, data) -> tuple[dict, dict]:
    """(cleaned, errors): `data` maps item keys to what was chosen (form strings or values);
    keys of other items are ignored. `cleaned` maps each answered item's key to its value (1..5
    for a rating, the choice's code otherwise); an optional item answered "not applicable" or
    left empty is left out. `errors` maps item keys to a translated message; when it is not
    empty, the answers must not be stored."""
    cleaned, errors = {}, {}
    data = data or {}
    for item in items:
        value, error = _clean_one(item, data.get(item.key))
        if error:
            errors[item.key] = error
        elif value is not None:
            cleaned[item.key] = value
    return cleaned, errors


def _answers_of(response):
    return response if isinstance(response, dict) else (getattr(response, "answers", None) or {})


def _share(count, total):
    return count / total if total else None


def satisfaction_summary(responses, items=SATISFACTION_ITEMS) -> dict:
    """Level 1 from the answers of an event (dicts, or objects with `.answers`):

    {"n": responses, "items": [{"key", "label", "n" (who rated it), "not_applicable" (who did
    not), "mean" (1–5, None if nobody rated it), "distribution": [{"value" 1..5, "label",
    "count", "share" (0–1 of "n", None when n is 0)}]}]}. Labels are plain strings in the
    active language. Values out of range are ignored."""
    answers = [_answers_of(response) for response in responses]
    rows = []
    for item in items:
        values = [a.get(item.key) for a in answers]
        rated = [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v in item.values()]
        counts = {value: 0 for value in item.values()}
        for value in rated:
            counts[value] += 1
        rows.append({
            "key": item.key, "label": str(item.label), "n": len(rated), "not_applicable": len(answers) - len(rated),
            "mean": _share(sum(rated), len(rated)),
            "distribution": [{"value": value, "label": str(label), "count": counts[value],
                              "share": _share(counts[value], len(rated))} for value, label in item.choices],
        })
    return {"n": len(answers), "items": rows}


def follow_up_summary(responses, sent_count: int, items=FOLLOW_UP_ITEMS) -> dict:
    """Level 3 from the answers of an event and the number of people it was sent to:

    {"sent": sent_count, "n": responses, "response_rate": n / sent (0–1, None when nothing was
    sent), "items": [{"key", "label", "n" (who answered it), "mean" (on the item's scale — for
    "used" 1 never … 4 very often — None for unordered items or when nobody answered),
    "distribution": [{"value" (code), "label", "count", "share" (0–1 of "n")}]}]}."""
    answers = [_answers_of(response) for response in responses]
    rows = []
    for item in items:
        given = [a.get(item.key) for a in answers if a.get(item.key) in item.values()]
        counts = {value: 0 for value in item.values()}
        for value in given:
            counts[value] += 1
        mean = None
        if item.scale and given:
            mean = sum(item.scale[value] for value in given) / len(given)
        rows.append({
            "key": item.key, "label": str(item.label), "n": len(given), "mean": mean,
            "distribution": [{"value": value, "label": str(label), "count": counts[value],
                              "share": _share(counts[value], len(given))} for value, label in item.choices],
        })
    return {"sent": sent_count, "n": len(answers), "response_rate": _share(len(answers), sent_count), "items": rows}


# ---- when each questionnaire may be answered --------------------------------------------------


@dataclass(frozen=True)
class Windows:
    """When a participant may answer (aware datetimes; a window is [opens, closes)).

    The test before the training may be answered from registration until the first session
    ends: whoever answers it during the first session has seen little of the training yet, and
    people arriving late can still take it. The test after the training opens when the last
    session starts and closes when the follow-up questionnaire is due, so the two tests measure
    the training and not what came months later. The satisfaction questionnaire opens when the
    event starts. Without sessions, the event's first and last days stand for them (in the
    event's time zone): the test before closes at the end of the first day, the test after opens
    at the start of the last day."""

    pre_closes: object
    post_opens: object
    post_closes: object
    satisfaction_opens: object

    def test_open(self, phase, now) -> bool:
        if phase == "pre":
            return now < self.pre_closes
        if phase == "post":
            return self.post_opens <= now < self.post_closes
        return False


def time_zone_of(name):
    import zoneinfo

    from django.utils import timezone

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


def _midnight(day, zone):
    import datetime

    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def answer_windows(*, starts_on, ends_on, time_zone, follow_up_after_days, sessions) -> Windows:
    """`sessions`: (starts_at, ends_at) of the event's sessions, in any order."""
    import datetime

    zone = time_zone_of(time_zone)
    # At least until the end of the last day, whatever the follow-up delay.
    post_closes = _midnight(ends_on + datetime.timedelta(days=max(follow_up_after_days or 0, 1)), zone)
    sessions = sorted(sessions)
    if sessions:
        first_start, first_end = sessions[0]
        last_start = sessions[-1][0]
        return Windows(pre_closes=first_end, post_opens=last_start, post_closes=post_closes,
                       satisfaction_opens=first_start)
    first_day = _midnight(starts_on, zone)
    return Windows(pre_closes=_midnight(starts_on + datetime.timedelta(days=1), zone), post_opens=_midnight(ends_on, zone),
                   post_closes=post_closes, satisfaction_opens=first_day)
