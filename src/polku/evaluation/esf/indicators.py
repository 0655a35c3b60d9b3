"""The ESF+ common indicators for participants and entities, as Polku reports them.

Regulation (EU) 2021/1057 (ESF+), Annex I, points 1 (output), 2 (immediate result) and 3
(longer-term result); codes and wording from ../shared/domain/ESF_INDICATORS.md. The names are
the report's row labels; what each counts and which records produce it is on the definitions
page (`evaluation.definitions.esf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Group(models.TextChoices):
    OUTPUT = "output", _("Common output indicators for participants (at entry)")
    IMMEDIATE = "immediate", _("Common immediate result indicators (upon leaving)")
    LONGER_TERM = (
        "longer_term",
        _("Common longer-term result indicators (six months after leaving)"),
    )
    ENTITIES = "entities", _("Common output indicators for entities")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: StrOrPromise
    group: Group
    # False where Polku holds no record that could produce the figure: reported as "not
    # collected" with the reason in `note`, never as a zero.
    collected: bool = True
    note: StrOrPromise = ""

    @property
    def counts_people(self) -> bool:
        """Participant indicators are broken down by gender; entities are not people."""
        return self.group != Group.ENTITIES


INDICATORS: tuple[Indicator, ...] = (
    Indicator("EECO01", _("Total number of participants"), Group.OUTPUT),
    Indicator("EECO02", _("Unemployed, including long-term unemployed"), Group.OUTPUT),
    Indicator("EECO03", _("Long-term unemployed"), Group.OUTPUT),
    # The context keeps these apart from the same words elsewhere ("inactive" record, a form label).
    Indicator("EECO04", pgettext_lazy("ESF+ indicator", "Inactive"), Group.OUTPUT),
    Indicator("EECO05", _("Employed, including self-employed"), Group.OUTPUT),
    Indicator("EECO06", _("Children below 18 years of age"), Group.OUTPUT),
    Indicator("EECO07", _("Young people between 18 and 29 years of age"), Group.OUTPUT),
    Indicator("EECO08", _("Participants 55 years of age and above"), Group.OUTPUT),
    Indicator("EECO09", _("With lower secondary education or less (ISCED 0–2)"), Group.OUTPUT),
    Indicator(
        "EECO10",
        _("With upper secondary (ISCED 3) or post-secondary education (ISCED 4)"),
        Group.OUTPUT,
    ),
    Indicator("EECO11", _("With tertiary education (ISCED 5–8)"), Group.OUTPUT),
    Indicator("EECO12", _("Participants with disabilities"), Group.OUTPUT),
    Indicator("EECO13", _("Third-country nationals"), Group.OUTPUT),
    Indicator("EECO14", _("Participants with a foreign background"), Group.OUTPUT),
    Indicator(
        "EECO15",
        _("Minorities (including marginalised communities such as the Roma)"),
        Group.OUTPUT,
    ),
    Indicator(
        "EECO16",
        pgettext_lazy("ESF+ indicator", "Homeless or affected by housing exclusion"),
        Group.OUTPUT,
    ),
    Indicator("EECO17", _("Participants from rural areas"), Group.OUTPUT),
    Indicator("EECR01", _("Participants engaged in job searching upon leaving"), Group.IMMEDIATE),
    Indicator("EECR02", _("Participants in education or training upon leaving"), Group.IMMEDIATE),
    Indicator("EECR03", _("Participants gaining a qualification upon leaving"), Group.IMMEDIATE),
    Indicator(
        "EECR04",
        _("Participants in employment, including self-employment, upon leaving"),
        Group.IMMEDIATE,
    ),
    Indicator(
        "EECR05",
        _("Participants in employment, including self-employment, six months after leaving"),
        Group.LONGER_TERM,
    ),
    Indicator(
        "EECR06",
        _("Participants with an improved labour market situation six months after leaving"),
        Group.LONGER_TERM,
    ),
    Indicator(
        "EECO18",
        _("Number of public administrations or public services supported"),
        Group.ENTITIES,
        collected=False,
        note=_(
            "Not collected: the programmes support people, and Polku records no support given "
            "to a public administration or public service as such."
        ),
    ),
    Indicator(
        "EECO19",
        _("Number of micro, small and medium-sized enterprises supported"),
        Group.ENTITIES,
        note=_(
            "Employers of size class micro, small or medium in the employer register with an "
            "employer service in force during the period from an organisation that runs or "
            "provides the programme."
        ),
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


def in_group(group: Group) -> tuple[Indicator, ...]:
    return tuple(indicator for indicator in INDICATORS if indicator.group == group)
