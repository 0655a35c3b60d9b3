"""A run's stored result as it may be shown: counts under disclosure control, the effect in
words, the balance table with its flags, and the balance chart.

The page and the API both go through `RunView`, so neither shows a count the other hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from polku.core import disclosure
from polku.evaluation.comparison.frames import WOMAN
from polku.evaluation.comparison.parameters import COVARIATES, OUTCOMES
from polku.evaluation.models import ComparisonRun, RunStatus
from polku.ips.outcomes import formatting
from polku.reports import charts

# |SMD| above 0.1 is the usual sign that matching left a covariate unbalanced (Austin 2009,
# Statistics in Medicine 28(25): 3083–3107).
SMD_LIMIT = 0.1
# Outcomes that are 0/1 events: their ATT is a difference of shares, shown in percentage points.
SHARE_OUTCOMES = frozenset({"employed_6m", "employed_12m"})


def count(value: int | None) -> str:
    """A count as it may be published: 1–4 as "<5" (`core.disclosure`)."""
    if value is None:
        return disclosure.NOT_SHOWN
    return disclosure.SMALL if 0 < value < disclosure.THRESHOLD else str(value)


def number(value: float | None, decimals: int = 2) -> str:
    """A number in the active language ("0,25" in Finnish), "–" when not known."""
    if value is None:
        return disclosure.NOT_SHOWN
    return formats.number_format(round(value, decimals), decimals, use_l10n=True)


def outcome_label(key: object) -> str:
    return str(OUTCOMES.get(str(key), key or disclosure.NOT_SHOWN))


def covariate_label(column: str) -> str:
    name = "gender" if column == WOMAN else column
    return str(COVARIATES.get(name, column))


@dataclass(frozen=True)
class BalanceLine:
    number: int
    covariate: str
    label: str
    mean_treated: float
    mean_control_before: float
    smd_before: float
    mean_control_after: float
    smd_after: float

    @property
    def unbalanced(self) -> bool:
        return abs(self.smd_after) > SMD_LIMIT

    def texts(self) -> dict[str, str]:
        """The line's numbers as the page writes them."""
        return {
            "mean_treated": number(self.mean_treated),
            "mean_control_before": number(self.mean_control_before),
            "smd_before": number(self.smd_before),
            "mean_control_after": number(self.mean_control_after),
            "smd_after": number(self.smd_after),
        }


