"""The 25 items of the IPS fidelity scale (../shared/domain/IPS.md, "The 25-item fidelity
scale"): number, section, title, what the item asks, and whether Polku's data can inform it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIRST_ITEM = 1
LAST_ITEM = 25
ITEM_NUMBERS = range(FIRST_ITEM, LAST_ITEM + 1)


class Section(models.TextChoices):
    STAFFING = "staffing", _("Staffing")
    ORGANISATION = "organisation", _("Organisation")
    SERVICES = "services", _("Services")


class DataSupport(models.TextChoices):
    """IPS.md's last column: can Polku compute a suggestion for the item from its data?"""

    YES = "yes", _("Computed from the data")
    PARTLY = "partly", _("Partly informed by the data")
    NO = "no", _("Reviewer only")


@dataclass(frozen=True)
class Item:
    number: int
    section: Section
    title: str | Promise
    description: str | Promise
    data: DataSupport

    @property
    def section_label(self) -> str:
        return str(self.section.label)


S = Section
D = DataSupport

ITEMS: tuple[Item, ...] = (
    Item(
        1,
        S.STAFFING,
        _("Caseload size"),
        _("Employment specialists have individual caseloads of at most 20 clients."),
        D.YES,
    ),
    Item(
        2,
        S.STAFFING,
        _("Employment services staff"),
        _("Employment specialists provide only employment services."),
        D.PARTLY,
    ),
    Item(
        3,
        S.STAFFING,
        _("Vocational generalists"),
        _(
            "Each employment specialist carries out all phases of the service: engagement, "
            "assessment, job placement, job coaching and follow-along support."
        ),
        D.PARTLY,
    ),
    Item(
        4,
        S.ORGANISATION,
        _("Integration with treatment through team assignment"),
        _(
            "Employment specialists are attached to one or two treatment teams, which most of "
            "their clients come from."
        ),
        D.YES,
    ),
    Item(
        5,
        S.ORGANISATION,
        _("Integration through frequent team member contact"),
        _(
            "Employment specialists meet their teams weekly and share decisions about the "
            "clients with them."
        ),
        D.PARTLY,
    ),
    Item(
        6,
        S.ORGANISATION,
        _("Collaboration with vocational rehabilitation counsellors"),
        _(
            "Employment specialists and vocational rehabilitation counsellors (for example "
            "Kela's) meet regularly and share clients."
        ),
        D.PARTLY,
    ),
    Item(
        7,
        S.ORGANISATION,
        _("Vocational unit"),
        _(
            "At least two employment specialists and a leader form a unit with weekly group "
            "supervision."
        ),
        D.NO,
    ),
    Item(
        8,
        S.ORGANISATION,
        _("Role of the employment supervisor"),
        _("The supervisor leads the unit, follows its outcomes and coaches the specialists."),
        D.NO,
    ),
    Item(
        9,
        S.ORGANISATION,
        _("Zero exclusion criteria"),
        _(
            "Everyone who wants to work may take part: nobody is screened out as not ready for "
            "work."
        ),
        D.YES,
    ),
    Item(
        10,
        S.ORGANISATION,
        _("Agency focus on competitive employment"),
        _("The agency promotes competitive work in its policies, materials and follow-up."),
        D.PARTLY,
    ),
    Item(
        11,
        S.ORGANISATION,
        _("Executive team support"),
        _(
            "The organisation's leadership supports the service: quality assurance, resources "
            "and a steering group."
        ),
        D.NO,
    ),
    Item(
        12,
        S.SERVICES,
        _("Work incentives planning"),
        _(
            "Every client is offered personal benefits counselling before starting a job and "
            "whenever their work or benefits change."
        ),
        D.YES,
    ),
    Item(
        13,
        S.SERVICES,
        _("Disclosure"),
        _(
            "Clients get the information they need to make an informed choice about telling "
            "employers of a condition."
        ),
        D.YES,
    ),
    Item(
        14,
        S.SERVICES,
        _("Ongoing, work-based vocational assessment"),
        _(
            "Assessment goes on throughout the service, builds on work experience and keeps the "
            "career profile up to date."
        ),
        D.PARTLY,
    ),
    Item(
        15,
        S.SERVICES,
        _("Rapid job search for a competitive job"),
        _(
            "The first face-to-face contact with an employer comes within 30 days of entry, on "
            "average."
        ),
        D.YES,
    ),
    Item(
        16,
        S.SERVICES,
        _("Individualised job search"),
        _("Job search follows the client's preferences, strengths and experience."),
        D.YES,
    ),
    Item(
        17,
        S.SERVICES,
        _("Job development: frequent employer contact"),
        _("Each employment specialist makes at least six face-to-face employer contacts a week."),
        D.YES,
    ),
    Item(
        18,
        S.SERVICES,
        _("Job development: quality of employer contact"),
        _(
            "Employment specialists build relationships with employers through repeated, "
            "purposeful contacts."
        ),
        D.NO,
    ),
    Item(
        19,
        S.SERVICES,
        _("Diversity of job types"),
        _("Clients get different types of jobs."),
        D.YES,
    ),
    Item(
        20,
        S.SERVICES,
        _("Diversity of employers"),
        _("Clients get jobs with different employers."),
        D.YES,
    ),
    Item(
        21,
        S.SERVICES,
        _("Competitive jobs"),
        _(
            "The jobs are competitive: open to anyone and paid at least the minimum or "
            "collectively agreed wage."
        ),
        D.YES,
    ),
    Item(
        22,
        S.SERVICES,
        _("Individualised follow-along supports"),
        _(
            "Clients get support after starting work that fits them, from the specialist, the "
            "team and the employer."
        ),
        D.PARTLY,
    ),
    Item(
        23,
        S.SERVICES,
        _("Time-unlimited follow-along supports"),
        _(
            "Support goes on as long as the client wants it, usually more than a year after the "
            "job starts, tapering off individually."
        ),
        D.YES,
    ),
    Item(
        24,
        S.SERVICES,
        _("Community-based services"),
        # xgettext:no-python-format  (the "%" is a per cent sign)
        _("Employment specialists spend at least 65 % of their working time outside the office."),
        D.PARTLY,
    ),
    Item(
        25,
        S.SERVICES,
        _("Assertive engagement and outreach by the integrated team"),
        _("The team reaches out to clients who miss appointments or stop taking part."),
        D.PARTLY,
    ),
)

_BY_NUMBER = {item.number: item for item in ITEMS}


def item(number: int) -> Item:
    """The item with `number` (1–25); KeyError for any other number."""
    return _BY_NUMBER[number]


def by_section() -> list[tuple[Section, list[Item]]]:
    """The items grouped by section, in the scale's order."""
    return [(section, [i for i in ITEMS if i.section == section]) for section in Section]
