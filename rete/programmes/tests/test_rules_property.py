"""The attendance rules (rete.programmes.rules) are pure: properties that hold for any records
and any rules, then an example with explicit dates for each rule."""
import datetime
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from rete.programmes import pathways, rules
from rete.programmes.rules import ABSENT, EXCUSED, LATE, NON_COMPLIANCE, PRESENT, WARNING, Record

MONDAY = datetime.date(2026, 1, 5)  # a Monday: ISO week 2 of 2026
EXAMPLES = settings(max_examples=150, deadline=None)
ABSENCE_RULES = {"absences", "consecutive_absences", "weekly_frequency"}


def day(n):
    return MONDAY + datetime.timedelta(days=n)


def full(findings):
    """Findings with their details (equality of Finding leaves the detail out)."""
    return [(f.rule, f.level, f.key, tuple(sorted(f.detail.items()))) for f in findings]


# ---- strategies ------------------------------------------------------------------------------------

small = st.integers(min_value=0, max_value=6)
rule_sets = st.fixed_dictionaries({
    "warning_after_absences": small,
    "non_compliance_after_absences": small,
    "max_consecutive_absences": small,
    "lates_per_absence": small,
    "excusable": st.lists(st.sampled_from(sorted(pathways.EXCUSES)), unique=True),
    "max_excused_absences": small,
    "make_up_within_days": st.integers(min_value=0, max_value=20),
    "oppositional_warning_after": small,
    "oppositional_non_compliance_after": small,
    "sessions_per_week": st.integers(min_value=0, max_value=3),
})
record_parts = st.tuples(
    st.integers(min_value=0, max_value=60),  # day
    st.sampled_from([PRESENT, LATE, EXCUSED, ABSENT]),
    st.sampled_from(["", *sorted(pathways.EXCUSES)]),
    st.one_of(st.none(), st.integers(min_value=-2, max_value=25)),  # made up that many days later
    st.booleans(),  # oppositional
)


def build(parts) -> list[Record]:
    """Records with unique session ids (one attendance per session, as in the database)."""
    made = []
    for index, (offset, status, excuse, made_up, oppositional) in enumerate(parts):
        absent = status in (ABSENT, EXCUSED)
        made.append(Record(on=day(offset), status=status, excuse=excuse if status == EXCUSED else "",
                           made_up_on=day(offset + made_up) if absent and made_up is not None else None,
                           oppositional=oppositional and not absent, session_id=index + 1))
    return made


record_lists = st.lists(record_parts, max_size=30).map(build)
as_of_days = st.integers(min_value=0, max_value=75).map(day)
mandates = st.integers(min_value=0, max_value=3)


# ---- properties ------------------------------------------------------------------------------------

@EXAMPLES
@given(days=st.lists(st.integers(min_value=0, max_value=60), max_size=30), rule_set=rule_sets, as_of=as_of_days,
       mandate=mandates)
def test_all_present_finds_nothing(days, rule_set, as_of, mandate):
    records = [Record(on=day(n), status=PRESENT, session_id=i + 1) for i, n in enumerate(days)]
    assert rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate) == []


@EXAMPLES
@given(data=st.data(), rule_set=rule_sets, as_of=as_of_days, mandate=mandates)
def test_excused_absences_within_the_allowance_are_no_absence_finding(data, rule_set, as_of, mandate):
    excusable = rule_set["excusable"] or ["illness"]
    rule_set = {**rule_set, "excusable": excusable}
    allowance = rule_set["max_excused_absences"] or 30
    days = data.draw(st.lists(st.integers(min_value=0, max_value=60), max_size=30))
    excused = data.draw(st.sets(st.integers(min_value=0, max_value=max(len(days) - 1, 0)), max_size=allowance))
    records = [Record(on=day(n), status=EXCUSED if i in excused else PRESENT,
                      excuse=data.draw(st.sampled_from(excusable)) if i in excused else "", session_id=i + 1)
               for i, n in enumerate(days)]
    findings = rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate)
    assert not [f for f in findings if f.rule in ABSENCE_RULES]


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates, seed=st.randoms())
def test_the_order_of_the_records_does_not_matter(records, rule_set, as_of, mandate, seed):
    shuffled = list(records)
    seed.shuffle(shuffled)
    assert full(rules.evaluate(shuffled, rule_set, as_of=as_of, sessions_per_week=mandate)) == \
        full(rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate))
    assert rules.counted_absences(shuffled, rule_set, as_of=as_of) == rules.counted_absences(records, rule_set, as_of=as_of)


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates,
       added=st.lists(st.integers(min_value=0, max_value=75), min_size=1, max_size=4))
