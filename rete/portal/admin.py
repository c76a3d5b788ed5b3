from django.contrib import admin
from django.db import models

from rete.core.admin import SuperuserOnly
from rete.portal.models import DirectoryEntry


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "open_24_7", "published"]
    list_filter = ["country", "kind", "published", "open_24_7"]
    search_fields = ["name", "city", "region", "postal_codes"]
    autocomplete_fields = []
    raw_id_fields = ["organisation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # an editor's form opened before this change is then refused as stale
        super().save_model(request, obj, form, change)
