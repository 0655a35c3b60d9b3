"""The participants of one or more programmes as a pseudonymised data frame for the estimators.

A participant is a person in a programme (ESF+, ../shared/domain/ESF_INDICATORS.md): someone who
took part several times counts once, with the entry data of the first entry and the leaving date
of the final exit; the provider is the organisation responsible for the last episode. The frame
names nobody — no client id, name or identity code — so the estimators and the pages built on it
see pseudonymised rows only, and nothing is written to the read-access log (aggregates, as
`polku.ips.outcomes.selectors`). Pages must still apply disclosure control to what they show.

Time to first job: a job is a placement recorded in Polku starting on or after the entry date and
at the latest 28 days after the exit (the ESF+ reference period for results at leaving). Whoever
has none is censored at the exit, or at `as_of` while still taking part.

Five queries, whatever the number of participants: episodes, entry data, placements, outcomes, and
the programmes' names.

`leave_out_small_groups` is the one leave-out step of every page built on the frame (the
dashboard, time to employment, providers): whatever a page shows, it counts the same people, so
subtracting one page's total from another's, or one period's from another's, singles out no
small group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Episode, Gender, Programme
from polku.core import disclosure
from polku.core.models import Membership, Sector
from polku.core.roles import Role
from polku.evaluation.models import EMPLOYED_STATUSES, EntryData, Outcome, OutcomePoint
from polku.evaluation.models.outcomes import OutcomeStatus
from polku.ips.models import JobPlacement
from polku.ips.outcomes.selectors import AGE_BANDS, GENDER_GROUPS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EVALUATION_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.EVALUATOR})

# Days after the exit within which a job still counts as found in the programme (ESF+: the
# four weeks after leaving).
AFTER_EXIT_DAYS = 28
# Long-term unemployed (ESF_INDICATORS.md): more than 12 continuous months, more than 6 under 25.
LONG_TERM_MONTHS = 12
LONG_TERM_MONTHS_YOUNG = 6
YOUNG_BELOW_AGE = 25
FOLLOW_MONTHS_AFTER_ENTRY = 12

COLUMNS = (
    "programme",
    "programme_name",
    "provider",
    "provider_sector",
    "gender",
    "age",
    "age_band",
    "entry_date",
    "exit_date",
    "end_reason",
    "months_unemployed",
    "long_term_unemployed",
    "days_on_subsidy",
    "isced_level",
    "labour_market_status",
    "months_employed_before",
    "first_job_date",
    "job_found",
    "days_to_job",
    "exit_status",
    "status_6m",
    "status_12m",
    "employed_at_exit",
    "work_or_training_at_exit",
    "employed_6m",
    "employed_12m",
    "months_employed_after",
)


def can_evaluate(viewer: Membership) -> bool:
    return viewer.role in EVALUATION_ROLES


def evaluation_programmes(viewer: Membership) -> QuerySet[Programme]:
    """The programmes the viewer may evaluate: all of them for the evaluation roles (the
    figures are aggregates across organisations), none for anyone else."""
    if not can_evaluate(viewer):
        return Programme.objects.none()
    return Programme.objects.order_by("name")


def participant_frame(
    viewer: Membership,
    *,
    programmes: Sequence[Programme],
    entry_from: dt.date | None = None,
    entry_to: dt.date | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per participant of `programmes` whose first entry is in [entry_from, entry_to]."""
    if not can_evaluate(viewer):
        raise PermissionDenied
    as_of = as_of or timezone.localdate()
    episodes = _episodes(programmes, as_of)
    if episodes.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in COLUMNS})
    people = _participants(episodes)
    if entry_from is not None:
        people = people[people["entry_date"] >= pd.Timestamp(entry_from)]
    if entry_to is not None:
        people = people[people["entry_date"] <= pd.Timestamp(entry_to)]
    people = people.reset_index(drop=True)
    # The episodes as a subquery, not a list of ids: an IN list of 100 000 ids is slow to send
    # and to plan.
    in_scope = Episode.objects.filter(
        programme__in=[p.pk for p in programmes], start_date__lte=as_of
    )
    people = _with_entry_data(people, in_scope)
    people = _with_jobs(people, in_scope, pd.Timestamp(as_of))
    people = _with_outcomes(people, in_scope)
    names = dict(
        Programme.objects.filter(pk__in=[p.pk for p in programmes]).values_list("code", "name")
    )
    people["programme_name"] = people["programme"].map(names)
    return people.loc[:, list(COLUMNS)]


