"""Scheduling the outcome rows: exactly the rows due, once; and the exit row as soon as an
episode ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from polku.clients.models import Client, EndReason
from polku.clients.services import episode_end
from polku.core.roles import Role
from polku.evaluation.models import Outcome, OutcomePoint
from polku.evaluation.services.outcomes import exit_due, schedule_follow_ups
from polku.evaluation.tasks import schedule_follow_ups_task
from tests import factories as f
from tests.evaluation.outcomes.world import ended_episode, outcome_row

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 3, 15)  # rows are created up to 30 days ahead: due on or before 14 April 2026
EXIT, M6, M12 = OutcomePoint.EXIT, OutcomePoint.MONTH_6, OutcomePoint.MONTH_12


def _rows() -> set[tuple[str, str, dt.date]]:
    return {
        (o.episode.client.last_name, o.point, o.due_on)
        for o in Outcome.objects.select_related("episode__client")
    }


def _client(name: str) -> Client:
    return f.ClientFactory(last_name=name)


def test_schedule_creates_exactly_the_rows_due_and_nothing_on_a_second_run() -> None:
    f.EpisodeFactory(client=_client("Open"), start_date=D(2026, 1, 1))
    ended_episode(_client("Recent"), D(2026, 3, 10))  # exit only
    ended_episode(_client("Six"), D(2025, 9, 20))  # exit, 6 months due 20 March
    ended_episode(_client("Twelve"), D(2025, 3, 1))  # exit, 6 and 12 months
    ended_episode(_client("Edge"), D(2025, 10, 14))  # 6 months due 14 April: the last day in
    ended_episode(_client("Past"), D(2025, 10, 15))  # 6 months due 15 April: one day too far
    ended_episode(_client("Short"), D(2025, 8, 31))  # 6 months due 28 February (no 31st)
    done = ended_episode(_client("Done"), D(2025, 10, 17))
    outcome_row(done)  # its exit row exists already

    assert schedule_follow_ups(today=TODAY) == 11
    assert _rows() == {
        ("Recent", EXIT, D(2026, 3, 10)),
        ("Six", EXIT, D(2025, 9, 20)),
        ("Six", M6, D(2026, 3, 20)),
        ("Twelve", EXIT, D(2025, 3, 1)),
        ("Twelve", M6, D(2025, 9, 1)),
        ("Twelve", M12, D(2026, 3, 1)),
        ("Edge", EXIT, D(2025, 10, 14)),
        ("Edge", M6, D(2026, 4, 14)),
        ("Past", EXIT, D(2025, 10, 15)),
        ("Short", EXIT, D(2025, 8, 31)),
        ("Short", M6, D(2026, 2, 28)),
        ("Done", EXIT, D(2025, 10, 17)),
    }
    assert schedule_follow_ups(today=TODAY) == 0
    assert Outcome.objects.count() == 12
    assert schedule_follow_ups(today=TODAY + dt.timedelta(days=1)) == 1  # Past's 6 months


def test_a_follow_up_due_at_the_end_of_a_short_month_is_found_in_time() -> None:
    """31 August + 6 months is 28 February; with 30 days ahead from 29 January the row is due.
    Month arithmetic backwards (28 February − 6 months = 28 August) would miss it."""
    ended_episode(_client("Short"), D(2025, 8, 31))
    assert schedule_follow_ups(today=D(2026, 1, 29)) == 2
    assert ("Short", M6, D(2026, 2, 28)) in _rows()


def test_rows_are_recorded_by_the_episodes_organisation_and_empty() -> None:
    episode = ended_episode(_client("Row"), D(2026, 3, 1))
    schedule_follow_ups(today=TODAY)
    outcome = Outcome.objects.get()
    assert outcome.recorded_by_id == episode.recorded_by_id
    assert (outcome.status, outcome.observed_on, outcome.source) == ("", None, "")
    assert outcome.recorded_by_member is None


def test_ending_an_episode_creates_its_exit_row_at_once() -> None:
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)
    client = f.ClientFactory(recorded_by=coordinator.organisation)
    episode = f.EpisodeFactory(client=client, start_date=timezone.localdate() - dt.timedelta(300))
    end = timezone.localdate() - dt.timedelta(days=2)
    episode_end(actor=coordinator, episode=episode, end_date=end, end_reason=EndReason.EMPLOYED)
    outcome = Outcome.objects.get(episode=episode)
    assert (outcome.point, outcome.due_on, outcome.status) == (EXIT, end, "")


def test_an_end_recorded_late_also_schedules_the_follow_ups_already_due() -> None:
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)
    client = f.ClientFactory(recorded_by=coordinator.organisation)
    start = timezone.localdate() - dt.timedelta(days=600)
    episode = f.EpisodeFactory(client=client, start_date=start)
    end = timezone.localdate() - dt.timedelta(days=200)
    episode_end(actor=coordinator, episode=episode, end_date=end, end_reason=EndReason.MOVED)
    assert sorted(Outcome.objects.filter(episode=episode).values_list("point", flat=True)) == [
        EXIT,
        M6,
    ]


def test_exit_due_leaves_an_open_episode_alone_and_is_idempotent() -> None:
    open_episode = f.EpisodeFactory()
    assert exit_due(open_episode) is None
    episode = ended_episode(_client("Twice"), timezone.localdate())
    first = exit_due(episode)
    assert exit_due(episode) == first
    assert Outcome.objects.count() == 1


def test_the_background_task_runs_the_schedule(settings: object) -> None:
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    ended_episode(_client("Task"), timezone.localdate() - dt.timedelta(days=1))
    result = schedule_follow_ups_task.enqueue()
    assert result.return_value == 1
    assert Outcome.objects.count() == 1


def test_the_command_schedules_as_of_a_given_day(capsys: pytest.CaptureFixture[str]) -> None:
    ended_episode(_client("Command"), D(2025, 3, 1))
    call_command("schedule_follow_ups", "--date", "2026-03-15")
    assert capsys.readouterr().out.strip() == "Created 3 outcome follow-up rows."
    call_command("schedule_follow_ups", "--date", "2026-03-15")
    assert capsys.readouterr().out.strip() == "Created 0 outcome follow-up rows."
