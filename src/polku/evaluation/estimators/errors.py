"""The one error the estimators raise when the data cannot support an estimate."""

from __future__ import annotations


class EstimationError(ValueError):
    """The data cannot support the estimate asked for (too few rows, no events, no overlap, …).

    The message is written for the person who chose the data, in their language (gettext), and
    names no one: it may be shown on a page or printed by `polku evaluate` as it is.
    """
