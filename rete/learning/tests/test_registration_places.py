"""Places at an event (rete.learning.places), pure: never over capacity, first come first served,
a cancellation frees a place for the first person waiting, nobody loses a place."""
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from rete.learning import places

T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def test_a_newcomer_has_a_place_while_one_is_free_and_nobody_waits():
    assert places.new_status(2, 0) == places.REGISTERED
    assert places.new_status(2, 1) == places.REGISTERED
    assert places.new_status(2, 2) == places.WAITING
    assert places.new_status(2, 1, waiting_count=1) == places.WAITING  # nobody jumps the queue
    assert places.new_status(0, 0) == places.WAITING


def test_promote_fills_the_free_places_from_the_front():
    assert places.promote(3, 1, ["a", "b", "c"]) == ["a", "b"]
    assert places.promote(3, 3, ["a"]) == []
    assert places.promote(2, 5, ["a"]) == []  # over capacity after the places were lowered: nobody moves
    assert places.promote(5, 0, []) == []


def test_allocate_keeps_places_and_orders_the_waiting_list_by_arrival():
    rows = [("late", places.WAITING, at(5)), ("early", places.WAITING, at(1)), ("held", places.REGISTERED, at(0)),
            ("gone", places.CANCELLED, at(-1))]
    result = places.allocate(2, rows)
    assert result.registered == ["held", "early"]
    assert result.waiting == ["late"]
    assert result.promoted == ["early"]
    assert result.position("late") == 1 and result.position("held") is None


def test_allocate_never_takes_a_place_away():
    rows = [("a", places.REGISTERED, at(0)), ("b", places.REGISTERED, at(1)), ("c", places.WAITING, at(2))]
    result = places.allocate(1, rows)
    assert result.registered == ["a", "b"] and result.waiting == ["c"] and result.promoted == []


def test_arrivals_at_the_same_instant_are_ordered_by_key():
    rows = [(7, places.WAITING, at(0)), (3, places.WAITING, at(0))]
    assert places.allocate(1, rows).registered == [3]


def test_registration_is_open_until_the_closing_day_inclusive():
    day = datetime.date(2026, 5, 10)
    assert places.registration_open(status="open", closes_on=day, ends_on=day, today=day)
    assert not places.registration_open(status="open", closes_on=day, ends_on=day, today=day + datetime.timedelta(days=1))
    assert places.registration_open(status="open", closes_on=None, ends_on=day, today=day)
    assert not places.registration_open(status="closed", closes_on=day, ends_on=day, today=day)
    assert not places.registration_open(status="draft", closes_on=None, ends_on=day, today=day)


# ---- properties: a simulated life of an event ----------------------------------------------------

operations = st.lists(st.one_of(st.tuples(st.just("register")), st.tuples(st.just("cancel"), st.integers(0, 40)),
                                st.tuples(st.just("capacity"), st.integers(0, 8))), max_size=60)


def simulate(capacity, ops):
    """Registrations as a service keeps them: a newcomer's status by new_status; a cancellation,
    or more places, lets promote() move the first waiting up. Returns (rows, capacity, history)."""
    rows, arrival, history = {}, 0, []
    for op in ops:
        registered = [k for k, (s, _a) in rows.items() if s == places.REGISTERED]
        waiting = sorted((k for k, (s, _a) in rows.items() if s == places.WAITING), key=lambda k: (rows[k][1], k))
        if op[0] == "register":
            arrival += 1
            rows[arrival] = (places.new_status(capacity, len(registered), len(waiting)), at(arrival))
        elif op[0] == "cancel":
            active = sorted(k for k, (s, _a) in rows.items() if s != places.CANCELLED)
            if active:
                key = active[op[1] % len(active)]
                freed = rows[key][0] == places.REGISTERED
                rows[key] = (places.CANCELLED, rows[key][1])
                if freed:
                    for moved in places.promote(capacity, len(registered) - 1, waiting):
                        rows[moved] = (places.REGISTERED, rows[moved][1])
        else:
            capacity = op[1]
            for moved in places.promote(capacity, len(registered), waiting):
                rows[moved] = (places.REGISTERED, rows[moved][1])
        history.append(dict(rows))
    return rows, capacity, history


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), operations)
def test_no_step_gives_a_place_beyond_capacity_nor_leaves_one_free_while_someone_waits(capacity, ops):
    """Even when the organisers change the number of places: a step never takes the registered
    above the capacity (they may stay above it if the places were lowered), and nobody waits
    while a place is free."""
    history = simulate(capacity, ops)[2]
    before, current = 0, capacity
    for op, state in zip(ops, history):
        if op[0] == "capacity":
            current = op[1]
        registered = sum(1 for s, _a in state.values() if s == places.REGISTERED)
        waiting = sum(1 for s, _a in state.values() if s == places.WAITING)
        assert registered <= max(current, before)
        assert waiting == 0 or registered >= current
        before = registered


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), st.lists(st.one_of(st.tuples(st.just("register")), st.tuples(st.just("cancel"), st.integers(0, 40))),
                                   max_size=60))
def test_with_a_fixed_capacity_the_places_never_exceed_it(capacity, ops):
    _rows, _capacity, history = simulate(capacity, ops)
    for state in history:
        registered = sum(1 for s, _a in state.values() if s == places.REGISTERED)
        waiting = sum(1 for s, _a in state.values() if s == places.WAITING)
        assert registered <= capacity
        assert waiting == 0 or registered == capacity  # nobody waits while a place is free


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), operations)
def test_first_come_first_served(capacity, ops):
    """Whoever holds a place (and is not cancelled) arrived before everyone still waiting, unless
    she had her place from the start (before the waiting list formed)."""
    rows, _capacity, history = simulate(capacity, ops)
    for state in history:
        waiting = sorted(k for k, (s, _a) in state.items() if s == places.WAITING)
        promoted_later = [k for k, (s, _a) in state.items() if s == places.REGISTERED]
        if waiting:
            first_waiting = min(waiting)
            # Nobody who arrived after the first person still waiting holds a place.
            assert all(k < first_waiting for k in promoted_later)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), operations)
def test_a_place_once_held_is_kept_until_cancelled(capacity, ops):
    _rows, _capacity, history = simulate(capacity, ops)
    for before, after in zip(history, history[1:]):
        for key, (status, _a) in before.items():
            if status == places.REGISTERED:
                assert after[key][0] in (places.REGISTERED, places.CANCELLED)
            if status == places.CANCELLED:
                assert after[key][0] == places.CANCELLED


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 8), st.lists(st.tuples(st.sampled_from([places.REGISTERED, places.WAITING, places.CANCELLED]),
                                             st.integers(0, 1000)), max_size=30))
def test_allocate_properties(capacity, raw):
    rows = [(i, status, at(minute)) for i, (status, minute) in enumerate(raw)]
    result = places.allocate(capacity, rows)
    held = [k for k, s, _a in rows if s == places.REGISTERED]
    waiting_before = sorted((k for k, s, _a in rows if s == places.WAITING), key=lambda k: (rows[k][2], k))
    assert set(held) <= set(result.registered)  # nobody loses a place
    assert len(result.registered) <= max(capacity, len(held))  # never over capacity (unless already)
    assert result.promoted + result.waiting == waiting_before  # first come first served
    assert not result.waiting or len(result.registered) >= capacity
    cancelled = {k for k, s, _a in rows if s == places.CANCELLED}
    assert not cancelled & (set(result.registered) | set(result.waiting))
