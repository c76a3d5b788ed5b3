"""The service directory: where to find help, by place, need and country (public reference
content). Shelters never carry an address: their location is kept from the public on purpose."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import normalise
from rete.core.models import Country


class EntryKind(models.TextChoices):
    VICTIM_SUPPORT = "victim_support", _("Victim support centre")
    SHELTER = "shelter", _("Shelter")
    HELPLINE = "helpline", _("Helpline")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health service")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SOCIAL_SERVICES = "social_services", _("Social services")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Programme for men who want to stop using violence")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    TALK = "talk", _("Talk to someone")
    ACCOMMODATION = "accommodation", _("Safe accommodation")
    LEGAL = "legal", _("Legal advice")
    POLICE = "police", _("Report to the police")
    MEDICAL = "medical", _("Medical help")
    CHILDREN = "children", _("Support for children")
    SOMEONE_I_KNOW = "someone_i_know", _("Help for someone I know")
    MEN_STOP = "men_stop", _("Help for men who want to stop")


class DirectoryEntry(models.Model):
    # One description for now: per-language translation comes with the content editing work.
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of service"), max_length=30, choices=EntryKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    postal_codes = models.CharField(_("postal codes served"), max_length=300, blank=True,
                                    help_text=_("Codes or prefixes, separated by spaces."))
    address = models.CharField(_("address"), max_length=300, blank=True,
                               help_text=_("Never for shelters: their location is not published."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    open_24_7 = models.BooleanField(_("open day and night"), default=False)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    needs = models.JSONField(_("needs it helps with"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="directory_entries")
    # Accent- and case-folded name, place and postal codes, for search on any database.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        ordering = ["country", "city", "name"]
        indexes = [models.Index(fields=["published", "country"])]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="shelter") | Q(address=""), name="portal_shelter_has_no_address"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_shelter(self):
        return self.kind == EntryKind.SHELTER

    def build_search_text(self):
        self.search_text = normalise(" ".join([self.name, self.city, self.region, self.postal_codes]))

    def clean(self):
        if self.is_shelter and self.address.strip():
            raise ValidationError({"address": _("A shelter's address is never published: leave it empty.")})
        unknown = [code for code in self.needs or [] if code not in Need.values]
        if unknown:
            raise ValidationError({"needs": _("Unknown needs: %(codes)s") % {"codes": ", ".join(map(str, unknown))}})
        self.build_search_text()
