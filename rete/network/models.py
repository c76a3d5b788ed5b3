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


# ---- Multi-agency risk conferences ---------------------------------------------------------


class ConferenceSeries(models.Model):
    """A standing multi-agency risk conference (e.g. "Milan MARAC", every two weeks), run by a
    coordinating organisation with member organisations and their named representatives."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("coordinating organisation"),
                                     on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    every_days = models.PositiveSmallIntegerField(_("meets every (days)"), default=14)
    escalation_callouts = models.PositiveSmallIntegerField(
        _("police call-outs in 12 months that count as escalation"), default=3)
    categories = models.JSONField(_("what a case summary carries"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk conference")
        verbose_name_plural = _("risk conferences")
        ordering = ["country", "name", "pk"]

    def __str__(self):
        return self.name


class ConferenceMember(models.Model):
    series = models.ForeignKey(ConferenceSeries, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "pk"]
        constraints = [models.UniqueConstraint(fields=["series", "organisation"], name="network_one_member_per_series")]


class ConferenceRepresentative(models.Model):
    """A person who speaks for a member organisation at the conference: only representatives
    see the case summaries and the minutes."""

    member = models.ForeignKey(ConferenceMember, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "pk"]
        constraints = [models.UniqueConstraint(fields=["member", "user"], name="network_one_representative_row")]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held, minutes being written")
    MINUTES_SENT = "minutes_sent", _("Minutes sent")


class ConferenceMeeting(Versioned):
    series = models.ForeignKey(ConferenceSeries, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(_("meeting"))
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place or call link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    minutes_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conference meeting")
        verbose_name_plural = _("conference meetings")
        ordering = ["series", "-starts_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="network_meeting_number")]

    def __str__(self):
        return f"{self.series} #{self.number}"


class ConferenceCriterion(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk on an assessment instrument")
    JUDGEMENT = "judgement", _("Professional judgement")
    ESCALATION = "escalation", _("Escalation: repeated police call-outs")
    REPEAT = "repeat", _("Repeat: a new incident within 12 months of the last referral")


class ConferenceReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the next meeting")
    ON_AGENDA = "on_agenda", _("On a meeting's agenda")
    DISCUSSED = "discussed", _("Discussed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConferenceReferral(Versioned):
    """A case referred to a risk conference. Its summary is a package (as a referral's) that the
    member organisations' representatives read, never the case. The figures the conference
    reports (band, call-outs, children, repeat) are snapshots taken at referral."""

    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey("core.Organisation", verbose_name=_("referred by"), on_delete=models.PROTECT,
                                          related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text=_("Empty for a repeat flagged automatically."))
    referred_at = models.DateTimeField(_("referred"))
    criterion = models.CharField(_("criterion"), max_length=20, choices=ConferenceCriterion.choices)
    reasons = EncryptedTextField(_("reasons"), blank=True, default="")
    band = models.CharField(_("risk band"), max_length=40, blank=True)
    band_label = models.CharField(max_length=200, blank=True)
    police_callouts = models.PositiveSmallIntegerField(_("police call-outs in the last 12 months"), default=0)
    children = models.PositiveSmallIntegerField(_("children in the household"), default=0)
    repeat = models.BooleanField(_("repeat"), default=False)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    categories = models.JSONField(_("what the summary carries"), default=list)
    package = EncryptedJSONField(default=dict, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    consent = models.ForeignKey("cases.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    without_consent_reason = EncryptedTextField(_("why it is shared without her consent"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=ConferenceReferralStatus.choices,
                              default=ConferenceReferralStatus.WAITING)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral to a risk conference")
        verbose_name_plural = _("referrals to a risk conference")
        ordering = ["-referred_at", "-pk"]
        indexes = [
            models.Index(fields=["series", "status", "referred_at"], name="network_conf_referral_queue"),
            models.Index(fields=["case", "referred_at"], name="network_conf_referral_case"),
        ]

    @property
    def reference(self):
        return f"RC-{self.pk}"


class AgendaItem(Versioned):
    """A case on a meeting's agenda: new since the last meeting, or carried over because its
    actions are not complete. The chair minutes the discussion and the decisions."""

    meeting = models.ForeignKey(ConferenceMeeting, on_delete=models.CASCADE, related_name="items")
    referral = models.ForeignKey(ConferenceReferral, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    carried_over = models.BooleanField(_("carried over"), default=False)
    discussed = models.BooleanField(_("discussed"), default=False)
    notes = EncryptedTextField(_("discussion"), blank=True, default="")
    decisions = EncryptedTextField(_("decisions"), blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "referral"], name="network_one_item_per_case")]


class ConferenceActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Could not be done")


class ConferenceAction(Versioned):
    """A SMART action agreed for a case: which agency, who, what, by when. The responsible
    agency's representatives report its progress; until it is closed the case comes back on
    the next agenda."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    referral = models.ForeignKey(ConferenceReferral, on_delete=models.PROTECT, related_name="actions")
    agency = models.ForeignKey("core.Organisation", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    description = EncryptedTextField(_("action"))
    due_on = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=12, choices=ConferenceActionStatus.choices,
                              default=ConferenceActionStatus.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="network_conf_action_agency")]

    @property
    def is_open(self):
        return self.status in (ConferenceActionStatus.OPEN, ConferenceActionStatus.IN_PROGRESS)


