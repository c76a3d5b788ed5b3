from django.contrib import admin

from rete.core.admin import SuperuserOnly
from rete.portal.models import DirectoryEntry


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "open_24_7", "published"]
    list_filter = ["country", "kind", "published", "open_24_7"]
    search_fields = ["name", "city", "region", "postal_codes"]
    autocomplete_fields = []
    raw_id_fields = ["organisation"]
