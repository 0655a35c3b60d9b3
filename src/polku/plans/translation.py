"""Translated catalogue fields (django-modeltranslation): name_fi, name_sv, name_en, …"""

from modeltranslation.translator import TranslationOptions, register

from polku.plans.models import Service


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "eligibility")
