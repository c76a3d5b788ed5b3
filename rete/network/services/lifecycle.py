"""The life of a protocol version after drafting: circulation to the parties, their comments
and sign-offs, adoption, a new version from the one in force, and the review reminder.

A draft is circulated by a coordinator of the coordinating organisation: it is frozen, and the
people of each party who comment or sign are told by e-mail. While it circulates, the parties
comment and each party signs off (online, by someone who signs for it; or on paper, recorded by
a coordinator). Reopening takes it back to a draft: the comments stay, the sign-offs recorded so
far are cleared because the text may change. Adoption needs every party's sign-off; the version
adopted until then is kept as superseded. A new version is a deep copy of the version in force
(or the latest) into a draft with the next number; the old one is never touched.

Every write is atomic, checks who may do it inside and leaves an audit event (ids, numbers,
statuses and dates only, never what someone wrote)."""
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.network import texts
from rete.network.models import (
    SECTION_FIELDS,
    Pathway,
    PathwayStep,
    Protocol,
    ProtocolComment,
    ProtocolParty,
    ProtocolVersion,
    SharingRule,
    VersionStatus,
)
from rete.network.selectors.lifecycle import circulation_problems
from rete.network.selectors.protocols import can_coordinate

# Where a comment may point: a narrative section, or one of the structured parts.
OTHER_SECTIONS = ("general", "parties", "pathways", "sharing")
COMMENT_SECTIONS = (*SECTION_FIELDS, *OTHER_SECTIONS)
COMMENT_MAX_CHARS = 10000
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.CIRCULATING)

# Translated columns of each model, copied one by one into a new version (rete/network/translation.py).
TRANSLATED = {
    ProtocolVersion: SECTION_FIELDS,
    ProtocolParty: ("role",),
    Pathway: ("name", "criteria"),
    PathwayStep: ("action",),
    SharingRule: ("note",),
}


# ---- checks ----------------------------------------------------------------------------------

def _coordinating(by, protocol):
    """Only the coordinators of the protocol's coordinating organisation steer its versions;
    anyone else is refused like a protocol that does not exist."""
    if not can_coordinate(user=by, protocol=protocol):
        access.deny()
    return protocol.organisation


def _locked(version) -> ProtocolVersion:
    """The version as it is now, its protocol row locked: one transition at a time per protocol."""
    Protocol.objects.select_for_update().filter(pk=version.protocol_id).first()
    return (ProtocolVersion.objects.select_for_update(of=("self",)).select_related("protocol", "protocol__organisation")
            .get(pk=version.pk))


def _status_label(version) -> str:
    return str(version.get_status_display()).lower()


def _check_seen(current, seen):
    """`seen` is the lock counter of the version as she saw it (None: not checked)."""
    if seen is not None and current.version != seen:
        raise StaleEdit(current)


def _organisation_names(parties) -> str:
    return ", ".join(party.organisation.name for party in parties)


# ---- circulation -----------------------------------------------------------------------------

@transaction.atomic
def version_circulate(*, by, version: ProtocolVersion, comments_until, seen=None) -> ProtocolVersion:
    """Send the draft, as she last saw it, to the parties for comments until a date. From now
    on its text, parties, pathways and sharing rules are frozen."""
    organisation = _coordinating(by, version.protocol)
    current = _locked(version)
    if current.status != VersionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be circulated: this version is %(status)s.") % {"status": _status_label(current)})
    _check_seen(current, seen)
    if comments_until is None:
        raise ServiceError(_("Say until when the parties may comment."), field="comments_until")
    if comments_until < timezone.localdate():
        raise ServiceError(_("The date for comments cannot be in the past."), field="comments_until")
    problems = circulation_problems(current)
    if problems:
        raise ServiceError(" ".join(problems))
    now = timezone.now()
    versioned_update(ProtocolVersion, pk=current.pk, version=current.version, status=VersionStatus.CIRCULATING,
                     circulated_at=now, comments_until=comments_until)
    # A draft carries no sign-off; make sure none survives from an earlier circulation.
    ProtocolParty.objects.filter(version=current, signed_off_at__isnull=False).update(signed_off_at=None, signed_off_by=None)
    parties = ProtocolParty.objects.filter(version=current).count()
    audit.record(action="network.version_circulated", actor=by, organisation=organisation, obj=current,
                 detail={"protocol": current.protocol_id, "number": current.number, "parties": parties,
                         "comments_until": comments_until.isoformat()})
    version_id = current.pk
    transaction.on_commit(lambda: _tell_parties_circulated(version_id))
    return ProtocolVersion.objects.get(pk=current.pk)


