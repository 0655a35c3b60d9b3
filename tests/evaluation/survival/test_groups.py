"""Disclosure control of the survival and provider pages (`groups`): property tests over any
cohort, and the hand-checked cases."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.evaluation import cohort
from polku.evaluation.views.survival import groups

GENDERS = ("woman", "man", "other", "not_disclosed")
BANDS = ("18_29", "30_54", "55_plus")
SECTORS = ("public", "private", "third_sector")
PROVIDERS = ("A", "B", "C", "D")

people = st.lists(
    st.tuples(
        st.sampled_from(GENDERS),
        st.sampled_from(BANDS),
        st.sampled_from(PROVIDERS),
        st.sampled_from(SECTORS),
        st.sampled_from(("p1", "p2")),
        st.sampled_from(("2025-01-10", "2025-02-03", "2025-03-28")),
    ),
    max_size=60,
)
Row = tuple[str, str, str, str, str, str]


def _frame(rows: list[tuple[str, str, str, str, str]] | list[Row]) -> pd.DataFrame:
    """The breakdown columns of a participant frame; everyone entering on 10 January 2025
    unless a row gives its entry date."""
    full = [row if len(row) == 6 else (*row, "2025-01-10") for row in rows]
    frame = pd.DataFrame(
        full,
        columns=["gender", "age_band", "provider", "provider_sector", "programme", "entry_date"],
    )
    frame["entry_date"] = pd.to_datetime(frame["entry_date"])
    frame["programme_name"] = frame["programme"].str.upper()
    return frame


@settings(max_examples=200, deadline=None)
@given(people)
def test_what_is_kept_has_no_group_of_one_to_four_in_any_breakdown(
    rows: list[Row],
) -> None:
    frame = _frame(rows)
    kept, left_out = cohort.leave_out_small_groups(frame)
    if len(frame) < groups.THRESHOLD:
        assert len(kept) == len(frame)
        assert left_out == ()
        return
    months = frame["entry_date"].dt.strftime("%Y-%m")
    frame[cohort.ENTRY_MONTH] = months
    kept = kept.assign(**{cohort.ENTRY_MONTH: kept["entry_date"].dt.strftime("%Y-%m")})
    for column in cohort.BREAKDOWNS:
        assert all(count >= groups.THRESHOLD for count in kept[column].value_counts())
    # Each group named is gone, and only people of a group named are gone.
    for group in left_out:
        assert group.key not in set(kept[group.breakdown].astype(str))
    in_named = pd.Series(False, index=frame.index)
    for group in left_out:
        in_named |= frame[group.breakdown].astype(str) == group.key
    assert len(kept) == int((~in_named).sum())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(1, 40), max_size=8))
def test_estimates_never_let_fewer_than_ten_be_worked_out(sizes: dict[str, int]) -> None:
    shown = groups.estimable(sizes)
    hidden = sum(size for key, size in sizes.items() if key not in shown)
    assert all(sizes[key] >= groups.ESTIMATE_MINIMUM for key in shown)
    assert hidden == 0 or hidden >= groups.ESTIMATE_MINIMUM or not shown


def test_one_small_group_takes_the_smallest_other_estimate_with_it() -> None:
    assert groups.estimable({"women": 30, "men": 12, "other": 6}) == {"women"}
    assert groups.estimable({"women": 30, "men": 12, "other": 6, "not_disclosed": 5}) == {
        "women",
        "men",
    }
    assert groups.estimable({"women": 20, "men": 7}) == set()
    assert groups.estimable({"women": 20}) == {"women"}


def test_small_groups_are_left_out_until_none_is_small() -> None:
    """Three under-30s go; that leaves four at provider B, who go too."""
    rows = (
        [("woman", "30_54", "A", "public", "p1")] * 10
        + [("man", "30_54", "B", "public", "p1")] * 4
        + [("man", "18_29", "B", "public", "p1")] * 3
        + [("man", "30_54", "A", "public", "p1")] * 6
    )
    kept, left_out = cohort.leave_out_small_groups(_frame(rows))
    assert len(kept) == 16
    assert [(g.breakdown, g.key) for g in left_out] == [
        (groups.AGE_BAND, "18_29"),
        (groups.PROVIDER, "B"),
    ]


def test_an_entry_month_of_fewer_than_five_is_left_out_and_named() -> None:
    """Two periods that differ by a month of 1–4 entrants count the same people: the month's
    entrants are left out of the longer one (finding 3 of the review)."""
    january = [("woman", "30_54", "A", "public", "p1", "2025-01-10")] * 8
    march = [("man", "30_54", "A", "public", "p1", "2025-03-05")] * 6
    april = [("woman", "30_54", "A", "public", "p1", "2025-04-02")] * 2
    shorter, none_left_out = cohort.leave_out_small_groups(_frame(january + march))
    longer, left_out = cohort.leave_out_small_groups(_frame(january + march + april))
    assert none_left_out == ()
    assert len(longer) == len(shorter) == 14
    assert [(g.breakdown, g.key) for g in left_out] == [(cohort.ENTRY_MONTH, "2025-04")]
    assert "2025" in str(left_out[0].label)
    note = groups.left_out_note(left_out)
    assert note is not None
    assert "entry month" in note
    assert "2" not in note.replace("2025", "")  # names the month, never its size
