"""The funders' report: what the training of the organisations she runs achieved, over the held
events of a period (or one event): who took part (by country, profession, kind of organisation
and sex), how much of the events they attended, what they thought of them (level 1), what they
learned (level 2, knowledge gain) and what changed in their practice months later (level 3).

Figures only, no personal data. Participants are the registered people who attended (present or
late) at least one session. A fixed number of queries whatever the number of events and
participants: sums in SQL where they are plain counts, one query per table otherwise (the answers
are summed up by rete.learning.evaluation and rete.learning.gain)."""
import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from rete.core import access as core_access
from rete.learning import certificates, evaluation, gain
from rete.learning.models import (EventSession, EventStatus, FollowUpResponse, Profession, Registration, RegistrationStatus,
                                  SatisfactionResponse, SessionAttendance, Sex, TestAttempt, TestPhase, TrainingEvent)
from rete.learning.selectors import events as event_selectors

ATTENDED = tuple(certificates.ATTENDED)
# The events a report may be about: the chooser lists at most this many (the latest first).
EVENT_CHOICES_MAX = 300


def report_organisations(*, user) -> list:
    """The organisations whose training she runs (no query: memberships are cached)."""
    return event_selectors.runs_training_at(user=user)


def report_event_choices(*, user) -> list:
    """The held events of her organisations, latest first, for the report's chooser (one query)."""
    hosts = [organisation.pk for organisation in report_organisations(user=user)]
    if not hosts:
        return []
    return list(TrainingEvent.objects.filter(host_id__in=hosts, status=EventStatus.HELD)
                .order_by("-starts_on", "-pk").only("pk", "title", "starts_on")[:EVENT_CHOICES_MAX])


def _count(queryset):
    """A correlated subquery counting `queryset`'s rows (filtered on OuterRef("pk"))."""
    return Coalesce(Subquery(queryset.order_by().values("event").annotate(c=Count("pk")).values("c")[:1],
                             output_field=IntegerField()), Value(0))


def _events(user, organisation_ids, event, date_from, date_to):
    hosts = {organisation.pk for organisation in report_organisations(user=user)}
    if not hosts:
        core_access.deny()
    if event is not None:
        pk = getattr(event, "pk", event)
        queryset = TrainingEvent.objects.filter(pk=pk, host_id__in=hosts)
    else:
        chosen = {int(pk) for pk in organisation_ids} if organisation_ids else hosts
        if not chosen <= hosts:
            core_access.deny()  # an organisation whose training she does not run: as if it did not exist
        queryset = TrainingEvent.objects.filter(host_id__in=chosen, status=EventStatus.HELD)
        if date_from:
            queryset = queryset.filter(starts_on__gte=date_from)
        if date_to:
            queryset = queryset.filter(starts_on__lte=date_to)
    return queryset


def _breakdown(counts: dict, choices) -> list[dict]:
    """[{code, label, count}] in the choices' order, then any other code, without zeros."""
    labels = dict(choices)
    rows = [{"code": code, "label": str(labels.get(code, code)), "count": counts[code]}
            for code in list(labels) + sorted(set(counts) - set(labels)) if counts.get(code)]
    return rows


