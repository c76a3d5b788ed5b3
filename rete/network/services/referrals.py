"""Referrals between the network's agencies (part "referral-core").

A caseworker refers a case to another organisation for a service, under an adopted protocol
version to which both organisations are parties. What travels is a package: a snapshot of the
categories of the case that the protocol's sharing rule for the receiver allows and that the
sender chose. When the rule's legal basis is her consent, a consent in force must cover the
receiver (by name or by sector); without it the referral is refused, unless the sender writes
an emergency reason: then it goes, flagged, and the sender organisation's data-protection
officers are told. The receiver sees the package only, never the case; the sender may withdraw
the share, and a withdrawal of her consent clears the package.

Every write is atomic, checks who may do it, writes an audit event (ids, codes, statuses only:
never the package or what anybody typed), an entry on the sender's case timeline and a
ReferralEvent. E-mails go after commit and say only the reference, the organisations and a link."""
import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from rete.cases import access as case_access
from rete.core import access, audit
from rete.core.models import OrganisationKind
from rete.core.services import ServiceError
from rete.network.models import (
    DeclineReason,
    LegalBasis,
    Pathway,
    PathwayStep,
    ProtocolParty,
    ProtocolVersion,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralService,
    ReferralStatus,
    ShareCategory,
    SharingRule,
    VersionStatus,
)
from rete.network.selectors.protocols import sharing_allowed

logger = logging.getLogger(__name__)

DEFAULT_DUE_HOURS = 72  # when the pathway sets no time limit
URGENT_DUE_HOURS = 24
REMIND_EVERY = datetime.timedelta(hours=24)
EMERGENCY_REASON_MIN = 10
BATCH = 500

# The consent sector that covers each kind of receiving agency; victim support has none: a
# consent naming the agency is needed.
SECTOR_OF_KIND = {
    OrganisationKind.POLICE: "police",
    OrganisationKind.HEALTH: "health",
    OrganisationKind.SOCIAL_SERVICE: "social",
    OrganisationKind.JUSTICE: "justice",
    OrganisationKind.SHELTER: "shelter",
    OrganisationKind.PERPETRATOR_PROGRAMME: "perpetrator_programme",
}
ACTIVE_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


def _sender_case(by, case):
    """The case as she may act on it (404 otherwise), with a case role at its organisation."""
    from rete.cases import selectors as case_selectors

    case = case_selectors.case_get(user=by, pk=case.pk)
    if not access.has_capability(by, case.organisation_id, case_access.OPEN_CASES):
        access.deny()
    return case


def _versions_between(organisation_id, other_id=None):
    """Adopted versions to which `organisation_id` (and `other_id`) are parties, with parties,
    pathways (steps) and sharing rules."""
    versions = ProtocolVersion.objects.filter(status=VersionStatus.ADOPTED, parties__organisation_id=organisation_id)
    if other_id is not None:
        versions = versions.filter(pk__in=ProtocolParty.objects.filter(organisation_id=other_id).values("version_id"))
    from rete.network.tasks import _section_columns

    return list(versions.distinct().select_related("protocol").defer(*_section_columns()).prefetch_related(
        Prefetch("parties", queryset=ProtocolParty.objects.select_related("organisation").order_by("pk")),
        Prefetch("pathways", queryset=Pathway.objects.order_by("position", "pk").prefetch_related(
            Prefetch("steps", queryset=PathwayStep.objects.order_by("position", "pk")))),
        Prefetch("sharing_rules", queryset=SharingRule.objects.order_by("receiver_kind", "pk")),
    ).order_by("-adopted_at", "-pk"))


def allowed_for(version, organisation) -> tuple[list[str], list[str]]:
    """What `version` lets travel to `organisation`: the union of the categories of the rules
    for each of its kinds, and the legal bases of those rules."""
    categories, bases = [], []
    for kind in organisation.kinds or []:
        allowed, basis = sharing_allowed(version=version, receiver_kind=kind)
        if basis:
            categories += [c for c in allowed if c not in categories]
            bases.append(basis)
    return categories, bases


def referral_options(*, by, case) -> list[dict]:
    """For the referral form: each adopted protocol version her organisation is party to, with
    its pathways (and the first step's time limit) and the other parties she may refer to, each
    with the categories its rules allow. Four queries plus the case check."""
    case = _sender_case(by, case)
    options = []
    for version in _versions_between(case.organisation_id):
        receivers = []
        for party in version.parties.all():
            if party.organisation_id == case.organisation_id:
                continue
            categories, bases = allowed_for(version, party.organisation)
            receivers.append({"organisation": party.organisation, "categories": categories,
                              "consent_needed": LegalBasis.CONSENT in bases or not bases})
        pathways = [{"pathway": p, "time_limit_hours": _first_limit(p)} for p in version.pathways.all()]
        if receivers:
            options.append({"version": version, "protocol": version.protocol, "pathways": pathways, "receivers": receivers})
    return options


