"""Writing the EIGE review (part "practice-review"): the review grids (the default one shipped at
`migrate`, copies, edits while unused, activation) and the steps of a practice's review: the
check against the basic criteria, the reviewers' scores, the conclusion (promising, not
promising, returned), the stakeholders' selection, publication and withdrawal.

Every step locks the practice (services.practices.locked), checks inside that she holds the
capability (else 404, rete.learning.access), refuses with a message a step on a practice of her
own organisation (she can see it: a 404 would not be the truth; EIGE's reviewers are external)
and a step the practice's status does not allow, moves it through practice_transition (history
row and audit event) and leaves its own audit event with ids and codes only. The practice's
creator is e-mailed after commit when it is returned, in review, promising or not, selected or
published: a label and a link, nothing else."""
import functools
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError, StaleEdit
from rete.learning import scoring
from rete.learning.models import (CriterionKind, PracticeCheck, PracticeReview, PracticeStatus, ReviewCriterion,
                                  ReviewGrid)
from rete.learning.selectors import review as selectors
from rete.learning.services.practices import locked, practice_transition
from rete.network import texts

NOTE_MAX = 4000
COMMENT_MAX = 8000
NAME_MAX = 120
LABEL_MAX = 200
GUIDANCE_MAX = 2000
MAX_SCORE_LIMIT = 10
REVIEWS_NEEDED_LIMIT = 20
WEIGHT_LIMIT = Decimal("999.99")

# ---- the default grid (EIGE's criteria) --------------------------------------------------------
# Written here in English through gettext, so that the catalogs carry them; installed with each
# language's text in its own column (install_default_grid).

DEFAULT_GRID_NAME = gettext_lazy("EIGE good-practice review grid")
DEFAULT_THRESHOLD = Decimal(60)
DEFAULT_REVIEWS_NEEDED = 2
DEFAULT_BASIC = (
    ("addresses_gbv", gettext_lazy("Addresses gender-based violence"),
     gettext_lazy("The practice aims to prevent or respond to violence against women or other gender-based "
                  "violence, not only to violence in general.")),
    ("implemented", gettext_lazy("Has been implemented, not only planned"),
     gettext_lazy("It has run in practice, with real participants or clients, long enough to show how it works.")),
    ("documented", gettext_lazy("Results documented or evaluated"),
     gettext_lazy("There is a record of what it achieved: monitoring data, an evaluation, questionnaires before "
                  "and after, or a report.")),
    ("contact", gettext_lazy("A contact can describe it"),
     gettext_lazy("Someone involved in the practice can answer the questions of reviewers and of other services.")),
)
DEFAULT_SCORED = (
    ("effective", 3, gettext_lazy("Successful and effective"),
     gettext_lazy("It achieved what it set out to do for the people it serves, and the evidence shows it.")),
    ("gender_responsive", 2, gettext_lazy("Gender-responsive"),
     gettext_lazy("It recognises violence against women as gendered, takes the different needs of women and men "
                  "into account and does not reinforce stereotypes.")),
    ("transferable", 2, gettext_lazy("Transferable"),
     gettext_lazy("Another organisation or country could adopt it: its steps, resources and conditions are "
                  "described well enough to do so.")),
    ("sustainable", 2, gettext_lazy("Sustainable"),
     gettext_lazy("It can continue beyond its first funding: stable resources, trained staff, institutional "
                  "support.")),
    ("inspirational", 1, gettext_lazy("Inspirational and innovative"),
     gettext_lazy("It offers a new or creative approach that can inspire others to improve their own work.")),
    ("intersecting", 1, gettext_lazy("Addresses intersecting inequalities"),
     gettext_lazy("It reaches women who face more than one disadvantage (migrant women, women with disabilities, "
                  "older women, LGBTI people…) and adapts to their needs.")),
    ("transformative", 1, gettext_lazy("Transformative"),
     gettext_lazy("It challenges the attitudes, norms or structures that allow violence, not only its "
                  "consequences.")),
    ("participatory", 1, gettext_lazy("Participatory"),
     gettext_lazy("The people it serves, survivors included, and partner services took part in designing, running "
                  "or evaluating it.")),
)
DEFAULT_MAX_SCORE = 5


