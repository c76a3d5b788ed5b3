"""Partner safety, the programme's side (part "partner-safety"): ask a partner-support service to
offer contact to the man's (ex-)partner, send it by hand what matters for her safety, end the
contact after the follow-up. Everything goes through rete.network's partner-contact link (by the
enrolment's id): this module never holds anything about her.

Each service first locks the enrolment through its own selector, so only the people who may open
the enrolment act on its partner contact (404 for anyone else, the same as a missing record);
rete.network's services then check the programme role again and write their audit events (ids
and codes only) in the same transaction. A disclosed threat goes through
services.enrolments.threat_disclose."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core.services import ServiceError
from rete.network.models import PartnerEventKind
from rete.network.selectors.partner_contact import has_open_link, support_services
from rete.network.services import partner_contact
from rete.programmes.models import EnrolmentState
from rete.programmes.selectors.enrolments import enrolment_lock

# What the programme may send by hand. The request sends "enrolled" itself; a disclosed threat has
# its own form (services.enrolments.threat_disclose), which also records it on the enrolment.
MANUAL_EVENT_KINDS = tuple(kind for kind in PartnerEventKind.values
                           if kind not in (PartnerEventKind.ENROLLED, PartnerEventKind.THREAT))
# Partner contact ends after the follow-up: when his enrolment is closed, when he was never taken
# on, or in follow-up once its date has passed. Until then her service keeps hearing.
END_STATES = frozenset({EnrolmentState.CLOSED, EnrolmentState.NOT_SUITABLE, EnrolmentState.REFERRED_ELSEWHERE})


@transaction.atomic
def partner_contact_request(*, by, enrolment, support_organisation_id, note=""):
    """Ask the chosen partner-support service to offer contact to his (ex-)partner. The service
    must be one the programme may ask (network.selectors.partner_contact.support_services)."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    if enrolment.state == EnrolmentState.CLOSED:
        raise ServiceError(_("His enrolment is closed: partner contact can no longer be requested."), "support_organisation")
    try:
        wanted = int(support_organisation_id)
    except (TypeError, ValueError):
        wanted = None
    chosen = next((organisation for organisation in support_services(user=by) if organisation.pk == wanted), None)
    if chosen is None:
        raise ServiceError(_("Choose a partner-support service from the list."), "support_organisation")
    return partner_contact.partner_link_request(
        by=by, programme_organisation=enrolment.organisation, enrolment_id=enrolment.pk,
        enrolment_reference=enrolment.reference, support_organisation=chosen, note=note)


@transaction.atomic
def partner_event_send(*, by, enrolment, kind, note=""):
    """Send her service, by hand, something that matters for her safety (never the "enrolled"
    event, sent with the request, nor a threat: see threat_disclose)."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    if kind not in MANUAL_EVENT_KINDS:
        raise ServiceError(_("Choose what happened."), "kind")
    if not partner_contact_open(enrolment):
        raise ServiceError(_("There is no partner contact open for him: request it first."), "kind")
    return partner_contact.partner_event_send(by=by, enrolment_id=enrolment.pk, kind=kind, note=note)


@transaction.atomic
def partner_contact_end(*, by, enrolment):
    """End the partner contact after the follow-up. Her service keeps its case and its record of
    the contact; nothing more can be sent."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    if not may_end(enrolment):
        raise ServiceError(_("Partner contact ends after the follow-up: until then her service must keep hearing "
                             "what matters for her safety."))
    if not partner_contact_open(enrolment):
        raise ServiceError(_("There is no partner contact open for him."))
    partner_contact.partner_link_end(by=by, enrolment_id=enrolment.pk)


def may_end(enrolment) -> bool:
    if enrolment.state in END_STATES:
        return True
    return (enrolment.state == EnrolmentState.FOLLOW_UP and enrolment.follow_up_due_on is not None
            and enrolment.follow_up_due_on <= timezone.localdate())


def partner_contact_open(enrolment) -> bool:
    return has_open_link(enrolment_id=enrolment.pk)
