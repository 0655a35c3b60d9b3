"""Import of employers and vacancies from CSV or XLSX: read, check every row, plan, write.

A file holds employers or vacancies, one per row, under a header row (line 1) of the columns in
COLUMNS (English names; the Finnish and Swedish names in ALIASES are accepted too). A CSV file
holds one table and may separate its values with `;` or `,`; an XLSX workbook may hold both,
one per sheet (named `employers` / `vacancies`, or recognised by their columns).

Everything is read and checked before anything is written, with the same rules as the pages
and the API (the services' `*_prepare` functions). Any error stops the import: the report
lists them as "line N, column X: message" (line numbers as a spreadsheet shows them; the first
MAX_ERRORS, then how many more) and nothing is written. The rules:

* Employers are matched by Business ID (and country), or by name when the row gives no ID.
  A known employer is updated, an unknown one created. Nothing is deleted.
* A column the file leaves out, or an empty cell, keeps the stored value (a new record gets
  the default), so a file may carry only the columns it wants to change.
* An employer row with a `municipality` adds that workplace unless the employer has one there
  (at the same street address, when the row gives one).
* Vacancies name their employer by Business ID: one in the register or on this file's
  employers sheet. A vacancy is matched by its Polku `id` when given, else by its title among
  the employer's open and draft vacancies.
* Files are bounded (MAX_FILE_BYTES, MAX_ROWS: every non-empty row counts, a faulty one too);
  a NUL byte anywhere is refused.
"""

from polku.employers.importer.columns import (
    COLUMNS,
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Column,
)
from polku.employers.importer.planning import Change, Importer, ImportReport, check
from polku.employers.importer.reading import RowError, Source, read

__all__ = [
    "COLUMNS",
    "MAX_ERRORS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Change",
    "Column",
    "ImportReport",
    "Importer",
    "RowError",
    "Source",
    "check",
    "read",
]
