"""/api/v1/cases/: the same scoping as the pages. Lists carry references, never names; a
single case carries the person's details and its reading is audited like the page."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from rete.cases import selectors, services
from rete.cases.forms import CaseFilterForm
from rete.cases.models import CaseStatus
from rete.core.api import BoundedPagination


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    organisation = serializers.CharField(source="organisation.slug")
    contact_route = serializers.CharField()
    first_contact_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()


class PersonSerializer(serializers.Serializer):
    is_anonymous = serializers.BooleanField()
    display_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    language = serializers.CharField()
    interpreter_needed = serializers.BooleanField()
    safe_to_contact = serializers.CharField()
    safe_phone = serializers.CharField()
    safe_times = serializers.CharField()
    code_word = serializers.CharField()


class CaseSerializer(CaseSummarySerializer):
    person = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()

    def get_person(self, case) -> PersonSerializer:
        person = case.person
        return PersonSerializer({**{f: getattr(person, f) for f in PersonSerializer().fields if f != "display_name"},
                                 "display_name": person.display_name()}).data

    def get_team(self, case) -> list[str]:
        return [user.email for user in selectors.case_team(case=case)]


@extend_schema(
    responses=CaseSummarySerializer(many=True),
    parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int), OpenApiParameter("q", str),
                OpenApiParameter("status", str, enum=CaseStatus.values), OpenApiParameter("mine", bool)],
    summary="Cases the caller may see (references only)",
)
@api_view(["GET"])
def case_list(request):
    if not selectors.case_organisations(user=request.user):
        from rete.core import access

        access.deny()
    form = CaseFilterForm(request.query_params)
    if not form.is_valid():
        from rest_framework.exceptions import ValidationError

        raise ValidationError(form.errors.get_json_data())
    cases = selectors.case_list(user=request.user, mine_only=request.query_params.get("mine") in {"true", "1"},
                                status=form.cleaned_data.get("status", ""), query=form.cleaned_data.get("q", ""))
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(cases, request)
    return paginator.get_paginated_response(CaseSummarySerializer(page, many=True).data)


@extend_schema(responses=CaseSerializer, summary="One case with the person's details (audited)")
@api_view(["GET"])
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    services.case_record_view(by=request.user, case=case)
    return Response(CaseSerializer(case).data)


class ActivitySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.CharField(source="actor.email", allow_null=True, default=None)
    subject = serializers.CharField(source="subject.email", allow_null=True, default=None)
    note = serializers.CharField(source="note.body", allow_null=True, default=None)
    text = serializers.CharField()


@extend_schema(
    responses=ActivitySerializer(many=True),
    parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
    summary="A case's timeline, newest first, with its notes (audited as a reading of the case)",
)
@api_view(["GET"])
def case_timeline(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    services.case_record_view(by=request.user, case=case)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(selectors.case_timeline(user=request.user, case=case), request)
    return paginator.get_paginated_response(ActivitySerializer(page, many=True).data)
