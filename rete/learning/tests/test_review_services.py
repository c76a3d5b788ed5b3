"""The EIGE review through its services (rete.learning.services.review): the default grid, the
whole workflow, who may take each step (never on her own organisation's practice), the states,
the rounds of reviews, the e-mails to the owner and the audit trail; the grids' copies, edits
and activation."""
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils.translation import gettext_lazy

from rete.conftest import make_organisation, make_user
from rete.core.models import AuditEvent, Role
from rete.core.services import ServiceError, StaleEdit
from rete.learning.models import (CriterionKind, PracticeCheck, PracticeReview, PracticeStateChange, PracticeStatus,
                                  ReviewCriterion, ReviewGrid)
from rete.learning.selectors import practices as practice_selectors
from rete.learning.selectors import review as selectors
from rete.learning.services import practices as practice_services
from rete.learning.services import review as services
from rete.learning.tests.factories import PRACTICE_TEXTS
from rete.learning.tests.factories_review import basic_answers, in_review, reviewed, scores, submitted

pytestmark = pytest.mark.django_db


def _fresh(practice):
    return practice.__class__.objects.get(pk=practice.pk)


# ---- the default grid ----------------------------------------------------------------------------

def test_the_eige_grid_is_installed_and_in_use():
    grid = selectors.active_grid()
    assert grid is not None and ReviewGrid.objects.count() == 1
    assert (grid.threshold, grid.reviews_needed, grid.number) == (Decimal(60), 2, 1)
    basic = {c.key for c in grid.criteria.all() if c.kind == CriterionKind.BASIC}
    assert basic == {"addresses_gbv", "implemented", "documented", "contact"}
    weights = {c.key: (c.weight, c.max_score) for c in grid.criteria.all() if c.kind == CriterionKind.SCORED}
    assert weights == {"effective": (3, 5), "gender_responsive": (2, 5), "transferable": (2, 5), "sustainable": (2, 5),
                       "inspirational": (1, 5), "intersecting": (1, 5), "transformative": (1, 5),
                       "participatory": (1, 5)}
    effective = grid.criteria.get(key="effective")
    assert effective.label_en == "Successful and effective" and effective.guidance_en
    # Never a second grid.
    assert services.install_default_grid() is None
    assert ReviewGrid.objects.count() == 1


def test_the_default_grid_is_installed_when_there_is_none():
    ReviewGrid.objects.all().delete()
    grid = services.install_default_grid()
    assert grid.active and grid.criteria.count() == 12
    assert AuditEvent.objects.filter(action="learning.grid.installed", object_id=str(grid.pk)).exists()


def test_each_language_column_comes_from_the_catalogs():
    criterion = ReviewCriterion()
    services._put_translated(criterion, "label", gettext_lazy("Yes"))  # in Django's own catalogs
    assert criterion.label_en == "Yes"
    assert criterion.label_it and criterion.label_it != "Yes"
    untranslated = "Words that no catalog holds, on purpose."  # a variable: makemessages does not collect it
    services._put_translated(criterion, "guidance", gettext_lazy(untranslated))
    assert criterion.guidance_en == untranslated
    assert criterion.guidance_it == ""  # shown in English, with a note, until it is translated


# ---- the whole workflow --------------------------------------------------------------------------

