"""Campaigns and their social media posts: every write, keyword-only, atomic, audited in the same
transaction. A campaign belongs to one country (and one of the editor's organisations there); a
post is written and submitted by its author, approved or returned by someone else who has the
country in scope (four eyes), marked as published once posted, and exported as a pack (text,
image, alt text) for publishing by hand: Rete never talks to a social network itself."""
import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from rete.core import access, audit
from rete.core.services import ServiceError, StaleEdit, versioned_update
from rete.portal.models import Campaign, InfoPage, PostStatus, SocialChannel, SocialPost
from rete.portal.reach import CAMPAIGN_PARAMETER

# The longest text each network accepts, in characters: the one table the form, its help and the
# checks below all read.
CHANNEL_LIMITS = {
    SocialChannel.X: 280,
    SocialChannel.BLUESKY: 300,
    SocialChannel.MASTODON: 500,
    SocialChannel.INSTAGRAM: 2200,
    SocialChannel.FACEBOOK: 63206,
    SocialChannel.LINKEDIN: 3000,
    SocialChannel.TIKTOK: 2200,
    SocialChannel.YOUTUBE: 5000,
}

EDITABLE = (PostStatus.DRAFT, PostStatus.RETURNED)
EXPORTABLE = (PostStatus.APPROVED, PostStatus.PUBLISHED)

# Images: the type is decided by the file's first bytes, and the name must agree with it.
IMAGE_TYPES = {
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "webp": ("image/webp", (".webp",)),
}
DEFAULT_IMAGE_MAX_BYTES = 5 * 1024 * 1024


def image_max_bytes() -> int:
    return int(getattr(settings, "RETE_POST_IMAGE_MAX_BYTES", DEFAULT_IMAGE_MAX_BYTES))


def image_too_large_message() -> str:
    from rete.cases.documents import human_size

    return _("The image is too large: the limit is %(size)s. Save it smaller (for example at a lower resolution) "
             "and choose it again.") % {"size": human_size(image_max_bytes())}


@dataclass(frozen=True)
class Image:
    """An image as uploaded: the name she gave it and its bytes (checked by check_image)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedImage:
    filename: str
    content_type: str
    data: bytes


def image_kind(data: bytes) -> str | None:
    """What the bytes are, from their signature: PNG, JPEG or WebP (RIFF container)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_image(image: Image) -> CheckedImage:
    """Accept a PNG, JPEG or WebP image within the size limit, or say why not (ServiceError on
    the "image" field). What the browser claims about the type is ignored."""
    from rete.cases.documents import clean_filename

    name = clean_filename(image.filename)
    data = bytes(image.data or b"")
    if not name or not data:
        raise ServiceError(_("The image file is empty or has no name."), field="image")
    if len(data) > image_max_bytes():
        raise ServiceError(image_too_large_message(), field="image")
    kind = image_kind(data)
    if kind is None:
        raise ServiceError(_("Only PNG, JPEG or WebP images can be added, and this file is none of them "
                             "(its content was checked, not only its name)."), field="image")
    content_type, extensions = IMAGE_TYPES[kind]
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in extensions:
        raise ServiceError(_("The file's name (%(name)s) does not match its content, which is a %(kind)s image. "
                             "Rename it to end in %(extension)s and choose it again.")
                           % {"name": name, "kind": kind.upper(), "extension": extensions[0]}, field="image")
    return CheckedImage(filename=name, content_type=content_type, data=data)


# ---- scope ----------------------------------------------------------------------------------


def _countries(by) -> list[str]:
    from rete.portal.selectors import editor_countries

    return editor_countries(user=by)


def _require_country(by, country):
    """Out of her countries is out of reach: the same 404 as a record that does not exist."""
    if country not in _countries(by):
        access.deny()


