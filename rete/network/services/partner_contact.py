"""Partner-contact links (part "partner-contact"): the bridge between a man's enrolment in a
perpetrator programme and the service that offers support to his (ex-)partner.

The programme side (SEND_PARTNER_EVENTS at the programme organisation: facilitators and
programme coordinators) asks for partner contact for an enrolment, sends events that matter for
her safety (started, absences, drop-out, threats, ...) and ends the link. rete.programmes calls
these services with its enrolment's id and reference; it never imports the cases module and never
gets the partner's case: it reads only rete.network.selectors.partner_contact's small views.

The partner-support side (SUPPORT_PARTNERS at the support organisation) reads the events, attaches
its own case, records the contact status and chooses whether the programme may see that status.

Separation (WWP EN; Intesa Stato-Regioni 2022: different staff for the men and the partners).
The programme module registers who works with which man (selectors.partner_contact.
register_programme_staff: his enrolment's staff and the facilitators of his groups, ended rows
included). The rule is:
- the person acting on the partner-support side must not have requested the link nor sent any
  event on it, nor ever worked with the man, and must not hold SEND_PARTNER_EVENTS at the
  programme organisation when that is the same organisation as the support organisation
  (selectors.partner_contact._support_scope: such a person gets 404, as for any link out of
  reach);
- a partner case attached to the link must not have in its active team anyone who requested the
  link, sent an event on it or ever worked with the man; and such a person never opens the
  partner case whatever her roles (selectors.partner_contact.partner_cases_hidden_from, registered
  with rete.cases.access);
- whoever works on the partner side (on the partner case's team, or who read its events) is
  never assigned to work with him (rete.programmes' services).

Every write is atomic, checks who may do it and writes an audit event with ids and codes only
(never a note, never the programme's reference). E-mails go after commit to the support
organisation's partner-support workers, in each one's language, and say only the link's
reference, the event's label and a link to the page: never the note. Nobody on the programme
side is e-mailed anything about the partner."""
import functools
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import PartnerContactEvent, PartnerContactLink, PartnerContactStatus, PartnerEventKind
from rete.network.selectors.partner_contact import partner_link_lock_for_support

logger = logging.getLogger(__name__)

NOTE_MAX = 4000


def _audit(verb, by, organisation, link, **detail):
    audit.record(action=f"network.partner_link_{verb}", actor=by, organisation=organisation, obj=link,
                 detail={"link": link.pk, "enrolment": link.enrolment_id, "programme": link.programme_organisation_id,
                         "support": link.support_organisation_id, **detail})


def _support_workers(organisation_id, *, exclude_ids=()):
    """Active partner-support workers of an organisation (users with an e-mail address)."""
    from rete.core.models import Membership, Role, User

    member_ids = Membership.objects.filter(organisation_id=organisation_id, role=Role.PARTNER_SUPPORT_WORKER,
                                           ended_at__isnull=True, user__is_active=True).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).exclude(pk__in=list(exclude_ids))


def _programme_staff_ids(link) -> set:
    """Who works with the man on this link: the requester, every sender of an event, and everyone
    the programme module says ever worked with him."""
    from rete.network.selectors.partner_contact import programme_people

    senders = PartnerContactEvent.objects.filter(link=link, sent_by__isnull=False).values_list("sent_by_id", flat=True)
    return {link.requested_by_id, *senders, *programme_people(link.enrolment_id)}


def _for_programme(by, link=None, enrolment_id=None) -> PartnerContactLink:
    """The link locked, if she holds a programme role at its programme organisation (404
    otherwise). The programme module may name it by its enrolment (the open link)."""
    rows = PartnerContactLink.objects.select_for_update(of=("self",))
    if link is not None:
        rows = rows.filter(pk=link.pk if isinstance(link, PartnerContactLink) else link)
    elif enrolment_id is not None:
        rows = rows.filter(enrolment_id=enrolment_id, ended_at__isnull=True)
    else:
        access.deny()
    found = rows.first()
    if found is None or not access.has_capability(by, found.programme_organisation_id, access.SEND_PARTNER_EVENTS):
        access.deny()
    return found


