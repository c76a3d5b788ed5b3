"""Outcome monitoring, every read (part "outcomes"): the questionnaires a programme or a
partner-support service may use, the man's timepoints and answers (through the enrolment's
visibility), and the programme's aggregated figures for its coordinators.

The figures carry no personal data: counts of men by what happened in the period, shares of men
and of partners reporting each indicator by timepoint, counts of partner contacts by status;
every count of fewer than five people is suppressed (questionnaires.protect). The partner's
figures come from rete.network as counts only. Every function issues a fixed number of queries."""
import datetime
import math

from django.db.models import Count, Q

from rete.core import access
from rete.core.selectors import active_memberships
from rete.programmes import access as programme_access
from rete.programmes import questionnaires, states
from rete.programmes.models import (
    AttendanceStatus,
    Enrolment,
    EnrolmentState,
    OutcomeQuestionnaire,
    OutcomeResponse,
    PathwayVersion,
    SessionKind,
    StateChange,
    Suitability,
)
from rete.programmes.selectors.enrolments import visibility

FOLLOW_UP_DAYS = 182


# ---- questionnaires ----------------------------------------------------------------------------------


def questionnaires_available(*, respondent, organisation_id) -> list[OutcomeQuestionnaire]:
    """The newest version of every questionnaire in use for this respondent (man or partner) that
    the organisation may use: Rete's own and its own licensed ones (its own first). One query."""
    rows = (OutcomeQuestionnaire.objects.filter(respondent=respondent, retired_at__isnull=True)
            .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
            .order_by("code", "-version"))
    newest = {}
    for row in rows:
        newest.setdefault(row.code, row)
    return sorted(newest.values(), key=lambda q: (q.organisation_id is None, q.code))


def questionnaire_for(*, respondent, organisation_id, questionnaire_id=None) -> OutcomeQuestionnaire:
    """The questionnaire to record answers with: the one named (404 unless it is available to the
    organisation for this respondent) or the first available (404 when there is none)."""
    available = questionnaires_available(respondent=respondent, organisation_id=organisation_id)
    if questionnaire_id in (None, ""):
        if not available:
            access.deny()
        return available[0]
    try:
        questionnaire_id = int(questionnaire_id)
    except (TypeError, ValueError):
        access.deny()
    found = next((q for q in available if q.pk == questionnaire_id), None)
    if found is None:
        access.deny()
    return found


def questionnaire_definitions(ids) -> dict:
    """{id: definition} of the questionnaires named (for aggregated counts). One query."""
    from django.db.models import QuerySet

    ids = ids if isinstance(ids, QuerySet) else list(ids)
    return dict(OutcomeQuestionnaire.objects.filter(pk__in=ids).values_list("pk", "definition"))


def questionnaire_list() -> list[OutcomeQuestionnaire]:
    """Every version loaded, for `rete questionnaires list`."""
    return list(OutcomeQuestionnaire.objects.select_related("organisation").order_by("respondent", "code", "-version"))


# ---- the man's timepoints -------------------------------------------------------------------------------


def group_stage(enrolment) -> dict | None:
    """The stage of his pathway version whose sessions make the mid-way point: the first group
    stage, else the first individual one."""
    stages = enrolment.pathway_version.stages if enrolment.pathway_version_id else []
    return (next((s for s in stages if s.get("kind") == "group"), None)
            or next((s for s in stages if s.get("kind") == "individual"), None))


def schedule(*, enrolment, attended: int, today: datetime.date) -> dict:
    """When each timepoint is due, pure (no query): {timepoint: {"status", "due_on", "after",
    "attended"}} with status "due", "not_yet" or "not_applicable". Intake: once he is accepted.
    Mid-way: once he has attended half the sessions of his group stage. End: when the programme
    ends for him. Follow-up: six months after the end."""
    accepted = enrolment.suitability == Suitability.ACCEPTED
    refused = enrolment.state in (EnrolmentState.NOT_SUITABLE, EnrolmentState.REFERRED_ELSEWHERE) or (
        not accepted and enrolment.state in states.ENDED)
    out = {}
    if refused:
        return {t: {"status": "not_applicable"} for t in questionnaires.TIMEPOINTS}
    decided = enrolment.decided_at.date() if accepted and enrolment.decided_at else None
    out["intake"] = {"status": "due" if accepted else "not_yet", "due_on": decided}
    stage = group_stage(enrolment)
    half = max(1, math.ceil((stage or {}).get("min_sessions", 0) / 2)) if stage and stage.get("min_sessions") else None
    if not accepted:
        out["mid"] = {"status": "not_yet"}
    elif half is None:
        out["mid"] = {"status": "not_applicable"}  # his pathway has no group or individual stage
    elif attended >= half:
        out["mid"] = {"status": "due", "after": half, "attended": attended}
    elif enrolment.ended_on:
        out["mid"] = {"status": "not_applicable", "after": half, "attended": attended}
    else:
        out["mid"] = {"status": "not_yet", "after": half, "attended": attended}
    ended = enrolment.ended_on if accepted else None
    out["end"] = {"status": "due" if ended else "not_yet", "due_on": ended}
    follow = (enrolment.follow_up_due_on or ended + datetime.timedelta(days=FOLLOW_UP_DAYS)) if ended else None
    out["follow_up"] = {"status": "due" if follow and follow <= today else "not_yet", "due_on": follow}
    return out