def _first_limit(pathway):
    steps = list(pathway.steps.all())
    return steps[0].time_limit_hours if steps else None


def _covering_consent(case, organisation):
    """The consent in force that covers sharing with `organisation` (by its name or short name,
    or by the sector of one of its kinds), else None. Uses cases' consent_allows rule."""
    from rete.cases.models import Consent, ConsentKind
    from rete.cases.selectors import consent_allows

    names = {n.strip().casefold() for n in (organisation.name, organisation.short_name) if n and n.strip()}
    sectors = {SECTOR_OF_KIND[k] for k in organisation.kinds or [] if k in SECTOR_OF_KIND}
    covered = any(consent_allows(case=case, kind=ConsentKind.SHARE_AGENCY, agency=n) for n in names) or any(
        consent_allows(case=case, kind=ConsentKind.SHARE_SECTOR, sector=s) for s in sectors)
    if not covered:
        return None
    today = timezone.localdate()
    for consent in Consent.objects.filter(case=case, withdrawn_on__isnull=True, given_on__lte=today,
                                          kind__in=[ConsentKind.SHARE_AGENCY, ConsentKind.SHARE_SECTOR]).order_by("-given_on", "-pk"):
        if consent.kind == ConsentKind.SHARE_AGENCY and consent.agency.strip().casefold() in names:
            return consent
        if consent.kind == ConsentKind.SHARE_SECTOR and consent.sector in sectors:
            return consent
    return None


def _timeline(case, by, referral, what):
    from rete.cases.models import ActivityKind
    from rete.cases.services import activity_add

    text = _("Referral %(reference)s to %(organisation)s: %(what)s") % {
        "reference": referral.reference, "organisation": referral.to_organisation, "what": what}
    activity_add(case=case, actor=by, kind=ActivityKind.REFERRAL, text=text)


def _event(referral, kind, *, by=None, organisation=None):
    ReferralEvent.objects.create(referral=referral, kind=kind, actor=by, organisation=organisation)


def _audit(verb, by, organisation, referral, **detail):
    audit.record(action=f"network.referral_{verb}", actor=by, organisation=organisation, obj=referral,
                 detail={"referral": referral.pk, "case": referral.case_id, "from": referral.from_organisation_id,
                         "to": referral.to_organisation_id, "status": referral.status, **detail})


