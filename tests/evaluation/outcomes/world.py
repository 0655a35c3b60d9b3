"""A small world for the outcome tests: organisation A's client with an ended episode, A's
coordinator, an employment specialist on the client's care team, and organisation B."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from polku.clients.models import Client, EndReason, Episode
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.evaluation.models import Outcome, OutcomePoint
from polku.evaluation.services.outcomes import due_date
from tests import factories as f


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    coordinator: Membership
    specialist: Membership
    partner: Membership
    client: Client
    episode: Episode

    @property
    def exit_day(self) -> dt.date:
        assert self.episode.end_date is not None
        return self.episode.end_date


def ended_episode(client: Client, end: dt.date, **kwargs: object) -> Episode:
    return f.EpisodeFactory(
        client=client,
        start_date=end - dt.timedelta(days=200),
        end_date=end,
        end_reason=EndReason.EMPLOYED,
        **kwargs,
    )


def outcome_row(episode: Episode, point: str = OutcomePoint.EXIT) -> Outcome:
    """An empty row, as the scheduler creates it."""
    assert episode.end_date is not None
    return Outcome.objects.create(
        episode=episode,
        point=point,
        due_on=due_date(episode.end_date, point),
        recorded_by=episode.recorded_by,
    )


def build(*, ended_days_ago: int = 10) -> World:
    org_a, org_b = f.OrganisationFactory(), f.OrganisationFactory()
    client = f.ClientFactory(recorded_by=org_a)
    episode = ended_episode(client, timezone.localdate() - dt.timedelta(days=ended_days_ago))
    specialist = f.MembershipFactory(organisation=org_a, role=Role.EMPLOYMENT_SPECIALIST)
    f.CareTeamMemberFactory(client=client, membership=specialist, is_key_worker=True)
    return World(
        org_a=org_a,
        org_b=org_b,
        coordinator=f.MembershipFactory(organisation=org_a, role=Role.COORDINATOR),
        specialist=specialist,
        partner=f.MembershipFactory(organisation=org_b, role=Role.EMPLOYMENT_SPECIALIST),
        client=client,
        episode=episode,
    )
