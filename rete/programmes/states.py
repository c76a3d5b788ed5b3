"""The states of an enrolment and the only changes allowed between them (pure: no Django
models). Reference: ../shared/reference/perpetrator-programmes.md, "A pathway"."""
from rete.programmes.models import EnrolmentState as S

TRANSITIONS: dict[str, frozenset] = {
    S.ENQUIRY: frozenset({S.INFORMATION, S.ASSESSING, S.DROPPED_OUT, S.CLOSED}),
    S.INFORMATION: frozenset({S.ASSESSING, S.DROPPED_OUT, S.CLOSED}),
    # Leaving the assessment goes through the suitability decision (services.suitability_decide).
    S.ASSESSING: frozenset({S.NOT_SUITABLE, S.REFERRED_ELSEWHERE, S.WAITING, S.MOTIVATIONAL, S.ACTIVE, S.DROPPED_OUT}),
    S.NOT_SUITABLE: frozenset({S.CLOSED}),
    S.REFERRED_ELSEWHERE: frozenset({S.CLOSED}),
    S.WAITING: frozenset({S.MOTIVATIONAL, S.ACTIVE, S.DROPPED_OUT}),
    S.MOTIVATIONAL: frozenset({S.ACTIVE, S.SUSPENDED, S.NON_COMPLIANT, S.DROPPED_OUT, S.EXCLUDED}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.NON_COMPLIANT, S.DROPPED_OUT, S.EXCLUDED, S.COMPLETED_FAVOURABLE,
                         S.COMPLETED_UNFAVOURABLE}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.MOTIVATIONAL, S.DROPPED_OUT, S.EXCLUDED}),
    S.NON_COMPLIANT: frozenset({S.ACTIVE, S.SUSPENDED, S.DROPPED_OUT, S.EXCLUDED, S.COMPLETED_UNFAVOURABLE}),
    S.EXCLUDED: frozenset({S.FOLLOW_UP, S.CLOSED}),
    S.DROPPED_OUT: frozenset({S.FOLLOW_UP, S.CLOSED}),
    S.COMPLETED_FAVOURABLE: frozenset({S.FOLLOW_UP, S.CLOSED}),
    S.COMPLETED_UNFAVOURABLE: frozenset({S.FOLLOW_UP, S.CLOSED}),
    S.FOLLOW_UP: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# Reached only through the suitability decision, which records its own reasons.
DECISION_STATES = frozenset({S.NOT_SUITABLE, S.REFERRED_ELSEWHERE, S.WAITING})
# He takes part in the programme: sessions count, attendance rules run, reports fall due.
IN_PROGRAMME = frozenset({S.MOTIVATIONAL, S.ACTIVE, S.SUSPENDED, S.NON_COMPLIANT})
# Before the programme: enquiry, information contact, assessment, waiting.
BEFORE_PROGRAMME = frozenset({S.ENQUIRY, S.INFORMATION, S.ASSESSING, S.WAITING})
# The programme is over for him (whatever came after).
ENDED = frozenset({S.EXCLUDED, S.DROPPED_OUT, S.COMPLETED_FAVOURABLE, S.COMPLETED_UNFAVOURABLE, S.FOLLOW_UP,
                   S.CLOSED, S.NOT_SUITABLE, S.REFERRED_ELSEWHERE})
OPEN = frozenset(set(S.values) - {S.CLOSED, S.NOT_SUITABLE, S.REFERRED_ELSEWHERE})
COMPLETED = frozenset({S.COMPLETED_FAVOURABLE, S.COMPLETED_UNFAVOURABLE})


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def next_states(from_state: str) -> list[str]:
    """The states one may choose from here, in the order of EnrolmentState (decision states left
    to the suitability decision)."""
    targets = TRANSITIONS.get(from_state, frozenset())
    return [code for code in S.values if code in targets and code not in DECISION_STATES]


# What each change means for the people who must be told (see pathways.NOTIFICATION_EVENTS).
EVENT_ON_ENTERING = {
    S.ACTIVE: "started",
    S.MOTIVATIONAL: "started",
    S.SUSPENDED: "suspended",
    S.NON_COMPLIANT: "non_compliance",
    S.DROPPED_OUT: "dropped_out",
    S.EXCLUDED: "excluded",
    S.COMPLETED_FAVOURABLE: "completed",
    S.COMPLETED_UNFAVOURABLE: "completed",
}