def test_a_practice_goes_from_submitted_to_published(network, mailoutbox, django_capture_on_commit_callbacks):
    owner, coordinator = network["caseworker"], network["other_network_coordinator"]
    practice = submitted(network, public=True)
    grid = selectors.active_grid()
    with django_capture_on_commit_callbacks(execute=True):
        check = services.practice_check(by=coordinator, practice=practice, answers=basic_answers(), note="Fine.")
    assert check.passed and check.grid == grid
    practice = _fresh(practice)
    assert practice.status == PracticeStatus.IN_REVIEW and practice.grid == grid
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "in review" in mailoutbox[0].subject
    assert f"/practices/{practice.pk}/" in mailoutbox[0].body

    first = services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(grid),
                                            comment="Strong evidence.")
    assert first.weighted == Decimal("100.00") and first.scores["effective"] == 5
    second = services.practice_review_submit(by=coordinator, practice=practice,
                                             scores=scores(grid, 2, effective=4))
    # (3×4/5 + 10×2/5) / 13 × 100
    assert second.weighted == Decimal("49.23")
    summary = selectors.round_summary(_fresh(practice))
    assert summary["aggregate"].count == 2 and summary["aggregate"].mean == Decimal("74.62")
    assert summary["proposal"] == "promising"

    with django_capture_on_commit_callbacks(execute=True):  # each step its own request
        services.practice_conclude(by=coordinator, practice=practice, decision="promising")  # follows the proposal
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_select(by=coordinator, practice=practice, reason="Milan workshop, February 2019")
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(by=coordinator, practice=practice)
    practice = _fresh(practice)
    assert practice.status == PracticeStatus.PUBLISHED and practice.published_at
    assert practice_selectors.public_practice_get(pk=practice.pk) == practice
    assert [m.to for m in mailoutbox] == [[owner.email]] * 4
    assert ["promising" in mailoutbox[1].subject, "selected" in mailoutbox[2].subject,
            "published" in mailoutbox[3].subject] == [True, True, True]
    for message in mailoutbox:
        assert PRACTICE_TEXTS["title"] not in message.body and "Strong evidence" not in message.body
        assert "Milan workshop" not in message.body
    steps = list(PracticeStateChange.objects.filter(practice=practice).values_list("to_status", flat=True))
    assert steps == ["submitted", "in_review", "promising", "selected", "published"]

    actions = list(AuditEvent.objects.filter(object_id=str(practice.pk), action__startswith="learning.practice.")
                   .values_list("action", "detail"))
    names = [a for a, _d in actions]
    for expected in ("learning.practice.checked", "learning.practice.reviewed", "learning.practice.concluded",
                     "learning.practice.published"):
        assert expected in names
    for _action, detail in actions:  # ids and codes only, never the texts
        text = str(detail)
        assert "Fine." not in text and "Strong evidence" not in text and "Milan" not in text


def test_a_check_that_fails_returns_the_practice_with_the_note(network, mailoutbox, django_capture_on_commit_callbacks):
    practice = submitted(network)
    coordinator = network["other_network_coordinator"]
    with pytest.raises(ServiceError) as error:
        services.practice_check(by=coordinator, practice=practice, answers=basic_answers(documented=False))
    assert error.value.field == "note"
    with pytest.raises(ServiceError) as error:
        services.practice_check(by=coordinator, practice=practice, answers={"addresses_gbv": True}, note="x")
    assert error.value.field.startswith("basic_")
    assert not PracticeCheck.objects.filter(practice=practice).exists()
    with django_capture_on_commit_callbacks(execute=True):
        check = services.practice_check(by=coordinator, practice=practice, answers=basic_answers(documented=False),
                                        note="Add the evaluation's results.")
    practice = _fresh(practice)
    assert not check.passed and practice.status == PracticeStatus.RETURNED and practice.grid is None
    assert PracticeStateChange.objects.filter(practice=practice, to_status="returned").get().reason == \
        "Add the evaluation's results."
    assert "returned" in mailoutbox[0].subject and "evaluation" not in mailoutbox[0].body
    # The owner changes it and submits again; it is checked afresh.
    owner = network["caseworker"]
    practice_services.practice_submit(by=owner, practice=practice)
    services.practice_check(by=coordinator, practice=practice, answers=basic_answers())
    assert _fresh(practice).status == PracticeStatus.IN_REVIEW


def test_nobody_checks_or_reviews_her_own_organisations_practice(network):
    practice = submitted(network)
    for person in (network["network_coordinator"],):
        with pytest.raises(ServiceError) as error:
            services.practice_check(by=person, practice=practice, answers=basic_answers())
        assert "own organisation" in error.value.message
    services.practice_check(by=network["other_network_coordinator"], practice=practice, answers=basic_answers())
    for person in (network["trainer"], network["network_coordinator"]):
        with pytest.raises(ServiceError):
            services.practice_review_submit(by=person, practice=practice, scores=scores(_fresh(practice).grid))
    # Someone of both organisations is her own organisation's too.
    both = make_user("both@other.example", roles=[Role.TRAINER], organisation=network.other)
    from rete.core.models import Membership

    Membership.objects.create(user=both, organisation=network.home, role=Role.CASEWORKER)
    with pytest.raises(ServiceError):
        services.practice_review_submit(by=both, practice=practice, scores=scores(_fresh(practice).grid))
    assert not PracticeReview.objects.exists()


