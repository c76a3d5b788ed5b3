"""Perpetrator programmes: the man (Participant), his journey through one programme (Enrolment)
from the first enquiry to the follow-up, the court's mandate, pathways defined as data, groups,
sessions and attendance, compliance events, court reports and outcome questionnaires.

Victim safety first: nothing here holds anything about his (ex-)partner. Partner support runs in
its own service, reached only through rete.network's partner-contact link (by the enrolment's
id). This app never imports rete.cases."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rete.core.crypto import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from rete.core.models import Organisation, Versioned


class Participant(Versioned, models.Model):
    """A man who contacted a programme. Belongs to that programme only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    given_name = EncryptedCharField(_("given name"), form_max_length=120)
    family_name = EncryptedCharField(_("family name"), blank=True, default="", form_max_length=120)
    date_of_birth = EncryptedCharField(_("date of birth"), blank=True, default="", form_max_length=10)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), blank=True, default="", form_max_length=40)
    email = EncryptedCharField(_("e-mail"), blank=True, default="", form_max_length=254)
    address = EncryptedTextField(_("address"), blank=True, default="")
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    # Keyed HMACs of normalised values (as for cases): duplicate warnings without the values.
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["organisation", "name_index"]), models.Index(fields=["organisation", "phone_index"])]

    def display_name(self):
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class ReferralSource(models.TextChoices):
    SELF = "self", _("On his own initiative")
    COURT_165 = "court_165", _("Court: suspended sentence (art. 165 c.p.)")
    COURT_282 = "court_282", _("Court: precautionary measure (art. 282-quater c.p.p.)")
    COURT_OTHER = "court_other", _("Court: other order")
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation office")
    POLICE_WARNING = "police_warning", _("Police warning (ammonimento)")
    SOCIAL_SERVICES = "social_services", _("Social services")
    VICTIM_CENTRE = "victim_centre", _("Victim-support centre")
    HEALTH = "health", _("Health services")
    LAWYER = "lawyer", _("Lawyer")
    OTHER = "other", _("Other")


COURT_SOURCES = (ReferralSource.COURT_165, ReferralSource.COURT_282, ReferralSource.COURT_OTHER, ReferralSource.PROBATION)


class EnrolmentState(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    INFORMATION = "information", _("Information contact")
    ASSESSING = "assessing", _("Assessment")
    NOT_SUITABLE = "not_suitable", _("Not suitable")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    WAITING = "waiting", _("Accepted, waiting to start")
    MOTIVATIONAL = "motivational", _("Motivational phase")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    NON_COMPLIANT = "non_compliant", _("Non-compliant (warning)")
    EXCLUDED = "excluded", _("Excluded")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    COMPLETED_FAVOURABLE = "completed_favourable", _("Completed, favourable outcome")
    COMPLETED_UNFAVOURABLE = "completed_unfavourable", _("Completed, unfavourable outcome")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class Suitability(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NOT_SUITABLE = "not_suitable", _("Not suitable")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")


class Enrolment(Versioned, models.Model):
    """One man's journey through one programme, from the enquiry to the follow-up. Its id is
    what rete.network's partner-contact link names."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="enrolments")
    reference = models.CharField(_("reference"), max_length=40)
    state = models.CharField(_("state"), max_length=24, choices=EnrolmentState.choices, default=EnrolmentState.ENQUIRY)
    source = models.CharField(_("referred by"), max_length=20, choices=ReferralSource.choices)
    referrer_body = models.CharField(_("referring body"), max_length=200, blank=True)
    referrer_contact = EncryptedTextField(_("referrer's contact"), blank=True, default="")
    enquiry_at = models.DateTimeField(_("first contact"))
    enquiry_note = EncryptedTextField(_("what he asked"), blank=True, default="")
    # The request must come from the man himself, even when a court or a service refers him.
    own_request_on = models.DateField(_("his own request, on"), null=True, blank=True)
    own_request_note = EncryptedTextField(_("his request in his words"), blank=True, default="")
    information_contact_on = models.DateField(_("free information contact, on"), null=True, blank=True)
    suitability = models.CharField(_("suitability"), max_length=20, choices=Suitability.choices, blank=True)
    suitability_reason = EncryptedTextField(_("reasons"), blank=True, default="")
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    pathway_version = models.ForeignKey("PathwayVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="enrolments", verbose_name=_("pathway"))
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("programme ended on"), null=True, blank=True)
    follow_up_due_on = models.DateField(_("follow-up due on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField()
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["organisation", "reference"], name="enrolment_reference_unique")]
        indexes = [models.Index(fields=["organisation", "state", "-last_activity_at"])]

    def __str__(self):
        return self.reference


class StaffRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    FACILITATOR = "facilitator", _("Facilitator")
    ASSESSOR = "assessor", _("Assessor")


class EnrolmentStaff(models.Model):
    """Who works with the man. Ended rows stay: whoever once worked with him can never be the
    partner-support worker for his partner."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "user"], condition=Q(ended_at__isnull=True),
                                               name="one_active_enrolment_staff")]
        indexes = [models.Index(fields=["user", "ended_at"])]


