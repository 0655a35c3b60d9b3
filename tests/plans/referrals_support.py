"""Builders shared by the referral and notification tests: services, plan actions, and the
debt-counselling world (a coordinator in municipal employment services refers a client to a
debt-counselling service of a third-sector organisation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone

from polku.clients.models import Client, Consent
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.plans.domains import LifeDomain, category_of
from polku.plans.models import Action, Goal, Plan, Referral, Service, ServiceKind
from polku.plans.services import referrals as services
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
)

C = DataCategory
DEBT_CONSENT = [C.IDENTITY, C.CONTACT, C.BENEFITS]


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    name_fi = factory.LazyAttribute(lambda s: s.name)
    name_sv = factory.LazyAttribute(lambda s: s.name)
    name_en = factory.LazyAttribute(lambda s: s.name)
    kind = ServiceKind.OTHER
    expected_response_days = 14
    referral_categories = factory.LazyFunction(list)


def action_for(
    client: Client,
    *,
    recorded_by: Organisation | None = None,
    domain: str = LifeDomain.WORK,
    responsible: Membership | None = None,
    due_date: dt.date | None = None,
    **fields: Any,
) -> Action:
    """A plan action of `client` (with its plan, episode and goal) in `domain`."""
    organisation = recorded_by or client.recorded_by
    episode = EpisodeFactory(client=client, recorded_by=organisation, organisation=organisation)
    plan = Plan.objects.create(client=client, episode=episode, recorded_by=organisation)
    category = category_of(domain)
    goal = Goal.objects.create(
        plan=plan,
        client=client,
        domain=domain,
        category=category,
        client_words="I want to manage",
        target="A plan",
        recorded_by=organisation,
    )
    return Action.objects.create(
        goal=goal,
        client=client,
        category=category,
        title="Meet the counsellor",
        responsible_organisation=organisation,
        responsible=responsible,
        due_date=due_date,
        recorded_by=organisation,
        **fields,
    )


@dataclass
class World:
    """Municipal employment services (the sender) and a debt-counselling provider."""

    sender_org: Organisation
    receiver_org: Organisation
    coordinator: Membership  # the client's key worker, in the sender organisation
    counsellor: Membership  # benefits counsellor of the receiving organisation
    client: Client
    debt: Service  # carries benefits data
    health: Service  # a health service of the receiving organisation (carries health data)
    consent: Consent  # for referrals: identity, contact, benefits with the receiver


def debt_world(*, consent_categories: list[str] | None = None) -> World:
    sender_org = OrganisationFactory(name="Helsinki employment services")
    receiver_org = OrganisationFactory(name="Debt Advice Association")
    coordinator = MembershipFactory(organisation=sender_org, role=Role.COORDINATOR)
    counsellor = MembershipFactory(organisation=receiver_org, role=Role.BENEFITS_COUNSELLOR)
    client = ClientFactory(recorded_by=sender_org, first_name="Aino", last_name="Virtanen")
    CareTeamMemberFactory(client=client, membership=coordinator, is_key_worker=True)
    debt = ServiceFactory(
        organisation=receiver_org,
        name="Debt counselling",
        kind=ServiceKind.DEBT_COUNSELLING,
        referral_categories=[C.BENEFITS],
        expected_response_days=14,
    )
    health = ServiceFactory(
        organisation=receiver_org,
        name="Substance-use clinic",
        kind=ServiceKind.SUBSTANCE_USE,
        referral_categories=[C.HEALTH],
    )
    consent = ConsentFactory(
        client=client,
        purpose=Purpose.REFERRAL,
        organisations=[receiver_org],
        categories=consent_categories if consent_categories is not None else DEBT_CONSENT,
    )
    return World(sender_org, receiver_org, coordinator, counsellor, client, debt, health, consent)


def send(world: World, service: Service | None = None, **fields: Any) -> Referral:
    return services.referral_send(
        actor=fields.pop("actor", world.coordinator),
        client=world.client,
        service=service or world.debt,
        message=fields.pop("message", "Debts of about 20 000 euros; needs a repayment plan."),
        **fields,
    )


def age(referral: Referral, days: int) -> Referral:
    """Move the referral's sending `days` days into the past (its events too)."""
    sent_at = timezone.now() - dt.timedelta(days=days)
    Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
    referral.events.filter(status="sent").update(at=sent_at)
    referral.refresh_from_db()
    return referral


def send_as(actor: Membership, client: Client, service: Service) -> Referral:
    return services.referral_send(
        actor=actor, client=client, service=service, message="Please see the client."
    )
