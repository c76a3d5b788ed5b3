"""Every read of certificates: who may download which, what the event's runners see, what a
participant sees on her page, and the public check (which learns the participant's name, the
event's title and its dates from a valid code, and nothing else). Each a fixed number of
queries, whatever the number of participants."""
from dataclasses import dataclass
import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation

from rete.core import access as core_access
from rete.learning import certificates
from rete.learning.models import EventSession, Registration, RegistrationStatus, SessionAttendance
from rete.learning.selectors import events as event_selectors

ATTENDED = tuple(certificates.ATTENDED)


def _with_attended(queryset):
    return queryset.annotate(attended_count=Count("attendance", filter=Q(attendance__status__in=ATTENDED)))


def session_count(event) -> int:
    return EventSession.objects.filter(event=event).count()


def share_of(registration, sessions: int):
    return certificates.share_of_count(registration.attended_count, sessions)


# ---- the event's runners ---------------------------------------------------------------------


def event_certificates(*, user, event) -> dict:
    """For the event's runners: counts (registered, eligible, issued, still to issue) and the
    registered participants with their attendance and certificate. Two queries."""
    if not event_selectors.may_run(user=user, event=event):
        core_access.deny()
    sessions = session_count(event)
    registrations = list(_with_attended(Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED))
                         .order_by("registered_at", "pk"))
    rows = []
    for registration in registrations:
        share = share_of(registration, sessions)
        rows.append({"registration": registration, "percent": round(float(share) * 100),
                     "eligible": certificates.eligible(event, share, registration_status=registration.status),
                     "issued": bool(registration.certificate_code)})
    return {
        "sessions": sessions, "rows": rows, "registered": len(rows),
        "eligible": sum(1 for row in rows if row["eligible"]),
        "issued": sum(1 for row in rows if row["issued"]),
        "to_issue": sum(1 for row in rows if row["eligible"] and not row["issued"]),
    }


def runner_registration_get(*, user, event_pk, registration_pk) -> Registration:
    """A registration of an event she runs (404 otherwise)."""
    event = event_selectors.event_manage_get(user=user, pk=event_pk)
    registration = Registration.objects.filter(event=event, pk=registration_pk).select_related("event", "event__host").first()
    if registration is None:
        core_access.deny()
    return registration


def runner_certificate_get(*, user, event_pk, registration_pk) -> Registration:
    """An issued certificate of an event she runs (404 otherwise, and when none is issued)."""
    registration = runner_registration_get(user=user, event_pk=event_pk, registration_pk=registration_pk)
    if not registration.certificate_code:
        core_access.deny()
    return registration


# ---- the participant -------------------------------------------------------------------------


def own_certificate_get(*, user, registration_pk) -> Registration:
    """Her own issued certificate (404 for anyone else's, or when none is issued)."""
    if not getattr(user, "is_authenticated", False):
        core_access.deny()
    registration = (Registration.objects.filter(pk=registration_pk, user=user).exclude(certificate_code=None)
                    .select_related("event", "event__host").first())
    if registration is None or not registration.certificate_code:
        core_access.deny()
    return registration


def token_certificate_get(*, token) -> Registration:
    """An outside participant's issued certificate, from her personal link (404 otherwise)."""
    registration = event_selectors.registration_by_token(token=token)
    if not registration.certificate_code:
        core_access.deny()
    return registration


def participant_status(*, registration) -> dict:
    """What her page says about her certificate: issued, or what is still missing. Two queries."""
    event = registration.event
    sessions = session_count(event)
    attended = SessionAttendance.objects.filter(registration=registration, status__in=ATTENDED).count()
    share = certificates.share_of_count(attended, sessions)
    return {
        "issued": bool(registration.certificate_code),
        "held": event.status == "held",
        "registered": registration.status == RegistrationStatus.REGISTERED,
        "percent": round(float(share) * 100), "needed": event.certificate_min_attendance,
        "eligible": certificates.eligible(event, share, registration_status=registration.status),
        "sessions": sessions,
    }


# ---- the document ----------------------------------------------------------------------------


def check_url(code: str, language: str) -> str:
    """The absolute address of the public check of `code`, in `language`."""
    with translation.override(language):
        path = reverse("learning_public:certificate_check", kwargs={"certificate_code": code})
    return settings.RETE_BASE_URL.rstrip("/") + path


def certificate_document(*, registration) -> dict:
    """What the certificate prints: her name, the event (title, kind, dates, place or online,
    host), the hours she attended (the sessions she was present or late at), the code, the check
    address and its QR code. One query (her attended sessions)."""
    from rete.portal.services.materials import qr_svg

    sessions = list(EventSession.objects.filter(attendance__registration=registration, attendance__status__in=ATTENDED)
                    .order_by("starts_at", "pk"))
    url = check_url(registration.certificate_code, registration.language)
    return {
        "registration": registration, "event": registration.event, "host": registration.event.host,
        "hours": float(certificates.hours(sessions)), "session_count": len(sessions),
        "code": registration.certificate_code, "url": url, "qr": qr_svg(url),
    }


def certificate_filename(registration) -> str:
    return f"certificate-{registration.event_id}-{registration.certificate_code}.pdf"


# ---- the public check ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedCertificate:
    """All the public check may show: nothing else leaves the database for it."""

    registration_id: int
    organisation_id: int
    name: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date


def certificate_check(*, code) -> CheckedCertificate | None:
    """The certificate with this code, or None (unknown, revoked or not a code). One query."""
    code = certificates.normalise_code(code)
    if code is None:
        return None
    row = (Registration.objects.filter(certificate_code=code).select_related("event")
           .only("pk", "full_name", "certificate_code", "event__title", "event__starts_on", "event__ends_on",
                 "event__host_id").first())
    if row is None:
        return None
    return CheckedCertificate(registration_id=row.pk, organisation_id=row.event.host_id, name=row.full_name,
                              title=row.event.title, starts_on=row.event.starts_on, ends_on=row.event.ends_on)