def outcome_section(*, enrolment, today=None) -> dict:
    """For the "outcomes" section of the enrolment page (the enrolment already passed its
    selector): each timepoint with its status and the answers recorded then, and the
    questionnaires for men the programme may use. Three queries, whatever the data."""
    from django.utils import timezone

    from rete.programmes.models import Attendance

    today = today or timezone.localdate()
    available = questionnaires_available(respondent="man", organisation_id=enrolment.organisation_id)
    responses = list(OutcomeResponse.objects.filter(enrolment=enrolment).select_related("questionnaire")
                     .defer("answers").order_by("answered_on", "pk"))
    attended = 0
    if group_stage(enrolment):
        attended = Attendance.objects.filter(
            enrolment=enrolment, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
            session__kind__in=[SessionKind.GROUP, SessionKind.INDIVIDUAL]).count()
    plan = schedule(enrolment=enrolment, attended=attended, today=today)
    rows = []
    for timepoint in questionnaires.TIMEPOINTS:
        recorded = [r for r in responses if r.timepoint == timepoint]
        done = {r.questionnaire.code for r in recorded}
        rows.append({"timepoint": timepoint, **plan[timepoint], "responses": recorded,
                     "to_record": [q for q in available if q.code not in done and timepoint in questionnaires.timepoints(q.definition)]})
    return {"rows": rows, "available": available}


def outcome_response_get(*, user, pk) -> OutcomeResponse:
    """His answers at one timepoint, for someone who may open his enrolment; 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        access.deny()
    scope = visibility(user=user)
    if scope is None:
        access.deny()
    response = (OutcomeResponse.objects.filter(pk=pk, enrolment__in=Enrolment.objects.filter(scope).values("pk"))
                .select_related("questionnaire", "enrolment__organisation", "enrolment__participant", "recorded_by").first())
    if response is None:
        access.deny()
    return response


# ---- aggregated figures --------------------------------------------------------------------------------


def figures_organisations(*, user) -> list:
    """The programmes whose figures she may read: those she coordinates (no query)."""
    seen = {}
    for membership in active_memberships(user=user):
        if membership.role in programme_access.COORDINATE_PROGRAMME:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


FLOW = ("enquiries", "assessments", "assessed", "accepted", "not_suitable", "referred_elsewhere", "started",
        "completed_favourable", "completed_unfavourable", "excluded", "dropped_out")
DROP_OUT_PHASES = ("before_assessment", "during_assessment", "before_start", "during_programme")
_DECIDED = {EnrolmentState.NOT_SUITABLE, EnrolmentState.REFERRED_ELSEWHERE, EnrolmentState.WAITING,
            EnrolmentState.MOTIVATIONAL, EnrolmentState.ACTIVE}
_ACCEPTED = {EnrolmentState.WAITING, EnrolmentState.MOTIVATIONAL, EnrolmentState.ACTIVE}


def _phase(from_state) -> str:
    if from_state in (EnrolmentState.ENQUIRY, EnrolmentState.INFORMATION, ""):
        return "before_assessment"
    if from_state == EnrolmentState.ASSESSING:
        return "during_assessment"
    if from_state == EnrolmentState.WAITING:
        return "before_start"
    return "during_programme"


def _bounds(start, end):
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return low, high


def flow_counts(*, organisation_id, start, end) -> tuple[dict, dict, dict]:
    """Raw counts of men by what happened to them in the period, from the record of state
    changes: (flow {FLOW code: men}, drop-outs {phase: men}, drop-outs during the programme
    {stage code: men}). One query. Not for display: see programme_figures."""
    low, high = _bounds(start, end)
    rows = (StateChange.objects.filter(enrolment__organisation_id=organisation_id, at__gte=low, at__lt=high)
            .values("from_state", "to_state", "stage").annotate(n=Count("enrolment_id", distinct=True)).order_by())
    flow = dict.fromkeys(FLOW, 0)
    phases = dict.fromkeys(DROP_OUT_PHASES, 0)
    stages: dict[str, int] = {}
    for row in rows:
        before, after, n = row["from_state"], row["to_state"], row["n"]
        if after == EnrolmentState.ENQUIRY:
            flow["enquiries"] += n
        elif after == EnrolmentState.ASSESSING:
            flow["assessments"] += n
        if before == EnrolmentState.ASSESSING and after in _DECIDED:
            flow["assessed"] += n
            if after in _ACCEPTED:
                flow["accepted"] += n
        if after in (EnrolmentState.NOT_SUITABLE, EnrolmentState.REFERRED_ELSEWHERE):
            flow[after] += n
        if after in (EnrolmentState.MOTIVATIONAL, EnrolmentState.ACTIVE) and before in (EnrolmentState.ASSESSING, EnrolmentState.WAITING):
            flow["started"] += n
        if after in (EnrolmentState.COMPLETED_FAVOURABLE, EnrolmentState.COMPLETED_UNFAVOURABLE, EnrolmentState.EXCLUDED):
            flow[after] += n
        if after == EnrolmentState.DROPPED_OUT:
            flow["dropped_out"] += n
            phase = _phase(before)
            phases[phase] += n
            if phase == "during_programme":
                stages[row["stage"] or ""] = stages.get(row["stage"] or "", 0) + n
    return flow, phases, stages


def stage_names(*, organisation_id) -> dict:
    """{stage code: name} across the programme's pathway versions (newest first). One query."""
    names = {}
    for stages in (PathwayVersion.objects.filter(pathway__organisation_id=organisation_id)
                   .order_by("-created_at", "-pk").values_list("stages", flat=True)):
        for stage in stages or ():
            if isinstance(stage, dict) and stage.get("code"):
                names.setdefault(stage["code"], stage.get("name") or stage["code"])
    return names


