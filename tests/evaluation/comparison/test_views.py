"""The comparison pages: only programme managers and evaluators; upload → preview → confirm;
a group's page queues a run and shows its result."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse

from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.models import ComparisonGroup, ComparisonMember, ComparisonRun, RunStatus
from tests import factories as f
from tests.evaluation.comparison.helpers import (
    IMMEDIATE_TASKS,
    ComparisonGroupFactory,
    csv_bytes,
    members,
    participants,
    row,
    rows,
)

pytestmark = pytest.mark.django_db

Login = Callable[..., HttpClient]
LIST = reverse("evaluation:comparison_list")
IMPORT = reverse("evaluation:comparison_import")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def manager() -> Membership:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


def text_of(response: Any) -> str:
    """The page's text without tags and with runs of white space as one space."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def upload(data: bytes, programme_pk: int, **fields: str) -> dict[str, Any]:
    return {
        "programme": str(programme_pk),
        "name": "Register 2025",
        "source": "Employment register, extract 2025-01",
        "file": SimpleUploadedFile("group.csv", data, content_type="text/csv"),
        **fields,
    }


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.AUDITOR])
def test_other_roles_get_403_on_every_page(login: Login, role: str) -> None:
    group = ComparisonGroupFactory()
    http = login(f.MembershipFactory(role=role))

    for url in (LIST, IMPORT, reverse("evaluation:comparison_detail", args=[group.pk])):
        assert http.get(url).status_code == 403
    response = http.post(reverse("evaluation:comparison_detail", args=[group.pk]), {})
    assert response.status_code == 403
    assert not ComparisonRun.objects.exists()


def test_the_list_shows_each_group_with_its_size_and_latest_run(
    login: Login, manager: Membership, django_assert_max_num_queries: Any
) -> None:
    group = ComparisonGroupFactory(
        name="Register 2025",
        imported_by=manager.user,
        programme__organisation=manager.organisation,
    )
    members(group, count=7)
    ComparisonRun.objects.create(group=group, status=RunStatus.DONE)
    tiny = ComparisonGroupFactory(
        name="Pilot extract", programme__organisation=manager.organisation
    )
    members(tiny, count=2)
    http = login(manager)

    # Session, membership, user and the groups with their sizes and latest runs in one query.
    with django_assert_max_num_queries(8):
        response = http.get(LIST)

    assert response.status_code == 200
    page = text_of(response)
    assert "Register 2025" in page
    assert re.search(r"Register 2025 .*? 7 .*? Done", page)
    # A group of 1–4 is not counted exactly.
    assert re.search(r"Pilot extract .*? &lt;5 .*? none yet", page)


def test_a_good_file_is_previewed_then_imported_on_confirmation(
    login: Login, manager: Membership
) -> None:
    programme = f.ProgrammeFactory(organisation=manager.organisation, name="IPS Helsinki")
    http = login(manager)

    preview = http.post(IMPORT, upload(csv_bytes(rows(12)), programme.pk))

    assert preview.status_code == 200
    page = text_of(preview)
    assert "Register 2025: 12 people, to be compared with the participants of IPS Helsinki." in page
    assert re.search(r"Women 6 Men 6 Other 0 Not stated 0", page)
    assert not ComparisonGroup.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
    assert token is not None

    confirmed = http.post(IMPORT, {"token": token.group(1)})

    group = ComparisonGroup.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("evaluation:comparison_detail", args=[group.pk])
    assert (group.name, group.programme, group.file_name) == (
        "Register 2025",
        programme,
        "group.csv",
    )
    assert group.members.count() == 12
    # The token is used up: confirming again imports nothing more.
    again = http.post(IMPORT, {"token": token.group(1)})
    assert again.status_code == 302
    assert ComparisonGroup.objects.count() == 1


def test_a_bad_file_lists_every_error_by_line_and_column_and_imports_nothing(
    login: Login, manager: Membership
) -> None:
    programme = f.ProgrammeFactory(organisation=manager.organisation)
    data = csv_bytes([row(row_id="R1"), row(row_id="R1", age="9")])

    response = login(manager).post(IMPORT, upload(data, programme.pk))

    assert response.status_code == 400
    page = text_of(response)
    assert "group.csv: 2 errors. Nothing was imported." in page
    assert "Line 3, column row_id: The same row id is already on line 2." in page
    assert "Line 3, column age: Give a whole number from 15 to 99." in page
    assert 'name="token"' not in response.content.decode()
    assert not ComparisonMember.objects.exists()


def test_the_form_needs_a_name_and_a_programme_the_user_may_evaluate(
    login: Login, manager: Membership
) -> None:
    response = login(manager).post(IMPORT, upload(csv_bytes(rows(2)), 999_999, name=""))

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"programme", "name"}
    assert not ComparisonGroup.objects.exists()


