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
                OpenApiParameter("status", str, enum=CaseStatus.values), OpenApiParameter("mine", bool),
                OpenApiParameter("due", str, enum=["overdue", "week"], description="cases with open services overdue, or due in the next 7 days")],
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
                                status=form.cleaned_data.get("status", ""), query=form.cleaned_data.get("q", ""),
                                due=form.cleaned_data.get("due", ""))
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


# ---- support plan ----------------------------------------------------------------------------

from drf_spectacular.utils import inline_serializer  # noqa: E402
from rest_framework import status as http_status  # noqa: E402
from rest_framework.exceptions import ValidationError as ApiValidationError  # noqa: E402

from rete.cases.models import ServiceKind, ServiceStatus  # noqa: E402


class SupportServiceSerializer(serializers.Serializer):
    """A line of her support plan. `need` and `outcome` are her situation: reading them is
    audited as a reading of the case."""

    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    need = serializers.CharField(max_length=5000)
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=ServiceStatus.choices, required=False, default=ServiceStatus.PLANNED)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    outcome = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class SupportServiceUpdateSerializer(serializers.Serializer):
    """A change to a line of the plan: `version` is the one the caller last read; fields left
    out keep their value."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    need = serializers.CharField(max_length=5000, required=False)
    kind = serializers.ChoiceField(choices=ServiceKind.choices, required=False)
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ServiceStatus.choices, required=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.CharField(max_length=20000, required=False, allow_blank=True)


StaleServiceSerializer = inline_serializer("StaleSupportService", fields={
    "detail": serializers.CharField(),
    "version": serializers.IntegerField(help_text="The saved version: read it, then send your change again with it."),
    "current": SupportServiceSerializer(),
})


def _service_refused(exc):
    """A refusal from the service layer as a 400 naming the field it concerns."""
    field = getattr(exc, "field", None) or "non_field_errors"
    return ApiValidationError({field: [exc.message]})


@extend_schema(methods=["GET"], responses=SupportServiceSerializer(many=True),
               parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
               summary="Her support plan, soonest due first (audited as a reading of the case)")
@extend_schema(methods=["POST"], request=SupportServiceSerializer, responses={201: SupportServiceSerializer},
               summary="Add a line to her support plan")
@api_view(["GET", "POST"])
def service_list(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    if request.method == "POST":
        incoming = SupportServiceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            service = services.service_add(by=request.user, case=case, **incoming.validated_data)
        except services.CaseError as exc:
            raise _service_refused(exc)
        return Response(SupportServiceSerializer(selectors.mark_due(service)).data, status=http_status.HTTP_201_CREATED)
    services.case_record_view(by=request.user, case=case)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(selectors.case_service_list(user=request.user, case=case), request)
    return paginator.get_paginated_response(SupportServiceSerializer([selectors.mark_due(s) for s in page], many=True).data)


@extend_schema(methods=["GET"], responses=SupportServiceSerializer,
               summary="One line of her support plan (audited as a reading of the case)")
@extend_schema(methods=["PATCH"], request=SupportServiceUpdateSerializer,
               responses={200: SupportServiceSerializer, 409: StaleServiceSerializer},
               summary="Change a line of her support plan (refused with 409 if someone saved it since `version`)")
@api_view(["GET", "PATCH"])
def service_detail(request, pk, service_id):
    from django.utils.translation import gettext as _

    from rete.core.services import StaleEdit

    case = selectors.case_get(user=request.user, pk=pk)
    service = selectors.case_service_get(user=request.user, case=case, service_id=service_id)
    if request.method == "PATCH":
        incoming = SupportServiceUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        version = values.pop("version")
        try:
            service = services.service_update(by=request.user, case=case, service_id=service.pk, version=version, **values)
        except StaleEdit as exc:
            current = selectors.mark_due(exc.current)
            services.case_record_view(by=request.user, case=case)  # the answer shows the saved line
            return Response({"detail": _("Someone else saved this service after the version you sent. Nothing was changed."),
                             "version": current.version, "current": SupportServiceSerializer(current).data},
                            status=http_status.HTTP_409_CONFLICT)
        except services.CaseError as exc:
            raise _service_refused(exc)
        return Response(SupportServiceSerializer(selectors.mark_due(service)).data)
    services.case_record_view(by=request.user, case=case)
    return Response(SupportServiceSerializer(service).data)


# ---- people of the case and incidents ------------------------------------------------------

from rete.cases.models import (  # noqa: E402
    ContextFlag, GbvType, PlaceType, RelatedKind, Relationship, ReportingDelay, YesNoUnknown,
)


class CasePersonSerializer(PersonSerializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    alias = serializers.CharField()
    date_of_birth = serializers.CharField()


class RelatedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RelatedKind.choices)
    name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    sex = serializers.CharField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    cohabiting = serializers.ChoiceField(choices=YesNoUnknown.choices)
    weapons_access = serializers.ChoiceField(choices=YesNoUnknown.choices, allow_null=True,
                                             help_text="Perpetrators only; null for children and dependants.")
    known_to_police = serializers.ChoiceField(choices=YesNoUnknown.choices, allow_null=True,
                                              help_text="Perpetrators only; null for children and dependants.")
    needs = serializers.CharField(allow_null=True, help_text="Children and dependants only; null for perpetrators.")
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.kind == RelatedKind.PERPETRATOR:
            data["needs"] = None
        else:
            data["weapons_access"] = data["known_to_police"] = None
        return data


class CasePeopleSerializer(serializers.Serializer):
    person = CasePersonSerializer()
    related = RelatedPersonSerializer(many=True)


@extend_schema(responses=CasePeopleSerializer,
               summary="The person of the case and the people around her: children, dependants, the (alleged) perpetrator (audited)")
@api_view(["GET"])
def case_people(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    related = selectors.related_people_list(user=request.user, case=case)
    services.case_record_view(by=request.user, case=case)
    person = case.person
    person_data = {f: getattr(person, f) for f in CasePersonSerializer().fields if f != "display_name"}
    person_data["display_name"] = person.display_name()
    return Response(CasePeopleSerializer({"person": person_data, "related": related}).data)


class IncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    incident_date = serializers.DateField()
    reported_on = serializers.DateField()
    reporting_delay = serializers.ChoiceField(choices=ReportingDelay.choices)
    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    gbv_type = serializers.ChoiceField(choices=GbvType.choices)
    context_flags = serializers.ListField(child=serializers.ChoiceField(choices=ContextFlag.choices))
    narrative = serializers.CharField()
    reported_to_police = serializers.BooleanField()
    injuries = serializers.BooleanField()
    medical_care = serializers.BooleanField()
    recorded_by = serializers.CharField(source="recorded_by.email")
    recorded_at = serializers.DateTimeField()


class IncidentCreateSerializer(serializers.Serializer):
    """The GBVIMS type is chosen by the caller (the pages propose it from the GBVIMS questions)."""

    incident_date = serializers.DateField()
    reported_on = serializers.DateField()
    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    gbv_type = serializers.ChoiceField(choices=GbvType.choices)
    context_flags = serializers.ListField(child=serializers.ChoiceField(choices=ContextFlag.choices), required=False,
                                          default=list, max_length=len(ContextFlag.choices))
    narrative = serializers.CharField(required=False, allow_blank=True, default="", max_length=50000)
    reported_to_police = serializers.BooleanField(required=False, default=False)
    injuries = serializers.BooleanField(required=False, default=False)
    medical_care = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        from django.utils import timezone
        from django.utils.translation import gettext as _

        today = timezone.localdate()
        errors = {}
        if data["incident_date"] > today:
            errors["incident_date"] = [_("The date of the incident cannot be in the future.")]
        if data["reported_on"] > today:
            errors["reported_on"] = [_("This date cannot be in the future.")]
        elif data["reported_on"] < data["incident_date"]:
            errors["reported_on"] = [_("She cannot have told the service before the incident.")]
        if errors:
            raise serializers.ValidationError(errors)
        data["context_flags"] = list(dict.fromkeys(data.get("context_flags") or []))
        return data


@extend_schema(methods=["GET"], responses=IncidentSerializer(many=True),
               parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
               summary="A case's incidents, most recent first, with her account (audited as a reading of the case)")
@extend_schema(methods=["POST"], request=IncidentCreateSerializer, responses={201: IncidentSerializer},
               summary="Record an incident on the case (gbv_type required, GBVIMS codes)")
@api_view(["GET", "POST"])
def incident_list(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    if request.method == "POST":
        incoming = IncidentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        incident = services.incident_record(by=request.user, case=case, **incoming.validated_data)
        return Response(IncidentSerializer(incident).data, status=http_status.HTTP_201_CREATED)
    services.case_record_view(by=request.user, case=case)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(selectors.incident_list(user=request.user, case=case).select_related("recorded_by"), request)
    return paginator.get_paginated_response(IncidentSerializer(page, many=True).data)


@extend_schema(responses=IncidentSerializer, summary="One incident with her account (audited as a reading of the case)")
@api_view(["GET"])
def incident_detail(request, pk, incident_id):
    case = selectors.case_get(user=request.user, pk=pk)
    incident = selectors.incident_get(user=request.user, case=case, incident_id=incident_id)
    services.case_record_view(by=request.user, case=case)
    return Response(IncidentSerializer(incident).data)
