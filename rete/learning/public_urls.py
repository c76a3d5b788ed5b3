"""Public pages of mutual learning (no sign-in): published practices the owners chose to make
public, the certificate check, registration through an invitation link, a participant's
personal link. Each part appends its own block below."""
from django.urls import path  # noqa: F401 (used by the blocks appended below)

app_name = "learning_public"
urlpatterns = []

# Part "certificates": the public check of a certificate's code, and an outside participant's
# certificate through her personal link.
from rete.learning.views import certificates as _certificates  # noqa: E402

urlpatterns += [
    path("certificates/verify/", _certificates.certificate_verify, name="certificate_verify"),
    path("certificates/verify/<str:certificate_code>/", _certificates.certificate_check, name="certificate_check"),
    path("training/me/<str:participant_token>/certificate.pdf", _certificates.participant_certificate,
         name="participant_certificate"),
]

# Part "registration": registering through an invitation link, and an outside participant's
# personal page (her registration, cancelling it (POST only), the calendar file).
from rete.learning.views import registrations_public as _registrations_public  # noqa: E402

urlpatterns += [
    path("training/join/<str:invitation_token>/", _registrations_public.join, name="join"),
    path("training/me/<str:participant_token>/", _registrations_public.participant_home, name="participant_home"),
    path("training/me/<str:participant_token>/cancel/", _registrations_public.participant_cancel,
         name="participant_cancel"),
    path("training/me/<str:participant_token>/calendar.ics", _registrations_public.participant_calendar,
         name="participant_calendar"),
]

# Part "practice-review": published practices whose owners chose the public portal.
from rete.learning.views import review as _review  # noqa: E402

urlpatterns += [
    path("practices/", _review.public_practice_list, name="practice_list"),
    path("practices/<int:public_practice_id>/", _review.public_practice_detail, name="practice_detail"),
]

# Part "evaluation": an outside participant's test before/after, satisfaction and follow-up
# questionnaires, through her personal link.
from rete.learning.views import evaluation as _evaluation  # noqa: E402

urlpatterns += [
    path("training/me/<str:participant_token>/test/<str:test_phase>/", _evaluation.participant_test,
         name="participant_test"),
    path("training/me/<str:participant_token>/satisfaction/", _evaluation.participant_satisfaction,
         name="participant_satisfaction"),
    path("training/me/<str:participant_token>/follow-up/", _evaluation.participant_follow_up,
         name="participant_follow_up"),
]
