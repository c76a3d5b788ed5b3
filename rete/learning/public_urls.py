"""Public pages of mutual learning (no sign-in): published practices the owners chose to make
public, the certificate check, registration through an invitation link, a participant's
personal link. Each part appends its own block below."""
from django.urls import path  # noqa: F401 (used by the blocks appended below)

app_name = "learning_public"
urlpatterns = []