def _note(note) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(_("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX}, "note")
    return note


def _event(link, kind, by, note):
    event = PartnerContactEvent.objects.create(link=link, kind=kind, note=note, sent_by=by)
    transaction.on_commit(functools.partial(notify_support_workers, event.pk))
    return event


# ---- the programme side ----------------------------------------------------------------------


@transaction.atomic
def partner_link_request(*, by, programme_organisation, enrolment_id, enrolment_reference, support_organisation,
                         note="") -> PartnerContactLink:
    """The programme asks the support organisation to offer contact to the man's (ex-)partner.
    One open link per enrolment; the support organisation must have an active partner-support
    worker other than the requester. Records an ENROLLED event and tells its partner-support
    workers."""
    if not access.has_capability(by, programme_organisation.pk, access.SEND_PARTNER_EVENTS):
        access.deny()
    reference = (enrolment_reference or "").strip()
    if not reference:
        raise ServiceError(_("Give the programme's reference of the enrolment."), "enrolment_reference")
    if len(reference) > PartnerContactLink._meta.get_field("enrolment_reference").max_length:
        raise ServiceError(_("The programme's reference is too long."), "enrolment_reference")
    note = _note(note)
    if support_organisation is None or not _support_workers(support_organisation.pk, exclude_ids=[by.pk]).exists():
        raise ServiceError(_("%(organisation)s has no partner-support worker: choose another service.")
                           % {"organisation": support_organisation}, "support_organisation")
    if PartnerContactLink.objects.filter(enrolment_id=enrolment_id, ended_at__isnull=True).exists():
        raise ServiceError(_("Partner contact has already been requested for this enrolment."), "support_organisation")
    try:
        with transaction.atomic():
            link = PartnerContactLink.objects.create(
                programme_organisation=programme_organisation, enrolment_id=enrolment_id, enrolment_reference=reference,
                support_organisation=support_organisation, requested_by=by, request_note=note)
    except IntegrityError:
        raise ServiceError(_("Partner contact has already been requested for this enrolment."), "support_organisation")
    _event(link, PartnerEventKind.ENROLLED, by, "")
    _audit("requested", by, programme_organisation, link)
    return link


@transaction.atomic
def partner_event_send(*, by, link=None, enrolment_id=None, kind, note="") -> PartnerContactEvent:
    """The programme tells the partner-support service something that matters for her safety.
    Name the link, or the enrolment (its open link). Her partner-support workers are e-mailed at
    once (after commit): the reference, the event's label and a link, never the note."""
    link = _for_programme(by, link, enrolment_id)
    if link.ended_at is not None:
        raise ServiceError(_("This partner contact has ended: nothing more can be sent on it."))
    if kind not in PartnerEventKind.values or kind == PartnerEventKind.ENROLLED:
        raise ServiceError(_("Choose what happened."), "kind")
    note = _note(note)
    if kind == PartnerEventKind.OTHER and not note:
        raise ServiceError(_("Say what the partner-support service should know."), "note")
    event = _event(link, kind, by, note)
    _audit("event_sent", by, link.programme_organisation, link, kind=kind, event=event.pk)
    return event


@transaction.atomic
def partner_event_send_for_enrolment(*, by, enrolment_id, kind, note="") -> PartnerContactEvent | None:
    """For rete.programmes' automatic notifications: send an event on the enrolment's open link,
    if there is one (None otherwise). `by` None: the background rules acting for the programme
    (no person to check); otherwise she must hold a programme role at the link's programme."""
    link = (PartnerContactLink.objects.select_for_update(of=("self",))
            .filter(enrolment_id=enrolment_id, ended_at__isnull=True).first())
    if link is None:
        return None
    if by is not None and not access.has_capability(by, link.programme_organisation_id, access.SEND_PARTNER_EVENTS):
        access.deny()
    if kind not in PartnerEventKind.values or kind == PartnerEventKind.ENROLLED:
        raise ServiceError(_("Choose what happened."), "kind")
    event = _event(link, kind, by, _note(note))
    _audit("event_sent", by, link.programme_organisation, link, kind=kind, event=event.pk, automatic=by is None)
    return event


@transaction.atomic
def partner_link_end(*, by, link=None, enrolment_id=None) -> None:
    """The programme ends the link (e.g. after the follow-up). The partner-support service keeps
    its case and its record of the contact; nothing more can be sent."""
    link = _for_programme(by, link, enrolment_id)
    if link.ended_at is not None:
        raise ServiceError(_("This partner contact has already ended."))
    link.ended_at = timezone.now()
    link.version += 1
    link.save(update_fields=["ended_at", "version"])
    _audit("ended", by, link.programme_organisation, link)


# ---- the partner-support side ----------------------------------------------------------------


@transaction.atomic
def partner_link_record_view(*, by, link) -> None:
    """She opened the link (its notes): an audit read event."""
    link = partner_link_lock_for_support(user=by, link=link)
    _audit("viewed", by, link.support_organisation, link)


@transaction.atomic
def partner_link_attach_case(*, by, link, case) -> PartnerContactLink:
    """Attach her own case of the support organisation (one she may open) to the link. Nobody who
    works with the man on this link may be on the case's team."""
    from rete.cases import selectors as case_selectors
    from rete.cases.models import CaseAssignment

    link = partner_link_lock_for_support(user=by, link=link)
    case = case_selectors.case_get(user=by, pk=getattr(case, "pk", case))
    if case.organisation_id != link.support_organisation_id:
        access.deny()
    staff = _programme_staff_ids(link)
    if CaseAssignment.objects.filter(case=case, ended_at__isnull=True, user_id__in=staff).exists():
        raise ServiceError(_("Someone on this case's team works with him in the programme. Change the team first: "
                             "the partner's case must be kept apart from the programme."), "case")
    link.partner_case = case
    link.version += 1
    link.save(update_fields=["partner_case", "version"])
    _audit("case_attached", by, link.support_organisation, link, case=case.pk)
    return link


@transaction.atomic
def partner_status_set(*, by, link, status, share: bool, version) -> PartnerContactLink:
    """Record the contact status, and whether the programme may see it. A save on a link changed
    since she opened it raises StaleEdit with the link as it is now."""
    link = partner_link_lock_for_support(user=by, link=link)
    if status not in PartnerContactStatus.values:
        raise ServiceError(_("Choose the contact status."), "status")
    if version is not None and int(version) != link.version:
        raise StaleEdit(link)
    share = bool(share)
    link.status, link.status_shared = status, share
    link.shared_status = status if share else ""
    link.status_updated_at = timezone.now()
    link.version += 1
    link.save(update_fields=["status", "status_shared", "shared_status", "status_updated_at", "version"])
    _audit("status_set", by, link.support_organisation, link, status=status, shared=share)
    return link


@transaction.atomic
def partner_event_mark_seen(*, by, link) -> int:
    """She has read the events: every unseen event of the link is marked seen by her."""
    link = partner_link_lock_for_support(user=by, link=link)
    seen = PartnerContactEvent.objects.filter(link=link, seen_at__isnull=True).update(seen_at=timezone.now(), seen_by=by)
    if seen:
        _audit("events_seen", by, link.support_organisation, link, events=seen)
    return seen


# ---- e-mail ------------------------------------------------------------------------------------


def _page_link(link_id) -> str:
    from django.urls import reverse

    return settings.RETE_BASE_URL.rstrip("/") + reverse("network:partner_link_detail", kwargs={"partner_link_id": link_id})


def notify_support_workers(event_id) -> int:
    """E-mail the support organisation's partner-support workers about one event: the link's
    reference, the event's label and a link to the page. Never the note; never anyone who works
    with the man on this link."""
    from django.core.mail import send_mail
    from django.utils import translation

    from rete.core.models import Membership

    event = (PartnerContactEvent.objects.select_related("link").only(
        "id", "kind", "link__id", "link__requested_by_id", "link__support_organisation_id",
        "link__programme_organisation_id").filter(pk=event_id).first())
    if event is None:
        return 0
    link = event.link
    exclude = _programme_staff_ids(link)
    if link.programme_organisation_id == link.support_organisation_id:
        exclude |= set(Membership.objects.filter(organisation_id=link.programme_organisation_id, ended_at__isnull=True,
                                                 role__in=list(access.SEND_PARTNER_EVENTS)).values_list("user_id", flat=True))
    sent = 0
    for person in _support_workers(link.support_organisation_id, exclude_ids=exclude).filter(~Q(email="")).order_by("pk"):
        with translation.override(person.language or settings.LANGUAGE_CODE):
            label = PartnerEventKind(event.kind).label
            subject = _("Partner contact %(reference)s: %(event)s") % {"reference": link.reference, "event": label}
            body = _("A programme sent news on partner contact %(reference)s: %(event)s.\n\n"
                     "Read it here:\n%(link)s\n") % {"reference": link.reference, "event": label,
                                                     "link": _page_link(link.pk)}
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
        sent += 1
    logger.info("partner-contact event %s sent to %d people", event_id, sent)
    return sent