class ConferenceActionUpdate(models.Model):
    action = models.ForeignKey(ConferenceAction, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ConferenceActionStatus.choices)
    note = EncryptedTextField(_("progress"), blank=True, default="")

    class Meta:
        ordering = ["action", "at", "pk"]


# ---- Partner-contact link ------------------------------------------------------------------


class PartnerContactStatus(models.TextChoices):
    """The partner-support worker's record of the offer of contact to the (ex-)partner."""

    REQUESTED = "requested", _("Contact requested")
    ATTEMPTED = "attempted", _("Contact attempted")
    ENGAGED = "engaged", _("In contact with the service")
    DECLINED = "declined", _("Declined contact")
    UNREACHABLE = "unreachable", _("Could not be reached")
    UNSAFE = "unsafe", _("Contact not safe at present")
    CLOSED = "closed", _("Contact ended")


class PartnerContactLink(Versioned):
    """The bridge between a man's enrolment in a perpetrator programme and the service that
    offers support to his (ex-)partner. The programme sends events across it; the partner-support
    service keeps its own case, which the programme never sees. The programme reads only the
    contact status, and only when the partner-support worker chooses to share it.

    `enrolment_id` names the enrolment in rete.programmes, which uses this link without
    importing the cases module (and vice versa)."""

    programme_organisation = models.ForeignKey("core.Organisation", verbose_name=_("programme"), on_delete=models.PROTECT,
                                               related_name="+")
    enrolment_id = models.PositiveBigIntegerField(db_index=True)
    enrolment_reference = models.CharField(_("programme reference"), max_length=60)
    support_organisation = models.ForeignKey("core.Organisation", verbose_name=_("partner-support service"),
                                             on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    request_note = EncryptedTextField(_("what the programme can say about the contact"), blank=True, default="")
    partner_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("contact status"), max_length=12, choices=PartnerContactStatus.choices,
                              default=PartnerContactStatus.REQUESTED)
    status_shared = models.BooleanField(_("share the contact status with the programme"), default=False)
    shared_status = models.CharField(max_length=12, choices=PartnerContactStatus.choices, blank=True)
    status_updated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partner-contact link")
        verbose_name_plural = _("partner-contact links")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["enrolment_id"], condition=Q(ended_at__isnull=True),
                                               name="network_one_open_partner_link")]

    @property
    def reference(self):
        return f"PC-{self.pk}"


class PartnerEventKind(models.TextChoices):
    """What the programme tells the partner-support service, because it matters for her safety."""

    ENROLLED = "enrolled", _("He was enrolled in the programme")
    STARTED = "started", _("He started the programme")
    ABSENCES = "absences", _("Repeated absences")
    NON_COMPLIANT = "non_compliant", _("He is not complying with the programme")
    SUSPENDED = "suspended", _("Participation suspended")
    DROPPED_OUT = "dropped_out", _("He dropped out")
    EXCLUDED = "excluded", _("He was excluded")
    THREAT = "threat", _("He disclosed a threat or intent to harm")
    RISK_RAISED = "risk_raised", _("His risk was assessed higher")
    COMPLETED = "completed", _("He completed the programme")
    OTHER = "other", _("Other information for her safety")


class PartnerContactEvent(models.Model):
    link = models.ForeignKey(PartnerContactLink, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("event"), max_length=20, choices=PartnerEventKind.choices)
    note = EncryptedTextField(_("what the partner-support service should know"), blank=True, default="")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]


class PartnerOutcomeResponse(models.Model):
    """Her answers to an outcome questionnaire (rete.programmes.OutcomeQuestionnaire, respondent
    "partner") at one timepoint, recorded by the partner-support service on the partner-contact
    link. They stay on the partner-support side: the programme never reads a row, only counts
    per indicator and timepoint with small numbers suppressed (selectors.partner_outcomes)."""

    link = models.ForeignKey(PartnerContactLink, on_delete=models.PROTECT, related_name="outcome_responses")
    questionnaire = models.ForeignKey("programmes.OutcomeQuestionnaire", on_delete=models.PROTECT, related_name="+")
    timepoint = models.CharField(_("when"), max_length=10)  # rete.programmes.questionnaires.TIMEPOINTS
    answers = EncryptedJSONField(default=dict)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner's outcome questionnaire")
        verbose_name_plural = _("partner's outcome questionnaires")
        ordering = ["answered_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["link", "questionnaire", "timepoint"],
                                               name="network_one_partner_outcome_per_timepoint")]
        indexes = [models.Index(fields=["answered_on"])]
