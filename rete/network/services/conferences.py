"""Multi-agency risk conferences (part "conference-core").

A series (e.g. "Milan MARAC", every two weeks) has member organisations and their named
representatives. A caseworker refers a case of a member organisation on one of the criteria:
high risk on an instrument, professional judgement (with reasons), escalation (police
call-outs in 12 months at or above the series' number) or repeat. A new incident on a case
referred within the last 12 months is flagged automatically as a repeat referral. What the
representatives read is a summary: a package of the categories the series carries (the sender
may narrow them), shared with her consent (to the conference, by name or sector) or, without
it, with a written reason, flagged to the data-protection officers.

The coordinators schedule meetings; the agenda takes the referrals waiting since the last one
and the cases whose actions are still open (carried over). At the meeting the chair minutes,
per case, the discussion, the decisions and the actions (agency, owner, due date); the
minutes go out (PDF) to the representatives; the responsible agencies report progress.

Every write is atomic, checks who may do it and writes an audit event with ids and codes only.
E-mails go after commit and carry references and links, never what anybody typed."""
import datetime
import functools
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from rete.cases import access as case_access
from rete.core import access, audit
from rete.core.services import ServiceError
from rete.network.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceActionUpdate,
    ConferenceCriterion,
    ConferenceMeeting,
    ConferenceMember,
    ConferenceReferral,
    ConferenceReferralStatus,
    ConferenceRepresentative,
    ConferenceSeries,
    LegalBasis,
    MeetingStatus,
    ShareCategory,
)
from rete.network.selectors import conferences as selectors

logger = logging.getLogger(__name__)

REASON_MIN = 10
TEXT_MAX = 20000
DEFAULT_CATEGORIES = ["identity", "risk", "incidents", "children", "perpetrator", "safety_plan"]
ACTION_REMIND_BEFORE = datetime.timedelta(days=2)
ACTION_REMIND_EVERY = datetime.timedelta(days=7)
BATCH = 500


def _audit(verb, by, organisation, obj, **detail):
    audit.record(action=f"network.conference_{verb}", actor=by, organisation=organisation, obj=obj, detail=detail)


def _text(value, field, label, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("%(field)s is required.") % {"field": label}, field)
    if len(value) > TEXT_MAX:
        raise ServiceError(_("This text is too long (at most %(n)s characters).") % {"n": TEXT_MAX}, field)
    return value


def _coordinated(by, series):
    if not access.has_capability(by, series.organisation_id, access.COORDINATE_CONFERENCES):
        access.deny()


def _stale(obj, version):
    """Optimistic locking: the form names the version it edited; the stored one is shown back."""
    from rete.core.services import StaleEdit

    if version is not None and int(version) != obj.version:
        raise StaleEdit(obj)


# ---- series, members, representatives -------------------------------------------------------


def _series_values(name, country, territory, every_days, escalation_callouts, categories):
    from rete.core.models import Country

    name = _text(name, "name", _("Name"), required=True)[:200]
    if country not in Country.values:
        raise ServiceError(_("Choose the country."), "country")
    try:
        every_days, escalation_callouts = int(every_days), int(escalation_callouts)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter whole numbers."), "every_days") from None
    if not 1 <= every_days <= 90:
        raise ServiceError(_("A conference meets between every day and every 90 days."), "every_days")
    if not 1 <= escalation_callouts <= 50:
        raise ServiceError(_("Enter a number of police call-outs between 1 and 50."), "escalation_callouts")
    categories = list(dict.fromkeys(categories or []))
    if not categories or not set(categories) <= set(ShareCategory.values):
        raise ServiceError(_("Choose what a case summary carries."), "categories")
    return {"name": name, "country": country, "territory": _text(territory, "territory", _("Territory"))[:200],
            "every_days": every_days, "escalation_callouts": escalation_callouts, "categories": categories}


@transaction.atomic
def series_create(*, by, organisation, name, country, territory="", every_days=14, escalation_callouts=3,
                  categories=None) -> ConferenceSeries:
    if not access.has_capability(by, organisation.pk, access.COORDINATE_CONFERENCES):
        access.deny()
    values = _series_values(name, country, territory, every_days, escalation_callouts,
                            DEFAULT_CATEGORIES if categories is None else categories)
    series = ConferenceSeries.objects.create(organisation=organisation, created_by=by, **values)
    # The coordinating organisation sits in its own conference.
    ConferenceMember.objects.create(series=series, organisation=organisation)
    _audit("series_created", by, organisation, series, series=series.pk)
    return series


