"""The savings page, the costs pages and the savings API, as a programme manager, an evaluator
and a coordinator use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from polku.core.roles import Role
from polku.evaluation.models import ProgrammeCost
from polku.evaluation.savings import services
from polku.ips.outcomes.periods import Month
from tests import factories as f
from tests.evaluation.factories import ProgrammeCostFactory
from tests.evaluation.savings.scenario import participant

pytestmark = pytest.mark.django_db

# The pages count up to the end of the previous month; fix "today" so the scenario is complete.
TODAY = dt.date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def programme() -> Any:
    programme = f.ProgrammeFactory(code="ips-helsinki", name="IPS Helsinki")
    for _index in range(5):
        participant(programme)
    ProgrammeCostFactory(programme=programme, month=dt.date(2024, 9, 1), amount=Decimal(1000))
    return programme


def _member(role: str, programme: Any = None) -> Any:
    """A member of `role`, of the organisation responsible for `programme` if given."""
    if programme is None:
        return f.MembershipFactory(role=role)
    return f.MembershipFactory(role=role, organisation=programme.organisation)


def test_a_programme_manager_sees_the_savings_with_their_definitions(
    login: Any, programme: Any
) -> None:
    http = login(_member(Role.PROGRAMME_MANAGER))
    response = http.get(reverse("evaluation:savings"), {"programme": "ips-helsinki"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="savings-municipal">€1,302<' in html
    assert 'data-testid="savings-state">€558<' in html
    assert 'data-testid="savings-total">€1,861<' in html
    assert 'data-testid="savings-cost">€1,000<' in html
    assert 'data-testid="savings-net">€302<' in html
    assert "/evaluation/definitions/#savings-municipal" in html
    assert 'data-testid="savings-provisional"' in html
    assert "<caption>Savings and programme cost by month</caption>" in html
    assert 'role="img"' in html  # the chart
    assert "Every weekday in work" in html  # the assumptions


def test_the_page_speaks_finnish(login: Any, programme: Any, settings: Any) -> None:
    http = login(_member(Role.EVALUATOR))
    response = http.get(
        reverse("evaluation:savings"), {"programme": "ips-helsinki"}, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert response.status_code == 200
    assert 'data-testid="savings-municipal">1\u00a0302\u00a0€<' in response.content.decode()


def test_the_projection_scales_the_programme_up(login: Any, programme: Any) -> None:
    http = login(_member(Role.EVALUATOR))
    response = http.get(
        reverse("evaluation:savings"),
        {
            "programme": "ips-helsinki",
            "rule_set": "fi-2015-rule",
            "participants": "175",
            "employment_rate": "100",
            "months_in_work": "12",
            "days_at_entry": "871",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "the municipality would save €1,008,019 a year" in html


def test_bad_choices_get_field_errors_and_no_figures(login: Any, programme: Any) -> None:
    http = login(_member(Role.PROGRAMME_MANAGER))
    response = http.get(
        reverse("evaluation:savings"),
        {"programme": "ips-helsinki", "entered_from": "2024-13", "employment_rate": "150"},
    )
    html = response.content.decode()
    assert "Enter a month as YYYY-MM, for example 2024-03." in html
    assert "Ensure this value is less than or equal to 100." in html
    assert 'data-testid="savings-totals"' not in html


def test_a_coordinator_may_not_see_savings_or_costs(login: Any, programme: Any) -> None:
    http = login(_member(Role.COORDINATOR))
    assert http.get(reverse("evaluation:savings")).status_code == 403
    assert http.get(reverse("evaluation:costs")).status_code == 403


def test_an_evaluator_reads_savings_but_does_not_enter_costs(login: Any, programme: Any) -> None:
    http = login(_member(Role.EVALUATOR))
    assert http.get(reverse("evaluation:costs")).status_code == 403


def test_a_programme_manager_adds_a_cost(login: Any, programme: Any) -> None:
    http = login(_member(Role.PROGRAMME_MANAGER, programme))
    url = f"{reverse('evaluation:costs')}?programme=ips-helsinki"
    response = http.post(url, {"month": "2024-10", "amount": "2500.50", "description": "Staff"})
    assert response.status_code == 302
    cost = ProgrammeCost.objects.get(programme=programme, month=dt.date(2024, 10, 1))
    assert (cost.amount, cost.description) == (Decimal("2500.50"), "Staff")
    page = http.get(url).content.decode()
    assert "Edit the cost of 2024-10" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "2024-10-01", "amount": "10"}, "Enter a month as YYYY-MM"),
        ({"month": "2024-10", "amount": "-1"}, "greater than or equal to 0"),
        ({"month": "2024-10", "amount": "1.234"}, "no more than 2 decimal places"),
        ({"month": "1999-12", "amount": "10"}, "Give a month from the year 2000 on."),
        ({"month": "", "amount": ""}, "This field is required."),
    ],
)
def test_a_bad_cost_gets_a_field_error_and_changes_nothing(
    login: Any, programme: Any, data: dict[str, str], message: str
) -> None:
    http = login(_member(Role.PROGRAMME_MANAGER, programme))
    before = list(ProgrammeCost.objects.values_list("pk", "amount"))
    response = http.post(f"{reverse('evaluation:costs')}?programme=ips-helsinki", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(ProgrammeCost.objects.values_list("pk", "amount")) == before


def test_a_programme_manager_corrects_and_removes_a_cost(login: Any, programme: Any) -> None:
    http = login(_member(Role.PROGRAMME_MANAGER, programme))
    cost = ProgrammeCost.objects.get(programme=programme)
    url = reverse("evaluation:cost_edit", args=[cost.pk])
    assert 'value="2024-09"' in http.get(url).content.decode()
    assert http.post(url, {"month": "2024-09", "amount": "1100"}).status_code == 302
    cost.refresh_from_db()
    assert cost.amount == Decimal("1100.00")
    assert http.post(url, {"delete": "1"}).status_code == 302
    assert not ProgrammeCost.objects.filter(pk=cost.pk).exists()


def test_the_api_gives_the_savings_as_json(client: Any, programme: Any) -> None:
    manager = _member(Role.PROGRAMME_MANAGER)
    client.force_login(manager.user)
    response = _api(manager, {"programme": "ips-helsinki"})
    assert response.status_code == 200
    body = response.json()
    assert body["programme"] == "ips-helsinki"
    assert body["rule_set"]["code"] == "fi-enacted"
    assert body["rule_set"]["provisional"] is True
    assert (body["shown"], body["people"]) == (True, "5")
    assert (body["municipal"], body["state"], body["total"]) == ("1302.35", "558.15", "1860.50")
    assert body["cost"] == "1000.00"
    assert body["counted_to"] == "2024-12-31"
    assert body["months"][0] == {
        "month": "2024-09",
        "people": "5",
        "municipal": "1302.35",
        "state": "558.15",
        "total": "1860.50",
        "cost": "1000.00",
    }
    assert len(body["assumptions"]) == 6


def test_the_api_answers_bad_parameters_with_a_problem(programme: Any) -> None:
    manager = _member(Role.PROGRAMME_MANAGER)
    response = _api(manager, {"programme": "nope", "entered_from": "2024-1", "rule_set": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"programme", "entered_from", "rule_set"}


def test_the_api_refuses_a_coordinator(programme: Any) -> None:
    response = _api(_member(Role.COORDINATOR), {"programme": "ips-helsinki"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


# --- Review findings: exact small counts on the savings page; costs of any organisation's programme


def test_the_page_prints_no_participant_total_and_small_left_out_groups_as_under_five(
    login: Any, programme: Any
) -> None:
    for _index in range(2):
        participant(programme, days=None)
    http = login(_member(Role.EVALUATOR))
    html = http.get(reverse("evaluation:savings"), {"programme": "ips-helsinki"}).content.decode()
    scope = html.split('data-testid="savings-scope">', 1)[1].split("</p>", 1)[0]
    assert "IPS Helsinki: participants counted up to 31/12/2024." in scope
    assert "7 participants" not in html
    assert "2 participants" not in html
    assert (
        "Fewer than 5 participants have no days on labour market subsidy recorded at entry and "
        "are left out of the calculation." in scope
    )
    assert 'data-testid="savings-people">5<' in html  # five or more contribute: shown


def test_a_manager_of_another_organisation_may_not_see_or_enter_its_costs(
    login: Any, programme: Any
) -> None:
    own = f.ProgrammeFactory(name="Own programme")
    http = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=own.organisation))
    url = f"{reverse('evaluation:costs')}?programme=ips-helsinki"
    assert http.get(url).status_code == 403
    before = list(ProgrammeCost.objects.values_list("pk", "amount"))
    assert http.post(url, {"month": "2024-10", "amount": "1"}).status_code == 403
    cost = ProgrammeCost.objects.get(programme=programme)
    edit = reverse("evaluation:cost_edit", args=[cost.pk])
    assert http.get(edit).status_code == 403
    assert http.post(edit, {"month": "2024-09", "amount": "1"}).status_code == 403
    assert http.post(edit, {"delete": "1"}).status_code == 403
    assert list(ProgrammeCost.objects.values_list("pk", "amount")) == before
    page = http.get(reverse("evaluation:costs"))
    offered = page.context["chooser"].fields["programme"].queryset
    assert [p.name for p in offered] == ["Own programme"]
    # The savings page does not offer to enter another organisation's costs.
    savings_page = http.get(reverse("evaluation:savings"), {"programme": "ips-helsinki"})
    assert "Enter the programme's monthly costs" not in savings_page.content.decode()


def test_the_cost_services_refuse_another_organisations_programme(programme: Any) -> None:
    outsider = f.MembershipFactory(role=Role.PROGRAMME_MANAGER)
    cost = ProgrammeCost.objects.get(programme=programme)
    with pytest.raises(PermissionDenied):
        services.programme_cost_record(
            actor=outsider, programme=programme, month=Month(2024, 10), amount=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        services.programme_cost_update(
            actor=outsider, cost=cost, month=Month(2024, 10), amount=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        services.programme_cost_delete(actor=outsider, cost=cost)
    own = _member(Role.PROGRAMME_MANAGER, programme)
    assert services.can_record_costs(own, programme)
    assert not services.can_record_costs(outsider, programme)


def _api(membership: Any, params: dict[str, str]) -> Any:
    from rest_framework.test import APIClient

    from polku.core import services as core_services

    f.enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="test")
    api = APIClient()
    return api.get("/api/v1/savings/", params, HTTP_AUTHORIZATION=f"Bearer {key}")
