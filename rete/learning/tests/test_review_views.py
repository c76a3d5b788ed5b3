"""The pages of the EIGE review (views/review.py): who reaches them (404 for anyone else), the
review section on the practice page (what the owner sees and what she does not), the steps'
forms (bad input keeps her entries, refusals are explained), the grid editor (in use, stale
edit), the queue and the navigation, and a bounded number of queries."""
from decimal import Decimal

import pytest

from rete.conftest import assert_denied, client_for, make_organisation, make_user, url
from rete.core.models import Role
from rete.learning.models import CriterionKind, PracticeReview, PracticeStatus, ReviewGrid
from rete.learning.selectors import review as selectors
from rete.learning.services import review as services
from rete.learning.tests.factories_review import basic_answers, in_review, reviewed, scores, submitted

pytestmark = pytest.mark.django_db


def _fresh(practice):
    return practice.__class__.objects.get(pk=practice.pk)


def _step_urls(practice):
    return {name: url(f"learning:{name}", practice_id=practice.pk)
            for name in ("practice_check", "practice_conclude", "practice_select", "practice_publish",
                         "practice_withdraw")}


def test_it_checks_ownership_of_the_review_page(network):
    practice = in_review(network)
    page = url("learning:practice_review", practice_id=practice.pk)
    for person in (network["other_trainer"], network["other_network_coordinator"]):
        assert client_for(person).get(page).status_code == 200
    # Her own organisation's practice: she sees the review on the practice page, never this page.
    for person in (network["trainer"], network["network_coordinator"], network["caseworker"],
                   network["other_caseworker"], network.outsider, network.superuser):
        assert_denied(client_for(person).get(page))
    assert client_for(None).get(page).status_code == 302
    # A draft has nothing to review.
    draft = submitted(network)
    draft.__class__.objects.filter(pk=draft.pk).update(status=PracticeStatus.DRAFT)
    assert_denied(client_for(network["other_trainer"]).get(url("learning:practice_review", practice_id=draft.pk)))
    assert_denied(client_for(network["other_trainer"]).get(url("learning:practice_review", practice_id=999999)))


def test_it_checks_ownership_of_the_steps(network):
    practice = submitted(network)
    for name, path in _step_urls(practice).items():
        assert client_for(network["other_network_coordinator"]).get(path).status_code == 405, name
        for stranger in (network["other_caseworker"], network.outsider, network.superuser):
            assert_denied(client_for(stranger).post(path, {"reason": "x"}))
    # A trainer cannot check (a decider's step): 404, whatever she posts.
    assert_denied(client_for(network["other_trainer"]).post(_step_urls(practice)["practice_check"],
                                                             {f"basic_{k}": "yes" for k in basic_answers()}))
    assert _fresh(practice).status == PracticeStatus.SUBMITTED


def test_it_checks_ownership_of_the_grids(network):
    grid = selectors.active_grid()
    pages = [url("learning:grid_list"), url("learning:grid_detail", grid_id=grid.pk),
             url("learning:grid_edit", grid_id=grid.pk)]
    coordinator = client_for(network["network_coordinator"])
    assert [coordinator.get(p).status_code for p in pages] == [200, 200, 200]
    for stranger in (network["trainer"], network["caseworker"], network.outsider, network.superuser):
        for path in pages:
            assert_denied(client_for(stranger).get(path))
        assert_denied(client_for(stranger).post(url("learning:grid_copy", grid_id=grid.pk)))
        assert_denied(client_for(stranger).post(url("learning:grid_activate", grid_id=grid.pk)))
    assert_denied(coordinator.get(url("learning:grid_detail", grid_id=999999)))
    assert ReviewGrid.objects.count() == 1


