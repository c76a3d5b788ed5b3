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

# Content editors (staff): the start page of the portal's editing; each part appends its own.
from rete.portal.views import editor as _editor  # noqa: E402

urlpatterns += [
    path("editor/", _editor.editor_home, name="editor_home"),
]

# Information pages per country (part "pages"): public reading, and the editors' side.
from rete.portal.views import editor_pages as _editor_pages  # noqa: E402
from rete.portal.views import pages as _pages  # noqa: E402

urlpatterns += [
    path("info/", _pages.info_index, name="info_index"),
    # The reach counter reads `country` and `slug` from this URL's keyword arguments.
    path("info/<str:country>/<slug:slug>/", _pages.info_page, name="info_page"),
    path("editor/pages/", _editor_pages.editor_pages, name="editor_pages"),
    path("editor/pages/new/", _editor_pages.editor_page_add, name="editor_page_add"),
    path("editor/pages/<int:page_id>/<str:language>/", _editor_pages.editor_page_edit, name="editor_page_edit"),
    path("editor/pages/<int:page_id>/<str:language>/preview/", _editor_pages.editor_page_preview, name="editor_page_preview"),
    path("editor/pages/<int:page_id>/<str:language>/submit/", _editor_pages.editor_page_submit, name="editor_page_submit"),
    path("editor/pages/<int:page_id>/<str:language>/discard/", _editor_pages.editor_page_discard, name="editor_page_discard"),
    path("editor/pages/<int:page_id>/<str:language>/history/", _editor_pages.editor_page_history, name="editor_page_history"),
    path("editor/versions/<int:page_version_id>/", _editor_pages.editor_page_version, name="editor_page_version"),
    path("editor/versions/<int:page_version_id>/review/", _editor_pages.editor_page_review, name="editor_page_review"),
]

# Info days and events, information materials (part "events-materials"): public and editors' side.
from rete.portal.views import editor_events as _editor_events  # noqa: E402
from rete.portal.views import editor_materials as _editor_materials  # noqa: E402
from rete.portal.views import events as _events  # noqa: E402
from rete.portal.views import materials as _materials  # noqa: E402

urlpatterns += [
    path("events/", _events.events, name="events"),
    path("events/calendar.ics", _events.events_ics, name="events_ics"),
    path("events/<int:event_id>/", _events.event_detail, name="event_detail"),
    path("events/<int:event_id>/event.ics", _events.event_ics, name="event_ics"),
    path("editor/events/", _editor_events.editor_events, name="editor_events"),
    path("editor/events/new/", _editor_events.editor_event_add, name="editor_event_add"),
    path("editor/events/<int:event_id>/edit/", _editor_events.editor_event_edit, name="editor_event_edit"),
    path("editor/events/<int:event_id>/publish/", _editor_events.editor_event_publish, name="editor_event_publish"),
    path("editor/events/<int:event_id>/cancel/", _editor_events.editor_event_cancel, name="editor_event_cancel"),
    path("editor/materials/", _editor_materials.editor_materials, name="editor_materials"),
    path("editor/materials/new/", _editor_materials.editor_material_add, name="editor_material_add"),
    path("editor/materials/<int:material_id>/edit/", _editor_materials.editor_material_edit, name="editor_material_edit"),
    path("editor/materials/<int:material_id>/<str:language>.pdf", _editor_materials.editor_material_pdf,
         name="editor_material_pdf"),
    path("materials/", _materials.materials, name="materials"),
    path("materials/<int:material_id>/<str:language>.pdf", _materials.material_pdf, name="material_pdf"),
]

# Campaigns, social media posts and reach (part "campaigns-reach"): the editors' side.
from rete.portal.views import editor_campaigns as _editor_campaigns  # noqa: E402
from rete.portal.views import editor_reach as _editor_reach  # noqa: E402

urlpatterns += [
    path("editor/campaigns/", _editor_campaigns.editor_campaigns, name="editor_campaigns"),
    path("editor/campaigns/new/", _editor_campaigns.editor_campaign_add, name="editor_campaign_add"),
    path("editor/campaigns/<int:campaign_id>/", _editor_campaigns.editor_campaign, name="editor_campaign"),
    path("editor/campaigns/<int:campaign_id>/edit/", _editor_campaigns.editor_campaign_edit, name="editor_campaign_edit"),
    path("editor/campaigns/<int:campaign_id>/pack.zip", _editor_campaigns.editor_campaign_pack, name="editor_campaign_pack"),
    path("editor/campaigns/<int:campaign_id>/posts/new/", _editor_campaigns.editor_post_add, name="editor_post_add"),
    path("editor/posts/", _editor_campaigns.editor_post_calendar, name="editor_post_calendar"),
    path("editor/posts/<int:post_id>/", _editor_campaigns.editor_post, name="editor_post"),
    path("editor/posts/<int:post_id>/edit/", _editor_campaigns.editor_post_edit, name="editor_post_edit"),
    path("editor/posts/<int:post_id>/submit/", _editor_campaigns.editor_post_submit, name="editor_post_submit"),
    path("editor/posts/<int:post_id>/approve/", _editor_campaigns.editor_post_approve, name="editor_post_approve"),
    path("editor/posts/<int:post_id>/return/", _editor_campaigns.editor_post_return, name="editor_post_return"),
    path("editor/posts/<int:post_id>/published/", _editor_campaigns.editor_post_published, name="editor_post_published"),
    path("editor/posts/<int:post_id>/image", _editor_campaigns.editor_post_image, name="editor_post_image"),
    path("editor/posts/<int:post_id>/pack.zip", _editor_campaigns.editor_post_pack, name="editor_post_pack"),
    path("editor/reach/", _editor_reach.editor_reach, name="editor_reach"),
    path("editor/reach.csv", _editor_reach.editor_reach_csv, name="editor_reach_csv"),
]

# The service directory, the editors' side (part "directory-editor").
from rete.portal.views import editor_directory as _editor_directory  # noqa: E402

urlpatterns += [
    path("editor/directory/", _editor_directory.editor_directory, name="editor_directory"),
    path("editor/directory/new/", _editor_directory.editor_directory_add, name="editor_directory_add"),
    path("editor/directory/<int:entry_id>/edit/", _editor_directory.editor_directory_edit, name="editor_directory_edit"),
    path("editor/directory/<int:entry_id>/publish/", _editor_directory.editor_directory_publish,
         name="editor_directory_publish"),
]
