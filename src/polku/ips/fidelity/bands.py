"""A review's total and its band (../shared/domain/IPS.md, "Bands (total score)").

25 items scored 1–5 give a total of 25–125: 115–125 exemplary fidelity, 100–114 good, 74–99
fair, 73 or less "not supported employment" (not IPS).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.ips.fidelity.items import ITEMS

MIN_SCORE = 1
MAX_SCORE = 5
MIN_TOTAL = MIN_SCORE * len(ITEMS)  # 25
MAX_TOTAL = MAX_SCORE * len(ITEMS)  # 125


class Band(models.TextChoices):
    EXEMPLARY = "exemplary", _("Exemplary fidelity")
    GOOD = "good", _("Good fidelity")
    FAIR = "fair", _("Fair fidelity")
    NOT_IPS = "not_ips", _("Not supported employment (not IPS)")


# The lowest total of each band, highest band first (IPS.md).
THRESHOLDS: tuple[tuple[int, Band], ...] = (
    (115, Band.EXEMPLARY),
    (100, Band.GOOD),
    (74, Band.FAIR),
    (MIN_TOTAL, Band.NOT_IPS),
)


def band_for(total: int) -> Band:
    """The band of a review's `total`. Raises ValueError outside 25–125, which no complete
    review can have."""
    if not MIN_TOTAL <= total <= MAX_TOTAL:
        msg = f"a fidelity total is between {MIN_TOTAL} and {MAX_TOTAL}, not {total}"
        raise ValueError(msg)
    for lowest, band in THRESHOLDS:
        if total >= lowest:
            return band
    raise AssertionError("unreachable: the last threshold is the minimum total")


def band_range(band: Band) -> tuple[int, int]:
    """The lowest and highest total of `band`, e.g. (100, 114) for good fidelity."""
    highest = MAX_TOTAL
    for lowest, candidate in THRESHOLDS:
        if candidate == band:
            return lowest, highest
        highest = lowest - 1
    raise AssertionError("unreachable: every band has a threshold")


def total_of(scores: Iterable[int | None]) -> int | None:
    """The sum of the item scores when every one of the 25 items is scored, else None."""
    values = list(scores)
    if len(values) != len(ITEMS) or any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)
