"""The timeline tab: what it lists, its filters in the address, paging, the empty states, the
read-access log it writes, and constant queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from polku.core.categories import DataCategory
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.plans.domains import LifeDomain
from polku.plans.models import Encounter
from tests.factories import MembershipFactory
from tests.plans.test_timeline_selectors import World, full_history, make_world

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
C = DataCategory


@pytest.fixture
def world() -> World:
    """The city, the clinic and their client (test_timeline_selectors.make_world)."""
    return make_world()


def _url(world: World) -> str:
    return f"/clients/{world.client.pk}/timeline/"


def _logged(membership: Membership) -> list[tuple[str, str]]:
    return sorted(
        (e.category, e.purpose) for e in AccessLogEntry.objects.filter(membership=membership)
    )


def test_the_tab_shows_every_visible_event_and_logs_their_categories(
    world: World, login: Login
) -> None:
    full_history(world)
    response = login(world.coordinator).get(_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-current="page">Timeline' in body
    assert body.count('data-testid="timeline-item"') == 14
    assert "Meeting: Attended, 30 min" in body
    assert "Recorded by Clinic · Health" in body
    assert _logged(world.coordinator) == [
        (C.EMPLOYMENT, "service"),
        (C.HEALTH, "service"),
        (C.IDENTITY, "service"),
    ]


def test_filters_travel_as_get_parameters(world: World, login: Login) -> None:
    full_history(world)
    http = login(world.coordinator)
    response = http.get(_url(world), {"type": ["encounter", "action"]})
    types = {item.type for item in response.context["page"].items}
    assert types == {"encounter", "action"}
    assert len(response.context["page"].items) == 5
    response = http.get(_url(world), {"organisation": world.clinic.pk})
    assert {item.organisation_id for item in response.context["page"].items} == {world.clinic.pk}
    # The organisations offered are those with events the viewer may see.
    offered = list(response.context["form"].fields["organisation"].queryset)
    assert offered == [world.city, world.clinic]


def test_an_organisation_the_viewer_cannot_see_records_of_is_not_a_valid_filter(
    world: World, login: Login
) -> None:
    full_history(world)
    response = login(world.coach).get(_url(world), {"organisation": world.clinic.pk})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"organisation"}
    assert {item.category for item in response.context["page"].items} == {C.EMPLOYMENT}


def test_paging_links_keep_the_filters(world: World, login: Login) -> None:
    for day in range(30):
        world.history.encounter(world.city, days=day + 1)
    http = login(world.coordinator)
    first = http.get(_url(world), {"type": "encounter"})
    body = first.content.decode()
    assert len(first.context["page"].items) == 25
    assert '?type=encounter&amp;page=2" rel="next">Older events' in body
    second = http.get(_url(world), {"type": "encounter", "page": "2"})
    assert len(second.context["page"].items) == 5
    assert 'page=1" rel="prev">Newer events' in second.content.decode()
    past = http.get(_url(world), {"page": "9"})
    assert "There are no more events." in past.content.decode()
    assert http.get(_url(world), {"page": "999999"}).status_code == 404


def test_clear_empty_states(world: World, login: Login) -> None:
    http = login(world.coordinator)
    body = http.get(_url(world)).content.decode()
    assert "Nothing on the timeline yet that you may see." in body
    body = http.get(_url(world), {"type": "referral"}).content.decode()
    assert "No events match the filters." in body
    # An empty page still showed the client's name.
    assert _logged(world.coordinator) == [(C.IDENTITY, "service")] * 2


def test_an_invisible_client_answers_404_and_logs_nothing(world: World, login: Login) -> None:
    stranger = MembershipFactory(role=Role.COORDINATOR)
    assert login(stranger).get(_url(world)).status_code == 404
    assert _logged(stranger) == []


def test_the_number_of_queries_does_not_grow_with_the_history(world: World, login: Login) -> None:
    http = login(world.coordinator)
    http.get(_url(world))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(_url(world)).status_code == 200
        return len(captured.captured_queries)

    full_history(world)
    few = queries()
    plan = world.history.plan(world.city)
    for day in range(10):
        world.history.encounter(world.city, days=day + 2)
        world.history.action(plan, world.city, LifeDomain.WORK, days=day + 2)
    assert Encounter.objects.count() == 12
    # Ten sources, one query each, whatever their length; the client and its purpose, the
    # organisation filter's choices, the log, the frame of the page.
    assert queries() == few