def _put_translated(obj, field, text):
    """Each language's column from the catalogs. A language whose catalog does not translate it
    yet stays empty, so that pages say the text is shown in English until it is."""
    with translation.override(settings.LANGUAGE_CODE):
        english = str(text)
    for code in texts.LANGUAGE_CODES:
        with translation.override(code):
            value = str(text)
        texts.put(obj, field, code, value if code == settings.LANGUAGE_CODE or value != english else "")


def install_default_grid() -> ReviewGrid | None:
    """The EIGE grid, active, when there is no grid at all (never a second one). Returns it, or
    None when a grid exists already."""
    with transaction.atomic():
        if ReviewGrid.objects.exists():
            return None
        with translation.override(settings.LANGUAGE_CODE):
            name = str(DEFAULT_GRID_NAME)
        grid = ReviewGrid.objects.create(name=name, number=1, active=True, threshold=DEFAULT_THRESHOLD,
                                         reviews_needed=DEFAULT_REVIEWS_NEEDED)
        criteria = []
        for order, (key, label, guidance) in enumerate(DEFAULT_BASIC):
            criteria.append((key, CriterionKind.BASIC, 1, 1, label, guidance, order))
        for order, (key, weight, label, guidance) in enumerate(DEFAULT_SCORED):
            criteria.append((key, CriterionKind.SCORED, weight, DEFAULT_MAX_SCORE, label, guidance, order))
        for key, kind, weight, max_score, label, guidance, order in criteria:
            criterion = ReviewCriterion(grid=grid, kind=kind, key=key, weight=Decimal(weight), max_score=max_score,
                                        order=order)
            _put_translated(criterion, "label", label)
            _put_translated(criterion, "guidance", guidance)
            criterion.save()
        audit.record(action="learning.grid.installed", obj=grid, detail={"grid": grid.pk, "criteria": len(criteria)})
    return grid


def install_default_grid_after_migrate(sender, using="default", verbosity=1, stdout=None, **kwargs):
    """post_migrate of the learning app: the default grid when none exists. Skipped while its
    tables do not exist (a migration run backwards, another database)."""
    import logging

    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

    if using != DEFAULT_DB_ALIAS:
        return
    try:
        tables = set(connections[using].introspection.table_names())
        if ReviewCriterion._meta.db_table not in tables or "core_auditevent" not in tables:
            return
        grid = install_default_grid()
    except DatabaseError:
        logging.getLogger(__name__).exception("The default review grid could not be installed")
        return
    if grid is not None and verbosity >= 1 and stdout is not None:
        stdout.write("  Installed the default review grid.\n")


# ---- grids -----------------------------------------------------------------------------------

def _require_decider(by):
    if not selectors.decides(user=by):
        core_access.deny()


def _locked_grid(by, grid) -> ReviewGrid:
    _require_decider(by)
    row = ReviewGrid.objects.select_for_update(of=("self",)).filter(pk=getattr(grid, "pk", grid)).first()
    if row is None:
        core_access.deny()
    return row


def _grid_audit(action, by, grid, **detail):
    audit.record(action=f"learning.grid.{action}", actor=by, obj=grid, detail={"grid": grid.pk, **detail})