@transaction.atomic
def series_update(*, by, series, name, country, territory, every_days, escalation_callouts, categories,
                  active=True) -> ConferenceSeries:
    series = ConferenceSeries.objects.select_for_update().get(pk=series.pk)
    _coordinated(by, series)
    for key, value in _series_values(name, country, territory, every_days, escalation_callouts, categories).items():
        setattr(series, key, value)
    series.active = bool(active)
    series.save()
    _audit("series_updated", by, series.organisation, series, series=series.pk, active=series.active)
    return series


@transaction.atomic
def member_add(*, by, series, organisation) -> ConferenceMember:
    _coordinated(by, series)
    if ConferenceMember.objects.filter(series=series, organisation=organisation).exists():
        raise ServiceError(_("%(organisation)s is already a member.") % {"organisation": organisation}, "organisation")
    member = ConferenceMember.objects.create(series=series, organisation=organisation)
    _audit("member_added", by, series.organisation, series, series=series.pk, member=organisation.pk)
    return member


@transaction.atomic
def member_remove(*, by, member) -> None:
    member = ConferenceMember.objects.select_related("series").select_for_update(of=("self",)).get(pk=member.pk)
    _coordinated(by, member.series)
    if member.organisation_id == member.series.organisation_id:
        raise ServiceError(_("The coordinating organisation stays a member of its conference."))
    if ConferenceAction.objects.filter(referral__series=member.series, agency_id=member.organisation_id,
                                       status__in=selectors.OPEN_ACTIONS).exists():
        raise ServiceError(_("This organisation still has open actions: close or reassign them first."))
    ConferenceRepresentative.objects.filter(member=member).delete()
    member.delete()
    _audit("member_removed", by, member.series.organisation, member.series, series=member.series_id,
           member=member.organisation_id)


def _may_name_representatives(by, member) -> bool:
    return (access.has_capability(by, member.series.organisation_id, access.COORDINATE_CONFERENCES)
            or access.has_capability(by, member.organisation_id, access.NAME_REPRESENTATIVES))


@transaction.atomic
def representative_add(*, by, member, email) -> ConferenceRepresentative:
    """Name a representative of a member organisation: a current member of that organisation,
    found by her e-mail. The coordinators, or the member's own admins and coordinators."""
    from rete.core.models import Membership

    member = ConferenceMember.objects.select_related("series", "organisation").get(pk=member.pk)
    if not _may_name_representatives(by, member):
        access.deny()
    email = (email or "").strip()
    membership = (Membership.objects.filter(organisation=member.organisation, ended_at__isnull=True, user__is_active=True,
                                            user__email__iexact=email).select_related("user").first() if email else None)
    if membership is None:
        raise ServiceError(_("Nobody with this e-mail works at %(organisation)s in Rete.")
                           % {"organisation": member.organisation}, "email")
    try:
        with transaction.atomic():
            representative = ConferenceRepresentative.objects.create(member=member, user=membership.user)
    except IntegrityError:
        raise ServiceError(_("This person already represents %(organisation)s.")
                           % {"organisation": member.organisation}, "email") from None
    _audit("representative_added", by, member.series.organisation, member.series, series=member.series_id,
           member=member.organisation_id, user=membership.user_id)
    return representative


@transaction.atomic
def representative_remove(*, by, representative) -> None:
    representative = ConferenceRepresentative.objects.select_related("member__series").get(pk=representative.pk)
    member = representative.member
    if not _may_name_representatives(by, member):
        access.deny()
    representative.delete()
    _audit("representative_removed", by, member.series.organisation, member.series, series=member.series_id,
           member=member.organisation_id, user=representative.user_id)


# ---- referral of a case ---------------------------------------------------------------------


def _sender_case(by, case):
    from rete.cases import selectors as case_selectors

    case = case_selectors.case_get(user=by, pk=case.pk)
    if not access.has_capability(by, case.organisation_id, case_access.OPEN_CASES):
        access.deny()
    return case


def _covering_consent(case, series):
    """Her consent in force to share with the conference: by its name, or to the risk-conference
    sector."""
    from rete.cases.models import Consent, ConsentKind, Sector

    today = timezone.localdate()
    name = series.name.strip().casefold()
    for consent in Consent.objects.filter(case=case, withdrawn_on__isnull=True, given_on__lte=today,
                                          kind__in=[ConsentKind.SHARE_AGENCY, ConsentKind.SHARE_SECTOR]).order_by("-given_on", "-pk"):
        if consent.kind == ConsentKind.SHARE_SECTOR and consent.sector == Sector.RISK_CONFERENCE:
            return consent
        if consent.kind == ConsentKind.SHARE_AGENCY and consent.agency.strip().casefold() == name:
            return consent
    return None


