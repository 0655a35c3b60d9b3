"""`polku notify-due [--today YYYY-MM-DD]`: write the day's in-app notifications.

Run it once a day (cron, a systemd timer, or the task worker). Safe to repeat: a notice already
written is not written again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.plans.services.notifications import notify_due


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {text!r}") from None


class Command(BaseCommand):
    help = "Notify people of actions due or overdue and of overdue referrals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=str,
            default=None,
            help="Run as if it were this day (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else None
        run = notify_due(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Notifications written: {run.action_due} action due, "
                f"{run.action_overdue} action overdue, {run.referral_overdue} referral overdue."
            )
        )