@transaction.atomic
def version_reopen(*, by, version: ProtocolVersion, seen=None) -> ProtocolVersion:
    """Take a circulating version back to a draft to revise it after the comments. The comments
    stay with it; the sign-offs recorded so far are cleared, because the text may change."""
    organisation = _coordinating(by, version.protocol)
    current = _locked(version)
    if current.status != VersionStatus.CIRCULATING:
        raise ServiceError(_("Only a circulating version can be taken back to a draft: this version is %(status)s.") % {
            "status": _status_label(current)})
    _check_seen(current, seen)
    cleared = ProtocolParty.objects.filter(version=current, signed_off_at__isnull=False).update(
        signed_off_at=None, signed_off_by=None)
    versioned_update(ProtocolVersion, pk=current.pk, version=current.version, status=VersionStatus.DRAFT)
    audit.record(action="network.version_reopened", actor=by, organisation=organisation, obj=current,
                 detail={"protocol": current.protocol_id, "number": current.number, "sign_offs_cleared": cleared,
                         "comments": ProtocolComment.objects.filter(version=current).count()})
    return ProtocolVersion.objects.get(pk=current.pk)


def recipients_of_circulation(version) -> list:
    """The active people who comment on or sign protocols for one of the version's parties,
    each once."""
    from rete.core.models import Membership, User

    roles = set(access.COMMENT_PROTOCOLS) | set(access.SIGN_PROTOCOLS)
    member_ids = Membership.objects.filter(
        organisation_id__in=ProtocolParty.objects.filter(version=version).values("organisation_id"),
        role__in=roles, ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).exclude(email="").order_by("pk"))


def _tell_parties_circulated(version_id):
    """After commit: each party's commenters and signatories learn that the version waits for
    their comments and sign-off, in their own language. Title, number, date and a link only."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    version = ProtocolVersion.objects.select_related("protocol", "protocol__organisation").filter(pk=version_id).first()
    if version is None or version.status != VersionStatus.CIRCULATING:
        return
    for person in recipients_of_circulation(version):
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            link = settings.RETE_BASE_URL.rstrip("/") + reverse("network:version_detail", kwargs={"version_id": version.pk})
            context = {"title": texts.get(version.protocol, "title", language).text, "number": version.number,
                       "coordinator": version.protocol.organisation, "comments_until": version.comments_until, "link": link}
            subject = render_to_string("network/lifecycle_email_circulated_subject.txt", context).strip()
            body = render_to_string("network/lifecycle_email_circulated.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [person.email])


# ---- comments --------------------------------------------------------------------------------

@transaction.atomic
def comment_add(*, by, version: ProtocolVersion, section="", text) -> ProtocolComment:
    """A party's comment on a circulating version, on a section or on the whole protocol. Only
    the people who comment for one of its parties may add one."""
    from rete.network.selectors.protocols import party_for

    current = _locked(version)
    party = party_for(user=by, version=current, capability=access.COMMENT_PROTOCOLS)
    if party is None:
        access.deny()
    if current.status != VersionStatus.CIRCULATING:
        raise ServiceError(_("Comments are taken only while the version circulates: this version is %(status)s.") % {
            "status": _status_label(current)})
    section = (section or "").strip() or "general"
    if section not in COMMENT_SECTIONS:
        raise ServiceError(_("Choose one of the protocol's sections."), field="section")
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Write your comment."), field="text")
    if len(text) > COMMENT_MAX_CHARS:
        raise ServiceError(_("A comment may be at most %(count)d characters long.") % {"count": COMMENT_MAX_CHARS},
                           field="text")
    comment = ProtocolComment.objects.create(version=current, organisation=party.organisation, author=by, section=section,
                                             text=text)
    audit.record(action="network.comment_added", actor=by, organisation=party.organisation, obj=comment,
                 detail={"protocol": current.protocol_id, "version": current.pk, "number": current.number,
                         "section": section})
    return comment


# ---- sign-off --------------------------------------------------------------------------------

def _locked_party(party) -> tuple[ProtocolVersion, ProtocolParty]:
    current = _locked(party.version)
    return current, ProtocolParty.objects.select_related("organisation").get(pk=party.pk)


def _signable(current, party):
    if current.status != VersionStatus.CIRCULATING:
        raise ServiceError(_("Sign-offs are recorded only while the version circulates: this version is %(status)s.") % {
            "status": _status_label(current)})
    if party.signed_off_at is not None:
        raise ServiceError(_("%(organisation)s has already signed off this version.") % {"organisation": party.organisation.name})


@transaction.atomic
def party_sign(*, by, party: ProtocolParty, confirm) -> ProtocolParty:
    """Someone who signs protocols for the party's organisation signs this version off for it."""
    if not access.has_capability(by, party.organisation_id, access.SIGN_PROTOCOLS):
        access.deny()
    current, party = _locked_party(party)
    _signable(current, party)
    if not confirm:
        raise ServiceError(_("Tick the box to confirm that you sign off for %(organisation)s.") % {
            "organisation": party.organisation.name}, field="confirm")
    values = {"signed_off_at": timezone.now(), "signed_off_by": by}
    if not party.signatory_name.strip():
        values["signatory_name"] = by.get_full_name() or by.email
    ProtocolParty.objects.filter(pk=party.pk).update(**values)
    audit.record(action="network.party_signed", actor=by, organisation=party.organisation, obj=party,
                 detail={"protocol": current.protocol_id, "version": current.pk, "number": current.number,
                         "party": party.pk, "organisation": party.organisation_id})
    return ProtocolParty.objects.select_related("organisation", "signed_off_by").get(pk=party.pk)