def test_steps_are_for_their_roles_only(network):
    practice = in_review(network)
    grid = practice.grid
    with pytest.raises(Http404):  # a trainer reviews but does not check or decide
        services.practice_conclude(by=network["other_trainer"], practice=practice, decision="not_promising", reason="x")
    for stranger in (network["other_caseworker"], network.outsider, network.superuser):
        with pytest.raises(Http404):
            services.practice_review_submit(by=stranger, practice=practice, scores=scores(grid))
    draft_elsewhere = practice_services.practice_create(
        by=network["other_caseworker"], organisation=network.other, source_language="en", country="CY",
        pillar="protection", texts_by_field={"title": "A draft"}, facets={})
    with pytest.raises(Http404):  # another organisation's draft does not exist for her
        services.practice_check(by=network["network_coordinator"], practice=draft_elsewhere, answers=basic_answers())


def test_each_reviewer_scores_once_and_only_while_in_review(network):
    practice = submitted(network)
    grid = selectors.active_grid()
    with pytest.raises(ServiceError) as error:
        services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(grid))
    assert "in review" in error.value.message
    services.practice_check(by=network["other_network_coordinator"], practice=practice, answers=basic_answers())
    with pytest.raises(ServiceError) as error:
        services.practice_review_submit(by=network["other_trainer"], practice=practice,
                                        scores=scores(grid, effective=9))
    assert error.value.field == "score_effective"
    missing = scores(grid)
    missing.pop("participatory")
    with pytest.raises(ServiceError) as error:
        services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=missing)
    assert error.value.field == "score_participatory"
    services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(grid))
    with pytest.raises(ServiceError) as error:
        services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(grid, 1))
    assert "already reviewed" in error.value.message
    assert PracticeReview.objects.filter(practice=practice).count() == 1


def test_promising_needs_enough_reviews_and_another_decision_a_reason(network):
    practice = in_review(network)
    coordinator = network["other_network_coordinator"]
    services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(practice.grid))
    with pytest.raises(ServiceError) as error:
        services.practice_conclude(by=coordinator, practice=practice, decision="promising", reason="Looks good.")
    assert "2 reviews" in error.value.message
    services.practice_review_submit(by=coordinator, practice=practice, scores=scores(practice.grid, 1))
    # Mean (100 + 20) / 2 = 60: proposed promising. Not promising needs a reason.
    assert selectors.round_summary(_fresh(practice))["proposal"] == "promising"
    with pytest.raises(ServiceError) as error:
        services.practice_conclude(by=coordinator, practice=practice, decision="not_promising")
    assert error.value.field == "reason"
    with pytest.raises(ServiceError):
        services.practice_conclude(by=coordinator, practice=practice, decision="selected", reason="x")
    services.practice_conclude(by=coordinator, practice=practice, decision="not_promising",
                               reason="The reviewers disagree too much.")
    assert _fresh(practice).status == PracticeStatus.NOT_PROMISING
    event = AuditEvent.objects.filter(action="learning.practice.concluded").get()
    assert event.detail["proposal"] == "promising" and event.detail["decision"] == "not_promising"
    # Sent back to improve it, with a reason.
    with pytest.raises(ServiceError):
        services.practice_conclude(by=coordinator, practice=practice, decision="returned")
    services.practice_conclude(by=coordinator, practice=practice, decision="returned", reason="Add outcome data.")
    assert _fresh(practice).status == PracticeStatus.RETURNED


def test_the_later_steps_follow_the_states(network, mailoutbox, django_capture_on_commit_callbacks):
    practice = reviewed(network)
    coordinator = network["other_network_coordinator"]
    with pytest.raises(ServiceError):
        services.practice_select(by=coordinator, practice=practice)
    with pytest.raises(ServiceError):
        services.practice_publish(by=coordinator, practice=practice)
    services.practice_conclude(by=coordinator, practice=practice, decision="promising")
    with pytest.raises(ServiceError):
        services.practice_publish(by=coordinator, practice=practice)
    services.practice_select(by=coordinator, practice=practice)
    with pytest.raises(ServiceError):  # own organisation: never, for any step
        services.practice_publish(by=network["network_coordinator"], practice=practice)
    services.practice_publish(by=coordinator, practice=practice)
    with pytest.raises(ServiceError) as error:
        services.practice_withdraw(by=coordinator, practice=practice)
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_withdraw(by=coordinator, practice=practice, reason="The service closed.")
    assert _fresh(practice).status == PracticeStatus.WITHDRAWN
    assert not mailoutbox  # withdrawal is not among the e-mails
    services.practice_publish(by=coordinator, practice=practice)
    assert _fresh(practice).status == PracticeStatus.PUBLISHED