def _episodes(programmes: Sequence[Programme], as_of: dt.date) -> pd.DataFrame:
    rows = Episode.objects.filter(
        programme__in=[p.pk for p in programmes], start_date__lte=as_of
    ).values_list(
        "id",
        "client_id",
        "programme__code",
        "organisation__name",
        "organisation__sector",
        "start_date",
        "end_date",
        "end_reason",
        "months_unemployed",
        "days_on_labour_market_subsidy",
        "client__gender",
        "client__date_of_birth",
    )
    frame = pd.DataFrame.from_records(
        list(rows),
        columns=[
            "episode_id",
            "client_id",
            "programme",
            "provider",
            "provider_sector",
            "start_date",
            "end_date",
            "end_reason",
            "months_unemployed",
            "days_on_subsidy",
            "gender",
            "born",
        ],
    )
    for column in ("start_date", "end_date", "born"):
        frame[column] = pd.to_datetime(frame[column])
    # As text: pandas sorts and groups UUID objects one Python comparison at a time.
    frame["client_id"] = frame["client_id"].astype(str)
    # An episode ending after `as_of` was still open then.
    frame.loc[frame["end_date"] > pd.Timestamp(as_of), ["end_date", "end_reason"]] = [pd.NaT, ""]
    return frame


def _participants(episodes: pd.DataFrame) -> pd.DataFrame:
    ordered = episodes.sort_values(["client_id", "programme", "start_date"])
    grouped = ordered.groupby(["client_id", "programme"], sort=False)
    first = grouped.head(1).set_index(["client_id", "programme"])
    last = grouped.tail(1).set_index(["client_id", "programme"])
    keys = [ordered["client_id"], ordered["programme"]]
    still_in = ordered["end_date"].isna().groupby(keys, sort=False).any()
    people = pd.DataFrame(
        {
            "first_episode": first["episode_id"],
            "last_episode": last["episode_id"],
            "provider": last["provider"],
            "provider_sector": last["provider_sector"],
            "gender": first["gender"],
            "born": first["born"],
            "entry_date": first["start_date"],
            "exit_date": last["end_date"].where(~still_in),
            "end_reason": last["end_reason"].where(~still_in, ""),
            "months_unemployed": first["months_unemployed"].astype("float"),
            "days_on_subsidy": first["days_on_subsidy"].astype("float"),
        }
    ).reset_index()
    people["exit_date"] = pd.to_datetime(people["exit_date"])
    entry, born = people["entry_date"], people["born"]
    before_birthday = (entry.dt.month < born.dt.month) | (
        (entry.dt.month == born.dt.month) & (entry.dt.day < born.dt.day)
    )
    people["age"] = entry.dt.year - born.dt.year - before_birthday.astype(int)
    people["age_band"] = _age_bands(people["age"])
    return people.drop(columns=["born"])


def _age_bands(ages: pd.Series) -> pd.Series:
    bands = pd.Series(AGE_BANDS[0][0], index=ages.index, dtype="object")
    for key, _label, low, high in AGE_BANDS:
        inside = ages >= low if high is None else (ages >= low) & (ages <= high)
        bands[inside] = key
    return bands


def _with_entry_data(people: pd.DataFrame, in_scope: QuerySet[Episode]) -> pd.DataFrame:
    rows = EntryData.objects.filter(episode__in=in_scope.values("pk")).values_list(
        "episode_id", "labour_market_status", "isced_level", "months_employed_before"
    )
    entry = pd.DataFrame.from_records(
        list(rows),
        columns=["first_episode", "labour_market_status", "isced_level", "months_employed_before"],
    )
    people = people.merge(entry, on="first_episode", how="left")
    people["labour_market_status"] = people["labour_market_status"].fillna("")
    people["isced_level"] = people["isced_level"].astype("float")
    people["months_employed_before"] = people["months_employed_before"].astype("float")
    threshold = np.where(people["age"] < YOUNG_BELOW_AGE, LONG_TERM_MONTHS_YOUNG, LONG_TERM_MONTHS)
    # Without entry data the months unemployed decide; inactive or employed people are not
    # unemployed at all.
    unemployed = people["labour_market_status"].isin(["", "unemployed"])
    people["long_term_unemployed"] = unemployed & (people["months_unemployed"] > threshold)
    return people


