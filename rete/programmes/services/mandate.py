"""Writes of part "mandate-assessment": the court's mandate of an enrolment (one per enrolment,
versioned) and who must be told what; the audited reading of them; and what a signed risk
assessment of the enrolment sets going (rising risk reaches the partner-support service).

Each service is atomic, locks the enrolment through its own selector (only those who may open
it may write; 404 otherwise), and writes an audit event with ids and codes only: never the
court's case number, a condition, a note, a recipient's name or contact."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import pathways, states
from rete.programmes.models import (
    CourtReport,
    Enrolment,
    LegalMandate,
    MandateBasis,
    RecipientKind,
    ReportKind,
    ReportRecipient,
)
from rete.programmes.selectors.enrolments import enrolment_lock

TEXT_MAX = 4000
COURT_MAX = 200
CASE_NUMBER_MAX = 80
NAME_MAX = 200
SESSIONS_PER_WEEK = (1, 7)
DURATION_WEEKS = (1, 260)
REPORT_EVERY_WEEKS = (1, 52)
MANDATE_FIELDS = ("basis", "court", "case_number", "order_on", "start_by", "sessions_per_week", "duration_weeks", "deadline",
                  "favourable_outcome_condition", "consent_recorded", "report_every_weeks", "notes")


def _audit(verb, by, enrolment, obj=None, **detail):
    audit.record(action=f"programmes.{verb}", actor=by, organisation=enrolment.organisation, obj=obj or enrolment,
                 detail={"enrolment": enrolment.pk, **detail})


def _text(value, field, *, limit=TEXT_MAX, required=False, message=None):
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(message or _("This field is required."), field)
    if len(value) > limit:
        raise ServiceError(_("This text is too long (at most %(max)d characters).") % {"max": limit}, field)
    return value


def _number(value, field, bounds, *, required=True, message):
    if value in (None, ""):
        if required:
            raise ServiceError(message, field)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(message, field) from None
    if isinstance(value, bool) or not bounds[0] <= number <= bounds[1]:
        raise ServiceError(message, field)
    return number


def _active(enrolment):
    """Touch the enrolment's activity (not its version: a mandate saved meanwhile must not make
    an open edit of the enrolment stale)."""
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=timezone.now())


def _mandate_values(*, basis, court, case_number, order_on, start_by, sessions_per_week, duration_weeks, deadline,
                    favourable_outcome_condition, consent_recorded, report_every_weeks, notes) -> dict:
    if basis not in MandateBasis.values:
        raise ServiceError(_("Choose the legal basis of the order."), "basis")
    court = _text(court, "court", limit=COURT_MAX, required=True, message=_("Name the court or authority that made the order."))
    case_number = _text(case_number, "case_number", limit=CASE_NUMBER_MAX, required=True,
                        message=_("Give the case number of the order."))
    if not isinstance(order_on, datetime.date):
        raise ServiceError(_("Give the date of the order."), "order_on")
    if order_on > timezone.localdate():
        raise ServiceError(_("The order cannot be dated in the future."), "order_on")
    if start_by is not None and start_by < order_on:
        raise ServiceError(_("He cannot have to start before the date of the order."), "start_by")
    if deadline is not None and deadline < order_on:
        raise ServiceError(_("The deadline cannot be before the date of the order."), "deadline")
    return {
        "basis": basis, "court": court, "case_number": case_number, "order_on": order_on, "start_by": start_by,
        "sessions_per_week": _number(sessions_per_week, "sessions_per_week", SESSIONS_PER_WEEK,
                                     message=_("Sessions a week: a whole number from 1 to 7.")),
        "duration_weeks": _number(duration_weeks, "duration_weeks", DURATION_WEEKS, required=False,
                                  message=_("Duration: a whole number of weeks from 1 to 260 (five years).")),
        "deadline": deadline,
        "favourable_outcome_condition": _text(favourable_outcome_condition, "favourable_outcome_condition"),
        "consent_recorded": bool(consent_recorded),
        "report_every_weeks": _number(report_every_weeks, "report_every_weeks", REPORT_EVERY_WEEKS,
                                      message=_("Periodic reports: every 1 to 52 weeks.")),
        "notes": _text(notes, "notes"),
    }


def _start_notice_due(enrolment) -> CourtReport | None:
    """He is in the programme already but the court has had no start notice (the mandate came
    after the start): it falls due now, if his pathway tells the court of a start."""
    from rete.programmes.services import notify
    from rete.programmes.services.court_reports import report_due

    if enrolment.state not in states.IN_PROGRAMME:
        return None
    version = enrolment.pathway_version if enrolment.pathway_version_id else None
    notifications = version.notifications if version is not None else pathways.DEFAULT_NOTIFICATIONS
    if "court" not in pathways.notified(notifications, "started"):
        return None
    if CourtReport.objects.filter(enrolment_id=enrolment.pk, kind=ReportKind.START).exists():
        return None  # due, done, or decided not needed: never a second one
    return report_due(enrolment=enrolment, kind=ReportKind.START,
                      due_on=timezone.localdate() + datetime.timedelta(days=notify.REPORT_DUE_DAYS["start"]))


@transaction.atomic
def mandate_save(*, by, enrolment, version, basis, court, case_number, order_on, start_by=None, sessions_per_week=2,
                 duration_weeks=None, deadline=None, favourable_outcome_condition="", consent_recorded=False,
                 report_every_weeks=12, notes="") -> LegalMandate:
    """Record the court's order (version None: the first time) or correct it (`version`: the
    one she edited; a stale one raises StaleEdit with the saved mandate). When he is already in
    the programme and the court had no start notice, one falls due."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    values = _mandate_values(basis=basis, court=court, case_number=case_number, order_on=order_on, start_by=start_by,
                             sessions_per_week=sessions_per_week, duration_weeks=duration_weeks, deadline=deadline,
                             favourable_outcome_condition=favourable_outcome_condition, consent_recorded=consent_recorded,
                             report_every_weeks=report_every_weeks, notes=notes)
    mandate = LegalMandate.objects.select_for_update().filter(enrolment_id=enrolment.pk).first()
    if mandate is not None and (version is None or int(version) != mandate.version):
        raise StaleEdit(mandate)  # opened before someone else recorded or changed it
    created = mandate is None
    if created:
        mandate = LegalMandate.objects.create(enrolment=enrolment, created_by=by, **values)
        changed = sorted(values)
    else:
        changed = sorted(name for name, value in values.items() if getattr(mandate, name) != value)
        for name, value in values.items():
            setattr(mandate, name, value)
        mandate.version += 1
        mandate.save()
    notice = _start_notice_due(enrolment)
    _active(enrolment)
    _audit("mandate_saved", by, enrolment, mandate, mandate=mandate.pk, created=created, basis=mandate.basis,
           consent_recorded=mandate.consent_recorded, fields=changed, start_notice=notice.pk if notice else None)
    return mandate


