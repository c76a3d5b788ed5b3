from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from rete.core import api

app_name = "api"
# DRF authenticates API calls itself (session or token); its permission classes refuse them.
urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("me/", login_not_required(api.me), name="me"),
    path("organisations/", login_not_required(api.organisation_list), name="organisation_list"),
    path("organisations/<slug:org>/members/", login_not_required(api.member_list), name="member_list"),
    path("audit-events/", login_not_required(api.audit_event_list), name="audit_event_list"),
]
