"""Cooperation between the network's agencies. Part 1: cooperation protocols. A protocol is a
network document with numbered versions; each version holds its text (translated per field),
its parties and their sign-off, the pathways from each entry point with their steps and time
limits, and the rules for which categories of a case may be shared with which kind of agency.
Referrals (part 2) and risk conferences (part 3) follow the pathways and sharing rules of the
protocol versions in force."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import EncryptedJSONField, EncryptedTextField
from rete.core.models import Country, OrganisationKind, Versioned


class ShareCategory(models.TextChoices):
    """What of a case can travel with a referral; a protocol's sharing rules and her consent
    decide which of them go to which kind of agency."""

    IDENTITY = "identity", _("Her identity (name, date of birth)")
    CONTACT = "contact", _("How to contact her safely")
    INCIDENTS = "incidents", _("Incidents")
    RISK = "risk", _("Risk assessment and band")
    NEEDS = "needs", _("Needs assessment")
    SAFETY_PLAN = "safety_plan", _("Safety plan")
    CHILDREN = "children", _("Children and dependants")
    PERPETRATOR = "perpetrator", _("The (alleged) perpetrator")
    JUSTICE = "justice", _("Complaints, protection orders and proceedings")
    SERVICES = "services", _("Support services given")


class EntryPoint(models.TextChoices):
    POLICE = "police", _("Police")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH = "health", _("Health services (emergency department, family doctor)")
    SUPPORT_CENTRE = "support_centre", _("Anti-violence or victim-support centre")
    HELPLINE = "helpline", _("Helpline")
    JUSTICE = "justice", _("Courts and prosecution")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")


class ReferralService(models.TextChoices):
    """The service a referral asks for (and a pathway leads to)."""

    SHELTER = "shelter", _("Shelter or safe accommodation")
    LEGAL = "legal", _("Legal advice")
    POLICE = "police", _("Police protection or report")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    HEALTH = "health", _("Health care")
    SOCIAL = "social", _("Social services")
    CHILDREN = "children", _("Support for children")
    PARTNER_CONTACT = "partner_contact", _("Partner contact (perpetrator programme)")
    RISK_CONFERENCE = "risk_conference", _("Multi-agency risk conference")
    OTHER = "other", _("Other")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Her consent")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation of the sender")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (a threat to life or safety)")
    PUBLIC_TASK = "public_task", _("A task in the public interest set by law")


class Protocol(models.Model):
    """A cooperation protocol of a territorial network (e.g. the Milan anti-violence network's
    protocol), kept by a coordinating organisation. Its content is in its versions."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("coordinating organisation"),
                                     on_delete=models.PROTECT, related_name="+")
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    territory = models.CharField(_("territory"), max_length=200, help_text=_("The area it covers, e.g. a city or a district."))
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation protocol")
        verbose_name_plural = _("cooperation protocols")
        ordering = ["country", "territory", "pk"]

    def __str__(self):
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATING = "circulating", _("Circulated to the parties for comments")
    ADOPTED = "adopted", _("Adopted, in force")
    SUPERSEDED = "superseded", _("Replaced by a later version")


# The narrative sections of a protocol version, in the order they are printed. Each is
# translated per field (rete/network/translation.py).
SECTION_FIELDS = ("purpose", "principles", "information_sharing", "consent_refused", "escalation", "complaints",
                  "withdrawal", "governance", "annexes")


class ProtocolVersion(Versioned):
    """One version of a protocol. A draft is edited by the coordinators; circulated, it is
    frozen and the parties comment; adopted once every party has signed off; a later adopted
    version supersedes it. Nothing is rewritten: each version keeps its own text, parties,
    pathways and sharing rules."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    source_language = models.CharField(_("written in"), max_length=8, choices=settings.LANGUAGES)
    purpose = models.TextField(_("purpose"), blank=True)
    principles = models.TextField(_("principles"), blank=True)
    information_sharing = models.TextField(_("information sharing: legal basis and consent"), blank=True)
    consent_refused = models.TextField(_("when consent is refused or withdrawn"), blank=True)
    escalation = models.TextField(_("escalation inside each agency"), blank=True)
    complaints = models.TextField(_("complaints and breaches"), blank=True)
    withdrawal = models.TextField(_("withdrawal of a party"), blank=True)
    governance = models.TextField(_("governance and review"), blank=True)
    annexes = models.TextField(_("annexes"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    comments_until = models.DateField(_("comments until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="network_protocol_version_number"),
            # One version in force at a time.
            models.UniqueConstraint(fields=["protocol"], condition=Q(status="adopted"), name="network_one_adopted_version"),
        ]

    def __str__(self):
        return f"{self.protocol} v{self.number}"


class ProtocolParty(models.Model):
    """An organisation that is party to a protocol version, its role, who signs for it and
    when its sign-off was recorded."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    role = models.TextField(_("role in the protocol"), blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=200, blank=True)
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["version", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "organisation"], name="network_one_party_per_version")]


