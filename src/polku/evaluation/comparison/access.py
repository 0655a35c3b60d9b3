"""Who may work with comparison groups: programme managers and evaluators of the organisation
that runs the programme.

A comparison group is that organisation's register extract, set beside its own participants:
other organisations' evaluators may not import for its programmes, queue runs on its groups or
read them (`selectors.comparison_groups`), although the cross-organisation aggregates of the
evaluation pages (`cohort.evaluation_programmes`) stay open to them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from polku.clients.models import Programme
from polku.core.models import Membership
from polku.evaluation import cohort


def comparison_programmes(viewer: Membership) -> QuerySet[Programme]:
    """The programmes whose comparison groups `viewer` may import, run and read: those its
    organisation runs, for a programme manager or an evaluator; none for anyone else."""
    return cohort.evaluation_programmes(viewer).filter(organisation_id=viewer.organisation_id)


def require_programme(actor: Membership, programme_id: int) -> None:
    """PermissionDenied unless `actor` may work with comparison groups of the programme."""
    if not cohort.can_evaluate(actor) or not (
        comparison_programmes(actor).filter(pk=programme_id).exists()
    ):
        raise PermissionDenied
