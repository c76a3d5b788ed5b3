"""/api/v1/referrals/: referrals between agencies, with the same scoping and the same services
as the pages (rete/network/views/referrals_received.py and referrals_sent.py). Lists carry
references, organisations, service and status, never the package; a referral's package is
shown to the receiver exactly as the page shows it (each shared category with its labelled
records) and its reading is recorded like the page's. Labels are in the caller's language."""
import functools

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from rete.cases import selectors as case_selectors
from rete.cases import services as case_services
from rete.core import access
from rete.core.api import BoundedPagination
from rete.core.services import ServiceError
from rete.network import texts
from rete.network.models import DeclineReason, ReferralEventKind, ReferralService, ReferralStatus, ShareCategory
from rete.network.package import package_sections
from rete.network.selectors import referrals as selectors
from rete.network.selectors import referrals_received as received
from rete.network.services import referrals as services


def _in_their_language(view):
    """The view's answer (labels, refusals) in the caller's preferred language."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = getattr(request.user, "language", "") or ""
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            return view(request, *args, **kwargs)

    return wrapper


def _language() -> str:
    language = (translation.get_language() or "en")[:2]
    return language if language in texts.LANGUAGE_CODES else "en"


def _refused(exc):
    """A refusal from the service layer as a 400 naming the field it concerns."""
    return ValidationError({exc.field or "non_field_errors": [exc.message]})


# ---- serializers -----------------------------------------------------------------------------


class ReferralSummarySerializer(serializers.Serializer):
    """A referral as a list shows it: references, organisations, service and status; never
    what is shared or asked."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back with an answer: it is refused (409) if the referral changed since.")
    from_organisation = serializers.CharField(source="from_organisation.slug")
    to_organisation = serializers.CharField(source="to_organisation.slug")
    service = serializers.ChoiceField(choices=ReferralService.choices)
    service_label = serializers.CharField(source="get_service_display")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    urgent = serializers.BooleanField()
    sent_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, referral) -> bool:
        return bool(getattr(referral, "is_overdue", getattr(referral, "overdue", False)))


class ReferralStateSerializer(ReferralSummarySerializer):
    """A referral after an answer: its state, never the package."""

    answered_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField(help_text="A decline reason code, empty unless declined.")
    feedback_at = serializers.DateTimeField(allow_null=True)
    share_withdrawn_at = serializers.DateTimeField(allow_null=True)
    consent_withdrawn_at = serializers.DateTimeField(allow_null=True)


class PackageFieldSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class PackageGroupSerializer(serializers.Serializer):
    title = serializers.CharField(allow_null=True)
    records = serializers.ListField(child=PackageFieldSerializer(many=True))


class PackageSectionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ShareCategory.choices)
    label = serializers.CharField()
    groups = PackageGroupSerializer(many=True)


class ReferralEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=ReferralEventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")


def _sections(referral) -> list[dict]:
    """package_sections as plain data: the lazy labels and values become text now, in the
    active language."""
    return [{"code": s["code"], "label": str(s["label"]), "groups": [
        {"title": str(g["title"]) if g["title"] is not None else None,
         "records": [[{"label": str(label), "value": str(value)} for label, value in record] for record in g["records"]]}
        for g in s["groups"]]} for s in package_sections(referral)]


class ReceivedReferralSerializer(ReferralStateSerializer):
    """A received referral as its page shows it: the request and the package (each shared
    category with its labelled records), unless sharing stopped."""

    protocol = serializers.CharField()
    pathway = serializers.CharField()
    legal_basis = serializers.CharField()
    emergency = serializers.BooleanField()
    sharing_stopped = serializers.BooleanField()
    request = serializers.CharField()
    categories = serializers.ListField(child=serializers.ChoiceField(choices=ShareCategory.choices))
    sections = PackageSectionSerializer(many=True)
    feedback = serializers.CharField()
    events = ReferralEventSerializer(many=True)


class SentReferralSerializer(ReferralStateSerializer):
    """A sent referral as the sender's page shows it, with the package as it was sent."""

    case = serializers.IntegerField(source="case_id")
    pathway = serializers.CharField()
    legal_basis = serializers.CharField()
    emergency = serializers.BooleanField()
    emergency_reason = serializers.CharField()
    request = serializers.CharField()
    sent_by = serializers.CharField(allow_null=True)
    answered_by = serializers.CharField(allow_null=True)
    decline_note = serializers.CharField()
    feedback = serializers.CharField()
    share_withdrawn_reason = serializers.CharField()
    categories = serializers.ListField(child=serializers.ChoiceField(choices=ShareCategory.choices))
    sections = PackageSectionSerializer(many=True)
    events = ReferralEventSerializer(many=True)


