"""The pure part of certificates: attendance share, eligibility, codes and hours."""
import datetime
import re
from fractions import Fraction
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from rete.learning import certificates
from rete.learning.models import AttendanceStatus, EventStatus, RegistrationStatus

P, L, E, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT
CODE = re.compile(r"^RETE-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


def event(status=EventStatus.HELD, minimum=75):
    return SimpleNamespace(status=status, certificate_min_attendance=minimum)


def test_present_and_late_count_as_attended():
    assert certificates.attendance_share([P, L, E, A], 4) == Fraction(1, 2)
    assert certificates.attendance_share([P, P, L], 4) == Fraction(3, 4)
    assert certificates.attendance_share([], 4) == 0
    assert certificates.attendance_share([P], 0) == 0  # nothing to attend
    assert certificates.attendance_share([P, P, P], 2) == 1  # never more than all of it


def test_eligible_needs_a_held_event_a_place_and_enough_attendance():
    assert certificates.eligible(event(), Fraction(3, 4))
    assert not certificates.eligible(event(), Fraction(74, 100))
    assert certificates.eligible(event(minimum=50), Fraction(1, 2))
    assert not certificates.eligible(event(status=EventStatus.OPEN), 1)
    assert not certificates.eligible(event(status=EventStatus.CLOSED), 1)
    assert not certificates.eligible(event(), 1, registration_status=RegistrationStatus.WAITING)
    assert not certificates.eligible(event(), 1, registration_status=RegistrationStatus.CANCELLED)
    assert not certificates.eligible(event(minimum=0), 0)  # attended nothing: nothing to certify


def test_a_new_code_is_readable_and_unambiguous():
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert CODE.match(code), code
        assert len(code) <= 20  # fits Registration.certificate_code
        assert not set(code[5:].replace("-", "")) & set("01OIL")


@given(st.text(alphabet=certificates.ALPHABET, min_size=12, max_size=12), st.sampled_from(["", " ", "-", " - "]),
       st.booleans(), st.booleans())
def test_normalise_accepts_what_people_type(body, separator, lower, prefix):
    canonical = f"RETE-{body[:4]}-{body[4:8]}-{body[8:]}"
    typed = separator.join([body[:4], body[4:8], body[8:]])
    if prefix:
        typed = "rete" + separator + typed
    if lower:
        typed = typed.lower()
    assert certificates.normalise_code(f"  {typed} ") == canonical


@given(st.text(max_size=30))
def test_normalise_never_invents_a_code(text):
    code = certificates.normalise_code(text)
    assert code is None or CODE.match(code)


def test_normalise_refuses_look_alikes_and_wrong_lengths():
    assert certificates.normalise_code("RETE-0000-1111-OOOO") is None
    assert certificates.normalise_code("RETE-ABCD-EFGH-JK") is None
    assert certificates.normalise_code("") is None
    assert certificates.normalise_code(None) is None


def test_hours_of_sessions():
    start = datetime.datetime(2025, 3, 1, 9, 0)
    sessions = [SimpleNamespace(starts_at=start, ends_at=start + datetime.timedelta(hours=2)),
                SimpleNamespace(starts_at=start, ends_at=start + datetime.timedelta(minutes=90))]
    assert certificates.hours(sessions) == Fraction(7, 2)
    assert certificates.hours([]) == 0


@given(st.lists(st.sampled_from([P, L, E, A]), max_size=12), st.integers(min_value=0, max_value=12))
def test_the_share_from_a_count_is_the_same(statuses, sessions):
    attended = sum(1 for s in statuses if s in (P, L))
    assert certificates.share_of_count(attended, sessions) == certificates.attendance_share(statuses, sessions)