def test_another_absence_never_takes_a_finding_away(records, rule_set, as_of, mandate, added):
    before = set(rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate))
    more = records + [Record(on=day(n), status=ABSENT, session_id=1000 + i) for i, n in enumerate(added)]
    after = set(rules.evaluate(more, rule_set, as_of=as_of, sessions_per_week=mandate))
    assert before <= after


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates, data=st.data())
def test_an_absence_made_up_in_time_counts_like_a_present(records, rule_set, as_of, mandate, data):
    window = data.draw(st.integers(min_value=1, max_value=20))
    rule_set = {**rule_set, "make_up_within_days": window}
    index = data.draw(st.integers(min_value=0, max_value=len(records)))
    on = day(data.draw(st.integers(min_value=0, max_value=60)))
    made_up_on = on + datetime.timedelta(days=data.draw(st.integers(min_value=0, max_value=window)))
    status = data.draw(st.sampled_from([ABSENT, EXCUSED]))
    excuse = data.draw(st.sampled_from(["", *sorted(pathways.EXCUSES)])) if status == EXCUSED else ""
    made_up = Record(on=on, status=status, excuse=excuse, made_up_on=made_up_on, session_id=500)
    present = Record(on=on, status=PRESENT, session_id=500)
    as_of = max(as_of, made_up_on)  # the make-up has happened
    with_made_up = records[:index] + [made_up] + records[index:]
    with_present = records[:index] + [present] + records[index:]
    assert full(rules.evaluate(with_made_up, rule_set, as_of=as_of, sessions_per_week=mandate)) == \
        full(rules.evaluate(with_present, rule_set, as_of=as_of, sessions_per_week=mandate))


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates)
def test_keys_are_unique(records, rule_set, as_of, mandate):
    keys = [f.key for f in rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate)]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys)


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates,
       later=st.lists(record_parts, max_size=10))
def test_findings_never_look_past_as_of(records, rule_set, as_of, mandate, later):
    """What happened after `as_of` (sessions, make-ups) changes nothing."""
    known = [Record(on=r.on, status=r.status, excuse=r.excuse,
                    made_up_on=r.made_up_on if r.made_up_on and r.made_up_on <= as_of else None,
                    oppositional=r.oppositional, session_id=r.session_id)
             for r in records if r.on <= as_of]
    future = [Record(on=as_of + datetime.timedelta(days=1 + r.on.toordinal() % 30), status=r.status, excuse=r.excuse,
                     oppositional=r.oppositional, session_id=2000 + i) for i, r in enumerate(build(later))]
    expected = full(rules.evaluate(known, rule_set, as_of=as_of, sessions_per_week=mandate))
    assert full(rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate)) == expected
    assert full(rules.evaluate(records + future, rule_set, as_of=as_of, sessions_per_week=mandate)) == expected


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates)
def test_weekly_findings_only_for_complete_weeks_before_as_of(records, rule_set, as_of, mandate):
    this_week = as_of.isocalendar()[:2]
    for finding in rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate):
        if finding.rule == "weekly_frequency":
            assert (finding.detail["year"], finding.detail["week"]) < tuple(this_week)
            assert finding.detail["attended"] < finding.detail["required"] <= max(rule_set["sessions_per_week"], mandate)


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days, mandate=mandates)
def test_a_warning_that_comes_first_is_there_with_non_compliance(records, rule_set, as_of, mandate):
    found = {(f.rule, f.level) for f in rules.evaluate(records, rule_set, as_of=as_of, sessions_per_week=mandate)}
    for rule, warning, non_compliance in (("absences", "warning_after_absences", "non_compliance_after_absences"),
                                          ("oppositional", "oppositional_warning_after",
                                           "oppositional_non_compliance_after")):
        if 0 < rule_set[warning] <= rule_set[non_compliance] and (rule, NON_COMPLIANCE) in found:
            assert (rule, WARNING) in found


@EXAMPLES
@given(records=record_lists, rule_set=rule_sets, as_of=as_of_days)
def test_counted_absences_are_absences_on_or_before_as_of_when_filtered(records, rule_set, as_of):
    counted = rules.counted_absences([r for r in records if r.on <= as_of], rule_set, as_of=as_of)
    assert all(r.status in (ABSENT, EXCUSED) and r.on <= as_of for r in counted)
    assert counted == sorted(counted, key=lambda r: (r.on, r.session_id))


# ---- each rule, with explicit dates -------------------------------------------------------------------

