"""How modules add to the shared shell without core importing them: a module registers its
start-page panels and navigation entries from its AppConfig.ready()."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class StartPanel:
    template: str
    context: Callable  # (user) -> dict | None; None hides the panel


_panels: list[StartPanel] = []
_nav: list[Callable] = []  # (user) -> list[NavItem]


def register_start_panel(template, context):
    _panels.append(StartPanel(template, context))


def register_navigation(provider):
    _nav.append(provider)


def start_panels(user) -> list[dict]:
    shown = []
    for panel in _panels:
        context = panel.context(user)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


def navigation(user) -> list:
    items = []
    for provider in _nav:
        items.extend(provider(user))
    return items


# Background work: each module registers a tick job, fn(now) -> number of tasks it enqueued.
# `rete tick` runs them all; a job must be idempotent (running it twice sends nothing twice).
_tick_jobs: list[Callable] = []


def register_tick(fn):
    if fn not in _tick_jobs:
        _tick_jobs.append(fn)


def tick_jobs() -> list[Callable]:
    return list(_tick_jobs)


# A consent withdrawn on a case stops what other modules share under it (e.g. the referrals of
# rete.network). Each job is fn(*, case, by) and runs inside the withdrawal's transaction, so the
# case module never imports the modules that act on its consents.
_consent_withdrawn_jobs: list[Callable] = []


def register_consent_withdrawn(fn):
    if fn not in _consent_withdrawn_jobs:
        _consent_withdrawn_jobs.append(fn)


def consent_withdrawn_jobs() -> list[Callable]:
    return list(_consent_withdrawn_jobs)


# A new incident on a case may matter elsewhere (e.g. a repeat for a risk conference). Each job
# is fn(*, case, incident, by) and runs inside the recording's transaction.
_incident_recorded_jobs: list[Callable] = []


def register_incident_recorded(fn):
    if fn not in _incident_recorded_jobs:
        _incident_recorded_jobs.append(fn)


def incident_recorded_jobs() -> list[Callable]:
    return list(_incident_recorded_jobs)
