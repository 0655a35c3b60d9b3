"""`polku run-scheduler [--once] [--every MINUTES]`: enqueue the periodic background tasks.

The registry below names each periodic task and how often it runs. A task is due when it was
last enqueued longer ago than its interval, or never: the last enqueue is read from
django-tasks-db's own result table (`DBTaskResult.enqueued_at`), so the schedule needs no state of
its own and survives restarts. `polku db_worker` then runs what was enqueued. With `--once` the
command enqueues what is due and exits (for cron or a systemd timer); otherwise it checks again
every `--every` minutes until stopped. Run one scheduler: the tasks are idempotent, so a second
one would only waste work. Pruning old results (`prune_db_task_results`) at most makes a task run
once more.

Tasks are named by dotted path, not imported here: `core` sits below the apps whose tasks it
schedules (ARCHITECTURE.md, apps depend downwards).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult


@dataclass(frozen=True)
class Periodic:
    task_path: str  # a django-tasks Task, e.g. "polku.evaluation.tasks.schedule_follow_ups_task"
    every: dt.timedelta


SCHEDULE: tuple[Periodic, ...] = (
    # Outcome rows fall due by the day; once a day is enough (evaluation/services/outcomes.py).
    Periodic("polku.evaluation.tasks.schedule_follow_ups_task", dt.timedelta(days=1)),
)


def last_enqueued(task_path: str) -> dt.datetime | None:
    """When the task was last enqueued, as the database backend's result table records it."""
    latest: dt.datetime | None = DBTaskResult.objects.filter(task_path=task_path).aggregate(
        latest=Max("enqueued_at")
    )["latest"]
    return latest


def due(periodic: Periodic, now: dt.datetime) -> bool:
    last = last_enqueued(periodic.task_path)
    return last is None or now - last >= periodic.every


def enqueue_due(now: dt.datetime, schedule: tuple[Periodic, ...] = SCHEDULE) -> list[str]:
    """Enqueue every task of `schedule` that is due at `now`; return their paths."""
    enqueued = []
    for periodic in schedule:
        if due(periodic, now):
            import_string(periodic.task_path).enqueue()
            enqueued.append(periodic.task_path)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue the periodic background tasks when they are due (polku db_worker runs them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Enqueue what is due now, then exit."
        )
        parser.add_argument(
            "--every",
            type=int,
            default=5,
            metavar="MINUTES",
            help="Minutes between checks when running continuously (default 5).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(options["every"], 1)
        while True:
            for path in enqueue_due(timezone.now()):
                self.stdout.write(f"Enqueued {path}")
            if options["once"]:
                return
            try:
                time.sleep(every * 60)
            except KeyboardInterrupt:
                return
