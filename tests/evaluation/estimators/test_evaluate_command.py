"""`polku evaluate`: the estimators on an evaluator's CSV file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lifelines.datasets import load_lung, load_rossi

from tests.evaluation.estimators.test_matching import trainees


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("evaluate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def trainee_csv(tmp_path: Path) -> Path:
    path = tmp_path / "trainees.csv"
    trainees().to_csv(path, index=False, sep=";")
    return path


def test_psm_prints_the_estimate_interval_counts_and_balance_as_json(trainee_csv: Path) -> None:
    out, err = run(
        "psm", "--csv", str(trainee_csv), "--treatment", "trainee", "--outcome", "earnings",
        "--covariates", "age", "--replacement", "--bootstrap", "30", "--json",
    )  # fmt: skip

    result = json.loads(out)
    assert err == ""
    assert result["method"] == "psm"
    assert result["estimate"] == pytest.approx(1695.0)
    assert result["lower"] <= result["estimate"] <= result["upper"]
    assert result["counts"] == {
        "treated": 10,
        "control": 20,
        "matched_treated": 10,
        "matched_control": 12,
        "unmatched_treated": 0,
    }
    assert (result["caliper"], result["replacement"], result["bootstrap"]) == (0.2, True, 30)
    (age,) = result["balance"]
    assert age["covariate"] == "age"
    assert age["mean_control_before"] == pytest.approx(31.95)
    assert age["smd_after"] == pytest.approx(0.0)


def test_psm_without_a_caliper_or_bootstrap_gives_null_bounds(trainee_csv: Path) -> None:
    out, _ = run(
        "psm", "--csv", str(trainee_csv), "--treatment", "trainee", "--outcome", "earnings",
        "--covariates", "age", "--caliper", "none", "--bootstrap", "0", "--json",
    )  # fmt: skip

    result = json.loads(out)
    assert (result["caliper"], result["lower"], result["upper"]) == (None, None, None)


def test_km_by_group_prints_each_curve_with_its_median(tmp_path: Path) -> None:
    path = tmp_path / "lung.csv"
    load_lung()[["time", "status", "sex"]].to_csv(path, index=False)

    out, _ = run("km", "--csv", str(path), "--duration", "time", "--event", "status",
                 "--group", "sex", "--json")  # fmt: skip

    curves = json.loads(out)["curves"]
    assert [(c["group"], c["n"], c["median"]) for c in curves] == [("1", 138, 270), ("2", 90, 426)]
    assert curves[0]["points"][0] == {
        "time": 0.0, "survival": 1.0, "lower": 1.0, "upper": 1.0, "at_risk": 138,
    }  # fmt: skip


def test_cox_and_did_print_readable_tables(tmp_path: Path) -> None:
    path = tmp_path / "rossi.csv"
    load_rossi().to_csv(path, index=False)
    panel = tmp_path / "panel.csv"
    panel.write_text("t,before,after\n1,2,6\n1,4,8\n0,1,2\n0,3,3\n0,5,7\n", encoding="utf-8")

    cox_out, _ = run("cox", "--csv", str(path), "--duration", "week", "--event", "arrest",
                     "--covariates", "fin,age,prio")  # fmt: skip
    did_out, _ = run("did", "--csv", str(panel), "--treatment", "t", "--before", "before",
                     "--after", "after")  # fmt: skip

    assert "hazard_ratio" in cox_out
    assert "prio" in cox_out
    assert did_out.startswith("Estimate 3, 95% interval ")


def test_a_wrong_column_name_is_named_and_nothing_is_printed(trainee_csv: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "evaluate", "psm", "--csv", str(trainee_csv), "--treatment", "trainee",
            "--outcome", "earnings", "--covariates", "age,sex", "--json", stdout=out,
        )  # fmt: skip

    assert str(caught.value) == (
        "The file has no column “sex”. Its columns are: trainee, age, earnings."
    )
    assert out.getvalue() == ""


def test_a_value_that_is_not_a_number_is_named_by_column_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("days;job\n10;1\n12;yes\n", encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("evaluate", "km", "--csv", str(path), "--duration", "days",
                     "--event", "job", stdout=out)  # fmt: skip

    assert str(caught.value) == "Line 3, column “job”: the value is not a number."
    assert out.getvalue() == ""


# Finnish and Swedish quote with ”…”, English with “…”.
@pytest.mark.parametrize(
    ("language", "quoted"),
    [("fi", "saraketta ”weeks”"), ("sv", "kolumn ”weeks”"), ("en", "“weeks”")],
)
def test_the_message_names_the_column_in_every_language(
    tmp_path: Path, language: str, quoted: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("days;job\n10;1\n", encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("evaluate", "km", "--csv", str(path), "--duration", "weeks",
                     "--event", "job", "--language", language)  # fmt: skip

    assert quoted in str(caught.value)


def test_the_console_command_exits_non_zero_with_the_message_on_stderr_only(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("days;job\n10;1\n12;yes\n", encoding="utf-8")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}

    finished = subprocess.run(
        [sys.executable, "-m", "polku.cli", "evaluate", "km", "--csv", str(path),
         "--duration", "days", "--event", "job", "--json"],
        capture_output=True, text=True, env=environment, check=False,
    )  # fmt: skip

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert "Line 3, column “job”: the value is not a number." in finished.stderr


def test_an_estimate_the_data_cannot_support_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("t,y,x\n1,1,1\n0,0,2\n0,1,3\n", encoding="utf-8")

    with pytest.raises(CommandError, match="at least two people who took part"):
        call_command("evaluate", "psm", "--csv", str(path), "--treatment", "t",
                     "--outcome", "y", "--covariates", "x")  # fmt: skip


def test_a_file_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("evaluate", "km", "--csv", str(tmp_path / "none.csv"), "--duration", "d",
                     "--event", "e")  # fmt: skip
