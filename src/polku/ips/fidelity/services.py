"""Writes of fidelity reviews: open one, score its items, complete it.

A review covers one programme and a period. Opening it creates all 25 item rows with what the
data suggests (`indicators.compute`) and no score: the reviewers decide every score (IPS.md),
so nothing fills a score for them. A review is completed only when every item is scored, and a
completed review no longer changes. Programme managers and evaluators review
(`roles.FIDELITY_REVIEWER_ROLES`), and only in the organisation that opened the review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.models import Programme
from polku.core import audit, roles
from polku.core.models import Membership
from polku.ips.fidelity import indicators
from polku.ips.fidelity.bands import MAX_SCORE, MIN_SCORE
from polku.ips.fidelity.items import ITEM_NUMBERS
from polku.ips.models import FidelityReview, FidelityScore, IpsCase, ReviewStatus

REVIEWERS_MAX_LENGTH = 300
EVIDENCE_MAX_LENGTH = 5000
NOTES_MAX_LENGTH = 10000


@dataclass(frozen=True)
class ScoreInput:
    """One item's score (None: not scored yet) and evidence, as the reviewers entered them."""

    item: int
    score: int | None
    evidence: str = ""


def can_review(actor: Membership) -> bool:
    """Whether `actor`'s role opens and scores fidelity reviews."""
    return actor.role in roles.FIDELITY_REVIEWER_ROLES


def can_edit(actor: Membership, review: FidelityReview) -> bool:
    """Whether `actor` may score or complete `review`: a reviewer of the organisation that
    opened it, while it is a draft."""
    return (
        can_review(actor)
        and review.organisation_id == actor.organisation_id
        and review.status == ReviewStatus.DRAFT
    )


def period_errors(start: dt.date, end: dt.date, *, today: dt.date) -> dict[str, str]:
    """What is wrong with a period to compute or review, by field (`period_start`,
    `period_end`); empty when nothing is.

    A period is whole calendar months: it starts on the first day of a month and ends on the
    last day of a month, or today for the running month; it lasts at least three months and
    at most three years. Periods a day apart would let anyone work out a single client's
    records by subtracting one period's figures from the other's.
    """
    errors: dict[str, str] = {}
    if start.day != 1:
        errors["period_start"] = _("Start the period on the first day of a month.")
    if end < start:
        errors["period_end"] = _("The period must end on or after the day it starts.")
    elif end > today:
        errors["period_end"] = _("The period cannot end after today.")
    elif end not in (today, indicators.last_day_of_month(end)):
        errors["period_end"] = _("End the period on the last day of a month, or today.")
    if errors:
        return errors
    if end < indicators.add_months(start, indicators.MIN_PERIOD_MONTHS) - dt.timedelta(days=1):
        return {"period_start": _("The period must be at least three months long.")}
    if end >= indicators.add_months(start, indicators.MAX_PERIOD_MONTHS):
        return {"period_start": _("The period can be at most three years long.")}
    return {}


# Control characters (Unicode category Cc) other than tab, line feed and carriage return: they
# have no place in text people type, and a spreadsheet cannot hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_errors(field: str, value: str, limit: int) -> dict[str, str]:
    """What is wrong with a text input, by field: too long, or control characters."""
    if len(value) > limit:
        return {field: _("Use at most %(limit)d characters.") % {"limit": limit}}
    if CONTROL_CHARACTERS.search(value):
        return {
            field: _("The text contains invisible control characters. Remove them and try again.")
        }
    return {}


def _require_editable(actor: Membership, review: FidelityReview) -> None:
    if not can_review(actor) or review.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(
            _("This review has been completed and can no longer be changed."), code="completed"
        )


