"""Which people and groups the time-to-employment and provider pages may show.

Aggregates of pseudonymised rows (`polku.evaluation.cohort.participant_frame`), published with
the disclosure control of the IPS outcomes (`polku.core.disclosure`,
`polku.ips.outcomes.selectors`), in three steps:

1. A group of 1–4 people in any breakdown the pages offer — gender, age band, provider,
   provider sector, programme — is left out of every figure, and the page names it (never its
   size). All five breakdowns are applied whatever the page compares by, so the people counted
   do not change with the choice: comparing the page by gender with the page by provider tells
   nothing about a small provider's people. Leaving a group out makes others smaller, so the
   groups are counted again until none is 1–4 (as `ips.outcomes.selectors.
   leave_out_small_groups`, here over a data frame).
2. Counts are protected with `disclosure.protect` (1–4 as "<5", and secondary suppression).
3. An estimate — a Kaplan–Meier curve, a median, a share, a rate with its interval — is shown
   only for a group of at least ESTIMATE_MINIMUM people. Ten, not five: a curve's steps and a
   rate's interval give the group's counts away, and with five people every step of a curve is
   one person's time to a job. Where the groups left without an estimate add up to fewer than
   ten people, the smallest group with an estimate loses it too (`estimable`), so that nothing
   subtracted from the total describes fewer than ten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Gender
from polku.core import disclosure
from polku.core.models import Sector
from polku.ips.outcomes.selectors import AGE_BANDS, GENDER_GROUPS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

THRESHOLD = disclosure.THRESHOLD
ESTIMATE_MINIMUM = 10

GENDER = "gender"
AGE_BAND = "age_band"
PROVIDER = "provider"
SECTOR = "provider_sector"
PROGRAMME = "programme"
# Every breakdown the pages offer, in the order the left-out note names them.
BREAKDOWNS = (GENDER, AGE_BAND, PROVIDER, SECTOR, PROGRAMME)

# The sectors as groups of providers, in the order of `Sector`.
SECTOR_GROUPS: tuple[tuple[str, StrOrPromise], ...] = (
    (Sector.PUBLIC, _("Public providers")),
    (Sector.PRIVATE, _("Private providers")),
    (Sector.THIRD_SECTOR, _("Third-sector providers")),
)
_BREAKDOWN_NAMES: dict[str, StrOrPromise] = {
    GENDER: _("gender"),
    AGE_BAND: _("age"),
    PROVIDER: _("provider"),
    SECTOR: _("provider sector"),
    PROGRAMME: _("programme"),
}


@dataclass(frozen=True)
class LeftOut:
    """A group of 1–4 people left out of every figure: its breakdown (a column of the frame),
    its key and its name. Its size is never told."""

    breakdown: str
    key: str
    label: StrOrPromise


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every breakdown column filled: an unknown gender counts as not stated,
    a provider without a sector as public (the organisation's default), a missing name as
    its code."""
    frame = frame.copy()
    frame[GENDER] = frame[GENDER].where(frame[GENDER].isin(Gender.values), Gender.NOT_DISCLOSED)
    frame[SECTOR] = frame[SECTOR].where(frame[SECTOR].isin(Sector.values), Sector.PUBLIC)
    frame[PROVIDER] = frame[PROVIDER].fillna("").astype(str)
    frame["programme_name"] = frame["programme_name"].fillna(frame[PROGRAMME]).astype(str)
    return frame


def leave_out_small_groups(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[LeftOut, ...]]:
    """The rows without those of any group of 1–4 people in any breakdown, and those groups.

    A frame of fewer than five rows is returned whole (the pages show no figures for it).
    What remains has every group of every breakdown either empty or of five or more.
    """
    if len(frame) < THRESHOLD:
        return frame, ()
    kept = frame
    small: set[tuple[str, str]] = set()
    while True:
        found = {
            (column, str(value))
            for column in BREAKDOWNS
            for value, count in kept[column].value_counts().items()
            if count < THRESHOLD
        }
        if not found:
            break
        small |= found
        drop = pd.Series(False, index=kept.index)
        for column, value in found:
            drop |= kept[column].astype(str) == value
        kept = kept[~drop]
    names = dict(zip(frame[PROGRAMME], frame["programme_name"], strict=True))
    left_out = [
        LeftOut(column, key, label)
        for column in BREAKDOWNS
        for key, label in labels(column, names, values=frame[column].astype(str).tolist())
        if (column, key) in small
    ]
    return kept.reset_index(drop=True), tuple(left_out)


def labels(
    column: str, programme_names: Mapping[str, str] | None = None, values: Sequence[str] = ()
) -> list[tuple[str, StrOrPromise]]:
    """The groups of a breakdown as (key, name), in the order the pages list them: genders,
    age bands and sectors in their fixed order, providers and programmes by name. For
    providers and programmes the keys are `values` (or those of `programme_names`)."""
    if column == GENDER:
        return list(GENDER_GROUPS)
    if column == AGE_BAND:
        return [(key, label) for key, label, _low, _high in AGE_BANDS]
    if column == SECTOR:
        return list(SECTOR_GROUPS)
    if column == PROGRAMME:
        names = programme_names or {}
        return sorted(((code, names.get(code, code)) for code in names), key=lambda p: p[1])
    return [(value, value) for value in sorted(set(values))] if values else []


def left_out_note(left_out: Sequence[LeftOut]) -> str | None:
    """The sentence that names the groups left out, in the active language; None if none is.
    Providers are organisations, so naming one tells nothing about a person."""
    if not left_out:
        return None
    parts = []
    for column in BREAKDOWNS:
        names = ", ".join(
            str(g.label) if column in (PROVIDER, PROGRAMME) else str(g.label).lower()
            for g in left_out
            if g.breakdown == column
        )
        if names:
            parts.append(
                gettext("%(breakdown)s %(groups)s")
                % {"breakdown": _BREAKDOWN_NAMES[column], "groups": names}
            )
    return gettext(
        "Groups of fewer than %(threshold)s people — here: %(groups)s — are left out of every "
        "figure."
    ) % {"threshold": THRESHOLD, "groups": "; ".join(parts)}


def estimable(sizes: Mapping[str, int]) -> set[str]:
    """The groups (by key, with their sizes) whose estimates may be shown beside the total's:
    those of ESTIMATE_MINIMUM or more, less the smallest of them while the groups left without
    an estimate add up to 1–9 people (a figure for them could be worked out from the total)."""
    shown = {key for key, size in sizes.items() if size >= ESTIMATE_MINIMUM}
    while shown:
        hidden = sum(size for key, size in sizes.items() if key not in shown)
        if hidden == 0 or hidden >= ESTIMATE_MINIMUM:
            break
        shown.remove(min(shown, key=lambda key: (sizes[key], key)))
    return shown