def test_the_check_from_the_page(network):
    practice = submitted(network)
    client = client_for(network["other_network_coordinator"])
    detail = client.get(url("learning:practice_detail", practice_id=practice.pk))
    assert detail.status_code == 200 and b"Check against the basic criteria" in detail.content
    # One criterion not answered: her note stays, nothing changes.
    data = {f"basic_{k}": "yes" for k in basic_answers()}
    data.pop("basic_contact")
    data["note"] = "Nearly there"
    response = client.post(url("learning:practice_check", practice_id=practice.pk), data)
    assert response.status_code == 400 and b"Nearly there" in response.content
    assert _fresh(practice).status == PracticeStatus.SUBMITTED
    # Not met, without a note: the service's message on the form.
    data.update(basic_contact="no", note="")
    response = client.post(url("learning:practice_check", practice_id=practice.pk), data)
    assert response.status_code == 400 and b"Tell the owner what is missing" in response.content
    data["basic_contact"] = "yes"
    response = client.post(url("learning:practice_check", practice_id=practice.pk), data)
    assert response.status_code == 302
    assert _fresh(practice).status == PracticeStatus.IN_REVIEW


def test_her_own_organisations_practice_is_refused_with_a_message(network):
    practice = submitted(network)
    client = client_for(network["network_coordinator"])
    detail = client.get(url("learning:practice_detail", practice_id=practice.pk))
    assert b"Check against the basic criteria" not in detail.content
    response = client.post(url("learning:practice_check", practice_id=practice.pk),
                           {f"basic_{k}": "yes" for k in basic_answers()})
    assert response.status_code == 400 and b"your own organisation" in response.content
    assert _fresh(practice).status == PracticeStatus.SUBMITTED


def test_the_review_form(network):
    practice = in_review(network)
    client = client_for(network["other_trainer"])
    page = url("learning:practice_review", practice_id=practice.pk)
    response = client.get(page)
    assert b"Send my review" in response.content and b"Successful and effective" in response.content
    data = {f"score_{k}": v for k, v in scores(practice.grid, 3).items()}
    data.update(score_effective="7", comment="Solid, but costs are unclear.")
    response = client.post(page, data)
    assert response.status_code == 400 and b"Solid, but costs are unclear." in response.content
    assert not PracticeReview.objects.exists()
    data["score_effective"] = "4"
    response = client.post(page, data)
    assert response.status_code == 302
    review = PracticeReview.objects.get()
    assert review.scores["effective"] == 4 and review.comment == "Solid, but costs are unclear."
    # (3×4/5 + 10×3/5) / 13 × 100
    assert review.weighted == Decimal("64.62")
    response = client.get(page)
    assert b"Send my review" not in response.content and b"You have reviewed this practice." in response.content
    response = client.post(page, data)
    assert response.status_code == 400 and b"already reviewed" in response.content
    assert PracticeReview.objects.count() == 1


def test_the_owner_sees_the_aggregate_not_the_reviews(network):
    practice = in_review(network)
    services.practice_review_submit(by=network["other_trainer"], practice=practice, scores=scores(practice.grid),
                                    comment="A confidential remark.")
    services.practice_review_submit(by=network["other_network_coordinator"], practice=practice,
                                    scores=scores(practice.grid, 2))
    detail = url("learning:practice_detail", practice_id=practice.pk)
    owner_page = client_for(network["caseworker"]).get(detail).content.decode()
    assert "Mean weighted score" in owner_page and "70.00" in owner_page and "40.00" in owner_page
    assert "A confidential remark." not in owner_page and "Test Trainer" not in owner_page
    assert "Conclude the review" not in owner_page
    reviewer_page = client_for(network["other_network_coordinator"]).get(detail).content.decode()
    assert "A confidential remark." in reviewer_page and "Test Trainer" in reviewer_page
    assert "Conclude the review" in reviewer_page and "Promising" in reviewer_page
    # A member who neither owns, reviews nor decides sees no review (the practice is not published).
    assert_denied(client_for(network["other_caseworker"]).get(detail))


