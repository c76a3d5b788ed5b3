"""/api/v1/programmes/ (part "api"): perpetrator programmes' enrolments, with the same scoping as
the pages (rete.programmes.selectors.enrolments: 404 for anything out of reach, 401 without
credentials) and the same services (a change of state goes through enrolment_transition).

Lists carry references, never his name. One enrolment carries his name and year of birth and the
mandate's case number; its reading, and that of its history (the reasons), attendance,
compliance findings and court reports, is audited. Of the partner contact the programme gets
exactly what rete.network's partner_link_for_programme gives it: the link's reference, the
support service's name, when it was requested, the contact status only if the partner-support
worker shares it, and whether it ended. Never anything else about her. Labels are in the
caller's language."""
import functools
import re

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from rete.core import access
from rete.core.api import BoundedPagination, search_text
from rete.core.services import ServiceError, StaleEdit
from rete.network.models import PartnerContactStatus
from rete.network.selectors.partner_contact import partner_link_for_programme
from rete.programmes.models import (
    AttendanceStatus,
    ComplianceLevel,
    ComplianceStatus,
    EnrolmentState,
    MandateBasis,
    Participation,
    ReferralSource,
    ReportKind,
    ReportStatus,
    SessionKind,
)
from rete.programmes.selectors import api as reads
from rete.programmes.selectors import enrolments as selectors
from rete.programmes.services import api as api_services
from rete.programmes.services import enrolments as services
from rete.programmes.services.enrolments import REASON_MAX

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]


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


def _label(choices, code) -> str:
    """A code's label in the active language ("" for an empty or unknown code)."""
    return str(dict(choices.choices).get(code, "")) if code else ""


def _page_of(name, item):
    """The schema of a page of `item` (BoundedPagination's answer)."""
    return inline_serializer(name, fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
    })


def _refused(exc):
    """A refusal from the service layer as a 400 naming the field it concerns."""
    return ValidationError({exc.field or "non_field_errors": [exc.message]})


# ---- serializers -----------------------------------------------------------------------------


class PathwayRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField()


class MandateSummarySerializer(serializers.Serializer):
    """The court's mandate as a list shows it: never the case number."""

    basis = serializers.ChoiceField(choices=MandateBasis.choices)
    basis_label = serializers.CharField()
    court = serializers.CharField()
    order_on = serializers.DateField()
    start_by = serializers.DateField(allow_null=True)
    sessions_per_week = serializers.IntegerField(help_text="The required frequency: at least this many sessions a week.")
    duration_weeks = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(help_text="The order's deadline, or five years from the order when it names none.")


class MandateSerializer(MandateSummarySerializer):
    case_number = serializers.CharField()


class EnrolmentSummarySerializer(serializers.Serializer):
    """An enrolment without anything that names him."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back with a change of state: refused (409) if it changed since.")
    state = serializers.ChoiceField(choices=EnrolmentState.choices)
    state_label = serializers.CharField()
    stage = serializers.CharField(help_text="The pathway stage's code, empty before a pathway.")
    stage_name = serializers.CharField()
    pathway = PathwayRefSerializer(allow_null=True, help_text="The pathway version he is enrolled on, null before the decision.")
    source = serializers.ChoiceField(choices=ReferralSource.choices)
    source_label = serializers.CharField()
    enquiry_at = serializers.DateTimeField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    last_activity_at = serializers.DateTimeField()


class EnrolmentRowSerializer(EnrolmentSummarySerializer):
    mandate = MandateSummarySerializer(allow_null=True)


class ParticipantSerializer(serializers.Serializer):
    name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)


class PartnerContactSerializer(serializers.Serializer):
    """All the programme may know of the partner contact."""

    reference = serializers.CharField()
    service = serializers.CharField(help_text="The partner-support service's name.")
    requested_at = serializers.DateTimeField()
    shared_status = serializers.ChoiceField(choices=PartnerContactStatus.choices, allow_null=True,
                                            help_text="Only when the partner-support worker chooses to share it; null otherwise.")
    ended = serializers.BooleanField()


class EnrolmentSerializer(EnrolmentSummarySerializer):
    """One enrolment, with his name and the mandate's case number (its reading is audited)."""

    referrer_body = serializers.CharField()
    own_request_on = serializers.DateField(allow_null=True)
    information_contact_on = serializers.DateField(allow_null=True)
    follow_up_due_on = serializers.DateField(allow_null=True)
    participant = ParticipantSerializer()
    mandate = MandateSerializer(allow_null=True)
    partner_contact = PartnerContactSerializer(allow_null=True)


class StateChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    from_state = serializers.CharField(help_text="A state code, as an enrolment's `state`; empty for the enquiry.")
    from_state_label = serializers.CharField()
    to_state = serializers.CharField(help_text="A state code, as an enrolment's `state`.")
    to_state_label = serializers.CharField()
    stage = serializers.CharField()
    by = serializers.CharField(allow_null=True, help_text="Who made the change; null when the attendance rules did.")
    reason = serializers.CharField()


@extend_schema_field({"type": "string", "enum": EnrolmentState.values})
class TargetStateField(serializers.ChoiceField):
    """A state code (its schema inline, so that the schema names the state enum once)."""

    def __init__(self, **kwargs):
        super().__init__(choices=EnrolmentState.choices, **kwargs)


class TransitionSerializer(serializers.Serializer):
    to_state = TargetStateField(help_text="The new state: one of those allowed from his state.")
    reason = serializers.CharField(max_length=REASON_MAX)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="The version last read: refused with 409 if the enrolment changed since.")


StaleEnrolmentSerializer = inline_serializer("StaleProgrammeEnrolment", fields={
    "detail": serializers.CharField(),
    "version": serializers.IntegerField(help_text="The saved version: read it, then send your change again with it."),
    "current": EnrolmentSummarySerializer(),
})


class AttendanceRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    session_at = serializers.DateTimeField()
    session_date = serializers.DateField()
    session_kind = serializers.ChoiceField(choices=SessionKind.choices)
    session_kind_label = serializers.CharField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    status_label = serializers.CharField()
    participation = serializers.ChoiceField(choices=Participation.choices, allow_blank=True)
    participation_label = serializers.CharField()


class ComplianceEventRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    level = serializers.ChoiceField(choices=ComplianceLevel.choices)
    level_label = serializers.CharField()
    at = serializers.DateTimeField()
    detail = serializers.DictField(child=serializers.JSONField(), help_text="The finding's numbers and dates (YYYY-MM-DD).")
    status = serializers.ChoiceField(choices=ComplianceStatus.choices)
    status_label = serializers.CharField()


class CourtReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    kind_label = serializers.CharField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_label = serializers.CharField()
    due_on = serializers.DateField()
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)


class EnrolmentFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=EnrolmentState.choices, required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    open = serializers.BooleanField(required=False, default=False)
    mine = serializers.BooleanField(required=False, default=False)


# ---- the data --------------------------------------------------------------------------------


def _stage_name(enrolment) -> str:
    if not enrolment.stage or not enrolment.pathway_version_id:
        return ""
    stage = next((s for s in enrolment.pathway_version.stages or () if s.get("code") == enrolment.stage), None)
    return str(stage.get("name") or "") if stage else ""


def _summary(enrolment) -> dict:
    version = enrolment.pathway_version if enrolment.pathway_version_id else None
    return {
        "id": enrolment.pk, "reference": enrolment.reference, "version": enrolment.version, "state": enrolment.state,
        "state_label": _label(EnrolmentState, enrolment.state), "stage": enrolment.stage, "stage_name": _stage_name(enrolment),
        "pathway": {"name": version.pathway.name, "version": version.number} if version is not None else None,
        "source": enrolment.source, "source_label": _label(ReferralSource, enrolment.source),
        "enquiry_at": enrolment.enquiry_at, "started_on": enrolment.started_on, "ended_on": enrolment.ended_on,
        "last_activity_at": enrolment.last_activity_at,
    }


def _mandate(mandate, *, with_case_number=False) -> dict | None:
    if mandate is None:
        return None
    data = {"basis": mandate.basis, "basis_label": _label(MandateBasis, mandate.basis), "court": mandate.court,
            "order_on": mandate.order_on, "start_by": mandate.start_by, "sessions_per_week": mandate.sessions_per_week,
            "duration_weeks": mandate.duration_weeks, "deadline": mandate.effective_deadline}
    if with_case_number:
        data["case_number"] = mandate.case_number
    return data


