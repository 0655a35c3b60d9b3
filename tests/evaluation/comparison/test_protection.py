"""Review findings of issue 6 on comparison groups: run results that could be worked out by
subtraction, estimates resting on fewer than five matched people, other organisations'
programmes, and unbounded background work."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core import disclosure
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.comparison import results, services
from polku.evaluation.comparison.estimate import estimate
from polku.evaluation.comparison.frames import TREATED, Frames
from polku.evaluation.comparison.importer import comparison_group_import
from polku.evaluation.comparison.services import LOST_AFTER, run_execute, run_request
from polku.evaluation.comparison.tasks import comparison_run
from polku.evaluation.estimators import EstimationError
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus
from tests import factories as f
from tests.evaluation.comparison.helpers import (
    IMMEDIATE_TASKS,
    ComparisonGroupFactory,
    csv_bytes,
    members,
    participants,
    rows,
)
from tests.evaluation.comparison.test_api import api_for, problem

pytestmark = pytest.mark.django_db

QUICK = {"bootstrap": 100}
Login = Callable[..., HttpClient]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def manager() -> Membership:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


def _group(organisation: Any) -> ComparisonGroup:
    programme = f.ProgrammeFactory(organisation=organisation)
    participants(programme, count=10, months_after=8, months_before=1)
    group = ComparisonGroupFactory(programme=programme)
    members(group, count=10, months_after=3)
    return group


def _view(result: dict[str, Any]) -> results.RunView:
    run = ComparisonRun(status=RunStatus.DONE, parameters={"outcome": "months_employed_after"})
    run.result = result
    shown = results.view(run)
    assert shown is not None
    return shown


def _result(**counts: int) -> dict[str, Any]:
    """A stored result with the counts given (the rest consistent with them)."""
    c = {
        "participants": 20,
        "dropped_treated": 0,
        "n_matched_treated": 20,
        "n_unmatched_treated": 0,
        "members": 40,
        "dropped_control": 0,
        "n_control": 40,
        "n_matched_control": 20,
    } | counts
    c.setdefault("n_treated", c["participants"] - c["dropped_treated"])
    psm = {
        key: c[key] for key in ("n_treated", "n_control", "n_matched_treated", "n_matched_control")
    } | {"n_unmatched_treated": c["n_unmatched_treated"], "att": 1.0, "lower": 0.5, "upper": 1.5}
    return {
        "participants": c["participants"],
        "members": c["members"],
        "dropped_treated": c["dropped_treated"],
        "dropped_control": c["dropped_control"],
        "psm": psm | {"balance": []},
        "did": None,
    }


# --- Finding 5: counts that could be worked out by subtraction --------------------------------


def test_a_hidden_count_cannot_be_worked_out_from_its_sum() -> None:
    # 12 in the matching, 10 matched: shown beside "<5" unmatched, 12 − 10 gave away 2.
    shown = _view(
        _result(participants=12, n_matched_treated=10, n_unmatched_treated=2, n_matched_control=10)
    ).counts()

    assert shown["n_unmatched_treated"] == disclosure.SMALL
    assert not (shown["n_treated"].isdigit() and shown["n_matched_treated"].isdigit())


def test_participants_less_those_left_out_do_not_give_the_matching() -> None:
    # 15 participants, 3 left out: "15" beside "12" and "<5" gave away 3.
    shown = _view(
        _result(participants=15, dropped_treated=3, n_matched_treated=12, n_matched_control=12)
    ).counts()

    assert shown["participants"] == "15"
    assert shown["dropped_treated"] == disclosure.SMALL
    assert not shown["n_treated"].isdigit()


def test_the_unmatched_comparison_persons_cannot_be_worked_out() -> None:
    # 20 comparison persons in the matching, 17 used as matches: 3 unmatched.
    shown = _view(_result(n_control=20, members=20, n_matched_control=17)).counts()

    assert not (shown["n_control"].isdigit() and shown["n_matched_control"].isdigit())


def test_the_counts_of_the_difference_in_differences_are_protected_too() -> None:
    result = _result(participants=20, n_matched_control=20)
    result["did"] = {"n_treated": 18, "n_control": 40, "estimate": 1.0}

    lines = _view(result).did_lines()

    # 20 participants, 18 with months in work before and after: 2 without.
    assert lines["n_treated"] != "18"
    assert lines["n_control"] == "40"


TREATED_SUMS = (
    ("participants", ("n_treated", "dropped_treated")),
    ("n_treated", ("n_matched_treated", "n_unmatched_treated")),
)


def _consistent(shown: dict[str, str], participants_count: int) -> list[dict[str, int]]:
    """Every set of treated-side counts that fits what is shown (participants known)."""
    fits = []
    for n_treated, matched in itertools.product(range(participants_count + 1), repeat=2):
        values = {
            "participants": participants_count,
            "n_treated": n_treated,
            "dropped_treated": participants_count - n_treated,
            "n_matched_treated": matched,
            "n_unmatched_treated": n_treated - matched,
        }
        if min(values.values()) < 0:
            continue
        if all(_fits(shown[name], value) for name, value in values.items()):
            fits.append(values)
    return fits


def _fits(text: str, value: int) -> bool:
    if text == disclosure.SMALL:
        return 0 < value < disclosure.THRESHOLD
    if text == disclosure.HIDDEN:
        return value >= disclosure.THRESHOLD
    if text == disclosure.NOT_SHOWN:
        return True
    return int(text) == value


@settings(max_examples=60, deadline=None)
@given(
    participants_count=st.integers(5, 24),
    dropped=st.integers(0, 24),
    unmatched=st.integers(0, 24),
)
def test_no_hidden_count_of_participants_can_be_worked_out(
    participants_count: int, dropped: int, unmatched: int
) -> None:
    n_treated = max(participants_count - dropped, 0)
    unmatched = min(unmatched, n_treated)
    values = {
        "participants": participants_count,
        "n_treated": n_treated,
        "dropped_treated": participants_count - n_treated,
        "n_matched_treated": n_treated - unmatched,
        "n_unmatched_treated": unmatched,
    }

    shown = results.protected_counts(values)

    fits = _consistent(shown, participants_count)
    assert values in fits
    for name, value in values.items():
        if 0 < value < disclosure.THRESHOLD:
            assert {fit[name] for fit in fits} != {value}, (name, shown)


def _woman_row(mean_treated: float) -> dict[str, Any]:
    return {
        "covariate": "woman",
        "mean_treated": mean_treated,
        "mean_control_before": 0.5,
        "smd_before": 0.3,
        "mean_control_after": 0.5,
        "smd_after": 0.05,
        "mean_treated_after": mean_treated,
    }


def test_the_share_of_women_is_not_shown_where_their_count_would_not_be() -> None:
    # 12 participants in the matching, 3 of them women: 0.25 × 12 gave away 3.
    result = _result(participants=12, n_matched_treated=12, n_matched_control=12)
    result["psm"]["balance"] = [_woman_row(0.25)]

    (line,) = _view(result).balance()

    assert line.mean_treated is None
    assert (line.smd_before, line.smd_after) == (None, None)
    assert line.mean_control_before == 0.5
    assert line.texts()["mean_treated"] == disclosure.NOT_SHOWN


def test_the_share_of_women_is_shown_where_their_count_would_be() -> None:
    result = _result(participants=12, n_matched_treated=12, n_matched_control=12)
    result["psm"]["balance"] = [_woman_row(0.5)]
    result["women_dropped_treated"] = result["women_dropped_control"] = 0

    (line,) = _view(result).balance()

    assert (line.mean_treated, line.smd_before, line.smd_after) == (0.5, 0.3, 0.05)


def test_the_share_of_women_among_those_left_out_counts_too() -> None:
    # 5 of the 10 in the matching are women, and 2 of the 5 left out: with the count of women
    # among all participants (7, shown beside 8 men), 0.5 × 10 would give away the 2.
    result = _result(participants=15, dropped_treated=5, n_matched_treated=10)
    result["psm"]["balance"] = [_woman_row(0.5)]
    result["women_dropped_treated"], result["women_dropped_control"] = 2, 0

    (line,) = _view(result).balance()

    assert line.mean_treated is None


def test_the_api_gives_null_for_a_share_of_women_not_shown(manager: Membership) -> None:
    group = _group(manager.organisation)
    result = _result(participants=12, n_matched_treated=12, n_matched_control=12)
    result["psm"]["balance"] = [_woman_row(0.25)]
    run = ComparisonRun.objects.create(group=group, status=RunStatus.DONE, result=result)
    evaluator = f.MembershipFactory(role=Role.EVALUATOR, organisation=manager.organisation)

    body = api_for(evaluator).get(f"/api/v1/comparison-runs/{run.pk}/").json()

    (line,) = body["matching"]["balance"]
    assert (line["mean_treated"], line["smd_before"], line["smd_after"]) == (None, None, None)


def _frames(matching: pd.DataFrame) -> Frames:
    treated = int((matching[TREATED] == 1).sum())
    did = pd.DataFrame({TREATED: [], "months_employed_before": [], "months_employed_after": []})
    return Frames(
        matching=matching,
        did=did,
        participants=treated,
        members=len(matching) - treated,
        dropped_treated=0,
        dropped_control=0,
    )


def test_an_effect_on_fewer_than_five_matched_is_refused() -> None:
    # Ten participants aged 20–29; of the comparison group only three are as young (20–22): with
    # a narrow caliper only those three participants find a match.
    ages = [*range(20, 30), 20, 21, 22, *range(60, 67)]
    matching = pd.DataFrame(
        {
            TREATED: [1] * 10 + [0] * 10,
            "months_employed_after": np.arange(20, dtype=float) % 7,
            "age": np.asarray(ages, dtype=float),
        }
    )
    parameters = {
        "outcome": "months_employed_after",
        "covariates": ["age"],
        "caliper": 0.01,
        "replacement": False,
        "bootstrap": 0,
    }

    with pytest.raises(EstimationError, match="Too few people were matched"):
        estimate(_frames(matching), parameters)


def test_an_effect_stored_on_fewer_than_five_matched_is_not_shown() -> None:
    result = _result(participants=10, n_matched_treated=3, n_unmatched_treated=7)

    shown = _view(result)

    assert shown.att() == dict.fromkeys(("att", "lower", "upper"), disclosure.NOT_SHOWN)
    assert shown.sentence() == ""


# --- Finding 7b: other organisations' programmes ------------------------------------------------


def test_another_organisations_programme_may_not_be_imported_for(manager: Membership) -> None:
    other = f.ProgrammeFactory()

    with pytest.raises(PermissionDenied):
        comparison_group_import(
            actor=manager, programme=other, name="G", source="S", data=csv_bytes(rows(6))
        )
    assert not ComparisonGroup.objects.exists()


def test_the_import_form_offers_only_the_own_organisations_programmes(
    login: Login, manager: Membership
) -> None:
    own = f.ProgrammeFactory(organisation=manager.organisation)
    other = f.ProgrammeFactory()
    http = login(manager)

    form = http.get(reverse("evaluation:comparison_import")).context["form"]
    response = http.post(
        reverse("evaluation:comparison_import"),
        {
            "programme": str(other.pk),
            "name": "G",
            "source": "S",
            "file": SimpleUploadedFile("g.csv", csv_bytes(rows(6)), content_type="text/csv"),
        },
    )

    assert list(form.fields["programme"].queryset) == [own]
    assert response.status_code == 400
    assert "programme" in response.context["form"].errors


def test_another_organisations_group_may_not_be_run_or_read(
    login: Login, manager: Membership
) -> None:
    group = _group(f.OrganisationFactory())
    url = reverse("evaluation:comparison_detail", args=[group.pk])
    api = api_for(f.MembershipFactory(role=Role.EVALUATOR, organisation=manager.organisation))

    with pytest.raises(PermissionDenied):
        run_request(actor=manager, group=group, parameters=QUICK)
    http = login(manager)
    assert http.get(url).status_code == 404
    assert http.post(url, {"covariates": ["age"], "bootstrap": "100"}).status_code == 404
    assert group.name not in http.get(reverse("evaluation:comparison_list")).content.decode()
    assert api.get("/api/v1/comparison-groups/").json()["results"] == []
    problem(api.post(f"/api/v1/comparison-groups/{group.pk}/runs/", {}, format="json"), 404)
    assert not ComparisonRun.objects.exists()


# --- Finding 9: unbounded background work -------------------------------------------------------


def test_a_membership_may_have_two_runs_waiting_at_once(manager: Membership) -> None:
    groups = [_group(manager.organisation) for _ in range(3)]
    # Without the on-commit callbacks the runs stay queued, as while the worker is busy.
    for group in groups[:2]:
        run_request(actor=manager, group=group, parameters=QUICK)

    with pytest.raises(ValidationError) as raised:
        run_request(actor=manager, group=groups[2], parameters=QUICK)

    assert raised.value.code == "too_many_runs"
    assert ComparisonRun.objects.count() == 2
    # Someone else of the organisation may still run.
    colleague = f.MembershipFactory(role=Role.EVALUATOR, organisation=manager.organisation)
    run_request(actor=colleague, group=groups[2], parameters=QUICK)


def test_the_api_refuses_a_third_run_with_a_code(manager: Membership) -> None:
    evaluator = f.MembershipFactory(role=Role.EVALUATOR, organisation=manager.organisation)
    groups = [_group(manager.organisation) for _ in range(3)]
    for group in groups[:2]:
        ComparisonRun.objects.create(group=group, requested_by=evaluator.user)

    response = api_for(evaluator).post(
        f"/api/v1/comparison-groups/{groups[2].pk}/runs/", {}, format="json"
    )

    body = problem(response, 400)
    assert body["code"] == "too_many_runs"
    assert json.dumps(body)  # a plain problem document


def test_a_run_still_queued_after_an_hour_still_blocks(manager: Membership) -> None:
    group = _group(manager.organisation)
    old = timezone.now() - LOST_AFTER - dt.timedelta(minutes=5)
    ComparisonRun.objects.create(group=group, status=RunStatus.QUEUED, requested_at=old)

    with pytest.raises(ValidationError) as raised:
        run_request(actor=manager, group=group, parameters=QUICK)

    assert raised.value.code == "run_pending"


def test_a_run_running_for_over_an_hour_is_lost_and_marked_failed(
    manager: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    group = _group(manager.organisation)
    old = timezone.now() - LOST_AFTER - dt.timedelta(minutes=5)
    stale = ComparisonRun.objects.create(
        group=group, status=RunStatus.RUNNING, requested_at=old, requested_by=manager.user
    )

    with django_capture_on_commit_callbacks(execute=True):
        fresh = run_request(actor=manager, group=group, parameters=QUICK)

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.finished_at is not None) == (RunStatus.FAILED, True)
    assert "lost" in stale.error
    assert fresh.status == RunStatus.DONE


def test_a_lost_run_that_ends_after_all_stays_failed(
    manager: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _group(manager.organisation)
    run = run_request(actor=manager, group=group, parameters=QUICK)
    real = estimate

    def taken_as_lost_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # While the worker computes, a new request takes the run as lost.
        ComparisonRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "estimate", taken_as_lost_meanwhile)
    run_execute(run_id=run.pk, membership_id=manager.pk, language="en")

    run.refresh_from_db()
    assert (run.status, run.error, run.result) == (RunStatus.FAILED, "lost", None)


def test_runs_go_on_their_own_queue() -> None:
    assert comparison_run.queue_name == "evaluation"
    assert "evaluation" in django_settings.TASKS["default"]["QUEUES"]
