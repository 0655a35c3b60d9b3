"""Translated reference data (django-modeltranslation): name_fi, name_sv, name_en."""

from modeltranslation.translator import TranslationOptions, register

from polku.core.models import Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