def _partner_contact(user, enrolment) -> dict | None:
    view = partner_link_for_programme(user=user, enrolment_id=enrolment.pk)
    if view is None:
        return None
    return {"reference": view.reference, "service": view.support_organisation, "requested_at": view.requested_at,
            "shared_status": view.shared_status or None, "ended": view.ended}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _numbers(detail) -> dict:
    """A finding's detail as numbers and dates only, whatever else a row might hold."""
    return {str(key): value for key, value in (detail or {}).items()
            if (isinstance(value, (int, float)) and not isinstance(value, bool))
            or (isinstance(value, str) and _DATE.match(value))}


# ---- enrolments --------------------------------------------------------------------------------


@extend_schema(
    operation_id="programmes_enrolments_list",
    responses=_page_of("PaginatedProgrammeEnrolmentList", EnrolmentRowSerializer),
    parameters=[*PAGING, OpenApiParameter("state", str, enum=EnrolmentState.values),
                OpenApiParameter("reference", str, description="Part of the enrolment's reference"),
                OpenApiParameter("open", bool, description="Only enrolments not closed"),
                OpenApiParameter("mine", bool, description="Only the enrolments the caller works on")],
    summary="Enrolments the caller may open, most recently active first (references only, never names)",
)
@api_view(["GET"])
@_in_their_language
def enrolment_list(request):
    if not selectors.works_with_men(user=request.user):
        access.deny()
    incoming = EnrolmentFilterSerializer(data=request.query_params)
    incoming.is_valid(raise_exception=True)
    values = incoming.validated_data
    rows = selectors.enrolment_list(user=request.user, state=values["state"], query=search_text(values["reference"]),
                                    mine_only=values["mine"], open_only=values["open"])
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(rows, request)
    mandates = reads.mandates_of(user=request.user, enrolment_ids=[e.pk for e in page])
    data = [{**_summary(e), "mandate": _mandate(mandates.get(e.pk))} for e in page]
    return paginator.get_paginated_response(EnrolmentRowSerializer(data, many=True).data)


@extend_schema(operation_id="programmes_enrolments_retrieve", responses=EnrolmentSerializer,
               summary="One enrolment with his name, the mandate and the partner contact as the programme may see it (audited)")
