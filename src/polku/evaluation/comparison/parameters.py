"""What a run of the estimators may be asked for: the outcome, the covariates, the matching.

Shared by the run form, the API and the service, which checks them (`clean`), so that a page,
a program and a test are held to the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The outcomes both the participants' frame and the comparison group carry.
OUTCOMES: dict[str, StrOrPromise] = {
    "months_employed_after": gettext_lazy("Months in work in the 12 months after entry"),
    "employed_6m": gettext_lazy("Employed 6 months after"),
    "employed_12m": gettext_lazy("Employed 12 months after"),
}
# Covariates the propensity model may use; gender enters as an indicator of being a woman.
COVARIATES: dict[str, StrOrPromise] = {
    "gender": gettext_lazy("Gender (woman or not)"),
    "age": gettext_lazy("Age"),
    "months_unemployed": gettext_lazy("Months unemployed before entry"),
    "isced_level": gettext_lazy("Education (ISCED level)"),
    "months_employed_before": gettext_lazy("Months in work in the 12 months before entry"),
}
DEFAULT_COVARIATES = ("gender", "age", "months_unemployed")
# The caliper is in standard deviations of the logit of the propensity score; 0.2 is the usual
# choice (Austin 2011, Pharmaceutical Statistics 10(2): 150–161).
DEFAULT_CALIPER = 0.2
CALIPER_MIN, CALIPER_MAX = 0.01, 2.0
BOOTSTRAP_MIN, BOOTSTRAP_MAX = 100, 2000
DEFAULT_BOOTSTRAP = 500

DEFAULTS: dict[str, Any] = {
    "outcome": "months_employed_after",
    "covariates": list(DEFAULT_COVARIATES),
    "caliper": DEFAULT_CALIPER,
    "replacement": False,
    "bootstrap": DEFAULT_BOOTSTRAP,
}


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters in their stored form, or ValidationError naming each faulty field.

    `outcome`: one of OUTCOMES. `covariates`: a non-empty list of COVARIATES, no repeats.
    `caliper`: a number 0.01–2 or None (no caliper: every participant gets its nearest match).
    `replacement`: true or false. `bootstrap`: a whole number 100–2000 (resamples for the
    confidence interval). Unknown keys are refused, so a typo does not silently run defaults.
    """
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        errors["non_field_errors"] = [
            _("Unknown parameters: %(names)s.") % {"names": ", ".join(map(str, unknown))}
        ]
    values = {**DEFAULTS, **{k: v for k, v in raw.items() if k in DEFAULTS}}
    cleaned: dict[str, Any] = {}
    for name, check in _CHECKS.items():
        try:
            cleaned[name] = check(values[name])
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _outcome(value: Any) -> str:
    if not isinstance(value, str) or value not in OUTCOMES:
        raise ValueError(_choose(OUTCOMES))
    return value


def _covariates(value: Any) -> list[str]:
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(name, str) and name in COVARIATES for name in value)
    ):
        raise ValueError(_choose(COVARIATES, several=True))
    if len(set(value)) != len(value):
        raise ValueError(_("Give each covariate once."))
    # In the order of COVARIATES, so that equal choices make equal runs.
    return [name for name in COVARIATES if name in value]


def _caliper(value: Any) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not CALIPER_MIN <= value <= CALIPER_MAX
    ):
        raise ValueError(
            _("Give a number from %(low)s to %(high)s, or no caliper.")
            % {
                "low": formats.number_format(CALIPER_MIN, 2),
                "high": formats.number_format(CALIPER_MAX, 0),
            }
        )
    return float(value)


def _replacement(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("Give true or false."))
    return value


def _bootstrap(value: Any) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not BOOTSTRAP_MIN <= value <= BOOTSTRAP_MAX
    ):
        raise ValueError(
            _("Give a whole number from %(low)d to %(high)d.")
            % {"low": BOOTSTRAP_MIN, "high": BOOTSTRAP_MAX}
        )
    return int(value)


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "outcome": _outcome,
    "covariates": _covariates,
    "caliper": _caliper,
    "replacement": _replacement,
    "bootstrap": _bootstrap,
}


def _choose(choices: Mapping[str, Any], *, several: bool = False) -> str:
    names = ", ".join(choices)
    if several:
        return _("Choose one or more of: %(names)s.") % {"names": names}
    return _("Choose one of: %(names)s.") % {"names": names}
