"""Every read of referrals (part "referral-core"). The sender side needs access to the case;
the receiver side needs a case role (caseworker, supervisor, police officer) at the receiving
organisation and never reaches the case itself: only the referral and its package. Protocol
compliance is for the coordinators of the protocol's organisation: counts and times, no
personal data. Each function issues a fixed number of queries."""
import statistics

from django.db.models import Prefetch
from django.utils import timezone

from rete.cases import access as case_access
from rete.core import access
from rete.core.selectors import active_memberships
from rete.network.models import Pathway, Referral, ReferralEvent, ReferralStatus, VersionStatus

# What the receiver's queries never load.
_RECEIVER_DEFER = ("emergency_reason", "share_withdrawn_reason")


def _receiver_organisation_ids(user) -> set[int]:
    return {m.organisation_id for m in active_memberships(user=user) if m.role in case_access.OPEN_CASES}


def _mark(referral, now):
    referral.overdue = referral.status == ReferralStatus.SENT and referral.due_at < now
    return referral


def referrals_of_case(*, user, case) -> list[Referral]:
    """The referrals sent from a case she may see (404 otherwise), newest first."""
    from rete.cases import selectors as case_selectors

    case_selectors._ensure_visible(user, case)
    now = timezone.now()
    rows = (Referral.objects.filter(case_id=case.pk).select_related("from_organisation", "to_organisation", "sent_by", "pathway")
            .defer("package").order_by("-sent_at", "-pk"))
    return [_mark(r, now) for r in rows]


def referral_inbox(*, user, status="") -> list[Referral]:
    """Referrals to the organisations where she holds a case role, most urgent first, each with
    `overdue`. Never the package or the case."""
    organisation_ids = _receiver_organisation_ids(user)
    if not organisation_ids:
        return []
    rows = Referral.objects.filter(to_organisation_id__in=organisation_ids)
    if status:
        if status not in ReferralStatus.values:
            return []
        rows = rows.filter(status=status)
    now = timezone.now()
    rows = (rows.select_related("from_organisation", "to_organisation")
            .defer("package", "request", "decline_note", "feedback", *_RECEIVER_DEFER).order_by("due_at", "pk"))
    return [_mark(r, now) for r in rows]


def referral_get_for_receiver(*, user, referral_id) -> Referral:
    """A referral to an organisation where she holds a case role, with its package and events;
    404 for anyone else. The case is not loaded (only its id is on the row)."""
    try:
        referral_id = int(referral_id)
    except (TypeError, ValueError):
        access.deny()
    organisation_ids = _receiver_organisation_ids(user)
    referral = (Referral.objects.filter(pk=referral_id, to_organisation_id__in=organisation_ids)
                .select_related("from_organisation", "to_organisation", "pathway", "sent_by")
                .defer(*_RECEIVER_DEFER)
                .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "pk")))
                .first()) if organisation_ids else None
    if referral is None:
        access.deny()
    return _mark(referral, timezone.now())


def referral_get_for_sender(*, user, referral_id) -> Referral:
    """A referral of a case she may see, with its events; 404 otherwise."""
    from rete.cases import selectors as case_selectors

    try:
        referral_id = int(referral_id)
    except (TypeError, ValueError):
        access.deny()
    scope = case_selectors.visibility(user=user)
    if scope is None:
        access.deny()
    from rete.cases.models import Case

    referral = (Referral.objects.filter(pk=referral_id, case__in=Case.objects.filter(scope))
                .select_related("to_organisation", "from_organisation", "pathway", "sent_by", "answered_by")
                .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "pk")))
                .first())
    if referral is None:
        access.deny()
    return _mark(referral, timezone.now())


def protocol_compliance(*, user, protocol) -> list[dict]:
    """Per pathway of the protocol's adopted and superseded versions (and one row for referrals
    without a pathway): referrals sent, answered, answered within the limit, median response
    hours, declined with counts per reason. Coordinators of the protocol's organisation only
    (404 otherwise). Counts and hours only. Two queries."""
    from rete.network.selectors.protocols import can_coordinate

    if not can_coordinate(user=user, protocol=protocol):
        access.deny()
    pathways = {p.pk: p for p in Pathway.objects.filter(
        version__protocol=protocol, version__status__in=[VersionStatus.ADOPTED, VersionStatus.SUPERSEDED])
        .select_related("version").only("pk", "name", "service", "version__number").order_by("-version__number", "position", "pk")}
    rows = {pk: _empty(pathway) for pk, pathway in pathways.items()}
    referrals = (Referral.objects.filter(protocol_version__protocol=protocol)
                 .values_list("pathway_id", "status", "sent_at", "due_at", "answered_at", "decline_reason"))
    for pathway_id, status, sent_at, due_at, answered_at, reason in referrals:
        row = rows.get(pathway_id) if pathway_id else None
        if row is None:
            row = rows.setdefault(None, _empty(None))
        row["sent"] += 1
        if answered_at is not None:
            row["answered"] += 1
            row["hours"].append((answered_at - sent_at).total_seconds() / 3600)
            if answered_at <= due_at:
                row["within_limit"] += 1
        if status == ReferralStatus.DECLINED:
            row["declined"] += 1
            row["declined_reasons"][reason] = row["declined_reasons"].get(reason, 0) + 1
    result = []
    for row in rows.values():
        hours = row.pop("hours")
        row["median_hours"] = round(statistics.median(hours), 1) if hours else None
        result.append(row)
    return result


def _empty(pathway):
    return {"pathway": pathway, "sent": 0, "answered": 0, "within_limit": 0, "declined": 0, "declined_reasons": {},
            "hours": []}