@transaction.atomic
def fidelity_review_create(
    *,
    actor: Membership,
    programme: Programme,
    review_date: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    reviewers: str,
    notes: str = "",
) -> FidelityReview:
    """Open a draft review of `programme` over the period, with the data's suggestions.

    Creates the review and its 25 item rows, each with `suggested` from the indicators computed
    now and no score. Raises PermissionDenied for a role that does not review, ValidationError
    (by field) for a programme without IPS cases, a period that is not whole months of at least
    three and at most 36 (`period_errors`), a review date before the period's end, no reviewers
    named, or text too long or with control characters. Nothing is written then.
    """
    if not can_review(actor):
        raise PermissionDenied
    today = timezone.localdate()
    errors = period_errors(period_start, period_end, today=today)
    reviewers = reviewers.strip()
    if not reviewers:
        errors["reviewers"] = _("Name the reviewers.")
    errors |= text_errors("reviewers", reviewers, REVIEWERS_MAX_LENGTH)
    if "period_end" not in errors and review_date < period_end:
        errors["review_date"] = _("The review cannot be dated before the end of its period.")
    errors |= text_errors("notes", notes, NOTES_MAX_LENGTH)
    if not IpsCase.objects.filter(episode__programme=programme).exists():
        errors["programme"] = _("The programme has no IPS cases to review.")
    if errors:
        raise ValidationError(errors)
    suggestions = indicators.compute(programme, period_start, period_end).suggestions()
    with audit.acting(actor):
        review = FidelityReview.objects.create(
            programme=programme,
            review_date=review_date,
            period_start=period_start,
            period_end=period_end,
            reviewers=reviewers,
            notes=notes,
            organisation_id=actor.organisation_id,
            created_by=actor,
        )
        for number in ITEM_NUMBERS:
            FidelityScore.objects.create(
                review=review, item=number, suggested=suggestions.get(number)
            )
    return review


def _check_scores(entries: list[ScoreInput]) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for entry in entries:
        if entry.item not in ITEM_NUMBERS or entry.item in seen:
            errors["scores"] = _("Give each item from 1 to 25 at most once.")
            continue
        seen.add(entry.item)
        if entry.score is not None and not MIN_SCORE <= entry.score <= MAX_SCORE:
            errors[f"score_{entry.item}"] = _("Score the item from 1 to 5, or leave it empty.")
        errors |= text_errors(f"evidence_{entry.item}", entry.evidence, EVIDENCE_MAX_LENGTH)
    return errors


@transaction.atomic
def fidelity_scores_update(
    *,
    actor: Membership,
    review: FidelityReview,
    scores: Iterable[ScoreInput],
    notes: str | None = None,
) -> FidelityReview:
    """Record the reviewers' scores and evidence for the items given (others keep theirs),
    and the summary `notes` when given.

    Raises PermissionDenied unless `actor` reviews in the review's organisation;
    ValidationError when the review is completed, or by field (`score_<n>`, `evidence_<n>`,
    `scores`, `notes`) for a score outside 1–5, evidence or notes too long or with control
    characters, or an item outside 1–25 or given twice. Nothing is written then. Only rows
    that change are saved.
    """
    review = FidelityReview.objects.select_for_update().get(pk=review.pk)
    _require_editable(actor, review)
    entries = list(scores)
    errors = _check_scores(entries)
    if notes is not None:
        errors |= text_errors("notes", notes, NOTES_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    rows = {row.item: row for row in review.scores.all()}
    with audit.acting(actor):
        for entry in entries:
            row = rows[entry.item]
            evidence = entry.evidence.strip()
            if row.score != entry.score or row.evidence != evidence:
                row.score = entry.score
                row.evidence = evidence
                row.save(update_fields=["score", "evidence"])
        if notes is not None and notes.strip() != review.notes:
            review.notes = notes.strip()
            review.save(update_fields=["notes"])
    return review


@transaction.atomic
def fidelity_review_complete(*, actor: Membership, review: FidelityReview) -> FidelityReview:
    """Complete `review`: from now on it is read-only and counts in the programme's history.

    Raises PermissionDenied unless `actor` reviews in the review's organisation, and
    ValidationError (code "unscored", naming the items) while any item has no score, or when
    the review is already completed.
    """
    review = FidelityReview.objects.select_for_update().get(pk=review.pk)
    _require_editable(actor, review)
    missing = list(
        review.scores.filter(score__isnull=True).order_by("item").values_list("item", flat=True)
    )
    if missing:
        raise ValidationError(
            _("Score every item before completing the review. Not scored yet: %(items)s.")
            % {"items": ", ".join(str(n) for n in missing)},
            code="unscored",
        )
    with audit.acting(actor):
        review.status = ReviewStatus.COMPLETED
        review.completed_at = timezone.now()
        review.save(update_fields=["status", "completed_at"])
    return review
