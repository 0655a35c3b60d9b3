"""A run's stored result as it may be shown: counts under disclosure control, the effect in
words, the balance table with its flags, and the balance chart.

The page and the API both go through `RunView`, so neither shows a count the other hides.

The counts of a run add up: participants = in the matching + left out; in the matching =
matched + unmatched; participants = in the difference in differences + the rest (and likewise
for the comparison group). Hiding 1–4 as "<5" is not enough then: a count shown beside its sum
gives the hidden one away by subtraction. `protected_counts` hides more until nothing hidden can
be worked out (secondary suppression, as `core.disclosure.protect`, over the linked sums). The
share of women in the balance table is a count of women once multiplied by a count shown, so it
is shown only where that count of women would be (`BalanceView`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
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


# A hidden count of at least five has no upper bound that the page gives.
_UNBOUNDED = 10**12
# Counts published elsewhere (the group list, the group's summary): never hidden here, and
# taken as known when checking what can be worked out, unless 1–4 (then "<5" there too).
_PUBLIC = frozenset({"participants", "members"})
# (sum, parts): how the counts of a run add up. Names starting with "_" are not shown at all,
# but may not be worked out either where they are 1–4.
_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("participants", ("n_treated", "dropped_treated")),
    ("n_treated", ("n_matched_treated", "n_unmatched_treated")),
    ("participants", ("did_n_treated", "_no_did_treated")),
    ("members", ("n_control", "dropped_control")),
    ("n_control", ("n_matched_control", "_n_unmatched_control")),
    ("members", ("did_n_control", "_no_did_control")),
)


def _bounds(shown: Mapping[str, str | None], values: Mapping[str, int]) -> dict[str, list[int]]:
    bounds = {}
    for name, value in values.items():
        text = shown[name]
        if text not in (None, disclosure.SMALL, disclosure.HIDDEN):
            bounds[name] = [value, value]
        elif text == disclosure.SMALL:
            bounds[name] = [1, disclosure.THRESHOLD - 1]
        elif text == disclosure.HIDDEN:
            bounds[name] = [disclosure.THRESHOLD, _UNBOUNDED]
        else:  # not shown at all
            bounds[name] = [0, _UNBOUNDED]
    return bounds


def _narrowed(
    bounds: dict[str, list[int]], sums: Sequence[tuple[str, tuple[str, ...]]]
) -> dict[str, list[int]] | None:
    """The bounds narrowed by the sums until they change no more; None if no counts fit them.

    The sums of each side form a tree (two sums share a count), and a sum of whole ranges takes
    every value between its bounds, so the narrowed bounds are exactly the values each count can
    take.
    """
    for _round in range(100):
        changed = False
        for total, parts in sums:
            low = sum(bounds[part][0] for part in parts)
            high = sum(bounds[part][1] for part in parts)
            new = [max(bounds[total][0], low), min(bounds[total][1], high)]
            changed |= new != bounds[total]
            bounds[total] = new
            for part in parts:
                others_low = low - bounds[part][0]
                others_high = high - bounds[part][1]
                new = [
                    max(bounds[part][0], bounds[total][0] - others_high),
                    min(bounds[part][1], bounds[total][1] - others_low),
                ]
                changed |= new != bounds[part]
                bounds[part] = new
        if any(low > high for low, high in bounds.values()):
            return None
        if not changed:
            break
    return bounds


def _protected(name: str, shown: Mapping[str, str | None], values: Mapping[str, int]) -> bool:
    """Whether the count may not be worked out exactly: shown as "<5" or "≥5", or not shown
    and 1–4."""
    text = shown[name]
    return text in (disclosure.SMALL, disclosure.HIDDEN) or (
        text is None and 0 < values[name] < disclosure.THRESHOLD
    )


def _exposed(
    shown: Mapping[str, str | None],
    values: Mapping[str, int],
    sums: Sequence[tuple[str, tuple[str, ...]]],
) -> set[str]:
    """The protected counts that what is shown pins to one value (all if nothing fits)."""
    protected = {name for name in values if _protected(name, shown, values)}
    bounds = _narrowed(_bounds(shown, values), sums)
    if bounds is None:
        return protected
    return {name for name in protected if bounds[name][0] == bounds[name][1]}


def _linked(names: set[str], sums: Sequence[tuple[str, tuple[str, ...]]], reach: int) -> set[str]:
    """`names` and the counts summed with them, over up to `reach` sums in a row."""
    linked = set(names)
    for _step in range(reach):
        linked |= {
            name for total, parts in sums if linked & {total, *parts} for name in (total, *parts)
        }
    return linked


def _hide_more(
    shown: dict[str, str | None], values: Mapping[str, int], among: set[str], *, ranges: bool
) -> bool:
    """Hide more of the counts `among`: the smallest shown exactly (not zero) as "≥5", or with
    `ranges`, those shown as "<5" or "≥5" not at all. False if there was nothing to hide."""
    candidates = [name for name in among if name not in _PUBLIC and shown[name] is not None]
    if ranges:
        hidden = [n for n in candidates if shown[n] in (disclosure.SMALL, disclosure.HIDDEN)]
        for name in hidden:
            shown[name] = None
        return bool(hidden)
    visible = [
        name
        for name in candidates
        if shown[name] not in (disclosure.SMALL, disclosure.HIDDEN) and values[name] > 0
    ]
    if not visible:
        return False
    # Shown exactly and not zero: at least five.
    shown[min(visible, key=lambda name: (values[name], name))] = disclosure.HIDDEN
    return True


def protected_counts(values: Mapping[str, int | None]) -> dict[str, str]:
    """The counts of a run as they may be shown, by name (those of `_SUMS`; names starting with
    "_" are worked out here and not returned). 1–4 are "<5"; while a hidden count can be worked
    out from the others and their sums, the smallest count shown beside it (in a sum with it,
    else on the same side) is hidden too ("≥5"), and failing that the hidden counts beside it
    are not shown at all ("–"). `core.disclosure.protect` does the same for one sum. A count
    not known (None) is "–"."""
    known = {name: value for name, value in values.items() if value is not None}
    sums = [
        (total, parts)
        for total, parts in _SUMS
        if total in known and all(part in known or part.startswith("_") for part in parts)
    ]
    for total, parts in sums:
        for part in parts:
            if part not in known:  # the part not shown: the rest of the sum
                known[part] = known[total] - sum(known.get(p, 0) for p in parts if p != part)
    shown: dict[str, str | None] = {
        name: None if name.startswith("_") else count(value) for name, value in known.items()
    }
    while exposed := _exposed(shown, known, sums):
        beside = _linked(exposed, sums, reach=1)
        side = _linked(exposed, sums, reach=len(sums))
        if not (
            _hide_more(shown, known, beside, ranges=False)
            or _hide_more(shown, known, side, ranges=False)
            or _hide_more(shown, known, beside, ranges=True)
            or _hide_more(shown, known, side, ranges=True)
        ):
            break  # nothing left to hide: cannot happen, the sums then pin nothing
    return {
        name: disclosure.NOT_SHOWN if shown.get(name) is None else str(shown[name])
        for name in values
        if not name.startswith("_")
    }


def shown_share(part: int, whole: int) -> bool:
    """Whether `part` of `whole` (women of a group) would be shown as a count beside the rest
    (`core.disclosure.protect`: both 0 or at least five)."""
    part = min(max(part, 0), whole)
    cells, _total = disclosure.protect([part, whole - part])
    return all(cell.isdigit() for cell in cells)


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
    """A covariate's line of the balance table; a figure is None where it may not be shown
    (`RunView.balance`)."""

    number: int
    covariate: str
    label: str
    mean_treated: float | None
    mean_control_before: float | None
    smd_before: float | None
    mean_control_after: float | None
    smd_after: float | None
    unbalanced: bool

    def texts(self) -> dict[str, str]:
        """The line's numbers as the page writes them ("–" where not shown)."""
        return {
            "mean_treated": number(self.mean_treated),
            "mean_control_before": number(self.mean_control_before),
            "smd_before": number(self.smd_before),
            "mean_control_after": number(self.mean_control_after),
            "smd_after": number(self.smd_after),
        }


