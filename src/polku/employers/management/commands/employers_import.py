"""`polku employers-import FILE [--dry-run] [--organisation ID]`: load employers and vacancies
from a CSV or XLSX file (the columns: docs/operations.md, importer/columns.py).

Every row is checked first; with any error the command prints them ("line N, column X:
message"; the first 200, then how many more) to stderr, writes nothing, and exits with status
1. New employers are registered by the organisation given with --organisation (an id), which
the file's new employers need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.core.models import Organisation
from polku.employers.importer import MAX_FILE_BYTES
from polku.employers.services.imports import employers_import


class Command(BaseCommand):
    help = "Import employers and vacancies from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, writing nothing.",
        )
        parser.add_argument(
            "--organisation",
            type=int,
            help="Id of the organisation that registers the file's new employers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(
                    f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.",
                    returncode=1,
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}", returncode=1) from None
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(
                    f"No organisation with id {options['organisation']}.", returncode=1
                )
        report = employers_import(
            actor=None,
            data=data,
            filename=path.name,
            dry_run=options["dry_run"],
            organisation=organisation,
        )
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(
                f"{report.error_count} error(s) in {path.name}; nothing was imported.",
                returncode=1,
            )
        for line in report.lines():
            self.stdout.write(line)
        if report.written:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Dry run: nothing was written.")
