from django.contrib.auth.decorators import login_not_required
from django.urls import path

from rete.programmes import api

app_name = "programmes_api"
# DRF authenticates API calls itself (session or token); its permission classes refuse them.
urlpatterns = [
    path("enrolments/", login_not_required(api.enrolment_list), name="enrolment_list"),
    path("enrolments/<int:enrolment_id>/", login_not_required(api.enrolment_detail), name="enrolment_detail"),
    path("enrolments/<int:enrolment_id>/state-changes/", login_not_required(api.enrolment_state_changes),
         name="enrolment_state_changes"),
    path("enrolments/<int:enrolment_id>/transition/", login_not_required(api.enrolment_transition),
         name="enrolment_transition"),
    path("enrolments/<int:enrolment_id>/attendance/", login_not_required(api.enrolment_attendance),
         name="enrolment_attendance"),
    path("enrolments/<int:enrolment_id>/compliance-events/", login_not_required(api.enrolment_compliance_events),
         name="enrolment_compliance_events"),
    path("enrolments/<int:enrolment_id>/court-reports/", login_not_required(api.enrolment_court_reports),
         name="enrolment_court_reports"),
]