@transaction.atomic
def party_sign_record(*, by, party: ProtocolParty, signed_on, signatory_name, signatory_title="") -> ProtocolParty:
    """A coordinator records a sign-off the party made on paper: when, and who signed. The
    sign-off has no signing account (signed_off_by stays empty); the audit trail names the
    coordinator who recorded it."""
    organisation = _coordinating(by, party.version.protocol)
    current, party = _locked_party(party)
    if party.version_id != current.pk:  # pragma: no cover (a party never moves)
        access.deny()
    _signable(current, party)
    if signed_on is None:
        raise ServiceError(_("Give the date of the signature."), field="signed_on")
    if signed_on > timezone.localdate():
        raise ServiceError(_("The date of the signature cannot be in the future."), field="signed_on")
    signatory_name = (signatory_name or "").strip()
    if not signatory_name:
        raise ServiceError(_("Give the name of the person who signed."), field="signatory_name")
    signatory_title = (signatory_title or "").strip() or party.signatory_title
    signed_at = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12, 0)))
    ProtocolParty.objects.filter(pk=party.pk).update(signed_off_at=signed_at, signed_off_by=None,
                                                     signatory_name=signatory_name[:200], signatory_title=signatory_title[:200])
    audit.record(action="network.party_sign_recorded", actor=by, organisation=organisation, obj=party,
                 detail={"protocol": current.protocol_id, "version": current.pk, "number": current.number,
                         "party": party.pk, "organisation": party.organisation_id, "signed_on": signed_on.isoformat()})
    return ProtocolParty.objects.select_related("organisation", "signed_off_by").get(pk=party.pk)


# ---- adoption --------------------------------------------------------------------------------

def default_review_date(today=None) -> datetime.date:
    """Two years from today (29 February falls back to the 28th)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 2)
    except ValueError:
        return today.replace(year=today.year + 2, day=28)


@transaction.atomic
def version_adopt(*, by, version: ProtocolVersion, review_date, seen=None) -> ProtocolVersion:
    """Adopt a circulating version once every party has signed it off; it is in force from now
    on and the version in force until now is kept as superseded. A review date is required."""
    organisation = _coordinating(by, version.protocol)
    current = _locked(version)
    if current.status != VersionStatus.CIRCULATING:
        raise ServiceError(_("Only a circulating version, signed off by every party, can be adopted: this version is "
                             "%(status)s.") % {"status": _status_label(current)})
    _check_seen(current, seen)
    parties = list(ProtocolParty.objects.filter(version=current).select_related("organisation").order_by("pk"))
    if not parties:
        raise ServiceError(_("A protocol without parties cannot be adopted."))
    missing = [party for party in parties if party.signed_off_at is None]
    if missing:
        raise ServiceError(_("Not every party has signed off yet. Missing: %(parties)s.") % {
            "parties": _organisation_names(missing)})
    if review_date is None:
        raise ServiceError(_("Set the date by which the protocol is to be reviewed."), field="review_date")
    if review_date <= timezone.localdate():
        raise ServiceError(_("The review date must be in the future."), field="review_date")
    now = timezone.now()
    previous = ProtocolVersion.objects.filter(protocol_id=current.protocol_id, status=VersionStatus.ADOPTED).first()
    if previous is not None:
        # First: the database allows one adopted version per protocol.
        ProtocolVersion.objects.filter(pk=previous.pk).update(status=VersionStatus.SUPERSEDED, superseded_at=now)
        audit.record(action="network.version_superseded", actor=by, organisation=organisation, obj=previous,
                     detail={"protocol": previous.protocol_id, "number": previous.number, "by_number": current.number})
    versioned_update(ProtocolVersion, pk=current.pk, version=current.version, status=VersionStatus.ADOPTED, adopted_at=now,
                     review_date=review_date, review_reminded_on=None)
    audit.record(action="network.version_adopted", actor=by, organisation=organisation, obj=current,
                 detail={"protocol": current.protocol_id, "number": current.number, "parties": len(parties),
                         "review_date": review_date.isoformat(), "supersedes": previous.number if previous else None})
    return ProtocolVersion.objects.get(pk=current.pk)


# ---- a new version ---------------------------------------------------------------------------

def _translated_values(obj) -> dict:
    """Every language's column of every translated field of `obj` (never the plain name, which
    the translation library maps to the current language)."""
    return {texts.column(field, code): getattr(obj, texts.column(field, code))
            for field in TRANSLATED[type(obj)] for code in texts.LANGUAGE_CODES}


def open_version(protocol) -> ProtocolVersion | None:
    """The protocol's draft or circulating version, if it has one (at most one)."""
    return ProtocolVersion.objects.filter(protocol=protocol, status__in=OPEN_STATUSES).order_by("-number").first()


