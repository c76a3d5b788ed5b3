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
