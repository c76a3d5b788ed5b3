from django.contrib.auth.decorators import login_not_required
from django.urls import path

from rete.cases import api

app_name = "cases_api"
# DRF authenticates API calls itself (session or token); its permission classes refuse them.
urlpatterns = [
    path("", login_not_required(api.case_list), name="case_list"),
    path("<int:pk>/", login_not_required(api.case_detail), name="case_detail"),
    path("<int:pk>/timeline/", login_not_required(api.case_timeline), name="case_timeline"),
]

# Support plan.
urlpatterns += [
    path("<int:pk>/services/", login_not_required(api.service_list), name="service_list"),
    path("<int:pk>/services/<int:service_id>/", login_not_required(api.service_detail), name="service_detail"),
]

# The people of a case; incidents.
urlpatterns += [
    path("<int:pk>/people/", login_not_required(api.case_people), name="case_people"),
    path("<int:pk>/incidents/", login_not_required(api.incident_list), name="incident_list"),
    path("<int:pk>/incidents/<int:incident_id>/", login_not_required(api.incident_detail), name="incident_detail"),
]