class ProtocolComment(models.Model):
    """A party's comment on a circulated version."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("section"), max_length=40, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at", "pk"]


class Pathway(models.Model):
    """From an entry point to a service: the steps, who takes each, and in how long."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="pathways")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    entry_point = models.CharField(_("entry point"), max_length=30, choices=EntryPoint.choices)
    service = models.CharField(_("leads to"), max_length=30, choices=ReferralService.choices)
    urgent = models.BooleanField(_("urgent pathway"), default=False,
                                 help_text=_("For situations of immediate danger, e.g. when she must leave home now."))
    criteria = models.TextField(_("referral criteria"), blank=True)

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        ordering = ["version", "position", "pk"]


class PathwayStep(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    action = models.TextField(_("what is done"))
    responsible_kind = models.CharField(_("by which kind of agency"), max_length=30, choices=OrganisationKind.choices)
    time_limit_hours = models.PositiveIntegerField(_("time limit (hours)"),
                                                   help_text=_("From the previous step, or from the referral for the first step."))

    class Meta:
        verbose_name = _("pathway step")
        verbose_name_plural = _("pathway steps")
        ordering = ["pathway", "position", "pk"]


class SharingRule(models.Model):
    """Which categories of a case may go to which kind of agency, on which legal basis; with
    consent as the basis, a referral needs her recorded, unwithdrawn consent."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="sharing_rules")
    receiver_kind = models.CharField(_("to which kind of agency"), max_length=30, choices=OrganisationKind.choices)
    categories = models.JSONField(_("categories that may be shared"), default=list)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices, default=LegalBasis.CONSENT)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("sharing rule")
        verbose_name_plural = _("sharing rules")
        ordering = ["version", "receiver_kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "receiver_kind"], name="network_one_rule_per_kind")]


# ---- Referrals ------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sender")
    CLOSED = "closed", _("Service given, feedback sent")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    OUTSIDE_REMIT = "outside_remit", _("Outside our remit")
    WRONG_SERVICE = "wrong_service", _("Not the right service")
    UNREACHABLE = "unreachable", _("She could not be reached")
    REFUSED = "refused", _("She refused")
    OTHER = "other", _("Other")


class Referral(Versioned):
    """A referral of a case to another organisation for a service, under an adopted protocol
    version. The receiver sees the package (a snapshot of the shared categories at sending),
    never the case; a withdrawal of the share or of her consent clears the package."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey("core.Organisation", verbose_name=_("from"), on_delete=models.PROTECT,
                                          related_name="+")
    to_organisation = models.ForeignKey("core.Organisation", verbose_name=_("to"), on_delete=models.PROTECT,
                                        related_name="+")
    service = models.CharField(_("service asked for"), max_length=30, choices=ReferralService.choices)
    protocol_version = models.ForeignKey(ProtocolVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pathway = models.ForeignKey(Pathway, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    urgent = models.BooleanField(_("urgent"), default=False)
    categories = models.JSONField(_("what is shared"), default=list)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    consent = models.ForeignKey("cases.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    emergency = models.BooleanField(_("sent without consent in an emergency"), default=False)
    emergency_reason = EncryptedTextField(_("why it could not wait for her consent"), blank=True, default="")
    request = EncryptedTextField(_("what is asked"), blank=True, default="")
    package = EncryptedJSONField(default=dict, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    due_at = models.DateTimeField(_("answer due by"))
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = EncryptedTextField(_("note"), blank=True, default="")
    receiver_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    feedback = EncryptedTextField(_("feedback"), blank=True, default="")
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    share_withdrawn_at = models.DateTimeField(null=True, blank=True)
    share_withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    share_withdrawn_reason = EncryptedTextField(_("why the share was withdrawn"), blank=True, default="")
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "due_at"], name="network_referral_inbox"),
            models.Index(fields=["case", "sent_at"], name="network_referral_outbox"),
        ]

    @property
    def reference(self):
        return f"R-{self.pk}"


class ReferralEventKind(models.TextChoices):
    SENT = "sent", _("Sent")
    VIEWED = "viewed", _("Viewed by the receiver")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    FEEDBACK = "feedback", _("Feedback sent")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sender")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Her consent was withdrawn")
    REMINDED = "reminded", _("Reminder sent")
    CASE_OPENED = "case_opened", _("The receiver opened a case")


class ReferralEvent(models.Model):
    """What happened to a referral, when, by whom; no free text."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=ReferralEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