def _women(share: Any, people: Any) -> int | None:
    """The number of women a share of `people` stands for; None if either is not known."""
    if share is None or people is None:
        return None
    return round(float(share) * int(people))


def _share_shown(*pairs: tuple[int | None, Any]) -> bool:
    """Whether each (women, people) pair would be shown as counts (`shown_share`); a pair not
    known is taken as not shown."""
    return all(
        women is not None and people is not None and shown_share(women, int(people))
        for women, people in pairs
    )


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

    def estimates(self) -> dict[str, float | None]:
        """The ATT and its bootstrap interval; None where not shown (`estimate_shown`)."""
        psm = self.psm
        shown = self.estimate_shown
        return {key: psm.get(key) if shown else None for key in ("att", "lower", "upper")}

    def att(self) -> dict[str, str]:
        """The ATT and its bootstrap interval as text."""
        return {key: self.effect(value) for key, value in self.estimates().items()}

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

    @property
    def estimate_shown(self) -> bool:
        """Whether the effect may be shown: at least five matched on each side. Runs refuse
        fewer (`estimate`); this guards results stored before they did."""
        psm = self.psm
        return all(
            int(psm.get(key) or 0) >= disclosure.THRESHOLD
            for key in ("n_matched_treated", "n_matched_control")
        )

    @cached_property
    def _counts(self) -> dict[str, str]:
        psm, did = self.psm, self.did or {}
        return protected_counts(
            {
                "participants": self.result.get("participants"),
                "members": self.result.get("members"),
                "dropped_treated": self.result.get("dropped_treated"),
                "dropped_control": self.result.get("dropped_control"),
                "n_treated": psm.get("n_treated"),
                "n_control": psm.get("n_control"),
                "n_matched_treated": psm.get("n_matched_treated"),
                "n_matched_control": psm.get("n_matched_control"),
                "n_unmatched_treated": psm.get("n_unmatched_treated"),
                "did_n_treated": did.get("n_treated"),
                "did_n_control": did.get("n_control"),
            }
        )

    def counts(self) -> dict[str, str]:
        """The counts of the matching as they may be shown (`protected_counts`)."""
        return {key: value for key, value in self._counts.items() if not key.startswith("did_")}

    def sentence(self) -> str:
        """The ATT in words, with its interval and whether it rules out no effect."""
        estimates = self.estimates()
        att, lower, upper = estimates["att"], estimates["lower"], estimates["upper"]
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
        """The balance table. The means of the matched comparison persons and the SMD after
        matching are shown only with the effect (`estimate_shown`). The share of women is a
        count once multiplied by the counts of the run, so each of its means is shown only where
        the count of women it stands for would be shown beside the rest (0 or at least five of
        each), among those left out too; its SMDs, from which a hidden mean could be worked
        out, only where all of its means are and so are the women among the matched and the
        unmatched participants."""
        shown_after = self.estimate_shown
        lines = []
        rows = self.psm.get("balance") or []
        for index, row in enumerate(rows, start=1):
            if row.get("smd_before") is None or row.get("smd_after") is None:
                continue
            treated = control = after = smds = True
            if row["covariate"] == WOMAN:
                treated, control, after, smds = self._women_shown(row)
            after = after and shown_after
            lines.append(
                BalanceLine(
                    number=index,
                    covariate=str(row["covariate"]),
                    label=covariate_label(str(row["covariate"])),
                    mean_treated=row["mean_treated"] if treated else None,
                    mean_control_before=row["mean_control_before"] if control else None,
                    smd_before=row["smd_before"] if smds else None,
                    mean_control_after=row["mean_control_after"] if after else None,
                    smd_after=row["smd_after"] if smds and after else None,
                    unbalanced=abs(row["smd_after"]) > SMD_LIMIT,
                )
            )
        return lines

    def _women_shown(self, row: Mapping[str, Any]) -> tuple[bool, bool, bool, bool]:
        """Which figures of the balance line of the share of women may be shown: the
        participants' mean, the comparison group's before and after matching, and the SMDs."""
        psm, result = self.psm, self.result
        n_treated, n_control = psm.get("n_treated"), psm.get("n_control")
        matched = psm.get("n_matched_treated")
        women = _women(row.get("mean_treated"), n_treated)
        women_matched = _women(row.get("mean_treated_after"), matched)
        dropped_treated = result.get("dropped_treated")
        dropped_control = result.get("dropped_control")
        # Results stored before the women left out were counted: nobody left out, or unknown.
        women_dropped_treated = result.get(
            "women_dropped_treated", 0 if not dropped_treated else None
        )
        women_dropped_control = result.get(
            "women_dropped_control", 0 if not dropped_control else None
        )
        treated = _share_shown((women, n_treated), (women_dropped_treated, dropped_treated))
        control = _share_shown(
            (_women(row.get("mean_control_before"), n_control), n_control),
            (women_dropped_control, dropped_control),
        )
        # Matched comparison persons weigh as many as the matched participants in all.
        after = _share_shown((_women(row.get("mean_control_after"), matched), matched))
        unmatched = psm.get("n_unmatched_treated")
        women_unmatched = None if women is None or women_matched is None else women - women_matched
        smds = (
            treated
            and control
            and after
            and _share_shown((women_matched, matched), (women_unmatched, unmatched))
        )
        return treated, control, after, smds

    def unbalanced(self) -> list[BalanceLine]:
        return [line for line in self.balance() if line.unbalanced]

    def balance_chart(self) -> str:
        """A "love plot": |SMD| of each covariate before and after matching, with the 0.1
        line; the balance table beside it carries the same numbers as text."""
        lines = [
            line
            for line in self.balance()
            if line.smd_before is not None and line.smd_after is not None
        ]
        if not lines:
            return ""
        numbers = [float(line.number) for line in lines]
        described = "; ".join(
            _("%(number)d %(covariate)s: %(before)s before, %(after)s after")
            % {
                "number": line.number,
                "covariate": line.label,
                "before": number(abs(line.smd_before or 0.0)),
                "after": number(abs(line.smd_after or 0.0)),
            }
            for line in lines
        )
        return charts.line_chart(
            [
                charts.Series(
                    _("Before matching"),
                    [
                        (x, abs(line.smd_before or 0.0))
                        for x, line in zip(numbers, lines, strict=True)
                    ],
                ),
                charts.Series(
                    _("After matching"),
                    [
                        (x, abs(line.smd_after or 0.0))
                        for x, line in zip(numbers, lines, strict=True)
                    ],
                ),
                charts.Series(_("Limit 0.1"), [(numbers[0], SMD_LIMIT), (numbers[-1], SMD_LIMIT)]),
            ],
            title=_("Covariate balance before and after matching"),
            description=_("Absolute standardised mean difference by covariate: %(list)s.")
            % {"list": described},
            x_label=_("Covariate (number in the balance table)"),
            y_label=_("Absolute standardised mean difference"),
            y_limits=(0.0, max(0.25, *(abs(line.smd_before or 0.0) for line in lines)) * 1.1),
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
            "n_treated": self._counts["did_n_treated"],
            "n_control": self._counts["did_n_control"],
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
