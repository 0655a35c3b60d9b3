"""The time-to-employment report on a hand-built cohort (`scenario`) whose Kaplan–Meier figures
are worked out by hand, and its disclosure control."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from polku.clients.models import Gender
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.views.survival import groups
from polku.evaluation.views.survival.time_to_employment import (
    NONE,
    CurveLine,
    months_table,
    time_to_employment_report,
)
from tests import factories as f
from tests.evaluation.survival.scenario import (
    DAYS_PER_MONTH,
    FOLLOW_UP_END,
    person,
    work_path,
)

pytestmark = pytest.mark.django_db

YOUNG = dt.date(2000, 6, 1)  # 24 at entry: age band 18–29


@pytest.fixture
def manager() -> Membership:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


def _shares(line: CurveLine) -> list[float | None]:
    return [share.value for share in line.shares]


def test_curves_by_gender_have_the_hand_computed_medians_counts_and_shares(
    manager: Membership,
) -> None:
    programme = work_path()

    report = time_to_employment_report(
        manager, programme=programme, by=groups.GENDER, follow_up_end=FOLLOW_UP_END
    )

    women, men = report.groups
    # 6 jobs and 4 censored, protected against the 10 people: the 4 is "<5", the 6 hidden too.
    assert (women.key, women.people, women.jobs, women.censored) == ("woman", 10, "≥5", "<5")
    assert women.median == pytest.approx(152 / DAYS_PER_MONTH)
    assert _shares(women) == pytest.approx([0.3, 0.5, None])  # the curve ends at 6.01 months
    assert women.points[-1].months == pytest.approx(183 / DAYS_PER_MONTH)
    assert (men.key, men.people, men.jobs, men.censored) == ("man", 10, "<5", "≥5")
    assert men.median is None
    assert not men.median_reached
    assert _shares(men) == pytest.approx([0.1, 0.2, 0.4])
    total = report.total
    assert (total.people, total.jobs, total.censored) == (20, "10", "10")
    assert total.median == pytest.approx(244 / DAYS_PER_MONTH)
    assert total.share_at(7) == pytest.approx(0.45)


def test_a_gender_of_fewer_than_five_is_left_out_of_every_figure_and_named(
    manager: Membership,
) -> None:
    programme = work_path()

    report = time_to_employment_report(
        manager, programme=programme, by=groups.AGE_BAND, follow_up_end=FOLLOW_UP_END
    )

    assert [(g.breakdown, g.key) for g in report.left_out] == [(groups.GENDER, Gender.OTHER)]
    assert report.left_out_note == (
        "Groups of fewer than 5 people — here: gender other — are left out of every figure."
    )
    assert report.total.people == 20
    assert [(line.key, line.people) for line in report.groups] == [("30_54", 20)]


def test_a_group_under_ten_shows_its_size_but_no_estimate_and_hides_one_more(
    manager: Membership,
) -> None:
    """Seven young participants: their curve is not drawn; nor is the 30–54 curve, since
    it and the total would give the seven's away."""
    programme = work_path()
    for day in (20, 40, 60, None, None, None, None):
        person(programme, programme.organisation, gender=Gender.MAN, job_day=day, born=YOUNG)

    report = time_to_employment_report(
        manager, programme=programme, by=groups.AGE_BAND, follow_up_end=FOLLOW_UP_END
    )

    by_band = {line.key: line for line in report.groups}
    assert by_band["18_29"].people == 7
    assert not by_band["18_29"].estimated
    assert (by_band["18_29"].jobs, by_band["18_29"].median) == (None, None)
    assert not by_band["30_54"].estimated
    assert report.total.estimated
    assert report.drawn == (report.total,)


def test_fewer_than_five_people_show_no_figures(manager: Membership) -> None:
    programme = f.ProgrammeFactory()
    provider = f.OrganisationFactory()
    for _ in range(4):
        person(programme, provider, gender=Gender.WOMAN, job_day=10)

    report = time_to_employment_report(
        manager, programme=programme, by=groups.GENDER, follow_up_end=FOLLOW_UP_END
    )

    assert report.is_too_small
    assert not report.shows_figures
    assert report.groups == ()
    assert report.cox is None
    assert report.drawn == ()


def test_the_cox_model_compares_men_with_women(manager: Membership) -> None:
    programme = work_path()

    report = time_to_employment_report(
        manager, programme=programme, by=NONE, follow_up_end=FOLLOW_UP_END
    )

    assert report.groups == ()
    assert report.cox is not None
    assert report.cox.error is None
    assert (report.cox.people, report.cox.jobs) == (20, "10")
    lines = {line.key: line for line in report.cox.lines}
    assert set(lines) == {"gender__man", "isced_level"}
    assert str(lines["gender__man"].label) == "Men (compared with women)"
    assert lines["gender__man"].hazard_ratio < 1  # men found work more slowly
    assert lines["gender__man"].lower < lines["gender__man"].hazard_ratio


def test_the_months_table_follows_the_drawn_curves(manager: Membership) -> None:
    programme = work_path()
    report = time_to_employment_report(
        manager, programme=programme, by=groups.GENDER, follow_up_end=FOLLOW_UP_END
    )

    rows = dict(months_table(report))

    assert rows[1] == pytest.approx([0.1, 0.0])
    assert rows[6] == pytest.approx([0.5, 0.2])
    assert rows[7] == [None, pytest.approx(0.3)]  # beyond the women's curve
    assert max(rows) == 17  # the men's curve ends at 545 days = 17.9 months


def test_only_evaluators_and_managers_get_the_report() -> None:
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        time_to_employment_report(
            coordinator, programme=None, by=groups.GENDER, follow_up_end=FOLLOW_UP_END
        )
