"""The demo network: a Helsinki-like set of organisations, programmes and staff.

All people are synthetic; identity codes use the artificial individual numbers 900–999.
"""

from __future__ import annotations

from dataclasses import dataclass

from polku.core.models import OrganisationKind as Kind
from polku.core.roles import Role

# Shared by every demo login; printed by `make demo`. Never used outside the demo.
DEMO_PASSWORD = "polku-demo-2026"  # noqa: S105 - a published demo password, by design


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name_fi: str
    name_sv: str
    name_en: str
    kind: str
    business_id: str  # real public IDs for public bodies; synthetic, valid ones otherwise


ORGANISATIONS = [
    OrgSpec(
        "employment",
        "Helsingin työllisyyspalvelut",
        "Helsingfors sysselsättningstjänster",
        "Helsinki Employment Services",
        Kind.MUNICIPAL_EMPLOYMENT,
        "0201256-6",
    ),
    OrgSpec(
        "social",
        "Helsingin sosiaalipalvelut",
        "Helsingfors socialtjänster",
        "Helsinki Social Services",
        Kind.SOCIAL_SERVICES,
        "0201256-6",
    ),
    OrgSpec(
        "health",
        "Helsingin terveyspalvelut",
        "Helsingfors hälsovårdstjänster",
        "Helsinki Health Services",
        Kind.HEALTH_CARE,
        "0201256-6",
    ),
    OrgSpec(
        "kela",
        "Kela",
        "FPA",
        "Kela (Social Insurance Institution)",
        Kind.SOCIAL_INSURANCE,
        "0246246-0",
    ),
    OrgSpec(
        "ips",
        "Työpolku IPS-valmennus",
        "Arbetsstigen IPS-coachning",
        "Työpolku IPS Coaching",
        Kind.SERVICE_PROVIDER,
        "1732050-2",
    ),
    OrgSpec(
        "provider_a",
        "Uraverkko Oy",
        "Uraverkko Ab",
        "Uraverkko Ltd",
        Kind.SERVICE_PROVIDER,
        "2236067-2",
    ),
    OrgSpec(
        "provider_b",
        "Osaamispolku ry",
        "Kompetensstigen rf",
        "Osaamispolku Association",
        Kind.SERVICE_PROVIDER,
        "1618033-3",
    ),
    OrgSpec(
        "social_enterprise",
        "Arjen Työ Oy",
        "Vardagsarbete Ab",
        "Arjen Työ Ltd",
        Kind.SOCIAL_ENTERPRISE,
        "1414213-0",
    ),
]


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    org: str
    target: int
    share: float  # of demo clients


PROGRAMMES = [
    ProgrammeSpec(
        "ips-pilot",
        "IPS-työhönvalmennus (ESR+-pilotti)",
        "IPS-jobbcoachning (ESF+-pilot)",
        "IPS job coaching (ESF+ pilot)",
        "employment",
        350,
        0.6,
    ),
    ProgrammeSpec(
        "rehab-to-work",
        "Kuntouttavasta työtoiminnasta työhön",
        "Från rehabiliterande arbetsverksamhet till arbete",
        "From rehabilitative work activity to work",
        "social",
        200,
        0.25,
    ),
    ProgrammeSpec(
        "outcome-trial",
        "Tulosperusteinen palvelukokeilu",
        "Resultatbaserat serviceförsök",
        "Outcome-based service trial",
        "employment",
        600,
        0.15,
    ),
]


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    org: str
    role: str
    title: str
    printed: bool = False  # one printed login per role


