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
