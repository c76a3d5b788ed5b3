"""Reads of part "mandate-assessment": the court's mandate of an enrolment and who must be told
what, the pathway versions a man may be accepted on, his assessment sessions and his risk.

Who may see them is decided by the enrolment's own selector (selectors.enrolments): whoever may
open the enrolment sees its mandate; anything else is 404, the same as a missing record. Every
function issues a fixed number of queries, whatever the data."""
from django.db.models import Count, Q

from rete.core import access
from rete.programmes.models import (
    LegalMandate,
    PathwayStatus,
    PathwayVersion,
    ReportRecipient,
    Session,
    SessionKind,
    SessionStatus,
)
from rete.programmes.selectors.enrolments import enrolment_get

SESSIONS_LISTED = 20  # assessment sessions listed on the suitability section (all are counted)
RISK_SUBJECT = "enrolment"  # the risk subject type registered in apps.py


# ---- the mandate and its recipients ----------------------------------------------------------


def mandate_for(*, enrolment):
    """The mandate of an enrolment already fetched for this user (selectors.enrolments), or None.
    One query."""
    return LegalMandate.objects.filter(enrolment_id=enrolment.pk).select_related("created_by").first()


def mandate_recipients(*, mandate) -> list[ReportRecipient]:
    """Who must be told what, in the order they were added. One query (none without a mandate)."""
    if mandate is None:
        return []
    return list(ReportRecipient.objects.filter(mandate_id=mandate.pk).order_by("pk"))


def mandate_page(*, user, enrolment_id):
    """For the mandate's edit page: the enrolment if she may open it (404 otherwise) and its
    mandate (None: not recorded yet)."""
    enrolment = enrolment_get(user=user, pk=enrolment_id)
    return enrolment, mandate_for(enrolment=enrolment)


def mandate_get(*, user, enrolment_id):
    """The enrolment and its mandate, 404 when she may not open the enrolment or it has none."""
    enrolment, mandate = mandate_page(user=user, enrolment_id=enrolment_id)
    if mandate is None:
        access.deny()
    return enrolment, mandate


def recipient_get(*, user, enrolment_id, recipient_id):
    """One recipient of the enrolment's mandate, if she may open the enrolment (404 otherwise,
    and for a recipient of another enrolment's mandate)."""
    try:
        recipient_id = int(recipient_id)
    except (TypeError, ValueError):
        access.deny()
    enrolment = enrolment_get(user=user, pk=enrolment_id)
    recipient = (ReportRecipient.objects.filter(pk=recipient_id, mandate__enrolment_id=enrolment.pk)
                 .select_related("mandate").first())
    if recipient is None:
        access.deny()
    return enrolment, recipient


# ---- the suitability decision ---------------------------------------------------------------


def published_pathway_versions(*, organisation_id) -> list[PathwayVersion]:
    """The pathway versions in use at a programme (a man is accepted on one of them), by pathway
    name, newest version first. One query."""
    return list(PathwayVersion.objects.filter(status=PathwayStatus.PUBLISHED, pathway__organisation_id=organisation_id)
                .select_related("pathway").defer("stages", "rules", "notifications")
                .order_by("pathway__name", "pathway_id", "-number"))


def assessment_sessions(*, enrolment, limit=SESSIONS_LISTED) -> dict:
    """His assessment sessions (read only: the sessions part records them): how many, how many
    were held, and the first `limit` in date order. Two queries whatever their number."""
    rows = Session.objects.filter(enrolment_id=enrolment.pk, kind=SessionKind.ASSESSMENT)
    totals = rows.aggregate(total=Count("pk"), held=Count("pk", filter=Q(status=SessionStatus.HELD)))
    listed = list(rows.defer("notes").order_by("starts_at", "pk")[:limit]) if totals["total"] else []
    return {"sessions": listed, "total": totals["total"], "held": totals["held"], "more": totals["total"] > len(listed)}


# ---- his risk (rete.risk, perpetrator-side instruments) -------------------------------------------


def enrolment_risk(*, user, enrolment) -> dict:
    """The risk in force for an enrolment already fetched for this user: the band and its
    label, when the next reassessment is due, open actions and drafts in progress
    (rete.risk.selectors.subject_risk: four queries whatever the history)."""
    from rete.risk import selectors as risk_selectors

    return risk_selectors.subject_risk(user=user, subject_type=RISK_SUBJECT, subject_id=enrolment.pk, subject=enrolment)