@transaction.atomic
def grid_copy(*, by, grid) -> ReviewGrid:
    """A new, inactive version of the grid with the same settings and criteria (every language),
    to change while the original stays as it was for the practices reviewed on it."""
    source = _locked_grid(by, grid)
    number = (ReviewGrid.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    copy = ReviewGrid.objects.create(name=source.name, number=number, active=False, threshold=source.threshold,
                                     reviews_needed=source.reviews_needed, created_by=by)
    copied = []
    for criterion in source.criteria.order_by("kind", "order", "pk"):
        new = ReviewCriterion(grid=copy, kind=criterion.kind, key=criterion.key, weight=criterion.weight,
                              max_score=criterion.max_score, order=criterion.order)
        for field in ("label", "guidance"):
            for code in texts.LANGUAGE_CODES:
                texts.put(new, field, code, getattr(criterion, texts.column(field, code), "") or "")
        copied.append(new)
    ReviewCriterion.objects.bulk_create(copied)
    _grid_audit("copied", by, copy, source=source.pk, number=number)
    return copy


@transaction.atomic
def grid_activate(*, by, grid) -> ReviewGrid:
    """New checks use this grid from now on; the one used so far stays for the practices
    already checked on it."""
    row = _locked_grid(by, grid)
    if row.active:
        return row
    if not any(c.kind == CriterionKind.SCORED for c in row.criteria.all()):
        raise ServiceError(_("A grid needs at least one scored criterion before it can be used."))
    previous = list(ReviewGrid.objects.select_for_update(of=("self",)).filter(active=True).exclude(pk=row.pk))
    ReviewGrid.objects.filter(pk__in=[g.pk for g in previous]).update(active=False)
    row.active = True
    try:
        with transaction.atomic():
            row.save(update_fields=["active"])
    except IntegrityError:
        raise ServiceError(_("Another grid was activated at the same time: try again.")) from None
    _grid_audit("activated", by, row, previous=[g.pk for g in previous])
    return row


def _decimal(value, *, field, low, high, message) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError(message, field=field) from None
    if not number.is_finite() or number < low or number > high:
        raise ServiceError(message, field=field)
    return number.quantize(Decimal("0.01"))


def _whole(value, *, field, low, high, message) -> int:
    try:
        number = int(str(value).strip())
    except (ValueError, TypeError):
        raise ServiceError(message, field=field) from None
    if number < low or number > high:
        raise ServiceError(message, field=field)
    return number


def _text(value, *, limit, field) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ServiceError(_("This text is too long (at most %(limit)d characters).") % {"limit": limit}, field=field)
    return value


def _new_key(labels: dict, taken: set) -> str:
    base = ""
    for code in [settings.LANGUAGE_CODE, *texts.LANGUAGE_CODES]:
        base = slugify(labels.get(code) or "").replace("-", "_")[:32]
        if base:
            break
    base = base or "criterion"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


@transaction.atomic
def grid_update(*, by, grid, token, name, threshold, reviews_needed, criteria: list) -> ReviewGrid:
    """Changes a grid no practice was checked or reviewed on: its name, threshold, number of
    reviews needed and criteria. `criteria` lists every criterion she keeps, changes, removes or
    adds, in order: {"id" (None for a new one), "kind", "labels" {language: text}, "guidance"
    {language: text}, "weight", "max_score", "delete"}; languages not given keep their text.
    A `token` other than the saved grid's (selectors.grid_token) is a stale edit. Errors name
    the field as "criteria.<index>.<name>"."""
    row = _locked_grid(by, grid)
    existing = {c.pk: c for c in row.criteria.all()}
    if token != selectors.grid_token(row):
        raise StaleEdit(row)
    if selectors.grid_in_use(row):
        raise ServiceError(_("Practices have been checked or reviewed on this grid: it can no longer change. "
                             "Copy it into a new version to change it."))
    name = _text(name, limit=NAME_MAX, field="name")
    if not name:
        raise ServiceError(_("Give the grid a name."), field="name")
    threshold = _decimal(threshold, field="threshold", low=Decimal(0), high=Decimal(100),
                         message=_("Give a number from 0 to 100."))
    reviews_needed = _whole(reviews_needed, field="reviews_needed", low=1, high=REVIEWS_NEEDED_LIMIT,
                            message=_("Give a whole number from 1 to %(high)d.") % {"high": REVIEWS_NEEDED_LIMIT})
    kept, removed, orders = [], [], {CriterionKind.BASIC: 0, CriterionKind.SCORED: 0}
    taken = {c.key for c in existing.values()}
    for index, item in enumerate(criteria):
        where = f"criteria.{index}."
        pk = item.get("id")
        criterion = existing.get(int(pk)) if pk not in (None, "") else None
        if pk not in (None, "") and criterion is None:
            raise ServiceError(_("This criterion is not part of the grid."), field=where + "kind")
        if item.get("delete"):
            if criterion is not None:
                removed.append(criterion)
            continue
        kind = item.get("kind")
        if kind not in CriterionKind.values:
            raise ServiceError(_("Choose from the list."), field=where + "kind")
        labels = {code: _text(text, limit=LABEL_MAX, field=where + "label")
                  for code, text in (item.get("labels") or {}).items() if code in texts.LANGUAGE_CODES}
        guidance = {code: _text(text, limit=GUIDANCE_MAX, field=where + "guidance")
                    for code, text in (item.get("guidance") or {}).items() if code in texts.LANGUAGE_CODES}
        if criterion is None:
            criterion = ReviewCriterion(grid=row, key=_new_key(labels, taken))
        for code, text in labels.items():
            texts.put(criterion, "label", code, text)
        for code, text in guidance.items():
            texts.put(criterion, "guidance", code, text)
        if not any((getattr(criterion, texts.column("label", code), "") or "").strip() for code in texts.LANGUAGE_CODES):
            raise ServiceError(_("Name the criterion."), field=where + "label")
        criterion.kind = kind
        if kind == CriterionKind.SCORED:
            criterion.weight = _decimal(item.get("weight"), field=where + "weight", low=Decimal("0.01"),
                                        high=WEIGHT_LIMIT, message=_("Give a weight above 0 (at most 999.99)."))
            criterion.max_score = _whole(item.get("max_score"), field=where + "max_score", low=1,
                                         high=MAX_SCORE_LIMIT,
                                         message=_("Give a whole number from 1 to %(high)d.") % {"high": MAX_SCORE_LIMIT})
        else:
            criterion.weight, criterion.max_score = Decimal(1), 1
        criterion.order = orders[kind]
        orders[kind] += 1
        kept.append(criterion)
    if not any(c.kind == CriterionKind.SCORED for c in kept):
        raise ServiceError(_("Keep at least one scored criterion."))
    changed = sorted(f for f, v in (("name", name), ("threshold", threshold), ("reviews_needed", reviews_needed))
                     if getattr(row, f) != v)
    row.name, row.threshold, row.reviews_needed = name, threshold, reviews_needed
    row.save(update_fields=["name", "threshold", "reviews_needed"])
    ReviewCriterion.objects.filter(pk__in=[c.pk for c in removed]).delete()
    added = []
    for criterion in kept:
        if criterion.pk is None:
            added.append(criterion.key)
        criterion.save()
    _grid_audit("updated", by, row, fields=changed, added=added, removed=[c.key for c in removed])
    return row


# ---- the steps of a practice's review --------------------------------------------------------

def _practice_audit(action, by, practice, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=practice.organisation, obj=practice,
                 detail={"practice": practice.pk, **detail})


def _locked_for(by, practice, *, may):
    """The practice, locked, for a step she may take (`may(user=…)`, else 404) on a practice
    submitted to the network (another organisation's draft is out of her reach: 404). A practice
    of her own organisation: refused with a message."""
    row = locked(by, practice)
    if not may(user=by):
        core_access.deny()
    if selectors.member_of(user=by, organisation_id=row.organisation_id):
        raise ServiceError(_("This practice is your own organisation's: someone from another organisation of the "
                             "network takes this step."))
    if row.status == PracticeStatus.DRAFT:
        core_access.deny()
    return row


def _status_label(status) -> str:
    return str(PracticeStatus(status).label)


def _require_status(row, statuses, message):
    if row.status not in statuses:
        raise ServiceError(message % {"status": _status_label(row.status)})


def _reason(value, *, required, message) -> str:
    value = _text(value, limit=NOTE_MAX, field="reason")
    if required and not value:
        raise ServiceError(message, field="reason")
    return value


@transaction.atomic
def practice_check(*, by, practice, answers: dict, note="") -> PracticeCheck:
    """A network coordinator of another organisation checks a submitted practice against the
    basic criteria of the active grid: all met → in review on that grid; otherwise it goes back
    to its owner with the note as the reason."""
    row = _locked_for(by, practice, may=selectors.decides)
    _require_status(row, {PracticeStatus.SUBMITTED},
                    _("Only a submitted practice is checked against the basic criteria; this one is %(status)s."))
    grid = selectors.active_grid()
    if grid is None:
        raise ServiceError(_("No review grid is in use: a network coordinator activates one first."))
    criteria = list(grid.criteria.all())
    cleaned = {}
    for criterion in scoring.basic_criteria(criteria):
        value = (answers or {}).get(criterion.key)
        if not isinstance(value, bool):
            raise ServiceError(_("Answer yes or no."), field=f"basic_{criterion.key}")
        cleaned[criterion.key] = value
    passed = scoring.basic_check_passed(criteria, cleaned)
    note = _text(note, limit=NOTE_MAX, field="note")
    if not passed and not note:
        raise ServiceError(_("Tell the owner what is missing: the practice goes back to them with this note."),
                           field="note")
    check = PracticeCheck.objects.create(practice=row, grid=grid, answers=cleaned, passed=passed, note=note, by=by)
    if passed:
        row.grid = grid
        row.save(update_fields=["grid"])
    practice_transition(by=by, row=row, to_status=PracticeStatus.IN_REVIEW if passed else PracticeStatus.RETURNED,
                        reason=note)
    _practice_audit("practice.checked", by, row, check=check.pk, grid=grid.pk, passed=passed)
    _tell_owner_after_commit(row)
    return check


@transaction.atomic
def practice_review_submit(*, by, practice, scores: dict, comment="") -> PracticeReview:
    """A trainer or network coordinator of another organisation scores a practice in review on
    its grid, once."""
    row = _locked_for(by, practice, may=selectors.reviews)
    _require_status(row, {PracticeStatus.IN_REVIEW}, _("Reviews are taken only while the practice is in review; "
                                                       "this one is %(status)s."))
    grid = row.grid
    if grid is None:
        raise ServiceError(_("This practice has no review grid: it must pass the basic check first."))
    if PracticeReview.objects.filter(practice=row, reviewer=by, grid=grid).exists():
        raise ServiceError(_("You have already reviewed this practice: each reviewer scores it once."))
    criteria = list(grid.criteria.all())
    try:
        cleaned = scoring.clean_scores(criteria, scores)
        weighted = scoring.weighted_score(criteria, cleaned)
    except scoring.ScoreError as exc:
        highest = next((c.max_score for c in criteria if c.key == exc.key), None)
        if highest is None:
            raise ServiceError(_("This grid cannot be scored: tell a network coordinator.")) from None
        raise ServiceError(_("Give a whole number from 0 to %(high)d.") % {"high": highest},
                           field=f"score_{exc.key}") from None
    comment = _text(comment, limit=COMMENT_MAX, field="comment")
    try:
        with transaction.atomic():
            review = PracticeReview.objects.create(practice=row, grid=grid, reviewer=by, scores=cleaned,
                                                   weighted=weighted, comment=comment)
    except IntegrityError:
        raise ServiceError(_("You have already reviewed this practice: each reviewer scores it once.")) from None
    _practice_audit("practice.reviewed", by, row, review=review.pk, grid=grid.pk)
    return review


CONCLUSIONS = (PracticeStatus.PROMISING, PracticeStatus.NOT_PROMISING, PracticeStatus.RETURNED)
# What each status may be concluded to: the decision after the reviews; a promising practice the
# stakeholders did not select; a practice not found promising sent back to improve it.
CONCLUDE_FROM = {
    PracticeStatus.IN_REVIEW: set(CONCLUSIONS),
    PracticeStatus.PROMISING: {PracticeStatus.NOT_PROMISING},
    PracticeStatus.NOT_PROMISING: {PracticeStatus.RETURNED},
}


def conclusions_for(status) -> list[str]:
    return [c for c in CONCLUSIONS if c in CONCLUDE_FROM.get(status, set())]


@transaction.atomic
def practice_conclude(*, by, practice, decision, reason="") -> object:
    """A network coordinator of another organisation concludes the review. Promising needs the
    grid's number of reviews; a decision other than the scores' proposal, a return and any later
    change of mind need a reason (the owner reads it)."""
    row = _locked_for(by, practice, may=selectors.decides)
    if decision not in CONCLUSIONS:
        raise ServiceError(_("Choose from the list."), field="decision")
    if decision not in CONCLUDE_FROM.get(row.status, set()):
        raise ServiceError(_("This decision is not possible while the practice is %(status)s.")
                           % {"status": _status_label(row.status)}, field="decision")
    summary = selectors.round_summary(row)
    count = summary["aggregate"].count
    if decision == PracticeStatus.PROMISING and count < summary["needed"]:
        raise ServiceError(_("A practice is found promising after %(needed)d reviews; it has %(count)d so far.")
                           % {"needed": summary["needed"], "count": count}, field="decision")
    follows = row.status == PracticeStatus.IN_REVIEW and decision == summary["proposal"]
    reason = _reason(reason, required=not follows,
                     message=_("Give the reason for this decision: the owner reads it."))
    practice_transition(by=by, row=row, to_status=decision, reason=reason)
    _practice_audit("practice.concluded", by, row, decision=decision, proposal=summary["proposal"] or "",
                    reviews=count)
    _tell_owner_after_commit(row)
    return row


@transaction.atomic
def practice_select(*, by, practice, reason="") -> object:
    """A promising practice selected by the network's stakeholders (where, or how, in the
    reason)."""
    row = _locked_for(by, practice, may=selectors.decides)
    _require_status(row, {PracticeStatus.PROMISING}, _("Only a promising practice can be selected; this one is "
                                                       "%(status)s."))
    practice_transition(by=by, row=row, to_status=PracticeStatus.SELECTED,
                        reason=_reason(reason, required=False, message=""))
    _tell_owner_after_commit(row)
    return row


@transaction.atomic
def practice_publish(*, by, practice) -> object:
    """A selected (or withdrawn) practice published to the network; to the public portal as
    well when its owner chose it."""
    row = _locked_for(by, practice, may=selectors.decides)
    _require_status(row, {PracticeStatus.SELECTED, PracticeStatus.WITHDRAWN},
                    _("Only a selected or withdrawn practice can be published; this one is %(status)s."))
    practice_transition(by=by, row=row, to_status=PracticeStatus.PUBLISHED)
    _practice_audit("practice.published", by, row, public=bool(row.public))
    _tell_owner_after_commit(row)
    return row


@transaction.atomic
def practice_withdraw(*, by, practice, reason="") -> object:
    row = _locked_for(by, practice, may=selectors.decides)
    _require_status(row, {PracticeStatus.PUBLISHED}, _("Only a published practice can be withdrawn; this one is "
                                                       "%(status)s."))
    practice_transition(by=by, row=row, to_status=PracticeStatus.WITHDRAWN,
                        reason=_reason(reason, required=True, message=_("Say why it is withdrawn.")))
    return row


# ---- telling the owner -----------------------------------------------------------------------

OWNER_TOLD = {
    PracticeStatus.RETURNED: gettext_lazy("Your practice was returned for changes"),
    PracticeStatus.IN_REVIEW: gettext_lazy("Your practice passed the basic check and is now in review"),
    PracticeStatus.PROMISING: gettext_lazy("Your practice was found promising"),
    PracticeStatus.NOT_PROMISING: gettext_lazy("Your practice was not found promising"),
    PracticeStatus.SELECTED: gettext_lazy("Your practice was selected by the network's stakeholders"),
    PracticeStatus.PUBLISHED: gettext_lazy("Your practice was published"),
}


def _tell_owner_after_commit(row):
    if row.status in OWNER_TOLD:
        transaction.on_commit(functools.partial(tell_owner, row.pk, row.status))


def practice_link(practice_id) -> str:
    """The practice's page (part "practice-records"), in the active language."""
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("learning:practice_detail", kwargs={"practice_id": practice_id})
    except NoReverseMatch:
        path = "/"
    return settings.RETE_BASE_URL.rstrip("/") + path


def tell_owner(practice_id, status):
    """After commit: the practice's creator learns what happened, in her language: a label and
    a link (the reasons are on the page, behind her sign-in). Nothing when the step was undone
    or overtaken."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from rete.learning.models import Practice

    practice = Practice.objects.select_related("created_by").filter(pk=practice_id, status=status).first()
    if practice is None:
        return
    person = practice.created_by
    if not person.is_active or not person.email:
        return
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {"label": str(OWNER_TOLD[status]), "number": practice.pk, "link": practice_link(practice.pk)}
        subject = render_to_string("learning/review_email_subject.txt", context).strip()
        body = render_to_string("learning/review_email.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
