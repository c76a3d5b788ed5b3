"""Attendance rules: what absence pattern is a warning or non-compliance. Pure (no Django, no
database): records in, findings out, the same whatever the order of the records. The services
turn findings into ComplianceEvents, once per finding `key`.

Rules (a pathway version's `rules`, see pathways.DEFAULT_RULES):
- warning_after_absences / non_compliance_after_absences: unexcused absences in total;
- max_consecutive_absences: that many unexcused absences in a row is non-compliance;
- lates_per_absence: every N late arrivals count as one unexcused absence (0: never);
- excusable: the reasons that excuse an absence; max_excused_absences: beyond that many, an
  excused absence counts as unexcused (0: no limit);
- make_up_within_days: an absence made up by another session within that many days does not
  count (0: absences cannot be made up);
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


def counted_absences(records, rules) -> list[Record]:
    """The absences that count against him, in date order."""
    excusable = set(rules.get("excusable") or ())
    max_excused = _get(rules, "max_excused_absences")
    make_up_days = _get(rules, "make_up_within_days")
    counted, excused_so_far = [], 0
    for record in sorted(records, key=lambda r: (r.on, r.session_id)):
        if record.status not in (ABSENT, EXCUSED):
            continue
        if make_up_days and record.made_up_on is not None and \
                datetime.timedelta(0) <= record.made_up_on - record.on <= datetime.timedelta(days=make_up_days):
            continue
        if record.status == EXCUSED and record.excuse in excusable:
            excused_so_far += 1
            if not max_excused or excused_so_far <= max_excused:
                continue
        counted.append(record)
    return counted


def evaluate(records, rules, *, as_of: datetime.date, sessions_per_week: int = 0) -> list[Finding]:
    """Every finding the records support as of a date (records after it are ignored), sorted by
    key. `sessions_per_week` is the mandate's requirement, if any."""
    records = sorted((r for r in records if r.on <= as_of), key=lambda r: (r.on, r.session_id))
    findings: list[Finding] = []
    absences = counted_absences(records, rules)
    lates_per_absence = _get(rules, "lates_per_absence")
    lates = sum(1 for r in records if r.status == LATE)
    total = len(absences) + (lates // lates_per_absence if lates_per_absence else 0)

    warning_at, non_compliance_at = _get(rules, "warning_after_absences"), _get(rules, "non_compliance_after_absences")
    if warning_at and total >= warning_at:
        findings.append(Finding("absences", WARNING, "absences-warning", {"absences": total, "threshold": warning_at}))
    if non_compliance_at and total >= non_compliance_at:
        findings.append(Finding("absences", NON_COMPLIANCE, "absences-non-compliance",
                                {"absences": total, "threshold": non_compliance_at}))

    in_a_row = _get(rules, "max_consecutive_absences")
    if in_a_row:
        counted_ids = {(r.on, r.session_id) for r in absences}
        run: list[Record] = []
        for record in records:
            if (record.on, record.session_id) in counted_ids:
                run.append(record)
                if len(run) == in_a_row:
                    findings.append(Finding("consecutive_absences", NON_COMPLIANCE, f"consecutive-{run[0].on.isoformat()}",
                                            {"absences": in_a_row, "from": run[0].on.isoformat(), "to": record.on.isoformat()}))
            elif record.status in (PRESENT, LATE):
                run = []  # an absence that does not count neither breaks nor extends a run

    oppositional = sum(1 for r in records if r.oppositional and r.status in (PRESENT, LATE))
    o_warning, o_non_compliance = _get(rules, "oppositional_warning_after"), _get(rules, "oppositional_non_compliance_after")
    if o_warning and oppositional >= o_warning:
        findings.append(Finding("oppositional", WARNING, "oppositional-warning", {"sessions": oppositional, "threshold": o_warning}))
    if o_non_compliance and oppositional >= o_non_compliance:
        findings.append(Finding("oppositional", NON_COMPLIANCE, "oppositional-non-compliance",
                                {"sessions": oppositional, "threshold": o_non_compliance}))

    weekly = max(_get(rules, "sessions_per_week"), int(sessions_per_week or 0))
    if weekly:
        findings.extend(_weekly(records, absences, weekly, as_of))
    return sorted(findings, key=lambda f: f.key)


def _weekly(records, absences, weekly, as_of) -> list[Finding]:
    """Complete ISO weeks (ended before `as_of`'s week) in which he attended fewer sessions than
    required and fewer than were offered, with at least one absence that counts."""
    current = as_of.isocalendar()[:2]
    counted_ids = {(r.on, r.session_id) for r in absences}
    weeks: dict[tuple, dict] = {}
    for record in records:
        week = record.on.isocalendar()[:2]
        if week >= current:
            continue
        tally = weeks.setdefault(week, {"offered": 0, "attended": 0, "counted": 0})
        tally["offered"] += 1
        if record.status in (PRESENT, LATE):
            tally["attended"] += 1
        if (record.on, record.session_id) in counted_ids:
            tally["counted"] += 1
    found = []
    for (year, number), tally in sorted(weeks.items()):
        required = min(weekly, tally["offered"])
        if tally["counted"] and tally["attended"] < required:
            found.append(Finding("weekly_frequency", WARNING, f"week-{year}-{number:02d}",
                                 {"year": year, "week": number, "attended": tally["attended"], "required": required}))
    return found