def case_facts(*, case) -> dict:
    """Band in force (and whether it is high), police call-outs in 12 months, children: what the
    criteria are checked against and what the figures count."""
    from rete.cases.selectors import conference_facts
    from rete.risk.selectors import subject_band_in_force

    return {**conference_facts(case=case), "band": subject_band_in_force(subject_type="case", subject_id=case.pk)}


def _last_referral(case, series):
    return (ConferenceReferral.objects.filter(case_id=case.pk, series=series)
            .exclude(status=ConferenceReferralStatus.WITHDRAWN).order_by("-referred_at", "-pk").first())


@transaction.atomic
def conference_refer(*, by, case, series, criterion, reasons="", categories=None,
                     without_consent_reason="") -> ConferenceReferral:
    from rete.cases.selectors import referral_package

    case = _sender_case(by, case)
    series = ConferenceSeries.objects.get(pk=series.pk)
    if not series.active or not ConferenceMember.objects.filter(series=series, organisation_id=case.organisation_id).exists():
        access.deny()
    if criterion not in ConferenceCriterion.values:
        raise ServiceError(_("Choose the criterion for the referral."), "criterion")
    reasons = _text(reasons, "reasons", _("Reasons"))
    categories = list(dict.fromkeys(series.categories if categories is None else categories))
    if not categories:
        raise ServiceError(_("Choose what the conference's representatives may read."), "categories")
    refused = [c for c in categories if c not in series.categories]
    if refused:
        labels = ", ".join(str(ShareCategory(c).label) if c in ShareCategory.values else c for c in refused)
        raise ServiceError(_("This conference does not receive: %(categories)s.") % {"categories": labels}, "categories")
    facts = case_facts(case=case)
    band = facts["band"]
    last = _last_referral(case, series)
    now = timezone.now()
    repeat = bool(last and last.referred_at >= now - selectors.REPEAT_WINDOW)
    if last and last.status in (ConferenceReferralStatus.WAITING, ConferenceReferralStatus.ON_AGENDA):
        raise ServiceError(_("This case is already waiting for the conference (%(reference)s).")
                           % {"reference": last.reference}, "series")
    if criterion == ConferenceCriterion.HIGH_RISK and not (band and band["high"]):
        raise ServiceError(_("The band in force is not high risk. Refer on professional judgement and give your reasons, "
                             "or assess the risk first."), "criterion")
    if criterion == ConferenceCriterion.JUDGEMENT and len(reasons) < REASON_MIN:
        raise ServiceError(_("Give the reasons for your professional judgement (at least a sentence)."), "reasons")
    if criterion == ConferenceCriterion.ESCALATION and facts["police_callouts"] < series.escalation_callouts:
        raise ServiceError(_("The case records %(n)s police call-outs in the last 12 months; this conference counts "
                             "escalation from %(threshold)s.") % {"n": facts["police_callouts"],
                                                                  "threshold": series.escalation_callouts}, "criterion")
    if criterion == ConferenceCriterion.REPEAT and not repeat:
        raise ServiceError(_("The case was not referred to this conference in the last 12 months: choose another criterion."),
                           "criterion")
    consent = _covering_consent(case, series)
    without_consent_reason = (without_consent_reason or "").strip()
    if consent is None:
        if not without_consent_reason:
            raise ServiceError(_("She has not given consent to share with the risk conference, or she withdrew it. "
                                 "Record her consent first, or write why her case must be shared without it."),
                               "without_consent_reason")
        if len(without_consent_reason) < REASON_MIN:
            raise ServiceError(_("Say why her case must be shared without her consent (at least a sentence)."),
                               "without_consent_reason")
    referral = ConferenceReferral.objects.create(
        series=series, case=case, from_organisation=case.organisation, referred_by=by, referred_at=now,
        criterion=criterion, reasons=reasons, band=band["band"] if band else "", band_label=(band["label"] if band else "")[:200],
        police_callouts=facts["police_callouts"], children=facts["children"], repeat=repeat, previous=last,
        categories=categories, package=referral_package(case=case, categories=categories),
        legal_basis=LegalBasis.CONSENT if consent else LegalBasis.VITAL_INTERESTS, consent=consent,
        without_consent_reason="" if consent else without_consent_reason)
    _timeline(case, by, referral, _("referred"))
    _audit("referred", by, case.organisation, referral, referral=referral.pk, series=series.pk, case=case.pk,
           criterion=criterion, repeat=repeat, categories=categories, consent=consent.pk if consent else None,
           without_consent=consent is None)
    _close_mandated_actions(by, case, referral)
    if consent is None:
        transaction.on_commit(functools.partial(_tell_data_protection_officers, referral.pk))
    transaction.on_commit(functools.partial(_tell_coordinators, referral.pk))
    return referral