@dataclass(frozen=True)
class RunView:
    """What the pages and the API show of a run."""

    run: ComparisonRun
    result: dict[str, Any]

    @property
    def done(self) -> bool:
        return self.run.status == RunStatus.DONE and bool(self.result)

    @property
    def outcome(self) -> str:
        return str(self.run.parameters.get("outcome", ""))

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def share_outcome(self) -> bool:
        return self.outcome in SHARE_OUTCOMES

    @property
    def psm(self) -> dict[str, Any]:
        psm: dict[str, Any] = self.result.get("psm") or {}
        return psm

    @property
    def did(self) -> dict[str, Any] | None:
        did: dict[str, Any] | None = self.result.get("did")
        return did

    def effect(self, value: float | None) -> str:
        """An effect on the outcome: months, or percentage points for a 0/1 outcome."""
        if value is None:
            return disclosure.NOT_SHOWN
        if self.share_outcome:
            return _("%(value)s percentage points") % {"value": number(value * 100, 1)}
        return _("%(value)s months") % {"value": number(value, 2)}

    def att(self) -> dict[str, str]:
        """The ATT and its bootstrap interval as text."""
        psm = self.psm
        return {key: self.effect(psm.get(key)) for key in ("att", "lower", "upper")}

    def parameter_lines(self) -> list[tuple[str, str]]:
        """The run's parameters as (name, value) in the page's language."""
        parameters = self.run.parameters
        caliper = parameters.get("caliper")
        return [
            (_("Outcome"), self.outcome_label),
            (
                _("Covariates"),
                ", ".join(str(COVARIATES.get(c, c)) for c in parameters.get("covariates", [])),
            ),
            (_("Caliper"), number(caliper) if caliper is not None else _("none")),
            (_("With replacement"), _("yes") if parameters.get("replacement") else _("no")),
            (_("Bootstrap resamples"), str(parameters.get("bootstrap", ""))),
        ]

    def counts(self) -> dict[str, str]:
        psm = self.psm
        return {
            "participants": count(self.result.get("participants")),
            "members": count(self.result.get("members")),
            "dropped_treated": count(self.result.get("dropped_treated")),
            "dropped_control": count(self.result.get("dropped_control")),
            "n_treated": count(psm.get("n_treated")),
            "n_control": count(psm.get("n_control")),
            "n_matched_treated": count(psm.get("n_matched_treated")),
            "n_matched_control": count(psm.get("n_matched_control")),
            "n_unmatched_treated": count(psm.get("n_unmatched_treated")),
        }

    def sentence(self) -> str:
        """The ATT in words, with its interval and whether it rules out no effect."""
        psm = self.psm
        att, lower, upper = psm.get("att"), psm.get("lower"), psm.get("upper")
        if att is None:
            return ""
        values = {
            "effect": self.effect(abs(att)),
            "lower": self.effect(lower),
            "upper": self.effect(upper),
            "outcome": self.outcome_label.lower(),
        }
        if att >= 0:
            text = _(
                "Matched participants did better than similar non-participants by "
                "%(effect)s (%(outcome)s; 95 %% confidence interval %(lower)s to %(upper)s)."
            )
        else:
            text = _(
                "Matched participants did worse than similar non-participants by "
                "%(effect)s (%(outcome)s; 95 %% confidence interval %(lower)s to %(upper)s)."
            )
        text %= values
        if lower is not None and upper is not None and lower <= 0 <= upper:
            text += " " + _(
                "The interval includes zero: the data do not show a difference for certain."
            )
        return text

    def balance(self) -> list[BalanceLine]:
        return [
            BalanceLine(
                number=index,
                covariate=str(row["covariate"]),
                label=covariate_label(str(row["covariate"])),
                mean_treated=row["mean_treated"],
                mean_control_before=row["mean_control_before"],
                smd_before=row["smd_before"],
                mean_control_after=row["mean_control_after"],
                smd_after=row["smd_after"],
            )
            for index, row in enumerate(self.psm.get("balance") or [], start=1)
            if row.get("smd_before") is not None and row.get("smd_after") is not None
        ]

    def unbalanced(self) -> list[BalanceLine]:
        return [line for line in self.balance() if line.unbalanced]

    def balance_chart(self) -> str:
        """A "love plot": |SMD| of each covariate before and after matching, with the 0.1
        line; the balance table beside it carries the same numbers as text."""
        lines = self.balance()
        if not lines:
            return ""
        numbers = [float(line.number) for line in lines]
        described = "; ".join(
            _("%(number)d %(covariate)s: %(before)s before, %(after)s after")
            % {
                "number": line.number,
                "covariate": line.label,
                "before": number(abs(line.smd_before)),
                "after": number(abs(line.smd_after)),
            }
            for line in lines
        )
        return charts.line_chart(
            [
                charts.Series(
                    _("Before matching"),
                    [(x, abs(line.smd_before)) for x, line in zip(numbers, lines, strict=True)],
                ),
                charts.Series(
                    _("After matching"),
                    [(x, abs(line.smd_after)) for x, line in zip(numbers, lines, strict=True)],
                ),
                charts.Series(_("Limit 0.1"), [(numbers[0], SMD_LIMIT), (numbers[-1], SMD_LIMIT)]),
            ],
            title=_("Covariate balance before and after matching"),
            description=_("Absolute standardised mean difference by covariate: %(list)s.")
            % {"list": described},
            x_label=_("Covariate (number in the balance table)"),
            y_label=_("Absolute standardised mean difference"),
            y_limits=(0.0, max(0.25, *(abs(line.smd_before) for line in lines)) * 1.1),
        )

    def did_lines(self) -> dict[str, str]:
        """The difference-in-differences figures as text (months in work)."""
        did = self.did or {}
        return {
            "estimate": number(did.get("estimate")),
            "lower": number(did.get("lower")),
            "upper": number(did.get("upper")),
            "std_error": number(did.get("std_error")),
            "p_value": number(did.get("p_value"), 3),
            "n_treated": count(did.get("n_treated")),
            "n_control": count(did.get("n_control")),
            "treated_before": number(did.get("treated_before")),
            "treated_after": number(did.get("treated_after")),
            "control_before": number(did.get("control_before")),
            "control_after": number(did.get("control_after")),
        }


def labels() -> dict[str, str]:
    """Headings with a per cent sign, kept out of the templates: there the sign would be
    doubled in the message catalogue."""
    return {
        # xgettext:no-python-format  (the "%" is a per cent sign)
        "bootstrap_interval": _("95 % bootstrap confidence interval"),
        # xgettext:no-python-format  (the "%" is a per cent sign)
        "interval": _("95 % confidence interval"),
    }


def view(run: ComparisonRun | None) -> RunView | None:
    if run is None:
        return None
    return RunView(run, run.result or {})


def percent(share: float | None) -> str:
    return disclosure.NOT_SHOWN if share is None else formatting.percent(share)
