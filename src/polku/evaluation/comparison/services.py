"""Writes of the comparison area: queue a run of the estimators, and record its outcome.

The import of a group is `importer.comparison_group_import`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.comparison import parameters as run_parameters
from polku.evaluation.comparison.estimate import estimate
from polku.evaluation.comparison.frames import frames
from polku.evaluation.estimators import EstimationError
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus

logger = logging.getLogger(__name__)

# A run still waiting or running after this long is taken as lost (its worker stopped), so it
# no longer blocks a new one.
LOST_AFTER = dt.timedelta(hours=1)
PENDING = (RunStatus.QUEUED, RunStatus.RUNNING)


def require_evaluator(actor: Membership, group: ComparisonGroup) -> None:
    """PermissionDenied unless `actor` may evaluate the group's programme."""
    if (
        not cohort.can_evaluate(actor)
        or not cohort.evaluation_programmes(actor).filter(pk=group.programme_id).exists()
    ):
        raise PermissionDenied


@transaction.atomic
def run_request(
    *, actor: Membership, group: ComparisonGroup, parameters: Mapping[str, Any]
) -> ComparisonRun:
    """Queue a run of the estimators on `group` with `parameters` (`parameters.clean`).

    Returns the queued run; the background job (`tasks.comparison_run`) is enqueued when the
    transaction commits, and stores the result or a user-facing error on the run. Raises
    PermissionDenied for a membership that may not evaluate, ValidationError by field for
    faulty parameters, and ValidationError (code "run_pending") while another run of the group
    waits or runs. Nothing is written when it raises.
    """
    require_evaluator(actor, group)
    cleaned = run_parameters.clean(parameters)
    # Lock the group so that two requests at once cannot both queue a run.
    ComparisonGroup.objects.select_for_update().filter(pk=group.pk).first()
    if group.runs.filter(
        status__in=PENDING, requested_at__gte=timezone.now() - LOST_AFTER
    ).exists():
        raise ValidationError(
            _("A run of this group is already waiting or running. Wait for it to finish."),
            code="run_pending",
        )
    run = ComparisonRun.objects.create(group=group, parameters=cleaned, requested_by=actor.user)
    language = translation.get_language() or settings.LANGUAGE_CODE
    # Imported here: the task module imports this one.
    from polku.evaluation.comparison.tasks import comparison_run  # noqa: PLC0415

    transaction.on_commit(lambda: comparison_run.enqueue(run.pk, actor.pk, language))
    return run


def run_execute(*, run_id: int, membership_id: int, language: str) -> None:
    """Run the estimators for a queued run and store its result or error (the background job).

    A run that is not queued (done already, or gone) is left alone. The result is computed as
    the membership that asked, which must still be allowed to evaluate; messages are in the
    language of the page that asked. A refusal of the estimators (too few rows, say) is stored
    as the run's error; an unexpected failure is logged by run id and stored as a general
    message, so the page never waits for ever.
    """
    claimed = ComparisonRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING
    )
    if not claimed:
        return
    run = ComparisonRun.objects.select_related("group__programme").get(pk=run_id)
    actor = Membership.objects.select_related("user").filter(pk=membership_id).first()
    with translation.override(language):
        result: dict[str, Any] | None = None
        error = ""
        try:
            if actor is None or not actor.is_active():
                raise PermissionDenied
            require_evaluator(actor, run.group)
            prepared = frames(
                actor,
                run.group,
                outcome=run.parameters["outcome"],
                covariates=run.parameters["covariates"],
            )
            result = estimate(prepared, run.parameters)
        except PermissionDenied:
            error = _("The person who asked for this run may no longer evaluate the programme.")
        except EstimationError as refusal:
            error = str(refusal)
        except Exception:
            logger.exception("Comparison run %s failed", run_id)
            error = _("The run failed because of an error in Polku. The error has been logged.")
    run.status = RunStatus.FAILED if error else RunStatus.DONE
    run.result, run.error, run.finished_at = result, error, timezone.now()
    run.save(update_fields=["status", "result", "error", "finished_at"])
