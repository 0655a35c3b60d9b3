"""The columns an import file may have, their Finnish and Swedish names, and the limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # data rows per table
MAX_COLUMNS = 60
# Errors listed in a report; the rest are only counted ("…and 1234 more errors").
MAX_ERRORS = 200
# An XLSX file is a zip: its members may not unpack to more than this, nor be more in number.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500

Table = Literal["employers", "vacancies"]
TABLES: tuple[Table, ...] = ("employers", "vacancies")
TABLE_LABELS = {
    "employers": _("employers"),
    "workplaces": _("workplaces"),
    "vacancies": _("vacancies"),
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    description: str | Promise = ""
    aliases: tuple[str, ...] = ()


COLUMNS: dict[Table, list[Column]] = {
    "employers": [
        Column("name", True, _("The employer's name."), ("nimi", "namn", "työnantaja")),
        Column(
            "business_id",
            description=_("Finnish Business ID (Y-tunnus) or Swedish organisation number."),
            aliases=("y-tunnus", "ytunnus", "organisationsnummer", "org.nr", "orgnr"),
        ),
        Column("country", description=_("FI (default) or SE."), aliases=("maa", "land")),
        Column(
            "industry",
            description=_("NACE Rev. 2 / TOL 2008 section letter, A–U."),
            aliases=("toimiala", "näringsgren", "nace"),
        ),
        Column(
            "size_class",
            description=_("micro, small, medium or large."),
            aliases=("kokoluokka", "storleksklass", "koko", "storlek"),
        ),
        Column(
            "social_enterprise",
            description=_("yes or no."),
            aliases=("yhteiskunnallinen yritys", "socialt företag"),
        ),
        Column("website", description=_("Web address."), aliases=("verkkosivut", "webbplats")),
        Column("notes", description=_("Notes."), aliases=("muistiinpanot", "anteckningar")),
        Column("active", description=_("yes (default) or no."), aliases=("aktiivinen", "aktiv")),
        Column(
            "workplace_name",
            description=_("A workplace's name (with municipality)."),
            aliases=("toimipaikka", "arbetsplats"),
        ),
        Column(
            "street_address",
            description=_("A workplace's street address (with municipality)."),
            aliases=("katuosoite", "gatuadress", "osoite", "adress"),
        ),
        Column(
            "postal_code",
            description=_("A workplace's postal code (with municipality)."),
            aliases=("postinumero", "postnummer"),
        ),
        Column(
            "municipality",
            description=_("A workplace's municipality: adds the workplace if it is new."),
            aliases=("kunta", "kommun"),
        ),
    ],
    "vacancies": [
        Column(
            "id",
            description=_("Polku's id of the vacancy, to update that one."),
            aliases=("tunniste", "id-nummer"),
        ),
        Column(
            "employer_business_id",
            True,
            _("The employer's Business ID or organisation number."),
            ("työnantajan y-tunnus", "arbetsgivarens organisationsnummer"),
        ),
        Column(
            "title", True, _("The job title."), ("tehtävänimike", "nimike", "titel", "yrkestitel")
        ),
        Column(
            "isco_code",
            description=_("ISCO-08 occupation group code, e.g. 522 (needed for new vacancies)."),
            aliases=("ammattiluokka", "ammattikoodi", "yrkeskod", "isco"),
        ),
        Column("description", description=_("Description."), aliases=("kuvaus", "beskrivning")),
        Column("requirements", description=_("Requirements."), aliases=("vaatimukset", "krav")),
        Column(
            "languages",
            description=_("ISO 639-1 codes separated by commas, e.g. fi, en."),
            aliases=("kielet", "språk"),
        ),
        Column(
            "working_time",
            description=_("full_time, part_time or either."),
            aliases=("työaika", "arbetstid"),
        ),
        Column(
            "hours_per_week",
            description=_("Hours per week, 1–60."),
            aliases=("tuntia viikossa", "timmar per vecka"),
        ),
        Column(
            "workplace_municipality",
            description=_("The municipality of one of the employer's workplaces."),
            aliases=("työpaikan kunta", "arbetsplatsens kommun"),
        ),
        Column(
            "workplace_address",
            description=_("That workplace's street address, if the employer has several there."),
            aliases=("työpaikan osoite", "arbetsplatsens adress"),
        ),
        Column(
            "positions",
            description=_("Number of positions, 1 or more."),
            aliases=("paikkoja", "antal platser"),
        ),
        Column(
            "start_date",
            description=_("When the work starts: YYYY-MM-DD or D.M.YYYY."),
            aliases=("alkaa", "aloituspäivä", "startdatum"),
        ),
        Column(
            "deadline",
            description=_("Application deadline: YYYY-MM-DD or D.M.YYYY."),
            aliases=("hakuaika päättyy", "viimeinen hakupäivä", "sista ansökningsdag"),
        ),
        Column(
            "status",
            description=_("draft, open (default), filled or closed."),
            aliases=("tila", "status"),
        ),
        Column(
            "adjustments",
            description=_("Possible adjustments."),
            aliases=("mukautukset", "anpassningar"),
        ),
    ],
}

SHEET_NAMES: dict[str, Table] = {
    "employers": "employers",
    "työnantajat": "employers",
    "arbetsgivare": "employers",
    "vacancies": "vacancies",
    "avoimet työpaikat": "vacancies",
    "työpaikat": "vacancies",
    "lediga jobb": "vacancies",
    "lediga tjänster": "vacancies",
}


def header_key(text: str) -> str:
    """A header or sheet name compared loosely: case, spaces, hyphens and dots do not count."""
    return re.sub(r"[\s\-_.]+", "_", text.strip().casefold()).strip("_")


HEADERS: dict[Table, dict[str, str]] = {
    table: {
        header_key(name): column.name
        for column in columns
        for name in (column.name, *column.aliases)
    }
    for table, columns in COLUMNS.items()
}
