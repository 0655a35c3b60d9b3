"""Which people and groups the time-to-employment and provider pages may show.

Aggregates of pseudonymised rows (`polku.evaluation.cohort.participant_frame`), published with
the disclosure control of the IPS outcomes (`polku.core.disclosure`), in three steps:

1. A group of 1–4 people in any breakdown — gender, age band, provider, provider sector,
   programme, and the calendar month of entry — is left out of every figure, and the page
   names it (never its size). The step is `cohort.leave_out_small_groups`, the one the
   dashboard uses too, so every page built on the frame counts the same people whatever it
   compares by, and two periods that differ by a month of 1–4 entrants show the same figures.
2. Counts are protected with `disclosure.protect` (1–4 as "<5", and secondary suppression).
3. An estimate — a Kaplan–Meier curve, a median, a share, a rate with its interval — is shown
   only for a group of at least ESTIMATE_MINIMUM people. Ten, not five: a curve's steps and a
   rate's interval give the group's counts away, and with five people every step of a curve is
   one person's time to a job. Where the groups left without an estimate add up to fewer than
   ten people, the smallest group with an estimate loses it too (`estimable`), so that nothing
   subtracted from the total describes fewer than ten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext

from polku.core import disclosure
from polku.evaluation.cohort import (
    AGE_BAND,
    BREAKDOWNS,
    ENTRY_MONTH,
    GENDER,
    PROGRAMME,
    PROVIDER,
    SECTOR,
    SECTOR_GROUPS,
    LeftOut,
    labels,
    left_out_groups,
    normalised,
)

__all__ = [
    "AGE_BAND",
    "BREAKDOWNS",
    "ENTRY_MONTH",
    "ESTIMATE_MINIMUM",
    "GENDER",
    "PROGRAMME",
    "PROVIDER",
    "SECTOR",
    "SECTOR_GROUPS",
    "THRESHOLD",
    "LeftOut",
    "estimable",
    "labels",
    "left_out_note",
    "normalised",
]

THRESHOLD = disclosure.THRESHOLD
ESTIMATE_MINIMUM = 10


def left_out_note(left_out: Sequence[LeftOut]) -> str | None:
    """The sentence that names the groups left out, in the active language; None if none is.
    Providers are organisations and months are periods, so naming one tells nothing about a
    person."""
    if not left_out:
        return None
    return gettext(
        "Groups of fewer than %(threshold)s people — here: %(groups)s — are left out of every "
        "figure."
    ) % {"threshold": THRESHOLD, "groups": left_out_groups(left_out)}


def estimable(sizes: Mapping[str, int]) -> set[str]:
    """The groups (by key, with their sizes) whose estimates may be shown beside the total's:
    those of ESTIMATE_MINIMUM or more, less the smallest of them while the groups left without
    an estimate add up to 1–9 people (a figure for them could be worked out from the total)."""
    shown = {key for key, size in sizes.items() if size >= ESTIMATE_MINIMUM}
    while shown:
        hidden = sum(size for key, size in sizes.items() if key not in shown)
        if hidden == 0 or hidden >= ESTIMATE_MINIMUM:
            break
        shown.remove(min(shown, key=lambda key: (sizes[key], key)))
    return shown
