"""Who may work on victim-support cases. Need to know: a case is seen by its team, by the
organisation's supervisors, and by every case worker of the organisation only if the
organisation has chosen organisation-wide visibility."""
from rete.core.models import Role

OPEN_CASES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER})
SEE_ALL_CASES = frozenset({Role.SUPERVISOR})
