"""Writing pilots (part "pilots"): an organisation tries a practice (a published one, or its own
after submission), records what it adapted, the pilot's period and the indicators it measures
before and after; it starts the pilot, completes it with its results and conclusion (every
indicator measured before and after, with the number of answers each time), or abandons it.
A completed pilot becomes part of the practice's evidence, and the person who wrote the practice
hears of it.

Every write is atomic, locks the pilot, checks inside that she is a member of the piloting
organisation (rete.learning.access.SHARE_PRACTICES; 404 otherwise) and leaves an audit event with
ids, codes and field names only (never the texts). Measures are aggregated values (a mean, a rate,
a count) with the number of answers: no personal data."""
import functools
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError, StaleEdit
from rete.learning import access
from rete.learning.models import MeasuredAmong, Pilot, PilotConclusion, PilotIndicator, PilotStatus
from rete.learning.pilots import pilot_summary
from rete.network import texts

TEXT_MAX = 20000
NAME_MAX = 200
UNIT_MAX = 40
VALUE_LIMIT = Decimal("100000000")  # the column holds 10 digits, 2 after the point
N_MAX = 1_000_000
OPEN = (PilotStatus.PLANNED, PilotStatus.RUNNING)
INDICATOR_FIELDS = ("name", "measured_among", "unit", "higher_is_better", "pre_value", "pre_n", "post_value", "post_n")


def _audit(action, by, pilot, **detail):
    audit.record(action=f"learning.{action}", actor=by, organisation=pilot.organisation, obj=pilot,
                 detail={"pilot": pilot.pk, "practice": pilot.practice_id, **detail})


def locked(by, pilot) -> Pilot:
    """The pilot locked for this transaction; 404 unless she is a member of the piloting
    organisation."""
    pk = getattr(pilot, "pk", pilot)
    row = Pilot.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=pk).first()
    if row is None or not core_access.has_capability(by, row.organisation_id, access.SHARE_PRACTICES):
        core_access.deny()
    return row


def _check_version(row, version):
    if version is not None and int(version) != row.version:
        raise StaleEdit(row)


def _check_open(row):
    if row.status not in OPEN:
        raise ServiceError(_("This pilot is over: it can no longer be changed."))


