"""What a risk assessment is about, without the risk app importing the apps it serves. An app
registers a subject type from its AppConfig.ready(): how to fetch one for a user (its own
selector, which decides visibility and raises 404), and where its page is."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class SubjectType:
    code: str  # e.g. "case"
    get: Callable  # (user, pk) -> object with .pk, .organisation, .reference; 404 when out of reach
    url: Callable  # (obj) -> the subject's page
    assesses: tuple  # which instruments apply: ("victim",) or ("perpetrator",)
    # Optional, for start pages and reminders (the risk app never reads the owning app's tables):
    # (user) -> values queryset of the ids whose due risk work she should see, or None for none;
    visible_ids: Callable | None = None
    # (subject_id) -> the people to remind of due risk work on that subject (with an address).
    recipients: Callable | None = None
    # () -> values queryset of the ids still being worked on (not closed), for network counts.
    active_ids: Callable | None = None
    # Called by services.assessment_sign inside its transaction once a signed assessment is in
    # force for a subject of this type, with keyword arguments: subject_id, previous_rank (the
    # band rank in force before, None for the first), new_rank, top (whether the new band is its
    # instrument's highest) and by (who signed). E.g. to tell others when the risk rises.
    signed: Callable | None = None


def active_subjects_filter():
    """One Q over every subject type: subjects still being worked on. A type that cannot say
    counts all its subjects."""
    from django.db.models import Q

    match = Q(pk__in=[])
    for kind in _types.values():
        match |= Q(subject_type=kind.code, subject_id__in=kind.active_ids()) if kind.active_ids else Q(subject_type=kind.code)
    return match


_types: dict[str, SubjectType] = {}


def register_subject(subject: SubjectType):
    _types[subject.code] = subject


def subject_type(code) -> SubjectType:
    from rete.core import access

    if code not in _types:
        access.deny()
    return _types[code]


def subject_get(*, user, subject_type_code, pk):
    """The subject if the user may see it (the owning app's own rule), else 404."""
    return subject_type(subject_type_code).get(user, pk)


def subject_types() -> list[SubjectType]:
    return list(_types.values())


def subject_url(subject_type_code, pk) -> str:
    """The subject's page by id alone (for reminders and lists): `url` needs only `.pk`."""
    from types import SimpleNamespace

    return subject_type(subject_type_code).url(SimpleNamespace(pk=pk))
