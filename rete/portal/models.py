"""The public portal's content: the service directory (shelters never carry an address: their
location is kept from the public on purpose), information pages per country and language with
review and history, campaigns with their events, printed materials and social media posts, and
reach counted per day without tracking anyone."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rete.core.crypto import normalise
from rete.core.models import Country, Versioned


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


class DirectoryEntry(Versioned):
    # The description is written once, in the service's own language: the information pages,
    # not the directory, carry text translated per language.
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


# ---------------------------------------------------------------------------------------------
# Information pages: per country, written and reviewed per language, every version kept.

class InfoPage(models.Model):
    """An information page of one country's part of the portal (e.g. "How to report" in
    Italy). Its text lives in PageVersion rows, one series per language."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    slug = models.SlugField(_("address"), max_length=80,
                            help_text=_("The last part of the page's web address: lower-case letters, digits and hyphens."))
    position = models.PositiveSmallIntegerField(_("position in the list"), default=100)
    for_professionals = models.BooleanField(_("for professionals outside the field"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["country", "position", "slug"]
        constraints = [models.UniqueConstraint(fields=["country", "slug"], name="portal_page_slug_per_country")]

    def __str__(self):
        return f"{self.country}/{self.slug}"


class PageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a later version")
    RETURNED = "returned", _("Returned with comments")


class PageVersion(Versioned):
    """One version of a page in one language. Drafts are edited (optimistic locking); once
    submitted a version's text never changes: review publishes it or returns it with comments,
    and the next edit starts a new version. The published one is what visitors read."""

    page = models.ForeignKey(InfoPage, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True,
                               help_text=_("One or two sentences, shown in lists and on printed materials."))
    body = models.TextField(_("text"), help_text=_("Paragraphs, headings (## Heading), lists (- item) and links ([text](address))."))
    status = models.CharField(_("status"), max_length=20, choices=PageStatus.choices, default=PageStatus.DRAFT)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comments"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        ordering = ["page", "language", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "language", "number"], name="portal_page_version_number"),
            # At most one published version per page and language: what visitors read is never ambiguous.
            models.UniqueConstraint(fields=["page", "language"], condition=Q(status="published"),
                                    name="portal_one_published_version"),
        ]
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self):
        return f"{self.page} [{self.language}] v{self.number}"


# ---------------------------------------------------------------------------------------------
# Campaigns, events, materials and social media posts: per country, run by content editors.

class Campaign(Versioned):
    """An awareness campaign: groups the events, materials and posts it runs, and is what reach
    is reported by."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short code"), max_length=40, unique=True,
                            help_text=_("Appears in the links of the campaign's materials and posts, to count visits."))
    aim = models.TextField(_("aim and audience"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="portal_campaign_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    INFO_DAY = "info_day", _("Information day")
    STAND = "stand", _("Information stand")
    TALK = "talk", _("Talk or debate")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    OTHER = "other", _("Other")


class PublicEvent(Versioned):
    """An info day or other public event on the portal's calendar."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organiser"), on_delete=models.PROTECT,
                                     related_name="+")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="events")
    kind = models.CharField(_("kind of event"), max_length=20, choices=EventKind.choices, default=EventKind.INFO_DAY)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language of the event"), max_length=8, choices=settings.LANGUAGES)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    published = models.BooleanField(_("published"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public event")
        verbose_name_plural = _("public events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["published", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="portal_event_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class MaterialKind(models.TextChoices):
    LEAFLET = "leaflet", _("Leaflet (A5)")
    POSTER = "poster", _("Poster (A3)")
    CARD = "card", _("Pocket card (A7)")


class Material(Versioned):
    """A printed information material composed from a published page: its title and summary
    (leaflet: the whole text), the country's helplines, 112 and a QR code to the page. Generated
    as a print-ready PDF in any language the page is published in."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="materials")
    page = models.ForeignKey(InfoPage, verbose_name=_("information page"), on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("format"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.LEAFLET)
    name = models.CharField(_("name"), max_length=200, help_text=_("For the team; the printed title is the page's title."))
    show_directory = models.BooleanField(_("list the country's services"), default=True)
    published = models.BooleanField(_("offered for download on the portal"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("information material")
        verbose_name_plural = _("information materials")
        ordering = ["country", "name"]

    def __str__(self):
        return self.name


class SocialChannel(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned with comments")


class SocialPost(Versioned):
    """A post on the content calendar: one channel, one language, scheduled; approved by someone
    other than its author, then exported as a pack (text, image, alt text) for publishing."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="posts")
    channel = models.CharField(_("channel"), max_length=20, choices=SocialChannel.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("text"))
    link_page = models.ForeignKey(InfoPage, verbose_name=_("links to the page"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    image = models.BinaryField(_("image"), blank=True, default=b"", editable=False)
    image_name = models.CharField(_("image file name"), max_length=200, blank=True)
    image_type = models.CharField(max_length=40, blank=True)
    image_alt = models.CharField(_("image description (alt text)"), max_length=1000, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT)
    review_comment = models.TextField(_("review comments"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("social media post")
        verbose_name_plural = _("social media posts")
        ordering = ["scheduled_for", "pk"]
        indexes = [models.Index(fields=["campaign", "scheduled_for"])]
        constraints = [
            # An image without a description excludes people who use screen readers.
            models.CheckConstraint(condition=Q(image_name="") | ~Q(image_alt=""), name="portal_post_image_has_alt"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.scheduled_for:%Y-%m-%d}"


# ---------------------------------------------------------------------------------------------
# Reach without tracking: daily counters, nothing about who.

class ReachKind(models.TextChoices):
    PAGE_VIEW = "page_view", _("Page views")
    MATERIAL_DOWNLOAD = "material_download", _("Material downloads")
    CAMPAIGN_VISIT = "campaign_visit", _("Visits from campaign links")
    CALENDAR_DOWNLOAD = "calendar_download", _("Calendar downloads")
    HEARD_ABOUT = "heard_about", _("How contact requests heard about us")


class ReachCount(models.Model):
    """How many times something happened on a day: a page shown, a material downloaded, a
    campaign link followed. No identifier, address, cookie or time of day is ever kept."""

    day = models.DateField()
    kind = models.CharField(max_length=20, choices=ReachKind.choices)
    key = models.CharField(max_length=120)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=8, blank=True)
    # The campaign's id, 0 for none: a plain number rather than a nullable key, so that the
    # unique constraint below holds on every database (NULLs never collide).
    campaign_ref = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "key", "country", "language", "campaign_ref"],
                                    name="portal_reach_one_counter"),
        ]
        indexes = [models.Index(fields=["kind", "day"]), models.Index(fields=["campaign_ref", "day"])]