@transaction.atomic
def referral_send(*, by, case, to_organisation, service, pathway=None, categories, request, urgent=False,
                  emergency_reason="") -> Referral:
    from rete.cases.selectors import referral_package

    case = _sender_case(by, case)
    sender = case.organisation
    categories = list(dict.fromkeys(categories))
    if service not in ReferralService.values:
        raise ServiceError(_("Choose the service you ask for."), "service")
    if not categories or not set(categories) <= set(ShareCategory.values):
        raise ServiceError(_("Choose what of the case is shared."), "categories")
    if to_organisation.pk == sender.pk:
        raise ServiceError(_("A referral goes to another organisation."), "to_organisation")
    versions = _versions_between(sender.pk, to_organisation.pk)
    if not versions:
        raise ServiceError(_("There is no protocol in force between %(sender)s and %(receiver)s.")
                           % {"sender": sender, "receiver": to_organisation}, "to_organisation")
    if pathway is not None:
        version = next((v for v in versions if v.pk == pathway.version_id), None)
        if version is None:
            raise ServiceError(_("This pathway is not part of a protocol in force between %(sender)s and %(receiver)s.")
                               % {"sender": sender, "receiver": to_organisation}, "pathway")
        pathway = next(p for p in version.pathways.all() if p.pk == pathway.pk)
        if pathway.service != service:
            raise ServiceError(_("This pathway leads to another service."), "pathway")
    else:
        version = next((v for v in versions if set(categories) <= set(allowed_for(v, to_organisation)[0])), versions[0])
    allowed, bases = allowed_for(version, to_organisation)
    refused = [c for c in categories if c not in allowed]
    if refused:
        labels = ", ".join(str(ShareCategory(c).label) for c in refused)
        raise ServiceError(_("The protocol does not allow sharing this with %(receiver)s: %(categories)s.")
                           % {"receiver": to_organisation, "categories": labels}, "categories")
    legal_basis = LegalBasis.CONSENT if LegalBasis.CONSENT in bases else bases[0]
    consent, emergency, emergency_reason = None, False, (emergency_reason or "").strip()
    if legal_basis == LegalBasis.CONSENT:
        consent = _covering_consent(case, to_organisation)
        if consent is None:
            if not emergency_reason:
                raise ServiceError(_("She has not given consent to share with %(receiver)s (by name or by its sector), "
                                     "or she withdrew it. Record her consent first, or write why this cannot wait.")
                                   % {"receiver": to_organisation}, "categories")
            if len(emergency_reason) < EMERGENCY_REASON_MIN:
                raise ServiceError(_("Say why this cannot wait for her consent (at least a sentence)."), "emergency_reason")
            emergency = True
    now = timezone.now()
    limit = _first_limit(pathway) if pathway is not None else None
    hours = limit or (URGENT_DUE_HOURS if urgent else DEFAULT_DUE_HOURS)
    referral = Referral.objects.create(
        case=case, from_organisation=sender, to_organisation=to_organisation, service=service, protocol_version=version,
        pathway=pathway, urgent=bool(urgent or (pathway is not None and pathway.urgent)), categories=categories,
        legal_basis=legal_basis, consent=consent, emergency=emergency, emergency_reason=emergency_reason if emergency else "",
        request=(request or "").strip(), package=referral_package(case=case, categories=categories), sent_by=by,
        sent_at=now, due_at=now + datetime.timedelta(hours=hours))
    _event(referral, ReferralEventKind.SENT, by=by, organisation=sender)
    _timeline(case, by, referral, _("sent"))
    _audit("sent", by, sender, referral, categories=categories, service=service, version=version.pk,
           pathway=pathway.pk if pathway else None, legal_basis=legal_basis, consent=consent.pk if consent else None,
           emergency=emergency, urgent=referral.urgent)
    if emergency:
        transaction.on_commit(functools.partial(_tell_data_protection_officers, referral.pk))
    return referral


def _link(name, **kwargs) -> str:
    """An absolute link to a referral page; the base URL until the pages exist."""
    from django.urls import NoReverseMatch, reverse

    base = settings.RETE_BASE_URL.rstrip("/")
    try:
        return base + reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return base + "/"


def _tell_data_protection_officers(referral_id):
    """E-mail the sender organisation's DPOs that a referral went without consent: the
    reference and a link; the reason stays in the system."""
    from django.core.mail import send_mail
    from django.utils import translation

    from rete.core.models import Membership, Role, User

    referral = Referral.objects.select_related("from_organisation", "to_organisation").only(
        "pk", "from_organisation__name", "from_organisation__short_name", "to_organisation__name",
        "to_organisation__short_name").get(pk=referral_id)
    dpo_ids = Membership.objects.filter(organisation_id=referral.from_organisation_id, role=Role.DPO,
                                        ended_at__isnull=True).values("user_id")
    for dpo in User.objects.filter(pk__in=dpo_ids, is_active=True).exclude(email=""):
        with translation.override(dpo.language or settings.LANGUAGE_CODE):
            subject = _("Referral %(reference)s sent without consent") % {"reference": referral.reference}
            body = _("Referral %(reference)s from %(sender)s to %(receiver)s was sent without her consent, "
                     "for an emergency reason written by the sender. Please review it:\n\n%(link)s\n") % {
                "reference": referral.reference, "sender": referral.from_organisation, "receiver": referral.to_organisation,
                "link": _link("network:referral_sent_detail", referral_id=referral.pk)}
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [dpo.email])


def _for_receiver(by, referral, statuses):
    """The referral locked, if she holds a case role at the receiving organisation (404
    otherwise) and it is in one of `statuses` (a refusal otherwise)."""
    referral = (Referral.objects.select_for_update(of=("self",)).select_related("to_organisation", "from_organisation", "case")
                .filter(pk=referral.pk).first())
    if referral is None or not access.has_capability(by, referral.to_organisation_id, case_access.OPEN_CASES):
        access.deny()
    if referral.status not in statuses:
        raise ServiceError(_("This referral is %(status)s: it cannot be changed now.")
                           % {"status": referral.get_status_display().lower()})
    return referral


