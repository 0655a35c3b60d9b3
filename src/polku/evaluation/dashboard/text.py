"""The dashboard's figures in words, in the active language ("212 of 350 participants (61 %)"):
a chart's reader and a screen reader's user get the same sentence."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from polku.evaluation.dashboard.selectors import TargetLine
from polku.evaluation.models import TargetMeasure
from polku.ips.outcomes import formatting

M = TargetMeasure


def number(value: float | Decimal, decimals: int = 0) -> str:
    return formats.number_format(value, decimals, use_l10n=True)


def target_value(line: TargetLine) -> str:
    """The target as set: "50 %" for a percentage measure, "350" for a count; "–" if none."""
    if line.target is None:
        return "–"
    if line.is_percent:
        return formatting.percent(
            float(line.target) / 100, decimals=0 if line.target % 1 == 0 else 1
        )
    return number(line.target)


def progress(line: TargetLine) -> str:
    return "–" if line.progress is None else formatting.percent(line.progress)


def _percent_words(line: TargetLine) -> str:
    if line.actual.share is None:
        return _("Not shown: too few people who have left, or a count that must stay hidden.")
    values = {
        "share": line.actual.percent,
        "count": line.actual.count,
        "of": line.of,
        "target": target_value(line),
    }
    if line.target is None:
        return _("%(share)s (%(count)s of %(of)s who have left); no target set.") % values
    return _("%(share)s (%(count)s of %(of)s who have left) against a target of %(target)s.") % (
        values
    )


def _count_words(line: TargetLine) -> str:
    employers = line.measure == M.HIRING_EMPLOYERS
    if not line.actual.count.isdigit():
        if employers:
            return _("Not shown: fewer than 5 participants started such jobs.")
        return _("Not shown: fewer than 5 participants.")
    values = {"actual": line.actual.count, "target": target_value(line), "progress": progress(line)}
    if employers:
        if line.target is None:
            return _("%(actual)s employers; no target set.") % values
        return _("%(actual)s of %(target)s employers (%(progress)s).") % values
    if line.target is None:
        return _("%(actual)s participants; no target set.") % values
    return _("%(actual)s of %(target)s participants (%(progress)s).") % values


def target_words(line: TargetLine) -> str:
    """The actual against the target in one sentence."""
    return _percent_words(line) if line.is_percent else _count_words(line)


# The mean length of a month in days (365.25 / 12), as the time-to-employment page.
DAYS_PER_MONTH = 30.4375


def months(days: float | None) -> str:
    """Days as months with one decimal ("3,5" in Finnish); "–" for None."""
    return "–" if days is None else number(days / DAYS_PER_MONTH, 1)
