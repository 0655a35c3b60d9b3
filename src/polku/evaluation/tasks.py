"""Background jobs of the evaluation app (django-tasks; `polku db_worker` runs them)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from polku.evaluation.services.outcomes import schedule_follow_ups

logger = logging.getLogger(__name__)


@task()
def schedule_follow_ups_task() -> int:
    """Create the outcome rows that have fallen due (exit, 6 and 12 months); return how many.
    Enqueued daily by `polku run-scheduler`; idempotent, so an extra run does no harm."""
    created = schedule_follow_ups(today=timezone.localdate())
    logger.info("Scheduled %s outcome follow-ups", created)
    return created