@transaction.atomic
def referral_accept(*, by, referral) -> Referral:
    referral = _for_receiver(by, referral, (ReferralStatus.SENT,))
    referral.status, referral.answered_by, referral.answered_at = ReferralStatus.ACCEPTED, by, timezone.now()
    referral.version += 1
    referral.save(update_fields=["status", "answered_by", "answered_at", "version"])
    _event(referral, ReferralEventKind.ACCEPTED, by=by, organisation=referral.to_organisation)
    _timeline(referral.case, by, referral, _("accepted"))
    _audit("accepted", by, referral.to_organisation, referral)
    return referral


@transaction.atomic
def referral_decline(*, by, referral, reason, note="") -> Referral:
    referral = _for_receiver(by, referral, (ReferralStatus.SENT,))
    if reason not in DeclineReason.values:
        raise ServiceError(_("Choose why you decline."), "reason")
    referral.status, referral.answered_by, referral.answered_at = ReferralStatus.DECLINED, by, timezone.now()
    referral.decline_reason, referral.decline_note = reason, (note or "").strip()
    # Data minimisation: an agency that does not take her on keeps nothing of her case.
    referral.package = {}
    referral.version += 1
    referral.save(update_fields=["status", "answered_by", "answered_at", "decline_reason", "decline_note", "package",
                                 "version"])
    _event(referral, ReferralEventKind.DECLINED, by=by, organisation=referral.to_organisation)
    _timeline(referral.case, by, referral, _("declined"))
    _audit("declined", by, referral.to_organisation, referral, reason=reason)
    return referral


@transaction.atomic
def referral_feedback(*, by, referral, text) -> Referral:
    referral = _for_receiver(by, referral, (ReferralStatus.ACCEPTED,))
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Write what was done and how it went."), "text")
    referral.status, referral.feedback, referral.feedback_at, referral.feedback_by = (
        ReferralStatus.CLOSED, text, timezone.now(), by)
    referral.version += 1
    referral.save(update_fields=["status", "feedback", "feedback_at", "feedback_by", "version"])
    _event(referral, ReferralEventKind.FEEDBACK, by=by, organisation=referral.to_organisation)
    _timeline(referral.case, by, referral, _("feedback received"))
    _audit("feedback", by, referral.to_organisation, referral)
    return referral


@transaction.atomic
def referral_link_case(*, by, referral, receiver_case) -> Referral:
    """The receiver opened her own case from the referral (a case of the receiving
    organisation that she may act on)."""
    from rete.cases import selectors as case_selectors

    referral = _for_receiver(by, referral, (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED))
    receiver_case = case_selectors.case_get(user=by, pk=receiver_case.pk)
    if receiver_case.organisation_id != referral.to_organisation_id:
        access.deny()
    referral.receiver_case = receiver_case
    referral.version += 1
    referral.save(update_fields=["receiver_case", "version"])
    _event(referral, ReferralEventKind.CASE_OPENED, by=by, organisation=referral.to_organisation)
    _audit("case_linked", by, referral.to_organisation, referral, receiver_case=receiver_case.pk)
    return referral


@transaction.atomic
def referral_withdraw(*, by, referral, reason) -> Referral:
    """The sender withdraws the share: the package is cleared, the receiver sees that it was
    withdrawn."""
    referral = (Referral.objects.select_for_update(of=("self",)).select_related("to_organisation", "from_organisation")
                .filter(pk=referral.pk).first())
    if referral is None:
        access.deny()
    from rete.cases.models import Case

    case = _sender_case(by, Case(pk=referral.case_id))
    if case.organisation_id != referral.from_organisation_id:
        access.deny()
    if referral.status not in ACTIVE_STATUSES:
        raise ServiceError(_("This referral is %(status)s: it cannot be changed now.")
                           % {"status": referral.get_status_display().lower()})
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the share is withdrawn."), "reason")
    referral.status, referral.package = ReferralStatus.WITHDRAWN, {}
    referral.share_withdrawn_at, referral.share_withdrawn_by, referral.share_withdrawn_reason = timezone.now(), by, reason
    referral.version += 1
    referral.save(update_fields=["status", "package", "share_withdrawn_at", "share_withdrawn_by", "share_withdrawn_reason",
                                 "version"])
    _event(referral, ReferralEventKind.WITHDRAWN, by=by, organisation=referral.from_organisation)
    _timeline(case, by, referral, _("withdrawn"))
    _audit("withdrawn", by, referral.from_organisation, referral)
    return referral


