from django.urls import path

from rete.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/incidents/new/", views.incident_add, name="incident_add"),
    path("<int:pk>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:pk>/consents/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/hold/", views.case_hold, name="case_hold"),
    path("<int:pk>/resume/", views.case_resume, name="case_resume"),
    path("<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/team/", views.team_change, name="team_change"),
    path("<int:pk>/closure/", views.closure_request, name="closure_request"),
    path("<int:pk>/closure/decision/", views.closure_decide, name="closure_decide"),
    path("<int:pk>/drafts/<slug:form>/", views.draft_save, name="draft_save"),
    path("<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:pk>/supervisor/", views.supervisor_change, name="supervisor_change"),
    path("break-glass/", views.break_glass_review, name="break_glass_review"),
]

# Access to justice: complaints, protection orders, proceedings and their hearings.
urlpatterns += [
    path("<int:pk>/justice/", views.justice, name="justice"),
    path("<int:pk>/justice/complaints/new/", views.complaint_add, name="complaint_add"),
    path("<int:pk>/justice/complaints/<int:complaint_id>/", views.complaint_edit, name="complaint_edit"),
    path("<int:pk>/justice/orders/new/", views.order_add, name="order_add"),
    path("<int:pk>/justice/orders/<int:order_id>/", views.order_edit, name="order_edit"),
    path("<int:pk>/justice/proceedings/new/", views.proceeding_add, name="proceeding_add"),
    path("<int:pk>/justice/proceedings/<int:proceeding_id>/", views.proceeding_edit, name="proceeding_edit"),
    path("<int:pk>/justice/proceedings/<int:proceeding_id>/hearings/new/", views.hearing_add, name="hearing_add"),
    path("<int:pk>/justice/hearings/<int:hearing_id>/", views.hearing_edit, name="hearing_edit"),
]

# Individual needs assessment (Art. 22): a new one each time, never edited.
urlpatterns += [
    path("<int:pk>/needs/new/", views.needs_assessment_add, name="needs_assessment_add"),
    path("<int:pk>/needs/<int:needs_number>/", views.needs_assessment_detail, name="needs_assessment_detail"),
]

# Information given (Art. 4) and the safety plan.
urlpatterns += [
    path("<int:pk>/information/", views.information_checklist, name="information_checklist"),
    path("<int:pk>/information/leaflet.pdf", views.information_leaflet, name="information_leaflet"),
    path("<int:pk>/safety-plan/", views.safety_plan, name="safety_plan"),
    path("<int:pk>/safety-plan/review/", views.safety_plan_review, name="safety_plan_review"),
    path("<int:pk>/safety-plan/plan.pdf", views.safety_plan_pdf, name="safety_plan_pdf"),
]

# Support plan: needs and the services that answer them.
urlpatterns += [
    path("<int:pk>/services/new/", views.service_add, name="service_add"),
    path("<int:pk>/services/<int:service_id>/", views.service_edit, name="service_edit"),
]

# People around her (children, dependants, the perpetrator) and documents.
urlpatterns += [
    path("<int:pk>/people/new/", views.related_add, name="related_add"),
    path("<int:pk>/people/<int:related_id>/", views.related_edit, name="related_edit"),
    path("<int:pk>/people/<int:related_id>/end/", views.related_end, name="related_end"),
    path("<int:pk>/documents/new/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/documents/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/documents/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
]

urlpatterns += [
    path("<int:pk>/person/", views.person_edit, name="person_edit"),
]

# Safe contact: requests for contact from the public portal (intake queue).
urlpatterns += [
    path("requests/", views.contact_requests, name="contact_requests"),
    path("requests/<int:request_id>/", views.contact_request_detail, name="contact_request_detail"),
]