def test_a_token_of_another_session_imports_nothing(login: Login, manager: Membership) -> None:
    programme = f.ProgrammeFactory(organisation=manager.organisation)
    preview = login(manager).post(IMPORT, upload(csv_bytes(rows(6)), programme.pk))
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
    assert token is not None
    other = login(f.MembershipFactory(role=Role.EVALUATOR), HttpClient())

    response = other.post(IMPORT, {"token": token.group(1)}, follow=True)

    assert "The uploaded file has expired. Upload it again." in text_of(response)
    assert not ComparisonGroup.objects.exists()


def test_the_group_page_queues_a_run_and_shows_its_result(
    login: Login, manager: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    programme = f.ProgrammeFactory(organisation=manager.organisation)
    participants(programme, count=10, months_after=8, months_before=1)
    group = ComparisonGroupFactory(programme=programme)
    members(group, count=10, months_after=3)
    url = reverse("evaluation:comparison_detail", args=[group.pk])
    http = login(manager)

    before = text_of(http.get(url))
    assert "No run of the estimators yet." in before
    assert re.search(r"Women 5 5 Men 5 5 Other 0 0 Not stated 0 0 All 10 10", before)
    assert re.search(r"Age \(?\w*\)? ?34\.0 34\.0", before)

    with django_capture_on_commit_callbacks(execute=True):
        queued = http.post(
            url,
            {
                "outcome": "months_employed_after",
                "covariates": ["gender", "age", "months_unemployed"],
                "caliper": "0.2",
                "bootstrap": "100",
            },
        )
    assert queued.status_code == 302

    page = text_of(http.get(url))
    run = ComparisonRun.objects.get()
    assert run.status == RunStatus.DONE
    assert "Average effect on the participants (ATT) : 5.00 months" in page
    assert (
        "Matched participants did better than similar non-participants by 5.00 months (months "
        "in work in the 12 months after entry; 95 % confidence interval 5.00 months to 5.00 "
        "months)." in page
    )
    assert "Balance table" in page
    assert re.search(r"1 Gender \(woman or not\) 0\.50 0\.50 0\.00 0\.50 0\.00 Yes", page)
    assert "Difference-in-differences estimate : 5.00 months" in page


def test_faulty_run_parameters_are_shown_on_the_form(login: Login, manager: Membership) -> None:
    group = ComparisonGroupFactory(programme__organisation=manager.organisation)
    url = reverse("evaluation:comparison_detail", args=[group.pk])

    response = login(manager).post(
        url, {"outcome": "months_employed_after", "covariates": [], "bootstrap": "5"}
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"covariates", "bootstrap"}
    assert not ComparisonRun.objects.exists()


def test_a_queued_run_is_shown_as_waiting(login: Login, manager: Membership) -> None:
    group = ComparisonGroupFactory(programme__organisation=manager.organisation)
    ComparisonRun.objects.create(group=group, status=RunStatus.QUEUED)

    page = text_of(login(manager).get(reverse("evaluation:comparison_detail", args=[group.pk])))

    assert "is Queued. The estimators run in the background" in page


def test_a_failed_run_shows_its_reason(login: Login, manager: Membership) -> None:
    group = ComparisonGroupFactory(programme__organisation=manager.organisation)
    ComparisonRun.objects.create(
        group=group, status=RunStatus.FAILED, error="Too few participants with the data needed."
    )

    page = text_of(login(manager).get(reverse("evaluation:comparison_detail", args=[group.pk])))

    assert "Too few participants with the data needed." in page


def test_an_unknown_group_is_404(login: Login, manager: Membership) -> None:
    response = login(manager).get(reverse("evaluation:comparison_detail", args=[999_999]))

    assert response.status_code == 404


def test_in_finnish_the_caliper_takes_a_decimal_comma_and_the_page_renders(
    login: Login, manager: Membership
) -> None:
    group = ComparisonGroupFactory(programme__organisation=manager.organisation)
    ComparisonRun.objects.create(
        group=group,
        status=RunStatus.DONE,
        parameters={"outcome": "employed_6m", "covariates": ["age"], "caliper": 0.2},
        result={
            "psm": {
                "att": 0.125,
                "lower": -0.05,
                "upper": 0.3,
                "n_treated": 12,
                "n_matched_treated": 12,
                "n_matched_control": 12,
                "balance": [
                    {
                        "covariate": "age",
                        "mean_treated": 40.0,
                        "mean_control_before": 45.0,
                        "smd_before": -0.5,
                        "mean_control_after": 41.0,
                        "smd_after": -0.12,
                    }
                ],
            },
            "did": None,
            "did_error": "Liian vähän.",
        },
    )
    http = login(manager)
    url = reverse("evaluation:comparison_detail", args=[group.pk])

    page = http.get(url, HTTP_ACCEPT_LANGUAGE="fi")
    response = http.post(
        url,
        {"outcome": "employed_6m", "covariates": ["age"], "caliper": "0,3", "bootstrap": "100"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert page.status_code == 200
    # 0.125 as a difference of shares: 12,5 percentage points, with a decimal comma.
    assert "12,5" in text_of(page)
    assert response.status_code == 302
    assert ComparisonRun.objects.order_by("-pk").first().parameters["caliper"] == 0.3  # type: ignore[union-attr]