@transaction.atomic
def consent_withdrawn(*, case, by=None) -> int:
    """Called by the cases app when a consent of `case` is withdrawn: every referral sent under
    a consent that is withdrawn or no longer covers its receiver stops sharing (package
    cleared, flagged for the receiver). Referrals sent in an emergency without consent, or on
    another legal basis, are not affected. Returns how many were stopped."""
    referrals = list(Referral.objects.select_for_update(of=("self",)).select_related("to_organisation", "consent")
                     .filter(case=case, legal_basis=LegalBasis.CONSENT, consent__isnull=False,
                             consent_withdrawn_at__isnull=True).exclude(status=ReferralStatus.WITHDRAWN))
    stopped = 0
    now = timezone.now()
    for referral in referrals:
        if referral.consent.withdrawn_on is None and _covering_consent(case, referral.to_organisation) is not None:
            continue
        referral.consent_withdrawn_at, referral.package = now, {}
        referral.version += 1
        referral.save(update_fields=["consent_withdrawn_at", "package", "version"])
        _event(referral, ReferralEventKind.CONSENT_WITHDRAWN, by=by, organisation=case.organisation)
        _timeline(case, by, referral, _("sharing stopped, her consent was withdrawn"))
        _audit("consent_withdrawn", by, case.organisation, referral, consent=referral.consent_id)
        stopped += 1
    return stopped


# ---- reminders of overdue referrals (`rete tick`) --------------------------------------------


def referral_tick(now) -> int:
    """Claim the overdue referrals (sent, past their due time, not reminded in the last
    REMIND_EVERY) with a conditional UPDATE and enqueue a reminder after commit. Idempotent."""
    due = (Referral.objects.filter(status=ReferralStatus.SENT, due_at__lt=now)
           .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
           .select_related("to_organisation").only("pk", "reminded_at", "to_organisation", "case_id", "status",
                                                    "from_organisation_id").order_by("due_at", "pk")[:BATCH])
    return sum(_claim(referral, now) for referral in due)


def _claim(referral, now) -> int:
    with transaction.atomic():
        claimed = (Referral.objects.filter(pk=referral.pk, status=ReferralStatus.SENT, reminded_at=referral.reminded_at)
                   .update(reminded_at=now))
        if not claimed:
            return 0
        _event(referral, ReferralEventKind.REMINDED, organisation=referral.to_organisation)
        audit.record(action="network.referral_reminder_queued", organisation=referral.to_organisation, obj=referral,
                     detail={"referral": referral.pk})
        transaction.on_commit(functools.partial(send_referral_reminder.enqueue, referral.pk))
    return 1


def reminder_recipients(referral) -> list:
    """The case roles of the receiving organisation, and the sender."""
    from rete.core.models import Membership, User

    member_ids = Membership.objects.filter(organisation_id=referral.to_organisation_id,
                                           role__in=list(case_access.OPEN_CASES), ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(Q(pk__in=member_ids) | Q(pk=referral.sent_by_id), is_active=True)
                .exclude(email="").order_by("pk"))


@task()
def send_referral_reminder(referral_id: int) -> int:
    from django.core.mail import send_mail
    from django.utils import translation

    referral = (Referral.objects.select_related("from_organisation", "to_organisation")
                .only("pk", "status", "due_at", "sent_by_id", "from_organisation__name", "from_organisation__short_name",
                      "to_organisation__name", "to_organisation__short_name").filter(pk=referral_id).first())
    if referral is None or referral.status != ReferralStatus.SENT:
        return 0  # answered or withdrawn since it was queued
    sent = 0
    for person in reminder_recipients(referral):
        receiver = person.pk != referral.sent_by_id
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = _("Referral %(reference)s is waiting for an answer") % {"reference": referral.reference}
            body = _("Referral %(reference)s from %(sender)s to %(receiver)s was due for an answer and has not been "
                     "answered yet.\n\n%(link)s\n") % {
                "reference": referral.reference, "sender": referral.from_organisation, "receiver": referral.to_organisation,
                "link": _link("network:referral_received_detail" if receiver else "network:referral_sent_detail",
                              referral_id=referral.pk)}
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])
        sent += 1
    logger.info("referral reminder for %s sent to %d people", referral_id, sent)
    return sent


# ---- the receiver's pages (part "referral-receiver") -------------------------------------------


@transaction.atomic
def referral_record_view(*, by, referral) -> None:
    """The receiver opened the referral (its package): a "viewed" event and an audit read event,
    each time. A case role at the receiving organisation only (404 otherwise)."""
    if not access.has_capability(by, referral.to_organisation_id, case_access.OPEN_CASES):
        access.deny()
    _event(referral, ReferralEventKind.VIEWED, by=by, organisation=referral.to_organisation)
    audit.record(action="network.referral_viewed", actor=by, organisation=referral.to_organisation, obj=referral,
                 detail={"referral": referral.pk, "status": referral.status})
