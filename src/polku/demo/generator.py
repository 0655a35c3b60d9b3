"""Synthetic demo data: a Helsinki-like network, its staff, and N clients with their episodes,
consents and care teams.

Deterministic for a given seed and anchor date (`today`). Rows are written with bulk inserts so
that `--clients 100000` takes seconds, not hours; the generator keeps the same rules the
services enforce (one open episode per programme, team members from other organisations only
with consent, one key worker). Distributions follow the seeds: clients over 30, long
unemployment, 55–60 % men (Helsinki IPS pilot, ../shared/seeds/000_*, 004_*). The service
catalogue comes from demo/catalogue.py; each batch's assessments, plans, referrals, encounters and
notifications from demo/plans.py; the employer register and the IPS work (cases, placements,
follow-along, employer contacts, fidelity reviews), once every client is in, from demo/ips.py.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from polku.clients.models import (
    REFERENCE_ALPHABET,
    CareTeamMember,
    Client,
    Consent,
    ConsentCategory,
    ConsentMethod,
    EndReason,
    Episode,
    Gender,
    Language,
    Municipality,
    Programme,
)
from polku.core import crypto
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation, User
from polku.core.roles import Role
from polku.core.validators import hetu_control_character
from polku.demo import catalogue, evaluation
from polku.demo.data import DEMO_PASSWORD, ORGANISATIONS, PROGRAMMES, STAFF
from polku.demo.employers import EmployerCounts
from polku.demo.ips import IpsCounts, IpsGenerator
from polku.demo.plans import Case, PlanCounts, PlansGenerator

C = DataCategory
T = TypeVar("T")
BATCH = 2000
GENERAL_CATEGORIES: list[str] = [C.IDENTITY, C.CONTACT, C.EMPLOYMENT, C.EDUCATION, C.BENEFITS]
# The multi-agency consent: health and social professionals on the team also read the programme
# data (the assessment round, the shared plan) so that they can take part in the joint work.
SENSITIVE_SHARE_CATEGORIES: list[str] = [C.IDENTITY, C.CONTACT, C.EMPLOYMENT, C.HEALTH, C.SOCIAL]

END_REASONS = [
    (EndReason.EMPLOYED, 35),
    (EndReason.SUBSIDISED_EMPLOYMENT, 10),
    (EndReason.EDUCATION, 12),
    (EndReason.OTHER_SERVICE, 10),
    (EndReason.REHABILITATION, 10),
    (EndReason.MOVED, 5),
    (EndReason.DROPPED_OUT, 13),
    (EndReason.PROGRAMME_ENDED, 5),
]
# 55–60 % men among the long-term unemployed in the Helsinki pilot's target group.
GENDERS = [(Gender.MAN, 57), (Gender.WOMAN, 40), (Gender.OTHER, 1), (Gender.NOT_DISCLOSED, 2)]
LANGUAGES = [
    (Language.FINNISH, 80),
    (Language.SWEDISH, 7),
    (Language.ENGLISH, 5),
    (Language.OTHER, 8),
]
OTHER_LOCALES = ["et_EE", "pl_PL", "tr_TR", "en_GB"]
MUNICIPALITIES = [("091", 90), ("049", 5), ("092", 5)]


@dataclass
class SeedResult:
    organisations: int = 0
    staff: int = 0
    clients: int = 0
    episodes: int = 0
    consents: int = 0
    team_members: int = 0
    # The plans app's rows (demo/plans.py): assessments, plans, referrals, encounters, …
    plans: PlanCounts = field(default_factory=PlanCounts)
    # The employer register and the IPS app's rows (demo/employers.py, demo/ips.py).
    employers: EmployerCounts = field(default_factory=EmployerCounts)
    ips: IpsCounts = field(default_factory=IpsCounts)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    values = [value for value, _ in options]
    return rng.choices(values, weights=[weight for _, weight in options])[0]


class _Ids:
    """Deterministic UUIDs and unique references from the seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.references: set[str] = set()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def reference(self) -> str:
        while True:
            ref = "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(8))
            if ref not in self.references:
                self.references.add(ref)
                return ref


