"""The ISCO-08 and NACE Rev. 2 fixtures are complete, consistent and labelled in fi/sv/en."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources

import pytest

from polku.core.classifications import (
    Classification,
    industries,
    occupation_choices,
    occupations,
)

LANGUAGES = ("en", "fi", "sv")
Table = Callable[[], dict[str, Classification]]


def _codes_of_length(length: int) -> list[str]:
    return [code for code in occupations() if len(code) == length]


@pytest.mark.parametrize(
    ("digits", "expected"),
    [(1, 10), (2, 43), (3, 130)],
    ids=["major", "sub-major", "minor"],
)
def test_isco_has_every_group_of_each_level(digits: int, expected: int) -> None:
    assert len(_codes_of_length(digits)) == expected


def test_isco_holds_only_levels_one_to_three() -> None:
    assert len(occupations()) == 10 + 43 + 130
    assert {len(code) for code in occupations()} == {1, 2, 3}


def test_isco_codes_are_unique_and_numeric() -> None:
    package = resources.files("polku.core.classifications")
    items = json.loads(package.joinpath("isco08.json").read_text(encoding="utf-8"))["items"]
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes))
    assert all(code.isdigit() and code.isascii() for code in codes)


def test_isco_major_groups_are_zero_to_nine() -> None:
    assert _codes_of_length(1) == [str(digit) for digit in range(10)]


def test_every_isco_child_extends_an_existing_parent() -> None:
    groups = occupations()
    for code, group in groups.items():
        if len(code) == 1:
            assert group.parent is None, code
        else:
            assert group.parent == code[:-1], code
            assert group.parent in groups, code


def test_every_isco_sub_major_group_has_minor_groups() -> None:
    parents_of_minor = {group.parent for group in occupations().values() if len(group.code) == 3}
    assert parents_of_minor == set(_codes_of_length(2))


@pytest.mark.parametrize("table", [occupations, industries], ids=["isco", "nace"])
def test_every_label_is_filled_in_every_language(table: Table) -> None:
    entries = table()
    for entry in entries.values():
        for language in LANGUAGES:
            label = entry.labels[language]
            assert label.strip() == label, (entry.code, language)
            assert label, (entry.code, language)


@pytest.mark.parametrize("table", [occupations, industries], ids=["isco", "nace"])
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_translations_are_not_copies_of_english(table: Table, language: str) -> None:
    entries = table()
    translated = [e for e in entries.values() if e.labels[language] != e.labels["en"]]
    assert len(translated) >= 0.95 * len(entries)


@pytest.mark.parametrize(
    ("code", "en", "fi", "sv"),
    [
        ("0", "Armed forces occupations", "Sotilaat", "Militärer"),
        ("2", "Professionals", "Erityisasiantuntijat", "Specialister"),
        ("3", "Technicians and associate professionals", "Asiantuntijat", "Experter"),
        ("9", "Elementary occupations", "Muut työntekijät", "Övriga arbetstagare"),
        (
            "22",
            "Health professionals",
            "Terveydenhuollon erityisasiantuntijat",
            "Specialister inom hälso- och sjukvård",
        ),
        ("221", "Medical doctors", "Lääkärit", "Läkare"),
        (
            "251",
            "Software and applications developers and analysts",
            "Systeemityön erityisasiantuntijat",
            "Specialister inom systemarbete",
        ),
        (
            "962",
            "Other elementary workers",
            "Muualla luokittelemattomat muut työntekijät",
            "Övriga arbetstagare som inte klassificeras på annat ställe",
        ),
    ],
)
def test_isco_spot_checks(code: str, en: str, fi: str, sv: str) -> None:
    group = occupations()[code]
    assert (group.label("en"), group.label("fi"), group.label("sv")) == (en, fi, sv)


def test_isco_unit_groups_are_not_included() -> None:
    assert "5120" not in occupations()
    assert "2211" not in occupations()


def test_nace_has_the_21_sections_a_to_u() -> None:
    assert list(industries()) == [chr(letter) for letter in range(ord("A"), ord("U") + 1)]
    assert all(section.parent is None for section in industries().values())


def test_nace_spot_checks() -> None:
    health = industries()["Q"]
    assert health.label("en") == "Human health and social work activities"
    assert health.label("fi") == "Terveys- ja sosiaalipalvelut"
    assert industries()["F"].label("sv") == "Byggverksamhet"


@pytest.mark.parametrize(
    ("filename", "version"),
    [("isco08.json", "ISCO-08 / Ammattiluokitus 2010"), ("nace2.json", "NACE Rev. 2 / TOL 2008")],
)
def test_fixtures_cite_their_source_and_version(filename: str, version: str) -> None:
    package = resources.files("polku.core.classifications")
    header = json.loads(package.joinpath(filename).read_text(encoding="utf-8"))
    assert header["version"] == version
    assert "Statistics Finland" in header["source"]
    assert "check against the published classification" in header["source"]


def test_label_falls_back_to_english_for_an_unknown_language() -> None:
    assert occupations()["221"].label("de") == "Medical doctors"
    assert industries()["Q"].label("") == "Human health and social work activities"


def test_label_uses_the_base_of_a_regional_language_code() -> None:
    assert occupations()["221"].label("fi-FI") == "Lääkärit"
    assert occupations()["221"].label("sv_FI") == "Läkare"


def test_occupation_choices_show_code_and_label_in_the_language() -> None:
    choices = occupation_choices(1, "sv")
    assert len(choices) == 10
    assert choices[2] == ("2", "2 – Specialister")
    assert len(occupation_choices(2, "fi")) == 43
    minor = dict(occupation_choices(3, "en"))
    assert len(minor) == 130
    assert minor["221"] == "221 – Medical doctors"


def test_occupation_choices_refuse_a_level_not_shipped() -> None:
    with pytest.raises(ValueError, match="level"):
        occupation_choices(4, "en")
