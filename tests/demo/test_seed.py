"""The demo network: deterministic, realistic in the ways the seeds describe, and consistent
with the rules the services enforce."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.test import Client as HttpClient

from polku.clients.models import CareTeamMember, Client, Consent, Episode, Programme
from polku.core import access, crypto
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation, User
from polku.core.validators import parse_hetu
from polku.demo import generator
from polku.demo.data import DEMO_PASSWORD, STAFF
from polku.plans.models import (
    Action,
    Assessment,
    DomainEntry,
    Encounter,
    Goal,
    Location,
    Notification,
    Plan,
    PlanReview,
    PlanRevision,
    Referral,
    ReferralEvent,
    Service,
    ServiceAtLocation,
)
from tests.demo.test_seed_ips import wipe_ips_and_employers

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_350_clients_over_30_with_55_to_60_percent_men() -> None:
    result = generator.seed(clients=350, seed=7, today=TODAY)
    assert (result.organisations, result.staff, result.clients) == (8, 21, 350)
    ages = [c.age_on(TODAY) for c in Client.objects.all()]
    assert min(ages) > 30
    men = Client.objects.filter(gender="man").count() / 350
    assert 0.50 <= men <= 0.65
    assert Organisation.objects.filter(kind="social_enterprise").count() == 1
    assert Organisation.objects.filter(kind="service_provider").count() == 3


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not() -> None:
    generator.seed(clients=40, seed=11, today=TODAY)
    first = list(
        Client.objects.order_by("reference").values_list(
            "reference", "first_name", "last_name", "date_of_birth", "gender"
        )
    )
    codes = sorted(c.identity_code for c in Client.objects.all())
    _wipe()  # rebuild from scratch in the same test database
    generator.seed(clients=40, seed=11, today=TODAY)
    again = list(
        Client.objects.order_by("reference").values_list(
            "reference", "first_name", "last_name", "date_of_birth", "gender"
        )
    )
    assert again == first
    assert sorted(c.identity_code for c in Client.objects.all()) == codes
    _wipe()
    generator.seed(clients=40, seed=12, today=TODAY)
    assert (
        list(
            Client.objects.order_by("reference").values_list(
                "reference", "first_name", "last_name", "date_of_birth", "gender"
            )
        )
        != first
    )


def _wipe() -> None:
    wipe_ips_and_employers()  # the employer register and IPS work (demo/ips.py)
    for model in [Notification, ReferralEvent, Referral, Encounter, PlanRevision, PlanReview]:
        model.objects.all().delete()  # type: ignore[attr-defined]
    for model in [Action, Goal, Plan, DomainEntry, Assessment, ServiceAtLocation, Service]:
        model.objects.all().delete()  # type: ignore[attr-defined]
    Location.objects.all().delete()
    CareTeamMember.objects.all().delete()
    Consent.objects.all().delete()
    Episode.objects.all().delete()
    Client.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.all().delete()
    Programme.objects.all().delete()
    Organisation.objects.all().delete()


def test_identity_codes_are_valid_artificial_and_unique() -> None:
    generator.seed(clients=200, seed=3, today=TODAY)
    codes = [c.identity_code for c in Client.objects.exclude(identity_code_encrypted="")]
    assert len(codes) == len(set(codes)) >= 150
    for code in codes:
        parsed = parse_hetu(code)
        assert 900 <= int(code[7:10]) <= 999
        assert (
            Client.objects.get(identity_code_digest=crypto.digest(code)).date_of_birth
            == parsed.birth_date
        )


def test_every_team_member_may_see_the_client_and_each_client_has_at_most_one_key_worker() -> None:
    generator.seed(clients=150, seed=5, today=TODAY)
    for member in CareTeamMember.objects.filter(removed_at__isnull=True).select_related(
        "client", "membership__user", "membership__organisation"
    ):
        assert access.can_read(
            member.membership,
            member.client,
            category=DataCategory.IDENTITY,
            purpose=Purpose.SERVICE,
        ), member
    key_workers = Client.objects.annotate(
        k=Count(
            "care_team", filter=Q(care_team__is_key_worker=True, care_team__removed_at__isnull=True)
        )
    )
    assert key_workers.filter(k__gt=1).count() == 0


def test_the_printed_coach_has_a_caseload_near_the_ips_limit() -> None:
    generator.seed(clients=350, seed=2026, today=TODAY)
    coach = Membership.objects.get(user__username="coach")
    caseload = CareTeamMember.objects.filter(membership=coach, removed_at__isnull=True).count()
    assert 10 <= caseload <= 30  # IPS: at most 20 per specialist (../shared/domain/IPS.md)


def test_command_refuses_to_seed_twice_and_if_empty_only_prints_the_logins() -> None:
    out = StringIO()
    call_command("seed_demo", clients=20, seed=1, stdout=out)
    assert "Seeded 8 organisations, 21 staff, 20 clients" in out.getvalue()
    with pytest.raises(CommandError, match="already has data"):
        call_command("seed_demo", clients=20)
    again = StringIO()
    call_command("seed_demo", if_empty=True, stdout=again)
    text = again.getvalue()
    assert "nothing seeded" in text
    assert Client.objects.count() == 20
    printed = [s.username for s in STAFF if s.printed]
    assert all(f"  {name} " in text for name in printed)
    assert DEMO_PASSWORD in text


def test_every_printed_login_works() -> None:
    generator.seed(clients=10, seed=1, today=TODAY)
    for spec in [s for s in STAFF if s.printed]:
        http = HttpClient()
        response = http.post(
            "/accounts/login/", {"login": spec.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, spec.username