STAFF = [
    StaffSpec(
        "coordinator",
        "Aino",
        "Virtanen",
        "employment",
        Role.COORDINATOR,
        "Omatyöntekijä / key worker",
        printed=True,
    ),
    StaffSpec(
        "coach",
        "Mikael",
        "Lindqvist",
        "ips",
        Role.EMPLOYMENT_SPECIALIST,
        "IPS-työhönvalmentaja",
        printed=True,
    ),
    StaffSpec(
        "socialworker",
        "Leena",
        "Mäkinen",
        "social",
        Role.SOCIAL_WORKER,
        "Sosiaalityöntekijä",
        printed=True,
    ),
    StaffSpec(
        "nurse",
        "Jussi",
        "Heikkinen",
        "health",
        Role.HEALTH_PROFESSIONAL,
        "Mielenterveyshoitaja",
        printed=True,
    ),
    StaffSpec(
        "benefits",
        "Sanna",
        "Korhonen",
        "kela",
        Role.BENEFITS_COUNSELLOR,
        "Etuusneuvoja",
        printed=True,
    ),
    StaffSpec(
        "liaison",
        "Petri",
        "Nieminen",
        "employment",
        Role.EMPLOYER_LIAISON,
        "Yrityskoordinaattori",
        printed=True,
    ),
    StaffSpec(
        "manager",
        "Kaisa",
        "Laine",
        "employment",
        Role.PROGRAMME_MANAGER,
        "Projektipäällikkö",
        printed=True,
    ),
    StaffSpec(
        "evaluator", "Olli", "Hämäläinen", "employment", Role.EVALUATOR, "Arvioija", printed=True
    ),
    StaffSpec(
        "orgadmin",
        "Tiina",
        "Koskinen",
        "employment",
        Role.ORGANISATION_ADMIN,
        "Pääkäyttäjä",
        printed=True,
    ),
    StaffSpec(
        "auditor",
        "Markku",
        "Järvinen",
        "employment",
        Role.AUDITOR,
        "Tietosuojavastaava",
        printed=True,
    ),
    # The programme manager also evaluates: a user with two memberships chooses one at sign-in.
    StaffSpec("manager", "Kaisa", "Laine", "employment", Role.EVALUATOR, "Arvioija"),
    StaffSpec("coordinator2", "Hanna", "Salonen", "provider_a", Role.COORDINATOR, "Valmentaja"),
    StaffSpec("coordinator3", "Elina", "Rantanen", "provider_b", Role.COORDINATOR, "Ohjaaja"),
    StaffSpec(
        "coach2", "Antti", "Karjalainen", "ips", Role.EMPLOYMENT_SPECIALIST, "IPS-työhönvalmentaja"
    ),
    StaffSpec(
        "coach3", "Johanna", "Lehtonen", "ips", Role.EMPLOYMENT_SPECIALIST, "IPS-työhönvalmentaja"
    ),
    StaffSpec(
        "coach4", "Ville", "Ahonen", "ips", Role.EMPLOYMENT_SPECIALIST, "IPS-työhönvalmentaja"
    ),
    StaffSpec(
        "coach5", "Riikka", "Saarinen", "ips", Role.EMPLOYMENT_SPECIALIST, "IPS-työhönvalmentaja"
    ),
    StaffSpec("coach6", "Tomas", "Holmström", "ips", Role.EMPLOYMENT_SPECIALIST, "IPS-jobbcoach"),
    StaffSpec("socialworker2", "Satu", "Leinonen", "social", Role.SOCIAL_WORKER, "Sosiaaliohjaaja"),
    # Social services' lead sees every client the unit registered, as coordinators do.
    StaffSpec(
        "socialcoordinator",
        "Fredrik",
        "Blomqvist",
        "social",
        Role.COORDINATOR,
        "Ledande socialarbetare",
    ),
    StaffSpec(
        "nurse2", "Minna", "Kettunen", "health", Role.HEALTH_PROFESSIONAL, "Terveydenhoitaja"
    ),
    # The social enterprise answers the referrals to its job training.
    StaffSpec(
        "workcoach",
        "Sami",
        "Nieminen",
        "social_enterprise",
        Role.EMPLOYMENT_SPECIALIST,
        "Työvalmentaja",
    ),
]
