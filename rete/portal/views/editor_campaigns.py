"""Campaigns and their social media posts, the editors' side: the list of her countries'
campaigns, adding and editing one (optimistic locking), its dashboard (content calendar by week,
its events and materials, its reach with a chart), posts with an image and its description,
approval by a second person, marking as published, export packs, and a month calendar of posts
across her campaigns."""
import datetime
import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rete.core import access
from rete.core.conflict import conflict_row
from rete.core.models import Country
from rete.core.services import ServiceError, StaleEdit
from rete.portal import selectors
from rete.portal.models import PostStatus, SocialChannel
from rete.portal.selectors import campaigns as campaign_selectors
from rete.portal.selectors import reach as reach_selectors
from rete.portal.services import campaigns as services
from rete.portal.views.editor_reach import daily_chart, period_from

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}
# A request this far beyond the image limit is refused unread (413); below it, the image is
# dropped as it arrives and the rest of her form comes back with a message.
UPLOAD_REFUSE_MARGIN = 50 * 1024 * 1024


# ---- forms ----------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    slug = forms.SlugField(
        label=gettext_lazy("Short code"), max_length=40,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, unique across the portal, for example "
                               "“16days-it”. It appears at the end of the links in the campaign's posts and "
                               "materials as ?c=code, so that visits from them can be counted, without knowing who visits. "
                               "Changing it later stops the count for links already published."))
    aim = forms.CharField(label=gettext_lazy("Aim and audience"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                          help_text=gettext_lazy("What the campaign wants to change, and for whom."))
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), **DATE)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), required=False, **DATE,
                              help_text=gettext_lazy("Leave empty for a campaign without an end date."))
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"),
                                     help_text=gettext_lazy("One of your organisations, in the campaign's country."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, organisations, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(Country.choices)
        countries = sorted({o.country for o in organisations})
        if current is not None and current.pk not in {o.pk for o in organisations}:
            # A colleague's organisation in the same country: the campaign keeps it unless changed.
            organisations = [current, *organisations]
        self.fields["country"].choices = [(code, names.get(code, code)) for code in countries]
        self.fields["organisation"].choices = [(str(o.pk), f"{o.name} ({names.get(o.country, o.country)})") for o in organisations]
        if len(countries) == 1:
            self.initial.setdefault("country", countries[0])

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {"country": data["country"], "organisation_id": data["organisation"], "name": data["name"],
                "slug": data["slug"], "aim": data["aim"], "starts_on": data["starts_on"], "ends_on": data["ends_on"]}


def channel_limits() -> list[tuple[str, str, int]]:
    """(code, name, limit) of every channel, from the one table in the services."""
    return [(code, str(SocialChannel(code).label), limit) for code, limit in services.CHANNEL_LIMITS.items()]


class PostForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"))
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 7}), max_length=70000,
                           help_text=gettext_lazy("The limit of the channel counts the whole post, with the link to "
                                                  "the page added at its end."))
    link_page = forms.ChoiceField(label=gettext_lazy("Link to an information page"), required=False,
                                  help_text=gettext_lazy("The pack adds the page's address in the post's language, "
                                                         "with the campaign's code (?c=…) to count visits."))
    image = forms.FileField(label=gettext_lazy("Image"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))
    remove_image = forms.BooleanField(label=gettext_lazy("Remove the current image"), required=False)
    image_alt = forms.CharField(
        label=gettext_lazy("Image description (alt text)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required whenever the post has an image: people who use screen readers hear this "
                               "description instead of seeing the image. Say what it shows and any text in it."))
    scheduled_for = forms.DateTimeField(label=gettext_lazy("Planned for"), **DATETIME,
                                        help_text=gettext_lazy("Date and time in your time zone."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, pages, has_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("Choose a channel"))] + [
            (code, _("%(channel)s (up to %(limit)s characters)") % {"channel": name, "limit": formats.number_format(limit)})
            for code, name, limit in channel_limits()]
        self.fields["link_page"].choices = [("", _("No link"))] + [(str(pk), label) for pk, label in pages]
        self.fields["image"].help_text = _("PNG, JPEG or WebP, up to %(size)s. The file's content is checked, not only "
                                           "its name.") % {"size": _size(services.image_max_bytes())}
        if not has_image:
            del self.fields["remove_image"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {"channel": data["channel"], "language": data["language"], "text": data["text"],
                "link_page_id": int(data["link_page"]) if data.get("link_page") else None,
                "image_alt": data["image_alt"], "scheduled_for": data["scheduled_for"]}

    def uploaded_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return services.Image(filename=upload.name, data=upload.read())


def _size(value) -> str:
    from rete.cases.documents import human_size

    return human_size(value)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("What should change"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=gettext_lazy("Required: the author reads it with the returned post."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CalendarFilterForm(forms.Form):
    month = forms.RegexField(label=gettext_lazy("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
                             widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
                             help_text=gettext_lazy("Year and month, for example 2026-11."))
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("All channels"))] + list(SocialChannel.choices)
        self.fields["language"].choices = [("", _("All languages"))] + list(settings.LANGUAGES)
        self.fields["status"].choices = [("", _("Any status"))] + list(PostStatus.choices)


# ---- campaigns ------------------------------------------------------------------------------


def _organisations(request):
    organisations = selectors.editor_organisations(user=request.user)
    if not organisations:
        access.deny()
    # One entry per organisation (she may hold both editing roles in one).
    return list({o.pk: o for o in organisations}.values())


@require_safe
def editor_campaigns(request):
    campaigns = list(campaign_selectors.campaign_list(user=request.user))
    today = timezone.localdate()
    current = [c for c in campaigns if c.ends_on is None or c.ends_on >= today]
    past = [c for c in campaigns if c.ends_on is not None and c.ends_on < today]
    return render(request, "portal/editor/campaigns_list.html", {
        "tab": "campaigns", "current": current, "past": past, "statuses": PostStatus.choices,
    })


def _campaign_conflict(form, saved):
    names = dict(Country.choices)
    data = form.cleaned_data
    organisations = dict(form.fields["organisation"].choices)
    rows = [
        conflict_row(form.fields["name"].label, data.get("name", "").strip(), saved.name),
        conflict_row(form.fields["slug"].label, data.get("slug", ""), saved.slug),
        conflict_row(form.fields["aim"].label, data.get("aim", "").strip(), saved.aim),
        conflict_row(form.fields["starts_on"].label, data.get("starts_on"), saved.starts_on, show=_show_date),
        conflict_row(form.fields["ends_on"].label, data.get("ends_on"), saved.ends_on, show=_show_date),
        conflict_row(form.fields["country"].label, data.get("country"), saved.country, show=lambda c: names.get(c, c)),
        conflict_row(form.fields["organisation"].label, str(data.get("organisation", "")), str(saved.organisation_id),
                     show=lambda pk: organisations.get(pk, pk)),
    ]
    return rows


def _show_date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _show_datetime(value):
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def _campaign_form_page(request, *, campaign=None):
    organisations = _organisations(request)
    initial = None
    if campaign is not None:
        initial = {"name": campaign.name, "slug": campaign.slug, "aim": campaign.aim, "starts_on": campaign.starts_on,
                   "ends_on": campaign.ends_on, "country": campaign.country, "organisation": str(campaign.organisation_id),
                   "version": campaign.version}
    current = campaign.organisation if campaign is not None else None
    form = CampaignForm(request.POST or None, organisations=organisations, current=current, initial=initial)
    conflict, status = None, 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                if campaign is None:
                    saved = services.campaign_create(by=request.user, **form.values())
                else:
                    version = form.cleaned_data.get("version")
                    if version is None:
                        raise StaleEdit(campaign)
                    saved = services.campaign_update(by=request.user, campaign=campaign, version=version, **form.values())
            except StaleEdit as exc:
                conflict = _campaign_conflict(form, exc.current)
                post = request.POST.copy()
                post["version"] = str(exc.current.version)
                form = CampaignForm(post, organisations=organisations, current=current, initial=initial)
                form.is_valid()
                status = 409
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 400
            else:
                messages.success(request, _("The campaign was saved."))
                return redirect("portal:editor_campaign", campaign_id=saved.pk)
    return render(request, "portal/editor/campaigns_form.html", {
        "tab": "campaigns", "form": form, "campaign": campaign, "conflict": conflict,
        "example_code": form["slug"].value() or "16days-it",
    }, status=status)


@require_http_methods(["GET", "POST"])
def editor_campaign_add(request):
    return _campaign_form_page(request)


@require_http_methods(["GET", "POST"])
def editor_campaign_edit(request, campaign_id):
    campaign = campaign_selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    return _campaign_form_page(request, campaign=campaign)


def _weeks(posts):
    """The posts grouped by the week (Monday) of their planned day, in her time zone."""
    weeks = []
    for post in posts:
        day = timezone.localtime(post.scheduled_for).date()
        monday = day - datetime.timedelta(days=day.weekday())
        if not weeks or weeks[-1]["start"] != monday:
            weeks.append({"start": monday, "end": monday + datetime.timedelta(days=6), "posts": []})
        weeks[-1]["posts"].append(post)
    return weeks


@require_safe
def editor_campaign(request, campaign_id):
    """The campaign's dashboard: its content calendar, events, materials and reach."""
    campaign = campaign_selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    posts = campaign_selectors.campaign_posts(user=request.user, campaign=campaign)
    events = campaign_selectors.campaign_events(user=request.user, campaign=campaign)
    materials = campaign_selectors.campaign_materials(user=request.user, campaign=campaign)
    today = timezone.localdate()
    form, period, status = period_from(request, default=reach_selectors.campaign_period(campaign=campaign, today=today))
    reach = reach_selectors.campaign_reach(user=request.user, campaign=campaign, period=period,
                                           language=get_language() or "en", materials=materials, events=events)
    chart = daily_chart(days=period.days, series=[(str(label), reach["series"][kind]) for kind, label in reach["kinds"]])
    return render(request, "portal/editor/campaigns_dashboard.html", {
        "tab": "campaigns", "campaign": campaign, "weeks": _weeks(posts), "posts_count": len(posts),
        "approved_count": sum(1 for p in posts if p.status in services.EXPORTABLE),
        "events": events, "materials": materials, "form": form, "period": period, "reach": reach, "chart": chart,
    }, status=status)


@require_safe
def editor_campaign_pack(request, campaign_id):
    campaign = campaign_selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    posts = campaign_selectors.campaign_pack_posts(user=request.user, campaign=campaign)
    pack = services.campaign_pack(by=request.user, campaign=campaign, posts=posts)
    return _zip_response(pack)


def _zip_response(pack):
    from rete.cases.documents import content_disposition

    response = HttpResponse(pack.data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(pack.filename)
    response["Content-Length"] = str(len(pack.data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# ---- posts ----------------------------------------------------------------------------------


def _upload_view(view):
    """A form with an image: the image is held in memory up to the limit and dropped beyond it
    (the rest of her form comes back with a message); the CSRF check runs after the upload
    handler is in place; a request absurdly beyond the limit is refused unread (413)."""

    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        from rete.cases.documents import CappedMemoryUploadHandler

        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > services.image_max_bytes() + UPLOAD_REFUSE_MARGIN:
                response = render(request, "portal/editor/posts_too_large.html",
                                  {"tab": "campaigns", "message": services.image_too_large_message()}, status=413)
                return response
            request.upload_handlers = [CappedMemoryUploadHandler(request, limit=services.image_max_bytes())]
        return protected(request, *args, **kwargs)

    return wrapper


def _post_conflict(form, saved):
    data = form.cleaned_data
    channels, languages, pages = dict(SocialChannel.choices), dict(settings.LANGUAGES), dict(form.fields["link_page"].choices)
    return [
        conflict_row(form.fields["channel"].label, data.get("channel"), saved.channel, show=lambda v: channels.get(v, v)),
        conflict_row(form.fields["language"].label, data.get("language"), saved.language, show=lambda v: languages.get(v, v)),
        conflict_row(form.fields["text"].label, (data.get("text") or "").strip(), saved.text),
        conflict_row(form.fields["link_page"].label, data.get("link_page") or "", str(saved.link_page_id or ""),
                     show=lambda v: pages.get(v, v) if v else ""),
        conflict_row(form.fields["image_alt"].label, (data.get("image_alt") or "").strip(), saved.image_alt),
        conflict_row(form.fields["scheduled_for"].label, data.get("scheduled_for"), saved.scheduled_for, show=_show_datetime),
        conflict_row(_("Image"), saved.image_name if not data.get("image") else data["image"].name, saved.image_name),
    ]


def _post_form_page(request, *, campaign, post=None):
    pages = campaign_selectors.link_pages(user=request.user, language=get_language() or "en")
    initial = {"language": _campaign_language(campaign), "scheduled_for": _next_hour()}
    if post is not None:
        initial = {"channel": post.channel, "language": post.language, "text": post.text,
                   "link_page": str(post.link_page_id or ""), "image_alt": post.image_alt,
                   "scheduled_for": timezone.localtime(post.scheduled_for), "version": post.version}
    has_image = bool(post is not None and post.image_name)
    form = PostForm(request.POST or None, request.FILES or None, pages=pages, has_image=has_image, initial=initial)
    conflict, status, image_lost = None, 200, False
    if request.method == "POST":
        too_large = getattr(request, "rete_upload_too_large", False)
        valid = form.is_valid()
        if too_large:
            form.errors.pop("image", None)
            form.add_error("image", services.image_too_large_message())
        if not valid or too_large:
            status, image_lost = 400, bool(request.FILES) or too_large
        else:
            try:
                values = form.values()
                image = form.uploaded_image()
                if post is None:
                    saved = services.post_create(by=request.user, campaign=campaign, image=image, **values)
                else:
                    version = form.cleaned_data.get("version")
                    if version is None:
                        raise StaleEdit(post)
                    saved = services.post_update(by=request.user, post=post, version=version, image=image,
                                                 remove_image=form.cleaned_data.get("remove_image", False), **values)
            except StaleEdit as exc:
                conflict = _post_conflict(form, exc.current)
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = PostForm(data, pages=pages, has_image=bool(exc.current.image_name), initial=initial)
                form.is_valid()
                status, image_lost = 409, bool(request.FILES)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status, image_lost = 400, bool(request.FILES)
            else:
                messages.success(request, _("The post was saved as a draft. Submit it for approval when it is ready.")
                                 if saved.status == PostStatus.DRAFT else _("The post was saved."))
                return redirect("portal:editor_post", post_id=saved.pk)
    return render(request, "portal/editor/posts_form.html", {
        "tab": "campaigns", "form": form, "campaign": campaign, "post": post, "conflict": conflict,
        "image_lost": image_lost, "limits": channel_limits(),
    }, status=status)


def _campaign_language(campaign) -> str:
    """The country's own language first (the campaign speaks to people there)."""
    return {"IT": "it", "CY": "el", "CZ": "cs", "BG": "bg"}.get(campaign.country, "en")


def _next_hour():
    now = timezone.localtime()
    return (now + datetime.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)


@require_http_methods(["GET", "POST"])
@_upload_view
def editor_post_add(request, campaign_id):
    campaign = campaign_selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    return _post_form_page(request, campaign=campaign)


@require_http_methods(["GET", "POST"])
@_upload_view
def editor_post_edit(request, post_id):
    post = campaign_selectors.post_get(user=request.user, post_id=post_id)
    if post.status not in services.EDITABLE or post.created_by_id != request.user.pk:
        messages.info(request, _("Only its author can change a post, and only while it is a draft or returned."))
        return redirect("portal:editor_post", post_id=post.pk)
    return _post_form_page(request, campaign=post.campaign, post=post)


def _post_page(request, post, *, return_form=None, status=200, error=None):
    is_author = post.created_by_id == request.user.pk
    link = services.post_link(campaign=post.campaign, page=post.link_page, language=post.language)
    composed = services.composed_text(post.text, link)
    return render(request, "portal/editor/posts_detail.html", {
        "tab": "campaigns", "post": post, "campaign": post.campaign, "link": link,
        "length": len(composed), "limit": services.CHANNEL_LIMITS.get(post.channel),
        "is_author": is_author, "can_edit": is_author and post.status in services.EDITABLE,
        "can_review": not is_author and post.status == PostStatus.SUBMITTED,
        "can_export": post.status in services.EXPORTABLE,
        "return_form": return_form or ReturnForm(initial={"version": post.version}),
        "error": error, "country_name": dict(Country.choices).get(post.campaign.country, post.campaign.country),
    }, status=status)


@require_safe
def editor_post(request, post_id):
    """A post as it will be published, with what can be done to it and why other actions are not offered."""
    post = campaign_selectors.post_get(user=request.user, post_id=post_id)
    return _post_page(request, post)


def _action(request, post_id, service, done_message, **extra):
    post = campaign_selectors.post_get(user=request.user, post_id=post_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _post_page(request, post, status=400, error=_("The page was out of date: look at the post again."))
    try:
        service(by=request.user, post=post, version=form.cleaned_data["version"], **extra)
    except StaleEdit:
        messages.warning(request, _("Someone changed this post while you were looking at it: here is how it is now. "
                                    "Nothing was done."))
        return redirect("portal:editor_post", post_id=post.pk)
    except ServiceError as exc:
        return _post_page(request, post, status=400, error=exc.message)
    messages.success(request, done_message)
    return redirect("portal:editor_post", post_id=post.pk)


@require_POST
def editor_post_submit(request, post_id):
    return _action(request, post_id, services.post_submit,
                   _("The post was submitted: a colleague with the country in scope approves or returns it."))


@require_POST
def editor_post_approve(request, post_id):
    return _action(request, post_id, services.post_approve,
                   _("The post is approved: download its pack to publish it."))


@require_POST
def editor_post_return(request, post_id):
    post = campaign_selectors.post_get(user=request.user, post_id=post_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _post_page(request, post, return_form=form, status=400)
    try:
        services.post_return(by=request.user, post=post, version=form.cleaned_data["version"],
                             comment=form.cleaned_data["comment"])
    except StaleEdit:
        messages.warning(request, _("Someone changed this post while you were looking at it: here is how it is now. "
                                    "Nothing was done."))
        return redirect("portal:editor_post", post_id=post.pk)
    except ServiceError as exc:
        if exc.field == "comment":
            form.add_error("comment", exc.message)
            return _post_page(request, post, return_form=form, status=400)
        return _post_page(request, post, return_form=form, status=400, error=exc.message)
    messages.success(request, _("The post was returned to its author with your comment."))
    return redirect("portal:editor_post", post_id=post.pk)


@require_POST
def editor_post_published(request, post_id):
    return _action(request, post_id, services.post_mark_published, _("The post is recorded as published."))


@require_safe
def editor_post_image(request, post_id):
    """The stored image, for staff in scope only: its checked type, never sniffed, never cached."""
    post = campaign_selectors.post_get(user=request.user, post_id=post_id, with_image=True)
    if not post.image_name or post.image_type not in {t for t, _e in services.IMAGE_TYPES.values()}:
        access.deny()
    data = bytes(post.image)
    response = HttpResponse(data, content_type=post.image_type)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def editor_post_pack(request, post_id):
    post = campaign_selectors.post_get(user=request.user, post_id=post_id, with_image=True)
    try:
        pack = services.post_pack(by=request.user, post=post)
    except ServiceError as exc:
        post = campaign_selectors.post_get(user=request.user, post_id=post_id)
        return _post_page(request, post, status=400, error=exc.message)
    return _zip_response(pack)


# ---- the month calendar -------------------------------------------------------------------


def _month_start(text) -> datetime.date:
    year, month = (int(part) for part in text.split("-"))
    return datetime.date(year, month, 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@require_safe
def editor_post_calendar(request):
    """Her campaigns' posts in one month (?month=YYYY-MM), filtered by channel, language, status."""
    today = timezone.localdate()
    month = today.replace(day=1)
    form = CalendarFilterForm(request.GET or None, initial={"month": f"{month:%Y-%m}"})
    status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            filters = {k: form.cleaned_data[k] for k in ("channel", "language", "status") if form.cleaned_data.get(k)}
            if form.cleaned_data.get("month"):
                month = _month_start(form.cleaned_data["month"])
        else:
            status = 400
    if not (1900 < month.year < 9999):
        month, status = today.replace(day=1), 400
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(_add_months(month, 1), datetime.time.min, tzinfo=zone)
    posts = campaign_selectors.post_calendar(user=request.user, start=start, end=end, **filters)
    days = []
    for post in posts:
        day = timezone.localtime(post.scheduled_for).date()
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "posts": []})
        days[-1]["posts"].append(post)

    def month_link(first):
        return "?" + urlencode({"month": f"{first:%Y-%m}", **filters})

    return render(request, "portal/editor/posts_calendar.html", {
        "tab": "campaigns", "form": form, "month": month, "days": days, "count": len(posts),
        "previous": month_link(_add_months(month, -1)), "next": month_link(_add_months(month, 1)),
        "this_month": reverse("portal:editor_post_calendar"),
    }, status=status)
