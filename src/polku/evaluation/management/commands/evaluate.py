"""`polku evaluate`: the evaluation estimators on any CSV file, for evaluators.

    polku evaluate psm --csv FILE --treatment COL --outcome COL --covariates a,b,c
                       [--caliper 0.2|none] [--replacement] [--bootstrap N] [--seed N] [--json]
    polku evaluate km  --csv FILE --duration COL --event COL [--group COL] [--json]
    polku evaluate cox --csv FILE --duration COL --event COL --covariates a,b [--json]
    polku evaluate did --csv FILE --treatment COL --before COL --after COL [--json]

The file is read by `estimators.csvdata` (UTF-8, comma or semicolon, decimal comma accepted);
every column named must exist and hold numbers (code categories as 0/1 columns), except --group.
A problem ends the command with the message (naming the column and the line) on stderr, a non-zero
exit code and nothing on stdout. Messages are in English unless --language says otherwise.
Methods: docs/evaluation-estimators.md.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext

from polku.evaluation import estimators
from polku.evaluation.estimators import CsvDataError, EstimationError

LANGUAGES = ("en", "fi", "sv")


def _columns(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one column name")
    return names


def _caliper(value: str) -> float | None:
    if value.strip().lower() == "none":
        return None
    try:
        number = float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError("a positive number or 'none'") from error
    if not number > 0:
        raise argparse.ArgumentTypeError("a positive number or 'none'")
    return number


def _plain(value: Any) -> Any:
    """JSON-safe: NaN and infinity (undefined bounds) become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class Command(BaseCommand):
    help = "Run an evaluation estimator (psm, km, cox, did) on a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        methods = parser.add_subparsers(dest="method", required=True)
        psm = methods.add_parser("psm", help="propensity score matching (ATT)")
        self._common(psm)
        psm.add_argument("--treatment", required=True)
        psm.add_argument("--outcome", required=True)
        psm.add_argument("--covariates", required=True, type=_columns)
        psm.add_argument("--caliper", type=_caliper, default=0.2)
        psm.add_argument("--replacement", action="store_true")
        psm.add_argument("--bootstrap", type=int, default=500)
        psm.add_argument("--seed", type=int, default=2026)
        km = methods.add_parser("km", help="Kaplan–Meier curves")
        self._common(km)
        km.add_argument("--duration", required=True)
        km.add_argument("--event", required=True)
        km.add_argument("--group")
        cox = methods.add_parser("cox", help="Cox proportional-hazards model")
        self._common(cox)
        cox.add_argument("--duration", required=True)
        cox.add_argument("--event", required=True)
        cox.add_argument("--covariates", required=True, type=_columns)
        did = methods.add_parser("did", help="difference-in-differences")
        self._common(did)
        did.add_argument("--treatment", required=True)
        did.add_argument("--before", required=True)
        did.add_argument("--after", required=True)

    @staticmethod
    def _common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--csv", required=True, help="the CSV file (UTF-8)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--language", choices=LANGUAGES, default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        run: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "psm": _psm,
            "km": _km,
            "cox": _cox,
            "did": _did,
        }
        with translation.override(options["language"]):
            try:
                result = run[options["method"]](options)
            except (CsvDataError, EstimationError) as error:
                raise CommandError(str(error)) from error
            except OSError as error:
                raise CommandError(
                    gettext("The file “%(file)s” cannot be read.") % {"file": options["csv"]}
                ) from error
            if options["json"]:
                self.stdout.write(json.dumps(_plain(result), ensure_ascii=False, indent=2))
            else:
                self.stdout.write(_table(result))


def _read(options: dict[str, Any], numeric: list[str], text: list[str] | None = None) -> Any:
    return estimators.read_csv(options["csv"], columns=[*numeric, *(text or [])], numeric=numeric)


