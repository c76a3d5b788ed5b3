"""Attendance rules: what absence pattern is a warning or non-compliance. Pure (no Django, no
database): records in, findings out, the same whatever the order of the records, and only from
what was known on `as_of` (records and make-ups after it are ignored). The services turn findings
into ComplianceEvents, once per finding `key`: a key, once found, stays found when more
absences are recorded (even late, for an earlier session), so no finding is ever made twice.

Rules (a pathway version's `rules`, see pathways.DEFAULT_RULES):
- warning_after_absences / non_compliance_after_absences: absences that count, in total (0: no
  such rule);
- max_consecutive_absences: that many absences that count in a row is non-compliance, once per
  run of absences (a run ends with a session he attended; an absence that does not count neither
  ends nor extends it);
- lates_per_absence: every N late arrivals count as one absence (0: never);
- excusable: the reasons that excuse an absence; max_excused_absences: beyond that many, an
  excused absence counts (0: no limit);
- make_up_within_days: an absence made up by another session within that many days counts as if
  he had attended (0: absences cannot be made up); a make-up counts from its own date on;
- oppositional_warning_after / oppositional_non_compliance_after: sessions attended with an
  oppositional attitude (being there while refusing to take part is not compliance);
- sessions_per_week: in every complete week he must attend that many sessions, or every session
  offered if fewer were offered (0: no weekly rule). A legal mandate sets the higher of the two.
"""
import datetime
from dataclasses import dataclass, field

WARNING = "warning"
NON_COMPLIANCE = "non_compliance"

PRESENT, LATE, EXCUSED, ABSENT = "present", "late", "excused", "absent"

# How each record weighs once the rules are applied.
ATTENDED, COUNTED, NOT_COUNTED = "attended", "counted", "not_counted"


@dataclass(frozen=True)
class Record:
    on: datetime.date
    status: str  # present | late | excused | absent
    excuse: str = ""
    made_up_on: datetime.date | None = None
    oppositional: bool = False
    session_id: int = 0  # a tie-breaker for two sessions on one day


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    key: str
    detail: dict = field(default_factory=dict, compare=False, hash=False)


def _get(rules, name, default=0):
    value = rules.get(name, default)
    return int(value) if value not in (None, "") else default


def _order(record):
    """A total order on records, so that nothing depends on the order they come in."""
    return (record.on, record.session_id, record.status, record.excuse, record.made_up_on or datetime.date.min,
            record.oppositional)


def _made_up(record, make_up_days, as_of) -> bool:
    if not make_up_days or record.status not in (ABSENT, EXCUSED) or record.made_up_on is None:
        return False
    if as_of is not None and record.made_up_on > as_of:
        return False  # not made up yet on that day
    return datetime.timedelta(0) <= record.made_up_on - record.on <= datetime.timedelta(days=make_up_days)


def weighed(records, rules, *, as_of=None) -> list[tuple[Record, str]]:
    """Each record in order with how it weighs: attended (present, late, or an absence made up in
    time), counted (an absence that counts against him) or not counted (an excused absence
    within the allowance)."""
    excusable = set(rules.get("excusable") or ())
    max_excused = _get(rules, "max_excused_absences")
    make_up_days = _get(rules, "make_up_within_days")
    shown, excused_so_far = [], 0
    for record in sorted(records, key=_order):
        if record.status in (PRESENT, LATE) or _made_up(record, make_up_days, as_of):
            shown.append((record, ATTENDED))
        elif record.status == EXCUSED and record.excuse in excusable and \
                (not max_excused or excused_so_far < max_excused):
            excused_so_far += 1
            shown.append((record, NOT_COUNTED))
        elif record.status in (ABSENT, EXCUSED):
            shown.append((record, COUNTED))
        else:
            shown.append((record, NOT_COUNTED))  # an unknown status weighs nothing
    return shown


def counted_absences(records, rules, *, as_of=None) -> list[Record]:
    """The absences that count against him, in date order (make-ups after `as_of` not yet
    taken into account)."""
    return [record for record, weight in weighed(records, rules, as_of=as_of) if weight == COUNTED]


