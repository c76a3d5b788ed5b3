"""Victim-support cases: the person who asked for help and the case an organisation opens
for her. Identifying and contact fields are encrypted; exact-match lookups for duplicate
detection go through keyed blind indexes."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import EncryptedBinaryField, EncryptedCharField, EncryptedJSONField, EncryptedTextField
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
    RELATED_PERSON = "related_person", _("Related person recorded")
    PERSON_UPDATED = "person_updated", _("Her details corrected")
    NEEDS_ASSESSED = "needs_assessed", _("Needs assessment completed")
    INFORMATION_GIVEN = "information_given", _("Information given")
    SAFETY_PLAN = "safety_plan", _("Safety plan updated")
    SAFETY_PLAN_REVIEWED = "safety_plan_reviewed", _("Safety plan reviewed")
    SERVICE = "service", _("Support plan updated")
    JUSTICE = "justice", _("Legal step recorded")
    ATTACHMENT = "attachment", _("Document added")
    SUPERVISOR = "supervisor", _("Supervisor changed")
    BREAK_GLASS = "break_glass", _("Opened by a supervisor outside the team")
    REFERRAL = "referral", _("Referral")


class CaseActivity(models.Model):
    """The case's timeline: one row per thing that happened, in date order. Text that may be
    personal (a note, a reason) lives encrypted in its own record or here in `text`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="activities")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=ActivityKind.choices)
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
    RISK_CONFERENCE = "risk_conference", _("Multi-agency risk conference")


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


# ---- people around her: children, dependants, the (alleged) perpetrator -------------------


class RelatedKind(models.TextChoices):
    CHILD = "child", _("Child")
    DEPENDANT = "dependant", _("Other dependant")
    PERPETRATOR = "perpetrator", _("(Alleged) perpetrator")


class Relationship(models.TextChoices):
    """Her relationship to the person (for a perpetrator: who he is to her)."""

    PARTNER = "partner", _("Partner or spouse")
    FORMER_PARTNER = "former_partner", _("Former partner or spouse")
    DATING = "dating", _("Dating, not living together")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Her child")
    CHILD_IN_CARE = "child_in_care", _("Child in her care")
    OTHER_FAMILY = "other_family", _("Other family member")
    ACQUAINTANCE = "acquaintance", _("Acquaintance, colleague or neighbour")
    STRANGER = "stranger", _("Stranger")
    OTHER = "other", _("Other")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class RelatedPerson(Versioned, models.Model):
    """Someone in her situation: a child or dependant with their own needs, or the (alleged)
    perpetrator. Names and notes are encrypted like hers."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="related_people")
    kind = models.CharField(_("who"), max_length=12, choices=RelatedKind.choices)
    name = EncryptedCharField(_("name"), blank=True, default="", form_max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, blank=True, choices=[("female", _("Female")), ("male", _("Male")), ("other", _("Other or not known"))])
    relationship = models.CharField(_("relationship to her"), max_length=20, choices=Relationship.choices)
    cohabiting = models.CharField(_("lives with her"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    # Perpetrator only.
    weapons_access = models.CharField(_("access to weapons"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    known_to_police = models.CharField(_("known to the police"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    # Children and dependants: what they need themselves (school, care, psychological support…).
    needs = EncryptedTextField(_("their own needs"), blank=True, default="")
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]


# ---- individual needs assessment (Directive 2012/29/EU, Art. 22) --------------------------


class AssessmentTrigger(models.TextChoices):
    FIRST = "first", _("First assessment")
    NEW_INCIDENT = "new_incident", _("A new incident")
    SEPARATION = "separation", _("Separation or a change in the relationship")
    PROCEEDINGS = "proceedings", _("A step in the proceedings")
    RELEASE = "release", _("The perpetrator's release or return")
    OTHER_CHANGE = "other_change", _("Another change in her circumstances")


class NeedsAssessment(models.Model):
    """One individual assessment. A redone assessment is a new row with the next number; past
    ones are never edited, so the history shows how her needs changed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="needs_assessments")
    number = models.PositiveSmallIntegerField()
    trigger = models.CharField(_("why now"), max_length=20, choices=AssessmentTrigger.choices)
    assessed_on = models.DateField(_("assessed on"))
    # Each area: ticked factors (codes from forms; encrypted, as they reveal health, sexual
    # orientation or residence status) and a free-text note in her situation's words.
    personal_characteristics = EncryptedJSONField(default=list, blank=True)
    personal_notes = EncryptedTextField(_("personal characteristics: notes"), blank=True, default="")
    crime_type = EncryptedJSONField(default=list, blank=True)
    crime_notes = EncryptedTextField(_("type and nature of the crime: notes"), blank=True, default="")
    circumstances = EncryptedJSONField(default=list, blank=True)
    circumstances_notes = EncryptedTextField(_("circumstances: notes"), blank=True, default="")
    protection_needs = EncryptedJSONField(default=list, blank=True)
    protection_notes = EncryptedTextField(_("protection needs: notes"), blank=True, default="")
    special_measures = EncryptedJSONField(default=list, blank=True)
    measures_notes = EncryptedTextField(_("special measures: notes"), blank=True, default="")
    specific_protection_needs = models.BooleanField(_("she has specific protection needs"), default=False)
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_needs_assessment_number")]