NONE = {**pathways.EMPTY_RULES}


def rec(n, status=PRESENT, **values):
    rec.counter += 1
    return Record(on=day(n), status=status, session_id=values.pop("session_id", rec.counter), **values)


rec.counter = 0


def keys(records, rule_set, as_of=day(60), **kwargs):
    return [(f.rule, f.level, f.key) for f in rules.evaluate(records, {**NONE, **rule_set}, as_of=as_of, **kwargs)]


def test_absences_in_total_make_a_warning_then_non_compliance():
    rule_set = {"warning_after_absences": 2, "non_compliance_after_absences": 3}
    records = [rec(1), rec(3, ABSENT), rec(8), rec(10, ABSENT)]
    assert keys(records, rule_set) == [("absences", WARNING, "absences-warning")]
    records.append(rec(15, ABSENT))
    assert keys(records, rule_set) == [("absences", NON_COMPLIANCE, "absences-non-compliance"),
                                       ("absences", WARNING, "absences-warning")]
    # Seen on 12 January only two had happened.
    assert keys(records, rule_set, as_of=day(7)) == []
    detail = rules.evaluate(records, {**NONE, **rule_set}, as_of=day(60))[0].detail
    assert detail == {"absences": 3, "threshold": 3}


def test_absences_in_a_row_are_non_compliance_once_per_run():
    rule_set = {"max_consecutive_absences": 3}
    records = [rec(0), rec(1, ABSENT), rec(3, ABSENT), rec(8), rec(10, ABSENT), rec(15, ABSENT)]
    assert keys(records, rule_set) == []  # the session on day 8 ends the first run
    records.append(rec(17, ABSENT))
    first_present = records[3]
    key = f"consecutive-after-{first_present.on.isoformat()}-{first_present.session_id}"
    assert keys(records, rule_set) == [("consecutive_absences", NON_COMPLIANCE, key)]
    finding = rules.evaluate(records, {**NONE, **rule_set}, as_of=day(60))[0]
    assert finding.detail == {"absences": 3, "from": "2026-01-15", "to": "2026-01-22"}
    # Going on missing sessions makes no second finding for the same run...
    records += [rec(22, ABSENT), rec(24, ABSENT), rec(29, ABSENT)]
    assert keys(records, rule_set) == [("consecutive_absences", NON_COMPLIANCE, key)]
    # ...nor does an absence recorded late, earlier in the run: its key stays.
    records.append(rec(9, ABSENT))
    assert keys(records, rule_set) == [("consecutive_absences", NON_COMPLIANCE, key)]
    # A new run after a session attended is a new finding.
    records += [rec(31), rec(36, ABSENT), rec(38, ABSENT), rec(43, ABSENT)]
    assert len(keys(records, rule_set)) == 2


def test_a_run_from_the_very_start_and_absences_that_do_not_count():
    rule_set = {"max_consecutive_absences": 2, "excusable": ["illness"], "max_excused_absences": 1}
    records = [rec(1, ABSENT), rec(3, EXCUSED, excuse="illness"), rec(8, ABSENT)]
    # The excused absence (within the allowance) neither ends nor extends the run.
    assert keys(records, rule_set) == [("consecutive_absences", NON_COMPLIANCE, "consecutive-first")]
    finding = rules.evaluate(records, {**NONE, **rule_set}, as_of=day(60))[0]
    assert finding.detail == {"absences": 2, "from": "2026-01-06", "to": "2026-01-13"}


def test_late_arrivals_add_up_to_absences():
    rule_set = {"warning_after_absences": 1, "lates_per_absence": 3}
    records = [rec(1, LATE), rec(3, LATE)]
    assert keys(records, rule_set) == []
    records.append(rec(8, LATE))
    assert keys(records, rule_set) == [("absences", WARNING, "absences-warning")]
    assert keys(records, {**rule_set, "lates_per_absence": 0}) == []


def test_excused_absences_count_beyond_the_allowance_or_for_other_reasons():
    rule_set = {"warning_after_absences": 1, "excusable": ["illness", "court"], "max_excused_absences": 2}
    records = [rec(1, EXCUSED, excuse="illness"), rec(3, EXCUSED, excuse="court")]
    assert keys(records, rule_set) == []
    assert rules.counted_absences(records, {**NONE, **rule_set}) == []
    third = rec(8, EXCUSED, excuse="illness")
    assert keys(records + [third], rule_set) == [("absences", WARNING, "absences-warning")]
    assert rules.counted_absences(records + [third], {**NONE, **rule_set}) == [third]  # the latest one counts
    # Work is not among this pathway's reasons: it counts at once.
    assert keys([rec(1, EXCUSED, excuse="work")], rule_set) == [("absences", WARNING, "absences-warning")]
    # No limit.
    many = [rec(n, EXCUSED, excuse="illness") for n in range(1, 20, 2)]
    assert keys(many, {**rule_set, "max_excused_absences": 0}) == []


