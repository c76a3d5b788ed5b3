from django.urls import path  # noqa: F401 (used by the blocks appended below)

app_name = "learning"
urlpatterns = []

# Each part appends its own block below.

# Part "practice-records": the staff pages of good practices (list, new, page, edit, translate,
# submit, files).
from rete.learning.views import practice_records  # noqa: E402

urlpatterns += [
    path("practices/", practice_records.practice_list, name="practice_list"),
    path("practices/new/", practice_records.practice_add, name="practice_add"),
    path("practices/<int:practice_id>/", practice_records.practice_detail, name="practice_detail"),
    path("practices/<int:practice_id>/edit/", practice_records.practice_edit, name="practice_edit"),
    path("practices/<int:practice_id>/translate/<str:practice_language>/", practice_records.practice_translate,
         name="practice_translate"),
    path("practices/<int:practice_id>/submit/", practice_records.practice_submit, name="practice_submit"),
    path("practices/<int:practice_id>/attachments/", practice_records.practice_attachment_add,
         name="practice_attachment_add"),
    path("practices/<int:practice_id>/attachments/<int:practice_attachment_id>/",
         practice_records.practice_attachment_download, name="practice_attachment_download"),
    path("practices/<int:practice_id>/attachments/<int:practice_attachment_id>/delete/",
         practice_records.practice_attachment_delete, name="practice_attachment_delete"),
]

# Part "events": training events (list, new, page, edit, status, calendar file), their sessions,
# materials and invitation links.
from rete.learning.views import events  # noqa: E402

urlpatterns += [
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_add, name="event_add"),
    path("events/<int:training_event_id>/", events.event_detail, name="event_detail"),
    path("events/<int:training_event_id>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:training_event_id>/status/", events.event_status, name="event_status"),
    path("events/<int:training_event_id>/calendar.ics", events.event_ics, name="event_ics"),
    path("events/<int:training_event_id>/sessions/new/", events.session_add, name="event_session_add"),
    path("events/<int:training_event_id>/sessions/<int:event_session_id>/edit/", events.session_edit,
         name="event_session_edit"),
    path("events/<int:training_event_id>/sessions/<int:event_session_id>/delete/", events.session_delete,
         name="event_session_delete"),
    path("events/<int:training_event_id>/materials/new/", events.material_add, name="event_material_add"),
    path("events/<int:training_event_id>/materials/<int:event_material_id>/", events.material_download,
         name="event_material_download"),
    path("events/<int:training_event_id>/materials/<int:event_material_id>/delete/", events.material_delete,
         name="event_material_delete"),
    path("events/<int:training_event_id>/invitations/", events.invitations, name="event_invitations"),
    path("events/<int:training_event_id>/invitations/<int:invitation_id>/revoke/", events.invitation_revoke,
         name="event_invitation_revoke"),
]

# Part "pilots": my organisations' pilots, starting a pilot of a practice, a pilot's page, its
# changes and indicators, starting, completing and abandoning it.
from rete.learning.views import pilots  # noqa: E402