@transaction.atomic
def version_new(*, by, protocol: Protocol) -> ProtocolVersion:
    """Start the next version as a draft: a deep copy of the version in force (else the latest)
    with every translation, its parties (without sign-offs), pathways with their steps and
    sharing rules. The version it comes from is not touched. One open version at a time."""
    organisation = _coordinating(by, protocol)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    opened = open_version(protocol)
    if opened is not None:
        raise ServiceError(_("Version %(number)d is still %(status)s: finish it before starting another one.") % {
            "number": opened.number, "status": _status_label(opened)})
    source = (ProtocolVersion.objects.filter(protocol=protocol, status=VersionStatus.ADOPTED).first()
              or ProtocolVersion.objects.filter(protocol=protocol).order_by("-number").first())
    if source is None:
        raise ServiceError(_("This protocol has no version to start from."))
    number = (ProtocolVersion.objects.filter(protocol=protocol).aggregate(top=Max("number"))["top"] or 0) + 1
    draft = ProtocolVersion.objects.create(protocol=protocol, number=number, status=VersionStatus.DRAFT,
                                           source_language=source.source_language, created_by=by,
                                           **_translated_values(source))
    parties = list(ProtocolParty.objects.filter(version=source).order_by("pk"))
    ProtocolParty.objects.bulk_create([
        ProtocolParty(version=draft, organisation_id=party.organisation_id, signatory_name=party.signatory_name,
                      signatory_title=party.signatory_title, **_translated_values(party)) for party in parties])
    pathways = list(Pathway.objects.filter(version=source).prefetch_related("steps").order_by("position", "pk"))
    for pathway in pathways:
        copy = Pathway.objects.create(version=draft, position=pathway.position, entry_point=pathway.entry_point,
                                      service=pathway.service, urgent=pathway.urgent, **_translated_values(pathway))
        PathwayStep.objects.bulk_create([
            PathwayStep(pathway=copy, position=step.position, responsible_kind=step.responsible_kind,
                        time_limit_hours=step.time_limit_hours, **_translated_values(step))
            for step in sorted(pathway.steps.all(), key=lambda s: (s.position, s.pk))])
    rules = list(SharingRule.objects.filter(version=source).order_by("pk"))
    SharingRule.objects.bulk_create([
        SharingRule(version=draft, receiver_kind=rule.receiver_kind, categories=list(rule.categories or []),
                    legal_basis=rule.legal_basis, **_translated_values(rule)) for rule in rules])
    audit.record(action="network.version_created", actor=by, organisation=organisation, obj=draft,
                 detail={"protocol": protocol.pk, "number": number, "from_number": source.number,
                         "parties": len(parties), "pathways": len(pathways), "sharing_rules": len(rules)})
    return draft


# ---- printing --------------------------------------------------------------------------------

@transaction.atomic
def version_printed(*, by, version: ProtocolVersion, language) -> None:
    """Printing a version is recorded: who, which version, which language."""
    audit.record(action="network.version_printed", actor=by, organisation=version.protocol.organisation, obj=version,
                 detail={"protocol": version.protocol_id, "number": version.number, "status": version.status,
                         "language": language})
