"""The timeliness report: the pure statistics, hand-computed and property-tested, and the
report built from referrals with small counts suppressed."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from polku.plans.models import Referral, ReferralStatus
from polku.plans.selectors.referral_report import nearest_rank, referral_report, timeliness
from tests.factories import MembershipFactory
from tests.plans.referrals_support import ServiceFactory, World, debt_world, send

S = ReferralStatus


def test_a_hand_computed_example() -> None:
    rows = [
        (1, 5, S.COMPLETED),
        (2, 5, S.FIRST_CONTACT),
        (3, 5, S.FIRST_CONTACT),
        (4, 5, S.COMPLETED),
        (10, 5, S.COMPLETED),
        (7, 5, S.CANCELLED),  # cancelled after the first contact: it counts
        (None, 5, S.DECLINED),  # never taken on
        (None, 5, S.CANCELLED),  # cancelled before any contact: never taken on
        (None, 5, S.SENT),  # still waiting: not (yet) within target
    ]
    result = timeliness(rows)
    # Contact days sorted: 1 2 3 4 7 10. Median (3 + 4) / 2 = 3.5. p90: rank ceil(0.9 * 6) = 6
    # → 10. Within 5 days: 1, 2, 3, 4 → 4 of the 7 taken on. Declined: 1 of 9.
    assert result.n == 9
    assert result.contacted == 6
    assert result.median_days == 3.5
    assert result.p90_days == 10
    assert result.taken_on == 7
    assert result.share_within_target == pytest.approx(4 / 7)
    assert result.share_declined == pytest.approx(1 / 9)
    assert result.declined == 1
    assert result.waiting == 1


def test_targets_differ_per_referral() -> None:
    # A 3-day wait is on time for a 14-day service and late for a 2-day one.
    result = timeliness([(3, 14, S.COMPLETED), (3, 2, S.COMPLETED)])
    assert result.share_within_target == 0.5
    assert result.median_days == 3.0
    assert result.p90_days == 3


def test_no_referrals_and_no_contacts_give_no_figures() -> None:
    empty = timeliness([])
    assert (empty.n, empty.median_days, empty.p90_days) == (0, None, None)
    assert (empty.share_within_target, empty.share_declined) == (None, None)
    declined = timeliness([(None, 7, S.DECLINED)])
    assert declined.share_declined == 1.0
    assert declined.share_within_target is None  # nothing was taken on


@pytest.mark.parametrize(
    ("values", "percentile", "expected"),
    [
        # Hyndman & Fan definition 1, worked by hand.
        ([15, 20, 35, 40, 50], 30, 20),  # rank ceil(1.5) = 2
        ([15, 20, 35, 40, 50], 40, 20),  # rank 2 exactly
        ([15, 20, 35, 40, 50], 50, 35),
        ([15, 20, 35, 40, 50], 100, 50),
        ([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 90, 16),  # rank 9
        ([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 25, 7),  # rank ceil(2.5) = 3
        ([42], 90, 42),
    ],
)
def test_nearest_rank_by_hand(values: list[int], percentile: float, expected: int) -> None:
    assert nearest_rank(values, percentile) == expected


def test_nearest_rank_refuses_nothing_and_impossible_percentiles() -> None:
    with pytest.raises(ValueError, match="at least one"):
        nearest_rank([], 90)
    with pytest.raises(ValueError, match="percentile"):
        nearest_rank([1], 0)


days = st.integers(min_value=0, max_value=400)
statuses = st.sampled_from(S.values)
rows_strategy = st.lists(
    st.tuples(st.one_of(st.none(), days), st.integers(min_value=0, max_value=60), statuses),
    max_size=60,
)


@given(st.lists(days, min_size=1, max_size=80))
def test_p90_is_the_smallest_observed_value_with_nine_in_ten_at_or_below(
    values: list[int],
) -> None:
    p90 = nearest_rank(values, 90)
    assert p90 in values
    assert sum(v <= p90 for v in values) >= 0.9 * len(values)
    assert sum(v < p90 for v in values) < 0.9 * len(values)


@given(rows_strategy)
def test_figures_stay_within_their_bounds(rows: list[tuple[int | None, int, str]]) -> None:
    result = timeliness(rows)
    assert result.n == len(rows)
    assert 0 <= result.contacted <= result.taken_on <= result.n
    assert result.waiting + result.contacted <= result.taken_on
    contact_days = [d for d, _t, _s in rows if d is not None]
    if contact_days:
        assert result.median_days is not None
        assert result.p90_days is not None
        assert min(contact_days) <= result.median_days <= result.p90_days <= max(contact_days)
    else:
        assert result.median_days is None
        assert result.p90_days is None
    for share in (result.share_within_target, result.share_declined):
        assert share is None or 0 <= share <= 1


@given(rows_strategy, st.randoms(use_true_random=False))
def test_the_order_of_the_referrals_does_not_matter(
    rows: list[tuple[int | None, int, str]], rnd: random.Random
) -> None:
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert timeliness(shuffled) == timeliness(rows)


@given(rows_strategy, st.integers(min_value=1, max_value=30))
def test_a_later_first_contact_never_raises_the_share_within_target(
    rows: list[tuple[int | None, int, str]], delay: int
) -> None:
    later = [(d if d is None else d + delay, t, s) for d, t, s in rows]
    before, after = timeliness(rows), timeliness(later)
    if before.share_within_target is not None:
        assert after.share_within_target is not None
        assert after.share_within_target <= before.share_within_target
        assert math.isclose(after.median_days or 0, (before.median_days or 0) + delay) or (
            before.median_days is None
        )


# --- The report built from referrals -------------------------------------------------------


def _referrals(world: World, service_count: dict[str, int]) -> None:
    """Send `count` referrals to new services of the receiving organisation, by name."""
    for name, count in service_count.items():
        service = ServiceFactory(organisation=world.receiver_org, name=name, referral_categories=[])
        for _ in range(count):
            send(world, service)


@pytest.mark.django_db
def test_the_report_counts_per_service_and_organisation_and_suppresses_small_groups() -> None:
    world = debt_world()
    _referrals(world, {"Budget advice": 6, "Debt settlement": 7})
    # Answer the first six "Budget advice" referrals: contacts after 0..5 days, target 14.
    budget = Referral.objects.filter(service__name="Budget advice").order_by("sent_at")
    for i, referral in enumerate(budget):
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=timezone.now() - dt.timedelta(days=20),
            first_contact_on=timezone.localdate() - dt.timedelta(days=20 - i),
            status=S.FIRST_CONTACT,
        )
    Referral.objects.filter(
        pk=Referral.objects.filter(service__name="Debt settlement")[0].pk
    ).update(status=S.DECLINED, decline_reason="no_capacity")
    # A third service with two referrals: too few to show, and the services' counts would
    # give it away from the organisation's total, so one more count is hidden.
    _referrals(world, {"Legal aid": 2})
    report = referral_report(
        date_from=timezone.localdate() - dt.timedelta(days=30), date_to=timezone.localdate()
    )
    shown = {line.label: (line.n, line.stats) for line in report.services}
    assert shown["Legal aid"] == ("<5", None)
    assert shown["Budget advice"][0] in {"6", "≥5"}
    hidden = [name for name, (n, _stats) in shown.items() if n in {"<5", "≥5"}]
    assert len(hidden) == 2  # the small cell and one more (secondary suppression)
    (organisation,) = report.organisations
    assert organisation.label == "Debt Advice Association"
    assert organisation.n == "15"
    assert organisation.stats is not None
    assert organisation.stats.contacted == 6
    assert organisation.stats.median_days == 2.5  # 0 1 2 3 4 5
    assert organisation.stats.p90_days == 5
    assert organisation.stats.share_declined == pytest.approx(1 / 15)
    assert report.total.n == "15"


@pytest.mark.django_db
def test_the_period_is_by_sending_day_and_an_organisation_with_few_referrals_is_hidden() -> None:
    world = debt_world()
    _referrals(world, {"Budget advice": 5})
    old = Referral.objects.order_by("pk").first()
    assert old is not None
    Referral.objects.filter(pk=old.pk).update(sent_at=timezone.now() - dt.timedelta(days=400))
    other_org = MembershipFactory().organisation
    ServiceFactory(organisation=other_org)
    report = referral_report(
        date_from=timezone.localdate() - dt.timedelta(days=365), date_to=timezone.localdate()
    )
    assert report.total.n == "<5"
    assert report.total.stats is None
    # Fewer than five in all: no breakdown at all, not even "<5" per organisation.
    assert [(line.label, line.n, line.stats) for line in report.organisations] == [
        ("Debt Advice Association", "–", None)
    ]
