from django.urls import path

from rete.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
]

# Self-checks and the pages about quick exit and browsing safely (answered in the browser only).
urlpatterns += [
    path("self-check/", views.self_check, name="self_check"),
    path("self-check/me/", views.self_check_me, name="self_check_me"),
    path("self-check/someone-i-know/", views.self_check_other, name="self_check_other"),
    path("quick-exit/", views.quick_exit_info, name="quick_exit_info"),
    path("browsing-safely/", views.browsing_safely, name="browsing_safely"),
]

# Safe contact: she asks a service to contact her (part 3).
from rete.portal import contact as _contact  # noqa: E402

urlpatterns += [
    path("contact/", _contact.safe_contact, name="safe_contact"),
]
