"""Django admin: for platform administrators only (superusers). Organisation admins manage
their own members in the app's screens, never here."""
from django.contrib import admin
from django.db import transaction
from django.contrib.auth.admin import UserAdmin

from rete.core import audit
from rete.core.models import AuditEvent, Membership, Organisation, User


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # deletion is anonymisation under a retention policy, never a click

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                action="admin.changed" if change else "admin.added",
                actor=request.user,
                obj=obj,
                detail={"fields": sorted(form.changed_data)},
            )

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects + [changed for changed, _fields in formset.changed_objects]:
                audit.record(action="admin.membership_saved", actor=request.user, obj=obj,
                             organisation=getattr(obj, "organisation", None), detail={"role": getattr(obj, "role", "")})


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False  # a membership ends (ended_at); its row stays for the record
    fields = ["organisation", "role", "created_at", "ended_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class StaffUserAdmin(SuperuserOnly, UserAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "is_service_account", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "language", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_service_account", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "username", "first_name", "last_name", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "region", "slug"]
    list_filter = ["country"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["seq", "at", "actor_label", "organisation", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_id"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# API tokens are created and revoked with `rete api-token`, which audits both; the admin's
# own screens for them would do neither.
try:
    from knox.models import AuthToken

    admin.site.unregister(AuthToken)
except admin.sites.NotRegistered:
    pass
