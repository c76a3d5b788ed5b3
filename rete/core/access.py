"""Who may do what. Capabilities are declared here, next to nothing else, and checked only in
selectors (reads) and services (writes). Anything out of reach is a 404, never a 403: an
outsider cannot even learn that a record exists."""
from django.http import Http404

from rete.core.models import Role

# Operation → roles that may perform it within their organisation.
MANAGE_MEMBERS = frozenset({Role.ORG_ADMIN})
READ_AUDIT = frozenset({Role.DPO})
# Cooperation protocols: coordinators draft, circulate and adopt them for their organisation;
# each party organisation's admin or coordinator signs off for it, and its supervisors comment.
COORDINATE_PROTOCOLS = frozenset({Role.NETWORK_COORDINATOR})
SIGN_PROTOCOLS = frozenset({Role.ORG_ADMIN, Role.NETWORK_COORDINATOR})
COMMENT_PROTOCOLS = frozenset({Role.ORG_ADMIN, Role.NETWORK_COORDINATOR, Role.SUPERVISOR})
# Multi-agency risk conferences: the coordinating organisation's network coordinators run a
# series (members, representatives, meetings, agenda, minutes). Representatives are named per
# series, not by role. Partner-contact links: the programme's staff send, the partner-support
# workers of the receiving service answer.
COORDINATE_CONFERENCES = frozenset({Role.NETWORK_COORDINATOR})
NAME_REPRESENTATIVES = frozenset({Role.ORG_ADMIN, Role.NETWORK_COORDINATOR})
SEND_PARTNER_EVENTS = frozenset({Role.FACILITATOR, Role.PROGRAMME_COORDINATOR})
SUPPORT_PARTNERS = frozenset({Role.PARTNER_SUPPORT_WORKER})
# The public portal of the organisation's country: pages, events, materials, campaigns, reach.
EDIT_PORTAL = frozenset({Role.CONTENT_EDITOR, Role.NETWORK_COORDINATOR})
# Roles that grant the power to grant powers; assigning them asks for the password again.
PRIVILEGED_ROLES = frozenset({Role.ORG_ADMIN, Role.DPO})


def deny():
    """The one way to refuse: the same answer for "missing" and "forbidden"."""
    raise Http404


def roles_in(user, organisation_id) -> set[str]:
    """The active roles of a user at one organisation (uses the membership cache of the
    request: see selectors.active_memberships)."""
    from rete.core.selectors import active_memberships

    return {m.role for m in active_memberships(user=user) if m.organisation_id == organisation_id}


def has_capability(user, organisation_id, capability) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(roles_in(user, organisation_id) & capability)
