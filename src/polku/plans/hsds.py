"""The service catalogue in Open Referral HSDS 3.0 form: export and import, tabular and JSON.

Tabular: a zip of `datapackage.json` (Frictionless tabular data package) and one CSV per HSDS
object — organizations, services, locations, addresses, accessibility, service_at_locations,
languages, phones. JSON: `{"organizations": [...], "locations": [...], "services": [...]}` where
each service nests its organization, languages, phones and service_at_locations (each with its
location), as HSDS's API does. Polku's own fields travel as `polku_` columns (domain
SERVICE_DIRECTORY.md): the kind of service, opening hours, expected response time, the data
categories a referral carries, whether referrals are accepted, and the fi/sv/en translations.

Import reads everything, checks every row and answers with errors of the form "file, line N,
column: message"; the caller writes nothing unless there are none (`catalogue_import` in
`plans/services/catalogue.py` does so in one transaction). The rules:

* Records are matched by their HSDS `id`: a known id updates, an unknown one creates. Nothing
  is deleted: a record missing from the file stays as it is.
* A column missing from the file keeps the stored value (new records get the default), so a
  plain HSDS file without `polku_` columns updates what HSDS describes and nothing else. The
  HSDS `name` (and `description`, `eligibility_description`) fill the default language (fi)
  unless the file has `polku_name_fi`.
* Languages, phones, the address and the accessibility note belong to their service or
  location: when the file has that table (or, in JSON, the service has that key), it replaces
  the stored values for the services or locations in the file.
* Polku keeps one phone number per service and one address and accessibility note per location.

Export → import into an empty database → export gives byte-identical files: rows are sorted by
id, child rows get ids derived from their parent's (uuid5), and the zip carries fixed dates.
Cells are not neutralised against spreadsheet formulas, as a client export is: this is an
exchange format for programs, and altering values would break the round trip.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from json import scanner
from json.decoder import JSONObject  # type: ignore[attr-defined]
from typing import Any, Literal

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from modeltranslation.settings import AVAILABLE_LANGUAGES, DEFAULT_LANGUAGE

from polku.core.categories import DataCategory
from polku.core.models import Country, Organisation, OrganisationKind
from polku.plans.models import Location, Service, ServiceAtLocation, ServiceKind, ServiceStatus

HSDS_VERSION = "3.0"
LANGUAGES: tuple[str, ...] = tuple(AVAILABLE_LANGUAGES)
# Zip members carry this date, so that two exports of the same catalogue are the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Uploads are bounded: a zip may not unpack to more than this, nor hold more files.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 100
# Members are unpacked this much at a time, so that a member whose header understates its
# size (a zip bomb) never inflates more than one chunk beyond what the header says.
UNZIP_CHUNK_BYTES = 1024 * 1024
DEFAULT_REFERRAL_CATEGORIES = [DataCategory.EMPLOYMENT.value]
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_CHILD_NAMESPACE = uuid.UUID("6c1f3b0e-6f0e-4c59-9a51-6b1b2f1c0a55")

ColumnType = Literal["string", "integer", "number", "boolean", "list"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "string"
    required: bool = False
    description: str = ""


def _translations(base: str, what: str) -> list[Column]:
    return [
        Column(f"polku_{base}_{lang}", description=f"Polku: {what} in {lang}.")
        for lang in LANGUAGES
    ]


TABLES: dict[str, list[Column]] = {
    "organizations": [
        Column("id", required=True),
        Column("name", required=True),
        Column("tax_id", description="Finnish Business ID (Y-tunnus)."),
        Column("polku_kind", description="Polku: kind of organisation."),
        Column("polku_country", description="Polku: FI or SE."),
        Column("polku_municipality", description="Polku: municipality."),
        *_translations("name", "the name"),
    ],
    "services": [
        Column("id", required=True),
        Column("organization_id", required=True),
        Column("name", required=True),
        Column("description"),
        Column("eligibility_description"),
        Column("url"),
        Column("email"),
        Column("status", description="active or inactive."),
        Column("fees_description"),
        Column("polku_kind", description="Polku: the kind of service (taxonomy term)."),
        Column("polku_schedule", description="Polku: opening hours as text."),
        Column(
            "polku_expected_response_days",
            "integer",
            description="Polku: days from a referral to the first contact with the client.",
        ),
        Column(
            "polku_referral_categories",
            "list",
            description="Polku: data categories a referral carries, comma-separated.",
        ),
        Column("polku_accepts_referrals", "boolean", description="Polku: accepts referrals."),
        *_translations("name", "the name"),
        *_translations("description", "the description"),
        *_translations("eligibility", "the eligibility"),
    ],
    "locations": [
        Column("id", required=True),
        Column("organization_id", required=True),
        Column("location_type", description="physical or virtual."),
        Column("name", required=True),
        Column("latitude", "number"),
        Column("longitude", "number"),
    ],
    "addresses": [
        Column("id"),
        Column("location_id", required=True),
        Column("address_1"),
        Column("city"),
        Column("postal_code"),
        Column("country", description="ISO 3166-1 alpha-2."),
        Column("address_type"),
    ],
    "accessibility": [
        Column("id"),
        Column("location_id", required=True),
        Column("description"),
    ],
    "service_at_locations": [
        Column("id", required=True),
        Column("service_id", required=True),
        Column("location_id", required=True),
    ],
    "languages": [
        Column("id"),
        Column("service_id", required=True),
        Column("name"),
        Column("code", required=True, description="ISO 639-1."),
    ],
    "phones": [
        Column("id"),
        Column("service_id", required=True),
        Column("number", required=True),
    ],
}
_PARENTS = {
    "addresses": ("location_id", "locations"),
    "accessibility": ("location_id", "locations"),
    "languages": ("service_id", "services"),
    "phones": ("service_id", "services"),
}
_FOREIGN_KEYS = {
    "services": [("organization_id", "organizations")],
    "locations": [("organization_id", "organizations")],
    "service_at_locations": [("service_id", "services"), ("location_id", "locations")],
    **{table: [parent] for table, parent in _PARENTS.items()},
}


# --- Export -----------------------------------------------------------------------------------

Rows = dict[str, list[dict[str, str]]]


def _first(*values: str | None) -> str:
    """The value shown in the default language: its own, else the fallbacks' (fi, en, sv)."""
    return next((v for v in values if v), "")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _in_languages(obj: Model, base: str) -> dict[str, str]:
    return {f"polku_{base}_{lang}": _text(getattr(obj, f"{base}_{lang}")) for lang in LANGUAGES}


