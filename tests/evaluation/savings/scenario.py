"""Hand-built participants for the savings tests: who entered when, at which day count, and
which jobs they held."""

from __future__ import annotations

import datetime as dt

from polku.clients.models import Episode, Programme
from polku.ips.models import PlacementEndReason
from tests import factories as f

# Monday 2 September 2024; two weeks in work to Friday 13 September: 10 weekdays.
ENTRY = dt.date(2024, 9, 2)
JOB_END = dt.date(2024, 9, 13)
AS_OF = dt.date(2024, 12, 31)


def participant(
    programme: Programme,
    *,
    days: int | None = 1100,
    entry: dt.date = ENTRY,
    job: tuple[dt.date, dt.date | None] | None = (ENTRY, JOB_END),
    end: dt.date | None = None,
) -> Episode:
    """A participant entering `programme` on `entry` at `days` on subsidy, with one job."""
    episode = f.EpisodeFactory(
        programme=programme,
        start_date=entry,
        end_date=end,
        end_reason="other" if end else "",
        days_on_labour_market_subsidy=days,
    )
    if job is not None:
        start, job_end = job
        case = f.IpsCaseFactory(episode=episode, start_date=min(entry, start))
        f.JobPlacementFactory(
            case=case,
            start_date=start,
            end_date=job_end,
            end_reason=PlacementEndReason.TEMPORARY_ENDED if job_end else "",
        )
    return episode
