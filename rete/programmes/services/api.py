"""Writes for the programmes API (part "api"): the audit of a reading. The state changes go
through services.enrolments like the pages."""
from django.db import transaction

from rete.core import audit

# What of an enrolment was read through the API (the audit detail names the part, never content).
READ_PARTS = frozenset({"detail", "state_changes", "attendance", "compliance_events", "court_reports"})


@transaction.atomic
def enrolment_record_api_read(*, by, enrolment, part) -> None:
    """Every reading of an enrolment through the API leaves a trace (who, when, which part);
    ids and codes only."""
    if part not in READ_PARTS:
        raise ValueError(part)
    audit.record(action="programmes.enrolment_viewed", actor=by, organisation=enrolment.organisation, obj=enrolment,
                 detail={"enrolment": enrolment.pk, "via": "api", "part": part})