def _default_text(obj: Model, base: str) -> str:
    order = [DEFAULT_LANGUAGE, *(lang for lang in ("en", "sv", "fi") if lang in LANGUAGES)]
    return _first(*(getattr(obj, f"{base}_{lang}") for lang in order))


def _child_id(parent: uuid.UUID, kind: str) -> str:
    return str(uuid.uuid5(_CHILD_NAMESPACE, f"{parent}:{kind}"))


def _decimal_text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def organisation_row(org: Organisation) -> dict[str, str]:
    return {
        "id": str(org.hsds_id),
        "name": _default_text(org, "name"),
        "tax_id": org.business_id,
        "polku_kind": org.kind,
        "polku_country": org.country,
        "polku_municipality": org.municipality,
        **_in_languages(org, "name"),
    }


def service_row(service: Service) -> dict[str, str]:
    return {
        "id": str(service.hsds_id),
        "organization_id": str(service.organisation.hsds_id),
        "name": _default_text(service, "name"),
        "description": _default_text(service, "description"),
        "eligibility_description": _default_text(service, "eligibility"),
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees_description": service.fees,
        "polku_kind": service.kind,
        "polku_schedule": service.schedule,
        "polku_expected_response_days": str(service.expected_response_days),
        "polku_referral_categories": ",".join(service.referral_categories),
        "polku_accepts_referrals": "true" if service.accepts_referrals else "false",
        **_in_languages(service, "name"),
        **_in_languages(service, "description"),
        **_in_languages(service, "eligibility"),
    }


def location_row(location: Location) -> dict[str, str]:
    return {
        "id": str(location.hsds_id),
        "organization_id": str(location.organisation.hsds_id),
        "location_type": "virtual" if location.is_virtual else "physical",
        "name": location.name,
        "latitude": _decimal_text(location.latitude),
        "longitude": _decimal_text(location.longitude),
    }


def address_row(location: Location) -> dict[str, str]:
    return {
        "id": _child_id(location.hsds_id, "address"),
        "location_id": str(location.hsds_id),
        "address_1": location.address,
        "city": location.city,
        "postal_code": location.postal_code,
        "country": location.country,
        "address_type": "physical",
    }


def accessibility_row(location: Location) -> dict[str, str]:
    return {
        "id": _child_id(location.hsds_id, "accessibility"),
        "location_id": str(location.hsds_id),
        "description": location.accessibility,
    }


def service_at_location_row(link: ServiceAtLocation) -> dict[str, str]:
    return {
        "id": str(link.hsds_id),
        "service_id": str(link.service.hsds_id),
        "location_id": str(link.location.hsds_id),
    }


def language_rows(service: Service) -> list[dict[str, str]]:
    return [
        {
            "id": _child_id(service.hsds_id, f"language:{code}"),
            "service_id": str(service.hsds_id),
            "name": LANG_INFO.get(code, {}).get("name", code),
            "code": code,
        }
        for code in service.languages
    ]


def phone_rows(service: Service) -> list[dict[str, str]]:
    if not service.phone:
        return []
    return [
        {
            "id": _child_id(service.hsds_id, "phone"),
            "service_id": str(service.hsds_id),
            "number": service.phone,
        }
    ]


def _by_id(objects: Iterable[Any]) -> list[Any]:
    return sorted(objects, key=lambda obj: str(obj.hsds_id))


def catalogue_rows() -> Rows:
    """The whole catalogue as HSDS rows of text, sorted by id: every service, every location,
    and the organisations that have either."""
    services = _by_id(Service.objects.select_related("organisation"))
    locations = _by_id(Location.objects.select_related("organisation"))
    links = sorted(
        ServiceAtLocation.objects.select_related("service", "location"),
        key=lambda link: str(link.hsds_id),
    )
    org_ids = {s.organisation_id for s in services} | {loc.organisation_id for loc in locations}
    organisations = _by_id(Organisation.objects.filter(pk__in=org_ids))
    return {
        "organizations": [organisation_row(org) for org in organisations],
        "services": [service_row(s) for s in services],
        "locations": [location_row(loc) for loc in locations],
        "addresses": [address_row(loc) for loc in locations],
        "accessibility": [accessibility_row(loc) for loc in locations if loc.accessibility],
        "service_at_locations": [service_at_location_row(link) for link in links],
        "languages": [row for s in services for row in language_rows(s)],
        "phones": [row for s in services for row in phone_rows(s)],
    }


_DATAPACKAGE_TYPES = {"string": "string", "integer": "integer", "number": "number"}


def datapackage() -> dict[str, Any]:
    """The Frictionless data package describing the CSV files (no dates: exports compare)."""
    resources = []
    for table, columns in TABLES.items():
        fields = []
        for column in columns:
            spec: dict[str, Any] = {
                "name": column.name,
                "type": _DATAPACKAGE_TYPES.get(column.type, column.type),
            }
            if column.type == "list":
                spec["type"] = "string"
            if column.type == "boolean":
                spec["trueValues"], spec["falseValues"] = ["true"], ["false"]
            if column.description:
                spec["description"] = column.description
            if column.required:
                spec["constraints"] = {"required": True}
            fields.append(spec)
        schema: dict[str, Any] = {"fields": fields}
        if table not in _PARENTS:
            schema["primaryKey"] = "id"
        schema["foreignKeys"] = [
            {"fields": key, "reference": {"resource": target, "fields": "id"}}
            for key, target in _FOREIGN_KEYS.get(table, [])
        ]
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "polku-service-catalogue",
        "title": "Polku service catalogue",
        "profile": "tabular-data-package",
        "description": f"Open Referral HSDS {HSDS_VERSION} with Polku extensions (polku_).",
        "resources": resources,
    }