def _close_mandated_actions(by, case, referral):
    """A referral made answers the risk instrument's "refer to the risk conference" actions."""
    from django.http import Http404

    from rete.risk import services as risk_services
    from rete.risk.selectors import open_conference_actions

    for action_id in open_conference_actions(subject_type="case", subject_id=case.pk):
        try:
            risk_services.action_complete(by=by, action_id=action_id, status="done",
                                          note=_("Referred to %(series)s (%(reference)s).")
                                          % {"series": referral.series.name, "reference": referral.reference})
        except (Http404, risk_services.RiskError):
            continue  # not hers to close, or closed meanwhile: the referral stands either way


def _timeline(case, by, referral, what):
    from rete.cases.models import ActivityKind
    from rete.cases.services import activity_add

    text = _("Risk conference %(series)s, %(reference)s: %(what)s") % {
        "series": referral.series.name, "reference": referral.reference, "what": what}
    activity_add(case=case, actor=by, kind=ActivityKind.REFERRAL, text=text)


def incident_recorded(*, case, incident, by):
    """A new incident within 12 months of the case's last referral to a conference is a repeat:
    the case goes back to that conference, flagged, with a fresh summary of the same categories,
    on the same legal basis (her consent, if still in force; or the recorded reason)."""
    from rete.cases.selectors import referral_package

    now = timezone.now()
    since = now - selectors.REPEAT_WINDOW
    latest = {}
    for referral in (ConferenceReferral.objects.filter(case_id=case.pk, referred_at__gte=since)
                     .exclude(status=ConferenceReferralStatus.WITHDRAWN).select_related("series")
                     .order_by("referred_at", "pk")):
        latest[referral.series_id] = referral
    for last in latest.values():
        if last.status in (ConferenceReferralStatus.WAITING, ConferenceReferralStatus.ON_AGENDA) or not last.series.active:
            continue  # already going to the next meeting
        consent = _covering_consent(case, last.series) if last.legal_basis == LegalBasis.CONSENT else None
        if last.legal_basis == LegalBasis.CONSENT and consent is None:
            continue  # her consent is gone: nothing more is shared
        facts = case_facts(case=case)
        band = facts["band"]
        referral = ConferenceReferral.objects.create(
            series=last.series, case=case, from_organisation=case.organisation, referred_by=None, referred_at=now,
            criterion=ConferenceCriterion.REPEAT, band=band["band"] if band else "",
            band_label=(band["label"] if band else "")[:200], police_callouts=facts["police_callouts"],
            children=facts["children"], repeat=True, previous=last, categories=list(last.categories),
            package=referral_package(case=case, categories=last.categories), legal_basis=last.legal_basis,
            consent=consent, without_consent_reason=last.without_consent_reason)
        _timeline(case, by, referral, _("repeat flagged automatically after a new incident"))
        _audit("repeat_flagged", by, case.organisation, referral, referral=referral.pk, series=last.series_id,
               case=case.pk, previous=last.pk, incident=incident.pk)
        transaction.on_commit(functools.partial(_tell_coordinators, referral.pk))


def consent_withdrawn(*, case, by=None) -> int:
    """Her consent withdrawn: the summaries shared under a consent no longer in force are
    cleared; the representatives see that it was withdrawn."""
    now = timezone.now()
    cleared = 0
    for referral in (ConferenceReferral.objects.select_for_update(of=("self",)).filter(case_id=case.pk, legal_basis=LegalBasis.CONSENT,
                                                                           consent_withdrawn_at__isnull=True)
                     .select_related("series", "consent")):
        if referral.consent is not None and referral.consent.withdrawn_on is None:
            continue
        referral.package, referral.consent_withdrawn_at = {}, now
        if referral.status in (ConferenceReferralStatus.WAITING, ConferenceReferralStatus.ON_AGENDA):
            referral.status = ConferenceReferralStatus.WITHDRAWN
            referral.withdrawn_at = now
        referral.version += 1
        referral.save(update_fields=["package", "consent_withdrawn_at", "status", "withdrawn_at", "version"])
        _audit("consent_withdrawn", by, referral.from_organisation, referral, referral=referral.pk, series=referral.series_id)
        cleared += 1
    return cleared


