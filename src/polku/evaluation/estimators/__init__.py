"""Estimators for evaluating the programmes: pure functions over pandas DataFrames.

No Django models or database here: the evaluation pages build a DataFrame (one set-based query,
`polku.evaluation.cohort`), call a function, render the frozen result; `polku evaluate` does the
same on a CSV file (`csvdata`). Each function refuses data it cannot support with an
`EstimationError` whose message is shown to the user as it is. Methods, choices and the published
figures they are validated against: docs/evaluation-estimators.md.
"""

from polku.evaluation.estimators.csvdata import CsvDataError, read_csv
from polku.evaluation.estimators.did import DidResult, difference_in_differences
from polku.evaluation.estimators.errors import EstimationError
from polku.evaluation.estimators.matching import BalanceRow, PsmResult, psm
from polku.evaluation.estimators.rates import GroupComparison, Rate, compare_groups, wilson
from polku.evaluation.estimators.survival import (
    CoxResult,
    CoxTerm,
    KmCurve,
    KmPoint,
    cox,
    kaplan_meier,
)

__all__ = [
    "BalanceRow",
    "CoxResult",
    "CoxTerm",
    "CsvDataError",
    "DidResult",
    "EstimationError",
    "GroupComparison",
    "KmCurve",
    "KmPoint",
    "PsmResult",
    "Rate",
    "compare_groups",
    "cox",
    "difference_in_differences",
    "kaplan_meier",
    "psm",
    "read_csv",
    "wilson",
]