class StateChange(models.Model):
    """Every change of state, with its reason (the reason text is encrypted)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="state_changes")
    from_state = models.CharField(max_length=24, choices=EnrolmentState.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=EnrolmentState.choices)
    stage = models.CharField(max_length=40, blank=True)  # the pathway stage he was at (drop-out per stage)
    reason = EncryptedTextField(_("reason"))
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["enrolment", "-at"]), models.Index(fields=["to_state", "at"])]


class ReferenceCounter(models.Model):
    """Readable, gap-free enrolment references per programme and year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="programme_counter_per_year")]


# ---- the court's mandate --------------------------------------------------------------------


class MandateBasis(models.TextChoices):
    ART_165_CP = "art_165_cp", _("Suspended sentence conditional on a programme (art. 165 c.p.)")
    ART_282_QUATER = "art_282_quater", _("Precautionary measure (art. 282-quater c.p.p.)")
    PROBATION = "probation", _("Probation or community measure")
    PRISON = "prison", _("Programme in prison (Law 69/2019, art. 17)")
    OTHER = "other", _("Other legal basis")


class LegalMandate(Versioned, models.Model):
    """The order that makes his participation a condition (what the court must record: consent,
    provider, frequency, start, duration and the favourable-outcome condition)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="mandate")
    basis = models.CharField(_("legal basis"), max_length=20, choices=MandateBasis.choices)
    court = models.CharField(_("court or authority"), max_length=200)
    case_number = EncryptedCharField(_("case number"), form_max_length=80)
    order_on = models.DateField(_("order dated"))
    start_by = models.DateField(_("must start by"), null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(_("sessions a week at least"), default=2)
    duration_weeks = models.PositiveSmallIntegerField(_("duration in weeks"), null=True, blank=True)
    # With no deadline in the order, the default term is five years from the order.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    favourable_outcome_condition = EncryptedTextField(_("condition for a favourable outcome"), blank=True, default="")
    consent_recorded = models.BooleanField(_("his consent is recorded in the order"), default=False)
    report_every_weeks = models.PositiveSmallIntegerField(_("periodic report every (weeks)"), default=12)
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def effective_deadline(self):
        import datetime

        if self.deadline:
            return self.deadline
        try:
            return self.order_on.replace(year=self.order_on.year + 5)
        except ValueError:  # 29 February
            return self.order_on + datetime.timedelta(days=365 * 5 + 1)


class RecipientKind(models.TextChoices):
    COURT = "court", _("Court")
    PROBATION = "probation", _("Probation office")
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    DEFENCE = "defence", _("Defence lawyer")
    OTHER = "other", _("Other")


class ReportRecipient(models.Model):
    """Who must be told what: a recipient of the mandate and the kinds of report it receives."""

    mandate = models.ForeignKey(LegalMandate, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    name = models.CharField(_("name or office"), max_length=200)
    contact = EncryptedTextField(_("address for reports"), blank=True, default="")
    reports = models.JSONField(_("reports it receives"), default=list)  # ReportKind codes

    class Meta:
        ordering = ["pk"]


# ---- pathways as data -------------------------------------------------------------------------


class StageKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    MOTIVATIONAL = "motivational", _("Motivational")
    GROUP = "group", _("Group programme")
    INDIVIDUAL = "individual", _("Individual sessions")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Pathway(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class PathwayStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In use")
    RETIRED = "retired", _("Retired")


class PathwayVersion(Versioned, models.Model):
    """One version of a pathway. Once published it never changes: a man stays on the version he
    was enrolled on. `stages`, `rules` and `notifications` follow rete.programmes.pathways."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=PathwayStatus.choices, default=PathwayStatus.DRAFT)
    description = models.TextField(_("description"), blank=True)
    stages = models.JSONField(default=list)
    rules = models.JSONField(default=dict)
    notifications = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pathway", "number"], name="one_pathway_version_number")]
        ordering = ["pathway", "-number"]

    def __str__(self):
        return f"{self.pathway.name} v{self.number}"


# ---- groups, sessions, attendance ---------------------------------------------------------------


class GroupStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Group(Versioned, models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    stage_kind = models.CharField(_("kind of group"), max_length=20, choices=StageKind.choices, default=StageKind.GROUP)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    weekdays = models.JSONField(_("meets on"), default=list)  # ISO weekdays, 1 = Monday
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=120)
    starts_on = models.DateField(_("first session"))
    ends_on = models.DateField(_("last session"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=12)
    place = models.CharField(_("where"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class GroupFacilitator(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="facilitators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], condition=Q(ended_at__isnull=True),
                                               name="one_active_group_facilitator")]


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="members")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="group_places")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "enrolment"], condition=Q(left_on__isnull=True),
                                               name="one_open_group_place")]


