"""`polku comparison-import FILE --programme CODE --name NAME --source TEXT [--dry-run]`: load a
comparison group (people who did not take part) from a CSV register extract.

The columns: `evaluation/comparison/columns.py` and docs/examples/comparison-group.csv. Every
row is checked first; with any error the command prints them ("Line N, column C: message"; the
first 200, then how many more) to stderr, writes nothing and exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.clients.models import Programme
from polku.evaluation.comparison.columns import MAX_FILE_BYTES
from polku.evaluation.comparison.importer import comparison_group_import


class Command(BaseCommand):
    help = "Import a comparison group from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file, one person per row.")
        parser.add_argument(
            "--programme", required=True, help="Code of the programme the group is compared with."
        )
        parser.add_argument("--name", required=True, help="Name of the group.")
        parser.add_argument(
            "--source", required=True, help="Where the data came from (register, extract date)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what it holds, writing nothing.",
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
        programme = Programme.objects.filter(code=options["programme"]).first()
        if programme is None:
            raise CommandError(f"No programme with code {options['programme']!r}.", returncode=1)
        try:
            report = comparison_group_import(
                actor=None,
                programme=programme,
                name=options["name"],
                source=options["source"],
                data=data,
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            problems = "; ".join(
                f"--{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise CommandError(problems, returncode=1) from None
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(
                f"{report.error_count} error(s) in {path.name}; nothing was imported.",
                returncode=1,
            )
        for line in report.lines():
            self.stdout.write(line)
        if report.written and report.group is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Imported as comparison group {report.group.pk}.")
            )
        else:
            self.stdout.write("Dry run: nothing was written.")
