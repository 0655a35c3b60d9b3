"""The participants' frame: one row per person and programme, pseudonymised, with the right
entry, exit, first job and outcomes."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.core.exceptions import PermissionDenied

from polku.clients.models import Client, EndReason, Episode, Gender, Programme
from polku.core.models import Organisation, Sector
from polku.core.roles import Role
from polku.evaluation import cohort
from polku.evaluation.models import LabourMarketStatus, OutcomePoint, OutcomeStatus
from polku.ips.models import PlacementEndReason
from tests import factories as f
from tests.evaluation.factories import EntryDataFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def _episode(
    programme: Programme,
    client: Client,
    start: dt.date,
    end: dt.date | None = None,
    *,
    organisation: Organisation | None = None,
    months: int = 24,
) -> Episode:
    return f.EpisodeFactory(
        client=client,
        programme=programme,
        organisation=organisation or client.recorded_by,
        start_date=start,
        end_date=end,
        end_reason=EndReason.OTHER if end else "",
        months_unemployed=months,
    )


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


def test_only_evaluation_roles_get_the_frame(manager) -> None:  # type: ignore[no-untyped-def]
    programme = f.ProgrammeFactory()
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        cohort.participant_frame(coordinator, programmes=[programme])
    assert list(cohort.evaluation_programmes(coordinator)) == []
    assert list(cohort.evaluation_programmes(manager)) == [programme]


def test_a_re_entrant_is_one_participant_with_first_entry_and_last_exit(manager) -> None:  # type: ignore[no-untyped-def]
    programme = f.ProgrammeFactory(code="ips")
    private = f.OrganisationFactory(name="Provider Oy", sector=Sector.PRIVATE)
    client = f.ClientFactory(gender=Gender.WOMAN, date_of_birth=dt.date(2002, 3, 1))
    first = _episode(programme, client, dt.date(2025, 1, 10), dt.date(2025, 3, 31), months=7)
    last = _episode(
        programme, client, dt.date(2025, 9, 1), dt.date(2026, 2, 27), organisation=private
    )
    EntryDataFactory(episode=first, labour_market_status=LabourMarketStatus.UNEMPLOYED)
    EntryDataFactory(episode=last, labour_market_status=LabourMarketStatus.INACTIVE)
    OutcomeFactory(episode=last, point=OutcomePoint.EXIT, status=OutcomeStatus.SELF_EMPLOYED)
    # Starts 27 days after the exit: still found in the programme.
    f.JobPlacementFactory(
        client=client, case=f.IpsCaseFactory(episode=last), start_date=dt.date(2026, 3, 26)
    )

    frame = cohort.participant_frame(manager, programmes=[programme], as_of=AS_OF)

    assert len(frame) == 1
    row = frame.iloc[0]
    assert "client_id" not in frame.columns
    assert "first_name" not in frame.columns
    assert row["entry_date"].date() == dt.date(2025, 1, 10)
    assert row["exit_date"].date() == dt.date(2026, 2, 27)
    assert (row["provider"], row["provider_sector"]) == ("Provider Oy", "private")
    assert (row["gender"], row["age"], row["age_band"]) == ("woman", 22, "18_29")
    # Entry data of the first entry: unemployed 7 months under 25 is long-term unemployed.
    assert row["labour_market_status"] == "unemployed"
    assert bool(row["long_term_unemployed"]) is True
    assert row["job_found"] == 1
    assert row["days_to_job"] == (dt.date(2026, 3, 26) - dt.date(2025, 1, 10)).days
    assert (row["exit_status"], row["employed_at_exit"], row["work_or_training_at_exit"]) == (
        "self_employed",
        1.0,
        1.0,
    )
    assert math.isnan(row["employed_6m"])


def test_censoring_and_months_in_work(manager) -> None:  # type: ignore[no-untyped-def]
    programme = f.ProgrammeFactory()
    # Left without a job: censored at the exit.
    left = _episode(programme, f.ClientFactory(), dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    # A job 29 days after the exit does not count.
    f.JobPlacementFactory(
        client=left.client,
        case=f.IpsCaseFactory(episode=left),
        start_date=dt.date(2025, 4, 30),
        end_date=dt.date(2025, 5, 20),
        end_reason=PlacementEndReason.TEMPORARY_ENDED,
    )
    # Still taking part without a job: censored at as_of; 12 months have not passed.
    _episode(programme, f.ClientFactory(), dt.date(2026, 1, 1))
    # Found work on day 31 and kept it three months, then nothing.
    worker = _episode(programme, f.ClientFactory(), dt.date(2025, 1, 1))
    f.JobPlacementFactory(
        client=worker.client,
        case=f.IpsCaseFactory(episode=worker),
        start_date=dt.date(2025, 2, 1),
        end_date=dt.date(2025, 4, 30),
        end_reason=PlacementEndReason.QUIT,
    )
    OutcomeFactory(
        episode=left, point=OutcomePoint.EXIT, status=OutcomeStatus.EDUCATION, due_on=left.end_date
    )

    frame = cohort.participant_frame(manager, programmes=[programme], as_of=AS_OF)
    by_entry = frame.sort_values(["entry_date", "job_found"]).reset_index(drop=True)

    left_row, worker_row, new_row = by_entry.iloc[0], by_entry.iloc[1], by_entry.iloc[2]
    assert (left_row["job_found"], left_row["days_to_job"]) == (0, 90.0)
    assert left_row["employed_at_exit"] == 0.0
    assert left_row["work_or_training_at_exit"] == 1.0
    # The job after the programme still counts as months in work after entry: it touches the
    # fourth month (1 April – 30 April) and the fifth.
    assert left_row["months_employed_after"] == 2.0
    assert (worker_row["job_found"], worker_row["days_to_job"]) == (1, 31.0)
    assert worker_row["months_employed_after"] == 3.0
    assert math.isnan(worker_row["employed_at_exit"])
    assert (new_row["job_found"], new_row["days_to_job"]) == (0, 180.0)
    assert math.isnan(new_row["months_employed_after"])


def test_entry_period_filters_on_first_entry(manager) -> None:  # type: ignore[no-untyped-def]
    programme = f.ProgrammeFactory()
    _episode(programme, f.ClientFactory(), dt.date(2025, 1, 15))
    _episode(programme, f.ClientFactory(), dt.date(2025, 6, 15))
    frame = cohort.participant_frame(
        manager,
        programmes=[programme],
        entry_from=dt.date(2025, 6, 1),
        entry_to=dt.date(2025, 6, 30),
        as_of=AS_OF,
    )
    assert [d.date() for d in frame["entry_date"]] == [dt.date(2025, 6, 15)]


def test_an_empty_programme_gives_an_empty_frame_with_the_columns(manager) -> None:  # type: ignore[no-untyped-def]
    frame = cohort.participant_frame(manager, programmes=[f.ProgrammeFactory()], as_of=AS_OF)
    assert frame.empty
    assert list(frame.columns) == list(cohort.COLUMNS)
