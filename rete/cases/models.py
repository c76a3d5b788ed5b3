"""Victim-support cases: the person who asked for help and the case an organisation opens
for her. Identifying and contact fields are encrypted; exact-match lookups for duplicate
detection go through keyed blind indexes."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import EncryptedCharField, EncryptedTextField
from rete.core.models import Organisation, Versioned


class ContactRoute(models.TextChoices):
    HELPLINE = "helpline", _("Helpline")
    WALK_IN = "walk_in", _("Walk-in")
    POLICE = "police", _("Police")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH = "health", _("Health service")
    OTHER_CENTRE = "other_centre", _("Another support centre")
    PORTAL = "portal", _("Public portal")
    OTHER = "other", _("Other")


class SafeToContact(models.TextChoices):
    YES = "yes", _("Yes, with the precautions below")
    NO = "no", _("No: do not contact her; she will get in touch")
    UNKNOWN = "unknown", _("Not known yet")


class Person(Versioned, models.Model):
    """Someone who asked an organisation for help. Belongs to that organisation only: the same
    woman at two centres is two records, linked only through a consented referral."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    is_anonymous = models.BooleanField(_("anonymous contact"), default=False)
    given_name = EncryptedCharField(_("given name"), blank=True, default="", form_max_length=120)
    family_name = EncryptedCharField(_("family name"), blank=True, default="", form_max_length=120)
    alias = EncryptedCharField(_("name she wants to be called"), blank=True, default="", form_max_length=120)
    date_of_birth = EncryptedCharField(_("date of birth"), blank=True, default="", form_max_length=10)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), blank=True, default="", form_max_length=40)
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    safe_to_contact = models.CharField(_("safe to contact her?"), max_length=10, choices=SafeToContact.choices, default=SafeToContact.UNKNOWN)
    safe_phone = EncryptedCharField(_("safe phone"), blank=True, default="", form_max_length=40)
    safe_times = EncryptedCharField(_("safe times to call"), blank=True, default="", form_max_length=200)
    code_word = EncryptedCharField(_("code word"), blank=True, default="", form_max_length=60)
    contact_precautions = EncryptedTextField(_("other precautions"), blank=True, default="")
    # Keyed HMACs of normalised values: exact matches without revealing the values.
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "name_index"]),
            models.Index(fields=["organisation", "phone_index"]),
        ]

    @property
    def birth_date(self):
        import datetime

        try:
            return datetime.date.fromisoformat(self.date_of_birth) if self.date_of_birth else None
        except ValueError:
            return None

    def display_name(self):
        if self.is_anonymous and not (self.alias or self.given_name):
            return str(_("Anonymous contact"))
        name = " ".join(part for part in (self.given_name, self.family_name) if part)
        return self.alias if self.alias and not name else (f"{name} ({self.alias})" if self.alias else name)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.ON_HOLD, CaseStatus.REOPENED)


class Case(Versioned, models.Model):
    """One person, one episode of support, at one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    contact_route = models.CharField(_("how she reached the service"), max_length=20, choices=ContactRoute.choices)
    first_contact_at = models.DateTimeField(_("first contact"))
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["organisation", "reference"], name="case_reference_unique_per_organisation")]
        indexes = [models.Index(fields=["organisation", "status", "-last_activity_at"])]

    def __str__(self):
        return self.reference


class CaseAssignment(models.Model):
    """Membership of a case's team. Ending an assignment keeps it for the record."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], condition=models.Q(ended_at__isnull=True), name="one_active_assignment")
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]


class CaseReferenceCounter(models.Model):
    """Hands out readable, gap-free case references per organisation and year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_counter_per_year")]


class CaseNote(models.Model):
    """A case note. Notes are a record of what happened: they are added, never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    body = EncryptedTextField(_("note"))


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Her support goals were met")
    NO_LONGER_WANTED = "no_longer_wanted", _("She no longer wants support")
    TRANSFERRED = "transferred", _("Transferred to another service")
    MOVED_AWAY = "moved_away", _("She moved away")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    OTHER = "other", _("Other reason")


class ClosureDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the supervisor")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to the team")


class ClosureRequest(models.Model):
    """Closing a case is proposed by the team and decided by a supervisor."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices)
    safety_plan_reviewed = models.BooleanField(_("the safety plan was reviewed with her"), default=False)
    knows_how_to_return = models.BooleanField(_("she knows she can come back at any time"), default=False)
    services_ended = models.BooleanField(_("open services are ended or handed over"), default=False)
    summary = EncryptedTextField(_("closing summary"), blank=True, default="")
    decision = models.CharField(max_length=10, choices=ClosureDecision.choices, default=ClosureDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("supervisor's note"), blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(decision="pending"), name="one_pending_closure_per_case")
        ]


class ActivityKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    NOTE = "note", _("Note")
    PUT_ON_HOLD = "on_hold", _("Put on hold")
    RESUMED = "resumed", _("Resumed")
    TEAM_JOINED = "team_joined", _("Joined the team")
    TEAM_LEFT = "team_left", _("Left the team")
    CLOSURE_REQUESTED = "closure_requested", _("Closure proposed")
    CLOSURE_APPROVED = "closure_approved", _("Closure approved")
    CLOSURE_RETURNED = "closure_returned", _("Closure returned to the team")
    REOPENED = "reopened", _("Reopened")
    INCIDENT = "incident", _("Incident recorded")
    CONSENT_GIVEN = "consent_given", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


class CaseActivity(models.Model):
    """The case's timeline: one row per thing that happened, in date order. Text that may be
    personal (a note, a reason) lives encrypted in its own record or here in `text`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="activities")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    note = models.ForeignKey(CaseNote, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["case", "-at"])]
        ordering = ["-at", "-pk"]


