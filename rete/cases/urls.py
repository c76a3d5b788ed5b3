from django.urls import path

from rete.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
]
