"""Every read of the EIGE review (part "practice-review"): the review grids, the queue of
practices waiting for a step, and what the review section of a practice shows to whom.

Who: network coordinators (rete.learning.access.DECIDE_PRACTICES) keep the grids, check,
conclude, select, publish and withdraw; trainers and network coordinators (REVIEW_PRACTICES)
score. Nobody takes a step on a practice of an organisation she belongs to: she sees it as its
owner does (the decisions, their reasons and the aggregate of the scores, never the reviewers'
individual scores, names or comments). Members who neither own, review nor decide see no review.

A practice's current round of reviews is the set of reviews on its grid submitted since its
latest passed basic check: a practice returned after review and submitted again is reviewed
afresh (on the same grid a reviewer scores it once, as the database enforces)."""
import hashlib
import json

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from rete.core import access as core_access
from rete.core.selectors import active_memberships
from rete.learning import scoring
from rete.learning.models import (Practice, PracticeCheck, PracticeReview, PracticeStateChange, PracticeStatus,
                                  ReviewCriterion, ReviewGrid)
from rete.learning.selectors.practices import decides_practices, reviews_practices
from rete.network import texts

QUEUE_LIMIT = 50
# The steps of the review the owner reads about (with their reasons), in the order they happen.
REVIEW_STEPS = (PracticeStatus.RETURNED, PracticeStatus.IN_REVIEW, PracticeStatus.PROMISING,
                PracticeStatus.NOT_PROMISING, PracticeStatus.SELECTED, PracticeStatus.PUBLISHED,
                PracticeStatus.WITHDRAWN)


# ---- who -------------------------------------------------------------------------------------

def decides(*, user) -> bool:
    return decides_practices(user=user)


def reviews(*, user) -> bool:
    return reviews_practices(user=user)


def takes_part(*, user) -> bool:
    """She reviews or decides (the queue and the navigation entry; no query beyond her
    memberships, cached per request)."""
    return reviews(user=user) or decides(user=user)


def member_of(*, user, organisation_id) -> bool:
    """She belongs to the organisation in any role: its practices are her own organisation's."""
    return any(m.organisation_id == organisation_id for m in active_memberships(user=user))


def _my_organisations(user) -> set[int]:
    return {m.organisation_id for m in active_memberships(user=user)}


def viewer(*, user, practice) -> str | None:
    """How she sees the review of a practice she can already see: "owner" (a member of its
    organisation), "reviewer" (she reviews or decides, elsewhere), or None (no review for her)."""
    if member_of(user=user, organisation_id=practice.organisation_id):
        return "owner"
    if practice.status != PracticeStatus.DRAFT and takes_part(user=user):
        return "reviewer"
    return None


def practice_for_review(*, user, pk) -> Practice:
    """A practice submitted to the network, for a reviewer or decider of another organisation
    (404 for anyone else, and for drafts: nothing to review yet)."""
    if not takes_part(user=user):
        core_access.deny()
    practice = (Practice.objects.filter(pk=pk).exclude(status=PracticeStatus.DRAFT)
                .exclude(organisation_id__in=_my_organisations(user)).select_related("organisation", "grid").first())
    if practice is None:
        core_access.deny()
    return practice


# ---- grids -----------------------------------------------------------------------------------

def _criteria_prefetch():
    return Prefetch("criteria", queryset=ReviewCriterion.objects.order_by("kind", "order", "pk"))


def active_grid() -> ReviewGrid | None:
    """The grid new checks use, with its criteria."""
    return ReviewGrid.objects.filter(active=True).prefetch_related(_criteria_prefetch()).first()


def _in_use_q() -> Q:
    return (Q(Exists(Practice.objects.filter(grid=OuterRef("pk"))))
            | Q(Exists(PracticeCheck.objects.filter(grid=OuterRef("pk"))))
            | Q(Exists(PracticeReview.objects.filter(grid=OuterRef("pk")))))


def grid_list(*, user):
    """Every grid, for the network coordinators (404 for anyone else), with its number of
    criteria and of practices reviewed on it (a fixed number of queries)."""
    if not decides(user=user):
        core_access.deny()
    return (ReviewGrid.objects.annotate(criteria_count=Count("criteria", distinct=True),
                                        practice_count=Count("practices", distinct=True))
            .select_related("created_by"))


def grid_get(*, user, pk) -> ReviewGrid:
    if not decides(user=user):
        core_access.deny()
    grid = (ReviewGrid.objects.filter(pk=pk).annotate(in_use=_in_use_q()).select_related("created_by")
            .prefetch_related(_criteria_prefetch()).first())
    if grid is None:
        core_access.deny()
    return grid


def grid_in_use(grid) -> bool:
    """A practice was checked or reviewed on it: it no longer changes."""
    return ReviewGrid.objects.filter(pk=grid.pk).filter(_in_use_q()).exists()


def grid_token(grid) -> str:
    """A fingerprint of the grid as it is saved (name, threshold, reviews needed, every column
    of every criterion): the edit form carries it, and a save from an older page is refused."""
    criteria = [
        [c.pk, c.kind, c.key, str(c.weight), c.max_score, c.order,
         *[getattr(c, texts.column(field, code), "") or ""
           for field in ("label", "guidance") for code in texts.LANGUAGE_CODES]]
        for c in sorted(grid.criteria.all(), key=lambda c: c.pk)
    ]
    payload = [grid.name, str(grid.threshold), grid.reviews_needed, criteria]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:20]