def test_concluding_from_the_page(network):
    practice = reviewed(network, value=1)  # mean 20: proposed not promising
    client = client_for(network["other_network_coordinator"])
    path = url("learning:practice_conclude", practice_id=practice.pk)
    response = client.post(path, {"decision": "promising", "reason": ""})
    assert response.status_code == 400 and b"Give the reason" in response.content
    response = client.post(path, {"decision": "published"})
    assert response.status_code == 400
    response = client.post(path, {"decision": "promising", "reason": "Innovative despite the scores."})
    assert response.status_code == 302 and _fresh(practice).status == PracticeStatus.PROMISING
    response = client.post(url("learning:practice_select", practice_id=practice.pk), {"reason": ""})
    assert response.status_code == 302 and _fresh(practice).status == PracticeStatus.SELECTED
    response = client.post(url("learning:practice_publish", practice_id=practice.pk))
    assert response.status_code == 302 and _fresh(practice).status == PracticeStatus.PUBLISHED
    response = client.post(url("learning:practice_withdraw", practice_id=practice.pk), {"reason": ""})
    assert response.status_code == 400 and _fresh(practice).status == PracticeStatus.PUBLISHED
    # A step the status does not allow: explained, nothing changes.
    response = client.post(url("learning:practice_select", practice_id=practice.pk), {"reason": ""})
    assert response.status_code == 400 and b"Only a promising practice" in response.content


def test_the_grid_editor(network):
    coordinator = network["network_coordinator"]
    client = client_for(coordinator)
    original = selectors.active_grid()
    in_review(network)  # the grid in use is now fixed
    response = client.get(url("learning:grid_edit", grid_id=original.pk))
    assert response.status_code == 302 and response["Location"] == url("learning:grid_detail", grid_id=original.pk)
    response = client.post(url("learning:grid_copy", grid_id=original.pk))
    copy = ReviewGrid.objects.get(number=2)
    assert response.status_code == 302 and response["Location"] == url("learning:grid_detail", grid_id=copy.pk)
    edit = url("learning:grid_edit", grid_id=copy.pk)
    response = client.get(edit)
    assert response.status_code == 200
    form = response.context["form"]
    formset = response.context["formset"]
    data = {"token": form.initial["token"], "name": "Grid 2020", "threshold": "65", "reviews_needed": "3"}
    data.update({f"criteria-{k}": v for k, v in (("TOTAL_FORMS", len(formset.forms)),
                                                  ("INITIAL_FORMS", formset.initial_form_count()),
                                                  ("MIN_NUM_FORMS", 0), ("MAX_NUM_FORMS", 1000))})
    for index, initial in enumerate(formset.initial):
        for key, value in initial.items():
            data[f"criteria-{index}-{key}"] = "" if value is None else value
    new = len(formset.initial)
    data.update({f"criteria-{new}-kind": "scored", f"criteria-{new}-label_en": "Cost-effective",
                 f"criteria-{new}-weight": "", f"criteria-{new}-max_score": "5"})
    response = client.post(edit, data)
    assert response.status_code == 400 and b"Grid 2020" in response.content and b"Cost-effective" in response.content
    data[f"criteria-{new}-weight"] = "1.5"
    data["criteria-0-DELETE"] = "on"
    stale = dict(data, token="not-the-saved-one")
    response = client.post(edit, stale)
    assert response.status_code == 409 and b"Someone else saved this record" in response.content
    response = client.post(edit, data)
    assert response.status_code == 302
    copy = ReviewGrid.objects.get(pk=copy.pk)
    assert copy.name == "Grid 2020" and copy.threshold == Decimal(65) and copy.reviews_needed == 3
    assert copy.criteria.filter(key="cost_effective", weight=Decimal("1.5")).exists()
    assert not copy.criteria.filter(key="addresses_gbv").exists()
    response = client.post(url("learning:grid_activate", grid_id=copy.pk))
    assert response.status_code == 302 and list(ReviewGrid.objects.filter(active=True)) == [copy]