def _csv_bytes(table: str, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    names = [column.name for column in TABLES[table]]
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    return out.getvalue().encode()


def _zip_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def rows_to_zip(rows: Rows) -> bytes:
    """HSDS tabular: datapackage.json and one CSV per table, in a zip with fixed dates."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        package = json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"
        _zip_member(archive, "datapackage.json", package.encode())
        for table in TABLES:
            _zip_member(archive, f"{table}.csv", _csv_bytes(table, rows.get(table, [])))
    return buffer.getvalue()


def _typed(table: str, row: dict[str, str]) -> dict[str, Any]:
    """A row of text as JSON values: numbers, booleans, lists; empty numbers are null."""
    typed: dict[str, Any] = {}
    for column in TABLES[table]:
        value = row.get(column.name, "")
        if column.type == "integer":
            typed[column.name] = int(value) if value else None
        elif column.type == "number":
            typed[column.name] = float(value) if value else None
        elif column.type == "boolean":
            typed[column.name] = value == "true"
        elif column.type == "list":
            typed[column.name] = value.split(",") if value else []
        else:
            typed[column.name] = value
    return typed


def rows_to_json(rows: Rows) -> dict[str, Any]:
    """HSDS JSON: organisations and locations, and services nesting their organisation,
    languages, phones and services at locations (each with its location)."""

    def children(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows.get(table, []):
            grouped[row[key]].append(_typed(table, row))
        return grouped

    addresses = children("addresses", "location_id")
    accessibility = children("accessibility", "location_id")
    languages = children("languages", "service_id")
    phones = children("phones", "service_id")
    links = children("service_at_locations", "service_id")
    organisations = {
        row["id"]: _typed("organizations", row) for row in rows.get("organizations", [])
    }
    locations = {
        row["id"]: _typed("locations", row)
        | {"addresses": addresses[row["id"]], "accessibility": accessibility[row["id"]]}
        for row in rows.get("locations", [])
    }
    services = []
    for row in rows.get("services", []):
        service = _typed("services", row)
        service["organization"] = organisations.get(row["organization_id"])
        service["languages"] = languages[row["id"]]
        service["phones"] = phones[row["id"]]
        service["service_at_locations"] = [
            link | {"location": locations.get(link["location_id"])} for link in links[row["id"]]
        ]
        services.append(service)
    return {
        "hsds_version": HSDS_VERSION,
        "organizations": list(organisations.values()),
        "locations": list(locations.values()),
        "services": services,
    }


def export_zip() -> bytes:
    return rows_to_zip(catalogue_rows())


def export_json() -> bytes:
    document = rows_to_json(catalogue_rows())
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


# --- Reading files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where it is and what is wrong, in the user's language."""

    file: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return _("%(file)s: %(message)s") % {"file": self.file, "message": self.message}
        if not self.column:
            return _("%(file)s, line %(line)d: %(message)s") % {
                "file": self.file,
                "line": self.line,
                "message": self.message,
            }
        return _("%(file)s, line %(line)d, %(column)s: %(message)s") % {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Row:
    """One record as read: its place in the file and its values as text."""

    file: str
    line: int
    values: dict[str, str]

    def raw_id(self, column: str = "id") -> str:
        return self.values.get(column, "").strip().lower()


@dataclass
class Source:
    """What a file holds, table by table, before any checking."""

    tables: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # Child tables the file defines: "all" parents in the file (a CSV is present), or the raw
    # ids of the parents that carried the key (JSON).
    children: dict[str, Literal["all"] | set[str]] = field(default_factory=dict)

    def defines_children(self, table: str, parent_raw_id: str) -> bool:
        scope = self.children.get(table)
        return scope == "all" or (isinstance(scope, set) and parent_raw_id in scope)


def read(data: bytes, filename: str = "") -> Source:
    """Read an upload: a zip of HSDS CSV files, HSDS JSON, or a single HSDS CSV file."""
    name = filename.rsplit("/", 1)[-1] or "catalogue"
    if data[:4] == b"PK\x03\x04":
        return _read_zip(data, name)
    if name.lower().endswith(".csv"):
        source = Source()
        table = name[:-4].lower()
        if table in TABLES:
            _read_csv(source, table, name, data)
        else:
            source.errors.append(RowError(name, None, "", _unknown_table_message()))
        return source
    return _read_json(data, name)


def _unknown_table_message() -> str:
    return _("Not an HSDS file Polku reads. Name a CSV file after its table: %(tables)s.") % {
        "tables": ", ".join(f"{table}.csv" for table in TABLES)
    }


def _read_zip(data: bytes, name: str) -> Source:
    source = Source()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile:
        source.errors.append(RowError(name, None, "", _("The zip file cannot be read.")))
        return source
    if (
        len(members) > MAX_ZIP_MEMBERS
        or sum(info.file_size for info in members) > MAX_UNPACKED_BYTES
    ):
        source.errors.append(RowError(name, None, "", _("The zip file is too large.")))
        return source
    budget = MAX_UNPACKED_BYTES
    for info in members:
        base = info.filename.rsplit("/", 1)[-1]
        table = base[:-4].lower() if base.lower().endswith(".csv") else ""
        if table in TABLES:
            try:
                content = _unpack(archive, info, budget)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError):
                source.errors.append(RowError(base, None, "", _("The file cannot be unpacked.")))
                continue
            budget -= len(content)
            _read_csv(source, table, base, content)
        elif base != "datapackage.json":
            source.ignored.append(info.filename)
    if not source.tables and not source.errors:
        source.errors.append(RowError(name, None, "", _unknown_table_message()))
    return source


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, inflated a chunk at a time and never more than `budget` in all.

    `archive.read` would inflate a member in one call, as far as the compressed data goes
    (up to 2 GiB), before noticing that it is longer than its header says: a few kilobytes
    of zip could exhaust the memory. zipfile stops a member at the size its header gives
    (and then fails its CRC check), so with bounded reads nothing larger is ever held.
    """
    limit = min(info.file_size, budget)
    parts: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(UNZIP_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise ValueError("the member unpacks to more than its header says")
            parts.append(chunk)
    return b"".join(parts)


def _decode(source: Source, name: str, data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        source.errors.append(RowError(name, line, "", _("The file is not UTF-8 text.")))
        return None


def _read_csv(source: Source, table: str, name: str, data: bytes) -> None:
    if table in source.tables:
        source.errors.append(RowError(name, None, "", _("The file appears twice.")))
        return
    text = _decode(source, name, data)
    if text is None:
        return
    rows: list[Row] = []
    source.tables[table] = rows
    if table in _PARENTS:
        source.children[table] = "all"
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error as error:
        source.errors.append(RowError(name, 1, "", str(error)))
        return
    if not header:
        source.errors.append(RowError(name, 1, "", _("The file has no header row.")))
        return
    problems = _header_problems(table, header)
    if problems:
        source.errors.extend(RowError(name, 1, column, message) for column, message in problems)
        return
    line = reader.line_num + 1
    try:
        for cells in reader:
            if cells:
                if len(cells) != len(header):
                    message = _("The row has %(found)d values; the header has %(expected)d.") % {
                        "found": len(cells),
                        "expected": len(header),
                    }
                    source.errors.append(RowError(name, line, "", message))
                else:
                    rows.append(Row(name, line, dict(zip(header, cells, strict=True))))
            line = reader.line_num + 1
    except csv.Error as error:
        source.errors.append(RowError(name, line, "", str(error)))


def _header_problems(table: str, header: list[str]) -> list[tuple[str, str]]:
    problems = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append((column, _("The column appears twice.")))
        seen.add(column)
    problems.extend(
        (column.name, _("The column is missing."))
        for column in TABLES[table]
        if column.required
        and column.name not in seen
        and not _name_from_translation(column.name, seen)
    )
    return problems


def _name_from_translation(column: str, present: set[str]) -> bool:
    """`name` may be left out where the default language's polku_ column gives it."""
    return column == "name" and f"polku_name_{DEFAULT_LANGUAGE}" in present


class _Object(dict[str, Any]):
    """A JSON object that remembers the line it starts on."""

    line: int = 0


class _PositionedDecoder(json.JSONDecoder):
    """json.loads with the starting line of every object (the C scanner cannot tell it)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        newlines = [i for i, char in enumerate(text) if char == "\n"]

        def parse_object(
            s_and_end: tuple[str, int], strict: bool, scan_once: Any, *args: Any, **kw: Any
        ) -> tuple[_Object, int]:
            start = s_and_end[1]
            pairs, end = JSONObject(s_and_end, strict, scan_once, None, list, *args[2:], **kw)
            obj = _Object(pairs)
            obj.line = bisect.bisect_left(newlines, start) + 1
            return obj, end

        self.parse_object = parse_object
        self.scan_once = scanner.py_make_scanner(self)  # type: ignore[attr-defined]


def load_json(text: str) -> Any:
    """Parse JSON text; every object is a dict with a `.line` attribute."""
    return _PositionedDecoder(text).decode(text)


def _read_json(data: bytes, name: str) -> Source:
    source = Source()
    text = _decode(source, name, data)
    if text is None:
        return source
    try:
        document = load_json(text)
    except (json.JSONDecodeError, RecursionError) as error:
        line = getattr(error, "lineno", None)
        message = _("Not valid JSON: %(problem)s.") % {"problem": getattr(error, "msg", "")}
        source.errors.append(RowError(name, line, "", message))
        return source
    _JsonFlattener(source, name).document(document)
    return source


class _JsonFlattener:
    """Turns nested HSDS JSON into the tables the CSV files would hold.

    An object met more than once (a service's organisation and the organisation itself) must
    agree with itself; its values are read once.
    """

    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        self.seen: dict[tuple[str, str], _Object] = {}

    def error(self, line: int | None, column: str, message: str) -> None:
        self.source.errors.append(RowError(self.name, line, column, message))

    def document(self, document: Any) -> None:
        if isinstance(document, list):
            services: Any = document
            organisations: Any = []
            locations: Any = []
        elif isinstance(document, dict):
            services = document.get("services", document.get("contents", []))
            organisations = document.get("organizations", [])
            locations = document.get("locations", [])
        else:
            self.error(1, "", _("Expected an object with organizations, locations, services."))
            return
        for table in TABLES:
            self.source.tables.setdefault(table, [])
        for key, items, add in (
            ("organizations", organisations, self.organisation),
            ("locations", locations, self.location),
            ("services", services, self.service),
        ):
            for obj in self.objects(items, getattr(document, "line", 1), key):
                add(obj, {})

    def objects(self, items: Any, line: int, key: str) -> list[_Object]:
        if not isinstance(items, list):
            self.error(line, key, _("Expected a list."))
            return []
        good = [item for item in items if isinstance(item, _Object)]
        if len(good) != len(items):
            self.error(line, key, _("Expected a list of objects."))
        return good

    def add(self, table: str, obj: _Object, defaults: dict[str, str]) -> bool:
        """Add `obj` as a row of `table`; False when the same object was added before."""
        values = dict(defaults)
        for column in TABLES[table]:
            if column.name in obj:
                text = self.text(obj[column.name], column, obj.line)
                if text is not None:
                    values[column.name] = text
        raw_id = values.get("id", "").strip().lower()
        if raw_id and table not in _PARENTS:
            first = self.seen.get((table, raw_id))
            if first is not None:
                self.agree(first, obj)
                return False
            self.seen[(table, raw_id)] = obj
        self.source.tables[table].append(Row(self.name, obj.line, values))
        return True

    def agree(self, first: _Object, again: _Object) -> None:
        for key in sorted(first.keys() & again.keys()):
            if first[key] != again[key] and not isinstance(first[key], dict | list):
                message = _("Differs from the same object on line %(line)d.") % {"line": first.line}
                self.error(again.line, key, message)

    def text(self, value: Any, column: Column, line: int) -> str | None:
        """The value as the CSV file would hold it. Numbers and booleans are read as their
        text, so the column's own check judges them; objects and lists (but a list of text
        for a list column) are refused."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | str):
            return str(value)
        if (
            column.type == "list"
            and isinstance(value, list)
            and all(isinstance(item, str) for item in value)
        ):
            return ",".join(value)
        self.error(line, column.name, _("The value has the wrong type."))
        return None

    def organisation(self, obj: _Object, defaults: dict[str, str]) -> None:
        self.add("organizations", obj, defaults)

    def location(self, obj: _Object, defaults: dict[str, str]) -> None:
        if not self.add("locations", obj, defaults):
            return
        raw_id = str(obj.get("id", "")).strip().lower()
        for key in ("addresses", "accessibility"):
            if key in obj:
                self.children(key, raw_id)
                for item in self.objects(obj[key], obj.line, key):
                    self.add(key, item, {"location_id": raw_id})

    def service(self, obj: _Object, defaults: dict[str, str]) -> None:
        organisation = obj.get("organization")
        own = dict(defaults)
        if isinstance(organisation, _Object):
            self.organisation(organisation, {})
            if "organization_id" not in obj and "id" in organisation:
                own["organization_id"] = str(organisation["id"])
        if not self.add("services", obj, own):
            return
        raw_id = str(obj.get("id", "")).strip().lower()
        for key in ("languages", "phones"):
            if key in obj:
                self.children(key, raw_id)
                for item in self.objects(obj[key], obj.line, key):
                    self.add(key, item, {"service_id": raw_id})
        for link in self.objects(obj.get("service_at_locations", []), obj.line, "services"):
            link_defaults = {"service_id": raw_id}
            location = link.get("location")
            if isinstance(location, _Object):
                self.location(location, {})
                if "location_id" not in link and "id" in location:
                    link_defaults["location_id"] = str(location["id"])
            self.add("service_at_locations", link, link_defaults)

    def children(self, table: str, parent_raw_id: str) -> None:
        scope = self.source.children.setdefault(table, set())
        if isinstance(scope, set):
            scope.add(parent_raw_id)


# --- Checking and planning the changes --------------------------------------------------------


Action = Literal["created", "updated", "unchanged"]


@dataclass
class Change:
    """What importing one record would do (or did)."""

    table: str
    id: uuid.UUID
    label: str
    action: Action
    fields: list[tuple[str, str, str]]  # (column, old value, new value) of an update
    instance: Model = field(repr=False, compare=False)


@dataclass
class ImportReport:
    """The outcome of an import: errors (then nothing was written) or the changes."""

    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        """Per table, how many records were (or would be) created, updated, left unchanged."""
        counts: dict[str, dict[str, int]] = {}
        for change in self.changes:
            table = counts.setdefault(change.table, {"created": 0, "updated": 0, "unchanged": 0})
            table[change.action] += 1
        return counts

    def lines(self) -> list[str]:
        """The report as text, one line each: errors, or a summary per table."""
        if self.errors:
            return [str(error) for error in self.errors]
        lines = []
        for table, count in self.counts().items():
            lines.append(
                _("%(table)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"table": table, **count}
            )
        lines.extend(
            _("%(file)s: ignored, Polku does not keep it.") % {"file": name}
            for name in self.ignored
        )
        return lines


TRANSLATED_FIELDS = ("name", "description", "eligibility")
_SERVICE_FIELD_COLUMNS = {
    "organisation": "organization_id",
    "url": "url",
    "email": "email",
    "status": "status",
    "fees": "fees_description",
    "kind": "polku_kind",
    "schedule": "polku_schedule",
    "expected_response_days": "polku_expected_response_days",
    "referral_categories": "polku_referral_categories",
    "accepts_referrals": "polku_accepts_referrals",
    **{f"{base}_{lang}": f"polku_{base}_{lang}" for base in ("name",) for lang in LANGUAGES},
    **{
        f"{base}_{lang}": f"polku_{base}_{lang}"
        for base in ("description", "eligibility")
        for lang in LANGUAGES
    },
    "name": "name",
    "description": "description",
    "eligibility": "eligibility_description",
}
_LOCATION_FIELD_COLUMNS = {
    "organisation": "organization_id",
    "name": "name",
    "latitude": "latitude",
    "longitude": "longitude",
    "is_virtual": "location_type",
}
_ORGANISATION_FIELD_COLUMNS = {
    "name": "name",
    "business_id": "tax_id",
    "kind": "polku_kind",
    "country": "polku_country",
    "municipality": "polku_municipality",
    **{f"name_{lang}": f"polku_name_{lang}" for lang in LANGUAGES},
}
Where = tuple[str, int, str]  # file, line, column


class Importer:
    """Checks a Source against the database and plans every change; writes only in apply().

    `owner`: when given, every record must belong to that organisation (an organisation
    admin's import); organisations themselves are then matched, never changed.
    """

    def __init__(self, source: Source, *, owner: Organisation | None) -> None:
        self.source = source
        self.owner = owner
        self.errors: list[RowError] = list(source.errors)
        self.changes: list[Change] = []
        self.organisations: dict[uuid.UUID, Organisation] = {}
        self.services: dict[uuid.UUID, Service] = {}
        self.locations: dict[uuid.UUID, Location] = {}

    # Reading values --------------------------------------------------------------------------

    def error(self, row: Row, column: str, message: str) -> None:
        self.errors.append(RowError(row.file, row.line, column, message))

    def has(self, row: Row, column: str) -> bool:
        return column in row.values

    def text(self, row: Row, column: str, default: str = "") -> str:
        value = row.values.get(column, default)
        if "\x00" in value:
            self.error(row, column, _("The value contains a NUL character."))
            return default
        return value

    def uuid_of(self, row: Row, column: str) -> uuid.UUID | None:
        value = row.values.get(column, "").strip()
        if not value:
            self.error(row, column, _("Give a value."))
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.error(row, column, _("Not a UUID: %(value)s.") % {"value": value[:60]})
            return None

    def integer(self, row: Row, column: str, default: int) -> int:
        value = row.values.get(column, "").strip()
        if not value:
            return default
        if not value.isdigit() or len(value) > 6:  # noqa: PLR2004 - no plausible count is longer
            self.error(row, column, _("Give a whole number, 0 or more."))
            return default
        return int(value)

    def decimal(self, row: Row, column: str, default: Decimal | None) -> Decimal | None:
        if not self.has(row, column):
            return default
        value = row.values[column].strip()
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or len(value) > 20:  # noqa: PLR2004 - digits and a sign
            self.error(row, column, _("Give a number."))
            return default
        return number

    def boolean(self, row: Row, column: str, default: bool) -> bool:
        value = row.values.get(column, "").strip().lower()
        if not value:
            return default
        if value in {"true", "1", "yes"}:
            return True
        if value in {"false", "0", "no"}:
            return False
        self.error(row, column, _("Give true or false."))
        return default

    def choice(self, row: Row, column: str, choices: Iterable[str], default: str) -> str:
        value = row.values.get(column, "").strip()
        if not value:
            return default
        allowed = list(choices)
        if value not in allowed:
            self.error(
                row,
                column,
                _("Unknown value %(value)s; give one of: %(choices)s.")
                % {"value": value[:60], "choices": ", ".join(allowed)},
            )
            return default
        return value

    def translated(self, row: Row, obj: Model, base: str, hsds_column: str) -> None:
        """Set obj's `base` in every language from polku_ columns (or the HSDS column for the
        default language); a language the file does not mention keeps its value."""
        for lang in LANGUAGES:
            column = f"polku_{base}_{lang}"
            if self.has(row, column):
                value: str | None = self.text(row, column)
            elif lang == DEFAULT_LANGUAGE and self.has(row, hsds_column):
                value = self.text(row, hsds_column)
            else:
                continue
            setattr(obj, f"{base}_{lang}", value or None)

    # Checking --------------------------------------------------------------------------------

    def unique_rows(self, table: str) -> list[tuple[Row, uuid.UUID]]:
        """The table's rows, each with its id; a repeated id is an error and its row is left
        out. A row whose id is invalid is still checked, under a stand-in id (the error stops
        the import anyway), so that every error of the file is reported at once."""
        first_line: dict[uuid.UUID, int] = {}
        rows = []
        for row in self.source.tables.get(table, []):
            record_id = self.uuid_of(row, "id")
            if record_id is None:
                rows.append((row, uuid.uuid4()))
                continue
            if record_id in first_line:
                self.error(
                    row,
                    "id",
                    _("The same id is on line %(line)d.") % {"line": first_line[record_id]},
                )
                continue
            first_line[record_id] = row.line
            rows.append((row, record_id))
        return rows

    def clean(
        self,
        obj: Model,
        row: Row,
        columns: dict[str, str],
        sources: dict[str, Where],
        *,
        checked: tuple[str, ...] = (),
    ) -> None:
        """The model's own validation (lengths, e-mail, URL, ranges), reported by column.

        `checked`: fields validated already (a translated name is checked per language; its
        untranslated field would repeat the error in Django's words).
        """
        try:
            obj.full_clean(
                exclude=["organisation", "service", "location", *checked],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                file, line, column = sources.get(
                    name, (row.file, row.line, columns.get(name, name))
                )
                for message in messages:
                    self.errors.append(RowError(file, line, column, message))

    def record(
        self, table: str, record_id: uuid.UUID, label: str, obj: Model, before: dict[str, str]
    ) -> None:
        after = self.state(table, obj)
        if obj.pk is None:
            action: Action = "created"
            fields: list[tuple[str, str, str]] = []
        else:
            fields = [(k, before.get(k, ""), v) for k, v in after.items() if before.get(k) != v]
            action = "updated" if fields else "unchanged"
        self.changes.append(Change(table, record_id, label, action, fields, obj))

    def state(self, table: str, obj: Any) -> dict[str, str]:
        if table == "organizations":
            return organisation_row(obj)
        if table == "services":
            return service_row(obj) | {
                "languages": ",".join(obj.languages),
                "phone": obj.phone,
            }
        if table == "locations":
            return location_row(obj) | {
                "address_1": obj.address,
                "city": obj.city,
                "postal_code": obj.postal_code,
                "country": obj.country,
                "accessibility": obj.accessibility,
            }
        return service_at_location_row(obj)

    def check(self) -> ImportReport:
        self.check_organisations()
        self.check_locations()
        self.check_services()
        self.check_links()
        order = {table: index for index, table in enumerate(TABLES)}
        errors = sorted(
            dict.fromkeys(self.errors),
            key=lambda e: (order.get(e.file.rsplit(".", 1)[0], 99), e.file, e.line or 0),
        )
        return ImportReport(
            errors=errors,
            changes=[] if errors else self.changes,
            ignored=self.source.ignored,
        )

    def referenced_organisation_ids(self) -> set[uuid.UUID]:
        ids = set()
        for table in ("organizations", "services", "locations"):
            column = "id" if table == "organizations" else "organization_id"
            for row in self.source.tables.get(table, []):
                value = row.values.get(column, "").strip()
                if _is_uuid(value):
                    ids.add(uuid.UUID(value))
        return ids

    def check_organisations(self) -> None:
        existing = {
            org.hsds_id: org
            for org in Organisation.objects.filter(hsds_id__in=self.referenced_organisation_ids())
        }
        self.organisations = dict(existing)
        for row, record_id in self.unique_rows("organizations"):
            if self.owner is not None:
                if record_id != self.owner.hsds_id:
                    self.error(
                        row,
                        "id",
                        _("You may import only your own organisation's records (its id is %(id)s).")
                        % {"id": self.owner.hsds_id},
                    )
                continue
            org = existing.get(record_id) or Organisation(hsds_id=record_id)
            before = organisation_row(org) if org.pk else {}
            self.translated(row, org, "name", "name")
            if not any(getattr(org, f"name_{lang}") for lang in LANGUAGES):
                self.error(row, "name", _("Give a name."))
            org.business_id = self.text(row, "tax_id", org.business_id).strip()
            org.kind = self.choice(
                row,
                "polku_kind",
                OrganisationKind.values,
                org.kind or OrganisationKind.SERVICE_PROVIDER,
            )
            org.country = self.choice(row, "polku_country", Country.values, org.country)
            org.municipality = self.text(row, "polku_municipality", org.municipality)
            self.clean(org, row, _ORGANISATION_FIELD_COLUMNS, {}, checked=("name",))
            self.organisations[record_id] = org
            self.record("organizations", record_id, _default_text(org, "name"), org, before)

    def organisation_for(self, row: Row) -> Organisation | None:
        org_id = self.uuid_of(row, "organization_id")
        if org_id is None:
            return None
        org = self.organisations.get(org_id)
        if org is None:
            self.error(row, "organization_id", _("No organisation has this id."))
            return None
        if self.owner is not None and org.pk != self.owner.pk:
            self.error(
                row, "organization_id", _("You may import only your own organisation's records.")
            )
            return None
        return org

    def not_owned(self, row: Row, obj: Service | Location) -> bool:
        if self.owner is not None and obj.pk and obj.organisation_id != self.owner.pk:
            self.error(row, "id", _("A record with this id belongs to another organisation."))
            return True
        return False

    def children_of(self, table: str) -> dict[uuid.UUID, list[Row]]:
        """Child rows by their parent's id; a parent missing from the file is an error."""
        key, parent_table = _PARENTS[table]
        parents = {
            str(uuid.UUID(r.raw_id()))
            for r in self.source.tables.get(parent_table, [])
            if _is_uuid(r.raw_id())
        }
        grouped: dict[uuid.UUID, list[Row]] = defaultdict(list)
        for row in self.source.tables.get(table, []):
            parent_id = self.uuid_of(row, key)
            if parent_id is None:
                continue
            if str(parent_id) not in parents:
                self.error(
                    row, key, _("No row of %(file)s has this id.") % {"file": f"{parent_table}.csv"}
                )
                continue
            grouped[parent_id].append(row)
        return grouped

    def check_locations(self) -> None:
        addresses = self.children_of("addresses")
        accessibility = self.children_of("accessibility")
        rows = self.unique_rows("locations")
        existing = Location.objects.select_related("organisation").in_bulk(
            [record_id for _row, record_id in rows], field_name="hsds_id"
        )
        for row, record_id in rows:
            location = existing.get(record_id) or Location(hsds_id=record_id)
            if self.not_owned(row, location):
                continue
            before = self.state("locations", location) if location.pk else {}
            org = self.organisation_for(row)
            if org is None:
                continue
            location.organisation = org
            location.name = self.text(row, "name", location.name)
            if self.has(row, "location_type"):
                kind = self.choice(row, "location_type", ["physical", "postal", "virtual"], "")
                location.is_virtual = kind == "virtual"
            location.latitude = self.decimal(row, "latitude", location.latitude)
            location.longitude = self.decimal(row, "longitude", location.longitude)
            sources: dict[str, Where] = {}
            raw_id = row.raw_id()
            if self.source.defines_children("addresses", raw_id):
                self.address(location, addresses.get(record_id, []), sources)
            if self.source.defines_children("accessibility", raw_id):
                notes = self.single(accessibility.get(record_id, []), "description")
                location.accessibility = self.text(notes, "description") if notes else ""
                if notes:
                    sources["accessibility"] = (notes.file, notes.line, "description")
            self.range_check(row, location)
            self.clean(location, row, _LOCATION_FIELD_COLUMNS, sources)
            self.locations[record_id] = location
            self.record("locations", record_id, location.name, location, before)

    def range_check(self, row: Row, location: Location) -> None:
        for column, limit in (("latitude", 90), ("longitude", 180)):
            value = getattr(location, column)
            if value is not None and not -limit <= value <= limit:
                self.error(
                    row, column, _("Give a value from -%(limit)d to %(limit)d.") % {"limit": limit}
                )

    def single(self, rows: list[Row], column: str) -> Row | None:
        """The one child row Polku keeps; a second one is an error."""
        for extra in rows[1:]:
            self.error(
                extra,
                column,
                _("Polku keeps one of these per record; the first is on line %(line)d.")
                % {"line": rows[0].line},
            )
        return rows[0] if rows else None

    def address(self, location: Location, rows: list[Row], sources: dict[str, Where]) -> None:
        address = self.single(rows, "address_1")
        location.address = location.city = location.postal_code = ""
        location.country = "FI"
        if address is None:
            return
        location.address = self.text(address, "address_1")
        location.city = self.text(address, "city")
        location.postal_code = self.text(address, "postal_code")
        location.country = self.text(address, "country").strip().upper() or "FI"
        for name, column in (
            ("address", "address_1"),
            ("city", "city"),
            ("postal_code", "postal_code"),
            ("country", "country"),
        ):
            sources[name] = (address.file, address.line, column)

    def check_services(self) -> None:
        languages = self.children_of("languages")
        phones = self.children_of("phones")
        rows = self.unique_rows("services")
        existing = Service.objects.select_related("organisation").in_bulk(
            [record_id for _row, record_id in rows], field_name="hsds_id"
        )
        for row, record_id in rows:
            service = existing.get(record_id) or Service(hsds_id=record_id)
            if self.not_owned(row, service):
                continue
            before = self.state("services", service) if service.pk else {}
            org = self.organisation_for(row)
            if org is None:
                continue
            service.organisation = org
            self.service_fields(row, service)
            sources: dict[str, Where] = {}
            raw_id = row.raw_id()
            if self.source.defines_children("languages", raw_id):
                service.languages = self.language_codes(languages.get(record_id, []))
            if self.source.defines_children("phones", raw_id):
                phone = self.single(phones.get(record_id, []), "number")
                service.phone = self.text(phone, "number").strip() if phone else ""
                if phone:
                    sources["phone"] = (phone.file, phone.line, "number")
            self.clean(service, row, _SERVICE_FIELD_COLUMNS, sources, checked=TRANSLATED_FIELDS)
            self.services[record_id] = service
            self.record("services", record_id, _default_text(service, "name"), service, before)

    def service_fields(self, row: Row, service: Service) -> None:
        self.translated(row, service, "name", "name")
        if not any(getattr(service, f"name_{lang}") for lang in LANGUAGES):
            self.error(row, "name", _("Give a name."))
        self.translated(row, service, "description", "description")
        self.translated(row, service, "eligibility", "eligibility_description")
        service.url = self.text(row, "url", service.url).strip()
        service.email = self.text(row, "email", service.email).strip()
        status = self.choice(
            row,
            "status",
            [*ServiceStatus.values, "defunct", "temporarily closed"],
            service.status or ServiceStatus.ACTIVE,
        )
        service.status = ServiceStatus.ACTIVE if status == "active" else ServiceStatus.INACTIVE
        service.fees = self.text(row, "fees_description", service.fees)
        service.kind = self.choice(
            row, "polku_kind", ServiceKind.values, service.kind or ServiceKind.OTHER
        )
        service.schedule = self.text(row, "polku_schedule", service.schedule)
        service.expected_response_days = self.integer(
            row, "polku_expected_response_days", service.expected_response_days
        )
        if self.has(row, "polku_referral_categories"):
            service.referral_categories = self.categories(row)
        elif not service.referral_categories:
            service.referral_categories = list(DEFAULT_REFERRAL_CATEGORIES)
        service.accepts_referrals = self.boolean(
            row, "polku_accepts_referrals", service.accepts_referrals
        )

    def categories(self, row: Row) -> list[str]:
        raw = self.text(row, "polku_referral_categories")
        values = [value.strip() for value in raw.split(",") if value.strip()]
        unknown = [value for value in values if value not in DataCategory.values]
        if unknown:
            self.error(
                row,
                "polku_referral_categories",
                _("Unknown data categories %(values)s; give some of: %(choices)s.")
                % {"values": ", ".join(unknown)[:100], "choices": ", ".join(DataCategory.values)},
            )
        return list(dict.fromkeys(values)) or list(DEFAULT_REFERRAL_CATEGORIES)

    def language_codes(self, rows: list[Row]) -> list[str]:
        codes: list[str] = []
        for row in rows:
            code = self.text(row, "code").strip().lower()
            if not LANGUAGE_CODE.match(code):
                self.error(row, "code", _("Give an ISO 639-1 language code, e.g. fi, sv, en."))
            elif code in codes:
                self.error(row, "code", _("The language is listed twice for the service."))
            else:
                codes.append(code)
        return codes

    def check_links(self) -> None:
        rows = self.unique_rows("service_at_locations")
        existing = ServiceAtLocation.objects.select_related(
            "service__organisation", "location__organisation"
        ).in_bulk([record_id for _row, record_id in rows], field_name="hsds_id")
        service_ids = self.known_ids(rows, "service_id", self.services, Service)
        location_ids = self.known_ids(rows, "location_id", self.locations, Location)
        pairs: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
        for row, record_id in rows:
            link = existing.get(record_id) or ServiceAtLocation(hsds_id=record_id)
            if (
                self.owner is not None
                and link.pk
                and (
                    link.service.organisation_id != self.owner.pk
                    or link.location.organisation_id != self.owner.pk
                )
            ):
                # Another organisation's link: its id may not be taken over and re-pointed.
                self.error(row, "id", _("A record with this id belongs to another organisation."))
                continue
            before = self.state("service_at_locations", link) if link.pk else {}
            service = self.linked(row, "service_id", service_ids)
            location = self.linked(row, "location_id", location_ids)
            if not isinstance(service, Service) or not isinstance(location, Location):
                continue
            pair = (service.hsds_id, location.hsds_id)
            if pair in pairs:
                self.error(row, "", _("The same link is on line %(line)d.") % {"line": pairs[pair]})
                continue
            pairs[pair] = row.line
            taken = (
                ServiceAtLocation.objects.filter(
                    service__hsds_id=pair[0], location__hsds_id=pair[1]
                )
                .exclude(hsds_id=record_id)
                .first()
            )
            if taken is not None:
                self.error(
                    row,
                    "id",
                    _("The service is already offered at this location under id %(id)s.")
                    % {"id": taken.hsds_id},
                )
                continue
            link.service, link.location = service, location
            self.record("service_at_locations", record_id, f"{service} @ {location}", link, before)

    def known_ids(
        self,
        rows: list[tuple[Row, uuid.UUID]],
        column: str,
        in_file: dict[uuid.UUID, Any],
        model: type[Service] | type[Location],
    ) -> dict[uuid.UUID, Any]:
        wanted = {
            uuid.UUID(row.raw_id(column)) for row, _id in rows if _is_uuid(row.raw_id(column))
        }
        stored = model.objects.select_related("organisation").in_bulk(
            wanted - in_file.keys(), field_name="hsds_id"
        )
        return stored | in_file

    def linked(self, row: Row, column: str, known: dict[uuid.UUID, Any]) -> Model | None:
        record_id = self.uuid_of(row, column)
        if record_id is None:
            return None
        obj = known.get(record_id)
        if obj is None:
            self.error(row, column, _("No record has this id."))
            return None
        if self.owner is not None and obj.organisation_id != self.owner.pk:
            self.error(row, column, _("You may import only your own organisation's records."))
            return None
        return obj  # type: ignore[no-any-return]

    def apply(self) -> None:
        """Write the planned changes, parents first. The caller holds the transaction."""
        for table in ("organizations", "locations", "services", "service_at_locations"):
            for change in self.changes:
                if change.table == table and change.action != "unchanged":
                    # A parent created earlier in this loop is saved by now; Django points
                    # the foreign key at it.
                    change.instance.save()


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_import(source: Source, *, owner: Organisation | None) -> tuple[Importer, ImportReport]:
    """Check every row of `source` and plan the changes, writing nothing."""
    importer = Importer(source, owner=owner)
    return importer, importer.check()