class GbvType(models.TextChoices):
    """GBVIMS core types, in the order they are applied: the first that fits is the type."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL = "denial", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL = "psychological", _("Psychological or emotional abuse")
    NON_GBV = "non_gbv", _("Not gender-based violence")


GBV_ORDER = [GbvType.RAPE, GbvType.SEXUAL_ASSAULT, GbvType.PHYSICAL_ASSAULT, GbvType.FORCED_MARRIAGE, GbvType.DENIAL, GbvType.PSYCHOLOGICAL]


class ContextFlag(models.TextChoices):
    IPV = "ipv", _("Intimate-partner violence")
    CHILD_SEXUAL_ABUSE = "child_sexual_abuse", _("Child sexual abuse")
    EARLY_MARRIAGE = "early_marriage", _("Early marriage")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Possible sexual exploitation")
    SEXUAL_SLAVERY = "sexual_slavery", _("Possible sexual slavery")
    HARMFUL_PRACTICE = "harmful_practice", _("Harmful traditional practice")


class PlaceType(models.TextChoices):
    HOME = "home", _("Her home or a shared home")
    PERPETRATOR_HOME = "perpetrator_home", _("The perpetrator's home")
    STREET = "street", _("Street or public place")
    WORKPLACE = "workplace", _("Workplace or school")
    ONLINE = "online", _("Online or by phone")
    OTHER = "other", _("Other place")


class ReportingDelay(models.TextChoices):
    DAYS_0_3 = "0-3d", _("0–3 days")
    DAYS_4_5 = "4-5d", _("4–5 days")
    DAYS_6_14 = "6-14d", _("6–14 days")
    UP_TO_MONTH = "2w-1m", _("2 weeks to 1 month")
    OVER_MONTH = "1m+", _("Over 1 month")


def reporting_delay(incident_date, reported_on) -> str:
    days = (reported_on - incident_date).days
    if days <= 3:
        return ReportingDelay.DAYS_0_3
    if days <= 5:
        return ReportingDelay.DAYS_4_5
    if days <= 14:
        return ReportingDelay.DAYS_6_14
    if days <= 31:
        return ReportingDelay.UP_TO_MONTH
    return ReportingDelay.OVER_MONTH


class Incident(Versioned, models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="incidents")
    incident_date = models.DateField(_("date of the incident"))
    reported_on = models.DateField(_("date she told the service"))
    place_type = models.CharField(_("where it happened"), max_length=20, choices=PlaceType.choices)
    gbv_type = models.CharField(_("type (GBVIMS)"), max_length=20, choices=GbvType.choices)
    context_flags = models.JSONField(_("context"), default=list, blank=True)
    narrative = EncryptedTextField(_("what happened, in her words"), blank=True, default="")
    reported_to_police = models.BooleanField(_("reported to the police"), default=False)
    injuries = models.BooleanField(_("injuries"), default=False)
    medical_care = models.BooleanField(_("received medical care"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-incident_date", "-pk"]

    @property
    def reporting_delay(self):
        return reporting_delay(self.incident_date, self.reported_on)

    def get_reporting_delay_display(self):
        return ReportingDelay(self.reporting_delay).label

    def get_context_flags_display(self):
        labels = dict(ContextFlag.choices)
        return [labels.get(flag, flag) for flag in self.context_flags]


class ConsentKind(models.TextChoices):
    SERVICES = "services", _("To receive support services")
    SHARE_AGENCY = "share_agency", _("To share information with a named agency")
    SHARE_SECTOR = "share_sector", _("To share information with a sector")
    CONTACT = "contact", _("To be contacted by the service")


class Sector(models.TextChoices):
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health services")
    SOCIAL = "social", _("Social services")
    JUSTICE = "justice", _("Courts and prosecution")
    SHELTER = "shelter", _("Shelters")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programmes (partner contact)")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbally")
    WRITTEN = "written", _("In writing")
    INTERPRETER = "interpreter", _("Through an interpreter")


class Consent(models.Model):
    """What she agreed to, when and how. Later sharing checks it; a withdrawal ends it and is
    never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    scope = EncryptedTextField(_("what it covers"), blank=True, default="")
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = EncryptedTextField(_("withdrawal noted"), blank=True, default="")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-pk"]

    @property
    def is_active(self):
        return self.withdrawn_on is None

    def target_display(self):
        if self.kind == ConsentKind.SHARE_AGENCY:
            return self.agency
        if self.kind == ConsentKind.SHARE_SECTOR:
            return self.get_sector_display()
        return ""