def _text(value, field, *, limit=TEXT_MAX, required_message=None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ServiceError(required_message, field=field)
    if len(value) > limit:
        raise ServiceError(_("This text is too long (at most %(limit)s characters).") % {"limit": limit}, field=field)
    return value


def _period(starts_on, ends_on):
    if not starts_on:
        raise ServiceError(_("Give the day the pilot starts."), field="starts_on")
    if not ends_on:
        raise ServiceError(_("Give the day the pilot ends."), field="ends_on")
    if ends_on < starts_on:
        raise ServiceError(_("The pilot cannot end before it starts."), field="ends_on")
    return starts_on, ends_on


def _value(value, field):
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= VALUE_LIMIT:
        raise ServiceError(_("Enter a number below 100,000,000."), field=field)
    if number != number.quantize(Decimal("0.01")):
        raise ServiceError(_("Use at most two decimal places."), field=field)
    return number.quantize(Decimal("0.01"))


def _count(value, field):
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a whole number."), field=field) from None
    if number < 1 or number > N_MAX:
        raise ServiceError(_("Give the number of answers: at least 1."), field=field)
    return number


def clean_indicator(values: dict) -> dict:
    """An indicator's fields, checked; ServiceError names the field that is wrong."""
    cleaned = {
        "name": _text(values.get("name"), "name", limit=NAME_MAX, required_message=_("Name the indicator.")),
        "unit": _text(values.get("unit"), "unit", limit=UNIT_MAX),
        "higher_is_better": bool(values.get("higher_is_better", True)),
    }
    if values.get("measured_among") not in MeasuredAmong.values:
        raise ServiceError(_("Choose from the list."), field="measured_among")
    cleaned["measured_among"] = values["measured_among"]
    for when in ("pre", "post"):
        cleaned[f"{when}_value"] = _value(values.get(f"{when}_value"), f"{when}_value")
        cleaned[f"{when}_n"] = _count(values.get(f"{when}_n"), f"{when}_n")
    return cleaned


def _missing_measures(indicator) -> bool:
    return any(getattr(indicator, f) is None for f in ("pre_value", "pre_n", "post_value", "post_n"))


def _bump(row):
    row.version += 1
    row.save(update_fields=["version"])


@transaction.atomic
def pilot_start(*, by, practice, organisation, adaptation="", starts_on, ends_on, indicators=()) -> Pilot:
    """Her organisation starts planning a pilot of a practice she sees and may pilot there."""
    from rete.learning.selectors import pilots as selectors
    from rete.learning.selectors import practices as practice_selectors

    if not core_access.has_capability(by, organisation.pk, access.SHARE_PRACTICES):
        core_access.deny()
    practice = practice_selectors.practice_get(user=by, pk=getattr(practice, "pk", practice))
    if not selectors.may_pilot_at(practice=practice, organisation_id=organisation.pk):
        raise ServiceError(_("Only a published practice, or your organisation's own practice once it has been "
                             "submitted, can be piloted."))
    adaptation = _text(adaptation, "adaptation")
    starts_on, ends_on = _period(starts_on, ends_on)
    rows = []
    for index, values in enumerate(indicators or ()):
        try:
            rows.append(clean_indicator(values))
        except ServiceError as exc:
            exc.field = f"indicators-{index}-{exc.field}" if exc.field else None
            raise
    pilot = Pilot.objects.create(practice=practice, organisation=organisation, adaptation=adaptation,
                                 starts_on=starts_on, ends_on=ends_on, created_by=by)
    PilotIndicator.objects.bulk_create([PilotIndicator(pilot=pilot, order=index, **values)
                                        for index, values in enumerate(rows)])
    _audit("pilot.started", by, pilot, indicators=len(rows))
    return pilot


@transaction.atomic
def pilot_update(*, by, pilot, version, adaptation="", starts_on, ends_on) -> Pilot:
    """Changes what was adapted and the period, while the pilot is planned or running."""
    row = locked(by, pilot)
    _check_version(row, version)
    _check_open(row)
    values = {"adaptation": _text(adaptation, "adaptation")}
    values["starts_on"], values["ends_on"] = _period(starts_on, ends_on)
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    row.save()
    _audit("pilot.updated", by, row, fields=changed)
    return row


@transaction.atomic
def indicator_add(*, by, pilot, version=None, **values) -> PilotIndicator:
    row = locked(by, pilot)
    _check_version(row, version)
    _check_open(row)
    cleaned = clean_indicator(values)
    last = row.indicators.order_by("-order").values_list("order", flat=True).first()
    indicator = PilotIndicator.objects.create(pilot=row, order=0 if last is None else last + 1, **cleaned)
    _bump(row)
    _audit("pilot.indicator_added", by, row, indicator=indicator.pk, measured_among=indicator.measured_among)
    return indicator


def _indicator_of(row, indicator) -> PilotIndicator:
    pk = getattr(indicator, "pk", indicator)
    found = PilotIndicator.objects.filter(pilot=row, pk=pk).first()
    if found is None:
        core_access.deny()
    return found


@transaction.atomic
def indicator_update(*, by, pilot, indicator, version=None, **values) -> PilotIndicator:
    row = locked(by, pilot)
    _check_version(row, version)
    _check_open(row)
    found = _indicator_of(row, indicator)
    cleaned = clean_indicator(values)
    changed = sorted(k for k, v in cleaned.items() if getattr(found, k) != v)
    for key, value in cleaned.items():
        setattr(found, key, value)
    found.save()
    _bump(row)
    _audit("pilot.indicator_updated", by, row, indicator=found.pk, fields=changed)
    return found


@transaction.atomic
def indicator_remove(*, by, pilot, indicator, version=None) -> None:
    row = locked(by, pilot)
    _check_version(row, version)
    _check_open(row)
    found = _indicator_of(row, indicator)
    pk = found.pk
    found.delete()
    _bump(row)
    _audit("pilot.indicator_removed", by, row, indicator=pk)


@transaction.atomic
def pilot_set_running(*, by, pilot, version=None) -> Pilot:
    """The pilot has begun (from planned)."""
    row = locked(by, pilot)
    _check_version(row, version)
    if row.status != PilotStatus.PLANNED:
        raise ServiceError(_("Only a planned pilot can be started."))
    row.status = PilotStatus.RUNNING
    row.version += 1
    row.save(update_fields=["status", "version"])
    _audit("pilot.status", by, row, from_status=PilotStatus.PLANNED, to_status=PilotStatus.RUNNING)
    return row


@transaction.atomic
def pilot_complete(*, by, pilot, version, result_summary, conclusion) -> Pilot:
    """Closes a running pilot with its results: every indicator measured before and after, with
    the number of answers each time. From now on it is part of the practice's evidence."""
    row = locked(by, pilot)
    _check_version(row, version)
    if row.status != PilotStatus.RUNNING:
        raise ServiceError(_("Only a running pilot can be completed."))
    result_summary = _text(result_summary, "result_summary",
                           required_message=_("Summarise the results of the pilot."))
    if conclusion not in PilotConclusion.values:
        raise ServiceError(_("Choose from the list."), field="conclusion")
    indicators = list(row.indicators.all())
    if not indicators:
        raise ServiceError(_("Add at least one indicator, measured before and after the pilot."))
    if any(_missing_measures(i) for i in indicators):
        raise ServiceError(_("Every indicator needs its value before and after the pilot, and the number of "
                             "answers each time."))
    row.result_summary, row.conclusion = result_summary, conclusion
    row.status, row.completed_at = PilotStatus.COMPLETED, timezone.now()
    row.version += 1
    row.save()
    summary = pilot_summary(indicators)
    _audit("pilot.completed", by, row, conclusion=conclusion, indicators=summary["total"],
           improved=summary["improved"], worsened=summary["worsened"], unchanged=summary["unchanged"])
    transaction.on_commit(functools.partial(_tell_practice_author, row.pk, by.pk))
    return row


@transaction.atomic
def pilot_abandon(*, by, pilot, reason, version=None) -> Pilot:
    """Stops a planned or running pilot; the reason is kept where its results would be."""
    row = locked(by, pilot)
    _check_version(row, version)
    _check_open(row)
    reason = _text(reason, "reason", required_message=_("Say why the pilot was abandoned."))
    from_status = row.status
    row.status, row.result_summary = PilotStatus.ABANDONED, reason
    row.version += 1
    row.save(update_fields=["status", "result_summary", "version"])
    _audit("pilot.abandoned", by, row, from_status=from_status)
    return row


# ---- e-mail --------------------------------------------------------------------------------------


def _tell_practice_author(pilot_id, by_id):
    """The person who wrote the practice hears that a pilot of it was completed (a label and a
    link), if she is still a member of the practice's organisation."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from rete.core.models import Membership

    pilot = Pilot.objects.select_related("practice", "practice__created_by", "organisation").get(pk=pilot_id)
    author = pilot.practice.created_by
    if author.pk == by_id or not author.is_active or not author.email:
        return
    if not Membership.objects.filter(user=author, organisation_id=pilot.practice.organisation_id,
                                     role__in=access.SHARE_PRACTICES, ended_at__isnull=True).exists():
        return
    with translation.override(author.language or settings.LANGUAGE_CODE):
        link = settings.RETE_BASE_URL.rstrip("/") + reverse("learning:pilot_detail", kwargs={"pilot_id": pilot.pk})
        title = texts.get(pilot.practice, "title", translation.get_language(), source=pilot.practice.source_language)
        context = {"organisation": pilot.organisation.name, "practice": str(title), "link": link}
        subject = render_to_string("learning/pilots_email_completed_subject.txt", context).strip()
        body = render_to_string("learning/pilots_email_completed.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [author.email])