class SentStateSerializer(ReferralStateSerializer):
    case = serializers.IntegerField(source="case_id")
    categories = serializers.ListField(child=serializers.ChoiceField(choices=ShareCategory.choices))
    legal_basis = serializers.CharField()
    emergency = serializers.BooleanField()


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
                                       help_text="Optional: the version last read; refused with 409 if it changed since.")


class DeclineSerializer(VersionSerializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FeedbackSerializer(VersionSerializer):
    text = serializers.CharField(max_length=4000)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ReferralSendSerializer(serializers.Serializer):
    to_organisation = serializers.SlugField(help_text="The receiving organisation's slug.")
    service = serializers.ChoiceField(choices=ReferralService.choices, required=False, allow_blank=True, default="",
                                      help_text="Optional with a pathway: the pathway's service.")
    pathway = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=ShareCategory.choices), min_length=1,
                                       max_length=len(ShareCategory.choices) * 2)
    request = serializers.CharField(max_length=5000)
    urgent = serializers.BooleanField(required=False, default=False)
    emergency_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                             help_text="Only when her consent is needed and not recorded.")


StaleSerializer = inline_serializer("StaleReferral", fields={
    "detail": serializers.CharField(),
    "version": serializers.IntegerField(help_text="The current version: read the referral again, then answer with it."),
})


# ---- the receiver's side ---------------------------------------------------------------------


@extend_schema(
    responses=ReferralSummarySerializer(many=True),
    parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int),
                OpenApiParameter("status", str, enum=ReferralStatus.values)],
    summary="Referrals received by the caller's organisations, overdue first (never what is shared)",
)
@api_view(["GET"])
@_in_their_language
def received_list(request):
    from rete.network.views.referrals_received import InboxFilterForm

    if not received.receives_referrals(user=request.user):
        access.deny()
    form = InboxFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError({field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()})
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(received.inbox(user=request.user, status=form.cleaned_data["status"]), request)
    return paginator.get_paginated_response(ReferralSummarySerializer(page, many=True).data)


def _sharing_stopped(referral) -> bool:
    return bool(referral.share_withdrawn_at or referral.consent_withdrawn_at or referral.status == ReferralStatus.WITHDRAWN)


def _received_data(referral) -> dict:
    language = _language()
    version = referral.protocol_version
    source = version.source_language if version is not None else None
    stopped = _sharing_stopped(referral)
    referral.protocol = texts.get(version.protocol, "title", language, source=source).text if version is not None else ""
    referral.pathway_name = (texts.get(referral.pathway, "name", language, source=source).text
                             if referral.pathway is not None and version is not None else "")
    data = ReferralStateSerializer(referral).data
    data.update({
        "protocol": referral.protocol, "pathway": referral.pathway_name,
        "legal_basis": referral.legal_basis, "emergency": referral.emergency, "sharing_stopped": stopped,
        "request": "" if stopped else referral.request, "categories": list(referral.categories or []),
        "sections": [] if stopped else _sections(referral), "feedback": referral.feedback,
        "events": ReferralEventSerializer(referral.events.all(), many=True).data,
    })
    return data


@extend_schema(responses=ReceivedReferralSerializer,
               summary="A received referral with what was shared, as its page shows it (recorded as a reading)")
@api_view(["GET"])
@_in_their_language
def received_detail(request, referral_id):
    referral = selectors.referral_get_for_receiver(user=request.user, referral_id=referral_id)
    services.referral_record_view(by=request.user, referral=referral)
    return Response(_received_data(referral))


def _answer(request, referral_id, incoming_class, act):
    """An answer of the receiver: the referral as she may reach it (404 otherwise), the input
    checked (400 with field errors), a stale version refused (409), the service's refusal as
    a 400; the referral's new state, never the package."""
    referral = selectors.referral_get_for_receiver(user=request.user, referral_id=referral_id)
    incoming = incoming_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    seen = incoming.validated_data.get("version")
    if seen is not None and seen != referral.version:
        return Response({"detail": _("This referral was changed since you opened it; here it is as it is now. "
                                     "Please check and try again."), "version": referral.version},
                        status=http_status.HTTP_409_CONFLICT)
    try:
        referral = act(referral, incoming.validated_data)
    except ServiceError as exc:
        raise _refused(exc)
    referral.overdue = False  # answered: no longer waiting
    return Response(ReferralStateSerializer(referral).data)


@extend_schema(request=VersionSerializer, responses={200: ReferralStateSerializer, 409: StaleSerializer},
               summary="Accept a received referral")
@api_view(["POST"])
@_in_their_language
def received_accept(request, referral_id):
    return _answer(request, referral_id, VersionSerializer,
                   lambda referral, data: services.referral_accept(by=request.user, referral=referral))


@extend_schema(request=DeclineSerializer, responses={200: ReferralStateSerializer, 409: StaleSerializer},
               summary="Decline a received referral with a reason (what was shared is no longer kept)")
