from django.urls import path  # noqa: F401 (used by the blocks appended below)

app_name = "programmes"
urlpatterns = []

# Each part appends its own block below.

# Enrolments (part "intake"): the list, the enquiry, the enrolment's page and its life.
from rete.programmes.views import enrolments as _enrolments  # noqa: E402

urlpatterns += [
    path("", _enrolments.enrolment_list, name="enrolment_list"),
    path("enquiry/", _enrolments.enquiry, name="enquiry"),
    path("enrolments/<int:enrolment_id>/", _enrolments.enrolment_detail, name="enrolment_detail"),
]

# The enrolment's life (part "intake"): his details, his own request, the information contact, the
# changes of state and the people working with him. The actions are POST only.
urlpatterns += [
    path("enrolments/<int:enrolment_id>/participant/", _enrolments.participant_edit, name="participant_edit"),
    path("enrolments/<int:enrolment_id>/own-request/", _enrolments.own_request_record, name="own_request_record"),
    path("enrolments/<int:enrolment_id>/information-contact/", _enrolments.information_contact_record,
         name="information_contact_record"),
    path("enrolments/<int:enrolment_id>/state/", _enrolments.enrolment_transition, name="enrolment_transition"),
    path("enrolments/<int:enrolment_id>/staff/", _enrolments.enrolment_staff_assign, name="enrolment_staff_assign"),
    path("enrolments/<int:enrolment_id>/staff/<int:enrolment_staff_id>/end/", _enrolments.enrolment_staff_end,
         name="enrolment_staff_end"),
]

# Partner safety (part "partner-safety"): the "Partner safety" section of the enrolment page asks a
# partner-support service for partner contact, sends it events, reports a disclosed threat and
# ends the contact. The actions are POST only.
from rete.programmes.views import partner as _partner  # noqa: E402

urlpatterns += [
    path("enrolments/<int:enrolment_id>/partner/request/", _partner.partner_request, name="partner_request"),
    path("enrolments/<int:enrolment_id>/partner/event/", _partner.partner_event, name="partner_event"),
    path("enrolments/<int:enrolment_id>/partner/threat/", _partner.partner_threat, name="partner_threat"),
    path("enrolments/<int:enrolment_id>/partner/end/", _partner.partner_end, name="partner_end"),
]

# The court's mandate, the suitability decision and risk (part "mandate-assessment"): the mandate's
# page (record or correct), its recipients (add, edit, remove), the suitability decision (POST only,
# from the enrolment page's "Assessment and suitability" section).
from rete.programmes.views import mandate as _mandate  # noqa: E402

urlpatterns += [
    path("enrolments/<int:enrolment_id>/mandate/", _mandate.mandate_edit, name="mandate_edit"),
    path("enrolments/<int:enrolment_id>/mandate/recipients/new/", _mandate.mandate_recipient_add, name="mandate_recipient_add"),
    path("enrolments/<int:enrolment_id>/mandate/recipients/<int:mandate_recipient_id>/", _mandate.mandate_recipient_edit,
         name="mandate_recipient_edit"),
    path("enrolments/<int:enrolment_id>/mandate/recipients/<int:mandate_recipient_id>/remove/", _mandate.mandate_recipient_remove,
         name="mandate_recipient_remove"),
    path("enrolments/<int:enrolment_id>/suitability/", _mandate.suitability_decide, name="suitability_decide"),
]

# Court and probation reports (part "court-reports"): the list of reports to do, a report's page,
# its actions (POST only) and its PDF.
from rete.programmes.views import court_reports as _court_reports  # noqa: E402

urlpatterns += [
    path("court-reports/", _court_reports.court_report_list, name="court_report_list"),
    path("court-reports/<int:court_report_id>/", _court_reports.court_report_detail, name="court_report_detail"),
    path("court-reports/<int:court_report_id>/draft/", _court_reports.court_report_generate, name="court_report_generate"),
    path("court-reports/<int:court_report_id>/edit/", _court_reports.court_report_edit, name="court_report_edit"),
    path("court-reports/<int:court_report_id>/sign/", _court_reports.court_report_sign, name="court_report_sign"),
    path("court-reports/<int:court_report_id>/sent/", _court_reports.court_report_send, name="court_report_send"),
    path("court-reports/<int:court_report_id>/not-needed/", _court_reports.court_report_cancel, name="court_report_cancel"),
    path("court-reports/<int:court_report_id>/report.pdf", _court_reports.court_report_pdf, name="court_report_pdf"),
]