def funder_report(*, user, organisation_ids=None, event=None, date_from: datetime.date | None = None,
                  date_to: datetime.date | None = None) -> dict:
    """The report over the held events of `organisation_ids` (all of hers by default) whose first
    day falls between `date_from` and `date_to` (either may be None), or over one `event` of
    hers (whatever its status). 404 for an organisation or event she does not run.

    {"events": [{event, sessions, registered, participants, attended, expected, rate}],
     "registered", "participants", "attendance": {"attended", "expected", "rate" (0–1 or None)},
     "by_country" / "by_profession" / "by_organisation_kind" / "by_sex": [{code, label, count}],
     "satisfaction": rete.learning.evaluation.satisfaction_summary,
     "gain": rete.learning.gain.event_gain over scores in percent of the test (so gains are in
             percentage points, comparable across events with tests of different lengths),
     "follow_up": rete.learning.evaluation.follow_up_summary}"""
    from rete.core.models import OrganisationKind

    events_qs = _events(user, organisation_ids, event, date_from, date_to)
    if event is not None and not events_qs.exists():
        core_access.deny()
    event_ids = events_qs.values("pk")
    registered = Registration.objects.filter(event__in=event_ids, status=RegistrationStatus.REGISTERED)

    # 1. The events, with their sessions and registered participants.
    events = list(events_qs.select_related("host").annotate(
        session_count=_count(EventSession.objects.filter(event=OuterRef("pk"))),
        registered_count=_count(Registration.objects.filter(event=OuterRef("pk"), status=RegistrationStatus.REGISTERED)),
    ).order_by("starts_on", "pk"))

    # 2. Participants (registered, attended at least once), per event and profile, summed in SQL.
    attended_once = Exists(SessionAttendance.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED))
    profiles = list(registered.filter(attended_once).order_by()
                    .values("event", "country", "profession", "organisation_kind", "sex").annotate(n=Count("pk")))
    # 3. Sessions attended, per event.
    attended_by_event = dict(SessionAttendance.objects.filter(registration__in=registered, status__in=ATTENDED)
                             .order_by().values("registration__event").annotate(n=Count("pk"))
                             .values_list("registration__event", "n"))

    by = {"country": {}, "profession": {}, "organisation_kind": {}, "sex": {}}
    participants_by_event = {}
    for row in profiles:
        participants_by_event[row["event"]] = participants_by_event.get(row["event"], 0) + row["n"]
        for key, counts in by.items():
            counts[row[key]] = counts.get(row[key], 0) + row["n"]

    event_rows = []
    for item in events:
        expected = item.session_count * item.registered_count
        attended = attended_by_event.get(item.pk, 0)
        event_rows.append({"event": item, "sessions": item.session_count, "registered": item.registered_count,
                           "participants": participants_by_event.get(item.pk, 0), "attended": attended,
                           "expected": expected, "rate": attended / expected if expected else None})
    attended_total = sum(row["attended"] for row in event_rows)
    expected_total = sum(row["expected"] for row in event_rows)

    # 4. Level 1: the participants' ratings.
    satisfaction = evaluation.satisfaction_summary(list(
        SatisfactionResponse.objects.filter(registration__in=registered).values_list("answers", flat=True)))

    # 5. Level 2: each participant's scores before and after, in percent of her test.
    scores = {}
    for registration_id, phase, score, max_score in (TestAttempt.objects.filter(registration__in=registered)
                                                     .values_list("registration_id", "phase", "score", "max_score")):
        if max_score:
            scores.setdefault(registration_id, {})[phase] = min(max(score * 100 / max_score, 0), 100)
    knowledge = gain.event_gain((both.get(TestPhase.PRE), both.get(TestPhase.POST), 100) for both in scores.values())

    # 6. Level 3: the follow-up questionnaire, against those it was sent to (or who answered it).
    sent = registered.filter(Q(follow_up_sent_at__isnull=False) | Q(follow_up__isnull=False)).count()
    follow_up = evaluation.follow_up_summary(list(
        FollowUpResponse.objects.filter(registration__in=registered).values_list("answers", flat=True)), sent)

    return {
        "events": event_rows,
        "registered": sum(row["registered"] for row in event_rows),
        "participants": sum(participants_by_event.values()),
        "attendance": {"attended": attended_total, "expected": expected_total,
                       "rate": attended_total / expected_total if expected_total else None},
        "by_country": _breakdown(by["country"], Registration._meta.get_field("country").choices),
        "by_profession": _breakdown(by["profession"], Profession.choices),
        "by_organisation_kind": _breakdown(by["organisation_kind"], OrganisationKind.choices),
        "by_sex": _breakdown(by["sex"], Sex.choices),
        "satisfaction": satisfaction,
        "gain": knowledge,
        "follow_up": follow_up,
    }
