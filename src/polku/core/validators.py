"""Identity codes and business IDs: parse, check, normalise, with messages that name the wrong part.

Formats and checksums: `../shared/domain/IDENTIFIERS.md`. python-stdnum does the final check for
each code; we check the parts first so the user learns *which* part is wrong (length, date,
century sign, individual number, control character) in their own language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import luhn
from stdnum.fi import hetu as stdnum_hetu
from stdnum.fi import ytunnus as stdnum_ytunnus
from stdnum.se import orgnr as stdnum_orgnr


class IdentityCodeType(models.TextChoices):
    FI_HETU = "fi_hetu", _("Finnish personal identity code (henkilötunnus)")
    SE_PERSONNUMMER = "se_personnummer", _("Swedish personal identity number (personnummer)")
    SE_SAMORDNINGSNUMMER = "se_samordningsnummer", _("Swedish coordination number")


@dataclass(frozen=True)
class IdentityCode:
    """A validated identity code in its normalised, stored form."""

    type: str
    value: str
    birth_date: dt.date


# --- Finnish henkilötunnus -----------------------------------------------------------------------

# Century signs in force since 1 January 2023 (Population Information Act; DVV guidance).
HETU_CENTURIES: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
HETU_CONTROL_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu_control_character(date_part: str, individual: str) -> str:
    return HETU_CONTROL_CHARACTERS[int(date_part + individual) % 31]


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def parse_hetu(value: str) -> IdentityCode:
    """Validate a Finnish henkilötunnus (DDMMYYCZZZQ) and return it normalised.

    Accepts temporary/artificial individual numbers 900–999. Raises ValidationError with a code
    naming the wrong part: length, format, century, date, individual, checksum.
    """
    code = _compact(value)
    if len(code) != 11:  # noqa: PLR2004 - the format has 11 characters
        raise ValidationError(
            _(
                "A Finnish personal identity code has 11 characters (for example 131052-308T); "
                "this one has %(count)d."
            ),
            code="length",
            params={"count": len(code)},
        )
    date_part, century_sign, individual, control = code[:6], code[6], code[7:10], code[10]
    # [0-9], not str.isdigit(): "²" is a digit to Python but not to int() or to a register.
    if not re.fullmatch(r"[0-9]{6}", date_part) or not re.fullmatch(r"[0-9]{3}", individual):
        raise ValidationError(
            _(
                "The first six and the 8th–10th characters must be digits (DDMMYY, then the "
                "individual number)."
            ),
            code="format",
        )
    if century_sign not in HETU_CENTURIES:
        raise ValidationError(
            _(
                "The 7th character must be a century sign: + for the 1800s; -, Y, X, W, V or U "
                "for the 1900s; A, B, C, D, E or F for the 2000s."
            ),
            code="century",
        )
    year = HETU_CENTURIES[century_sign] + int(date_part[4:6])
    try:
        birth_date = dt.date(year, int(date_part[2:4]), int(date_part[0:2]))
    except ValueError:
        raise ValidationError(
            _("The date of birth (first six characters, DDMMYY) is not a real date."),
            code="date",
        ) from None
    if int(individual) < 2:  # noqa: PLR2004 - 000 and 001 are never issued
        raise ValidationError(
            _("The individual number (characters 8–10) must be between 002 and 999."),
            code="individual",
        )
    expected = hetu_control_character(date_part, individual)
    if control != expected:
        raise ValidationError(
            _(
                "The control character (the last one) does not match the rest of the code: "
                "check for a typing error."
            ),
            code="checksum",
        )
    try:
        stdnum_hetu.validate(code, allow_temporary=True)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid personal identity code."), code="invalid"
        ) from None
    return IdentityCode(IdentityCodeType.FI_HETU, code, birth_date)


# --- Swedish personnummer and samordningsnummer -------------------------------------------------

_SE_PATTERN = re.compile(r"^([0-9]{2})?([0-9]{6})([-+]?)([0-9]{4})$")
SAMORDNING_DAY_OFFSET = 60  # Skatteverket SKV 704: coordination numbers add 60 to the day


def parse_swedish_personal_number(value: str, *, today: dt.date | None = None) -> IdentityCode:
    """Validate a Swedish personnummer or samordningsnummer; normalise to YYYYMMDD-NNNC.

    Ten-digit input takes its century from the separator: '-' means under 100 years old, '+'
    means 100 or older (Skatteverket SKV 704). The Luhn check runs over YYMMDDNNN.
    """
    code = _compact(value)
    match = _SE_PATTERN.match(code)
    if not match:
        raise ValidationError(
            _(
                "A Swedish personal identity number has 10 or 12 digits, for example "
                "811218-9876 or 19811218-9876."
            ),
            code="format",
        )
    century_digits, date_part, separator, tail = match.groups()
    if century_digits and separator == "+":
        raise ValidationError(_("Use '+' only with the 10-digit form."), code="format")
    yy, mm, dd = int(date_part[0:2]), int(date_part[2:4]), int(date_part[4:6])
    coordination = dd > SAMORDNING_DAY_OFFSET
    day = dd - SAMORDNING_DAY_OFFSET if coordination else dd
    today = today or dt.date.today()  # noqa: DTZ011 - a civil date, local to the user
    if century_digits:
        year = int(century_digits) * 100 + yy
    else:
        # The most recent such date that is not in the future (compared as a date, not a year:
        # 15 December of this century's '26 is still to come on 27 November 2026).
        year = (today.year // 100) * 100 + yy
        if (year, mm, day) > (today.year, today.month, today.day):
            year -= 100
        if separator == "+":
            year -= 100
    try:
        birth_date = dt.date(year, mm, day)
    except ValueError:
        raise ValidationError(
            _("The date of birth (YYMMDD) is not a real date."), code="date"
        ) from None
    if birth_date > today:
        raise ValidationError(_("The date of birth is in the future."), code="date")
    if not luhn.is_valid(date_part + tail):
        raise ValidationError(
            _(
                "The check digit (the last digit) does not match the rest of the number: check "
                "for a typing error."
            ),
            code="checksum",
        )
    kind = (
        IdentityCodeType.SE_SAMORDNINGSNUMMER if coordination else IdentityCodeType.SE_PERSONNUMMER
    )
    return IdentityCode(kind, f"{year:04d}{date_part[2:]}-{tail}", birth_date)


def parse_identity_code(value: str, *, code_type: str) -> IdentityCode:
    """Validate an identity code of the given type (IdentityCodeType)."""
    if code_type == IdentityCodeType.FI_HETU:
        return parse_hetu(value)
    if code_type in (IdentityCodeType.SE_PERSONNUMMER, IdentityCodeType.SE_SAMORDNINGSNUMMER):
        parsed = parse_swedish_personal_number(value)
        if parsed.type != code_type:
            if code_type == IdentityCodeType.SE_SAMORDNINGSNUMMER:
                message = _(
                    "A coordination number has 60 added to the day of birth "
                    "(61–91); this looks like a personnummer."
                )
            else:
                message = _(
                    "The day of birth is between 61 and 91: this is a coordination "
                    "number (samordningsnummer), not a personnummer."
                )
            raise ValidationError(message, code="type")
        return parsed
    raise ValidationError(_("Unknown identity code type."), code="type")


# --- Finnish Business ID (Y-tunnus) and Swedish organisationsnummer ----------------------------

YTUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def ytunnus_check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None when no valid ID has them (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(digits, YTUNNUS_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """Validate a Finnish Business ID (Y-tunnus, NNNNNNN-C) and return it normalised.

    Old six-digit IDs are padded with a leading zero (YTJ). Raises ValidationError.
    """
    code = _compact(value)
    match = re.fullmatch(r"([0-9]{6,7})-?([0-9])", code)
    if not match:
        raise ValidationError(
            _("A Business ID has seven digits, a hyphen and a check digit, for example 0112038-9."),
            code="format",
        )
    digits, check = match.group(1).zfill(7), int(match.group(2))
    expected = ytunnus_check_digit(digits)
    if expected is None or expected != check:
        raise ValidationError(
            _(
                "The check digit (after the hyphen) does not match the digits: check for a "
                "typing error."
            ),
            code="checksum",
        )
    normalised = f"{digits}-{check}"
    try:
        stdnum_ytunnus.validate(normalised)
    except stdnum_errors.ValidationError:
        raise ValidationError(_("This is not a valid Business ID."), code="invalid") from None
    return normalised


def normalise_swedish_org_number(value: str) -> str:
    """Validate a Swedish organisationsnummer (NNNNNN-NNNN) and return it normalised."""
    code = _compact(value).replace("-", "")
    if not re.fullmatch(r"[0-9]{10}", code):
        raise ValidationError(
            _("A Swedish organisation number has ten digits, for example 556036-0793."),
            code="format",
        )
    if int(code[2]) < 2:  # noqa: PLR2004 - legal persons have 2–9 as the third digit
        raise ValidationError(
            _("The third digit of an organisation number is 2 or more."), code="format"
        )
    if not luhn.is_valid(code) or not stdnum_orgnr.is_valid(code):
        raise ValidationError(
            _(
                "The check digit (the last digit) does not match the rest of the number: check "
                "for a typing error."
            ),
            code="checksum",
        )
    return f"{code[:6]}-{code[6:]}"


def validate_business_id(value: str) -> None:
    """Django field validator for Y-tunnus."""
    normalise_business_id(value)