def _with_jobs(
    people: pd.DataFrame, in_scope: QuerySet[Episode], as_of: pd.Timestamp
) -> pd.DataFrame:
    clients = in_scope.values("client_id")
    rows = JobPlacement.objects.filter(client_id__in=clients, start_date__lte=as_of).values_list(
        "client_id", "start_date", "end_date"
    )
    jobs = pd.DataFrame.from_records(list(rows), columns=["client_id", "job_start", "job_end"])
    jobs["client_id"] = jobs["client_id"].astype(str)
    jobs["job_start"] = pd.to_datetime(jobs["job_start"])
    jobs["job_end"] = pd.to_datetime(jobs["job_end"])
    pairs = people[["client_id", "programme", "entry_date", "exit_date"]].merge(
        jobs, on="client_id", how="inner"
    )
    latest = pairs["exit_date"] + pd.Timedelta(days=AFTER_EXIT_DAYS)
    counted = pairs[
        (pairs["job_start"] >= pairs["entry_date"])
        & (pairs["exit_date"].isna() | (pairs["job_start"] <= latest))
    ]
    first = counted.groupby(["client_id", "programme"])["job_start"].min().rename("first_job_date")
    people = people.merge(first, left_on=["client_id", "programme"], right_index=True, how="left")
    people["job_found"] = people["first_job_date"].notna().astype(int)
    censored_at = people["exit_date"].fillna(as_of).clip(upper=as_of)
    end = people["first_job_date"].fillna(censored_at)
    people["days_to_job"] = (end - people["entry_date"]).dt.days.astype("float")
    people["months_employed_after"] = _months_employed_after(people, pairs, as_of)
    return people


def _months_employed_after(
    people: pd.DataFrame, pairs: pd.DataFrame, as_of: pd.Timestamp
) -> pd.Series:
    """Of the 12 months after entry, in how many the person worked at least one day (any
    placement, in the programme or after it); NaN while the 12 months have not passed."""
    worked = pd.Series(0.0, index=people.index)
    if not pairs.empty:
        job_end = pairs["job_end"].fillna(as_of)
        slots = []
        for month in range(FOLLOW_MONTHS_AFTER_ENTRY):
            start = pairs["entry_date"] + pd.DateOffset(months=month)
            end = pairs["entry_date"] + pd.DateOffset(months=month + 1)
            slots.append(((pairs["job_start"] < end) & (job_end >= start)).rename(month))
        overlap = pd.concat([pairs[["client_id", "programme"]], pd.concat(slots, axis=1)], axis=1)
        per_person = overlap.groupby(["client_id", "programme"]).max().sum(axis=1)
        keys = pd.MultiIndex.from_frame(people[["client_id", "programme"]])
        worked = pd.Series(per_person.reindex(keys).fillna(0).to_numpy(), index=people.index)
    followed = people["entry_date"] + pd.DateOffset(months=FOLLOW_MONTHS_AFTER_ENTRY) <= as_of
    return worked.where(followed)


def _with_outcomes(people: pd.DataFrame, in_scope: QuerySet[Episode]) -> pd.DataFrame:
    rows = (
        Outcome.objects.filter(episode__in=in_scope.values("pk"))
        .exclude(status="")
        .values_list("episode_id", "point", "status", "in_education")
    )
    outcomes = pd.DataFrame.from_records(
        list(rows), columns=["last_episode", "point", "status", "in_education"]
    )
    for point, column in (
        (OutcomePoint.EXIT, "exit_status"),
        (OutcomePoint.MONTH_6, "status_6m"),
        (OutcomePoint.MONTH_12, "status_12m"),
    ):
        at = outcomes[outcomes["point"] == point].set_index("last_episode")
        people[column] = people["last_episode"].map(at["status"]).fillna("")
        if point == OutcomePoint.EXIT:
            people["_in_education"] = people["last_episode"].map(at["in_education"])
    employed = {str(status) for status in EMPLOYED_STATUSES}
    # A recorded "unknown" counts as not employed, as in the ESF+ counts; not recorded is NaN.
    people["employed_at_exit"] = _flag(people["exit_status"], people["exit_status"].isin(employed))
    in_training = (people["exit_status"] == OutcomeStatus.EDUCATION) | people["_in_education"].eq(
        True
    )
    people["work_or_training_at_exit"] = _flag(
        people["exit_status"], people["exit_status"].isin(employed) | in_training
    )
    people["employed_6m"] = _flag(people["status_6m"], people["status_6m"].isin(employed))
    people["employed_12m"] = _flag(people["status_12m"], people["status_12m"].isin(employed))
    return people.drop(columns=["_in_education"])


def _flag(status: pd.Series, condition: pd.Series) -> pd.Series:
    return condition.astype(float).where(status != "")


