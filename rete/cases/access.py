"""Who may work on victim-support cases. Need to know: a case is seen by its team, by the
organisation's supervisors, and by every case worker of the organisation only if the
organisation has chosen organisation-wide visibility.

Partner-support workers keep a case for the (ex-)partner of a man in a perpetrator programme
in their own service (rete.network's partner-contact link names it): they open and work on
cases like case workers. Whoever works or once worked with the man never opens his partner's
case, whatever her roles (see register_hidden_cases)."""
from rete.core.models import Role

OPEN_CASES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_OFFICER, Role.PARTNER_SUPPORT_WORKER})
SEE_ALL_CASES = frozenset({Role.SUPERVISOR})

# Other modules name cases a person may never open, whatever her role or team: fn(user) -> a
# values queryset of case ids (used as a subquery of the visibility filter, no query of its own)
# or None. rete.network registers the partner cases of the men she works with.
_hidden_cases = []


def register_hidden_cases(fn):
    if fn not in _hidden_cases:
        _hidden_cases.append(fn)


def hidden_cases_sources() -> list:
    return list(_hidden_cases)
