"""One run of the estimators on the prepared frames, as the JSON a `ComparisonRun` stores.

Matching (`estimators.matching.psm`) gives the average effect on the participants (ATT) on the
chosen outcome; difference-in-differences (`estimators.did`) the change in months in work from
the 12 months before entry to the 12 after, where both are known. The result holds aggregates
only; pages and the API apply disclosure control to its counts when they show them (`results`).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from django.utils.translation import gettext as _

from polku.core import disclosure
from polku.evaluation.comparison.frames import AFTER, BEFORE, TREATED, Frames, covariate_column
from polku.evaluation.estimators import EstimationError
from polku.evaluation.estimators.did import difference_in_differences
from polku.evaluation.estimators.matching import psm

# The same seed for every run: the same data and parameters give the same interval.
SEED = 2026
# Fewer than five on either side is too few to estimate anything, and a figure about them could
# describe individuals (`core.disclosure`).
MIN_ROWS = disclosure.THRESHOLD


def _too_few(rows: int, *, treated: bool) -> EstimationError:
    """The refusal for too few rows on one side; a count of 1–4 is given as "<5"."""
    values = {
        "count": disclosure.SMALL if 0 < rows < MIN_ROWS else str(rows),
        "minimum": MIN_ROWS,
    }
    if treated:
        message = _(
            "Too few participants with the data needed: %(count)s; at least %(minimum)d are needed."
        )
    else:
        message = _(
            "Too few comparison group members with the data needed: %(count)s; at least "
            "%(minimum)d are needed."
        )
    return EstimationError(message % values)


def estimate(frames: Frames, parameters: dict[str, Any]) -> dict[str, Any]:
    """The result JSON of a run: matching always, difference-in-differences when possible.

    Raises EstimationError (a user-facing message) when matching is impossible: too few rows on
    either side, or what the estimator refuses, and when fewer than MIN_ROWS participants or
    comparison group members were matched (a narrow caliper): an effect on one to four people
    would describe individuals. A refused difference-in-differences does not fail the run: its
    message is stored as `did_error`.
    """
    outcome = parameters["outcome"]
    columns = [covariate_column(name) for name in parameters["covariates"]]
    matching = frames.matching
    treated = int((matching[TREATED] == 1).sum())
    control = len(matching) - treated
    if treated < MIN_ROWS:
        raise _too_few(treated, treated=True)
    if control < MIN_ROWS:
        raise _too_few(control, treated=False)
    matched = psm(
        matching,
        treatment=TREATED,
        outcome=outcome,
        covariates=columns,
        caliper=parameters["caliper"],
        replacement=parameters["replacement"],
        bootstrap=parameters["bootstrap"],
        seed=SEED,
    )
    if matched.n_matched_treated < MIN_ROWS or matched.n_matched_control < MIN_ROWS:
        # Checked here, not in the estimator: the evaluate command runs it on an evaluator's
        # own data, where no figure is published.
        raise EstimationError(
            _(
                "Too few people were matched: at least %(minimum)d participants and %(minimum)d "
                "comparison group members need a match within the caliper. Try a wider caliper "
                "or no caliper."
            )
            % {"minimum": MIN_ROWS}
        )
    result: dict[str, Any] = {
        "outcome": outcome,
        "participants": frames.participants,
        "members": frames.members,
        "dropped_treated": frames.dropped_treated,
        "dropped_control": frames.dropped_control,
        # Not shown: they decide whether the balance table may show the share of women.
        "women_dropped_treated": frames.women_dropped_treated,
        "women_dropped_control": frames.women_dropped_control,
        "psm": plain(dataclasses.asdict(matched)),
        "did": None,
        "did_error": "",
    }
    did_treated = int((frames.did[TREATED] == 1).sum())
    did_control = len(frames.did) - did_treated
    try:
        if did_treated < MIN_ROWS:
            raise _too_few(did_treated, treated=True)
        if did_control < MIN_ROWS:
            raise _too_few(did_control, treated=False)
        did = difference_in_differences(frames.did, treatment=TREATED, before=BEFORE, after=AFTER)
        result["did"] = plain(dataclasses.asdict(did))
    except EstimationError as error:
        result["did_error"] = str(error)
    return result


def plain(value: Any) -> Any:
    """`value` as JSON: numpy numbers as Python ones, NaN and infinities as null (PostgreSQL's
    jsonb refuses NaN), tuples as lists."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value
