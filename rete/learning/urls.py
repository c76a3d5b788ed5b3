from django.urls import path  # noqa: F401 (used by the blocks appended below)

app_name = "learning"
urlpatterns = []

# Each part appends its own block below.