def test_a_practice_returned_after_review_is_reviewed_afresh(network):
    practice = reviewed(network)
    coordinator = network["other_network_coordinator"]
    services.practice_conclude(by=coordinator, practice=practice, decision="returned", reason="Describe the costs.")
    owner = network["caseworker"]
    practice_services.practice_submit(by=owner, practice=practice)
    services.practice_check(by=coordinator, practice=practice, answers=basic_answers())
    practice = _fresh(practice)
    summary = selectors.round_summary(practice)
    assert summary["aggregate"].count == 0 and summary["proposal"] is None
    with pytest.raises(ServiceError):  # the same reviewer on the same grid: once
        services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(practice.grid))
    newcomer = make_user("reviewer@third.example", roles=[Role.TRAINER], organisation=make_organisation("third"))
    services.practice_review_submit(by=newcomer, practice=practice, scores=scores(practice.grid, 4))
    assert selectors.round_summary(practice)["aggregate"].count == 1


# ---- grids ---------------------------------------------------------------------------------------

def test_a_grid_is_copied_changed_and_put_in_use(network):
    coordinator = network["other_network_coordinator"]
    original = selectors.active_grid()
    checked = in_review(network)
    copy = services.grid_copy(by=coordinator, grid=original)
    assert not copy.active and copy.number == 2 and copy.criteria.count() == original.criteria.count()
    assert copy.criteria.get(key="effective").label_en == "Successful and effective"
    copy = selectors.grid_get(user=coordinator, pk=copy.pk)
    items = [{"id": c.pk, "kind": c.kind, "labels": {"en": c.label_en, "it": c.label_it}, "guidance": {},
              "weight": c.weight, "max_score": c.max_score, "delete": c.key == "participatory"}
             for c in copy.criteria.all()]
    items[0]["labels"] = {"en": "Addresses violence against women", "it": "Affronta la violenza contro le donne"}
    items.append({"id": None, "kind": "scored", "labels": {"en": "Cost-effective", "it": ""},
                  "guidance": {"en": "Results for the money spent."}, "weight": "1.5", "max_score": "4"})
    services.grid_update(by=coordinator, grid=copy, token=selectors.grid_token(copy), name="EIGE grid 2020",
                         threshold="65", reviews_needed=3, criteria=items)
    copy = selectors.grid_get(user=coordinator, pk=copy.pk)
    keys = {c.key for c in copy.criteria.all()}
    assert "participatory" not in keys and "cost_effective" in keys
    assert copy.criteria.get(key="addresses_gbv").label_it == "Affronta la violenza contro le donne"
    assert copy.criteria.get(key="cost_effective").weight == Decimal("1.50")
    assert (copy.name, copy.threshold, copy.reviews_needed) == ("EIGE grid 2020", Decimal(65), 3)
    # The original, in use, did not change.
    assert original.criteria.filter(key="participatory").exists()
    services.grid_activate(by=coordinator, grid=copy)
    assert list(ReviewGrid.objects.filter(active=True)) == [copy]
    # New checks use it; the practice checked before stays on its grid.
    later = in_review(network)
    assert later.grid == copy and _fresh(checked).grid == original
    assert AuditEvent.objects.filter(action="learning.grid.activated", object_id=str(copy.pk)).exists()


def test_a_grid_in_use_never_changes_and_a_stale_edit_is_refused(network):
    coordinator = network["other_network_coordinator"]
    original = selectors.active_grid()
    in_review(network)
    original = selectors.grid_get(user=coordinator, pk=original.pk)
    with pytest.raises(ServiceError) as error:
        services.grid_update(by=coordinator, grid=original, token=selectors.grid_token(original), name="x",
                             threshold=50, reviews_needed=2, criteria=[])
    assert "Copy it" in error.value.message
    copy = selectors.grid_get(user=coordinator, pk=services.grid_copy(by=coordinator, grid=original).pk)
    token = selectors.grid_token(copy)
    ReviewCriterion.objects.filter(grid=copy, key="effective").update(weight=4)
    with pytest.raises(StaleEdit):
        services.grid_update(by=coordinator, grid=copy, token=token, name="x", threshold=50, reviews_needed=2,
                             criteria=[])