def men_counts(*, organisation_id, start, end) -> tuple[dict, dict]:
    """Raw counts from the men's answers given in the period (questionnaires.tally). Two queries,
    whatever the number of answers (each decrypted in memory, never shown)."""
    answers = OutcomeResponse.objects.filter(enrolment__organisation_id=organisation_id,
                                             answered_on__gte=start, answered_on__lte=end)
    definitions = questionnaire_definitions(answers.values("questionnaire_id"))
    rows = answers.values_list("enrolment_id", "timepoint", "questionnaire_id", "answers").order_by()
    return questionnaires.tally(rows.iterator(chunk_size=2000), definitions)


def _indicator_table(answered, counts) -> dict:
    """Protected shares per indicator (rows, in INDICATORS order) and timepoint (columns)."""
    indicators = [code for code in questionnaires.INDICATORS if any((code, t) in counts for t in questionnaires.TIMEPOINTS)]
    return {
        "answered": [(t, questionnaires.protect(answered.get(t, 0))) for t in questionnaires.TIMEPOINTS],
        "rows": [{"indicator": code, "direction": questionnaires.indicator_direction(code),
                  "cells": [(t, questionnaires.protect_share(*counts.get((code, t), (0, 0)))) for t in questionnaires.TIMEPOINTS]}
                 for code in indicators],
    }


def programme_figures(*, user, organisation_id, start, end) -> dict:
    """The aggregated outcome figures of a programme she coordinates (404 otherwise) for a
    period, with every small number protected. A fixed number of queries (eight)."""
    from rete.network.selectors.partner_outcomes import partner_contact_counts, partner_outcome_counts

    if not access.has_capability(user, organisation_id, programme_access.COORDINATE_PROGRAMME):
        access.deny()
    flow, phases, stages = flow_counts(organisation_id=organisation_id, start=start, end=end)
    names = stage_names(organisation_id=organisation_id) if stages else {}
    # Totals and their parts are protected together, so that no small number can be worked out
    # by subtraction: assessed = accepted + not suitable + referred elsewhere; the drop-outs by
    # phase; those during the programme by stage.
    cells = {code: questionnaires.protect(flow[code]) for code in FLOW}
    cells["assessed"], decided = questionnaires.protect_group(
        flow["assessed"], [(code, flow[code]) for code in ("accepted", "not_suitable", "referred_elsewhere")])
    cells.update(dict(decided))
    cells["dropped_out"], phase_cells = questionnaires.protect_group(flow["dropped_out"], [(p, phases[p]) for p in DROP_OUT_PHASES])
    _during, stage_cells = questionnaires.protect_group(
        phases["during_programme"], sorted(((names.get(code, code) or "—", n) for code, n in stages.items())))
    if not phase_cells[-1][1].shown:
        stage_cells = [(name, questionnaires.Cell(None, "hidden")) for name, _cell in stage_cells]
    men_answered, men = men_counts(organisation_id=organisation_id, start=start, end=end)
    partners = partner_outcome_counts(user=user, programme_organisation_id=organisation_id, start=start, end=end)
    contact = partner_contact_counts(user=user, programme_organisation_id=organisation_id, start=start, end=end)
    return {
        "start": start, "end": end,
        "flow": [(code, cells[code]) for code in FLOW],
        "drop_out_phases": phase_cells,
        "drop_out_stages": stage_cells,
        "men": _indicator_table(men_answered, men),
        "partners": partners,
        "partner_contact": contact,
    }



def outcome_responses_recorded(*, enrolment, code) -> dict:
    """{timepoint: id} of his answers with a questionnaire code (any version). One query."""
    return dict(OutcomeResponse.objects.filter(enrolment=enrolment, questionnaire__code=code)
                .values_list("timepoint", "pk"))
