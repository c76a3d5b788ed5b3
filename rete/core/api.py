"""/api/v1/: the same scoping as the pages, through the same selectors."""
from django.http import Http404
from drf_spectacular.utils import extend_schema, OpenApiParameter
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from rete.core import access, selectors, services
from rete.core.forms import AuditFilterForm


class BoundedPagination(LimitOffsetPagination):
    """limit/offset with bounds: a page is at most 200 rows, and an absurd offset is simply
    past the end (it must not reach the database as an integer it cannot hold)."""

    max_limit = 200
    max_offset = 10**12

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)


def search_text(value, limit=100):
    """A search string as typed, less the control characters no database column holds."""
    return "".join(ch for ch in (value or "") if ch >= " " or ch in "\t")[:limit].strip()


def exception_handler(exc, context):
    """DRF's handler; a refusal is a plain 404 whatever the reason."""
    if isinstance(exc, Http404):
        from django.utils.translation import gettext as _

        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    country = serializers.CharField()
    region = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    language = serializers.CharField()
    time_zone = serializers.CharField()
    organisations = OrganisationSerializer(many=True)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    has_mfa = serializers.BooleanField()
    last_login = serializers.DateTimeField(allow_null=True)


class AuditEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    organisation = serializers.CharField(source="organisation.slug", allow_null=True, default=None)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    detail = serializers.JSONField()
    ip_address = serializers.CharField(allow_null=True)
    hash = serializers.CharField()


def _organisations(user):
    rows = []
    for organisation, roles in selectors.roles_by_organisation(user=user):
        rows.append(
            {
                "slug": organisation.slug, "name": organisation.name, "short_name": organisation.short_name,
                "kinds": organisation.kinds, "country": organisation.country, "region": organisation.region,
                "languages": organisation.languages, "roles": roles,
            }
        )
    return rows


@extend_schema(responses=MeSerializer, summary="The signed-in person or service account")
@api_view(["GET"])
def me(request):
    user = request.user
    data = {
        "id": user.pk, "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "language": user.language, "time_zone": user.time_zone, "organisations": _organisations(user),
    }
    return Response(MeSerializer(data).data)


@extend_schema(responses=OrganisationSerializer(many=True), summary="Organisations the caller belongs to")
@api_view(["GET"])
def organisation_list(request):
    return Response(OrganisationSerializer(_organisations(request.user), many=True).data)


@extend_schema(
    responses=MemberSerializer(many=True),
    parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int), OpenApiParameter("q", str)],
    summary="Members of an organisation the caller administers",
)
@api_view(["GET"])
def member_list(request, org):
    organisation = selectors.organisation_get(user=request.user, slug=org, capability=access.MANAGE_MEMBERS)
    members = selectors.member_list(user=request.user, organisation=organisation, query=search_text(request.query_params.get("q", "")))
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(members, request)
    services.audit_record_read(user=request.user, organisation=organisation, action="member.listed", detail={"count": len(page)})
    rows = [
        {
            "id": m.pk, "email": m.email, "first_name": m.first_name, "last_name": m.last_name,
            "roles": selectors.member_roles(m), "has_mfa": m.has_mfa, "last_login": m.last_login,
        }
        for m in page
    ]
    return paginator.get_paginated_response(MemberSerializer(rows, many=True).data)


@extend_schema(
    responses=AuditEventSerializer(many=True),
    parameters=[
        OpenApiParameter("limit", int), OpenApiParameter("offset", int), OpenApiParameter("action", str),
        OpenApiParameter("actor", str), OpenApiParameter("object_type", str), OpenApiParameter("object_id", str),
        OpenApiParameter("since", str, description="YYYY-MM-DD"), OpenApiParameter("until", str, description="YYYY-MM-DD"),
    ],
    summary="The audit trail the caller may read (data-protection officers)",
)
@api_view(["GET"])
def audit_event_list(request):
    form = AuditFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = selectors.audit_event_list(user=request.user, **filters)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(events, request)
    services.audit_record_read(user=request.user, action="audit.viewed", detail={"filters": sorted(filters), "via": "api"})
    return paginator.get_paginated_response(AuditEventSerializer(page, many=True).data)
