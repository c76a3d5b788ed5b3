"""Writes of the intake pages (part "intake") beyond the enrolment's life in services.enrolments:
the trace left by reading an enrolment."""
from django.db import transaction

from rete.core import audit


@transaction.atomic
def enrolment_record_view(*, by, enrolment) -> None:
    """Every opening of an enrolment's page (his details, the reasons of his changes of state)
    leaves a trace: who, when, from where; ids only. `enrolment` was fetched for `by` through
    selectors.enrolments.enrolment_get."""
    audit.record(action="programmes.enrolment_viewed", actor=by, organisation=enrolment.organisation, obj=enrolment,
                 detail={"enrolment": enrolment.pk})
