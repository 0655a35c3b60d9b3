"""Data categories and purposes: the two words every access decision is made of.

Every record of personal data belongs to one category; every read states one purpose. Consents
share categories with organisations for a purpose (ARCHITECTURE.md, "Access policy").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact details")
    EMPLOYMENT = "employment", _("Employment and programme")
    EDUCATION = "education", _("Education and skills")
    BENEFITS = "benefits", _("Benefits")
    SOCIAL = "social", _("Social welfare")
    HEALTH = "health", _("Health")


# Special categories: these never cross an organisation's border without the client's consent,
# and the roles that read them must use two-factor authentication.
SENSITIVE_CATEGORIES = frozenset({DataCategory.HEALTH, DataCategory.SOCIAL})


class Purpose(models.TextChoices):
    SERVICE = "service", _("Service and coordination")
    REFERRAL = "referral", _("Referral to another organisation")
    EVALUATION = "evaluation", _("Evaluation and statistics")
    AUDIT = "audit", _("Supervision and audit")


# In a model's `personal_data`, marks fields whose category is the row's own `category` column
# (an assessment entry in the health domain is health data, one in housing social data).
ROW_CATEGORY = "row"