@transaction.atomic
def conference_referral_withdraw(*, by, referral, reason) -> ConferenceReferral:
    """The sender takes a case back before it is discussed; the summary is cleared."""
    referral = ConferenceReferral.objects.select_for_update(of=("self",)).select_related("series").get(pk=referral.pk)
    case = _sender_case(by, referral.case)
    if referral.status not in (ConferenceReferralStatus.WAITING, ConferenceReferralStatus.ON_AGENDA):
        raise ServiceError(_("This case was already discussed or withdrawn."))
    reason = _text(reason, "reason", _("Reason"), required=True)
    referral.status, referral.withdrawn_at, referral.package = ConferenceReferralStatus.WITHDRAWN, timezone.now(), {}
    referral.version += 1
    referral.save(update_fields=["status", "withdrawn_at", "package", "version"])
    AgendaItem.objects.filter(referral=referral, meeting__status=MeetingStatus.PLANNED).delete()
    _timeline(case, by, referral, _("withdrawn"))
    _audit("referral_withdrawn", by, case.organisation, referral, referral=referral.pk, series=referral.series_id)
    return referral


# ---- meetings, agenda, minutes ----------------------------------------------------------------


@transaction.atomic
def meeting_schedule(*, by, series, starts_at, place="", chair=None) -> ConferenceMeeting:
    series = ConferenceSeries.objects.select_for_update().get(pk=series.pk)
    _coordinated(by, series)
    if starts_at is None:
        raise ServiceError(_("Enter the date and time of the meeting."), "starts_at")
    if chair is not None and not access.has_capability(chair, series.organisation_id, access.COORDINATE_CONFERENCES):
        raise ServiceError(_("The chair is one of the conference's coordinators."), "chair")
    number = (ConferenceMeeting.objects.filter(series=series).aggregate(n=Max("number"))["n"] or 0) + 1
    meeting = ConferenceMeeting.objects.create(series=series, number=number, starts_at=starts_at,
                                               place=_text(place, "place", _("Place"))[:300], chair=chair or by)
    _audit("meeting_scheduled", by, series.organisation, meeting, series=series.pk, meeting=meeting.pk, number=number)
    return meeting


def next_meeting_start(*, series):
    """A suggestion for the next meeting: the last one plus the series' interval, or in a week."""
    last = ConferenceMeeting.objects.filter(series=series).order_by("-starts_at").only("starts_at").first()
    if last is None:
        return (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    return timezone.localtime(last.starts_at) + datetime.timedelta(days=series.every_days)


def _planned(by, meeting):
    meeting = ConferenceMeeting.objects.select_for_update(of=("self",)).select_related("series").get(pk=meeting.pk)
    _coordinated(by, meeting.series)
    return meeting


@transaction.atomic
def agenda_build(*, by, meeting) -> int:
    """Put on the agenda the referrals waiting since the last meeting and the cases whose actions
    are still open (carried over). Run again, it adds only what is new. Returns the number of
    cases added."""
    meeting = _planned(by, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("The agenda of a meeting that was held cannot change."))
    present = set(AgendaItem.objects.filter(meeting=meeting).values_list("referral_id", flat=True))
    position = (AgendaItem.objects.filter(meeting=meeting).aggregate(n=Max("position"))["n"] or 0)
    waiting = list(ConferenceReferral.objects.filter(series=meeting.series_id, status=ConferenceReferralStatus.WAITING,
                                                     referred_at__lte=meeting.starts_at)
                   .order_by("referred_at", "pk").values_list("pk", flat=True))
    carried = list(ConferenceAction.objects.filter(referral__series=meeting.series_id, status__in=selectors.OPEN_ACTIONS)
                   .exclude(item__meeting=meeting).exclude(referral__status=ConferenceReferralStatus.WITHDRAWN)
                   .order_by("referral__referred_at", "referral_id").values_list("referral_id", flat=True).distinct())
    added = []
    for referral_id, carried_over in [(pk, False) for pk in waiting] + [(pk, True) for pk in carried]:
        if referral_id in present:
            continue
        position += 1
        present.add(referral_id)
        added.append(AgendaItem(meeting=meeting, referral_id=referral_id, position=position, carried_over=carried_over))
    AgendaItem.objects.bulk_create(added)
    ConferenceReferral.objects.filter(pk__in=[i.referral_id for i in added if not i.carried_over]).update(
        status=ConferenceReferralStatus.ON_AGENDA)
    meeting.agenda_built_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["agenda_built_at", "version"])
    _audit("agenda_built", by, meeting.series.organisation, meeting, meeting=meeting.pk, added=len(added))
    if added:
        transaction.on_commit(functools.partial(_tell_representatives, meeting.pk, "agenda"))
    return len(added)


