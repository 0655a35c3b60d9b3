"""`polku savings-rules-load [FILE]`: load or update the savings rule sets from the shipped
data file (evaluation/savings/data/rule_sets.json) or FILE. Checks the whole file first; with
an error prints it (rule set and row) and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.evaluation.savings import rules


class Command(BaseCommand):
    help = "Load or update the savings rule sets from their data file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(rules.DATA_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = rules.load_rule_sets(rules.read_file(Path(options["file"])))
        except rules.RuleFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{loaded.created} rule sets created, {loaded.updated} updated, {loaded.rules} rules."
        )