def test_a_grid_keeps_a_scored_criterion_with_a_weight(network):
    coordinator = network["other_network_coordinator"]
    copy = selectors.grid_get(user=coordinator,
                              pk=services.grid_copy(by=coordinator, grid=selectors.active_grid()).pk)
    items = [{"id": c.pk, "kind": c.kind, "labels": {}, "guidance": {}, "weight": c.weight, "max_score": c.max_score,
              "delete": c.kind == CriterionKind.SCORED} for c in copy.criteria.all()]
    with pytest.raises(ServiceError) as error:
        services.grid_update(by=coordinator, grid=copy, token=selectors.grid_token(copy), name="x", threshold=50,
                             reviews_needed=2, criteria=items)
    assert "scored" in error.value.message
    items = [{**item, "delete": False} for item in items]
    index = next(i for i, item in enumerate(items) if item["kind"] == CriterionKind.SCORED)
    items[index]["weight"] = "0"
    with pytest.raises(ServiceError) as error:
        services.grid_update(by=coordinator, grid=copy, token=selectors.grid_token(copy), name="x", threshold=50,
                             reviews_needed=2, criteria=items)
    assert error.value.field == f"criteria.{index}.weight"
    with pytest.raises(ServiceError) as error:
        services.grid_update(by=coordinator, grid=copy, token=selectors.grid_token(copy), name="x", threshold=101,
                             reviews_needed=2, criteria=[])
    assert error.value.field == "threshold"
    # A grid without a scored criterion cannot be put in use.
    ReviewCriterion.objects.filter(grid=copy, kind=CriterionKind.SCORED).delete()
    with pytest.raises(ServiceError):
        services.grid_activate(by=coordinator, grid=copy)


def test_only_network_coordinators_keep_the_grids(network):
    grid = selectors.active_grid()
    for person in (network["trainer"], network["caseworker"], network.outsider, network.superuser):
        with pytest.raises(Http404):
            services.grid_copy(by=person, grid=grid)
        with pytest.raises(Http404):
            selectors.grid_list(user=person)
        with pytest.raises(Http404):
            selectors.grid_get(user=person, pk=grid.pk)
    assert selectors.grid_get(user=network["network_coordinator"], pk=grid.pk) == grid


def test_the_queue_holds_what_she_may_do(network):
    home_practice = in_review(network)
    other_submitted = submitted(network, organisation=network.other)
    home_coordinator, home_trainer = network["network_coordinator"], network["trainer"]
    queue = selectors.review_queue(user=home_coordinator)
    assert [p.pk for p in queue["check"]["rows"]] == [other_submitted.pk]
    assert queue["review"]["rows"] == [] and home_practice.pk not in [p.pk for g in queue.values() for p in g["rows"]]
    trainer_queue = selectors.review_queue(user=home_trainer)
    assert set(trainer_queue) == {"review"}
    services.practice_check(by=home_coordinator, practice=other_submitted, answers=basic_answers())
    assert [p.pk for p in selectors.review_queue(user=home_trainer)["review"]["rows"]] == [other_submitted.pk]
    services.practice_review_submit(by=home_trainer, practice=other_submitted, scores=scores(selectors.active_grid()))
    assert selectors.review_queue(user=home_trainer)["review"]["rows"] == []
    services.practice_review_submit(by=home_coordinator, practice=other_submitted,
                                    scores=scores(selectors.active_grid()))
    ready = selectors.review_queue(user=home_coordinator)["conclude"]["rows"]
    assert [p.pk for p in ready] == [other_submitted.pk] and ready[0].review_count == 2
    with pytest.raises(Http404):
        selectors.review_queue(user=network["caseworker"])


def test_the_grid_is_installed_after_migrate_only_when_there_is_none():
    import io

    out = io.StringIO()
    services.install_default_grid_after_migrate(sender=None, stdout=out)
    assert out.getvalue() == "" and ReviewGrid.objects.count() == 1
    ReviewGrid.objects.all().delete()
    services.install_default_grid_after_migrate(sender=None, stdout=out)
    assert "review grid" in out.getvalue() and ReviewGrid.objects.filter(active=True).count() == 1