# Pathways (part "pathways"): the list, a new pathway, a version's page; the editing of a DRAFT
# (pathway_draft_id): its details, stages, attendance rules, notifications, publishing (POST);
# retiring a version in use and starting a new version from one (POST).
from rete.programmes.views import pathways as _pathways  # noqa: E402

urlpatterns += [
    path("pathways/", _pathways.pathway_list, name="pathway_list"),
    path("pathways/new/", _pathways.pathway_add, name="pathway_add"),
    path("pathways/versions/<int:pathway_version_id>/", _pathways.pathway_version_detail, name="pathway_version_detail"),
    path("pathways/versions/<int:pathway_version_id>/retire/", _pathways.pathway_version_retire,
         name="pathway_version_retire"),
    path("pathways/versions/<int:pathway_version_id>/new-version/", _pathways.pathway_version_copy,
         name="pathway_version_copy"),
    path("pathways/drafts/<int:pathway_draft_id>/details/", _pathways.pathway_version_describe,
         name="pathway_version_describe"),
    path("pathways/drafts/<int:pathway_draft_id>/stages/new/", _pathways.pathway_stage_add, name="pathway_stage_add"),
    path("pathways/drafts/<int:pathway_draft_id>/stages/<slug:stage_code>/", _pathways.pathway_stage_edit,
         name="pathway_stage_edit"),
    path("pathways/drafts/<int:pathway_draft_id>/stages/<slug:stage_code>/remove/", _pathways.pathway_stage_remove,
         name="pathway_stage_remove"),
    path("pathways/drafts/<int:pathway_draft_id>/stages/<slug:stage_code>/move/", _pathways.pathway_stage_move,
         name="pathway_stage_move"),
    path("pathways/drafts/<int:pathway_draft_id>/rules/", _pathways.pathway_version_rules, name="pathway_version_rules"),
    path("pathways/drafts/<int:pathway_draft_id>/notifications/", _pathways.pathway_version_notifications,
         name="pathway_version_notifications"),
    path("pathways/drafts/<int:pathway_draft_id>/publish/", _pathways.pathway_version_publish,
         name="pathway_version_publish"),
]

# Groups and sessions (part "groups-sessions"): the groups, a group's page with its facilitators,
# men and sessions; a session's record with its attendance register; a session with one man and
# what was done about a compliance finding, from the enrolment page. The actions are POST only.
from rete.programmes.views import groups as _groups  # noqa: E402
from rete.programmes.views import sessions as _sessions  # noqa: E402

urlpatterns += [
    path("groups/", _groups.group_list, name="group_list"),
    path("groups/new/", _groups.group_add, name="group_add"),
    path("groups/<int:group_id>/", _groups.group_detail, name="group_detail"),
    path("groups/<int:group_id>/edit/", _groups.group_edit, name="group_edit"),
    path("groups/<int:group_id>/facilitators/add/", _groups.group_facilitator_add, name="group_facilitator_add"),
    path("groups/<int:group_id>/facilitators/<int:group_facilitator_id>/end/", _groups.group_facilitator_end,
         name="group_facilitator_end"),
    path("groups/<int:group_id>/men/add/", _groups.group_member_add, name="group_member_add"),
    path("groups/<int:group_id>/men/<int:group_member_id>/leave/", _groups.group_member_remove, name="group_member_remove"),
    path("groups/<int:group_id>/schedule/", _groups.group_schedule_generate, name="group_schedule_generate"),
    path("groups/<int:group_id>/sessions/add/", _groups.group_session_add, name="group_session_add"),
    path("sessions/<int:session_id>/", _sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/cancel/", _sessions.session_cancel, name="session_cancel"),
    path("enrolments/<int:enrolment_id>/sessions/add/", _sessions.individual_session_add, name="individual_session_add"),
    path("enrolments/<int:enrolment_id>/compliance/<int:compliance_event_id>/address/", _sessions.compliance_address,
         name="compliance_address"),
]

# Outcome monitoring (part "outcomes"): his answers at a timepoint (the form, then read-only), and
# the programme's aggregated figures for its coordinators (page and CSV). The section on the
# enrolment page registers itself from views/outcomes.py.
from rete.programmes.views import outcomes as _outcomes  # noqa: E402

urlpatterns += [
    path("enrolments/<int:enrolment_id>/outcomes/new/", _outcomes.outcome_record, name="outcome_record"),
    path("outcomes/answers/<int:outcome_response_id>/", _outcomes.outcome_response_detail, name="outcome_response_detail"),
    path("outcomes/", _outcomes.outcome_figures, name="outcome_figures"),
    path("outcomes/figures.csv", _outcomes.outcome_figures_csv, name="outcome_figures_csv"),
]
