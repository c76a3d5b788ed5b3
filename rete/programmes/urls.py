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
