"""Who may do what in mutual learning (checked only in selectors and services).

Practices: any member but a data-protection officer drafts and submits her organisation's
practices, adds translations and records its pilots; trainers and network coordinators review
practices of other organisations (never their own); network coordinators check them against the
basic criteria, decide promising and selected, publish, and keep the review grid. Every member
reads published practices; the public portal shows those whose owners chose it.

Training: trainers and network coordinators run their organisation's events. Every member sees
events open for registration and registers herself; outside professionals register through an
invitation link and reach their registration through a personal link."""
from rete.core.models import Role

SHARE_PRACTICES = frozenset(set(Role) - {Role.DPO})
REVIEW_PRACTICES = frozenset({Role.TRAINER, Role.NETWORK_COORDINATOR})
DECIDE_PRACTICES = frozenset({Role.NETWORK_COORDINATOR})
RUN_TRAINING = frozenset({Role.TRAINER, Role.NETWORK_COORDINATOR})
