"""Mutual learning: good practices (the EIGE review, pilots that verify them), and training
events (registration, attendance, Kirkpatrick evaluation, certificates).

Practice texts are reference content written for publication: translated per field
(rete/learning/translation.py), searchable, not encrypted (the form says to keep personal data
out of them). What is personal is encrypted: a practice's contact, a participant's name and
e-mail, free-text answers of participants."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import EncryptedBinaryField, EncryptedCharField, EncryptedTextField
from rete.core.models import Country, OrganisationKind, Versioned

# ---- good practices --------------------------------------------------------------------------


class Pillar(models.TextChoices):
    """The four Ps under which EIGE groups practices."""

    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", _("Prosecution")
    PROVISION = "provision", _("Provision of services")


class TargetGroup(models.TextChoices):
    SURVIVORS = "survivors", _("Women survivors of violence")
    CHILDREN = "children", _("Children and young people")
    PERPETRATORS = "perpetrators", _("Perpetrators")
    PROFESSIONALS = "professionals", _("Professionals")
    MIGRANTS = "migrants", _("Migrant and refugee women")
    DISABILITIES = "disabilities", _("Women with disabilities")
    OLDER = "older", _("Older women")
    LGBTI = "lgbti", _("LGBTI people")
    PUBLIC = "public", _("The general public")


class ViolenceForm(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate-partner violence")
    DOMESTIC = "domestic", _("Domestic violence")
    SEXUAL = "sexual", _("Sexual violence")
    STALKING = "stalking", _("Stalking")
    PSYCHOLOGICAL = "psychological", _("Psychological violence")
    ECONOMIC = "economic", _("Economic violence")
    ONLINE = "online", _("Online violence")
    FGM = "fgm", _("Female genital mutilation")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    TRAFFICKING = "trafficking", _("Trafficking")


class Facet(models.TextChoices):
    TARGET_GROUP = "target_group", _("target group")
    VIOLENCE_FORM = "violence_form", _("form of violence")


FACET_CHOICES = {Facet.TARGET_GROUP: TargetGroup, Facet.VIOLENCE_FORM: ViolenceForm}

# The fields of a practice translated per language, in the order the record shows them.
PRACTICE_TEXT_FIELDS = ("title", "summary", "description", "how_it_works", "evidence", "resources",
                        "sustainability", "transferability")


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    IN_REVIEW = "in_review", _("In review")
    PROMISING = "promising", _("Promising")
    NOT_PROMISING = "not_promising", _("Not promising")
    SELECTED = "selected", _("Selected")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Practice(Versioned, models.Model):
    """A practice one organisation shares with the network. `source_revisions` counts the edits
    of each field in the source language; `translation_revisions[lang][field]` is the source
    revision a translation was made from, so a translation made before the source changed is
    flagged (rete.learning.translations)."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="practices")
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    source_language = models.CharField(_("written in"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    how_it_works = models.TextField(_("how it works, step by step"), blank=True)
    evidence = models.TextField(_("evidence and evaluation"), blank=True)
    resources = models.TextField(_("resources needed"), blank=True)
    sustainability = models.TextField(_("sustainability"), blank=True)
    transferability = models.TextField(_("transferability"), blank=True)
    # Who to ask about it: a person's name and work contact, so encrypted.
    contact = EncryptedTextField(_("contact"), blank=True, default="")
    started_on = models.DateField(_("running since"), null=True, blank=True)
    # The owner's choice: a published practice also appears on the public portal.
    public = models.BooleanField(_("also publish on the public portal"), default=False)
    source_revisions = models.JSONField(default=dict, editable=False)
    translation_revisions = models.JSONField(default=dict, editable=False)
    # The grid it is reviewed on, fixed when it passes the basic check.
    grid = models.ForeignKey("learning.ReviewGrid", null=True, blank=True, on_delete=models.PROTECT, related_name="practices")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["status", "country"]), models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return self.title


class PracticeFacet(models.Model):
    """One target group or form of violence of a practice (a row each, so that filters are plain
    joins on both databases)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20, choices=Facet.choices)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "facet", "value"], name="one_practice_facet")]
        indexes = [models.Index(fields=["facet", "value"])]


class PracticeSearchText(models.Model):
    """A practice's text in one language, normalised (lower case, no accents) for full-text
    search: PostgreSQL's text search or SQLite's FTS5 over this column (rete.learning.search)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="search_texts")
    language = models.CharField(max_length=8)
    document = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "language"], name="one_search_text_per_language")]


class PracticeAttachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class PracticeStateChange(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="state_changes")
    from_status = models.CharField(max_length=20, choices=PracticeStatus.choices)
    to_status = models.CharField(max_length=20, choices=PracticeStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]


class ReviewGrid(models.Model):
    """The criteria a practice is checked and scored against. A grid in use by a practice never
    changes: the coordinators copy it into a new version and activate that one."""

    name = models.CharField(_("name"), max_length=120)
    number = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("used for new reviews"), default=False)
    # Weighted mean score (0–100) from which a practice is proposed as promising.
    threshold = models.DecimalField(_("threshold for promising (0–100)"), max_digits=5, decimal_places=2, default=60)
    reviews_needed = models.PositiveSmallIntegerField(_("reviews needed"), default=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active", "-number", "-pk"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_review_grid")]

    def __str__(self):
        return f"{self.name} v{self.number}"


class CriterionKind(models.TextChoices):
    BASIC = "basic", _("Basic criterion (yes or no)")
    SCORED = "scored", _("Scored criterion")


class ReviewCriterion(models.Model):
    grid = models.ForeignKey(ReviewGrid, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["grid", "kind", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["grid", "key"], name="one_criterion_key_per_grid")]


class PracticeCheck(models.Model):
    """The check against the basic criteria (EIGE's first step): all met → in review."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="checks")
    grid = models.ForeignKey(ReviewGrid, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)  # criterion key → bool
    passed = models.BooleanField()
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class PracticeReview(models.Model):
    """One reviewer's scores on the practice's grid; `weighted` (0–100) by rete.learning.scoring."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    grid = models.ForeignKey(ReviewGrid, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)  # criterion key → int
    weighted = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment for the coordinators"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["practice", "reviewer", "grid"], name="one_review_per_reviewer")]


class PilotStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class PilotConclusion(models.TextChoices):
    CONFIRMED = "confirmed", _("The practice worked as expected")
    PARTLY = "partly", _("It worked in part")
    NOT_CONFIRMED = "not_confirmed", _("It did not work here")


