from django.urls import path

from rete.core import views

app_name = "core"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("org/<slug:org>/members/", views.member_list, name="member_list"),
    path("org/<slug:org>/members/new/", views.member_invite, name="member_invite"),
    path("org/<slug:org>/members/<int:member_id>/", views.member_edit, name="member_edit"),
    path("org/<slug:org>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("account/preferences/", views.preferences, name="preferences"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_detail"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("session/resume/<str:token>/", views.resume, name="resume"),
]
