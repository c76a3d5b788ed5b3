from django.urls import path  # noqa: F401 (used by the patterns appended below)

from rete.risk import views  # noqa: F401

app_name = "risk"
urlpatterns = []
