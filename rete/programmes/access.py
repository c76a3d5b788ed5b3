"""Who may do what in a perpetrator programme (checked only in selectors and services).

Facilitators work with the men they are assigned to (an enrolment's staff, or the facilitators
of a group he is in); programme coordinators see every enrolment of their programme, define
pathways and groups and sign off court reports. Nobody else, and never a partner-support worker
as such: partner support is a separate service with separate staff (rete.network)."""
from rete.core.models import Role

WORK_WITH_MEN = frozenset({Role.FACILITATOR, Role.PROGRAMME_COORDINATOR})
COORDINATE_PROGRAMME = frozenset({Role.PROGRAMME_COORDINATOR})