@transaction.atomic
def item_remove(*, by, item) -> None:
    """Take a case off a planned agenda; a new referral goes back to waiting."""
    item = AgendaItem.objects.select_related("meeting", "meeting__series").get(pk=item.pk)
    _planned(by, item.meeting)
    if item.meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("The agenda of a meeting that was held cannot change."))
    if item.actions.exists():
        raise ServiceError(_("Actions were agreed for this case at this meeting: it stays on the agenda."))
    ConferenceReferral.objects.filter(pk=item.referral_id, status=ConferenceReferralStatus.ON_AGENDA).update(
        status=ConferenceReferralStatus.WAITING)
    item.delete()
    _audit("item_removed", by, item.meeting.series.organisation, item.meeting, meeting=item.meeting_id, referral=item.referral_id)


@transaction.atomic
def item_record(*, by, item, notes, decisions, version=None) -> AgendaItem:
    """The chair's minute for one case: the discussion and the decisions (encrypted)."""
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting", "meeting__series").get(pk=item.pk)
    _coordinated(by, item.meeting.series)
    if item.meeting.status == MeetingStatus.MINUTES_SENT:
        raise ServiceError(_("The minutes of this meeting were sent: they cannot change."))
    _stale(item, version)
    item.notes = _text(notes, "notes", _("Discussion"))
    item.decisions = _text(decisions, "decisions", _("Decisions"))
    item.discussed = bool(item.notes or item.decisions)
    item.updated_by, item.updated_at = by, timezone.now()
    item.version += 1
    item.save(update_fields=["notes", "decisions", "discussed", "updated_by", "updated_at", "version"])
    _audit("item_recorded", by, item.meeting.series.organisation, item.meeting, meeting=item.meeting_id, item=item.pk,
           referral=item.referral_id)
    return item


@transaction.atomic
def action_add(*, by, item, agency, description, due_on, owner=None) -> ConferenceAction:
    """A SMART action: which member agency, who there (one of its representatives or members),
    what, by when."""
    from rete.core.models import Membership

    item = AgendaItem.objects.select_related("meeting", "meeting__series").get(pk=item.pk)
    series = item.meeting.series
    _coordinated(by, series)
    if item.meeting.status == MeetingStatus.MINUTES_SENT:
        raise ServiceError(_("The minutes of this meeting were sent: add the action at the next meeting."))
    if agency is None or not ConferenceMember.objects.filter(series=series, organisation=agency).exists():
        raise ServiceError(_("Choose one of the conference's member agencies."), "agency")
    if owner is not None and not Membership.objects.filter(user=owner, organisation=agency, ended_at__isnull=True).exists():
        raise ServiceError(_("The owner works at the responsible agency."), "owner")
    description = _text(description, "description", _("Action"), required=True)
    if due_on is None:
        raise ServiceError(_("Enter the date the action is due."), "due_on")
    if due_on < timezone.localdate(item.meeting.starts_at):
        raise ServiceError(_("An action is due after the meeting."), "due_on")
    action = ConferenceAction.objects.create(item=item, referral_id=item.referral_id, agency=agency, owner=owner,
                                             description=description, due_on=due_on, created_by=by)
    _audit("action_added", by, series.organisation, action, action=action.pk, meeting=item.meeting_id,
           referral=item.referral_id, agency=agency.pk, owner=owner.pk if owner else None, due_on=due_on.isoformat())
    return action


@transaction.atomic
def action_update(*, by, action, status, note="", version=None) -> ConferenceAction:
    """Progress reported by the responsible agency's representatives (or a coordinator)."""
    action = selectors.action_get(user=by, action_id=action.pk)
    if not action.may_update:
        access.deny()
    action = ConferenceAction.objects.select_for_update().get(pk=action.pk)
    if status not in ConferenceActionStatus.values:
        raise ServiceError(_("Choose the status."), "status")
    note = _text(note, "note", _("Progress"))
    if not action.is_open:
        raise ServiceError(_("This action is closed."))
    _stale(action, version)
    if status == ConferenceActionStatus.NOT_DONE and not note:
        raise ServiceError(_("Say why the action could not be done."), "note")
    action.status = status
    action.completed_on = timezone.localdate() if status in (ConferenceActionStatus.DONE, ConferenceActionStatus.NOT_DONE) else None
    action.version += 1
    action.save(update_fields=["status", "completed_on", "version"])
    ConferenceActionUpdate.objects.create(action=action, by=by, status=status, note=note)
    _audit("action_updated", by, action.agency, action, action=action.pk, status=status)
    return action


