"""Importing a comparison group from CSV: a good file becomes the group and its members; any
bad line is reported by line and column and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.clients.models import Gender, Programme
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.comparison.columns import COLUMN_NAMES, MAX_ERRORS
from polku.evaluation.comparison.importer import ImportReport, comparison_group_import
from polku.evaluation.models import ComparisonGroup, ComparisonMember
from tests import factories as f
from tests.evaluation.comparison.helpers import csv_bytes, row, rows

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "comparison-group.csv"


@pytest.fixture
def manager() -> Membership:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


@pytest.fixture
def programme(manager: Membership) -> Programme:
    return f.ProgrammeFactory(code="ips-helsinki", organisation=manager.organisation)


def load(
    actor: Membership | None, programme: Programme, data: bytes, *, dry_run: bool = False
) -> ImportReport:
    return comparison_group_import(
        actor=actor,
        programme=programme,
        name="Register 2025",
        source="Employment register, extract 2025-01-31",
        data=data,
        filename="group.csv",
        dry_run=dry_run,
        today=TODAY,
    )


def nothing_written() -> bool:
    return not ComparisonGroup.objects.exists() and not ComparisonMember.objects.exists()


def test_a_good_file_becomes_the_group_and_its_members(
    manager: Membership, programme: Programme
) -> None:
    data = csv_bytes(
        [
            row(row_id="A-1"),
            row(
                row_id="A-2",
                gender="man",
                age="61",
                isced_level="",
                months_employed_before="",
                months_employed_after="",
                employed_6m="",
                employed_12m="",
                days_to_job="",
            ),
        ]
    )

    report = load(manager, programme, data)

    assert report.ok
    assert report.written
    group = ComparisonGroup.objects.get()
    assert report.group == group
    assert (group.name, group.programme, group.source, group.file_name) == (
        "Register 2025",
        programme,
        "Employment register, extract 2025-01-31",
        "group.csv",
    )
    assert group.imported_by == manager.user
    first, second = group.members.order_by("row_id")
    assert (
        first.row_id,
        first.reference_date,
        first.gender,
        first.age,
        first.months_unemployed,
        first.isced_level,
        first.months_employed_before,
        first.months_employed_after,
        first.employed_6m,
        first.employed_12m,
        first.days_to_job,
        first.days_followed,
    ) == ("A-1", dt.date(2024, 3, 1), Gender.WOMAN, 34, 18, 3, 2, 5, True, False, 120, 400)
    assert (
        second.gender,
        second.age,
        second.isced_level,
        second.months_employed_before,
        second.months_employed_after,
        second.employed_6m,
        second.employed_12m,
        second.days_to_job,
    ) == (Gender.MAN, 61, None, None, None, None, None, None)


def test_semicolons_a_byte_order_mark_and_finnish_and_swedish_genders_are_read(
    manager: Membership, programme: Programme
) -> None:
    data = csv_bytes(
        [
            row(row_id="1", gender="nainen"),
            row(row_id="2", gender="Kvinna"),
            row(row_id="3", gender="MIES"),
            row(row_id="4", gender="man"),
            row(row_id="5", gender="not_disclosed"),
        ],
        delimiter=";",
        bom=True,
    )

    report = load(manager, programme, data)

    assert report.errors == []
    genders = sorted(ComparisonMember.objects.values_list("row_id", "gender"))
    assert genders == [
        ("1", Gender.WOMAN),
        ("2", Gender.WOMAN),
        ("3", Gender.MAN),
        ("4", Gender.MAN),
        ("5", Gender.NOT_DISCLOSED),
    ]


def test_the_sample_file_in_the_docs_imports(manager: Membership, programme: Programme) -> None:
    report = load(manager, programme, SAMPLE.read_bytes())

    assert report.errors == []
    assert ComparisonMember.objects.count() == 60


def test_a_dry_run_previews_and_writes_nothing(manager: Membership, programme: Programme) -> None:
    data = csv_bytes([*rows(12), row(row_id="X", gender="other")])

    report = load(manager, programme, data, dry_run=True)

    assert report.ok
    assert not report.written
    assert report.rows == 13
    # Six women, six men and one "other": the one is shown as "<5", and the women hidden as
    # well, or the one could be worked out from the total (`core.disclosure`).
    assert report.gender_split() == [
        ("Women", "≥5"),
        ("Men", "6"),
        ("Other", "<5"),
        ("Not stated", "0"),
    ]
    assert report.lines() == ["13 rows.", "By gender: Women ≥5, Men 6, Other <5, Not stated 0."]
    assert nothing_written()


BAD_LINES = [
    pytest.param(
        row(row_id="R1"),
        "Line 3, column row_id: The same row id is already on line 2.",
        id="duplicate-id",
    ),
    pytest.param(
        row(row_id="131052-308T"),
        "Line 3, column row_id: This looks like a personal identity code. Use the register's "
        "pseudonymous row id instead.",
        id="hetu-as-id",
    ),
    pytest.param(
        row(row_id="19811218-9876"),
        "Line 3, column row_id: This looks like a personal identity code. Use the register's "
        "pseudonymous row id instead.",
        id="personnummer-as-id",
    ),
    pytest.param(
        row(row_id="R2", reference_date="2026-06-16"),
        "Line 3, column reference_date: The date is in the future.",
        id="future-date",
    ),
    pytest.param(
        row(row_id="R2", reference_date="1.3.2024"),
        "Line 3, column reference_date: Give a date as YYYY-MM-DD.",
        id="date-format",
    ),
    pytest.param(
        row(row_id="R2", reference_date="2024-02-30"),
        "Line 3, column reference_date: Give a date as YYYY-MM-DD.",
        id="no-such-day",
    ),
    pytest.param(
        row(row_id="R2", gender="f"),
        "Line 3, column gender: Unknown value; give one of: woman, man, other, not_disclosed.",
        id="gender",
    ),
    pytest.param(
        row(row_id="R2", age="14"),
        "Line 3, column age: Give a whole number from 15 to 99.",
        id="age-low",
    ),
    pytest.param(
        row(row_id="R2", age="34.5"),
        "Line 3, column age: Give a whole number from 15 to 99.",
        id="age-decimal",
    ),
    pytest.param(
        row(row_id="R2", age=""), "Line 3, column age: A value is required.", id="age-missing"
    ),
    pytest.param(
        row(row_id="R2", months_unemployed="-1"),
        "Line 3, column months_unemployed: Give a whole number from 0 to 600.",
        id="months-negative",
    ),
    pytest.param(
        row(row_id="R2", isced_level="9"),
        "Line 3, column isced_level: Give a whole number from 0 to 8.",
        id="isced",
    ),
    pytest.param(
        row(row_id="R2", months_employed_before="13"),
        "Line 3, column months_employed_before: Give a whole number from 0 to 12.",
        id="months-before",
    ),
    pytest.param(
        row(row_id="R2", employed_6m="yes"),
        "Line 3, column employed_6m: Give 1 (yes) or 0 (no), or leave the cell empty.",
        id="flag",
    ),
    pytest.param(
        row(row_id="R2", days_to_job="401"),
        "Line 3, column days_to_job: The first job cannot come after the end of follow-up "
        "(days_followed).",
        id="job-after-follow-up",
    ),
    pytest.param(
        row(row_id="R2", reference_date="2026-01-01", days_followed="200", days_to_job=""),
        "Line 3, column days_followed: The follow-up would end after today.",
        id="follow-up-in-future",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
def test_a_bad_line_is_reported_at_its_line_and_column_and_nothing_is_written(
    manager: Membership, programme: Programme, bad: dict[str, str], message: str
) -> None:
    data = csv_bytes([row(row_id="R1"), bad, row(row_id="R3")])

    report = load(manager, programme, data)

    assert [str(error) for error in report.errors] == [message]
    assert not report.written
    assert nothing_written()


def test_every_error_of_a_file_is_listed_in_line_order(
    manager: Membership, programme: Programme
) -> None:
    data = csv_bytes([row(row_id="R1", age="200", gender="?"), row(row_id="R2"), row(row_id="")])

    report = load(manager, programme, data)

    assert report.lines() == [
        "Line 2, column gender: Unknown value; give one of: woman, man, other, not_disclosed.",
        "Line 2, column age: Give a whole number from 15 to 99.",
        "Line 4, column row_id: A value is required.",
    ]
    assert nothing_written()


def test_errors_beyond_the_limit_are_counted(manager: Membership, programme: Programme) -> None:
    data = csv_bytes(rows(MAX_ERRORS + 5, age="7"))

    report = load(manager, programme, data)

    assert len(report.errors) == MAX_ERRORS
    assert report.more_errors == 5
    assert report.error_count == MAX_ERRORS + 5
    assert report.lines()[-1] == "…and 5 more errors."
    assert nothing_written()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"row_id,reference_date,gender,age,months_unemployed,days_followed,colour\n",
            "Line 1, column colour: Unknown column. The columns are: "
            + ", ".join(COLUMN_NAMES)
            + ".",
            id="unknown-column",
        ),
        pytest.param(
            b"row_id,reference_date,gender,age,months_unemployed\n",
            "Line 1, column days_followed: The column is missing.",
            id="missing-column",
        ),
        pytest.param(
            b"row_id,reference_date,gender,age,age,months_unemployed,days_followed\n",
            "Line 1, column age: The column appears twice.",
            id="column-twice",
        ),
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\xef\xbb\xbf\n\n", "The file is empty.", id="blank"),
        pytest.param(csv_bytes([]), "The file has no rows.", id="header-only"),
        pytest.param(
            csv_bytes([row()]).replace(b"R1", b"R\xe41"),
            "Line 2: The file is not UTF-8 text.",
            id="not-utf-8",
        ),
        pytest.param(
            csv_bytes([row()]).replace(b"R1", b"R\x001"),
            "Line 2: The file contains a NUL character.",
            id="nul",
        ),
        pytest.param(
            csv_bytes([row()]).rstrip(b"\n") + b",extra\n",
            "Line 2: The row has more values than the header has columns.",
            id="extra-value",
        ),
        pytest.param(
            csv_bytes([row()]).replace(b"R1", b'"R1'),
            "Line 2: The row cannot be read as CSV: check its quotation marks.",
            id="open-quote",
        ),
    ],
)
def test_a_faulty_file_is_refused_with_a_message(
    manager: Membership, programme: Programme, data: bytes, message: str
) -> None:
    report = load(manager, programme, data)

    assert [str(error) for error in report.errors] == [message]
    assert nothing_written()


def test_a_file_too_large_is_refused(
    manager: Membership, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("polku.evaluation.comparison.columns.MAX_FILE_BYTES", 100)

    report = load(manager, programme, csv_bytes(rows(3)))

    assert report.lines() == ["The file is too large (at most 0 MB)."]
    assert nothing_written()


def test_the_header_is_read_without_regard_to_case_order_or_blanks(
    manager: Membership, programme: Programme
) -> None:
    data = (
        b" Days_Followed ;GENDER;row_id;reference_date;age;months_unemployed\n"
        b"400;man;Z9;2024-03-01;40;6\n"
    )

    report = load(manager, programme, data)

    assert report.errors == []
    member = ComparisonMember.objects.get()
    assert (member.row_id, member.gender, member.days_followed, member.isced_level) == (
        "Z9",
        Gender.MAN,
        400,
        None,
    )


def test_a_coordinator_may_not_import(programme: Programme) -> None:
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)

    with pytest.raises(PermissionDenied):
        load(coordinator, programme, csv_bytes(rows(3)))
    assert nothing_written()


@pytest.mark.parametrize(("name", "source", "field"), [("", "x", "name"), ("x", "  ", "source")])
def test_a_group_needs_a_name_and_a_source(
    manager: Membership, programme: Programme, name: str, source: str, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        comparison_group_import(
            actor=manager, programme=programme, name=name, source=source, data=csv_bytes(rows(2))
        )
    assert raised.value.message_dict == {field: ["This field is required."]}
    assert nothing_written()


def test_the_command_imports_a_file_and_a_dry_run_writes_nothing(
    programme: Programme, tmp_path: Path
) -> None:
    path = tmp_path / "group.csv"
    path.write_bytes(csv_bytes(rows(6)))
    out = io.StringIO()

    call_command(
        "comparison_import",
        str(path),
        programme="ips-helsinki",
        name="Register",
        source="Register extract",
        dry_run=True,
        stdout=out,
    )
    assert out.getvalue().splitlines() == [
        "6 rows.",
        "By gender: Women <5, Men <5, Other 0, Not stated 0.",
        "Dry run: nothing was written.",
    ]
    assert nothing_written()

    call_command(
        "comparison_import",
        str(path),
        programme="ips-helsinki",
        name="Register",
        source="Register extract",
        stdout=io.StringIO(),
    )
    group = ComparisonGroup.objects.get()
    assert (group.name, group.imported_by, group.members.count()) == ("Register", None, 6)


def test_the_command_prints_the_errors_and_fails(programme: Programme, tmp_path: Path) -> None:
    path = tmp_path / "group.csv"
    path.write_bytes(csv_bytes([row(row_id="R1"), row(row_id="R1")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"1 error\(s\) in group.csv; nothing was imported."):
        call_command(
            "comparison_import",
            str(path),
            programme="ips-helsinki",
            name="Register",
            source="Register extract",
            stderr=err,
        )
    assert err.getvalue().splitlines() == [
        "Line 3, column row_id: The same row id is already on line 2."
    ]
    assert nothing_written()


def test_the_command_refuses_an_unknown_programme(tmp_path: Path) -> None:
    path = tmp_path / "group.csv"
    path.write_bytes(csv_bytes(rows(2)))

    with pytest.raises(CommandError, match="No programme with code 'nope'"):
        call_command("comparison_import", str(path), programme="nope", name="N", source="S")
    assert nothing_written()


ROW_IDS = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,30}", fullmatch=True)
GENDERS = st.sampled_from(
    [
        ("woman", Gender.WOMAN),
        ("nainen", Gender.WOMAN),
        ("kvinna", Gender.WOMAN),
        ("man", Gender.MAN),
        ("mies", Gender.MAN),
        ("other", Gender.OTHER),
        ("not_disclosed", Gender.NOT_DISCLOSED),
    ]
)


@st.composite
def member_rows(draw: st.DrawFn) -> dict[str, object]:
    followed = draw(st.integers(0, 2000))
    reference = draw(st.dates(dt.date(1990, 1, 1), TODAY - dt.timedelta(days=followed)))
    written, gender = draw(GENDERS)
    optional = st.none() | st.integers(0, 12)
    return {
        "reference_date": reference,
        "gender_written": written,
        "gender": gender,
        "age": draw(st.integers(15, 99)),
        "months_unemployed": draw(st.integers(0, 600)),
        "isced_level": draw(st.none() | st.integers(0, 8)),
        "months_employed_before": draw(optional),
        "months_employed_after": draw(optional),
        "employed_6m": draw(st.none() | st.booleans()),
        "employed_12m": draw(st.none() | st.booleans()),
        "days_to_job": draw(st.none() | st.integers(0, followed)),
        "days_followed": followed,
    }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    generated=st.lists(
        st.tuples(ROW_IDS, member_rows()), min_size=1, max_size=15, unique_by=lambda r: r[0]
    ),
    delimiter=st.sampled_from([",", ";"]),
)
def test_any_valid_rows_round_trip(
    manager: Membership,
    programme: Programme,
    generated: list[tuple[str, dict[str, object]]],
    delimiter: str,
) -> None:
    fields = [name for name in COLUMN_NAMES if name not in ("row_id", "gender")]
    data = csv_bytes(
        [
            {"row_id": row_id, "gender": str(values["gender_written"])}
            | {name: _text(values[name]) for name in fields}
            for row_id, values in generated
        ],
        delimiter=delimiter,
    )

    report = load(manager, programme, data)

    assert report.errors == []
    assert report.group is not None
    stored = {member.row_id: member for member in report.group.members.all()}
    assert set(stored) == {row_id for row_id, _values in generated}
    for row_id, values in generated:
        member = stored[row_id]
        assert member.gender == values["gender"]
        for name in fields:
            assert getattr(member, name) == values[name], name