class SessionKind(models.TextChoices):
    GROUP = "group", _("Group session")
    INDIVIDUAL = "individual", _("Individual session")
    ASSESSMENT = "assessment", _("Assessment session")
    MOTIVATIONAL = "motivational", _("Motivational session")
    FOLLOW_UP = "follow_up", _("Follow-up session")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Session(Versioned, models.Model):
    """A group session (group set) or a session with one man (enrolment set)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="individual_sessions")
    number = models.PositiveSmallIntegerField(_("session number"), null=True, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    notes = EncryptedTextField(_("session notes"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    cancel_reason = EncryptedTextField(_("why it was cancelled"), blank=True, default="")  # part "groups-sessions"
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "starts_at"]), models.Index(fields=["enrolment", "starts_at"]),
                   models.Index(fields=["organisation", "status", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(group__isnull=False) | Q(enrolment__isnull=False),
                                              name="session_has_group_or_enrolment")]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused absence")
    ABSENT = "absent", _("Absent")


class Participation(models.TextChoices):
    ACTIVE = "active", _("Active, engaged")
    ADEQUATE = "adequate", _("Adequate")
    PASSIVE = "passive", _("Passive")
    OPPOSITIONAL = "oppositional", _("Oppositional")


class Attendance(Versioned, models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    excuse = models.CharField(_("reason for the absence"), max_length=20, blank=True)  # a pathway's excusable code
    participation = models.CharField(_("participation"), max_length=14, choices=Participation.choices, blank=True)
    note = EncryptedTextField(_("note"), blank=True, default="")
    made_up_by = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="make_ups")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session")]
        indexes = [models.Index(fields=["enrolment", "session"])]


class ComplianceLevel(models.TextChoices):
    WARNING = "warning", _("Warning")
    NON_COMPLIANCE = "non_compliance", _("Non-compliance")


class ComplianceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADDRESSED = "addressed", _("Addressed")


class ComplianceEvent(models.Model):
    """What the attendance rules found (rete.programmes.rules), once per finding (`key`)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="compliance_events")
    rule = models.CharField(max_length=40)
    level = models.CharField(max_length=16, choices=ComplianceLevel.choices)
    key = models.CharField(max_length=120)
    detail = models.JSONField(default=dict)  # numbers and dates only
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ComplianceStatus.choices, default=ComplianceStatus.OPEN)
    addressed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    addressed_at = models.DateTimeField(null=True, blank=True)
    response = EncryptedTextField(_("what was done"), blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "key"], name="one_compliance_event_per_finding")]
        indexes = [models.Index(fields=["enrolment", "status"])]


# ---- court and probation reports ---------------------------------------------------------------


class ReportKind(models.TextChoices):
    START = "start", _("Start notice")
    PERIODIC = "periodic", _("Attendance and participation report")
    COMPLIANCE = "compliance", _("Compliance notice")
    INTERRUPTION = "interruption", _("Interruption notice")
    FINAL = "final", _("Final outcome report")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed off")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Not needed")


class CourtReport(Versioned, models.Model):
    """A report to the court or probation, generated from the record: a due date first, then a
    draft with the record's facts frozen (`facts`) and the coordinator's assessment, signed off
    by a programme coordinator, then its sending recorded. Never anything about his partner."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="court_reports")
    kind = models.CharField(_("report"), max_length=14, choices=ReportKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    due_on = models.DateField(_("due on"))
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"), null=True, blank=True)
    compliance_event = models.ForeignKey(ComplianceEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    facts = EncryptedJSONField(default=dict, blank=True)
    assessment = EncryptedTextField(_("the programme's assessment"), blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=24, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.JSONField(default=list, blank=True)  # recipient names
    sent_method = models.CharField(_("sent by"), max_length=20, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Part "court-reports": a due report marked as not needed, with the reason (encrypted).
    cancel_reason = EncryptedTextField(_("why it is not needed"), blank=True, default="")
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["enrolment", "kind"]), models.Index(fields=["status", "due_on"])]


# ---- outcome monitoring ---------------------------------------------------------------------------


class Respondent(models.TextChoices):
    MAN = "man", pgettext_lazy("respondent", "The man")
    PARTNER = "partner", pgettext_lazy("respondent", "The (ex-)partner")


class Timepoint(models.TextChoices):
    INTAKE = "intake", _("Intake")
    MID = "mid", _("Mid-way")
    END = "end", _("End")
    FOLLOW_UP = "follow_up", _("Six-month follow-up")


class OutcomeQuestionnaire(models.Model):
    """One version of an outcome questionnaire. `organisation` empty: shipped with Rete;
    otherwise loaded by that organisation under its licence."""

    code = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    definition = models.JSONField()
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_sha256 = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_questionnaire_version")]
        ordering = ["code", "-version"]

    def __str__(self):
        return f"{self.code} v{self.version}"


class OutcomeResponse(models.Model):
    """The man's answers at one timepoint. The partner's answers live with the partner-support
    service (rete.network), never here."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="outcome_responses")
    questionnaire = models.ForeignKey(OutcomeQuestionnaire, on_delete=models.PROTECT, related_name="+")
    timepoint = models.CharField(_("when"), max_length=10, choices=Timepoint.choices)
    answers = EncryptedJSONField(default=dict)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "questionnaire", "timepoint"],
                                               name="one_outcome_response_per_timepoint")]