class _IdentityCodes:
    """Unique artificial henkilötunnus (individual numbers 900–999, DVV's test range)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def hetu(self, born: dt.date) -> str:
        century = "-" if born.year < 2000 else "A"  # noqa: PLR2004
        if century == "-" and self.rng.random() < 0.05:  # noqa: PLR2004
            century = self.rng.choice("YXWVU")  # the signs added in 2023
        date_part = born.strftime("%d%m%y")
        for _ in range(200):
            individual = f"{self.rng.randint(900, 999):03d}"
            code = (
                f"{date_part}{century}{individual}{hetu_control_character(date_part, individual)}"
            )
            if code not in self.used:
                self.used.add(code)
                return code
        return ""  # that birth date's artificial range is used up: no code, which is allowed


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(8 + rng.randint(0, 8), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _bulk(model: type, rows: list[object]) -> None:
    model.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]


def database_is_empty() -> bool:
    return not (Organisation.objects.exists() or Client.objects.exists())


@transaction.atomic
def seed(
    *,
    clients: int = 350,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Create the demo network and `clients` clients. Refuses a database that has data."""
    if not database_is_empty():
        raise RuntimeError("The database already has organisations or clients.")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    Faker.seed(seed)
    fakers = {loc: Faker(loc) for loc in ["fi_FI", "sv_SE", *OTHER_LOCALES]}
    for index, faker in enumerate(fakers.values()):
        faker.seed_instance(seed + index)
    ids, codes = _Ids(rng), _IdentityCodes(rng)
    result = SeedResult()
    say = progress or (lambda message: None)

    orgs: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        orgs[spec.key] = Organisation.objects.create(
            name=spec.name_fi,
            name_fi=spec.name_fi,
            name_sv=spec.name_sv,
            name_en=spec.name_en,
            kind=spec.kind,
            business_id=spec.business_id,
            municipality="Helsinki",
        )
    result.organisations = len(orgs)

    programmes: dict[str, Programme] = {}
    for p in PROGRAMMES:
        programmes[p.code] = Programme.objects.create(
            code=p.code,
            name=p.name_fi,
            name_fi=p.name_fi,
            name_sv=p.name_sv,
            name_en=p.name_en,
            organisation=orgs[p.org],
            target_participants=p.target,
            start_date=today - dt.timedelta(days=760),
        )

    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    staff: dict[str, list[Membership]] = {}  # "org:role" -> memberships, in STAFF order
    members_by_username: dict[str, Membership] = {}
    for s in STAFF:
        user = users.get(s.username)
        if user is None:
            user = users[s.username] = User.objects.create(
                username=s.username,
                first_name=s.first_name,
                last_name=s.last_name,
                email=f"{s.username}@demo.polku.invalid",
                password=password,
            )
        membership = Membership.objects.create(
            user=user,
            organisation=orgs[s.org],
            role=s.role,
            title=s.title,
            valid_from=today - dt.timedelta(days=800),
        )
        staff.setdefault(f"{s.org}:{s.role}", []).append(membership)
        members_by_username.setdefault(s.username, membership)
        if s.printed:
            result.logins.append((s.username, orgs[s.org].name_en, str(Role(s.role).label)))
    result.staff = len(users)
    say(f"{result.organisations} organisations, {result.staff} staff users")

    services = catalogue.create(orgs)
    result.plans.services = len(services)

    municipalities = {
        m.code: m
        for m in Municipality.objects.filter(code__in=[code for code, _ in MUNICIPALITIES])
    }
    generator = _ClientGenerator(
        rng=rng,
        ids=ids,
        codes=codes,
        fakers=fakers,
        today=today,
        orgs=orgs,
        programmes=programmes,
        staff=staff,
        municipalities=municipalities,
        plans=PlansGenerator(seed=seed, today=today, orgs=orgs, staff=staff, services=services),
    )
    ips = IpsGenerator(
        seed=seed, today=today, orgs=orgs, staff=staff, programmes=programmes, clients=clients
    )
    for start in range(0, clients, BATCH):
        generator.make(min(BATCH, clients - start))
        ips.collect(generator.cases)
        generator.flush(result)
        say(f"{result.clients} clients")
    result.employers, result.ips = ips.finish()
    say(f"{result.employers.employers} employers, {result.ips.cases} IPS cases")
    # ESF+ entry data, outcomes, targets, costs, provider sectors and a comparison group.
    say(
        evaluation.create(
            seed=seed, today=today, orgs=orgs, programmes=programmes, clients=clients
        ).summary()
    )
    return result


