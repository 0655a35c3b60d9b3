"""Django admin for superusers: organisations, staff and memberships. No client data here —
client records are read only through selectors that apply the access policy and log reads."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from modeltranslation.admin import TranslationAdmin

from polku.core.models import Membership, Organisation, User


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
