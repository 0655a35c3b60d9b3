"""Percentages as the outcomes page, its PDF and its chart write them: one formatter for all.

Finnish and Swedish put a space between the number and the per cent sign ("8 %", "46 %"; the
language offices' rule), English does not ("8%"). The space is a no-break space, so that a
percentage never breaks over two lines and a renderer never drops it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

NO_BREAK_SPACE = "\u00a0"
# Languages that write the per cent sign right after the number.
WITHOUT_SPACE = frozenset({"en"})


def percent(share: float, *, decimals: int = 0) -> str:
    """`share` (0–1) as a percentage in the active language, halves rounded up: 0.625 is
    "63 %" in Finnish and Swedish, "63%" in English; `decimals` digits after the comma."""
    exponent = Decimal(1).scaleb(-decimals)
    value = Decimal(share * 100).quantize(exponent, rounding=ROUND_HALF_UP)
    number = formats.number_format(value, decimals, use_l10n=True)
    language = (translation.get_language() or "en").split("-")[0]
    return f"{number}%" if language in WITHOUT_SPACE else f"{number}{NO_BREAK_SPACE}%"