# ---- information given (Directive 2012/29/EU, Art. 4) -------------------------------------


class InformationItem(models.TextChoices):
    SUPPORT = "a", _("(a) The support she can get, including medical, specialist and psychological support and shelter")
    REPORTING = "b", _("(b) How to report an offence and her role in the proceedings")
    PROTECTION = "c", _("(c) How to obtain protection, including protection measures")
    LEGAL_AID = "d", _("(d) How to obtain legal advice and legal aid")
    COMPENSATION = "e", _("(e) How to obtain compensation")
    INTERPRETATION = "f", _("(f) Her right to interpretation and translation")
    CROSS_BORDER = "g", _("(g) Her rights if she lives in another EU country")
    COMPLAINTS = "h", _("(h) How to complain if her rights are not respected")
    CONTACT = "i", _("(i) Contact details for news about her case")
    RESTORATIVE = "j", _("(j) Restorative justice services")
    EXPENSES = "k", _("(k) Reimbursement of expenses for taking part in proceedings")


class InformationGiven(models.Model):
    """A record that an Art. 4 item was explained to her: when, in which language, how."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="information_given")
    item = models.CharField(_("information"), max_length=1, choices=InformationItem.choices)
    given_on = models.DateField(_("given on"))
    language = models.CharField(_("in which language"), max_length=8)
    in_writing = models.BooleanField(_("also given in writing"), default=False)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-given_on"]
        indexes = [models.Index(fields=["case", "item"])]


# ---- safety plan ---------------------------------------------------------------------------


SAFETY_PLAN_SECTIONS = (
    "safe_contacts", "leaving_plan", "documents_bag", "children", "technology", "work", "after_separation",
)


class SafetyPlan(Versioned, models.Model):
    """Her safety plan, one per case, kept current; each save raises the version and reviews
    are recorded with their dates. Every section is her private plan: all encrypted."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="safety_plan")
    language = models.CharField(_("language of the plan"), max_length=8)
    safe_contacts = EncryptedTextField(_("Safe contacts and emergency numbers"), blank=True, default="")
    leaving_plan = EncryptedTextField(_("Leaving in an emergency"), blank=True, default="")
    documents_bag = EncryptedTextField(_("Documents and emergency bag"), blank=True, default="")
    children = EncryptedTextField(_("Children"), blank=True, default="")
    technology = EncryptedTextField(_("Phone, computer and online safety"), blank=True, default="")
    work = EncryptedTextField(_("At work or school"), blank=True, default="")
    after_separation = EncryptedTextField(_("After separation"), blank=True, default="")
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)


class SafetyPlanReview(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    note = EncryptedTextField(_("what changed"), blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]


# ---- support plan: needs and the services that answer them --------------------------------


class ServiceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter or safe accommodation")
    LEGAL = "legal", _("Legal advice and representation")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    HEALTH = "health", _("Health care")
    ECONOMIC = "economic", _("Economic support and employment")
    HOUSING = "housing", _("Housing")
    CHILDREN = "children", _("Support for her children")
    INTERPRETER = "interpreter", _("Interpreting")
    OTHER = "other", _("Other support")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REQUESTED = "requested", _("Requested from the provider")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    DECLINED = "declined", _("Declined by her")
    UNAVAILABLE = "unavailable", _("Not available")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_SERVICE_STATUSES = (ServiceStatus.PLANNED, ServiceStatus.REQUESTED, ServiceStatus.IN_PROGRESS)


class SupportService(Versioned, models.Model):
    """One line of her support plan: the need, the service that answers it, who provides it,
    by when, and what came of it. Overdue when still open after its due date."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="services")
    need = EncryptedTextField(_("the need"))
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED)
    due_on = models.DateField(_("due by"), null=True, blank=True, db_index=True)
    outcome = EncryptedTextField(_("outcome"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["case", "status", "due_on"])]


# ---- access to justice ---------------------------------------------------------------------


class ComplaintStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    UNDER_INVESTIGATION = "investigation", _("Under investigation")
    PROSECUTED = "prosecuted", _("Sent to prosecution")
    DROPPED = "dropped", _("Dropped or archived")
    WITHDRAWN = "withdrawn", _("Withdrawn by her")


class Complaint(Versioned, models.Model):
    """A criminal complaint (report to police or prosecutor)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    filed_on = models.DateField(_("filed on"))
    authority = models.CharField(_("filed with"), max_length=200)
    authority_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED)
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]