@transaction.atomic
def meeting_held(*, by, meeting) -> ConferenceMeeting:
    """The meeting took place: the agenda is frozen and the minutes can be written."""
    meeting = _planned(by, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("This meeting is already marked as held."))
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise ServiceError(_("The agenda is empty: build it first."))
    meeting.status, meeting.held_at = MeetingStatus.HELD, timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["status", "held_at", "version"])
    _audit("meeting_held", by, meeting.series.organisation, meeting, meeting=meeting.pk)
    return meeting


@transaction.atomic
def minutes_send(*, by, meeting) -> ConferenceMeeting:
    """Close the minutes: the cases discussed are marked so; a case not discussed goes back to
    waiting for the next meeting; the representatives are told (a link, never the content)."""
    meeting = _planned(by, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ServiceError(_("Mark the meeting as held before sending its minutes."))
    items = list(AgendaItem.objects.filter(meeting=meeting).only("pk", "referral_id", "discussed", "carried_over"))
    discussed = [i.referral_id for i in items if i.discussed]
    not_discussed = [i.referral_id for i in items if not i.discussed and not i.carried_over]
    ConferenceReferral.objects.filter(pk__in=discussed).exclude(status=ConferenceReferralStatus.WITHDRAWN).update(
        status=ConferenceReferralStatus.DISCUSSED)
    ConferenceReferral.objects.filter(pk__in=not_discussed, status=ConferenceReferralStatus.ON_AGENDA).update(
        status=ConferenceReferralStatus.WAITING)
    meeting.status, meeting.minutes_sent_at = MeetingStatus.MINUTES_SENT, timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["status", "minutes_sent_at", "version"])
    _audit("minutes_sent", by, meeting.series.organisation, meeting, meeting=meeting.pk, discussed=len(discussed),
           back_to_waiting=len(not_discussed))
    transaction.on_commit(functools.partial(_tell_representatives, meeting.pk, "minutes"))
    return meeting


def minutes_record_print(*, by, meeting, language) -> None:
    """The minutes hold personal data: printing them is audited."""
    _audit("minutes_printed", by, meeting.series.organisation, meeting, meeting=meeting.pk, language=language)


def summary_record_view(*, by, referral) -> None:
    """A representative read a case summary."""
    _audit("summary_viewed", by, referral.series.organisation, referral, referral=referral.pk, series=referral.series_id)


# ---- e-mails and reminders -------------------------------------------------------------------


def _link(name, **kwargs) -> str:
    from django.urls import reverse

    return settings.RETE_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _mail(users, subject_and_body):
    from django.core.mail import send_mail
    from django.utils import translation

    sent = 0
    for user in users:
        if not user.is_active or not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = subject_and_body()
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])
        sent += 1
    return sent