class Pilot(Versioned, models.Model):
    """An organisation tries a published practice: what it adapted, for how long, what it
    measured before and after. A completed pilot is part of the practice's evidence."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="pilots")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="pilots")
    status = models.CharField(_("status"), max_length=12, choices=PilotStatus.choices, default=PilotStatus.PLANNED)
    adaptation = models.TextField(_("what was adapted, and why"), blank=True)
    starts_on = models.DateField(_("pilot starts"))
    ends_on = models.DateField(_("pilot ends"))
    result_summary = models.TextField(_("results"), blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=PilotConclusion.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]


class MeasuredAmong(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionals")
    CLIENTS = "clients", _("Clients")
    PARTICIPANTS = "participants", _("Participants")


class PilotIndicator(models.Model):
    """A measure taken before and after the pilot (the mean of a pre- and a post-questionnaire, a
    rate, a count). `higher_is_better` says which way is an improvement."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    measured_among = models.CharField(_("measured among"), max_length=20, choices=MeasuredAmong.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    higher_is_better = models.BooleanField(_("a higher value is better"), default=True)
    pre_value = models.DecimalField(_("before"), max_digits=10, decimal_places=2, null=True, blank=True)
    post_value = models.DecimalField(_("after"), max_digits=10, decimal_places=2, null=True, blank=True)
    pre_n = models.PositiveIntegerField(_("answers before"), null=True, blank=True)
    post_n = models.PositiveIntegerField(_("answers after"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pilot", "order", "pk"]


# ---- training events -------------------------------------------------------------------------


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Transnational seminar")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingEvent(Versioned, models.Model):
    """A seminar, workshop, training or webinar hosted by one organisation. Its trainers and
    network coordinators run it; staff of the network register themselves, outside professionals
    through an invitation link."""

    host = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="training_events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    online = models.BooleanField(_("online"), default=False)
    # Given to registered participants only.
    online_link = models.URLField(_("link to join online"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Rome")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    capacity = models.PositiveIntegerField(_("places"))
    languages = models.JSONField(_("languages"), default=list)
    interpretation = models.CharField(_("interpretation"), max_length=200, blank=True)
    registration_closes_on = models.DateField(_("registration closes"), null=True, blank=True)
    # Share of the sessions a participant attends (present or late) to receive a certificate.
    certificate_min_attendance = models.PositiveSmallIntegerField(_("attendance needed for a certificate (%)"), default=75)
    follow_up_after_days = models.PositiveSmallIntegerField(_("follow-up questionnaire after (days)"), default=90)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["status", "starts_on"]), models.Index(fields=["host", "starts_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start")]

    def __str__(self):
        return self.title


class EventSession(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    speakers = models.CharField(_("speakers"), max_length=400, blank=True)

    class Meta:
        ordering = ["event", "starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start")]

    def __str__(self):
        return self.title


class EventMaterial(models.Model):
    """Slides, papers, handouts: for the event's participants and its staff."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class Invitation(models.Model):
    """A link outside professionals register through. Only a hash of its token is kept."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="invitations")
    label = models.CharField(_("for whom"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField(_("valid until"))
    max_uses = models.PositiveIntegerField(_("registrations allowed"), null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Profession(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist or counsellor")
    LAWYER = "lawyer", _("Lawyer or legal adviser")
    POLICE = "police", _("Police officer")
    HEALTH = "health", _("Health professional")
    TEACHER = "teacher", _("Teacher or educator")
    FACILITATOR = "facilitator", _("Programme facilitator")
    MAGISTRATE = "magistrate", _("Judge or prosecutor")
    RESEARCHER = "researcher", _("Researcher")
    OTHER = "other", _("Other profession")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    NOT_SAID = "not_said", _("Prefers not to say")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A participant of an event: a member of the network (`user`) or an outside professional
    (who came through `invitation` and reaches her registration with a personal link, kept as a
    hash). The profile fields feed the funders' report."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="training_registrations")
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations")
    full_name = EncryptedCharField(_("full name"), form_max_length=200)
    email = EncryptedCharField(_("e-mail address"), form_max_length=254)
    email_index = models.CharField(max_length=64)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation_kind = models.CharField(_("kind of organisation"), max_length=30, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices + [("XX", _("Another country"))])
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    language = models.CharField(_("language for e-mails and the certificate"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True)
    certificate_code = models.CharField(max_length=20, null=True, blank=True, unique=True)
    certificate_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email_index"], name="one_registration_per_email"),
            models.UniqueConstraint(fields=["event", "user"], condition=models.Q(user__isnull=False), name="one_registration_per_user"),
        ]
        indexes = [models.Index(fields=["event", "status"])]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class SessionAttendance(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="one_training_attendance_per_session")]


# ---- evaluation (Kirkpatrick levels 1–3) ------------------------------------------------------


class TestItem(models.Model):
    """A multiple-choice question of the event's knowledge test, asked before and after."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="test_items")
    order = models.PositiveSmallIntegerField(default=0)
    question = models.TextField(_("question"))
    options = models.JSONField(_("answers"), default=list)  # list of strings
    correct = models.PositiveSmallIntegerField(_("correct answer"))  # index into options

    class Meta:
        ordering = ["event", "order", "pk"]


class TestPhase(models.TextChoices):
    PRE = "pre", _("Before the training")
    POST = "post", _("After the training")


class TestAttempt(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="test_attempts")
    phase = models.CharField(max_length=4, choices=TestPhase.choices)
    answers = models.JSONField(default=dict)  # item id (str) → chosen index
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "phase"], name="one_test_attempt_per_phase")]


class SatisfactionResponse(models.Model):
    """Level 1: the participant's reaction (items in rete.learning.evaluation)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="satisfaction")
    answers = models.JSONField(default=dict)  # item key → 1..5
    comment = EncryptedTextField(_("comment"), blank=True, default="")
    submitted_at = models.DateTimeField(auto_now_add=True)


class FollowUpResponse(models.Model):
    """Level 3: what changed in the participant's practice some months later."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="follow_up")
    answers = models.JSONField(default=dict)  # item key → value
    examples = EncryptedTextField(_("examples"), blank=True, default="")
    submitted_at = models.DateTimeField(auto_now_add=True)
