"""Django admin for reference data only (programmes, municipalities); never client records."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from polku.clients.models import Municipality, Programme


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "organisation", "target_participants")


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "country")
    search_fields = ("code", "name")
