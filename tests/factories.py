"""Model factories shared by the tests. Each builds its own dependencies; none reads seeded rows."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from polku.clients.models import (
    CareTeamMember,
    Client,
    Consent,
    ConsentCategory,
    ConsentMethod,
    Episode,
    Gender,
    Programme,
)
from polku.core.categories import Purpose
from polku.core.models import Membership, Organisation, OrganisationKind, User
from polku.core.roles import Role
from polku.employers.models import Employer, EmployerInteraction, InteractionKind, Vacancy
from polku.ips.models import FollowAlongSupport, IpsCase, JobPlacement, SupportMode, SupportWith


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    name_fi = factory.LazyAttribute(lambda o: o.name)
    name_sv = factory.LazyAttribute(lambda o: f"{o.name} (sv)")
    name_en = factory.LazyAttribute(lambda o: o.name)
    kind = OrganisationKind.MUNICIPAL_EMPLOYMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COORDINATOR
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    name_fi = factory.LazyAttribute(lambda p: p.name)
    name_sv = factory.LazyAttribute(lambda p: p.name)
    name_en = factory.LazyAttribute(lambda p: p.name)
    organisation = factory.SubFactory(OrganisationFactory)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Sequence(lambda n: f"Client{n}")
    last_name = factory.Sequence(lambda n: f"Surname{n}")
    date_of_birth = dt.date(1980, 5, 17)
    gender = Gender.MAN
    phone = "040 123 4567"
    email = factory.Sequence(lambda n: f"client{n}@example.invalid")
    recorded_by = factory.SubFactory(OrganisationFactory)


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    client = factory.SubFactory(ClientFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("client.recorded_by")
    recorded_by = factory.SelfAttribute("client.recorded_by")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    months_unemployed = 24


class ConsentFactory(factory.django.DjangoModelFactory):
    """`ConsentFactory(client=c, organisations=[org], categories=["identity", ...])`."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    recorded_by = factory.SelfAttribute("client.recorded_by")
    purpose = Purpose.SERVICE
    method = ConsentMethod.WRITTEN
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))

    @factory.post_generation
    def organisations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.organisations.set(extracted)

    @factory.post_generation
    def categories(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for category in extracted:
                ConsentCategory.objects.create(consent=self, category=category)


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    client = factory.SubFactory(ClientFactory)
    membership = factory.SubFactory(MembershipFactory)
    is_key_worker = False


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n} Oy")
    industry = "G"
    registered_by = factory.SubFactory(OrganisationFactory)


class EmployerInteractionFactory(factory.django.DjangoModelFactory):
    """A face-to-face job development visit by `specialist` (a membership)."""

    class Meta:
        model = EmployerInteraction

    employer = factory.SubFactory(EmployerFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = InteractionKind.VISIT
    purpose = "job_development"
    specialist = factory.SubFactory(MembershipFactory, role=Role.EMPLOYMENT_SPECIALIST)
    organisation = factory.SelfAttribute("specialist.organisation")


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Vacancy {n}")
    isco_code = "522"  # shop salespersons


class IpsCaseFactory(factory.django.DjangoModelFactory):
    """An open IPS case; the episode's client is the case's client."""

    class Meta:
        model = IpsCase

    episode = factory.SubFactory(EpisodeFactory)
    client = factory.SelfAttribute("episode.client")
    recorded_by = factory.SelfAttribute("episode.recorded_by")
    specialist = factory.SubFactory(
        MembershipFactory,
        role=Role.EMPLOYMENT_SPECIALIST,
        organisation=factory.SelfAttribute("..recorded_by"),
    )
    start_date = factory.SelfAttribute("episode.start_date")


class JobPlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPlacement

    case = factory.SubFactory(IpsCaseFactory)
    client = factory.SelfAttribute("case.client")
    recorded_by = factory.SelfAttribute("case.recorded_by")
    specialist = factory.SelfAttribute("case.specialist")
    employer = factory.SubFactory(EmployerFactory)
    job_title = "Sales assistant"
    isco_code = "522"
    competitive = True
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    hours_per_week = 30


class FollowAlongSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowAlongSupport

    placement = factory.SubFactory(JobPlacementFactory)
    client = factory.SelfAttribute("placement.client")
    recorded_by = factory.SelfAttribute("placement.recorded_by")
    specialist = factory.SelfAttribute("placement.specialist")
    date = factory.LazyFunction(timezone.localdate)
    with_whom = SupportWith.CLIENT
    mode = SupportMode.IN_PERSON
    content = "How the first weeks went"


def enable_totp(user: User) -> Authenticator:
    """Give `user` an activated authenticator app, as if they had scanned the QR code."""
    return TOTP.activate(user, "JBSWY3DPEHPK3PXP").instance


def record_sign_in(session: Any, user: User, *, second_factor: bool) -> None:
    """Write into `session` what allauth records when `user` signs in with a password (and,
    with `second_factor`, the authenticator app): a forced login alone has passed neither."""
    now = time.time()
    records: list[dict[str, Any]] = [
        {"method": "password", "at": now - 1, "username": user.username}
    ]
    if second_factor:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