class _ClientGenerator:
    def __init__(
        self,
        *,
        rng: random.Random,
        ids: _Ids,
        codes: _IdentityCodes,
        fakers: dict[str, Faker],
        today: dt.date,
        orgs: dict[str, Organisation],
        programmes: dict[str, Programme],
        staff: dict[str, list[Membership]],
        municipalities: dict[str, Municipality],
        plans: PlansGenerator,
    ) -> None:
        self.rng, self.ids, self.codes, self.fakers, self.today = rng, ids, codes, fakers, today
        self.orgs, self.programmes, self.staff = orgs, programmes, staff
        self.municipalities = municipalities
        self.plans = plans
        self.cases: list[Case] = []
        self.round_robin: dict[str, int] = {}
        self.clients: list[Client] = []
        self.episodes: list[Episode] = []
        self.consents: list[Consent] = []
        self.consent_orgs: list[object] = []
        self.scopes: list[ConsentCategory] = []
        self.team: list[CareTeamMember] = []

    def _next(self, key: str) -> Membership:
        members = self.staff[key]
        index = self.round_robin.get(key, 0)
        self.round_robin[key] = index + 1
        return members[index % len(members)]

    def make(self, count: int) -> None:
        for _ in range(count):
            self._one()

    def _person(self, client: Client, gender: str, language: str) -> None:
        locale = {"fi": "fi_FI", "sv": "sv_SE"}.get(language) or self.rng.choice(OTHER_LOCALES)
        if language == Language.ENGLISH:
            locale = "en_GB"
        faker = self.fakers[locale]
        female = gender == Gender.WOMAN or (gender != Gender.MAN and self.rng.random() < 0.5)  # noqa: PLR2004
        client.first_name = faker.first_name_female() if female else faker.first_name_male()
        client.last_name = faker.last_name()
        local = self.fakers["fi_FI"]
        client.phone = local.phone_number() if self.rng.random() < 0.9 else ""  # noqa: PLR2004
        if self.rng.random() < 0.7:  # noqa: PLR2004
            handle = f"{client.first_name}.{client.last_name}".lower().replace(" ", "")
            client.email = f"{handle}{self.rng.randint(1, 99)}@example.fi"
        client.street_address = local.street_address()
        code = client.municipality.code if client.municipality else "091"
        client.postal_code = (
            f"00{self.rng.randint(10, 990):03d}" if code == "091" else local.postcode()
        )
        client.post_office = {"091": "Helsinki", "049": "Espoo", "092": "Vantaa"}[code]

    def _one(self) -> None:
        rng, today = self.rng, self.today
        programme_spec = rng.choices(PROGRAMMES, weights=[p.share for p in PROGRAMMES])[0]
        programme = self.programmes[programme_spec.code]
        recorder_key = {
            "ips-pilot": "employment",
            "rehab-to-work": "social",
            "outcome-trial": rng.choice(["provider_a", "provider_b"]),
        }[programme_spec.code]
        recorder = self.orgs[recorder_key]
        registrar = self._registrar(recorder_key)
        gender = _weighted(rng, GENDERS)
        language = _weighted(rng, LANGUAGES)
        age = rng.randint(31, 63)
        born = _date_between(
            rng,
            today - dt.timedelta(days=365 * (age + 1) - 1),
            today - dt.timedelta(days=365 * age),
        )
        created = _date_between(rng, today - dt.timedelta(days=720), today - dt.timedelta(days=7))
        client = Client(
            id=self.ids.uuid(),
            reference=self.ids.reference(),
            date_of_birth=born,
            gender=gender,
            preferred_language=language,
            municipality=self.municipalities.get(_weighted(rng, MUNICIPALITIES)),
            recorded_by=recorder,
            created_by=registrar,
            created_at=_aware(created, rng),
        )
        self._person(client, gender, language)
        if rng.random() < 0.92:  # noqa: PLR2004 - a few clients have no Finnish code yet
            code = self.codes.hetu(born)
            if code:
                client.set_identity_code("fi_hetu", code)
        self.clients.append(client)

        start = created + dt.timedelta(days=rng.randint(0, 14))
        start = min(start, today)
        months = min(240, 12 + int(rng.lognormvariate(3.0, 0.7)))
        subsidy_days = None
        if rng.random() < 0.85:  # noqa: PLR2004
            subsidy_days = max(
                300 if programme_spec.code == "outcome-trial" else 0,
                int(months * 21.5 * rng.uniform(0.5, 1.0)),
            )
        end_date, end_reason = None, ""
        if (today - start).days > 180 and rng.random() < 0.35:  # noqa: PLR2004
            end_date = _date_between(rng, start + dt.timedelta(days=60), today)
            end_reason = _weighted(rng, END_REASONS)
        episode = Episode(
            id=self.ids.uuid(),
            client=client,
            programme=programme,
            organisation=programme.organisation,
            start_date=start,
            end_date=end_date,
            end_reason=end_reason,
            months_unemployed=months,
            days_on_labour_market_subsidy=subsidy_days,
            recorded_by=recorder,
            created_by=registrar,
            created_at=_aware(start, rng),
        )
        self.episodes.append(episode)
        if rng.random() < 0.1 and (start - born).days > 365 * 31:  # noqa: PLR2004
            self._earlier_episode(client, programme, recorder, registrar, start)

        shared_general, shared_sensitive = self._consents(
            client, programme_spec.code, recorder, registrar, start
        )
        team = self._team(
            client=client,
            programme=programme_spec.code,
            recorder_key=recorder_key,
            registrar=registrar,
            start=start,
            end_date=end_date,
            general=shared_general,
            sensitive=shared_sensitive,
        )
        self.cases.append(
            Case(
                client=client,
                episode=episode,
                recorder_key=recorder_key,
                registrar=registrar,
                general=shared_general,
                team=team,
                sensitive=shared_sensitive,
            )
        )

    def _registrar(self, recorder_key: str) -> Membership:
        role = Role.SOCIAL_WORKER if recorder_key == "social" else Role.COORDINATOR
        return self._next(f"{recorder_key}:{role}")

    def _earlier_episode(
        self,
        client: Client,
        current: Programme,
        recorder: Organisation,
        registrar: Membership,
        before: dt.date,
    ) -> None:
        others = [p for p in self.programmes.values() if p.pk != current.pk]
        programme = self.rng.choice(others)
        end = before - dt.timedelta(days=self.rng.randint(30, 300))
        start = end - dt.timedelta(days=self.rng.randint(90, 400))
        self.episodes.append(
            Episode(
                id=self.ids.uuid(),
                client=client,
                programme=programme,
                organisation=programme.organisation,
                start_date=start,
                end_date=end,
                end_reason=_weighted(self.rng, END_REASONS),
                recorded_by=recorder,
                created_by=registrar,
                created_at=_aware(start, self.rng),
            )
        )

    def _consent(
        self,
        *,
        client: Client,
        recorder: Organisation,
        registrar: Membership,
        start: dt.date,
        orgs: list[Organisation],
        categories: list[str],
    ) -> bool:
        """Add a consent; return whether it is active today."""
        rng = self.rng
        consent = Consent(
            id=self.ids.uuid(),
            client=client,
            purpose=Purpose.SERVICE,
            method=_weighted(
                rng,
                [
                    (ConsentMethod.WRITTEN, 50),
                    (ConsentMethod.ELECTRONIC, 35),
                    (ConsentMethod.VERBAL, 15),
                ],
            ),
            valid_from=start,
            recorded_by=recorder,
            created_by=registrar,
            created_at=_aware(start, rng),
        )
        roll = rng.random()
        active = True
        if roll < 0.05 and start < self.today:  # noqa: PLR2004 - withdrawn
            withdrawn = _date_between(rng, start + dt.timedelta(days=1), self.today)
            consent.withdrawn_at, consent.withdrawn_by = _aware(withdrawn, rng), registrar
            active = False
        elif roll < 0.10 and (self.today - start).days > 60:  # noqa: PLR2004 - expired
            consent.valid_until = _date_between(
                rng, start + dt.timedelta(days=30), self.today - dt.timedelta(days=1)
            )
            active = False
        elif roll < 0.5:  # noqa: PLR2004
            consent.valid_until = start + dt.timedelta(days=730)
            active = consent.valid_until >= self.today
        self.consents.append(consent)
        through = Consent.organisations.through
        for org in orgs:
            self.consent_orgs.append(through(consent_id=consent.pk, organisation_id=org.pk))
        for category in categories:
            self.scopes.append(ConsentCategory(consent=consent, category=category))
        return active

    def _consents(
        self,
        client: Client,
        programme: str,
        recorder: Organisation,
        registrar: Membership,
        start: dt.date,
    ) -> tuple[set[str], set[str]]:
        """The general and the sensitive consent; returns the org keys each shares with today."""
        rng, o = self.rng, self.orgs
        general: set[str] = set()
        sensitive: set[str] = set()
        if rng.random() < 0.85:  # noqa: PLR2004
            keys = {
                "ips-pilot": ["ips", "kela"],
                "rehab-to-work": ["employment", "kela"],
                "outcome-trial": ["employment", "kela"],
            }[programme]
            if programme == "rehab-to-work" and rng.random() < 0.3:  # noqa: PLR2004
                keys.append("social_enterprise")
            if self._consent(
                client=client,
                recorder=recorder,
                registrar=registrar,
                start=start,
                orgs=[o[k] for k in keys],
                categories=GENERAL_CATEGORIES,
            ):
                general = set(keys)
        if rng.random() < 0.4:  # noqa: PLR2004
            keys = ["health", "social", "employment"]
            keys = [k for k in keys if o[k].pk != recorder.pk] + (
                ["employment"] if recorder.pk == o["employment"].pk else []
            )
            if self._consent(
                client=client,
                recorder=recorder,
                registrar=registrar,
                start=start,
                orgs=[o[k] for k in keys],
                categories=SENSITIVE_SHARE_CATEGORIES,
            ):
                sensitive = set(keys)
        return general, sensitive

    def _team(
        self,
        *,
        client: Client,
        programme: str,
        recorder_key: str,
        registrar: Membership,
        start: dt.date,
        end_date: dt.date | None,
        general: set[str],
        sensitive: set[str],
    ) -> list[tuple[Membership, bool]]:
        """Add the care team; return its members and whether each is the key worker."""
        rng = self.rng
        members: list[tuple[Membership, bool]] = []
        if programme == "ips-pilot" and "ips" in general:
            members += [(self._next(f"ips:{Role.EMPLOYMENT_SPECIALIST}"), True)]
        else:
            members += [(registrar, True)]
        if "kela" in general and rng.random() < 0.3:  # noqa: PLR2004
            members.append((self._next(f"kela:{Role.BENEFITS_COUNSELLOR}"), False))
        if "health" in sensitive and rng.random() < 0.5:  # noqa: PLR2004
            members.append((self._next(f"health:{Role.HEALTH_PROFESSIONAL}"), False))
        if "social" in sensitive and recorder_key != "social" and rng.random() < 0.5:  # noqa: PLR2004
            members.append((self._next(f"social:{Role.SOCIAL_WORKER}"), False))
        added = _aware(start, rng)
        # When the episode ends the team is closed; the rows stay as history.
        removed = _aware(end_date, rng) if end_date else None
        for membership, key in members:
            self.team.append(
                CareTeamMember(
                    client=client,
                    membership=membership,
                    is_key_worker=key and removed is None,
                    added_at=added,
                    added_by=registrar,
                    removed_at=removed,
                    removed_by=registrar if removed else None,
                )
            )
        return members

    def flush(self, result: SeedResult) -> None:
        _bulk(Client, self.clients)  # type: ignore[arg-type]
        _bulk(Episode, self.episodes)  # type: ignore[arg-type]
        _bulk(Consent, self.consents)  # type: ignore[arg-type]
        Consent.organisations.through.objects.bulk_create(self.consent_orgs, batch_size=BATCH)  # type: ignore[arg-type]
        _bulk(ConsentCategory, self.scopes)  # type: ignore[arg-type]
        _bulk(CareTeamMember, self.team)  # type: ignore[arg-type]
        result.clients += len(self.clients)
        result.episodes += len(self.episodes)
        result.consents += len(self.consents)
        result.team_members += len(self.team)
        result.plans.add(self.plans.add(self.cases))
        self.clients, self.episodes, self.consents = [], [], []
        self.consent_orgs, self.scopes, self.team, self.cases = [], [], [], []


def ensure_crypto_key() -> None:
    """Fail early, before thousands of rows, if the encryption key cannot be derived."""
    crypto.digest("check")
