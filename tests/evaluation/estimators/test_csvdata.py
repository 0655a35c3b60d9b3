"""Reading evaluators' CSV files: the formats spreadsheets write, and errors by line and column."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.evaluation.estimators import CsvDataError, read_csv


def test_reads_a_semicolon_file_with_a_byte_order_mark_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid;age;earnings;sex\n1;30;1200,50;nainen\n2;41;-0,25;mies\n".encode())

    frame = read_csv(path, columns=["age", "earnings", "sex"], numeric=["age", "earnings"])

    assert list(frame.columns) == ["age", "earnings", "sex"]
    assert frame["earnings"].tolist() == [1200.5, -0.25]
    assert frame["sex"].tolist() == ["nainen", "mies"]
    assert frame.index.tolist() == [2, 3]  # line numbers: the header is line 1


def test_reads_a_comma_file_with_quoted_fields_and_blank_lines() -> None:
    text = 'age,name,y\n30,"Doe, J",1.5\n\n40,"X",2\n'

    frame = read_csv(io.StringIO(text), columns=["age", "y"], numeric=["age", "y"])

    assert frame["y"].tolist() == [1.5, 2.0]
    assert frame.index.tolist() == [2, 4]


def test_a_missing_column_is_named_with_the_columns_that_are_there() -> None:
    with pytest.raises(CsvDataError) as caught:
        read_csv(io.StringIO("age,y\n1,2\n"), columns=["agee"], numeric=["agee"])

    assert str(caught.value) == "The file has no column “agee”. Its columns are: age, y."
    assert (caught.value.line, caught.value.column) == (1, "agee")


def test_a_value_that_is_not_a_number_is_named_by_line_and_column() -> None:
    text = "age;y\n30;1\n31;2\nthirty;3\n"

    with pytest.raises(CsvDataError) as caught:
        read_csv(io.BytesIO(text.encode()), columns=["age", "y"], numeric=["age", "y"])

    assert str(caught.value) == "Line 4, column “age”: the value is not a number."
    assert (caught.value.line, caught.value.column) == (4, "age")


@pytest.mark.parametrize("value", ["nan", "inf", "1.2.3", "12 000", "1,2,3"])
def test_values_that_only_look_like_numbers_are_refused(value: str) -> None:
    with pytest.raises(CsvDataError, match="Line 2, column “y”"):
        read_csv(io.StringIO(f'y\n"{value}"\n'), columns=["y"], numeric=["y"])


def test_an_empty_value_is_refused_unless_the_column_is_optional() -> None:
    text = "age,days\n30,\n"

    with pytest.raises(CsvDataError, match=r"Line 2, column “days”: a value is needed\."):
        read_csv(io.StringIO(text), columns=["age", "days"], numeric=["age", "days"])
    frame = read_csv(
        io.StringIO(text), columns=["age", "days"], numeric=["age", "days"], optional=["days"]
    )
    assert math.isnan(frame.loc[2, "days"])


def test_a_line_with_too_few_fields_and_a_file_that_is_not_utf8_are_refused() -> None:
    with pytest.raises(CsvDataError, match=r"Line 3 has 1 field; the header has 2\."):
        read_csv(io.StringIO("a,b\n1,2\n3\n"), columns=["a"], numeric=["a"])
    with pytest.raises(CsvDataError, match="Line 2 is not UTF-8 text") as caught:
        read_csv(io.BytesIO("a\nKärkkäinen\n".encode("latin-1")), columns=["a"], numeric=[])
    assert caught.value.line == 2
    with pytest.raises(CsvDataError, match=r"The file is empty\."):
        read_csv(io.StringIO("\n\n"), columns=["a"], numeric=[])


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_any_number_written_with_a_decimal_comma_or_point_reads_back(number: float) -> None:
    point = repr(float(number))
    comma = point.replace(".", ",") if "e" not in point else point

    read_point = read_csv(io.StringIO(f"y\n{point}\n"), columns=["y"], numeric=["y"])
    read_comma = read_csv(io.StringIO(f"x;y\n1;{comma}\n"), columns=["y"], numeric=["y"])

    assert read_point.loc[2, "y"] == float(point) == read_comma.loc[2, "y"]
