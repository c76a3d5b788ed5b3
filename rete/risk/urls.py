from django.urls import path  # noqa: F401 (used by the patterns appended below)

from rete.risk import views  # noqa: F401

app_name = "risk"
urlpatterns = []

# History, the network view, the instruments page. A subject type is a slug that is not one of
# the fixed first segments of this namespace, so `/risk/<type>/<id>/` never shadows
# `/risk/assessments/<id>/` or `/risk/actions/<id>/` whatever the order of the patterns.
from django.urls import register_converter  # noqa: E402


class SubjectTypeConverter:
    regex = r"(?!(?:assessments|actions|network|instruments)/)[-a-z0-9_]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SubjectTypeConverter, "risk_subject")

urlpatterns += [
    path("network/", views.network, name="network"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("<risk_subject:subject_type>/<int:subject_id>/", views.subject_history, name="subject_history"),
]

# Assessments of a subject: start, answer (autosaved), sign off, correct; actions; events.
urlpatterns += [
    path("<risk_subject:subject_type>/<int:subject_id>/new/", views.assessment_start, name="assessment_start"),
    path("<risk_subject:subject_type>/<int:subject_id>/event/", views.event_record, name="event_record"),
    path("assessments/<int:assessment_id>/", views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:assessment_id>/autosave/", views.assessment_autosave, name="assessment_autosave"),
    path("assessments/<int:assessment_id>/sign/", views.assessment_sign, name="assessment_sign"),
    path("assessments/<int:assessment_id>/correct/", views.assessment_correct, name="assessment_correct"),
    path("actions/<int:action_id>/", views.action_update, name="action_update"),
]