def _psm(options: dict[str, Any]) -> dict[str, Any]:
    covariates = options["covariates"]
    frame = _read(options, [options["treatment"], options["outcome"], *covariates])
    result = estimators.psm(
        frame,
        treatment=options["treatment"],
        outcome=options["outcome"],
        covariates=covariates,
        caliper=options["caliper"],
        replacement=options["replacement"],
        bootstrap=options["bootstrap"],
        seed=options["seed"],
    )
    return {
        "method": "psm",
        "estimand": "ATT",
        "estimate": result.att,
        "lower": result.lower,
        "upper": result.upper,
        "confidence": 0.95,
        "unadjusted": result.unadjusted,
        "counts": {
            "treated": result.n_treated,
            "control": result.n_control,
            "matched_treated": result.n_matched_treated,
            "matched_control": result.n_matched_control,
            "unmatched_treated": result.n_unmatched_treated,
        },
        "caliper": result.caliper,
        "caliper_width": result.caliper_width,
        "replacement": result.replacement,
        "bootstrap": result.bootstrap,
        "seed": options["seed"],
        "balance": [
            {
                "covariate": row.covariate,
                "mean_treated": row.mean_treated,
                "mean_control_before": row.mean_control_before,
                "smd_before": row.smd_before,
                "mean_treated_after": row.mean_treated_after,
                "mean_control_after": row.mean_control_after,
                "smd_after": row.smd_after,
            }
            for row in result.balance
        ],
    }


def _km(options: dict[str, Any]) -> dict[str, Any]:
    group = options["group"]
    frame = _read(options, [options["duration"], options["event"]], [group] if group else None)
    curves = estimators.kaplan_meier(
        frame, duration=options["duration"], event=options["event"], group=group
    )
    return {
        "method": "km",
        "confidence": 0.95,
        "curves": [
            {
                "group": curve.group,
                "n": curve.n,
                "events": curve.events,
                "censored": curve.censored,
                "median": curve.median,
                "median_lower": curve.median_lower,
                "median_upper": curve.median_upper,
                "points": [
                    {
                        "time": point.time,
                        "survival": point.survival,
                        "lower": point.lower,
                        "upper": point.upper,
                        "at_risk": point.at_risk,
                    }
                    for point in curve.points
                ],
            }
            for curve in curves
        ],
    }


def _cox(options: dict[str, Any]) -> dict[str, Any]:
    covariates = options["covariates"]
    frame = _read(options, [options["duration"], options["event"], *covariates])
    result = estimators.cox(
        frame, duration=options["duration"], event=options["event"], covariates=covariates
    )
    return {
        "method": "cox",
        "confidence": 0.95,
        "counts": {"n": result.n, "events": result.events},
        "concordance": result.concordance,
        "terms": [
            {
                "name": term.name,
                "coef": term.coef,
                "hazard_ratio": term.hazard_ratio,
                "lower": term.lower,
                "upper": term.upper,
                "p_value": term.p_value,
            }
            for term in result.terms
        ],
    }


def _did(options: dict[str, Any]) -> dict[str, Any]:
    frame = _read(options, [options["treatment"], options["before"], options["after"]])
    result = estimators.difference_in_differences(
        frame, treatment=options["treatment"], before=options["before"], after=options["after"]
    )
    return {
        "method": "did",
        "estimate": result.estimate,
        "lower": result.lower,
        "upper": result.upper,
        "confidence": 0.95,
        "std_error": result.std_error,
        "p_value": result.p_value,
        "counts": {"treated": result.n_treated, "control": result.n_control},
        "means": {
            "treated_before": result.treated_before,
            "treated_after": result.treated_after,
            "control_before": result.control_before,
            "control_after": result.control_after,
        },
    }


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _rows(headings: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [headings, *[[_number(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headings))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]


def _table(result: dict[str, Any]) -> str:
    """A plain-text report of `result` (the JSON's content) for reading in a terminal."""
    method = result["method"]
    lines: list[str] = []
    if method in ("psm", "did"):
        lines.append(
            gettext("Estimate %(estimate)s, 95%% interval %(lower)s to %(upper)s")
            % {key: _number(result[key]) for key in ("estimate", "lower", "upper")}
        )
        lines += _rows(list(result["counts"]), [list(result["counts"].values())])
    if method == "psm":
        balance = result["balance"]
        lines.append("")
        lines += _rows(list(balance[0]), [list(row.values()) for row in balance])
    elif method == "did":
        lines += _rows(list(result["means"]), [list(result["means"].values())])
    elif method == "km":
        keys = ["group", "n", "events", "censored", "median", "median_lower", "median_upper"]
        lines += _rows(keys, [[curve[key] for key in keys] for curve in result["curves"]])
    else:
        lines += _rows(list(result["counts"]), [list(result["counts"].values())])
        terms = result["terms"]
        lines += _rows(list(terms[0]), [list(term.values()) for term in terms])
    return "\n".join(lines)
