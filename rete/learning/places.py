"""Places at a training event: who is registered and who waits (part "registration").

Pure: works on the capacity and on the registrations as (key, status, registered_at) triples,
so that the rules can be tested without a database. The rules:

- first come, first served: the waiting list is in order of arrival (`registered_at`, then the
  key for arrivals at the same instant);
- never over capacity: a newcomer has a place only while places are free and nobody is waiting
  before her; a waiting person moves up only into a free place;
- a cancellation frees a place, which goes to the first person waiting;
- nobody who holds a place loses it (even if the organisers lower the number of places).
"""
from dataclasses import dataclass, field

REGISTERED = "registered"
WAITING = "waiting"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Allocation:
    registered: list = field(default_factory=list)  # keys, in order of arrival
    waiting: list = field(default_factory=list)  # keys, in order of arrival (first = next to move up)
    promoted: list = field(default_factory=list)  # keys that moved from the waiting list to a place

    def position(self, key) -> int | None:
        """Her place on the waiting list (1 = next to move up), or None."""
        try:
            return self.waiting.index(key) + 1
        except ValueError:
            return None


def free_places(capacity: int, registered_count: int) -> int:
    return max(0, int(capacity) - int(registered_count))


def new_status(capacity: int, registered_count: int, waiting_count: int = 0) -> str:
    """The status of a newcomer: a place if one is free and nobody waits before her."""
    if waiting_count == 0 and free_places(capacity, registered_count) > 0:
        return REGISTERED
    return WAITING


def promote(capacity: int, registered_count: int, waiting_in_order) -> list:
    """Who moves up from the waiting list (given first come first): as many as there are free
    places, from the front of the list."""
    waiting = list(waiting_in_order)
    return waiting[:free_places(capacity, registered_count)]


def _arrival(row):
    key, _status, registered_at = row
    return (registered_at, key)


def allocate(capacity: int, registrations) -> Allocation:
    """Who is registered and who waits, given the capacity and the registrations
    (key, status, registered_at). Those who hold a place keep it; cancelled ones are left out;
    the free places go to the first waiting, in order of arrival."""
    rows = sorted(((k, s, at) for k, s, at in registrations if s != CANCELLED), key=_arrival)
    registered = [key for key, status, _at in rows if status == REGISTERED]
    waiting = [key for key, status, _at in rows if status == WAITING]
    moved = promote(capacity, len(registered), waiting)
    if moved:
        moved_set = set(moved)
        registered = [key for key, status, _at in rows if status == REGISTERED or key in moved_set]
        waiting = waiting[len(moved):]
    return Allocation(registered=registered, waiting=waiting, promoted=moved)


def registration_open(*, status: str, closes_on, ends_on, today) -> bool:
    """Open for registration: the event's status says so and the closing day (inclusive; the
    last day of the event when no closing day is set) has not passed."""
    if status != "open":
        return False
    last_day = closes_on or ends_on
    return last_day is None or today <= last_day
