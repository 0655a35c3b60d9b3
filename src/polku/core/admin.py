"""Django admin for superusers: organisations, staff and memberships. No client data here —
client records are read only through selectors that apply the access policy and log reads."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from polku.core.models import Membership, Organisation, SecurityEvent, User


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "business_id", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "business_id")


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ("organisation", "role", "title", "valid_from", "valid_until")


@admin.register(User)
class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "organisation", "role", "valid_from", "valid_until")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__last_name")


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: failed sign-ins with an unknown username belong to no organisation, so only
    superusers see them, here."""

    list_display = ("at", "kind", "user", "membership", "ip_address")
    list_filter = ("kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