@api_view(["POST"])
@_in_their_language
def received_decline(request, referral_id):
    return _answer(request, referral_id, DeclineSerializer,
                   lambda referral, data: services.referral_decline(by=request.user, referral=referral,
                                                                    reason=data["reason"], note=data["note"]))


@extend_schema(request=FeedbackSerializer, responses={200: ReferralStateSerializer, 409: StaleSerializer},
               summary="Send feedback on an accepted referral (the service given and its outcome)")
@api_view(["POST"])
@_in_their_language
def received_feedback(request, referral_id):
    return _answer(request, referral_id, FeedbackSerializer,
                   lambda referral, data: services.referral_feedback(by=request.user, referral=referral, text=data["text"]))


# ---- the sender's side -----------------------------------------------------------------------


def _receiver_and_pathway(options, values):
    """The receiving organisation and pathway chosen by the caller, among those the form would
    offer (referral_options); a 400 naming the field otherwise."""
    receiver = pathway = None
    for option in options:
        for item in option["receivers"]:
            if item["organisation"].slug == values["to_organisation"]:
                receiver = item["organisation"]
        for item in option["pathways"]:
            if values["pathway"] is not None and item["pathway"].pk == values["pathway"]:
                pathway = item["pathway"]
    errors = {}
    if receiver is None:
        errors["to_organisation"] = [_("Choose an organisation that is party to a protocol in force with yours.")]
    if values["pathway"] is not None and pathway is None:
        errors["pathway"] = [_("Choose a pathway of a protocol in force with your organisation.")]
    if errors:
        raise ValidationError(errors)
    return receiver, pathway


@extend_schema(methods=["GET"], responses=ReferralSummarySerializer(many=True),
               parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
               summary="Referrals sent from a case, newest first (the case's team)")
@extend_schema(methods=["POST"], request=ReferralSendSerializer, responses={201: SentStateSerializer},
               summary="Refer the case to another organisation (field errors as 400)")
@api_view(["GET", "POST"])
@_in_their_language
def case_referrals(request, case_id):
    case = case_selectors.case_get(user=request.user, pk=case_id)
    if request.method == "POST":
        options = services.referral_options(by=request.user, case=case)
        incoming = ReferralSendSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        receiver, pathway = _receiver_and_pathway(options, values)
        service = values["service"] or (pathway.service if pathway is not None else "")
        if not service:
            raise ValidationError({"service": [_("Choose the service you ask for, or a pathway.")]})
        try:
            referral = services.referral_send(
                by=request.user, case=case, to_organisation=receiver, service=service, pathway=pathway,
                categories=values["categories"], request=values["request"], urgent=values["urgent"],
                emergency_reason=values["emergency_reason"])
        except ServiceError as exc:
            raise _refused(exc)
        referral.overdue = False
        return Response(SentStateSerializer(referral).data, status=http_status.HTTP_201_CREATED)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(selectors.referrals_of_case(user=request.user, case=case), request)
    return paginator.get_paginated_response(ReferralSummarySerializer(page, many=True).data)


def _sent_data(referral) -> dict:
    data = ReferralStateSerializer(referral).data
    data.update({
        "case": referral.case_id,
        "pathway": texts.get(referral.pathway, "name", _language()).text if referral.pathway else "",
        "legal_basis": referral.legal_basis, "emergency": referral.emergency,
        "emergency_reason": referral.emergency_reason, "request": referral.request,
        "sent_by": str(referral.sent_by) if referral.sent_by_id else None,
        "answered_by": str(referral.answered_by) if referral.answered_by_id else None,
        "decline_note": referral.decline_note, "feedback": referral.feedback,
        "share_withdrawn_reason": referral.share_withdrawn_reason, "categories": list(referral.categories or []),
        "sections": _sections(referral), "events": ReferralEventSerializer(referral.events.all(), many=True).data,
    })
    return data


@extend_schema(responses=SentReferralSerializer,
               summary="A referral sent from a case, with the package as it was sent (audited as a reading of the case)")
@api_view(["GET"])
@_in_their_language
def sent_detail(request, referral_id):
    referral = selectors.referral_get_for_sender(user=request.user, referral_id=referral_id)
    case = case_selectors.case_get(user=request.user, pk=referral.case_id)
    case_services.case_record_view(by=request.user, case=case)
    return Response(_sent_data(referral))


@extend_schema(request=WithdrawSerializer, responses=SentStateSerializer,
               summary="Withdraw the share of a sent referral (the receiver no longer sees what was shared)")
@api_view(["POST"])
@_in_their_language
def sent_withdraw(request, referral_id):
    referral = selectors.referral_get_for_sender(user=request.user, referral_id=referral_id)
    incoming = WithdrawSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        referral = services.referral_withdraw(by=request.user, referral=referral, reason=incoming.validated_data["reason"])
    except ServiceError as exc:
        raise _refused(exc)
    referral.overdue = False
    return Response(SentStateSerializer(referral).data)
