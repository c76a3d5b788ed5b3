"""Practices taken through the EIGE review with the real services (part "practice-review").

The home organisation's caseworker shares the practice; the OTHER organisation's network
coordinator checks, concludes, selects and publishes it; the other organisation's trainer and
network coordinator review it (the default grid needs two reviews). A practice of the other
organisation is taken through by the home organisation's people the same way."""
from rete.learning.models import CriterionKind
from rete.learning.selectors import review as review_selectors
from rete.learning.services import practices as practice_services
from rete.learning.services import review as services
from rete.learning.tests.factories import make_practice


def basic_answers(grid=None, **overrides) -> dict:
    grid = grid or review_selectors.active_grid()
    answers = {c.key: True for c in grid.criteria.all() if c.kind == CriterionKind.BASIC}
    answers.update(overrides)
    return answers


def scores(grid, value=None, **overrides) -> dict:
    """Every scored criterion at `value` (its highest score when None)."""
    result = {c.key: (c.max_score if value is None else value) for c in grid.criteria.all()
              if c.kind == CriterionKind.SCORED}
    result.update(overrides)
    return result


def submitted(network, *, organisation=None, public=False, **extra):
    organisation = organisation or network.home
    owner = network["caseworker"] if organisation == network.home else network["other_caseworker"]
    practice = make_practice(owner, organisation, public=public, **extra)
    return practice_services.practice_submit(by=owner, practice=practice)


def deciders(network, practice) -> tuple:
    """(the network coordinator, the trainer) of the organisation that does not own it."""
    prefix = "other_" if practice.organisation_id == network.home.pk else ""
    return network[f"{prefix}network_coordinator"], network[f"{prefix}trainer"]


def in_review(network, **kwargs):
    practice = submitted(network, **kwargs)
    services.practice_check(by=deciders(network, practice)[0], practice=practice, answers=basic_answers())
    practice.refresh_from_db()
    return practice


def reviewed(network, *, value=None, **kwargs):
    practice = in_review(network, **kwargs)
    coordinator, trainer = deciders(network, practice)
    for reviewer in (trainer, coordinator):
        services.practice_review_submit(by=reviewer, practice=practice, scores=scores(practice.grid, value))
    practice.refresh_from_db()
    return practice


def published(network, **kwargs):
    practice = reviewed(network, **kwargs)
    coordinator = deciders(network, practice)[0]
    services.practice_conclude(by=coordinator, practice=practice, decision="promising")
    services.practice_select(by=coordinator, practice=practice)
    services.practice_publish(by=coordinator, practice=practice)
    practice.refresh_from_db()
    return practice
