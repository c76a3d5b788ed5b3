"""The receiver's side of referrals (part "referral-receiver"): her inbox as a query that
pages, overdue first, and the count of referrals waiting for an answer for her start page.
Only referrals to organisations where she holds a case role; never the package or the case."""
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from rete.network.models import Referral, ReferralStatus
from rete.network.selectors.referrals import _RECEIVER_DEFER, _receiver_organisation_ids


def receives_referrals(*, user) -> bool:
    """She holds a case role somewhere (no query: memberships are cached per request)."""
    return bool(user.is_authenticated and _receiver_organisation_ids(user))


def inbox(*, user, status=""):
    """Referrals to her organisations, overdue first, then waiting, then by due time; each row
    annotated `is_overdue`. One query per page (plus the count)."""
    organisation_ids = _receiver_organisation_ids(user)
    if not organisation_ids or (status and status not in ReferralStatus.values):
        return Referral.objects.none()
    now = timezone.now()
    overdue = Q(status=ReferralStatus.SENT, due_at__lt=now)
    rows = Referral.objects.filter(to_organisation_id__in=organisation_ids)
    if status:
        rows = rows.filter(status=status)
    return (rows.select_related("from_organisation", "to_organisation", "pathway")
            .defer("package", "request", "decline_note", "feedback", *_RECEIVER_DEFER)
            .annotate(is_overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()),
                      is_waiting=Case(When(status=ReferralStatus.SENT, then=Value(True)), default=Value(False),
                                      output_field=BooleanField()))
            .order_by("-is_overdue", "-is_waiting", "due_at", "pk"))


def waiting_summary(*, user) -> dict | None:
    """For her start page: how many referrals wait for an answer (and how many are overdue).
    One query; None (no panel) when she holds no case role."""
    from django.db.models import Count

    organisation_ids = _receiver_organisation_ids(user) if user.is_authenticated else set()
    if not organisation_ids:
        return None
    counts = Referral.objects.filter(to_organisation_id__in=organisation_ids, status=ReferralStatus.SENT).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=timezone.now())))
    return counts
