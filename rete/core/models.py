"""Organisations, people, their roles, and the audit trail."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rete.core.crypto import EncryptedCharField


class Country(models.TextChoices):
    CYPRUS = "CY", _("Cyprus")
    ITALY = "IT", _("Italy")
    CZECHIA = "CZ", _("Czechia")
    BULGARIA = "BG", _("Bulgaria")


class OrganisationKind(models.TextChoices):
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    SHELTER = "shelter", _("Shelter")
    POLICE = "police", _("Police")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")
    SOCIAL_SERVICE = "social_service", _("Social service")
    HEALTH = "health", _("Health service")
    JUSTICE = "justice", _("Justice")
    COORDINATION = "coordination", _("Network coordination")
    HELPLINE = "helpline", _("Helpline")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    POLICE_OFFICER = "police_officer", _("Police officer")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTNER_SUPPORT_WORKER = "partner_support_worker", _("Partner-support worker")
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Programme coordinator")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    TRAINER = "trainer", _("Trainer")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    DPO = "dpo", _("Data-protection officer")


class Versioned(models.Model):
    """Optimistic locking: a save names the version it edited; a stale one is refused."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaffUserManager(UserManager):
    def create_user(self, email, password=None, **extra):
        extra.setdefault("username", email.lower())
        return super().create_user(extra.pop("username"), email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("username", email.lower())
        return super().create_superuser(extra.pop("username"), email, password, **extra)


class User(Versioned, AbstractUser):
    """A person who signs in: staff of a member organisation, a platform administrator or a
    service account for the API. Visitors of the public portal never have one."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Rome")
    # A work phone colleagues may call about urgent matters; personal data, so encrypted.
    phone = EncryptedCharField(_("work phone"), blank=True, default="", form_max_length=40)
    is_service_account = models.BooleanField(_("service account"), default=False)

    REQUIRED_FIELDS = ["first_name", "last_name"]
    USERNAME_FIELD = "email"
    objects = StaffUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email


class Organisation(Versioned, models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    kinds = models.JSONField(_("kinds of service"), default=list)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    languages = models.JSONField(_("working languages"), default=list)
    # Need to know by default; an organisation may decide that every member sees every record.
    org_wide_visibility = models.BooleanField(_("all members see all records"), default=False)
    # As Primero does for GBV: lists show references only, names appear on the record itself.
    hide_names_in_lists = models.BooleanField(_("hide names in lists"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def get_kinds_display(self):
        labels = dict(OrganisationKind.choices)
        return [labels.get(kind, kind) for kind in self.kinds]

    def get_languages_display(self):
        labels = dict(settings.LANGUAGES)
        return [labels.get(code, code) for code in self.languages]


class Membership(models.Model):
    """A person's role at an organisation. Ending a membership keeps the row for the record."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_role",
            )
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class AuditEvent(models.Model):
    """Append-only and hash-chained: each event's hash covers its content and the previous
    hash, so `rete audit verify` finds any event altered or removed. On PostgreSQL a trigger
    refuses UPDATE and DELETE on this table."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = pgettext_lazy("audit", "audit event")
        verbose_name_plural = pgettext_lazy("audit", "audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["organisation", "-seq"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "-seq"]),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class AuditVerification(models.Model):
    """The result of each run of `rete audit verify`, shown to the data-protection officer."""

    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    events_checked = models.BigIntegerField()
    first_bad_seq = models.BigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True)
    run_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]