def evaluate(records, rules, *, as_of: datetime.date, sessions_per_week: int = 0) -> list[Finding]:
    """Every finding the records support as of a date (records after it are ignored), sorted by
    key. `sessions_per_week` is the mandate's requirement, if any."""
    rows = weighed([r for r in records if r.on <= as_of], rules, as_of=as_of)
    findings: list[Finding] = []
    absences = [record for record, weight in rows if weight == COUNTED]
    lates_per_absence = _get(rules, "lates_per_absence")
    lates = sum(1 for record, _weight in rows if record.status == LATE)
    total = len(absences) + (lates // lates_per_absence if lates_per_absence else 0)

    warning_at, non_compliance_at = _get(rules, "warning_after_absences"), _get(rules, "non_compliance_after_absences")
    if warning_at and total >= warning_at:
        findings.append(Finding("absences", WARNING, "absences-warning", {"absences": total, "threshold": warning_at}))
    if non_compliance_at and total >= non_compliance_at:
        findings.append(Finding("absences", NON_COMPLIANCE, "absences-non-compliance",
                                {"absences": total, "threshold": non_compliance_at}))

    in_a_row = _get(rules, "max_consecutive_absences")
    if in_a_row:
        findings.extend(_in_a_row(rows, in_a_row))

    oppositional = sum(1 for record, _weight in rows if record.oppositional and record.status in (PRESENT, LATE))
    o_warning, o_non_compliance = _get(rules, "oppositional_warning_after"), _get(rules, "oppositional_non_compliance_after")
    if o_warning and oppositional >= o_warning:
        findings.append(Finding("oppositional", WARNING, "oppositional-warning", {"sessions": oppositional, "threshold": o_warning}))
    if o_non_compliance and oppositional >= o_non_compliance:
        findings.append(Finding("oppositional", NON_COMPLIANCE, "oppositional-non-compliance",
                                {"sessions": oppositional, "threshold": o_non_compliance}))

    weekly = max(_get(rules, "sessions_per_week"), int(sessions_per_week or 0))
    if weekly:
        findings.extend(_weekly(rows, weekly, as_of))
    return sorted(findings, key=lambda f: f.key)


def _in_a_row(rows, in_a_row) -> list[Finding]:
    """One finding per run of at least `in_a_row` absences that count. A run is named after the
    session he attended just before it ("first" before any), which more absences never change:
    an absence recorded late lengthens a run, it never makes a second finding for it."""
    found, seen = [], set()
    run: list = []
    anchor = "first"
    for record, weight in rows:
        if weight == ATTENDED:
            run, anchor = [], f"after-{record.on.isoformat()}-{record.session_id}"
        elif weight == COUNTED:
            run.append(record)
            if len(run) == in_a_row and anchor not in seen:
                seen.add(anchor)
                found.append(Finding("consecutive_absences", NON_COMPLIANCE, f"consecutive-{anchor}",
                                     {"absences": in_a_row, "from": run[0].on.isoformat(), "to": record.on.isoformat()}))
    return found


def _weekly(rows, weekly, as_of) -> list[Finding]:
    """Complete ISO weeks (ended before `as_of`'s week) in which he attended fewer sessions than
    required and fewer than were offered, with at least one absence that counts."""
    current = as_of.isocalendar()[:2]
    weeks: dict[tuple, dict] = {}
    for record, weight in rows:
        week = tuple(record.on.isocalendar()[:2])
        if week >= tuple(current):
            continue
        tally = weeks.setdefault(week, {"offered": 0, "attended": 0, "counted": 0})
        tally["offered"] += 1
        if weight == ATTENDED:
            tally["attended"] += 1
        elif weight == COUNTED:
            tally["counted"] += 1
    found = []
    for (year, number), tally in sorted(weeks.items()):
        required = min(weekly, tally["offered"])
        if tally["counted"] and tally["attended"] < required:
            found.append(Finding("weekly_frequency", WARNING, f"week-{year}-{number:02d}",
                                 {"year": year, "week": number, "attended": tally["attended"], "required": required}))
    return found
