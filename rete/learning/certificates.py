"""Certificates of attendance, the pure part: how much of an event a participant attended, who
may receive a certificate, and the verification code printed on it. No query, no request.

A code reads "RETE-XXXX-XXXX-XXXX": twelve characters drawn by `secrets` from an alphabet
without the look-alikes (0/O, 1/I/L), so it can be read aloud or typed from paper. Twelve
characters of 31 are about 59 bits: guessing a valid code by trying codes on the public check
page would take on the order of 10¹⁷ tries per certificate in existence, so that page needs no
rate limiting (and answers the same to a mistyped, an unknown and a revoked code)."""
import secrets
from fractions import Fraction

from rete.learning.models import AttendanceStatus, EventStatus, RegistrationStatus

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PREFIX = "RETE"
GROUPS, GROUP_LENGTH = 3, 4
# Attended, for a certificate and for the funders' report.
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


def attendance_share(statuses, session_count) -> Fraction:
    """The share (0 to 1) of the event's `session_count` sessions attended, from the attendance
    statuses recorded for one participant (one per session); present and late count as
    attended. An event without sessions has nothing to attend: 0."""
    session_count = int(session_count or 0)
    if session_count <= 0:
        return Fraction(0)
    attended = sum(1 for status in statuses if status in ATTENDED)
    return Fraction(min(attended, session_count), session_count)


def share_of_count(attended_count, session_count) -> Fraction:
    """The same share from the number of sessions attended (counted in SQL)."""
    session_count = int(session_count or 0)
    if session_count <= 0:
        return Fraction(0)
    return Fraction(min(max(int(attended_count or 0), 0), session_count), session_count)


def eligible(event, share, *, registration_status=RegistrationStatus.REGISTERED) -> bool:
    """A certificate is due once the event is held, to a registered participant (not one on the
    waiting list or who cancelled) who attended at least the event's minimum share of it
    (`certificate_min_attendance`, a percentage)."""
    if event.status != EventStatus.HELD or registration_status != RegistrationStatus.REGISTERED:
        return False
    share = Fraction(share)
    return share > 0 and share * 100 >= int(event.certificate_min_attendance or 0)


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return _formatted(body)


def _formatted(body: str) -> str:
    groups = [body[i:i + GROUP_LENGTH] for i in range(0, len(body), GROUP_LENGTH)]
    return "-".join([PREFIX, *groups])


def normalise_code(text) -> str | None:
    """The code as printed, from what someone typed: any case, with or without the prefix,
    spaces or dashes ("rete 7hk2-…", "7HK2…"). None when it cannot be a code."""
    cleaned = "".join(ch for ch in str(text or "").upper() if ch.isalnum())
    body_length = GROUPS * GROUP_LENGTH
    if len(cleaned) == len(PREFIX) + body_length and cleaned.startswith(PREFIX):
        cleaned = cleaned[len(PREFIX):]
    if len(cleaned) != body_length or any(ch not in ALPHABET for ch in cleaned):
        return None
    return _formatted(cleaned)


def hours(sessions) -> Fraction:
    """The hours of the given sessions (objects with starts_at and ends_at), to the minute."""
    minutes = sum(max(int((s.ends_at - s.starts_at).total_seconds() // 60), 0) for s in sessions)
    return Fraction(minutes, 60)
