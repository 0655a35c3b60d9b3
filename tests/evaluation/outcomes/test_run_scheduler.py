"""`polku run-scheduler --once`: enqueues a periodic task when it is due, judged by the last
enqueue in django-tasks-db's result table, and nothing more until its interval has passed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from polku.core.management.commands import run_scheduler
from polku.core.management.commands.run_scheduler import Periodic, enqueue_due

pytestmark = pytest.mark.django_db

FOLLOW_UPS = "polku.evaluation.tasks.schedule_follow_ups_task"


@pytest.fixture(autouse=True)
def _database_backend(settings: object) -> None:
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_once_enqueues_the_follow_up_schedule_then_waits_a_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("run_scheduler", "--once")
    assert capsys.readouterr().out == f"Enqueued {FOLLOW_UPS}\n"
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [FOLLOW_UPS]
    call_command("run_scheduler", "--once")
    assert capsys.readouterr().out == ""
    assert DBTaskResult.objects.count() == 1


def test_a_task_is_due_again_once_its_interval_has_passed() -> None:
    schedule = (Periodic(FOLLOW_UPS, dt.timedelta(hours=6)),)
    now = timezone.now()
    assert enqueue_due(now, schedule) == [FOLLOW_UPS]
    assert enqueue_due(now + dt.timedelta(hours=5, minutes=59), schedule) == []
    assert enqueue_due(now + dt.timedelta(hours=6, minutes=1), schedule) == [FOLLOW_UPS]
    assert DBTaskResult.objects.count() == 2


def test_every_scheduled_task_names_a_real_task() -> None:
    from django.utils.module_loading import import_string

    for periodic in run_scheduler.SCHEDULE:
        assert import_string(periodic.task_path).module_path == periodic.task_path