def test_an_absence_made_up_within_the_window_does_not_count():
    rule_set = {"warning_after_absences": 1, "make_up_within_days": 14}
    made_up = rec(1, ABSENT, made_up_on=day(10))
    assert keys([made_up], rule_set) == []
    # Until the make-up session, it counts.
    assert keys([made_up], rule_set, as_of=day(5)) == [("absences", WARNING, "absences-warning")]
    # Too late, or a pathway where absences cannot be made up.
    assert keys([rec(1, ABSENT, made_up_on=day(20))], rule_set) == [("absences", WARNING, "absences-warning")]
    assert keys([made_up], {**rule_set, "make_up_within_days": 0}) == [("absences", WARNING, "absences-warning")]
    # A made-up absence ends a run of absences, as a session attended does.
    in_a_row = {"max_consecutive_absences": 2, "make_up_within_days": 14}
    assert keys([rec(1, ABSENT), rec(3, ABSENT, made_up_on=day(4)), rec(8, ABSENT)], in_a_row) == []


def test_an_oppositional_attitude_is_a_warning_then_non_compliance():
    rule_set = {"oppositional_warning_after": 1, "oppositional_non_compliance_after": 2}
    records = [rec(1, oppositional=True), rec(3)]
    assert keys(records, rule_set) == [("oppositional", WARNING, "oppositional-warning")]
    records.append(rec(8, LATE, oppositional=True))
    assert keys(records, rule_set) == [("oppositional", NON_COMPLIANCE, "oppositional-non-compliance"),
                                       ("oppositional", WARNING, "oppositional-warning")]


def test_the_weekly_frequency_looks_at_complete_weeks():
    rule_set = {"sessions_per_week": 2}
    # Week 2 of 2026 (5-11 January): Tuesday attended, Thursday missed.
    records = [rec(1), rec(3, ABSENT)]
    assert keys(records, rule_set, as_of=day(6)) == []  # the week is not over yet
    assert keys(records, rule_set, as_of=day(7)) == [("weekly_frequency", WARNING, "week-2026-02")]
    detail = rules.evaluate(records, {**NONE, **rule_set}, as_of=day(7))[0].detail
    assert detail == {"year": 2026, "week": 2, "attended": 1, "required": 2}
    # Only one session offered that week, and attended: nothing to find.
    assert keys([rec(1)], rule_set, as_of=day(7)) == []
    # The court's mandate asks for more than the pathway: the higher number applies.
    assert keys(records, {"sessions_per_week": 0}, as_of=day(7)) == []
    assert keys(records, {"sessions_per_week": 0}, as_of=day(7), sessions_per_week=2) == [
        ("weekly_frequency", WARNING, "week-2026-02")]
    # An ISO week across the new year is named after its ISO year.
    new_year = [Record(on=datetime.date(2026, 12, 29), status=ABSENT, session_id=1),
                Record(on=datetime.date(2026, 12, 31), status=PRESENT, session_id=2)]
    assert keys(new_year, rule_set, as_of=datetime.date(2027, 1, 5)) == [("weekly_frequency", WARNING, "week-2026-53")]


def test_the_default_rules_at_work():
    """The defaults: a warning at 2, non-compliance at 4 absences that count or 3 in a row."""
    records = [rec(n, ABSENT if n in (1, 3, 8) else PRESENT) for n in (1, 3, 8, 10, 15)]
    found = keys(records, pathways.DEFAULT_RULES)
    assert ("absences", WARNING, "absences-warning") in found
    assert ("consecutive_absences", NON_COMPLIANCE, "consecutive-first") in found
    assert ("absences", NON_COMPLIANCE, "absences-non-compliance") not in found


def test_records_in_any_order_with_two_sessions_on_one_day():
    records = [rec(1, ABSENT, session_id=7), rec(1, PRESENT, session_id=3), rec(3, ABSENT, session_id=9)]
    rule_set = {**NONE, "max_consecutive_absences": 2}
    orders = [list(p) for p in (records, records[::-1], random.Random(4).sample(records, 3))]
    results = {tuple(full(rules.evaluate(order, rule_set, as_of=day(30)))) for order in orders}
    assert len(results) == 1