def _her_organisation(by, organisation_id, country, *, current=None):
    """One of her organisations in the country; or the campaign's own organisation, kept as it
    is when a colleague from another organisation of the country edits the campaign."""
    from rete.portal.selectors import editor_organisations

    choices = list(editor_organisations(user=by)) + ([current] if current is not None else [])
    organisation = next((o for o in choices if str(o.pk) == str(organisation_id)), None)
    if organisation is None:
        raise ServiceError(_("Choose one of your organisations."), field="organisation")
    if organisation.country != country:
        raise ServiceError(_("The organisation must be in the campaign's country."), field="organisation")
    return organisation


# ---- campaigns ------------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("country", "organisation_id", "name", "slug", "aim", "starts_on", "ends_on")


def _campaign_values(by, *, country, organisation_id, name, slug, aim, starts_on, ends_on, exclude_pk=None,
                     current_organisation=None) -> dict:
    _require_country(by, country)
    organisation = _her_organisation(by, organisation_id, country, current=current_organisation)
    name, slug, aim = (name or "").strip(), (slug or "").strip().lower(), (aim or "").strip()
    if not name:
        raise ServiceError(_("Give the campaign a name."), field="name")
    if not slug:
        raise ServiceError(_("Give the campaign a short code."), field="slug")
    if starts_on is None:
        raise ServiceError(_("Give the date the campaign starts."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(_("The end date cannot be before the start date."), field="ends_on")
    if Campaign.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        raise ServiceError(_("Another campaign already uses this short code: choose another one."), field="slug")
    return {"country": country, "organisation_id": organisation.pk, "name": name, "slug": slug, "aim": aim,
            "starts_on": starts_on, "ends_on": ends_on}


def _slug_taken():
    return ServiceError(_("Another campaign already uses this short code: choose another one."), field="slug")


@transaction.atomic
def campaign_create(*, by, country, organisation_id, name, slug, aim, starts_on, ends_on) -> Campaign:
    values = _campaign_values(by, country=country, organisation_id=organisation_id, name=name, slug=slug, aim=aim,
                              starts_on=starts_on, ends_on=ends_on)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(created_by=by, **values)
    except IntegrityError:  # the same code taken at the same moment by someone else
        raise _slug_taken() from None
    audit.record(action="portal.campaign_created", actor=by, organisation=campaign.organisation, obj=campaign,
                 detail={"country": campaign.country})
    return campaign


@transaction.atomic
def campaign_update(*, by, campaign: Campaign, version, country, organisation_id, name, slug, aim, starts_on, ends_on) -> Campaign:
    """A versioned save: a stale version raises StaleEdit with the saved campaign."""
    _require_country(by, campaign.country)
    values = _campaign_values(by, country=country, organisation_id=organisation_id, name=name, slug=slug, aim=aim,
                              starts_on=starts_on, ends_on=ends_on, exclude_pk=campaign.pk,
                              current_organisation=campaign.organisation)
    before = Campaign.objects.get(pk=campaign.pk)
    changed = sorted(field for field, value in values.items() if getattr(before, field) != value)
    if not changed:
        if before.version != version:
            raise StaleEdit(before)
        return before
    try:
        with transaction.atomic():
            versioned_update(Campaign, pk=campaign.pk, version=version, **values)
    except IntegrityError:
        raise _slug_taken() from None
    saved = Campaign.objects.select_related("organisation").get(pk=campaign.pk)
    audit.record(action="portal.campaign_changed", actor=by, organisation=saved.organisation, obj=saved,
                 detail={"fields": [field.removesuffix("_id") for field in changed]})
    return saved


# ---- posts ----------------------------------------------------------------------------------


def post_link(*, campaign: Campaign, page: InfoPage | None, language: str) -> str:
    """The address the post links to: the information page in the post's language, with the
    campaign's code so that visits from it are counted (no one is identified)."""
    if page is None:
        return ""
    with translation.override(language):
        try:
            path = reverse("portal:info_page", kwargs={"country": page.country.lower(), "slug": page.slug})
        except NoReverseMatch:  # the information pages are not installed: the portal's home page
            path = reverse("portal:home")
    return f"{settings.RETE_BASE_URL.rstrip('/')}{path}?{CAMPAIGN_PARAMETER}={campaign.slug}"


def composed_text(text: str, link: str) -> str:
    """What is published: her text, then the link on its own line."""
    return f"{text.strip()}\n\n{link}" if link else text.strip()


def _link_page(by, link_page_id):
    if not link_page_id:
        return None
    page = InfoPage.objects.filter(pk=link_page_id, country__in=_countries(by)).first()
    if page is None:
        raise ServiceError(_("Choose one of your countries' information pages."), field="link_page")
    return page


def _post_values(by, campaign, *, channel, language, text, link_page_id, image_alt, scheduled_for, has_image) -> dict:
    if channel not in CHANNEL_LIMITS:
        raise ServiceError(_("Choose a channel."), field="channel")
    if language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Choose a language."), field="language")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ServiceError(_("Write the text of the post."), field="text")
    page = _link_page(by, link_page_id)
    published = composed_text(text, post_link(campaign=campaign, page=page, language=language))
    limit = CHANNEL_LIMITS[channel]
    if len(published) > limit:
        raise ServiceError(
            _("Too long for %(channel)s: %(count)s characters with the link, and the limit is %(limit)s.")
            % {"channel": SocialChannel(channel).label, "count": len(published), "limit": limit}, field="text")
    image_alt = (image_alt or "").strip()
    if has_image and not image_alt:
        raise ServiceError(_("Describe the image (alt text): people who use screen readers hear this description "
                             "instead of seeing the image, and without it the post leaves them out."), field="image_alt")
    if len(image_alt) > 1000:
        raise ServiceError(_("Keep the image description under 1000 characters."), field="image_alt")
    if scheduled_for is None:
        raise ServiceError(_("Give the date and time the post is planned for."), field="scheduled_for")
    return {"channel": channel, "language": language, "text": text, "link_page_id": page.pk if page else None,
            "image_alt": image_alt if has_image else "", "scheduled_for": scheduled_for}


@transaction.atomic
def post_create(*, by, campaign: Campaign, channel, language, text, link_page_id=None, image: Image | None = None,
                image_alt="", scheduled_for) -> SocialPost:
    _require_country(by, campaign.country)
    checked = check_image(image) if image is not None else None
    values = _post_values(by, campaign, channel=channel, language=language, text=text, link_page_id=link_page_id,
                          image_alt=image_alt, scheduled_for=scheduled_for, has_image=checked is not None)
    if checked is not None:
        values.update(image=checked.data, image_name=checked.filename, image_type=checked.content_type)
    post = SocialPost.objects.create(campaign=campaign, created_by=by, status=PostStatus.DRAFT, **values)
    audit.record(action="portal.post_created", actor=by, organisation=campaign.organisation, obj=post,
                 detail={"campaign": campaign.pk, "channel": post.channel, "language": post.language,
                         "image": checked is not None})
    return post


def _require_author(by, post):
    if post.created_by_id != by.pk:
        raise ServiceError(_("Only the post's author can change or submit it."))


def _require_editable(post):
    if post.status not in EDITABLE:
        raise ServiceError(_("Only drafts and returned posts can be changed."))


@transaction.atomic
def post_update(*, by, post: SocialPost, version, channel, language, text, link_page_id=None, image: Image | None = None,
                remove_image=False, image_alt="", scheduled_for) -> SocialPost:
    """Her draft (or returned post), saved with optimistic locking. A new image replaces the old
    one; `remove_image` drops it. The stored image keeps needing its description."""
    campaign = post.campaign
    _require_country(by, campaign.country)
    before = SocialPost.objects.defer("image").get(pk=post.pk)
    if before.version != version:
        raise StaleEdit(before)
    _require_author(by, before)
    _require_editable(before)
    checked = check_image(image) if image is not None else None
    has_image = checked is not None or (bool(before.image_name) and not remove_image)
    values = _post_values(by, campaign, channel=channel, language=language, text=text, link_page_id=link_page_id,
                          image_alt=image_alt, scheduled_for=scheduled_for, has_image=has_image)
    changed = sorted(field.removesuffix("_id") for field, value in values.items() if getattr(before, field) != value)
    if checked is not None:
        values.update(image=checked.data, image_name=checked.filename, image_type=checked.content_type)
        changed.append("image")
    elif remove_image and before.image_name:
        values.update(image=b"", image_name="", image_type="")
        changed.append("image")
    if not changed:
        return before
    versioned_update(SocialPost, pk=post.pk, version=version, **values)
    audit.record(action="portal.post_changed", actor=by, organisation=campaign.organisation, obj=post,
                 detail={"fields": sorted(changed)})
    return SocialPost.objects.defer("image").get(pk=post.pk)


def _transition(by, post, version, *, to, **values):
    versioned_update(SocialPost, pk=post.pk, version=version, status=to, **values)
    return SocialPost.objects.defer("image").select_related("campaign").get(pk=post.pk)


def _fresh(post, version):
    current = SocialPost.objects.defer("image").get(pk=post.pk)
    if current.version != version:
        raise StaleEdit(current)
    return current


@transaction.atomic
def post_submit(*, by, post: SocialPost, version) -> SocialPost:
    """The author asks for approval; the text no longer changes unless it is returned."""
    _require_country(by, post.campaign.country)
    current = _fresh(post, version)
    _require_author(by, current)
    _require_editable(current)
    saved = _transition(by, post, version, to=PostStatus.SUBMITTED)
    audit.record(action="portal.post_submitted", actor=by, organisation=post.campaign.organisation, obj=post,
                 detail={"from": current.status})
    return saved


def _require_reviewer(by, post):
    if post.status != PostStatus.SUBMITTED:
        raise ServiceError(_("This post is not waiting for approval."))
    if post.created_by_id == by.pk:
        raise ServiceError(_("You wrote this post: someone else with the country in scope must approve or return it."))


@transaction.atomic
def post_approve(*, by, post: SocialPost, version) -> SocialPost:
    """A second person, never the author, approves the version she read (four eyes)."""
    _require_country(by, post.campaign.country)
    current = _fresh(post, version)
    _require_reviewer(by, current)
    saved = _transition(by, post, version, to=PostStatus.APPROVED, approved_by=by, approved_at=timezone.now())
    audit.record(action="portal.post_approved", actor=by, organisation=post.campaign.organisation, obj=post,
                 detail={"author": current.created_by_id})
    return saved


@transaction.atomic
def post_return(*, by, post: SocialPost, version, comment) -> SocialPost:
    """Back to the author with what to change (the comment is required)."""
    _require_country(by, post.campaign.country)
    comment = (comment or "").strip()
    current = _fresh(post, version)
    _require_reviewer(by, current)
    if not comment:
        raise ServiceError(_("Say what should change: the author reads your comment."), field="comment")
    saved = _transition(by, post, version, to=PostStatus.RETURNED, review_comment=comment)
    audit.record(action="portal.post_returned", actor=by, organisation=post.campaign.organisation, obj=post,
                 detail={"author": current.created_by_id})
    return saved


@transaction.atomic
def post_mark_published(*, by, post: SocialPost, version) -> SocialPost:
    """Someone posted the approved post on its channel: recorded, with when."""
    _require_country(by, post.campaign.country)
    current = _fresh(post, version)
    if current.status != PostStatus.APPROVED:
        raise ServiceError(_("Only an approved post can be marked as published."))
    saved = _transition(by, post, version, to=PostStatus.PUBLISHED, published_at=timezone.now())
    audit.record(action="portal.post_published", actor=by, organisation=post.campaign.organisation, obj=post,
                 detail={"channel": current.channel})
    return saved


# ---- export packs ---------------------------------------------------------------------------


def _local(value):
    return timezone.localtime(value)


def post_folder(post) -> str:
    """date-channel-language, e.g. 2025-11-25-instagram-it (in the exporting person's time zone)."""
    return f"{_local(post.scheduled_for):%Y-%m-%d}-{post.channel}-{post.language}"


def _readme(post, link) -> str:
    languages = dict(settings.LANGUAGES)
    when = _local(post.scheduled_for)
    lines = [
        _("Post for %(channel)s") % {"channel": SocialChannel(post.channel).label},
        "",
        _("Campaign: %(name)s") % {"name": post.campaign.name},
        _("Channel: %(channel)s") % {"channel": SocialChannel(post.channel).label},
        _("Language: %(language)s") % {"language": languages.get(post.language, post.language)},
        _("Scheduled for: %(when)s (%(zone)s)") % {"when": formats.date_format(when, "DATETIME_FORMAT"),
                                                  "zone": timezone.get_current_timezone_name()},
        _("Status: %(status)s") % {"status": PostStatus(post.status).label},
        "",
        _("post.txt holds the text to publish, with the link at the end."),
    ]
    if post.image_name:
        lines.append(_("%(image)s is the image; alt-text.txt holds its description: paste it into the "
                       "network's image description (alt text) field.") % {"image": post.image_name})
    if link:
        lines.append(_("The link carries the campaign's code (?c=%(code)s): visits from it are counted per day, "
                       "without knowing who visits.") % {"code": post.campaign.slug})
    return "\n".join(lines) + "\n"


def _add_post(archive, post, folder=""):
    link = post_link(campaign=post.campaign, page=post.link_page, language=post.language)
    prefix = f"{folder}/" if folder else ""
    archive.writestr(prefix + "post.txt", composed_text(post.text, link) + "\n")
    files = ["post.txt"]
    if post.image_name:
        archive.writestr(prefix + "alt-text.txt", post.image_alt + "\n")
        archive.writestr(prefix + post.image_name, bytes(post.image))
        files += ["alt-text.txt", post.image_name]
    archive.writestr(prefix + "README.txt", _readme(post, link))
    files.append("README.txt")
    return files


@dataclass(frozen=True)
class Pack:
    filename: str
    data: bytes


@transaction.atomic
def post_pack(*, by, post: SocialPost) -> Pack:
    """The zip of one approved (or published) post: post.txt, alt-text.txt, the image, README.txt."""
    _require_country(by, post.campaign.country)
    if post.status not in EXPORTABLE:
        raise ServiceError(_("Only approved or published posts can be exported."))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_post(archive, post)
    audit.record(action="portal.pack_exported", actor=by, organisation=post.campaign.organisation, obj=post,
                 detail={"campaign": post.campaign_id, "posts": 1})
    return Pack(filename=f"{post.campaign.slug}-{post_folder(post)}.zip", data=buffer.getvalue())


def _csv_safe(value) -> str:
    """A cell a spreadsheet will not read as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@transaction.atomic
def campaign_pack(*, by, campaign: Campaign, posts) -> Pack:
    """Every approved (or published) post of the campaign in a folder per date-channel-language,
    and calendar.csv listing them. `posts` come from selectors.campaign_pack_posts (with images)."""
    _require_country(by, campaign.country)
    buffer = io.BytesIO()
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow([_("date"), _("time"), _("channel"), _("language"), _("status"), _("folder"), _("files")])
    used = set()
    exported = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for post in posts:
            if post.status not in EXPORTABLE or post.campaign_id != campaign.pk:
                continue
            post.campaign = campaign
            folder = post_folder(post)
            if folder in used:  # two posts for the same channel and language on one day
                folder = f"{folder}-{post.pk}"
            used.add(folder)
            files = _add_post(archive, post, folder)
            when = _local(post.scheduled_for)
            writer.writerow([f"{when:%Y-%m-%d}", f"{when:%H:%M}", post.channel, post.language, post.status,
                             _csv_safe(folder), _csv_safe(" ".join(f"{folder}/{name}" for name in files))])
            exported += 1
        archive.writestr("calendar.csv", table.getvalue())
    audit.record(action="portal.pack_exported", actor=by, organisation=campaign.organisation, obj=campaign,
                 detail={"campaign": campaign.pk, "posts": exported})
    return Pack(filename=f"{campaign.slug}-posts.zip", data=buffer.getvalue())