def _coordinators(organisation_id):
    from rete.core.models import Membership, User

    ids = Membership.objects.filter(organisation_id=organisation_id, role__in=access.COORDINATE_CONFERENCES,
                                    ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def _representatives(series_id, organisation_ids=None):
    from rete.core.models import Membership, User

    reps = ConferenceRepresentative.objects.filter(member__series_id=series_id)
    if organisation_ids is not None:
        reps = reps.filter(member__organisation_id__in=organisation_ids)
    rows = list(reps.values_list("user_id", "member__organisation_id"))
    current = set(Membership.objects.filter(ended_at__isnull=True, user_id__in=[u for u, _o in rows])
                  .values_list("user_id", "organisation_id"))
    return list(User.objects.filter(pk__in={u for u, o in rows if (u, o) in current}))


def _tell_coordinators(referral_id):
    referral = ConferenceReferral.objects.select_related("series").only(
        "pk", "repeat", "series__name", "series__organisation_id").get(pk=referral_id)

    def message():
        subject = _("New case for %(series)s: %(reference)s") % {"series": referral.series.name,
                                                                  "reference": referral.reference}
        kind = _("a repeat") if referral.repeat else _("a new referral")
        body = _("%(reference)s (%(kind)s) waits for the next meeting of %(series)s:\n\n%(link)s\n") % {
            "reference": referral.reference, "kind": kind, "series": referral.series.name,
            "link": _link("network:conference_series_detail", series_id=referral.series_id)}
        return subject, body

    _mail(_coordinators(referral.series.organisation_id), message)


def _tell_data_protection_officers(referral_id):
    from rete.core.models import Membership, Role, User

    referral = ConferenceReferral.objects.select_related("series").only(
        "pk", "from_organisation_id", "case_id", "series__name").get(pk=referral_id)
    ids = Membership.objects.filter(organisation_id=referral.from_organisation_id, role=Role.DPO,
                                    ended_at__isnull=True).values("user_id")

    def message():
        subject = _("Case shared with a risk conference without consent: %(reference)s") % {"reference": referral.reference}
        body = _("%(reference)s was referred to %(series)s without her consent, for a reason written by the sender. "
                 "Please review it:\n\n%(link)s\n") % {
            "reference": referral.reference, "series": referral.series.name,
            "link": _link("network:conference_referral_sent", conference_referral_id=referral.pk)}
        return subject, body

    _mail(list(User.objects.filter(pk__in=ids)), message)


def _tell_representatives(meeting_id, what):
    meeting = ConferenceMeeting.objects.select_related("series").get(pk=meeting_id)

    def message():
        values = {"series": meeting.series.name, "number": meeting.number,
                  "link": _link("network:conference_meeting_detail", meeting_id=meeting.pk)}
        if what == "minutes":
            return (_("Minutes of %(series)s, meeting %(number)s") % values,
                    _("The minutes of meeting %(number)s of %(series)s are ready, with the actions for your agency:\n\n"
                      "%(link)s\n") % values)
        return (_("Agenda of %(series)s, meeting %(number)s") % values,
                _("The agenda of meeting %(number)s of %(series)s is ready; the case summaries are on the meeting page:\n\n"
                  "%(link)s\n") % values)

    _mail(_representatives(meeting.series_id), message)


def conference_tick(now) -> int:
    """Claim the open actions due within two days or overdue (not reminded in the last week)
    with a conditional UPDATE and enqueue a reminder after commit. Idempotent."""
    today = timezone.localdate(now)
    due = (ConferenceAction.objects.filter(status__in=selectors.OPEN_ACTIONS, due_on__lte=today + ACTION_REMIND_BEFORE)
           .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - ACTION_REMIND_EVERY))
           .only("pk", "reminded_at").order_by("due_on", "pk")[:BATCH])
    count = 0
    for action in due:
        with transaction.atomic():
            if ConferenceAction.objects.filter(pk=action.pk, reminded_at=action.reminded_at).update(reminded_at=now):
                transaction.on_commit(functools.partial(send_action_reminder.enqueue, action.pk))
                count += 1
    return count


@task()
def send_action_reminder(action_id: int) -> int:
    action = (ConferenceAction.objects.select_related("referral__series", "owner").defer("description")
              .filter(pk=action_id).first())
    if action is None or not action.is_open:
        return 0  # closed since it was queued
    users = _representatives(action.referral.series_id, [action.agency_id])
    if action.owner_id and action.owner not in users:
        users.append(action.owner)

    def message():
        values = {"series": action.referral.series.name, "reference": action.referral.reference,
                  "due": action.due_on.isoformat(), "link": _link("network:conference_action_detail", conference_action_id=action.pk)}
        return (_("Action due for %(reference)s (%(series)s)") % values,
                _("An action agreed at %(series)s for %(reference)s is due on %(due)s. Please report its progress:\n\n"
                  "%(link)s\n") % values)

    return _mail(users, message)


# ---- the pages (part "conference-pages") ------------------------------------------------------


def agenda_record_view(*, by, meeting, referral_ids) -> None:
    """A representative opened a meeting page that shows the summaries of these referrals: one
    audit event for the page (ids only)."""
    referral_ids = sorted({int(pk) for pk in referral_ids})
    if not referral_ids:
        return
    _audit("summaries_viewed", by, meeting.series.organisation, meeting, meeting=meeting.pk, series=meeting.series_id,
           referrals=referral_ids)


# ---- conference-case additions (part "conference-case") ---------------------------------------


def covering_consent(*, case, series):
    """Her consent in force that covers sharing this case with the series (by its name, or to
    the risk-conference sector), or None: the referral form asks for a written reason then. The
    case was fetched for the caller through case_get."""
    return _covering_consent(case, series)
