"""The data the estimators see: the programme's participants (treated) beside the comparison
group's members (control), with the same columns, pseudonymous and without ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from polku.clients.models import Gender
from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.models import ComparisonGroup

TREATED = "treated"
WOMAN = "woman"
BEFORE, AFTER = "months_employed_before", "months_employed_after"
# The columns both sides carry, as the participants' frame names them.
SHARED = (
    "gender",
    "age",
    "months_unemployed",
    "isced_level",
    "months_employed_before",
    "months_employed_after",
    "employed_6m",
    "employed_12m",
)


def covariate_column(name: str) -> str:
    """The frame's column for a covariate: gender enters the model as "is a woman" (0/1)."""
    return WOMAN if name == "gender" else name


@dataclass(frozen=True)
class Frames:
    """The rows for matching (complete on the outcome and covariates) and for the
    difference-in-differences (complete on months in work before and after), and how many
    rows of each side were left out of the matching for missing values, and how many of those
    are women (for the disclosure control of the balance table's share of women, `results`)."""

    matching: pd.DataFrame
    did: pd.DataFrame
    participants: int
    members: int
    dropped_treated: int
    dropped_control: int
    women_dropped_treated: int = 0
    women_dropped_control: int = 0


def both_sides(viewer: Membership, group: ComparisonGroup) -> pd.DataFrame:
    """Participants of the group's programme (treated 1) and the group's members (treated 0).

    Raises PermissionDenied unless the viewer may evaluate (`cohort.participant_frame`).
    """
    participants = cohort.participant_frame(viewer, programmes=[group.programme])
    treated = _numeric(participants.loc[:, list(SHARED)].copy())
    treated[TREATED] = 1
    members = _numeric(
        pd.DataFrame.from_records(list(group.members.values_list(*SHARED)), columns=list(SHARED))
    )
    members[TREATED] = 0
    frame = pd.concat([treated, members], ignore_index=True)
    frame[WOMAN] = (frame["gender"] == Gender.WOMAN).astype(float)
    return frame


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Every shared column but gender as floats: None (not known) becomes NaN, booleans 1.0
    and 0.0, as the participants' are."""
    for column in SHARED:
        if column != "gender":
            frame[column] = pd.to_numeric(frame[column].astype("object"), errors="coerce").astype(
                float
            )
    frame["gender"] = frame["gender"].astype("object")
    return frame


def frames(
    viewer: Membership, group: ComparisonGroup, *, outcome: str, covariates: Sequence[str]
) -> Frames:
    """Both sides, cut to the rows each estimator can use."""
    frame = both_sides(viewer, group)
    columns = [covariate_column(name) for name in covariates]
    complete = frame[[outcome, *columns]].notna().all(axis=1)
    treated = frame[TREATED] == 1
    woman = frame[WOMAN] == 1
    matching = frame.loc[complete, [TREATED, outcome, *columns]].reset_index(drop=True)
    did = frame.loc[frame[[BEFORE, AFTER]].notna().all(axis=1), [TREATED, BEFORE, AFTER]]
    return Frames(
        matching=matching,
        did=did.reset_index(drop=True),
        participants=int(treated.sum()),
        members=int((~treated).sum()),
        dropped_treated=int((treated & ~complete).sum()),
        dropped_control=int((~treated & ~complete).sum()),
        women_dropped_treated=int((treated & ~complete & woman).sum()),
        women_dropped_control=int((~treated & ~complete & woman).sum()),
    )
