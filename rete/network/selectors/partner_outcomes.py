"""The partner's outcome questionnaires, every read (part "outcomes" of issue 6).

Her answers are recorded by the partner-support service on the partner-contact link and read
only there: by the partner-support workers of the link's support organisation who do not work
with the man (selectors.partner_contact._support_scope; everyone else, the programme's
facilitators and coordinators included, gets 404).

The programme gets aggregated counts only (`partner_outcome_counts`, `partner_contact_counts`):
per indicator and timepoint, or per contact status, for all its links together, never a row, a
link or a date, with every count of fewer than five women suppressed."""
import datetime

from django.db.models import Count

from rete.core import access
from rete.core.models import Role
from rete.network.models import PartnerContactEvent, PartnerContactLink, PartnerContactStatus, PartnerEventKind, PartnerOutcomeResponse
from rete.network.selectors.partner_contact import _support_scope

MID_WAY_DAYS = 91  # about three months after he started
FOLLOW_UP_DAYS = 182
END_EVENTS = (PartnerEventKind.COMPLETED, PartnerEventKind.DROPPED_OUT, PartnerEventKind.EXCLUDED)


# ---- the partner-support side --------------------------------------------------------------------


def _events(link):
    """(kind, at) of the link's events: those the link page already read, else one query."""
    if hasattr(link, "event_list"):
        return [(event.kind, event.at) for event in link.event_list]
    return list(PartnerContactEvent.objects.filter(link=link).values_list("kind", "at"))


def partner_schedule(*, link, events, today) -> dict:
    """When each timepoint is due for her, from what the programme told the service (pure, no
    query): intake from the request; mid-way about three months after he started; end when he
    completed, dropped out or was excluded; follow-up six months later."""
    from django.utils import timezone

    def first(kinds):
        dates = sorted(timezone.localtime(at).date() for kind, at in events if kind in kinds)
        return dates[0] if dates else None

    requested = timezone.localtime(link.requested_at).date()
    started = first((PartnerEventKind.STARTED,))
    ended = first(END_EVENTS)
    mid = started + datetime.timedelta(days=MID_WAY_DAYS) if started else None
    follow = ended + datetime.timedelta(days=FOLLOW_UP_DAYS) if ended else None
    out = {"intake": {"status": "due", "due_on": requested}}
    if mid and ended and ended < mid:
        out["mid"] = {"status": "not_applicable"}
    else:
        out["mid"] = {"status": "due" if mid and mid <= today else "not_yet", "due_on": mid}
    out["end"] = {"status": "due" if ended else "not_yet", "due_on": ended}
    out["follow_up"] = {"status": "due" if follow and follow <= today else "not_yet", "due_on": follow}
    return out


def partner_outcome_section(*, user, link, today=None) -> dict:
    """For the link's page (the link already passed partner_link_get_for_support): each
    timepoint with when it is due, the answers recorded then (not their content) and the
    questionnaires still to answer. Two queries (three when the events are not loaded)."""
    from django.utils import timezone

    from rete.programmes import questionnaires
    from rete.programmes.selectors.outcomes import questionnaires_available

    today = today or timezone.localdate()
    available = questionnaires_available(respondent="partner", organisation_id=link.support_organisation_id)
    responses = list(PartnerOutcomeResponse.objects.filter(link=link).select_related("questionnaire").defer("answers")
                     .order_by("answered_on", "pk"))
    plan = partner_schedule(link=link, events=_events(link), today=today)
    rows = []
    for timepoint in questionnaires.TIMEPOINTS:
        recorded = [r for r in responses if r.timepoint == timepoint]
        done = {r.questionnaire.code for r in recorded}
        rows.append({"timepoint": timepoint, **plan[timepoint], "responses": recorded,
                     "to_record": [q for q in available if q.code not in done and timepoint in questionnaires.timepoints(q.definition)]})
    return {"rows": rows, "available": available, "ended": link.ended_at is not None}


def partner_outcome_get_for_support(*, user, pk) -> PartnerOutcomeResponse:
    """Her answers at one timepoint, for a partner-support worker who may act on the link; 404
    for anyone else (whoever works with the man included)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = _support_scope(user) if getattr(user, "is_authenticated", False) else None
    if scope is None:
        access.deny()
    response = (PartnerOutcomeResponse.objects.filter(pk=pk, link__in=PartnerContactLink.objects.filter(scope).values("pk"))
                .select_related("questionnaire", "link__support_organisation", "link__programme_organisation", "recorded_by")
                .first())
    if response is None:
        access.deny()
    return response


# ---- for the programme: counts only ------------------------------------------------------------------


def _coordinator(user, programme_organisation_id):
    if not getattr(user, "is_authenticated", False) or Role.PROGRAMME_COORDINATOR not in access.roles_in(user, programme_organisation_id):
        access.deny()


def partner_outcome_counts(*, user, programme_organisation_id, start, end) -> dict:
    """For a coordinator of the programme (404 otherwise): from the answers the partners of its
    men gave in the period, {"answered": [(timepoint, Cell)], "rows": [{"indicator",
    "direction", "cells": [(timepoint, share)]}]} with every figure about fewer than five women
    suppressed (questionnaires.protect, protect_share). Only counts leave this function: no row,
    no link, no date. Two queries, whatever the number of answers."""
    from rete.programmes import questionnaires
    from rete.programmes.selectors.outcomes import questionnaire_definitions

    _coordinator(user, programme_organisation_id)
    answers = PartnerOutcomeResponse.objects.filter(link__programme_organisation_id=programme_organisation_id,
                                                    answered_on__gte=start, answered_on__lte=end)
    definitions = questionnaire_definitions(answers.values("questionnaire_id"))
    rows = answers.values_list("link_id", "timepoint", "questionnaire_id", "answers").order_by()
    answered, counts = questionnaires.tally(rows.iterator(chunk_size=2000), definitions)
    indicators = [code for code in questionnaires.INDICATORS if any((code, t) in counts for t in questionnaires.TIMEPOINTS)]
    return {
        "answered": [(t, questionnaires.protect(answered.get(t, 0))) for t in questionnaires.TIMEPOINTS],
        "rows": [{"indicator": code, "direction": questionnaires.indicator_direction(code),
                  "cells": [(t, questionnaires.protect_share(*counts.get((code, t), (0, 0)))) for t in questionnaires.TIMEPOINTS]}
                 for code in indicators],
    }


def partner_contact_counts(*, user, programme_organisation_id, start, end) -> dict:
    """For a coordinator of the programme (404 otherwise): how many partner contacts it asked for
    in the period, and how many of them are at each contact status as the partner-support
    service recorded it, every count of fewer than five suppressed; "requested" and its parts
    are protected together. One query."""
    from django.utils import timezone

    from rete.programmes import questionnaires

    _coordinator(user, programme_organisation_id)
    zone = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    by_status = dict(PartnerContactLink.objects.filter(programme_organisation_id=programme_organisation_id,
                                                       requested_at__gte=low, requested_at__lt=high)
                     .values_list("status").annotate(n=Count("pk")).order_by())
    total, parts = questionnaires.protect_group(sum(by_status.values()),
                                                [(status, by_status.get(status, 0)) for status in PartnerContactStatus.values])
    return {"total": total, "statuses": parts}



def partner_outcomes_recorded(*, link, code) -> dict:
    """{timepoint: id} of her answers on the link with a questionnaire code (any version)."""
    return dict(PartnerOutcomeResponse.objects.filter(link=link, questionnaire__code=code).values_list("timepoint", "pk"))
