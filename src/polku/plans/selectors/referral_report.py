"""The timeliness report: how soon referred clients are contacted, per service and organisation.

"Timely and from the same place": of the referrals sent in a period, how many there were, the
median and 90th percentile of days from referral to first contact, the share contacted within
the service's expected response time, and the share declined. Aggregates only: no row names a
client, and groups of fewer than five referrals are suppressed (`core.disclosure`), their
statistics too, since the median of three people's waits describes those three people.

`timeliness` is a pure function over (days, target, status) tuples, so the arithmetic can be
checked without a database; `referral_report` builds the tuples with one query.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils import timezone

from polku.core import disclosure
from polku.core.models import Organisation
from polku.plans.models import OPEN_STATUSES, Referral, ReferralStatus, Service
from polku.plans.selectors.referrals import days_between

S = ReferralStatus
# (days from referral to first contact or None, expected response days, status)
Row = tuple[int | None, int, str]


@dataclass(frozen=True)
class Timeliness:
    """Timeliness of a group of referrals.

    n: referrals in the group. contacted: those with a first contact recorded. taken_on: those
    not declined and not cancelled before a first contact — the denominator of
    `share_within_target`. waiting: open referrals still without a first contact (they count
    as not within target). median_days, p90_days: over the contacted ones (None when there are
    none). share_within_target: contacted within the expected time / taken_on. share_declined:
    declined / n. Shares are fractions 0–1, None when their denominator is zero.
    """

    n: int
    contacted: int
    taken_on: int
    waiting: int
    declined: int
    median_days: float | None
    p90_days: int | None
    share_within_target: float | None
    share_declined: float | None

    def summary(self) -> str:
        return (
            f"n={self.n} contacted={self.contacted} median={self.median_days} "
            f"p90={self.p90_days} within={self.share_within_target} "
            f"declined={self.share_declined}"
        )


def nearest_rank(values: Sequence[int], percentile: float) -> int:
    """The nearest-rank percentile of `values` (not necessarily sorted).

    Parameters
    ----------
    values : the observations, at least one.
    percentile : 0 < percentile <= 100.

    Returns
    -------
    The smallest observation such that at least `percentile` per cent of the observations are
    less than or equal to it: the value at rank ceil(percentile / 100 · n) of the sorted values.

    Notes
    -----
    Nearest rank always returns an observed number of days, which reads naturally ("nine in
    ten were contacted within 12 days"), unlike linear interpolation (numpy's default), which
    may return a day count nobody waited. For small groups the two differ by up to one gap
    between neighbouring values.

    References
    ----------
    Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. The American
    Statistician 50(4), 361–365 (definition 1, the inverse of the empirical distribution).
    """
    if not values:
        raise ValueError("nearest_rank needs at least one value")
    if not 0 < percentile <= 100:  # noqa: PLR2004
        raise ValueError("percentile must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(percentile / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def timeliness(rows: Iterable[Row]) -> Timeliness:
    """Timeliness of referrals given as (days to first contact or None, target days, status).

    The median is the usual one (the mean of the two middle values for an even count); the 90th
    percentile is nearest-rank (`nearest_rank`). A referral counts as within target when its
    first contact came no later than `target` days after sending. Declined referrals, and those
    cancelled before any contact, are left out of the within-target share (the service never
    took them on); open referrals still waiting are in it, as not (yet) within target, so a
    period that ended recently looks worse until the contacts are recorded — `waiting` says how
    many such referrals there are.
    """
    rows = list(rows)
    days = [d for d, _target, _status in rows if d is not None]
    within = sum(1 for d, target, _status in rows if d is not None and d <= target)
    declined = sum(1 for _d, _target, status in rows if status == S.DECLINED)
    dropped = sum(
        1 for d, _target, status in rows if d is None and status in {S.DECLINED, S.CANCELLED}
    )
    waiting = sum(1 for d, _target, status in rows if d is None and status in OPEN_STATUSES)
    n = len(rows)
    taken_on = n - dropped
    return Timeliness(
        n=n,
        contacted=len(days),
        taken_on=taken_on,
        waiting=waiting,
        declined=declined,
        median_days=float(statistics.median(days)) if days else None,
        p90_days=nearest_rank(days, 90) if days else None,
        share_within_target=within / taken_on if taken_on else None,
        share_declined=declined / n if n else None,
    )


@dataclass(frozen=True)
class ReportLine:
    """One line of the published report: a service or an organisation.

    `n` is the count as it may be shown ("12", "<5", "≥5"); `stats` is None where the count
    is suppressed, so no figure about a small group is ever shown.
    """

    label: str
    organisation: str
    n: str
    stats: Timeliness | None


@dataclass(frozen=True)
class Report:
    date_from: dt.date
    date_to: dt.date
    services: list[ReportLine]
    organisations: list[ReportLine]
    total: ReportLine


def _line(label: str, organisation: str, shown: str, rows: list[Row]) -> ReportLine:
    visible = shown.isdigit() and int(shown) >= disclosure.THRESHOLD
    if not visible:
        return ReportLine(label, organisation, shown, None)
    stats = timeliness(rows)
    if stats.contacted < disclosure.THRESHOLD:
        # The median and 90th percentile of fewer than five waits describe those few people
        # (of one, they are that person's wait): shown only over five or more.
        stats = replace(stats, median_days=None, p90_days=None)
    return ReportLine(label, organisation, shown, stats)


# Polku holds no referral from before it existed nor from the far future; clamping keeps a
# query for year 1 or 9999 from overflowing the datetime arithmetic.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2999, 12, 31)


DEFAULT_DAYS = 365


def _clamp(day: dt.date) -> dt.date:
    return min(max(day, EARLIEST), LATEST)


def period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """The report's period from what was asked: until today and a year back by default, the
    earlier day first, within EARLIEST..LATEST."""
    end = _clamp(date_to or timezone.localdate())
    start = _clamp(date_from) if date_from else _clamp(end - dt.timedelta(days=DEFAULT_DAYS))
    return min(start, end), max(start, end)


def _window(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    date_from, date_to = period(date_from, date_to)
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def referral_report(*, date_from: dt.date, date_to: dt.date) -> Report:
    """Timeliness of the referrals sent from `date_from` to `date_to` (inclusive), per service
    (grouped by the receiving organisation) and per receiving organisation.

    Aggregates only, with small counts suppressed: within an organisation the services' counts
    are protected against its total, and the organisations' against the grand total
    (`disclosure.protect`); an organisation whose count is hidden shows no service counts,
    which would add up to it. So no hidden count can be worked out by subtraction. Not
    logged: nothing in it identifies a client.
    """
    start, end = _window(date_from, date_to)
    records = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end).values_list(
        "service_id",
        "receiving_organisation_id",
        "sent_at",
        "first_contact_on",
        "expected_response_days",
        "status",
    )
    by_service: dict[int, list[Row]] = defaultdict(list)
    by_organisation: dict[int, list[Row]] = defaultdict(list)
    service_organisation: dict[int, int] = {}
    for service_id, organisation_id, sent_at, first_contact_on, target, status in records:
        row: Row = (days_between(sent_at, first_contact_on), target, status)
        by_service[service_id].append(row)
        by_organisation[organisation_id].append(row)
        service_organisation[service_id] = organisation_id
    services = Service.objects.in_bulk(list(by_service))
    organisations = Organisation.objects.in_bulk(list(by_organisation))

    def org_name(pk: int) -> str:
        return str(organisations[pk].name)

    org_ids = sorted(by_organisation, key=lambda pk: (org_name(pk), pk))
    all_rows = [row for rows in by_organisation.values() for row in rows]
    org_cells, total_shown = disclosure.protect(
        [len(by_organisation[o]) for o in org_ids], len(all_rows)
    )
    organisation_lines = [
        _line(org_name(o), org_name(o), shown, by_organisation[o])
        for o, shown in zip(org_ids, org_cells, strict=True)
    ]
    service_lines: list[ReportLine] = []
    for org_id, org_shown in zip(org_ids, org_cells, strict=True):
        ids = sorted(
            (s for s, o in service_organisation.items() if o == org_id),
            key=lambda pk: (str(services[pk].name), pk),
        )
        if org_shown.isdigit():
            cells, _org_total = disclosure.protect(
                [len(by_service[s]) for s in ids], len(by_organisation[org_id])
            )
        else:
            # The organisation's count is hidden: its services' counts would add up to it
            # (and, with the grand total, give away the other hidden organisations).
            cells = [disclosure.NOT_SHOWN] * len(ids)
        service_lines += [
            _line(str(services[s].name), org_name(org_id), shown, by_service[s])
            for s, shown in zip(ids, cells, strict=True)
        ]
    return Report(
        date_from=date_from,
        date_to=date_to,
        services=service_lines,
        organisations=organisation_lines,
        total=_line("", "", total_shown if all_rows else "0", all_rows),
    )
