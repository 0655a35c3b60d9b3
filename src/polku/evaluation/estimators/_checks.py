"""Shared input checks: every estimator refuses data it cannot use with one clear message."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from django.utils.translation import gettext

from polku.evaluation.estimators.errors import EstimationError


def require_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise EstimationError(
            gettext("The confidence level must be more than 0 and less than 100 per cent.")
        )


def require_columns(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise EstimationError(
            gettext("The data has no column “%(column)s”.") % {"column": missing[0]}
        )


def numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as floats; refuses text, so a typo never becomes a silent missing value."""
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object:
        converted = pd.to_numeric(values, errors="coerce")
        if (converted.isna() & values.notna()).any():
            raise EstimationError(
                gettext("Column “%(column)s” must hold numbers.") % {"column": column}
            )
        values = converted
    return values.astype(float)


def binary(frame: pd.DataFrame, column: str) -> pd.Series:
    """A 0/1 column (booleans accepted) as floats; missing values stay missing."""
    values = numeric(frame, column)
    present = values.dropna()
    if not present.isin([0.0, 1.0]).all():
        raise EstimationError(
            gettext("Column “%(column)s” must hold only 0 and 1.") % {"column": column}
        )
    return values


def complete_rows(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Complete-case analysis: the rows with a value in every column used; refuses none left."""
    used = frame.loc[:, list(dict.fromkeys(columns))]
    kept = used.dropna()
    if kept.empty:
        raise EstimationError(gettext("No row has a value in every column used."))
    return kept


def is_categorical(values: pd.Series) -> bool:
    return bool(
        isinstance(values.dtype, pd.CategoricalDtype)
        or values.dtype == object
        or pd.api.types.is_bool_dtype(values.dtype)
        or pd.api.types.is_string_dtype(values.dtype)
    )


def design(frame: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """Covariates as a float matrix: numbers as they are, categories as 0/1 dummies.

    A categorical covariate becomes one dummy per level except the first (sorted, or the
    category order), named `column=level`; the first level is the reference. A covariate that
    does not vary (or a dummy level that everyone or no one has) cannot be estimated and is
    refused by name.
    """
    parts: list[pd.DataFrame] = []
    for column in covariates:
        values = frame[column]
        if is_categorical(values) and not pd.api.types.is_bool_dtype(values.dtype):
            levels = _levels(values)
            if len(levels) < 2:  # noqa: PLR2004 - a category needs a second level to compare
                raise _constant(column)
            dummies = {
                f"{column}={level}": (values.astype(str) == str(level)).astype(float)
                for level in levels[1:]
            }
            parts.append(pd.DataFrame(dummies, index=frame.index))
        else:
            parts.append(pd.DataFrame({column: numeric(frame, column)}, index=frame.index))
    matrix = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)
    for name in matrix.columns:
        if matrix[name].nunique(dropna=True) < 2:  # noqa: PLR2004
            raise _constant(name)
    return matrix


def _levels(values: pd.Series) -> list[object]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().unique())
        return [level for level in values.cat.categories if level in present]
    return sorted(values.dropna().unique(), key=str)


def _constant(column: str) -> EstimationError:
    return EstimationError(
        gettext(
            "Covariate “%(column)s” has the same value in every row, so its effect cannot be "
            "estimated."
        )
        % {"column": column}
    )


def finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