@api_view(["GET"])
@_in_their_language
def enrolment_detail(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    mandate = reads.enrolment_mandate(user=request.user, enrolment=enrolment, with_case_number=True)
    data = {
        **_summary(enrolment),
        "referrer_body": enrolment.referrer_body, "own_request_on": enrolment.own_request_on,
        "information_contact_on": enrolment.information_contact_on, "follow_up_due_on": enrolment.follow_up_due_on,
        "participant": {"name": enrolment.participant.display_name(), "birth_year": enrolment.participant.birth_year},
        "mandate": _mandate(mandate, with_case_number=True),
        "partner_contact": _partner_contact(request.user, enrolment),
    }
    api_services.enrolment_record_api_read(by=request.user, enrolment=enrolment, part="detail")
    return Response(EnrolmentSerializer(data).data)


# ---- his states --------------------------------------------------------------------------------


@extend_schema(operation_id="programmes_enrolments_state_changes_list", parameters=PAGING,
               responses=_page_of("PaginatedProgrammeStateChangeList", StateChangeSerializer),
               summary="His changes of state, newest first, with their reasons (audited)")
@api_view(["GET"])
@_in_their_language
def enrolment_state_changes(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(reads.enrolment_state_changes(user=request.user, enrolment=enrolment), request)
    data = [{"at": c.at, "from_state": c.from_state, "from_state_label": _label(EnrolmentState, c.from_state),
             "to_state": c.to_state, "to_state_label": _label(EnrolmentState, c.to_state), "stage": c.stage,
             "by": str(c.by) if c.by_id else None, "reason": c.reason} for c in page]
    api_services.enrolment_record_api_read(by=request.user, enrolment=enrolment, part="state_changes")
    return paginator.get_paginated_response(StateChangeSerializer(data, many=True).data)


@extend_schema(
    operation_id="programmes_enrolments_transition",
    request=TransitionSerializer,
    responses={200: EnrolmentSummarySerializer,
               400: OpenApiResponse(description="Field errors, as {field: [messages]}; a change not allowed from his "
                                                "state is refused on `to_state`."),
               409: StaleEnrolmentSerializer},
    summary="Change his state, with its reason (only the changes allowed from his state; 409 if it changed since `version`)",
)
@api_view(["POST"])
@_in_their_language
def enrolment_transition(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    incoming = TransitionSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    values = incoming.validated_data
    try:
        enrolment = services.enrolment_transition(by=request.user, enrolment=enrolment, to_state=values["to_state"],
                                                  reason=values["reason"], version=values["version"])
    except StaleEdit as exc:
        current = exc.current
        return Response({"detail": _("Someone else saved this enrolment after the version you sent. Nothing was changed."),
                         "version": current.version, "current": EnrolmentSummarySerializer(_summary(current)).data},
                        status=http_status.HTTP_409_CONFLICT)
    except ServiceError as exc:
        raise _refused(exc)
    return Response(EnrolmentSummarySerializer(_summary(enrolment)).data)


# ---- attendance, compliance, court reports -------------------------------------------------------


@extend_schema(operation_id="programmes_enrolments_attendance_list", parameters=PAGING,
               responses=_page_of("PaginatedProgrammeAttendanceList", AttendanceRowSerializer),
               summary="His attendance, the latest session first (never the notes; audited)")
@api_view(["GET"])
@_in_their_language
def enrolment_attendance(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(reads.enrolment_attendance(user=request.user, enrolment=enrolment), request)
    tz = timezone.get_current_timezone()
    data = [{"id": a.pk, "session": a.session_id, "session_at": a.session.starts_at,
             "session_date": a.session.starts_at.astimezone(tz).date(), "session_kind": a.session.kind,
             "session_kind_label": _label(SessionKind, a.session.kind), "status": a.status,
             "status_label": _label(AttendanceStatus, a.status), "participation": a.participation,
             "participation_label": _label(Participation, a.participation)} for a in page]
    api_services.enrolment_record_api_read(by=request.user, enrolment=enrolment, part="attendance")
    return paginator.get_paginated_response(AttendanceRowSerializer(data, many=True).data)


@extend_schema(operation_id="programmes_enrolments_compliance_events_list", parameters=PAGING,
               responses=_page_of("PaginatedProgrammeComplianceEventList", ComplianceEventRowSerializer),
               summary="What the attendance rules found about him, newest first (audited)")
@api_view(["GET"])
@_in_their_language
def enrolment_compliance_events(request, enrolment_id):
    from rete.programmes.services.compliance import rule_label

    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(reads.enrolment_compliance_events(user=request.user, enrolment=enrolment), request)
    data = [{"id": e.pk, "rule": e.rule, "rule_label": rule_label(e.rule), "level": e.level,
             "level_label": _label(ComplianceLevel, e.level), "at": e.at, "detail": _numbers(e.detail), "status": e.status,
             "status_label": _label(ComplianceStatus, e.status)} for e in page]
    api_services.enrolment_record_api_read(by=request.user, enrolment=enrolment, part="compliance_events")
    return paginator.get_paginated_response(ComplianceEventRowSerializer(data, many=True).data)


@extend_schema(operation_id="programmes_enrolments_court_reports_list", parameters=PAGING,
               responses=_page_of("PaginatedProgrammeCourtReportList", CourtReportRowSerializer),
               summary="His reports to the court or probation, soonest due first (never their content; audited)")
@api_view(["GET"])
@_in_their_language
def enrolment_court_reports(request, enrolment_id):
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    paginator = BoundedPagination()
    page = paginator.paginate_queryset(reads.enrolment_court_reports(user=request.user, enrolment=enrolment), request)
    data = [{"id": r.pk, "kind": r.kind, "kind_label": _label(ReportKind, r.kind), "status": r.status,
             "status_label": _label(ReportStatus, r.status), "due_on": r.due_on, "period_from": r.period_from,
             "period_to": r.period_to, "signed_at": r.signed_at, "sent_at": r.sent_at} for r in page]
    api_services.enrolment_record_api_read(by=request.user, enrolment=enrolment, part="court_reports")
    return paginator.get_paginated_response(CourtReportRowSerializer(data, many=True).data)
