"""`polku verify-access-log`: recompute the read-access log's hash chain.

Exits 0 when intact; otherwise prints the first broken row and exits 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.core import access_log


class Command(BaseCommand):
    help = "Verify that no row of the read-access log was altered, inserted or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        result = access_log.verify()
        if not result.ok:
            raise CommandError(
                f"Access log broken at row {result.first_broken_seq}: {result.problem} "
                f"({result.checked} rows before it are intact).",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Access log intact: {result.checked} rows verified."))