class OrderKind(models.TextChoices):
    EMERGENCY_BARRING = "emergency_barring", _("Emergency barring order (police)")
    PROTECTION = "protection", _("Protection order")
    RESTRAINING = "restraining", _("Restraining or non-contact order")
    EXCLUSION = "exclusion", _("Exclusion from the family home")
    CRIMINAL_MEASURE = "criminal_measure", _("Precautionary measure in criminal proceedings")
    OTHER = "other", _("Other order")


class OrderStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    BREACHED = "breached", _("Breached")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ProtectionOrder(Versioned, models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protection_orders")
    kind = models.CharField(_("kind of order"), max_length=20, choices=OrderKind.choices)
    court = models.CharField(_("court or authority"), max_length=200)
    court_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.APPLIED)
    applied_on = models.DateField(_("applied for on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    conditions = EncryptedTextField(_("conditions"), blank=True, default="")
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")
    FAMILY = "family", _("Family (separation, custody)")
    ADMINISTRATIVE = "administrative", _("Administrative (e.g. residence permit)")


class ProceedingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONCLUDED = "concluded", _("Concluded")
    APPEAL = "appeal", _("Under appeal")


class Proceeding(Versioned, models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proceedings")
    kind = models.CharField(_("kind of proceedings"), max_length=16, choices=ProceedingKind.choices)
    court = models.CharField(_("court"), max_length=200)
    court_reference = models.CharField(_("court reference"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProceedingStatus.choices, default=ProceedingStatus.PENDING)
    outcome = EncryptedTextField(_("outcome"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class Hearing(Versioned, models.Model):
    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="hearings")
    at = models.DateTimeField(_("date and time"), db_index=True)
    place = models.CharField(_("place or courtroom"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    accompanied = models.BooleanField(_("someone from the service goes with her"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]


# ---- documents -------------------------------------------------------------------------------


class Attachment(models.Model):
    """A document on the case, encrypted at rest and only ever offered as a download."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    filename = EncryptedCharField(_("file name"), form_max_length=200)
    description = EncryptedTextField(_("description"), blank=True, default="")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]


# ---- server-side drafts of long forms; break-glass -----------------------------------------


class FormDraft(models.Model):
    """What she typed into a long form (needs assessment, safety plan), saved as she goes so a
    session timeout or a closed tab loses nothing. One per person, case and form."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=40)
    payload = EncryptedTextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user", "form"], name="one_draft_per_form")]


class BreakGlassAccess(models.Model):
    """A supervisor opened a case of her organisation that she does not work on, for a stated
    reason. Access lasts a working day; the data-protection officer is told."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "case", "expires_at"])]


# ---- safe contact: a visitor of the public portal asks a service to contact her -------------

# The kinds of organisation that receive requests for contact from the public portal.
CONTACT_REQUEST_KINDS = ("victim_support", "shelter", "helpline", "police")


class HeardAbout(models.TextChoices):
    FRIEND = "friend", _("A friend or relative")
    SEARCH = "search", _("A search engine")
    SOCIAL = "social", _("Social media")
    LEAFLET = "leaflet", _("A leaflet or poster")
    PROFESSIONAL = "professional", _("A professional (doctor, teacher, social worker…)")
    OTHER = "other", _("Other")


class ContactRequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    HANDLED = "handled", _("Handled")
    UNREACHABLE = "unreachable", _("Could not reach her")


class ContactRequest(models.Model):
    """A visitor asked an organisation to contact her. Everything she wrote is encrypted; the
    client address is never stored (the rate limit uses a keyed hash in the cache only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    name_or_alias = EncryptedCharField(_("name or alias"), blank=True, default="", form_max_length=120)
    phone = EncryptedCharField(_("phone"), blank=True, default="", form_max_length=40)
    other_contact = EncryptedCharField(_("other way to reach her"), blank=True, default="", form_max_length=200)
    safe_to_contact = models.BooleanField(_("safe to contact her"), default=True)
    safe_times = EncryptedCharField(_("safe times"), blank=True, default="", form_max_length=200)
    code_word = EncryptedCharField(_("code word"), blank=True, default="", form_max_length=60)
    leave_message = models.BooleanField(_("may leave a message or say who is calling"), default=False)
    message = EncryptedTextField(_("what she wants to tell"), blank=True, default="")
    language = models.CharField(_("language"), max_length=10, blank=True)
    heard_about = models.CharField(_("how she heard about the service"), max_length=20, choices=HeardAbout.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ContactRequestStatus.choices, default=ContactRequestStatus.NEW)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["organisation", "status", "received_at"])]
