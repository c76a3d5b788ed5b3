"""Writing certificates of attendance: issuing them to every eligible participant of a held
event (or to one), revoking one (its code then checks as not valid), and recording that one was
printed. The event's trainers and network coordinators only (404 otherwise); atomic, locked,
audited with ids, codes and counts only (never a name or a free text).

A revoked certificate leaves the registration without a code: if she is still eligible (say it
was revoked to correct her name), issuing again gives her a new certificate with a new code, and
the old code stays invalid."""
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rete.core import access as core_access
from rete.core import audit
from rete.core.services import ServiceError
from rete.learning import access, certificates
from rete.learning.models import EventSession, EventStatus, Registration, RegistrationStatus, TrainingEvent

ATTENDED = tuple(certificates.ATTENDED)
# Why a certificate is revoked: a code each, so that the reason can be audited.
REVOKE_REASONS = (
    ("issued_in_error", gettext_lazy("Issued by mistake")),
    ("attendance_corrected", gettext_lazy("The attendance was corrected")),
    ("details_wrong", gettext_lazy("Her details on it were wrong (a new one can be issued)")),
    ("participant_asked", gettext_lazy("The participant asked for it")),
)
REVOKE_REASON_CODES = frozenset(code for code, _label in REVOKE_REASONS)
CODE_ATTEMPTS = 10


def _audit(action, by, event, registration=None, **detail):
    audit.record(action=f"learning.certificate.{action}", actor=by, organisation=event.host,
                 obj=registration if registration is not None else event,
                 detail={"event": event.pk, **({"registration": registration.pk} if registration is not None else {}), **detail})


def _locked_event(by, event) -> TrainingEvent:
    pk = getattr(event, "pk", event)
    row = TrainingEvent.objects.select_for_update(of=("self",)).select_related("host").filter(pk=pk).first()
    if row is None or not core_access.has_capability(by, row.host_id, access.RUN_TRAINING):
        core_access.deny()
    return row


def _locked_registration(by, registration) -> Registration:
    pk = getattr(registration, "pk", registration)
    row = Registration.objects.select_for_update(of=("self",)).select_related("event", "event__host").filter(pk=pk).first()
    if row is None or not core_access.has_capability(by, row.event.host_id, access.RUN_TRAINING):
        core_access.deny()
    return row


def _unused_codes(count: int) -> list[str]:
    """`count` new codes no certificate carries (one query per try; a clash is a 1 in 10¹⁷
    event, so in practice one query)."""
    for _attempt in range(CODE_ATTEMPTS):
        codes = {certificates.new_code() for _ in range(count)}
        if len(codes) == count and not Registration.objects.filter(certificate_code__in=codes).exists():
            return sorted(codes)
    raise RuntimeError("could not draw unused certificate codes")  # pragma: no cover


def _give(registration, code, now):
    registration.certificate_code = code
    registration.certificate_issued_at = now
    registration.save(update_fields=["certificate_code", "certificate_issued_at"])


@transaction.atomic
def certificates_issue(*, by, event) -> int:
    """Issues a certificate to every registered participant of the held event who attended
    enough of it and has none yet; returns how many were issued."""
    row = _locked_event(by, event)
    if row.status != EventStatus.HELD:
        raise ServiceError(_("Certificates are issued once the event is marked as held."))
    sessions = EventSession.objects.filter(event=row).count()
    # Locked first (PostgreSQL locks no grouped rows), then counted.
    pks = list(Registration.objects.select_for_update(of=("self",))
               .filter(event=row, status=RegistrationStatus.REGISTERED, certificate_code=None).values_list("pk", flat=True))
    waiting = list(Registration.objects.filter(pk__in=pks)
                   .annotate(attended_count=Count("attendance", filter=Q(attendance__status__in=ATTENDED))).order_by("pk"))
    due = [registration for registration in waiting
           if certificates.eligible(row, certificates.share_of_count(registration.attended_count, sessions),
                                    registration_status=registration.status)]
    now = timezone.now()
    for registration, code in zip(due, _unused_codes(len(due)) if due else []):
        _give(registration, code, now)
    _audit("issued_all", by, row, issued=len(due), not_eligible=len(waiting) - len(due), sessions=sessions)
    return len(due)


@transaction.atomic
def certificate_issue(*, by, registration) -> Registration:
    """Issues her certificate (she must be eligible and have none)."""
    row = _locked_registration(by, registration)
    event = row.event
    if row.certificate_code:
        raise ServiceError(_("She already has a certificate."))
    if event.status != EventStatus.HELD:
        raise ServiceError(_("Certificates are issued once the event is marked as held."))
    sessions = EventSession.objects.filter(event=event).count()
    attended = row.attendance.filter(status__in=ATTENDED).count()
    share = certificates.share_of_count(attended, sessions)
    if not certificates.eligible(event, share, registration_status=row.status):
        raise ServiceError(_("She did not attend enough of the event for a certificate (%(needed)s%% of the sessions "
                             "needed).") % {"needed": event.certificate_min_attendance})
    _give(row, _unused_codes(1)[0], timezone.now())
    _audit("issued", by, event, row, code=row.certificate_code)
    return row


@transaction.atomic
def certificate_revoke(*, by, registration, reason) -> Registration:
    """Revokes her certificate: the code no longer checks as valid. `reason` is one of
    REVOKE_REASONS (a code, so that it can be audited)."""
    row = _locked_registration(by, registration)
    if reason not in REVOKE_REASON_CODES:
        raise ServiceError(_("Choose why the certificate is revoked."), field="reason")
    if not row.certificate_code:
        raise ServiceError(_("She has no certificate to revoke."))
    code = row.certificate_code
    row.certificate_code = None
    row.certificate_issued_at = None
    row.save(update_fields=["certificate_code", "certificate_issued_at"])
    _audit("revoked", by, row.event, row, code=code, reason=reason)
    return row


@transaction.atomic
def certificate_printed(*, by, registration, language, via) -> None:
    """A certificate was printed (downloaded as PDF): by a runner, by her, or through her
    personal link (`by` is then None)."""
    _audit("printed", by if getattr(by, "is_authenticated", False) else None, registration.event, registration,
           code=registration.certificate_code, language=language, via=via)


@transaction.atomic
def certificate_checked(*, checked) -> None:
    """Someone checked a valid code on the public page (it shows her name): recorded, with the
    registration's id only."""
    from rete.core.models import Organisation

    audit.record(action="learning.certificate.checked", organisation=Organisation(pk=checked.organisation_id),
                 object_type="learning.registration", object_id=str(checked.registration_id),
                 detail={"registration": checked.registration_id})