urlpatterns += [
    path("pilots/", pilots.pilot_list, name="pilot_list"),
    path("practices/<int:practice_id>/pilots/new/", pilots.pilot_start, name="pilot_start"),
    path("pilots/<int:pilot_id>/", pilots.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pilot_id>/edit/", pilots.pilot_edit, name="pilot_edit"),
    path("pilots/<int:pilot_id>/indicators/", pilots.pilot_indicator_add, name="pilot_indicator_add"),
    path("pilots/<int:pilot_id>/indicators/<int:pilot_indicator_id>/edit/", pilots.pilot_indicator_edit,
         name="pilot_indicator_edit"),
    path("pilots/<int:pilot_id>/indicators/<int:pilot_indicator_id>/remove/", pilots.pilot_indicator_remove,
         name="pilot_indicator_remove"),
    path("pilots/<int:pilot_id>/running/", pilots.pilot_running, name="pilot_running"),
    path("pilots/<int:pilot_id>/complete/", pilots.pilot_complete, name="pilot_complete"),
    path("pilots/<int:pilot_id>/abandon/", pilots.pilot_abandon, name="pilot_abandon"),
]

# Part "certificates": certificates of attendance (issued, revoked and printed from the event page,
# downloaded by the participant herself) and the funders' report.
from rete.learning.views import certificates as _certificates  # noqa: E402
from rete.learning.views import reports as _reports  # noqa: E402

urlpatterns += [
    path("events/<int:training_event_id>/certificates/issue/", _certificates.certificates_issue, name="certificates_issue"),
    path("events/<int:training_event_id>/certificates/<int:certificate_registration_id>.pdf", _certificates.certificate_pdf,
         name="certificate_pdf"),
    path("events/<int:training_event_id>/certificates/<int:certificate_registration_id>/issue/",
         _certificates.certificate_issue, name="certificate_issue"),
    path("events/<int:training_event_id>/certificates/<int:certificate_registration_id>/revoke/",
         _certificates.certificate_revoke, name="certificate_revoke"),
    path("my-training/<int:registration_id>/certificate.pdf", _certificates.my_certificate, name="my_certificate"),
    path("reports/", _reports.training_report, name="training_report"),
    path("reports/training-report.xlsx", _reports.training_report_xlsx, name="training_report_xlsx"),
]

# Part "registration": registering herself for an event, cancelling (POST only), the participants'
# list with its CSV, sending an outside participant her link again (POST only), the attendance
# register of a session, her training and her registration's page.
from rete.learning.views import registrations as _registrations  # noqa: E402

urlpatterns += [
    path("events/<int:training_event_id>/register/", _registrations.event_register, name="event_register"),
    path("registrations/<int:registration_id>/cancel/", _registrations.registration_cancel, name="registration_cancel"),
    path("registrations/<int:registration_id>/send-link/", _registrations.participant_link_resend,
         name="participant_link_resend"),
    path("events/<int:training_event_id>/participants/", _registrations.event_participants, name="event_participants"),
    path("events/<int:training_event_id>/participants.csv", _registrations.event_participants_csv,
         name="event_participants_csv"),
    path("events/<int:training_event_id>/sessions/<int:attendance_session_id>/attendance/",
         _registrations.attendance_register, name="attendance_register"),
    path("my-training/", _registrations.my_training, name="my_training"),
    path("my-training/<int:registration_id>/", _registrations.my_registration, name="my_registration"),
]

# Part "practice-review": the review queue, the review grids, and the steps of a practice's review
# (the section of the practice page posts to these; the review page holds the scoring form).
from rete.learning.views import review as _review  # noqa: E402

urlpatterns += [
    path("reviews/", _review.review_queue, name="review_queue"),
    path("review-grids/", _review.grid_list, name="grid_list"),
    path("review-grids/<int:grid_id>/", _review.grid_detail, name="grid_detail"),
    path("review-grids/<int:grid_id>/edit/", _review.grid_edit, name="grid_edit"),
    path("review-grids/<int:grid_id>/copy/", _review.grid_copy, name="grid_copy"),
    path("review-grids/<int:grid_id>/activate/", _review.grid_activate, name="grid_activate"),
    path("practices/<int:practice_id>/check/", _review.practice_check, name="practice_check"),
    path("practices/<int:practice_id>/review/", _review.practice_review, name="practice_review"),
    path("practices/<int:practice_id>/conclude/", _review.practice_conclude, name="practice_conclude"),
    path("practices/<int:practice_id>/select/", _review.practice_select, name="practice_select"),
    path("practices/<int:practice_id>/publish/", _review.practice_publish, name="practice_publish"),
    path("practices/<int:practice_id>/withdraw/", _review.practice_withdraw, name="practice_withdraw"),
]

# Part "evaluation": the knowledge test of an event (list and add, edit, remove: POST only) and its
# evaluation results, for the people who run it; a member's own test before/after, satisfaction
# and follow-up questionnaires.
from rete.learning.views import evaluation as _evaluation  # noqa: E402

urlpatterns += [
    path("events/<int:training_event_id>/test/", _evaluation.test_items, name="test_items"),
    path("events/<int:training_event_id>/test/<int:test_item_id>/edit/", _evaluation.test_item_edit,
         name="test_item_edit"),
    path("events/<int:training_event_id>/test/<int:test_item_id>/delete/", _evaluation.test_item_delete,
         name="test_item_delete"),
    path("events/<int:training_event_id>/results/", _evaluation.event_results, name="event_results"),
    path("my-training/<int:registration_id>/test/<str:test_phase>/", _evaluation.my_test, name="my_test"),
    path("my-training/<int:registration_id>/satisfaction/", _evaluation.my_satisfaction, name="my_satisfaction"),
    path("my-training/<int:registration_id>/follow-up/", _evaluation.my_follow_up, name="my_follow_up"),
]
