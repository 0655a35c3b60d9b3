"""Translated reference data (django-modeltranslation): name_fi, name_sv, name_en."""

from modeltranslation.translator import TranslationOptions, register

from polku.clients.models import Municipality, Programme


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name",)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name",)
