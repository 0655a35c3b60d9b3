"""Reference classifications: ISCO-08 occupations and NACE Rev. 2 industries.

Records store the code (and the classification version); pages show the label in the user's
language. The labels ship as JSON fixtures beside this module, each citing its source in a header
(CLASSIFICATIONS.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FALLBACK_LANGUAGE = "en"
LANGUAGES = ("en", "fi", "sv")

# ISCO-08 levels shipped: major (1 digit), sub-major (2) and minor (3) groups; unit groups
# (4 digits) are not included yet.
OCCUPATION_LEVELS = (1, 2, 3)


@dataclass(frozen=True)
class Classification:
    """One code of a classification with its labels by language code ("en", "fi", "sv")."""

    code: str
    parent: str | None
    labels: dict[str, str]

    def label(self, language: str) -> str:
        """Return the label in `language`, or the English label when that language is missing.

        A regional variant such as "fi-FI" or "sv_FI" uses its base language.
        """
        base = language.replace("_", "-").split("-", 1)[0].lower()
        return self.labels.get(base) or self.labels[FALLBACK_LANGUAGE]


def _load(filename: str) -> dict[str, Classification]:
    """Read one fixture into a dict keyed by code, in the fixture's order."""
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return {
        item["code"]: Classification(
            code=item["code"],
            parent=item["parent"],
            labels={language: item[language] for language in LANGUAGES},
        )
        for item in data["items"]
    }


@cache
def occupations() -> dict[str, Classification]:
    """Return the ISCO-08 groups (levels 1–3) keyed by code, e.g. "2", "22", "221".

    The dict is cached and shared between callers: do not mutate it.
    """
    return _load("isco08.json")


@cache
def industries() -> dict[str, Classification]:
    """Return the NACE Rev. 2 / TOL 2008 sections A–U keyed by letter.

    The dict is cached and shared between callers: do not mutate it.
    """
    return _load("nace2.json")


def occupation_choices(level: int, language: str) -> list[tuple[str, str]]:
    """Return form choices ("221", "221 – Medical doctors") for one ISCO-08 level, sorted by code.

    `level` is the number of digits in the code (1 major, 2 sub-major, 3 minor group). Raises
    `ValueError` for a level the fixture does not hold.
    """
    if level not in OCCUPATION_LEVELS:
        msg = f"ISCO-08 level must be one of {OCCUPATION_LEVELS}, not {level!r}"
        raise ValueError(msg)
    return [
        (code, f"{code} – {group.label(language)}")
        for code, group in sorted(occupations().items())
        if len(code) == level
    ]
