"""The life of a practice, as EIGE selects good practices: submitted → checked against the basic
criteria (in review, or returned for changes) → scored by reviewers → promising (or not) →
selected → published to the network (and, if the owner chose, to the public portal). Returned
practices are edited and submitted again; a published one may be withdrawn and published again.
Which role takes each step is in rete.learning.access; this is only what may follow what."""
from rete.learning.models import PracticeStatus as S

TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.IN_REVIEW, S.RETURNED},
    S.RETURNED: {S.SUBMITTED},
    S.IN_REVIEW: {S.PROMISING, S.NOT_PROMISING, S.RETURNED},
    S.PROMISING: {S.SELECTED, S.NOT_PROMISING},
    S.NOT_PROMISING: {S.RETURNED},
    S.SELECTED: {S.PUBLISHED},
    S.PUBLISHED: {S.WITHDRAWN},
    S.WITHDRAWN: {S.PUBLISHED},
}
# The owner may change the source text only while it is hers to change.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())
