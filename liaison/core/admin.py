from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# django-otp's own admin for TOTP devices shows a device's key and its QR code, so one
# administrator could copy another's second factor. Here a device shows who owns it and when it
# was used, never its key; it is set up by its owner only (on the second-factor page), and
# removing it (a lost phone) makes its owner set up a new one at the next sign-in.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
