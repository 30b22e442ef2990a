from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from liaison.core.models import ApiToken, AuditEntry, Jurisdiction, PortOfEntry, Site, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "role", "jurisdiction", "site", "is_active"]
    list_filter = ["role", "is_active", "is_machine", "jurisdiction"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Liaison"), {"fields": ["role", "jurisdiction", "site", "is_machine"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Liaison"), {"fields": ["role", "jurisdiction", "site", "is_machine"]}),
    ]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "jurisdiction", "capacity", "active"]
    list_filter = ["kind", "active", "jurisdiction"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(PortOfEntry)
class PortOfEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "iata", "icao", "jurisdiction"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_username", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_username", "object_id"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "lookup", "user", "created_at", "revoked_at", "last_used_at"]