def test_the_queue_and_the_navigation(network):
    other = submitted(network, organisation=network.other)
    response = client_for(network["network_coordinator"]).get(url("learning:review_queue"))
    assert response.status_code == 200 and b"Waiting for the basic check" in response.content
    assert url("learning:practice_review", practice_id=other.pk).encode() in response.content
    assert b"Review grids" in response.content
    trainer_page = client_for(network["trainer"]).get(url("learning:review_queue")).content
    assert b"Waiting for your review" in trainer_page and b"Waiting for the basic check" not in trainer_page
    assert url("learning:review_queue").encode() in client_for(network["trainer"]).get(url("core:start")).content
    assert url("learning:review_queue").encode() not in client_for(network["caseworker"]).get(url("core:start")).content
    assert_denied(client_for(network["caseworker"]).get(url("learning:review_queue")))


def _third_reviewers(count):
    organisation = make_organisation("third", country="BG")
    return [make_user(f"reviewer{i}@third.example", roles=[Role.TRAINER], organisation=organisation)
            for i in range(count)]


def test_the_queue_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    client = client_for(network["network_coordinator"])
    path = url("learning:review_queue")
    submitted(network, organisation=network.other)
    client.get(path)
    with django_assert_max_num_queries(16):
        assert client.get(path).status_code == 200
    for _ in range(9):
        practice = submitted(network, organisation=network.other)
    services.practice_check(by=network["network_coordinator"], practice=practice, answers=basic_answers())
    with django_assert_max_num_queries(16):
        response = client.get(path)
    assert response.status_code == 200 and len(response.context["groups"][0]["rows"]) == 9


def test_the_review_page_runs_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    practice = in_review(network)
    reviewers = _third_reviewers(6)
    grid = practice.grid
    client = client_for(network["other_network_coordinator"])
    path = url("learning:practice_review", practice_id=practice.pk)
    services.practice_review_submit(by=reviewers[0], practice=practice, scores=scores(grid), comment="One.")
    client.get(path)
    with django_assert_max_num_queries(22):
        assert client.get(path).status_code == 200
    for reviewer in reviewers[1:]:
        services.practice_review_submit(by=reviewer, practice=practice, scores=scores(grid, 3), comment="More.")
    with django_assert_max_num_queries(22):
        response = client.get(path)
    assert response.status_code == 200 and len(response.context["reviews"]) == 6
    assert sum(1 for c in grid.criteria.all() if c.kind == CriterionKind.SCORED) == len(response.context["matrix"])


def test_the_grid_editor_writes_her_language_and_english(network):
    coordinator = network["network_coordinator"]
    client = client_for(coordinator)
    copy = services.grid_copy(by=coordinator, grid=selectors.active_grid())
    edit = url("learning:grid_edit", lang="it", grid_id=copy.pk)
    response = client.get(edit)
    assert response.status_code == 200 and b"criteria-0-label_local" in response.content
    form, formset = response.context["form"], response.context["formset"]
    data = {"token": form.initial["token"], "name": copy.name, "threshold": "60", "reviews_needed": "2",
            "criteria-TOTAL_FORMS": len(formset.forms), "criteria-INITIAL_FORMS": formset.initial_form_count(),
            "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000}
    for index, initial in enumerate(formset.initial):
        for key, value in initial.items():
            data[f"criteria-{index}-{key}"] = "" if value is None else value
    data["criteria-0-label_local"] = "Affronta la violenza di genere"
    assert client.post(edit, data).status_code == 302
    criterion = copy.criteria.get(key="addresses_gbv")
    assert criterion.label_it == "Affronta la violenza di genere"
    assert criterion.label_en == "Addresses gender-based violence" and criterion.guidance_en
    detail = client.get(url("learning:grid_detail", lang="it", grid_id=copy.pk)).content.decode()
    assert "Affronta la violenza di genere" in detail
