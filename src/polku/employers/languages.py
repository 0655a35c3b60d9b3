"""Languages a vacancy needs: ISO 639-1 codes, and their names in the user's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The national languages and English are offered as checkboxes; any other code may be typed.
OFFERED = ("fi", "sv", "en")

# Every ISO 639-1 (two-letter) language code.
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv
    ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl
    km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt
    my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
    rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn
    to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()  # noqa: SIM905
)

# Languages often asked for in Helsinki that Django's own table lacks.
_MORE_NAMES = {
    "so": gettext_lazy("Somali"),
    "ti": gettext_lazy("Tigrinya"),
    "ku": gettext_lazy("Kurdish"),
    "am": gettext_lazy("Amharic"),
    "ps": gettext_lazy("Pashto"),
}


def language_name(code: str) -> str:
    """The language's name in the user's language where known, else its code."""
    if code in _MORE_NAMES:
        return str(_MORE_NAMES[code])
    info = LANG_INFO.get(code)
    return str(_(info["name"])) if info and "name" in info else code


def split_codes(text: str) -> list[str]:
    """Codes typed as "de, ru" or "de ru" or "de; ru", lower-cased, in order, without repeats."""
    raw = text.replace(";", ",").replace(",", " ").split()
    return list(dict.fromkeys(code.strip().lower() for code in raw if code.strip()))


def normalised_languages(codes: Iterable[str]) -> list[str]:
    """The codes lower-cased, in the order given, each once. Raises ValidationError naming the
    codes that are not ISO 639-1."""
    values = list(dict.fromkeys(str(code).strip().lower() for code in codes if str(code).strip()))
    unknown = [code for code in values if code not in ISO_639_1]
    if unknown:
        raise ValidationError(
            _("Not ISO 639-1 language codes: %(codes)s. Use two letters, e.g. fi, sv, en, ru.")
            % {"codes": ", ".join(code[:10] for code in unknown[:5])},
            code="language",
        )
    return values