# The breakdowns of the leave-out step: columns of the frame, and the calendar month of entry
# ("YYYY-MM", worked out from `entry_date`), in the order the left-out note names them.
GENDER = "gender"
AGE_BAND = "age_band"
PROVIDER = "provider"
SECTOR = "provider_sector"
PROGRAMME = "programme"
ENTRY_MONTH = "entry_month"
BREAKDOWNS = (GENDER, AGE_BAND, PROVIDER, SECTOR, PROGRAMME, ENTRY_MONTH)

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
    ENTRY_MONTH: _("entry month"),
}


@dataclass(frozen=True)
class LeftOut:
    """A group of 1–4 people left out of every figure: its breakdown (one of BREAKDOWNS), its
    key and its name. Its size is never told."""

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


def _entry_months(frame: pd.DataFrame) -> pd.Series:
    # An empty frame's columns are plain objects, not dates.
    return pd.to_datetime(frame["entry_date"]).dt.strftime("%Y-%m").astype(str)


def _month_name(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return formats.date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT")


_lazy_month_name = lazy(_month_name, str)


def leave_out_small_groups(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[LeftOut, ...]]:
    """The rows (`normalised`) without those of any group of 1–4 people in any of BREAKDOWNS,
    and those groups — the one leave-out step of every page built on the participant frame.

    The calendar month of entry is a breakdown: people who entered in a month with 1–4
    entrants (of the programmes in the frame) are left out, so that two periods differing by
    such a month show the same figures. Leaving a group out makes others smaller, so the
    groups are counted again until none is 1–4; what remains has every group of every
    breakdown either empty or of five or more. A frame of fewer than five rows is returned
    whole (the pages show no figures for it).
    """
    frame = normalised(frame)
    if len(frame) < disclosure.THRESHOLD:
        return frame.reset_index(drop=True), ()
    keys = pd.DataFrame(
        {column: frame[column].astype(str) for column in BREAKDOWNS if column != ENTRY_MONTH}
    )
    keys[ENTRY_MONTH] = _entry_months(frame)
    kept = keys
    small: set[tuple[str, str]] = set()
    while True:
        found = {
            (column, str(value))
            for column in BREAKDOWNS
            for value, count in kept[column].value_counts().items()
            if count < disclosure.THRESHOLD
        }
        if not found:
            break
        small |= found
        drop = pd.Series(False, index=kept.index)
        for column, value in found:
            drop |= kept[column] == value
        kept = kept[~drop]
    names = dict(zip(frame[PROGRAMME], frame["programme_name"], strict=True))
    left_out = [
        LeftOut(column, key, label)
        for column in BREAKDOWNS
        for key, label in labels(column, names, values=keys[column].tolist())
        if (column, key) in small
    ]
    return frame.loc[kept.index].reset_index(drop=True), tuple(left_out)


def labels(
    column: str, programme_names: Mapping[str, str] | None = None, values: Sequence[str] = ()
) -> list[tuple[str, StrOrPromise]]:
    """The groups of a breakdown as (key, name), in the order the pages list them: genders,
    age bands and sectors in their fixed order, providers and programmes by name, months in
    time. For providers and months the keys are `values`; for programmes those of
    `programme_names`."""
    if column == GENDER:
        return list(GENDER_GROUPS)
    if column == AGE_BAND:
        return [(key, label) for key, label, _low, _high in AGE_BANDS]
    if column == SECTOR:
        return list(SECTOR_GROUPS)
    if column == PROGRAMME:
        names = programme_names or {}
        return sorted(((code, names.get(code, code)) for code in names), key=lambda p: p[1])
    if column == ENTRY_MONTH:
        return [(value, _lazy_month_name(value)) for value in sorted(set(values))]
    return [(value, value) for value in sorted(set(values))] if values else []


def left_out_groups(left_out: Sequence[LeftOut]) -> str:
    """The groups left out as words in the active language ("gender other; entry month April
    2025"), for a page's note; never their sizes. Providers, programmes and months are names,
    the other groups are lower-cased in the sentence."""
    parts = []
    for column in BREAKDOWNS:
        names = ", ".join(
            str(g.label) if column in (PROVIDER, PROGRAMME, ENTRY_MONTH) else str(g.label).lower()
            for g in left_out
            if g.breakdown == column
        )
        if names:
            parts.append(
                gettext("%(breakdown)s %(groups)s")
                % {"breakdown": _BREAKDOWN_NAMES[column], "groups": names}
            )
    return "; ".join(parts)
