"""Background job: one run of the estimators (ARCHITECTURE.md: heavy statistics never run in a
request). Queued by `services.run_request` once its transaction commits."""

from __future__ import annotations

from django_tasks import task

from polku.evaluation.comparison import services


@task()
def comparison_run(run_id: int, membership_id: int, language: str) -> None:
    """Run the estimators for run `run_id` as `membership_id`, messages in `language`."""
    services.run_execute(run_id=run_id, membership_id=membership_id, language=language)
