"""Risk assessment: instruments (definitions loaded from files, see docs/risk-instruments.md),
assessments of a subject (a victim-support case today, a programme enrolment later), the
actions a band mandates, and each subject's current risk status. The risk app never imports the
apps whose records it assesses: a subject is (type, id), resolved through rete.risk.subjects."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import EncryptedJSONField, EncryptedTextField
from rete.core.models import Organisation, Versioned


class Assesses(models.TextChoices):
    VICTIM = "victim", _("Her situation")
    PERPETRATOR = "perpetrator", _("The perpetrator")


class Instrument(models.Model):
    """One version of an instrument. `organisation` empty: shipped with Rete, usable by every
    organisation; otherwise loaded by that organisation (under its licence) for its own use."""

    code = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    assesses = models.CharField(max_length=12, choices=Assesses.choices)
    definition = models.JSONField()
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_sha256 = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_instrument_version")]
        ordering = ["code", "-version"]

    def __str__(self):
        return f"{self.code} v{self.version}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed off")


class RiskAssessment(Versioned, models.Model):
    """One assessment with one instrument version. A draft is saved as she answers; once signed
    it never changes (a correction is a new assessment pointing to the one it corrects)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=20)
    subject_id = models.PositiveIntegerField()
    subject_reference = models.CharField(max_length=60)
    status = models.CharField(max_length=8, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    answers = EncryptedJSONField(default=dict, blank=True)  # item code -> option code
    item_notes = EncryptedJSONField(default=dict, blank=True)  # item code -> text
    score = models.FloatField(null=True, blank=True)
    computed_band = models.CharField(max_length=40, blank=True)
    override_band = models.CharField(max_length=40, blank=True)
    override_reason = EncryptedTextField(blank=True, default="")
    band = models.CharField(max_length=40, blank=True)  # the band in force: the override if any
    band_rank = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 = lowest band of the instrument
    rationale = EncryptedTextField(blank=True, default="")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-signed_at"]),
            models.Index(fields=["organisation", "status", "band_rank"]),
        ]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("No longer needed")


class RiskAction(models.Model):
    """A task a signed band mandates (e.g. refer to the risk conference within 2 days). Its
    wording lives in the instrument's definition under `code`, in every language."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=20)
    subject_id = models.PositiveIntegerField()
    subject_reference = models.CharField(max_length=60)
    code = models.CharField(max_length=60)
    agency = models.CharField(max_length=30)
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True, default="")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "status"])]


class ReassessmentReason(models.TextChoices):
    SCHEDULE = "schedule", _("Scheduled by the band")
    NEW_INCIDENT = "new_incident", _("A new incident")
    ORDER_BREACH = "order_breach", _("A breach of a protection order")
    PERPETRATOR_RELEASE = "perpetrator_release", _("The perpetrator's release from custody")
    SEPARATION = "separation", _("Separation")
    CHILD_CONTACT_CHANGE = "child_contact_change", _("A change in child contact")


class RiskStatus(models.Model):
    """Each subject's risk now: the signed assessment in force, its band, and when the next
    reassessment is due (by the band's interval or at once after an event). One row per
    subject, so caseloads and start pages join one table instead of searching the history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=20)
    subject_id = models.PositiveIntegerField()
    subject_reference = models.CharField(max_length=60)
    assessment = models.ForeignKey(RiskAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=40, blank=True)
    band_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    band_is_top = models.BooleanField(default=False)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    due_reason = models.CharField(max_length=24, choices=ReassessmentReason.choices, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="one_risk_status_per_subject")]
        indexes = [models.Index(fields=["organisation", "band_rank"])]