def criterion_text(criterion, field, language) -> dict:
    """A criterion's label or guidance in `language` (else another language, and which)."""
    shown = texts.get(criterion, field, language)
    return {"text": shown.text, "language": shown.language, "fallback": bool(shown.text) and shown.language != language}


# ---- the current round -----------------------------------------------------------------------

def round_started_at(checks):
    """When the current round began: the latest passed check (checks newest first)."""
    for check in checks:
        if check.passed:
            return check.at
    return None


def current_reviews(practice, reviews_, checks) -> list:
    started = round_started_at(checks)
    if started is None or practice.grid_id is None:
        return []
    return [r for r in reviews_ if r.grid_id == practice.grid_id and r.submitted_at >= started]


def round_summary(practice) -> dict:
    """The current round's reviews of a practice with their aggregate and the proposal (a
    fixed number of queries)."""
    checks = list(PracticeCheck.objects.filter(practice=practice).order_by("-at", "-pk"))
    reviews_ = list(PracticeReview.objects.filter(practice=practice).order_by("submitted_at", "pk"))
    current = current_reviews(practice, reviews_, checks)
    totals = scoring.aggregate(current)
    grid = practice.grid
    needed = grid.reviews_needed if grid else 0
    return {"reviews": current, "aggregate": totals, "needed": needed,
            "proposal": scoring.proposal(totals.mean, grid.threshold, totals.count, needed) if grid else None}


def review_record(*, practice, with_reviews: bool) -> dict:
    """What the review section shows: the checks, the reviews (only when `with_reviews`), the
    current round's aggregate and proposal, and the decisions with their reasons. Six queries,
    whatever the number of checks, reviews and decisions."""
    grid = practice.grid
    criteria = list(grid.criteria.order_by("kind", "order", "pk")) if grid else []
    checks = list(PracticeCheck.objects.filter(practice=practice).select_related("by", "grid").order_by("-at", "-pk"))
    reviews_ = list(PracticeReview.objects.filter(practice=practice).select_related("reviewer")
                    .order_by("submitted_at", "pk"))
    current = current_reviews(practice, reviews_, checks)
    totals = scoring.aggregate(current)
    needed = grid.reviews_needed if grid else 0
    check_grids = {c.grid_id for c in checks}
    check_criteria = {}
    for criterion in ReviewCriterion.objects.filter(grid_id__in=check_grids, kind="basic").order_by("order", "pk"):
        check_criteria.setdefault(criterion.grid_id, []).append(criterion)
    decisions = list(PracticeStateChange.objects.filter(practice=practice, to_status__in=REVIEW_STEPS)
                     .select_related("by").order_by("at", "pk"))
    return {
        "grid": grid, "criteria": criteria, "checks": checks, "reviews": current if with_reviews else [],
        "earlier_reviews": (len(reviews_) - len(current)) if with_reviews else 0,
        "aggregate": totals, "needed": needed,
        "proposal": scoring.proposal(totals.mean, grid.threshold, totals.count, needed) if grid else None,
        "decisions": decisions, "check_criteria": check_criteria,
        # Who has scored it on its grid (this round or an earlier one): each reviewer scores once.
        "reviewer_ids": {r.reviewer_id for r in reviews_ if grid and r.grid_id == grid.pk},
    }


# ---- the queue -------------------------------------------------------------------------------

def _with_review_count(queryset):
    started = PracticeCheck.objects.filter(practice=OuterRef("pk"), passed=True).order_by("-at", "-pk").values("at")[:1]
    counted = (PracticeReview.objects.filter(practice=OuterRef("pk"), grid=OuterRef("grid"),
                                             submitted_at__gte=OuterRef("round_started_at"))
               .order_by().values("practice").annotate(n=Count("pk")).values("n")[:1])
    return queryset.annotate(round_started_at=Subquery(started)).annotate(review_count=Coalesce(Subquery(counted), 0))


def review_queue(*, user, limit=QUEUE_LIMIT) -> dict:
    """The practices waiting for a step she may take, oldest first, at most `limit` (+1, to
    tell that there are more) per group; one query per group. Practices of her own
    organisations are never in it."""
    reviewer, decider = reviews(user=user), decides(user=user)
    if not (reviewer or decider):
        core_access.deny()
    base = (Practice.objects.exclude(organisation_id__in=_my_organisations(user)).select_related("organisation", "grid"))
    base = _with_review_count(base)
    groups = {}
    if decider:
        groups["check"] = base.filter(status=PracticeStatus.SUBMITTED).order_by("submitted_at", "pk")
    if reviewer:
        mine = PracticeReview.objects.filter(practice=OuterRef("pk"), reviewer=user, grid=OuterRef("grid"))
        groups["review"] = base.filter(status=PracticeStatus.IN_REVIEW).exclude(Exists(mine)).order_by("submitted_at", "pk")
    if decider:
        groups["conclude"] = (base.filter(status=PracticeStatus.IN_REVIEW, review_count__gte=F("grid__reviews_needed"))
                              .order_by("submitted_at", "pk"))
        groups["promising"] = base.filter(status=PracticeStatus.PROMISING).order_by("updated_at", "pk")
        groups["selected"] = base.filter(status=PracticeStatus.SELECTED).order_by("updated_at", "pk")
    result = {}
    for key, queryset in groups.items():
        rows = list(queryset[: limit + 1])
        result[key] = {"rows": rows[:limit], "more": len(rows) > limit}
    return result