@transaction.atomic
def mandate_record_view(*, by, enrolment, mandate) -> None:
    """She opened the mandate's edit page (the case number and conditions): ids only."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    _audit("mandate_viewed", by, enrolment, mandate, mandate=mandate.pk)


# ---- who must be told what ---------------------------------------------------------------------


def _recipient_values(*, kind, name, contact, reports) -> dict:
    if kind not in RecipientKind.values:
        raise ServiceError(_("Choose who the recipient is."), "kind")
    name = _text(name, "name", limit=NAME_MAX, required=True, message=_("Give the name of the recipient or its office."))
    contact = _text(contact, "contact")
    reports = list(dict.fromkeys(reports or ()))
    if not reports:
        raise ServiceError(_("Choose at least one report it receives."), "reports")
    if not set(reports) <= set(ReportKind.values):
        raise ServiceError(_("Choose the reports among those offered."), "reports")
    return {"kind": kind, "name": name, "contact": contact, "reports": [code for code in ReportKind.values if code in reports]}


def _locked_mandate(by, enrolment):
    enrolment = enrolment_lock(user=by, pk=enrolment)
    mandate = LegalMandate.objects.select_for_update().filter(enrolment_id=enrolment.pk).first()
    if mandate is None:
        access.deny()
    return enrolment, mandate


def _locked_recipient(mandate, recipient_id):
    try:
        recipient_id = int(getattr(recipient_id, "pk", recipient_id))
    except (TypeError, ValueError):
        access.deny()
    recipient = ReportRecipient.objects.select_for_update().filter(pk=recipient_id, mandate_id=mandate.pk).first()
    if recipient is None:
        access.deny()
    return recipient


@transaction.atomic
def recipient_add(*, by, enrolment, kind, name, contact="", reports=()) -> ReportRecipient:
    """Someone the programme must report to under the mandate, and which reports it receives."""
    enrolment, mandate = _locked_mandate(by, enrolment)
    recipient = ReportRecipient.objects.create(mandate=mandate, **_recipient_values(kind=kind, name=name, contact=contact,
                                                                                    reports=reports))
    _active(enrolment)
    _audit("mandate_recipient_added", by, enrolment, recipient, mandate=mandate.pk, recipient=recipient.pk, kind=recipient.kind,
           reports=recipient.reports)
    return recipient


@transaction.atomic
def recipient_update(*, by, enrolment, recipient_id, kind, name, contact="", reports=()) -> ReportRecipient:
    enrolment, mandate = _locked_mandate(by, enrolment)
    recipient = _locked_recipient(mandate, recipient_id)
    values = _recipient_values(kind=kind, name=name, contact=contact, reports=reports)
    changed = sorted(field for field, value in values.items() if getattr(recipient, field) != value)
    for field, value in values.items():
        setattr(recipient, field, value)
    recipient.save()
    _active(enrolment)
    _audit("mandate_recipient_updated", by, enrolment, recipient, mandate=mandate.pk, recipient=recipient.pk,
           kind=recipient.kind, reports=recipient.reports, fields=changed)
    return recipient


@transaction.atomic
def recipient_remove(*, by, enrolment, recipient_id) -> None:
    enrolment, mandate = _locked_mandate(by, enrolment)
    recipient = _locked_recipient(mandate, recipient_id)
    pk, kind = recipient.pk, recipient.kind
    recipient.delete()
    _active(enrolment)
    _audit("mandate_recipient_removed", by, enrolment, mandate, mandate=mandate.pk, recipient=pk, kind=kind)


@transaction.atomic
def recipient_record_view(*, by, enrolment, recipient) -> None:
    """She opened a recipient's edit page (its address for reports): ids only."""
    enrolment = enrolment_lock(user=by, pk=enrolment)
    _audit("mandate_recipient_viewed", by, enrolment, recipient, mandate=recipient.mandate_id, recipient=recipient.pk)


# ---- risk: what a signed assessment of the enrolment sets going ------------------------------------


def risk_signed(*, subject_id, previous_rank, new_rank, top, by) -> bool:
    """Registered with rete.risk for the "enrolment" subject (apps.py) and called inside the
    sign-off's transaction: when his risk rose (a higher band than the one in force, or a first
    assessment in the instrument's highest band) the partner-support service hears at once
    (services.notify, event "risk_raised"). Returns whether it did."""
    from rete.programmes.services import notify

    raised = (top and previous_rank is None) or (previous_rank is not None and new_rank is not None and new_rank > previous_rank)
    if not raised:
        return False
    enrolment = enrolment_lock(user=by, pk=subject_id)
    reached = notify.dispatch(by=by, enrolment=enrolment, event="risk_raised")
    _audit("risk_raised", by, enrolment, previous_rank=previous_rank, rank=new_rank, top=bool(top), reached=sorted(reached))
    return True
