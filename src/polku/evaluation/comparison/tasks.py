"""Background job: one run of the estimators (ARCHITECTURE.md: heavy statistics never run in a
request). Queued by `services.run_request` once its transaction commits, on a queue of its own
("evaluation", `settings.TASKS`): a long run does not hold up the follow-up scheduler's jobs
where workers are given queues of their own (`polku db_worker --queue-name evaluation`)."""

from __future__ import annotations

from django_tasks import task

from polku.evaluation.comparison import services

QUEUE = "evaluation"


@task(queue_name=QUEUE)
def comparison_run(run_id: int, membership_id: int, language: str) -> None:
    """Run the estimators for run `run_id` as `membership_id`, messages in `language`."""
    services.run_execute(run_id=run_id, membership_id=membership_id, language=language)
