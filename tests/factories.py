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
