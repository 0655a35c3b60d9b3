"""Life domains of the joint assessment, and the data category each belongs to.

The category decides who may read an assessment entry, a goal or a referral in that domain
(core.access): health domains are health data, so they never reach another organisation without
the client's consent, and never reach a role that may not read health data at all.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.core.categories import DataCategory

C = DataCategory


class LifeDomain(models.TextChoices):
    WORK = "work", _("Work and career")
    EDUCATION = "education", _("Education and skills")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    HOUSING = "housing", _("Housing")
    FINANCES = "finances", _("Finances and debt")
    SOCIAL_RELATIONS = "social_relations", _("Social relations and family")
    DAILY_LIVING = "daily_living", _("Daily living skills")
    LEGAL = "legal", _("Legal matters")
    LANGUAGE = "language", _("Language skills")


DOMAIN_CATEGORY: dict[str, str] = {
    LifeDomain.WORK: C.EMPLOYMENT,
    LifeDomain.EDUCATION: C.EDUCATION,
    LifeDomain.PHYSICAL_HEALTH: C.HEALTH,
    LifeDomain.MENTAL_HEALTH: C.HEALTH,
    LifeDomain.SUBSTANCE_USE: C.HEALTH,
    LifeDomain.HOUSING: C.SOCIAL,
    # Debts and income are what benefits counsellors and debt counsellors work with.
    LifeDomain.FINANCES: C.BENEFITS,
    LifeDomain.SOCIAL_RELATIONS: C.SOCIAL,
    LifeDomain.DAILY_LIVING: C.SOCIAL,
    LifeDomain.LEGAL: C.SOCIAL,
    LifeDomain.LANGUAGE: C.EDUCATION,
}


def category_of(domain: str) -> str:
    return DOMAIN_CATEGORY[domain]


def domains_in(categories: frozenset[str] | set[str]) -> list[str]:
    """The domains whose category is among `categories`, in the assessment's order."""
    return [d for d in LifeDomain.values if DOMAIN_CATEGORY[d] in categories]


class Need(models.IntegerChoices):
    """The need scale of the joint assessment: 0 no need … 3 urgent."""

    NONE = 0, _("0 – no need for support")
    SOME = 1, _("1 – some need")
    CLEAR = 2, _("2 – clear need")
    URGENT = 3, _("3 – urgent need")
