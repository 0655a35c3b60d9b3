"""`polku schedule-follow-ups [--date YYYY-MM-DD]`: create the outcome rows that have fallen due,
now, without the worker (the daily task `schedule_follow_ups_task` does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polku.evaluation.services.outcomes import schedule_follow_ups


class Command(BaseCommand):
    help = (
        "Create the missing outcome rows: the exit row of every ended episode, and the 6- and "
        "12-month follow-ups falling due within 30 days. Running it again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Schedule as of this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date of the form YYYY-MM-DD."
                ) from None
        created = schedule_follow_ups(today=today)
        self.stdout.write(self.style.SUCCESS(f"Created {created} outcome follow-up rows."))
