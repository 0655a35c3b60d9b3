"""`polku catalogue-import FILE [--dry-run]`: load an HSDS zip or JSON into the catalogue.

Every row is checked first; with any error the command prints every one ("file, line N,
column: message"), writes nothing, and exits with status 1. Run as the operator, it may
create and change every organisation's records (see plans/services/catalogue.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.plans.services.catalogue import catalogue_import


class Command(BaseCommand):
    help = "Import an Open Referral HSDS file (zip of CSV files, JSON, or one CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The HSDS zip, JSON or CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, writing nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        report = catalogue_import(
            actor=None, data=data, filename=path.name, dry_run=options["dry_run"]
        )
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(
                f"{len(report.errors)} error(s) in {path.name}; nothing was imported.",
                returncode=1,
            )
        for line in report.lines():
            self.stdout.write(line)
        if report.written:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Dry run: nothing was written.")
