"""`polku catalogue-export FILE [--format zip|json]`: write the service catalogue as HSDS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.plans import hsds


class Command(BaseCommand):
    help = (
        "Write the service catalogue as Open Referral HSDS: a zip of CSV files with "
        "datapackage.json (default), or JSON. '-' writes JSON to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write; '-' for standard output.")
        parser.add_argument(
            "--format",
            choices=["zip", "json"],
            default=None,
            help="zip (HSDS tabular) or json; by default from the file's extension, else zip.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: str = options["file"]
        chosen = options["format"] or ("json" if target.lower().endswith(".json") else "zip")
        data = hsds.export_json() if chosen == "json" else hsds.export_zip()
        if target == "-":
            if chosen != "json":
                raise CommandError("Give a file name for a zip; only JSON goes to the output.")
            self.stdout.write(data.decode(), ending="")
            return
        Path(target).write_bytes(data)
        self.stderr.write(f"Catalogue written to {target} ({len(data)} bytes, {chosen}).")
