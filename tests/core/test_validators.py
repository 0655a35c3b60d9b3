"""Identity codes and business IDs: examples from ../shared/domain/IDENTIFIERS.md, and
properties over generated valid and corrupted codes."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from polku.core.validators import (
    HETU_CENTURIES,
    IdentityCodeType,
    hetu_control_character,
    normalise_business_id,
    normalise_swedish_org_number,
    parse_hetu,
    parse_identity_code,
    parse_swedish_personal_number,
    ytunnus_check_digit,
)

# --- independent reference implementations, written from the domain document ---------------

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def reference_hetu(born: dt.date, sign: str, individual: int) -> str:
    date_part = born.strftime("%d%m") + f"{born.year % 100:02d}"
    number = int(date_part + f"{individual:03d}")
    return f"{date_part}{sign}{individual:03d}{HETU_CHECK[number % 31]}"


def luhn_digit(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


SIGNS_BY_CENTURY = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}


@st.composite
def valid_hetu(draw: st.DrawFn) -> tuple[str, dt.date]:
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    sign = draw(st.sampled_from(SIGNS_BY_CENTURY[born.year // 100 * 100]))
    individual = draw(st.integers(min_value=2, max_value=999))
    return reference_hetu(born, sign, individual), born


# --- henkilötunnus -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "born"),
    [
        ("131052-308T", dt.date(1952, 10, 13)),
        ("010594Y9032", dt.date(1994, 5, 1)),
        ("020502E902X", dt.date(2002, 5, 2)),
        ("020502A902X", dt.date(2002, 5, 2)),
    ],
)
def test_domain_examples_of_henkilotunnus_validate(code: str, born: dt.date) -> None:
    parsed = parse_hetu(code)
    assert parsed.value == code
    assert parsed.birth_date == born
    assert parsed.type == IdentityCodeType.FI_HETU


def test_the_century_sign_distinguishes_two_people_with_the_same_check_character() -> None:
    first, second = parse_hetu("010190-999W"), parse_hetu("010190Y999W")
    assert first.value != second.value
    assert first.birth_date == second.birth_date == dt.date(1990, 1, 1)


def test_henkilotunnus_is_normalised_to_upper_case_without_spaces() -> None:
    assert parse_hetu(" 131052-308t ").value == "131052-308T"


@pytest.mark.parametrize(
    ("code", "part"),
    [
        ("131052-308", "length"),
        ("131052-308TT", "length"),
        ("13105A-308T", "format"),
        ("131052G308T", "century"),
        ("310252-308T", "date"),
        ("131052-001B", "individual"),
        ("131052-308U", "checksum"),
    ],
)
def test_henkilotunnus_errors_name_the_wrong_part(code: str, part: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_hetu(code)
    assert error.value.code == part


@given(valid_hetu())
def test_generated_valid_henkilotunnus_parse_to_their_birth_date(case: tuple[str, dt.date]) -> None:
    code, born = case
    parsed = parse_hetu(code)
    assert parsed.value == code
    assert parsed.birth_date == born


@given(
    valid_hetu(),
    st.integers(min_value=0, max_value=9),
    st.sampled_from([0, 1, 2, 3, 4, 5, 7, 8, 9]),
)
def test_changing_one_digit_of_a_valid_henkilotunnus_makes_it_invalid(
    case: tuple[str, dt.date], new_digit: int, position: int
) -> None:
    code, _ = case
    assume(code[position] != str(new_digit))
    corrupted = code[:position] + str(new_digit) + code[position + 1 :]
    with pytest.raises(ValidationError):
        parse_hetu(corrupted)


@given(valid_hetu(), st.sampled_from(HETU_CHECK))
def test_a_wrong_control_character_is_reported_as_such(
    case: tuple[str, dt.date], control: str
) -> None:
    code, _ = case
    assume(code[-1] != control)
    with pytest.raises(ValidationError) as error:
        parse_hetu(code[:-1] + control)
    assert error.value.code == "checksum"


@given(valid_hetu(), st.sampled_from(sorted(HETU_CENTURIES)))
def test_the_century_sign_decides_the_year_of_birth(case: tuple[str, dt.date], sign: str) -> None:
    code, born = case
    year = HETU_CENTURIES[sign] + born.year % 100
    if (born.month, born.day) == (2, 29) and not calendar.isleap(year):
        with pytest.raises(ValidationError, match="not a real date"):
            parse_hetu(code[:6] + sign + code[7:])
        return
    parsed = parse_hetu(code[:6] + sign + code[7:])
    assert parsed.birth_date.year == HETU_CENTURIES[sign] + born.year % 100
    assert (parsed.birth_date.month, parsed.birth_date.day) == (born.month, born.day)


def test_control_character_helper_matches_the_domain_example() -> None:
    assert hetu_control_character("131052", "308") == "T"


# --- Swedish personnummer and samordningsnummer ----------------------------------------------


def test_domain_example_of_personnummer_validates_in_both_forms() -> None:
    today = dt.date(2026, 11, 27)
    short = parse_swedish_personal_number("811218-9876", today=today)
    long = parse_swedish_personal_number("198112189876", today=today)
    assert short.value == long.value == "19811218-9876"
    assert short.birth_date == dt.date(1981, 12, 18)
    assert short.type == IdentityCodeType.SE_PERSONNUMMER


def test_a_ten_digit_number_takes_the_latest_birth_date_not_in_the_future() -> None:
    digits = "261215987"
    code = f"{digits[:6]}-{digits[6:]}{luhn_digit(digits)}"
    parsed = parse_swedish_personal_number(code, today=dt.date(2026, 11, 27))
    assert parsed.birth_date == dt.date(1926, 12, 15)
    assert parse_swedish_personal_number(code, today=dt.date(2026, 12, 15)).birth_date == dt.date(
        2026, 12, 15
    )


def test_plus_separator_means_a_hundred_years_older() -> None:
    parsed = parse_swedish_personal_number("811218+9876", today=dt.date(2026, 11, 27))
    assert parsed.birth_date == dt.date(1881, 12, 18)


def test_samordningsnummer_adds_sixty_to_the_day() -> None:
    digits = "811278987"  # 18 December + 60
    code = f"{digits[:6]}-{digits[6:]}{luhn_digit(digits)}"
    parsed = parse_swedish_personal_number(code, today=dt.date(2026, 1, 1))
    assert parsed.type == IdentityCodeType.SE_SAMORDNINGSNUMMER
    assert parsed.birth_date == dt.date(1981, 12, 18)
    with pytest.raises(ValidationError) as error:
        parse_identity_code(code, code_type=IdentityCodeType.SE_PERSONNUMMER)
    assert error.value.code == "type"


@st.composite
def valid_personnummer(draw: st.DrawFn) -> tuple[str, dt.date, bool]:
    born = draw(st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2025, 12, 31)))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    digits = f"{born.year % 100:02d}{born.month:02d}{day:02d}{draw(st.integers(0, 999)):03d}"
    return f"{born.year // 100:02d}{digits}{luhn_digit(digits)}", born, coordination


@given(valid_personnummer())
def test_generated_personnummer_and_coordination_numbers_validate(
    case: tuple[str, dt.date, bool],
) -> None:
    code, born, coordination = case
    parsed = parse_swedish_personal_number(code, today=dt.date(2026, 11, 27))
    assert parsed.birth_date == born
    expected = (
        IdentityCodeType.SE_SAMORDNINGSNUMMER if coordination else IdentityCodeType.SE_PERSONNUMMER
    )
    assert parsed.type == expected


@given(valid_personnummer(), st.integers(0, 9))
def test_a_wrong_check_digit_is_always_caught(case: tuple[str, dt.date, bool], digit: int) -> None:
    code, _, _ = case
    assume(code[-1] != str(digit))
    with pytest.raises(ValidationError) as error:
        parse_swedish_personal_number(code[:-1] + str(digit), today=dt.date(2026, 11, 27))
    assert error.value.code == "checksum"


@pytest.mark.parametrize("code", ["8112189876x", "81-12-18-9876", "19811218+9876", ""])
def test_malformed_personnummer_gets_a_format_error(code: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_swedish_personal_number(code, today=dt.date(2026, 11, 27))
    assert error.value.code == "format"


# --- Y-tunnus and organisationsnummer ----------------------------------------------------------


def reference_ytunnus_check(digits: str) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {0: 0, 1: None}.get(remainder, 11 - remainder)


def test_domain_example_business_id_validates() -> None:
    assert normalise_business_id("0112038-9") == "0112038-9"


def test_old_six_digit_business_id_is_padded() -> None:
    assert normalise_business_id("112038-9") == "0112038-9"


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_business_ids_with_remainder_one_never_validate(digits: str) -> None:
    expected = reference_ytunnus_check(digits)
    assert ytunnus_check_digit(digits) == expected
    for check in range(10):
        code = f"{digits}-{check}"
        if expected is not None and check == expected:
            assert normalise_business_id(code) == code
        else:
            with pytest.raises(ValidationError):
                normalise_business_id(code)


def test_swedish_organisation_number_example() -> None:
    assert normalise_swedish_org_number("5560360793") == "556036-0793"
    with pytest.raises(ValidationError) as error:
        normalise_swedish_org_number("556036-0794")
    assert error.value.code == "checksum"
    with pytest.raises(ValidationError) as error:
        normalise_swedish_org_number("811218-9876")  # a personnummer, third digit < 2
    assert error.value.code == "format"
