"""What an event of an enrolment sets going: news to the partner-support service (through
rete.network's partner-contact link) and a report falling due for the court or probation, as the
enrolment's pathway version says (pathways.notified: her service always hears of what matters
for her safety). Called inside the event's transaction by the services that record the event."""
import datetime
import logging

from django.utils import timezone

from rete.programmes import pathways

logger = logging.getLogger(__name__)

# The partner-contact event each programme event is, on the partner-support side.
PARTNER_EVENT = {
    "started": "started",
    "absence_warning": "absences",
    "non_compliance": "non_compliant",
    "suspended": "suspended",
    "dropped_out": "dropped_out",
    "excluded": "excluded",
    "threat": "threat",
    "risk_raised": "risk_raised",
    "completed": "completed",
}
# Days from the event to the report's due date (the periodic reports follow the mandate).
REPORT_DUE_DAYS = {"start": 7, "compliance": 3, "interruption": 3, "final": 30}


def _notifications(enrolment):
    version = enrolment.pathway_version if enrolment.pathway_version_id else None
    return version.notifications if version is not None else pathways.DEFAULT_NOTIFICATIONS


def dispatch(*, by, enrolment, event, note="", compliance_event=None) -> set:
    """Tell whoever must know of `event` on `enrolment`; returns the targets reached
    ("partner", "court"). `by` None: an automatic event (the background rules)."""
    from rete.network.services import partner_contact

    reached = set()
    targets = pathways.notified(_notifications(enrolment), event)
    if "partner" in targets and event in PARTNER_EVENT:
        if partner_contact.partner_event_send_for_enrolment(by=by, enrolment_id=enrolment.pk, kind=PARTNER_EVENT[event],
                                                           note=note):
            reached.add("partner")
    kind = pathways.COURT_REPORT_FOR.get(event)
    if "court" in targets and kind and _has_mandate(enrolment):
        from rete.programmes.services.court_reports import report_due

        if report_due(enrolment=enrolment, kind=kind, due_on=timezone.localdate() + datetime.timedelta(days=REPORT_DUE_DAYS[kind]),
                      compliance_event=compliance_event):
            reached.add("court")
    logger.info("enrolment %s: %s reached %s", enrolment.pk, event, sorted(reached))
    return reached


def _has_mandate(enrolment) -> bool:
    from rete.programmes.models import LegalMandate

    return LegalMandate.objects.filter(enrolment_id=enrolment.pk).exists()
