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
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.core.models import Membership
from polku.evaluation.comparison import access
from polku.evaluation.comparison import parameters as run_parameters
from polku.evaluation.comparison.estimate import estimate
from polku.evaluation.comparison.frames import frames
from polku.evaluation.estimators import EstimationError
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus

logger = logging.getLogger(__name__)

# A run still running this long after it was asked for is taken as lost (its worker stopped):
# it no longer blocks a new one and is marked failed when a new one is queued. The model has no
# start time, so the time is measured from `requested_at`, and only for runs the worker has
# claimed (status running, not finished): a queued run has not started, and taking it as lost
# would let a new run be queued while the old one still waits to run later. A queued run waits
# for the worker however long that takes.
LOST_AFTER = dt.timedelta(hours=1)
PENDING = (RunStatus.QUEUED, RunStatus.RUNNING)
# Runs one membership may have waiting or running at once, over all groups: the runs share one
# worker, so one person cannot fill its queue.
MAX_PENDING_PER_MEMBERSHIP = 2


def require_evaluator(actor: Membership, group: ComparisonGroup) -> None:
    """PermissionDenied unless `actor` may evaluate the group's programme and is of the
    organisation that runs it (`access`)."""
    access.require_programme(actor, group.programme_id)


def lost(now: dt.datetime | None = None) -> Q:
    """The runs taken as lost: claimed by a worker (running, not finished) and asked for more
    than LOST_AFTER ago."""
    now = now or timezone.now()
    return Q(status=RunStatus.RUNNING, finished_at__isnull=True, requested_at__lt=now - LOST_AFTER)


def _pending(runs: QuerySet[ComparisonRun], now: dt.datetime) -> QuerySet[ComparisonRun]:
    return runs.filter(status__in=PENDING).exclude(lost(now))


@transaction.atomic
def run_request(
    *, actor: Membership, group: ComparisonGroup, parameters: Mapping[str, Any]
) -> ComparisonRun:
    """Queue a run of the estimators on `group` with `parameters` (`parameters.clean`).

    Returns the queued run; the background job (`tasks.comparison_run`) is enqueued when the
    transaction commits, and stores the result or a user-facing error on the run. Raises
    PermissionDenied for a membership that may not evaluate the group's programme, ValidationError
    by field for faulty parameters, ValidationError (code "run_pending") while another run of the
    group waits or runs, and ValidationError (code "too_many_runs") while the membership has
    MAX_PENDING_PER_MEMBERSHIP runs waiting or running. Nothing is written when it raises. Runs
    of the group that are lost (`lost`) are marked failed, so that they cannot be finished later.
    """
    require_evaluator(actor, group)
    cleaned = run_parameters.clean(parameters)
    # Lock the group and the membership so that two requests at once cannot both queue a run.
    ComparisonGroup.objects.select_for_update().filter(pk=group.pk).first()
    Membership.objects.select_for_update().filter(pk=actor.pk).first()
    now = timezone.now()
    if _pending(group.runs.all(), now).exists():
        raise ValidationError(
            _("A run of this group is already waiting or running. Wait for it to finish."),
            code="run_pending",
        )
    mine = ComparisonRun.objects.filter(
        requested_by=actor.user_id, group__programme__organisation=actor.organisation_id
    )
    if _pending(mine, now).count() >= MAX_PENDING_PER_MEMBERSHIP:
        raise ValidationError(
            _(
                "You already have %(count)d runs waiting or running. Wait for one of them to "
                "finish before you start another."
            )
            % {"count": MAX_PENDING_PER_MEMBERSHIP},
            code="too_many_runs",
        )
    group.runs.filter(lost(now)).update(
        status=RunStatus.FAILED,
        error=_("The run was lost: it did not finish within an hour. Start it again."),
        finished_at=now,
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
    message, so the page never waits for ever. A run marked lost while it ran keeps that.
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
    # Only a run still running is finished: one taken as lost meanwhile stays failed.
    ComparisonRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED if error else RunStatus.DONE,
        result=result,
        error=error,
        finished_at=timezone.now(),
    )
