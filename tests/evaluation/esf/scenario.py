"""A hand-built programme whose ESF+ indicators are known, cell by cell (EXPECTED).

The period is January–June 2025. Fourteen people; the comment on each says where they count.
Shared by the query, page, file, API and browser tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from polku.clients.models import Client, EndReason, Episode, Gender, Programme
from polku.core.models import Organisation
from polku.employers.models import EmployerAgreement, SizeClass
from polku.evaluation.models import (
    EntryData,
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)
from polku.ips.outcomes.periods import Month
from tests.factories import (
    ClientFactory,
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)

D = dt.date
PERIOD_FROM = Month(2025, 1)
PERIOD_TO = Month(2025, 6)
S = OutcomeStatus
UNEMPLOYED = LabourMarketStatus.UNEMPLOYED
INACTIVE = LabourMarketStatus.INACTIVE
EMPLOYED = LabourMarketStatus.EMPLOYED
YES, DECLINED = SensitiveAnswer.YES, SensitiveAnswer.DECLINED

# (women, men, non-binary, not disclosed) for every line of the report.
EXPECTED: dict[str, tuple[int, int, int, int]] = {
    # Output: first entry in the period — A, B, H, K, M (women), C, E, L, Q (men), F, G.
    "EECO01": (5, 4, 1, 1),
    "EECO02": (3, 3, 0, 1),  # A B K · C L Q · G
    "EECO03": (2, 2, 0, 0),  # A (24 mo), B (23 y, 7 mo) · L (18 y, 7 mo), Q (14 mo, first entry)
    "EECO04": (0, 0, 1, 0),  # F
    "EECO05": (1, 1, 0, 0),  # M · E
    "EECO06": (0, 0, 1, 0),  # F, 16
    "EECO07": (2, 1, 0, 1),  # B 23, K 29 on entry day · L 18 on entry day · G 25
    "EECO08": (1, 1, 0, 0),  # M 65 · E 59
    "EECO09": (1, 1, 1, 0),  # B · L · F
    "EECO10": (1, 2, 0, 0),  # A · E, Q (ISCED 3 at first entry, 7 at the second)
    "EECO11": (2, 1, 0, 0),  # K, M · C
    "EECO12": (1, 0, 0, 0),  # A
    "EECO13": (1, 0, 0, 0),  # B
    "EECO14": (1, 0, 0, 0),  # B
    "EECO15": (0, 0, 1, 0),  # F
    "EECO16": (0, 0, 0, 0),
    "EECO17": (1, 0, 0, 0),  # A
    "esf-entry-data-missing": (1, 0, 0, 0),  # H
    "esf-isced-unknown": (0, 0, 0, 1),  # G
    "esf-months-unemployed-missing": (1, 0, 0, 0),  # K
    "esf-rural-unknown": (3, 3, 1, 1),  # B K M · C L Q · F · G
    "esf-sensitive-not-asked": (1, 4, 0, 1),  # M · C E L Q · G
    "esf-declined-disability": (1, 0, 0, 0),  # B
    "esf-declined-third-country-national": (0, 0, 0, 0),
    "esf-declined-foreign-background": (0, 0, 0, 0),
    "esf-declined-minority": (0, 0, 0, 0),
    "esf-declined-homeless": (0, 0, 1, 0),  # F
    # Results: final exit in the period — A, B, M, O (women), D, E, L (men), G.
    "esf-leavers": (4, 3, 0, 1),
    "EECR01": (1, 1, 0, 0),  # B · L (a job, then job seeking again within the 28 days)
    "EECR02": (1, 1, 0, 0),  # B (in education besides job seeking) · D (education)
    "EECR03": (0, 1, 0, 0),  # D
    "EECR04": (2, 1, 0, 0),  # A (job on day 20), M self-employed · E
    "esf-exit-not-recorded": (1, 0, 0, 0),  # O
    "EECR05": (1, 2, 0, 0),  # A · E, L (subsidised)
    "EECR06": (0, 1, 0, 0),  # E (employed at entry, improved); not L (unemployed at entry)
    "esf-employed-at-entry": (2, 1, 0, 0),  # M, O · E
    "esf-month-6-not-recorded": (2, 1, 0, 1),  # B, O (due, empty) · D · G
}
# Employers: E1 micro, E2 medium, E7 micro (two services) are small or medium; E3 is large;
# E4 has no size class. E5's service ended before the period, E6's came from elsewhere.
EXPECTED_SMES = 3
EXPECTED_EMPLOYERS_SUPPORTED = 5
EXPECTED_SIZE_UNKNOWN = 1


@dataclass
class World:
    programme: Programme
    organisation: Organisation
    provider: Organisation


def _episode(
    world: World,
    client: Client,
    start: dt.date,
    end: dt.date | None = None,
    *,
    months: int | None = 24,
    programme: Programme | None = None,
) -> Episode:
    return Episode.objects.create(
        client=client,
        programme=programme or world.programme,
        organisation=client.recorded_by,
        recorded_by=client.recorded_by,
        start_date=start,
        end_date=end,
        end_reason=EndReason.OTHER if end else "",
        months_unemployed=months,
    )


def _entry(
    episode: Episode,
    status: str,
    isced: int | None,
    *,
    rural: bool | None = None,
    consent: bool = False,
    **sensitive: str,
) -> EntryData:
    answers: dict[str, Any] = {}
    if consent:
        answers = dict.fromkeys(
            ("disability", "third_country_national", "foreign_background", "minority", "homeless"),
            SensitiveAnswer.NO,
        )
        answers |= sensitive
    return EntryData.objects.create(
        episode=episode,
        recorded_by=episode.recorded_by,
        labour_market_status=status,
        isced_level=isced,
        rural_area=rural,
        sensitive_consent=consent,
        **answers,
    )


def _outcome(
    episode: Episode,
    point: str,
    status: str = "",
    *,
    observed: dt.date | None = None,
    **flags: Any,
) -> Outcome:
    assert episode.end_date is not None
    due = episode.end_date + dt.timedelta(days=183 if point == OutcomePoint.MONTH_6 else 0)
    return Outcome.objects.create(
        episode=episode,
        recorded_by=episode.recorded_by,
        point=point,
        due_on=due,
        status=status,
        observed_on=(observed or due) if status else None,
        source=OutcomeSource.PROVIDER if status else "",
        **flags,
    )


EXIT, MONTH_6 = OutcomePoint.EXIT, OutcomePoint.MONTH_6
W, M, NB, ND = Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.NOT_DISCLOSED


def build() -> World:
    """The programme (run by one organisation, provided also by another), its participants and
    the employer services; see EXPECTED."""
    organisation, provider = OrganisationFactory(), OrganisationFactory()
    programme = ProgrammeFactory(
        name="ESF pilot", organisation=organisation, start_date=D(2024, 6, 1)
    )
    world = World(programme, organisation, provider)
    _people_a_to_g(world)
    _people_h_to_q(world)
    _employer_services(world)
    return world


def _person(world: World, gender: str, born: dt.date, *, by: Organisation | None = None) -> Client:
    return ClientFactory(gender=gender, date_of_birth=born, recorded_by=by or world.organisation)


def _people_a_to_g(world: World) -> None:
    a = _episode(world, _person(world, W, D(1990, 3, 10)), D(2025, 1, 15), D(2025, 4, 30))
    _entry(a, UNEMPLOYED, 3, rural=True, consent=True, disability=YES)
    _outcome(a, EXIT, S.EMPLOYED_FULL_TIME, observed=D(2025, 5, 20))  # the job came on day 20
    _outcome(a, MONTH_6, S.EMPLOYED_PART_TIME)

    b = _episode(world, _person(world, W, D(2001, 6, 1)), D(2025, 2, 1), D(2025, 5, 31), months=7)
    _entry(
        b, UNEMPLOYED, 2, consent=True, third_country_national=YES, foreign_background=YES,
        disability=DECLINED,
    )  # fmt: skip
    _outcome(b, EXIT, S.JOB_SEEKING, in_education=True)

    c = _episode(
        world, _person(world, M, D(1994, 8, 20), by=world.provider), D(2025, 1, 20), months=7
    )
    _entry(c, UNEMPLOYED, 5)  # 30 and unemployed 7 months: not long-term unemployed

    # D re-entered: first entry (unemployed) before the period, final exit in it.
    d = _person(world, M, D(1970, 1, 1))
    d1 = _episode(world, d, D(2024, 11, 1), D(2024, 12, 31), months=30)
    _entry(d1, UNEMPLOYED, 1)
    _outcome(d1, EXIT, S.JOB_SEEKING)  # not the final exit: not counted
    d2 = _episode(world, d, D(2025, 3, 1), D(2025, 6, 15))
    _entry(d2, INACTIVE, 8)
    _outcome(d2, EXIT, S.EDUCATION, gained_qualification=True)
    _episode(world, d, D(2025, 2, 1), programme=ProgrammeFactory())  # another programme

    e = _episode(
        world, _person(world, M, D(1965, 5, 5), by=world.provider), D(2025, 3, 10), D(2025, 3, 31)
    )
    _entry(e, EMPLOYED, 4, rural=False)
    _outcome(e, EXIT, S.EMPLOYED_FULL_TIME)
    _outcome(e, MONTH_6, S.EMPLOYED_FULL_TIME, improved_situation=True)

    f = _episode(world, _person(world, NB, D(2008, 9, 1)), D(2025, 4, 1), months=None)
    _entry(f, INACTIVE, 2, consent=True, minority=YES, homeless=DECLINED)

    g = _episode(world, _person(world, ND, D(2000, 1, 1)), D(2025, 5, 5), D(2025, 6, 30), months=8)
    _entry(g, UNEMPLOYED, None)  # 25 at entry: 8 months is not long-term
    _outcome(g, EXIT, S.UNKNOWN)


def _people_h_to_q(world: World) -> None:
    _episode(world, _person(world, W, D(1985, 12, 31)), D(2025, 6, 30))  # H: no entry data

    i = _episode(world, _person(world, W, D(1980, 7, 1)), D(2025, 7, 1))  # I: after the period
    _entry(i, UNEMPLOYED, 3)

    j = _episode(
        world, _person(world, M, D(1999, 2, 28)), D(2024, 6, 1), D(2024, 12, 31)
    )  # J: before
    _entry(j, UNEMPLOYED, 3)
    _outcome(j, EXIT, S.EMPLOYED_FULL_TIME)

    k = _episode(world, _person(world, W, D(1996, 6, 15)), D(2025, 6, 15), months=None)
    _entry(k, UNEMPLOYED, 6, consent=True)

    ell = _episode(
        world, _person(world, M, D(2007, 1, 10)), D(2025, 1, 10), D(2025, 2, 28), months=7
    )
    _entry(ell, UNEMPLOYED, 2)
    _outcome(ell, EXIT, S.JOB_SEEKING)
    _outcome(ell, MONTH_6, S.SUBSIDISED, improved_situation=True)

    mm = _episode(world, _person(world, W, D(1960, 1, 1)), D(2025, 2, 10), D(2025, 5, 10))
    _entry(mm, EMPLOYED, 7)
    _outcome(mm, EXIT, S.SELF_EMPLOYED)
    _outcome(mm, MONTH_6, S.JOB_SEEKING, improved_situation=False)

    # O left in the period with nothing recorded at exit; the six-month row is due and empty.
    o_episode = _episode(world, _person(world, W, D(1975, 4, 4)), D(2024, 10, 1), D(2025, 1, 31))
    _entry(o_episode, EMPLOYED, 5)
    _outcome(o_episode, MONTH_6)

    # Q re-entered within the period: counted once, with the first entry's data, not a leaver.
    q = _person(world, M, D(1988, 2, 2))
    q1 = _episode(world, q, D(2025, 1, 5), D(2025, 2, 5), months=14)
    _entry(q1, UNEMPLOYED, 3)
    _outcome(q1, EXIT, S.EMPLOYED_FULL_TIME)
    q2 = _episode(world, q, D(2025, 4, 1))
    _entry(q2, INACTIVE, 7)


def _employer_services(world: World) -> None:
    agreed_by = MembershipFactory(organisation=world.organisation)
    elsewhere = OrganisationFactory()

    def service(
        size: str, start: dt.date, end: dt.date | None = None, *, by: Organisation | None = None
    ) -> None:
        employer = EmployerFactory(size_class=size)
        EmployerAgreement.objects.create(
            employer=employer,
            kind="job_tailoring",
            start_date=start,
            end_date=end,
            organisation=by or world.organisation,
            agreed_by=agreed_by,
        )

    service(SizeClass.MICRO, D(2025, 3, 1), D(2025, 4, 30))  # E1
    service(SizeClass.MEDIUM, D(2024, 5, 1), by=world.provider)  # E2, open-ended
    service(SizeClass.LARGE, D(2025, 2, 1), D(2025, 2, 28))  # E3
    service("", D(2025, 6, 1))  # E4
    service(SizeClass.SMALL, D(2024, 1, 1), D(2024, 12, 31))  # E5: before the period
    service(SizeClass.SMALL, D(2025, 2, 1), by=elsewhere)  # E6: not this programme's
    e7 = EmployerFactory(size_class=SizeClass.MICRO)
    for start in (D(2025, 1, 1), D(2025, 5, 1)):
        EmployerAgreement.objects.create(
            employer=e7,
            kind="recruitment_help",
            start_date=start,
            organisation=world.organisation,
            agreed_by=agreed_by,
        )
