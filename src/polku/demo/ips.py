"""Demo data of the IPS app: the employment specialists' cases, career profiles, job search,
benefits counselling, placements and follow-along support, their employer contacts and time,
and two completed fidelity reviews of the IPS pilot.

generator.py hands over each batch of clients (`collect`, cheap: a few facts per client) and,
when every client is in the database, calls `finish`, which builds the employer register
(demo/employers.py) and then everything else, in memory and with bulk inserts — no service
calls, no query per client. The caseloads need the whole picture: a specialist's open cases
are the latest entries among the clients on whose care team they are, at most 20 each (IPS
item 1) except one specialist slightly over, so the caseload warning has something to show;
the older entries' IPS work ended earlier.

The rows keep the rules the IPS services enforce: a case only for a client in the IPS pilot
whose care team has the specialist (the clients generator put them there, with the client's
consent to share with the IPS provider), recorded by the IPS organisation; one open case per
client, entry on or after the episode's start, ended cases for ended episodes; career profiles
as versions, never edited; benefits counselling by the specialist or the Kela counsellor on the
client's team; placements with a valid ISCO code, an end reason whenever they end and
follow-along support from their start, time-unlimited unless the client chose to end it.
Texts the staff write about a client are in the client's language (Finnish, Swedish, or English
for everyone else), as in demo/plans.py. Its own random generator, seeded from `--seed`, keeps
the clients and their plans exactly as they were before this extension.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, TypeVar

from polku.clients.models import EndReason, Gender, Programme
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.demo.catalogue import Text
from polku.demo.employers import (
    JOB_TITLES,
    EmployerCounts,
    EmployerInfo,
    EmployersGenerator,
    Register,
    VacancyInfo,
    save_contacts,
    working_days,
)
from polku.demo.plans import Case, _insert
from polku.employers.models import InteractionKind, InteractionPurpose, VacancyStatus
from polku.ips.fidelity import indicators
from polku.ips.fidelity.indicators.base import add_months
from polku.ips.models import (
    CASELOAD_LIMIT,
    ActivityKind,
    BenefitsCounselling,
    CareerProfile,
    CaseEndReason,
    Disclosure,
    FidelityReview,
    FidelityScore,
    FollowAlongSupport,
    HoursPreference,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
    PlacementEndReason,
    ReviewStatus,
    SupportMode,
    SupportWith,
    TimeActivity,
    TimeEntry,
)

T = TypeVar("T")
A = ActivityKind
IPS_PROGRAMME = "ips-pilot"
CHUNK = 1000  # cases written at a time
PLACED_SHARE = 0.37  # of the clients with an IPS case: 30–45 % in the issue
MIN_DAYS_TO_A_JOB = 30
MAX_ACTIVITIES_IN_A_SEARCH = 30  # in an open case; 12 in an ended one
SUGGEST_UP_TO_CASES = 2000  # fidelity suggestions for the demo's reviews up to this many cases
TIME_WEEKS = 8

# --- What the specialists write, in the client's language -------------------------------------


@dataclass(frozen=True)
class Background:
    """A work history with the occupations it leads the client to prefer (ISCO-08)."""

    history: Text
    occupations: tuple[str, ...]
    newcomer: bool = False  # a history abroad: for clients who speak neither Finnish nor Swedish


BACKGROUNDS = [
    Background(
        Text(
            "Varastotyöntekijänä kahdeksan vuotta, viimeksi 2019; sen jälkeen lyhyitä keikkatöitä.",
            "Lagerarbetare i åtta år, senast 2019; därefter korta ströjobb.",
            "Eight years as a warehouse worker, last in 2019; short gig jobs since.",
        ),
        ("933", "834", "432"),
    ),
    Background(
        Text(
            "Kokkina ja keittiöapulaisena ravintoloissa; pitkä tauko terveyssyistä.",
            "Kock och köksbiträde på restauranger; lång paus av hälsoskäl.",
            "Cook and kitchen assistant in restaurants; a long break for health reasons.",
        ),
        ("512", "941", "513"),
    ),
    Background(
        Text(
            "Siivous- ja kiinteistöhuoltotöitä eri yrityksissä; viimeisin työsuhde päättyi 2021.",
            "Städ- och fastighetsskötsel i olika företag; senaste anställningen slutade 2021.",
            "Cleaning and property maintenance in several companies; the last job ended in 2021.",
        ),
        ("911", "515", "912"),
    ),
    Background(
        Text(
            "Myyjänä vaatekaupassa ja kassalla päivittäistavarakaupassa.",
            "Försäljare i en klädbutik och kassör i en livsmedelsbutik.",
            "Sales assistant in a clothes shop and cashier in a grocery store.",
        ),
        ("522", "523", "524"),
    ),
    Background(
        Text(
            "Rakennustyömailla apumiehenä; yrittäjänä muutaman vuoden.",
            "Byggmedhjälpare på byggarbetsplatser; företagare i några år.",
            "Construction labourer on building sites; self-employed for a few years.",
        ),
        ("931", "711", "713"),
    ),
    Background(
        Text(
            "Asiakaspalvelua puhelinpalvelussa; IT-tukea opintojen ohessa.",
            "Kundtjänst i telefon; IT-stöd vid sidan av studierna.",
            "Customer service on the phone; IT support alongside studies.",
        ),
        ("422", "351", "411"),
    ),
    Background(
        Text(
            "Ei aiempaa palkkatyötä Suomessa; kotimaassa kuljettajana.",
            "Inget tidigare lönearbete i Finland; chaufför i hemlandet.",
            "No previous paid work in Finland; worked as a driver in the home country.",
        ),
        ("832", "933", "962"),
        newcomer=True,
    ),
    Background(
        Text(
            "Tehdastyötä pakkaamossa ja kokoonpanossa; irtisanottiin tuotannon loppuessa.",
            "Fabriksarbete i packeri och montering; uppsagd när produktionen lades ner.",
            "Factory work in packing and assembly; laid off when production closed.",
        ),
        ("932", "821", "751"),
    ),
    Background(
        Text(
            "Hoiva-avustajana palvelutalossa ja lastenhoitajana perhepäivähoidossa.",
            "Vårdbiträde på ett servicehus och barnskötare i familjedagvård.",
            "Care assistant in a service home and childminder in family day care.",
        ),
        ("532", "531", "941"),
    ),
]
EDUCATION = [
    Text(
        "Peruskoulu; logistiikan perustutkinto kesken.",
        "Grundskola; grundexamen i logistik avbruten.",
        "Comprehensive school; vocational qualification in logistics not completed.",
    ),
    Text(
        "Ravintola- ja catering-alan perustutkinto.",
        "Grundexamen i restaurang- och cateringbranschen.",
        "Vocational qualification in restaurant and catering.",
    ),
    Text(
        "Ylioppilas; tradenomiopintoja kaksi vuotta.",
        "Student; två år av tradenomstudier.",
        "Matriculation examination; two years of business studies.",
    ),
    Text(
        "Kiinteistöpalvelujen perustutkinto.",
        "Grundexamen inom fastighetsservice.",
        "Vocational qualification in property services.",
    ),
    Text("Peruskoulu.", "Grundskola.", "Comprehensive school."),
]
NEWCOMER_EDUCATION = Text(
    "Toisen asteen tutkinto kotimaassa; suomen kielen kursseja.",
    "Examen på andra stadiet i hemlandet; kurser i finska.",
    "Upper secondary qualification in the home country; Finnish courses.",
)
STRENGTHS = [
    Text(
        "Täsmällinen ja luotettava; hyvä fyysinen kunto.",
        "Noggrann och pålitlig; god fysisk kondition.",
        "Punctual and reliable; in good physical shape.",
    ),
    Text(
        "Hyvä asiakaspalvelija, pitää ihmisten kanssa toimimisesta.",
        "Bra på kundservice, tycker om att arbeta med människor.",
        "Good with customers; enjoys working with people.",
    ),
    Text(
        "Kätevä käsistään ja tottunut koneisiin.",
        "Händig och van vid maskiner.",
        "Good with their hands and used to machines.",
    ),
    Text(
        "Kielitaitoinen: puhuu neljää kieltä.",
        "Språkkunnig: talar fyra språk.",
        "Speaks four languages.",
    ),
    Text(
        "Motivoitunut ja oppii nopeasti uusia asioita.",
        "Motiverad och lär sig nytt snabbt.",
        "Motivated and quick to learn.",
    ),
]
BARRIERS = [
    Text(
        "Pitkä työttömyys; jännittää työhaastatteluja.",
        "Lång arbetslöshet; nervös inför anställningsintervjuer.",
        "Long unemployment; nervous in job interviews.",
    ),
    Text(
        "Selkävaivat rajoittavat raskaita nostoja.",
        "Ryggbesvär begränsar tunga lyft.",
        "Back problems limit heavy lifting.",
    ),
    Text(
        "Mielialan vaihtelut; jaksaminen aamuvuoroissa epävarmaa.",
        "Humörsvängningar; osäker ork i morgonskift.",
        "Mood swings; early shifts may be hard.",
    ),
    Text(
        "Ei ajokorttia; pitkä matka joukkoliikenteen pysäkille.",
        "Inget körkort; lång väg till kollektivtrafiken.",
        "No driving licence; a long way to public transport.",
    ),
    Text(
        "Aukkoja työhistoriassa, joita pitää osata selittää.",
        "Luckor i arbetshistorien som behöver förklaras.",
        "Gaps in the work history that need explaining.",
    ),
]
NEWCOMER_BARRIER = Text(
    "Suomen kielen taito vielä alkeistasolla.",
    "Kunskaperna i finska ännu på grundnivå.",
    "Finnish still at a beginner's level.",
)
SUPPORT_NEEDS = [
    Text(
        "Tukea haastatteluihin valmistautumiseen; työpaikalla alussa tiivis tuki.",
        "Stöd i att förbereda intervjuer; tätt stöd i början på arbetsplatsen.",
        "Help preparing for interviews; close support at the workplace at first.",
    ),
    Text(
        "Työajan porrastus: aloitus 20 tunnilla viikossa.",
        "Stegvis arbetstid: börjar med 20 timmar i veckan.",
        "Hours stepped up: starting at 20 hours a week.",
    ),
    Text(
        "Apua etuuksien yhteensovittamisessa palkan kanssa.",
        "Hjälp med att samordna förmånerna med lönen.",
        "Help with fitting benefits together with wages.",
    ),
    Text(
        "Selkeät kirjalliset ohjeet ja työpari perehdytykseen.",
        "Tydliga skriftliga instruktioner och en arbetskamrat för introduktionen.",
        "Clear written instructions and a work buddy for the induction.",
    ),
]
PLACES = [
    Text("Itä-Helsinki", "Östra Helsingfors", "East Helsinki"),
    Text("Helsingin keskusta", "Helsingfors centrum", "Central Helsinki"),
    Text("Vantaa, Tikkurilan lähellä", "Vanda, nära Dickursby", "Vantaa, near Tikkurila"),
    Text("Espoo tai Länsi-Helsinki", "Esbo eller västra Helsingfors", "Espoo or West Helsinki"),
    Text(
        "Koko pääkaupunkiseutu julkisilla kulkien",
        "Hela huvudstadsregionen med kollektivtrafik",
        "Anywhere in the capital region by public transport",
    ),
]
DISCLOSURE_NOTES: dict[str, Text] = {
    Disclosure.DISCLOSE: Text(
        "Saa kertoa, että taustalla on pitkä sairausloma; ei diagnooseja.",
        "Får berätta att det finns en lång sjukledighet bakom; inga diagnoser.",
        "May say there was a long sick leave; no diagnoses.",
    ),
    Disclosure.PARTLY: Text(
        "Kertoo itse esihenkilölle tarvittaessa; työhönvalmentaja ei kerro.",
        "Berättar själv för chefen vid behov; jobbcoachen berättar inte.",
        "Tells the manager themselves if needed; the specialist does not.",
    ),
    Disclosure.NOT_DISCLOSE: Text(
        "Ei halua, että työnantajalle kerrotaan terveydentilasta.",
        "Vill inte att arbetsgivaren får veta om hälsotillståndet.",
        "Does not want the employer told about their health.",
    ),
}
GOAL = Text(
    "Palkkatyö avoimilta työmarkkinoilta: %s.",
    "Lönearbete på den öppna arbetsmarknaden: %s.",
    "A paid job in the open labour market: %s.",
)
STEPS = Text(
    "1) Ansioluettelo kuntoon. 2) Työnantajakäynnit yhdessä työhönvalmentajan kanssa joka "
    "viikko. 3) Kolme hakemusta viikossa. 4) Etuuslaskelma ennen työn aloittamista.",
    "1) Uppdatera cv:t. 2) Besök hos arbetsgivare tillsammans med jobbcoachen varje vecka. "
    "3) Tre ansökningar i veckan. 4) En förmånskalkyl innan jobbet börjar.",
    "1) Update the CV. 2) Employer visits with the employment specialist every week. "
    "3) Three applications a week. 4) A benefits calculation before the job starts.",
)
ACTIVITY_NOTES: dict[str, Text] = {
    A.EMPLOYER_MEETING: Text(
        "Kävimme yhdessä työnantajan luona esittäytymässä.",
        "Vi besökte arbetsgivaren tillsammans och presenterade oss.",
        "We visited the employer together to introduce ourselves.",
    ),
    A.INTERVIEW: Text(
        "Työhaastattelu; valmistauduimme edellisenä päivänä.",
        "Anställningsintervju; vi förberedde oss dagen innan.",
        "Job interview; we prepared the day before.",
    ),
    A.EMPLOYER_CALL: Text(
        "Soitto työnantajalle avoimesta paikasta.",
        "Samtal till arbetsgivaren om ett ledigt jobb.",
        "Called the employer about a vacancy.",
    ),
    A.APPLICATION: Text("Hakemus lähetetty.", "Ansökan skickad.", "Application sent."),
    A.WORK_TRIAL: Text(
        "Tutustumispäivä työpaikalla.",
        "Introduktionsdag på arbetsplatsen.",
        "A trial day at the workplace.",
    ),
    A.OTHER: Text(
        "Kävimme läpi työnhakuportaaleja.",
        "Vi gick igenom jobbportalerna.",
        "Went through the job portals.",
    ),
}
SUPPORT_TEXTS: dict[str, list[Text]] = {
    SupportWith.CLIENT: [
        Text(
            "Kuulumiset työstä; vuorot sopivat hyvin.",
            "Hur arbetet går; skiften passar bra.",
            "How the work is going; the shifts suit well.",
        ),
        Text(
            "Keskustelimme jaksamisesta ja työmatkoista.",
            "Vi talade om ork och arbetsresor.",
            "Talked about energy levels and the commute.",
        ),
        Text(
            "Palkkalaskelma käytiin läpi yhdessä; etuudet sovitettu.",
            "Vi gick igenom lönespecifikationen tillsammans; förmånerna samordnade.",
            "Went through the payslip together; benefits adjusted.",
        ),
    ],
    SupportWith.EMPLOYER: [
        Text(
            "Esihenkilön kanssa sovittiin perehdytyksen jatkosta.",
            "Avtalade med chefen om fortsatt introduktion.",
            "Agreed further induction with the supervisor.",
        ),
        Text(
            "Työnantajan palaute hyvää; tuntimäärää voidaan nostaa.",
            "Arbetsgivaren ger bra respons; timmarna kan ökas.",
            "Good feedback from the employer; hours can be increased.",
        ),
    ],
    SupportWith.BOTH: [
        Text(
            "Kolmikantapalaveri työpaikalla: työtehtäviä selkeytettiin.",
            "Trepartsmöte på arbetsplatsen: arbetsuppgifterna förtydligades.",
            "Three-way meeting at the workplace: tasks clarified.",
        ),
        Text(
            "Sovittiin työajan porrastuksesta 25 tuntiin viikossa.",
            "Avtalade om att öka arbetstiden stegvis till 25 timmar i veckan.",
            "Agreed to step the hours up to 25 a week.",
        ),
    ],
}
COUNSELLING_NOTES = [
    Text(
        "Laskettiin, miten palkka vaikuttaa työmarkkinatukeen ja asumistukeen; työ kannattaa.",
        "Beräknade hur lönen påverkar arbetsmarknadsstödet och bostadsbidraget; arbete lönar sig.",
        "Worked out how wages affect the labour market subsidy and housing allowance; work pays.",
    ),
    Text(
        "Käytiin läpi soviteltavan päivärahan ilmoittaminen.",
        "Gick igenom hur jämkad dagpenning anmäls.",
        "Went through how to report earnings for the adjusted daily allowance.",
    ),
    Text(
        "Kerrottiin työtulojen vaikutuksesta toimeentulotukeen.",
        "Berättade hur arbetsinkomster påverkar utkomststödet.",
        "Explained how earnings affect social assistance.",
    ),
]
# forms.BENEFIT_TOPICS codes (ips/services/counselling.py).
BENEFIT_TOPICS = [
    "earnings_adjustment",
    "housing_allowance",
    "social_assistance",
    "disability_benefits",
    "taxation",
    "pay_subsidy",
]

# --- Distributions ----------------------------------------------------------------------------

CASE_END_REASONS: dict[str, list[tuple[str, int]]] = {
    EndReason.EMPLOYED: [(CaseEndReason.EMPLOYED, 1)],
    EndReason.SUBSIDISED_EMPLOYMENT: [(CaseEndReason.EMPLOYED, 1)],
    EndReason.EDUCATION: [(CaseEndReason.EDUCATION, 1)],
    EndReason.MOVED: [(CaseEndReason.MOVED, 1)],
    EndReason.DROPPED_OUT: [(CaseEndReason.CLIENT_CHOICE, 70), (CaseEndReason.UNREACHABLE, 30)],
}
# Why the older entries' IPS work ended while their programme episode goes on.
EARLIER_END_REASONS = [
    (CaseEndReason.EMPLOYED, 30),
    (CaseEndReason.EDUCATION, 25),
    (CaseEndReason.CLIENT_CHOICE, 35),
    (CaseEndReason.UNREACHABLE, 5),
    (CaseEndReason.OTHER, 5),
]
PLACEMENT_END_REASONS = [
    (PlacementEndReason.TEMPORARY_ENDED, 40),
    (PlacementEndReason.QUIT, 25),
    (PlacementEndReason.FIRED, 10),
    (PlacementEndReason.PROMOTED, 25),
]
# Any occupation the clients end up in, beside their own preferences.
OTHER_JOBS: list[tuple[str, int]] = [(code, 1) for code in sorted(JOB_TITLES)]
HOURS = [
    (Decimal(10), 5),
    (Decimal(15), 10),
    (Decimal(20), 20),
    (Decimal(25), 15),
    (Decimal(30), 20),
    (Decimal("37.5"), 30),
]
# Hourly wage range (€) by ISCO major group: €11–18 across the jobs the pilot finds.
WAGES: dict[str, tuple[int, int]] = {
    "2": (1650, 1800),
    "3": (1500, 1800),
    "4": (1300, 1550),
    "5": (1200, 1450),
    "7": (1400, 1700),
    "8": (1300, 1600),
    "9": (1100, 1350),
}
ACTIVITY_KINDS = [
    (A.APPLICATION, 30),
    (A.EMPLOYER_CALL, 20),
    (A.EMPLOYER_MEETING, 20),
    (A.INTERVIEW, 15),
    (A.WORK_TRIAL, 5),
    (A.OTHER, 10),
]
# How often the specialist goes along, by kind of activity.
SPECIALIST_PRESENT: dict[str, float] = {
    A.EMPLOYER_MEETING: 0.75,
    A.WORK_TRIAL: 0.5,
    A.INTERVIEW: 0.3,
}
FIRST_CONTACT_KINDS = [(A.EMPLOYER_MEETING, 60), (A.INTERVIEW, 25), (A.WORK_TRIAL, 15)]
DISCLOSURES = [
    (Disclosure.UNDECIDED, 40),
    (Disclosure.DISCLOSE, 20),
    (Disclosure.PARTLY, 25),
    (Disclosure.NOT_DISCLOSE, 15),
]


# --- The two fidelity reviews -----------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSpec:
    months_ago: int
    reviewers: str
    notes: str
    scores: tuple[tuple[int, str], ...]  # (score, evidence) for items 1–25


OLDER_REVIEW = ReviewSpec(
    12,
    "Anna Virtanen, Erik Lindqvist",
    "Palvelu toimii kohtuullisella menetelmäuskollisuudella. Suositukset: työnantajakäyntejä "
    "lisää (tavoite kuusi viikossa), etuusneuvonta jokaiselle ennen työn alkua, säännöllinen "
    "yhteistyö hoitotiimien kanssa ja työssä pysymisen tuen jatkuminen yli vuoden.",
    (
        (4, "Asiakkaita 15–24 valmentajaa kohden; kaksi valmentajaa ajoittain yli 20."),
        (5, "Valmentajat tekevät vain työhönvalmennusta; ei muita tehtäviä."),
        (4, "Valmentajat hoitavat kaikki vaiheet, mutta työssä pysymisen tuki on osin jaettu."),
        (3, "Kukin valmentaja kuuluu 3–4 tiimiin; yhteys hoitotiimeihin vaihtelee."),
        (3, "Verkostopalavereja noin kuukausittain; yhteisiä päätöksiä kirjattu vähän."),
        (3, "Kelan kanssa tavataan neljännesvuosittain; yhteisiä asiakkaita käyty läpi harvoin."),
        (4, "Kuusi valmentajaa ja esihenkilö; ryhmätyönohjaus joka toinen viikko."),
        (3, "Esihenkilö ohjaa, mutta tuloksia seurataan satunnaisesti."),
        (5, "Ei valintakriteerejä; kaikki halukkaat otetaan mukaan."),
        (
            3,
            "Kilpailluilla työmarkkinoilla työllistymistä korostetaan, ei vielä kaikissa "
            "esitteissä.",
        ),
        (3, "Johto tukee pilottia, mutta johtoryhmä ei seuraa tuloksia säännöllisesti."),
        (
            3,
            "Etuusneuvontaa saanut noin 60 % asiakkaista; laskelmat tehdään usein vasta "
            "työn alettua.",
        ),
        (4, "Työnantajalle kertomisesta keskustellaan ja päätös kirjataan useimmille."),
        (3, "Urasuunnitelma päivitetään harvoin työkokemusten jälkeen."),
        (4, "Ensimmäinen työnantajakontakti keskimäärin 38 päivän kuluttua aloituksesta."),
        (4, "Työpaikat vastaavat useimmiten asiakkaan toiveita."),
        (3, "Valmentajien mukaan noin neljä käyntiä viikossa; käyntejä ei vielä kirjattu."),
        (3, "Käynnit painottuvat esittäytymiseen; tarpeiden kartoitus jää usein ohueksi."),
        (4, "Työtehtävät monipuolisia; varasto- ja siivoustyö korostuvat."),
        (5, "Lähes jokainen työllistyminen eri työnantajalle."),
        (4, "Noin 90 % työpaikoista avoimilla työmarkkinoilla."),
        (4, "Tuki räätälöidään; työnantajan kanssa sovitaan tuesta tarvittaessa."),
        (3, "Tuki päättyy usein noin puolen vuoden jälkeen."),
        (3, "Arviolta puolet ajasta toimiston ulkopuolella; ajankäyttöä ei vielä kirjattu."),
        (3, "Poisjäävien tavoittelu kahdella yhteydenotolla, ei kotikäyntejä."),
    ),
)
NEWER_REVIEW = ReviewSpec(
    1,
    "Anna Virtanen, Sofia Nyberg",
    "Hyvä menetelmäuskollisuus. Edistystä etenkin työnantajayhteistyössä, etuusneuvonnassa ja "
    "työssä pysymisen tuessa. Suositukset: aktiivisempi tavoittelu, kun asiakas jää pois, ja "
    "työnantajakäyntien laadun kehittäminen (tarpeiden kartoitus).",
    (
        (5, "Keskimäärin 20 asiakasta valmentajaa kohden; yksi valmentaja hieman yli rajan."),
        (5, "Valmentajat tekevät vain työhönvalmennusta."),
        (4, "Kaikki vaiheet samalla valmentajalla; tuki jatkuu saman valmentajan kanssa."),
        (4, "Valmentajat kuuluvat 1–2 tiimiin; viikoittainen yhteys."),
        (4, "Viikoittaiset verkostopalaverit; yhteiset päätökset kirjataan suunnitelmaan."),
        (4, "Kelan asiantuntija tiimissä kuukausittain."),
        (5, "Kuusi valmentajaa ja esihenkilö; ryhmätyönohjaus viikoittain."),
        (4, "Esihenkilö seuraa tuloksia kuukausittain ja ohjaa uusia valmentajia."),
        (5, "Ei valintakriteerejä; ohjaukset otetaan vastaan sellaisenaan."),
        (4, "Kilpailtuun työhön tähtääminen näkyy esitteissä ja palavereissa."),
        (4, "Johtoryhmä käsittelee IPS-tulokset neljännesvuosittain."),
        (4, "Etuusneuvontaa noin 80 %:lle asiakkaista, useimmille ennen työn alkua."),
        (5, "Kertomisesta päätetään asiakkaan kanssa; päätös kirjataan kaikille."),
        (4, "Urasuunnitelma päivitetään työkokemusten jälkeen useimmilla."),
        (4, "Ensimmäinen työnantajakontakti keskimäärin 31 päivän kuluttua."),
        (4, "Työpaikat vastaavat asiakkaan toiveita noin 80 %:ssa."),
        (4, "Keskimäärin viisi työnantajakäyntiä viikossa valmentajaa kohden."),
        (3, "Suhteet työnantajiin vahvistuneet; tarpeiden kartoitus vielä vaihtelevaa."),
        (4, "Työtehtävät monipuolisia eri aloilta."),
        (5, "Työllistymiset lähes aina eri työnantajille; kohti 60 työnantajan tavoitetta."),
        (4, "Noin 90 % työpaikoista avoimilla työmarkkinoilla."),
        (4, "Tuki räätälöidään asiakkaan ja työnantajan tarpeiden mukaan."),
        (4, "Tuki jatkuu yli vuoden useimmilla; harvenee yksilöllisesti."),
        (4, "Noin 65 % ajasta toimiston ulkopuolella."),
        (3, "Poisjääneitä tavoitellaan, mutta yhteinen toimintamalli tiimien kanssa puuttuu."),
    ),
)
REVIEWS = (OLDER_REVIEW, NEWER_REVIEW)


@dataclass
class IpsCounts:
    cases: int = 0
    open_cases: int = 0
    career_profiles: int = 0
    job_search_plans: int = 0
    job_search_activities: int = 0
    benefits_counselling: int = 0
    placements: int = 0
    follow_along_supports: int = 0
    time_entries: int = 0
    fidelity_reviews: int = 0

    def add(self, other: IpsCounts) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Candidate:
    """What the IPS generator keeps of a client in the IPS pilot with a specialist on the team."""

    client_id: uuid.UUID
    language: str  # "fi", "sv" or "en": the language staff write to the client in
    gender: str
    episode_id: uuid.UUID
    start: dt.date
    end: dt.date | None
    end_reason: str
    coach: Membership
    counsellor: Membership | None  # a Kela benefits counsellor on the team


@dataclass
class _Case:
    candidate: _Candidate
    entry: dt.date
    end: dt.date | None = None
    end_reason: str = ""
    id: uuid.UUID | None = None
    placement_chance: float = 0.0


@dataclass
class _Placement:
    id: uuid.UUID
    employer: EmployerInfo
    start: dt.date
    end: dt.date | None
    follow_along_ended_on: dt.date | None


@dataclass
class _Rows:
    cases: list[dict[str, Any]] = field(default_factory=list)
    profiles: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    counselling: list[dict[str, Any]] = field(default_factory=list)
    placements: list[dict[str, Any]] = field(default_factory=list)
    supports: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)

    def save(self) -> tuple[IpsCounts, int]:
        _insert(IpsCase, self.cases)
        _insert(CareerProfile, self.profiles)
        _insert(JobSearchPlan, self.plans)
        _insert(BenefitsCounselling, self.counselling)
        _insert(JobPlacement, self.placements)
        _insert(FollowAlongSupport, self.supports)
        _insert(JobSearchActivity, self.activities)
        counts = IpsCounts(
            cases=len(self.cases),
            open_cases=sum(1 for row in self.cases if row["end_date"] is None),
            career_profiles=len(self.profiles),
            job_search_plans=len(self.plans),
            job_search_activities=len(self.activities),
            benefits_counselling=len(self.counselling),
            placements=len(self.placements),
            follow_along_supports=len(self.supports),
        )
        return counts, save_contacts(self.contacts)


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in options], weights=[w for _, w in options])[0]


def _text(text: Text, language: str) -> str:
    return {"fi": text.fi, "sv": text.sv}.get(language, text.en)


class IpsGenerator:
    """Adds the employers' and the IPS app's rows (see the module docstring)."""

    def __init__(
        self,
        *,
        seed: int,
        today: dt.date,
        orgs: dict[str, Organisation],
        staff: dict[str, list[Membership]],
        programmes: dict[str, Programme],
        clients: int,
    ) -> None:
        self.rng = random.Random(f"polku-demo-ips:{seed}")
        self.today = today
        self.orgs = orgs
        self.ips = orgs["ips"]
        self.staff = staff
        self.programme = programmes[IPS_PROGRAMME]
        self.clients = clients
        self.coaches = staff[f"ips:{Role.EMPLOYMENT_SPECIALIST}"]
        self.employers = EmployersGenerator(seed=seed, today=today, orgs=orgs, staff=staff)
        self.candidates: list[_Candidate] = []
        self.case_count = 0
        self.register = Register(employers=[])

    # --- helpers ---

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _moment(self, day: dt.date) -> dt.datetime:
        """Office hours in Helsinki on `day`, in UTC."""
        return dt.datetime(
            day.year,
            day.month,
            day.day,
            6 + self.rng.randint(0, 8),
            self.rng.randint(0, 59),
            tzinfo=dt.UTC,
        )

    def _day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def _record(self, client_id: uuid.UUID, by: Membership, day: dt.date) -> dict[str, Any]:
        """The columns every client record has."""
        return {
            "id": self._uuid(),
            "client_id": client_id,
            "recorded_by_id": by.organisation_id,
            "created_by_id": by.pk,
            "created_at": self._moment(day),
        }

    # --- per batch of clients ---

    def collect(self, cases: list[Case]) -> None:
        """Keep the facts of each client in the IPS pilot whose team has an IPS specialist."""
        for case in cases:
            episode = case.episode
            if episode.programme.code != IPS_PROGRAMME:
                continue
            coach = next(
                (
                    m
                    for m, _key in case.team
                    if m.role == Role.EMPLOYMENT_SPECIALIST and m.organisation_id == self.ips.pk
                ),
                None,
            )
            if coach is None:
                continue
            counsellor = next(
                (m for m, _key in case.team if m.role == Role.BENEFITS_COUNSELLOR), None
            )
            language = case.client.preferred_language
            self.candidates.append(
                _Candidate(
                    client_id=case.client.pk,
                    language=language if language in {"fi", "sv"} else "en",
                    gender=case.client.gender,
                    episode_id=episode.pk,
                    start=episode.start_date,
                    end=episode.end_date,
                    end_reason=episode.end_reason,
                    coach=coach,
                    counsellor=counsellor,
                )
            )

    # --- once every client is in ---

    def finish(self) -> tuple[EmployerCounts, IpsCounts]:
        employer_counts = EmployerCounts()
        self.register = self.employers.create(self.clients)
        employer_counts.add(self.employers.counts)
        counts = IpsCounts()
        cases = self._cases()
        self.case_count = len(cases)
        for start in range(0, len(cases), CHUNK):
            rows = _Rows()
            for case in cases[start : start + CHUNK]:
                self._case(case, rows)
            saved, contacts = rows.save()
            counts.add(saved)
            employer_counts.contacts += contacts
        employer_counts.contacts += save_contacts(self.employers.contacts(self.register))
        counts.time_entries = self._time()
        counts.fidelity_reviews = self._reviews()
        return employer_counts, counts

    def _cases(self) -> list[_Case]:
        """Every candidate's case; a specialist's open ones are their latest entries, at most 20
        (one specialist a little over)."""
        rng, today = self.rng, self.today
        cases: list[_Case] = []
        open_by_coach: dict[int, list[_Case]] = {}
        for candidate in self.candidates:
            last = candidate.end or today
            entry = min(candidate.start + dt.timedelta(days=rng.choice([0, 0, 1, 2, 3, 7])), last)
            case = _Case(candidate=candidate, entry=entry)
            if candidate.end is not None:
                case.end = candidate.end
                options = CASE_END_REASONS.get(candidate.end_reason, [(CaseEndReason.OTHER, 1)])
                case.end_reason = _weighted(rng, options)
            else:
                open_by_coach.setdefault(candidate.coach.pk, []).append(case)
            cases.append(case)
        busy = self._busy(open_by_coach)
        for coach_id, open_cases in sorted(open_by_coach.items()):
            limit = CASELOAD_LIMIT + (rng.randint(1, 2) if coach_id == busy else 0)
            open_cases.sort(key=lambda c: (c.entry, c.candidate.client_id))
            for case in open_cases[: max(0, len(open_cases) - limit)]:
                earliest = min(case.entry + dt.timedelta(days=90), today - dt.timedelta(days=1))
                case.end = max(self._day(earliest, today - dt.timedelta(days=1)), case.entry)
                case.end_reason = _weighted(rng, EARLIER_END_REASONS)
        self._placement_chances(cases)
        return cases

    def _placement_chances(self, cases: list[_Case]) -> None:
        """Each case's chance of a job, so that about 38 % of the clients get one: those whose
        case ended in work did; of the rest, those longer in the service are likelier."""
        weights: list[tuple[_Case, float]] = []
        employed = 0
        for case in cases:
            if case.end_reason == CaseEndReason.EMPLOYED:
                employed += 1
                continue
            span = ((case.end or self.today) - case.entry).days
            if span < MIN_DAYS_TO_A_JOB:
                continue
            weight = min(1.0, 0.2 + span / 365)
            if case.candidate.gender == Gender.MAN:
                weight *= 1.1  # the pilot's male-differentiated approach
            weights.append((case, weight))
        wanted = max(0.0, PLACED_SHARE * len(cases) - employed)
        total = sum(weight for _case, weight in weights) or 1.0
        for case, weight in weights:
            case.placement_chance = min(0.9, wanted * weight / total)

    def _busy(self, open_by_coach: dict[int, list[_Case]]) -> int | None:
        """The specialist a little over the limit: the printed demo coach if they have enough
        clients (their caseload page then shows the warning), else the busiest one."""
        enough = [pk for pk, cases in open_by_coach.items() if len(cases) > CASELOAD_LIMIT]
        if not enough:
            return None
        first = self.coaches[0].pk
        return first if first in enough else max(enough, key=lambda pk: len(open_by_coach[pk]))

    # --- one client's IPS work ---

    def _case(self, case: _Case, rows: _Rows) -> None:
        candidate = case.candidate
        coach = candidate.coach
        row = self._record(candidate.client_id, coach, case.entry)
        case.id = row["id"]
        rows.cases.append(
            {
                **row,
                "episode_id": candidate.episode_id,
                "specialist_id": coach.pk,
                "start_date": case.entry,
                "end_date": case.end,
                "end_reason": case.end_reason,
            }
        )
        newcomer = candidate.language == "en"  # speaks neither Finnish nor Swedish
        background = self.rng.choice([b for b in BACKGROUNDS if newcomer or not b.newcomer])
        preferences = list(background.occupations[: self.rng.randint(1, 2)])
        if self._chance(0.3):
            extra = _weighted(self.rng, OTHER_JOBS)
            if extra not in preferences:
                preferences.append(extra)
        placements = self._placements(case, preferences, rows)
        first_job = placements[0].start if placements else None
        self._profiles(case, background, preferences, first_job, rows)
        self._plans(case, preferences, rows)
        self._counselling(case, first_job, rows)
        self._job_search(case, placements, rows)

    def _last(self, case: _Case) -> dt.date:
        return case.end or self.today

    def _profiles(
        self,
        case: _Case,
        background: Background,
        preferences: list[str],
        first_job: dt.date | None,
        rows: _Rows,
    ) -> None:
        """One to three versions: soon after entry, after a few months, after a job began."""
        rng, last = self.rng, self._last(case)
        days = [case.entry + dt.timedelta(days=rng.randint(2, 14))]
        if self._chance(0.6):
            days.append(case.entry + dt.timedelta(days=rng.randint(60, 150)))
        if first_job is not None and self._chance(0.55):
            days.append(first_job + dt.timedelta(days=rng.randint(20, 90)))
        days = sorted({min(day, last) for day in days})
        language, coach = case.candidate.language, case.candidate.coach
        education = rng.choice(EDUCATION)
        strengths, barriers = rng.choice(STRENGTHS), rng.choice(BARRIERS)
        if background.newcomer:
            education, barriers = NEWCOMER_EDUCATION, NEWCOMER_BARRIER
        support, place = rng.choice(SUPPORT_NEEDS), rng.choice(PLACES)
        hours = _weighted(
            rng,
            [
                (HoursPreference.PART_TIME, 45),
                (HoursPreference.EITHER, 35),
                (HoursPreference.FULL_TIME, 20),
            ],
        )
        disclosure = _weighted(rng, DISCLOSURES)
        wanted = list(preferences)
        for version, day in enumerate(days):
            if version:
                # Later versions: the client has decided about disclosure, and the search
                # widened or narrowed with experience.
                if disclosure == Disclosure.UNDECIDED and self._chance(0.85):
                    disclosure = _weighted(rng, DISCLOSURES[1:])
                if self._chance(0.3):
                    extra = _weighted(rng, OTHER_JOBS)
                    wanted = [*wanted[:2], extra] if extra not in wanted else wanted
                if self._chance(0.3):
                    strengths = rng.choice(STRENGTHS)
            note = DISCLOSURE_NOTES.get(disclosure)
            rows.profiles.append(
                {
                    **self._record(case.candidate.client_id, coach, day),
                    "work_history": _text(background.history, language),
                    "education": _text(education, language),
                    "preferred_occupations": list(wanted),
                    "preferred_hours": hours,
                    "preferred_places": _text(place, language),
                    "strengths": _text(strengths, language),
                    "barriers": _text(barriers, language),
                    "support_needs": _text(support, language),
                    "disclosure": disclosure,
                    "disclosure_notes": _text(note, language) if note else "",
                }
            )

    def _plans(self, case: _Case, preferences: list[str], rows: _Rows) -> None:
        rng, last = self.rng, self._last(case)
        language, coach = case.candidate.language, case.candidate.coach
        agreed = [min(case.entry + dt.timedelta(days=rng.randint(5, 25)), last)]
        if (last - case.entry).days > 200 and self._chance(0.3):  # noqa: PLR2004
            agreed.append(case.entry + dt.timedelta(days=rng.randint(120, 200)))
        titles = ", ".join(_text(JOB_TITLES[code], language).lower() for code in preferences)
        for day in agreed:
            rows.plans.append(
                {
                    **self._record(case.candidate.client_id, coach, day),
                    "agreed_on": day,
                    "goal": _text(GOAL, language) % titles,
                    "target_occupations": list(preferences),
                    "steps": _text(STEPS, language),
                    "review_on": day + dt.timedelta(days=90),
                }
            )

    def _counselling(self, case: _Case, first_job: dt.date | None, rows: _Rows) -> None:
        """About four in five get work-incentive counselling, mostly before a job starts."""
        rng, last = self.rng, self._last(case)
        candidate = case.candidate
        if (last - case.entry).days < 5 or not self._chance(0.82):  # noqa: PLR2004
            return
        day = case.entry + dt.timedelta(days=rng.randint(5, 40))
        if first_job is not None and self._chance(0.85):
            day = min(day, first_job - dt.timedelta(days=rng.randint(1, 10)))
        days = [max(min(day, last), case.entry)]
        if first_job is not None and self._chance(0.35):
            after = first_job + dt.timedelta(days=rng.randint(7, 45))
            if after <= last:
                days.append(after)
        for index, when in enumerate(days):
            by = candidate.coach
            if candidate.counsellor is not None and self._chance(0.6):
                by = candidate.counsellor
            topics = sorted(rng.sample(BENEFIT_TOPICS, rng.randint(1, 3)))
            rows.counselling.append(
                {
                    **self._record(candidate.client_id, by, when),
                    "date": when,
                    "counsellor_id": by.pk,
                    "topics": topics,
                    "calculation_made": index == 0 and self._chance(0.6),
                    "notes": _text(rng.choice(COUNSELLING_NOTES), candidate.language),
                }
            )

    # --- job search ---

    def _job_search(self, case: _Case, placements: list[_Placement], rows: _Rows) -> None:
        """A few applications, the first face-to-face employer contact (mostly within 30 days
        of entry: IPS item 15), then regular activities until a job starts; again after a job
        ends."""
        rng, last = self.rng, self._last(case)
        first_job = placements[0].start if placements else None
        span = (last - case.entry).days
        if span < 2 or (first_job is None and not self._chance(0.93)):  # noqa: PLR2004
            return
        first = self._first_contact(case, first_job)
        for _ in range(rng.randint(0, 2)):
            before = self._day(case.entry, min(first, last))
            kind = A.APPLICATION if self._chance(0.6) else A.EMPLOYER_CALL
            self._activity(case, before, kind, rows)
        if first > last:
            return  # no face-to-face contact yet
        self._activity(case, first, _weighted(rng, FIRST_CONTACT_KINDS), rows)
        windows = [(first, first_job or last)]
        for index, placement in enumerate(placements):
            if placement.end is not None:
                following = placements[index + 1].start if index + 1 < len(placements) else last
                windows.append((placement.end, following))
        for start, stop in windows:
            # Every week or two at first, then every few weeks, as long as the search goes on.
            day = start + dt.timedelta(days=rng.randint(5, 20))
            for _ in range(MAX_ACTIVITIES_IN_A_SEARCH if case.end is None else 12):
                if day >= stop:
                    break
                self._activity(case, day, _weighted(rng, ACTIVITY_KINDS), rows)
                busy = (day - start).days < 120  # noqa: PLR2004
                day += dt.timedelta(days=rng.randint(5, 20) if busy else rng.randint(14, 35))
        for placement in placements:
            interview = placement.start - dt.timedelta(days=rng.randint(3, 10))
            if interview >= case.entry:
                self._activity(case, interview, A.INTERVIEW, rows, employer=placement.employer)

    def _first_contact(self, case: _Case, first_job: dt.date | None) -> dt.date:
        """The day of the first face-to-face employer contact: within 30 days of entry for
        about three in five, within 75 days for most of the rest; before any job."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.62:  # noqa: PLR2004
            offset = rng.randint(2, 30)
        elif roll < 0.88:  # noqa: PLR2004
            offset = rng.randint(31, 75)
        else:
            offset = rng.randint(76, 150)
        first = case.entry + dt.timedelta(days=offset)
        if first_job is not None:
            first = max(min(first, first_job - dt.timedelta(days=rng.randint(2, 10))), case.entry)
        return first

    def _activity(
        self,
        case: _Case,
        day: dt.date,
        kind: str,
        rows: _Rows,
        *,
        employer: EmployerInfo | None = None,
    ) -> None:
        rng = self.rng
        employer = employer or rng.choice(self.register.active)
        vacancy = None
        if kind in {A.APPLICATION, A.INTERVIEW} and self._chance(0.5):
            vacancy = self._vacancy(employer, day)
        if kind == A.OTHER:
            employer = None  # portals, not an employer
        rows.activities.append(
            {
                **self._record(case.candidate.client_id, case.candidate.coach, day),
                "date": day,
                "kind": kind,
                "employer_id": employer.id if employer else None,
                "vacancy_id": vacancy.id if vacancy else None,
                "specialist_present": self._chance(SPECIALIST_PRESENT.get(kind, 0.0)),
                "notes": _text(ACTIVITY_NOTES[kind], case.candidate.language),
            }
        )

    def _vacancy(
        self, employer: EmployerInfo, day: dt.date, *, filled: bool = False
    ) -> VacancyInfo | None:
        """A vacancy of the employer advertised on `day` (give or take its start)."""
        open_then = [
            v
            for v in employer.vacancies
            if v.created <= day
            and (v.deadline is None or day <= v.deadline + dt.timedelta(days=45))
            and (not filled or v.status == VacancyStatus.FILLED)
        ]
        return self.rng.choice(open_then) if open_then else None

    # --- placements and follow-along ---

    def _placements(self, case: _Case, preferences: list[str], rows: _Rows) -> list[_Placement]:
        """About 30–45 % of the clients get a job: more likely the longer they have been in
        the service; those whose case ended in work always did."""
        rng, last = self.rng, self._last(case)
        span = (last - case.entry).days
        employed = case.end_reason == CaseEndReason.EMPLOYED
        if not employed and not self._chance(case.placement_chance):
            return []
        earliest = case.entry + dt.timedelta(days=min(14, span))
        latest = last - dt.timedelta(days=0 if employed else 7)
        delay = int(rng.lognormvariate(math.log(85), 0.6))
        start = case.entry + dt.timedelta(days=delay)
        if not earliest <= start <= latest:
            start = self._day(earliest, max(earliest, latest))
        placements: list[_Placement] = []
        while start <= last and len(placements) < 3:  # noqa: PLR2004
            placement = self._placement(case, start, preferences, rows)
            placements.append(placement)
            if placement.end is None or not self._chance(0.45):
                break
            start = placement.end + dt.timedelta(days=rng.randint(14, 120))
            if start > last - dt.timedelta(days=7):
                break
        return placements

    def _placement(
        self, case: _Case, start: dt.date, preferences: list[str], rows: _Rows
    ) -> _Placement:
        rng, today = self.rng, self.today
        candidate = case.candidate
        code = rng.choice(preferences) if self._chance(0.78) else _weighted(rng, OTHER_JOBS)
        hiring = self.register.by_occupation.get(code)
        employer = _weighted(rng, hiring) if hiring else rng.choice(self.register.active)
        if employer.social and self._chance(0.5):
            # IPS aims at the open labour market: most social-enterprise offers are passed on.
            employer = _weighted(rng, hiring) if hiring else rng.choice(self.register.active)
        vacancy = self._vacancy(employer, start, filled=True) if self._chance(0.3) else None
        title = _text(JOB_TITLES[code], candidate.language)
        if vacancy is not None:
            code, title = vacancy.isco_code, vacancy.title
        subsidised = self._chance(0.12)
        competitive = not self._chance(0.03)
        if employer.social:
            competitive = self._chance(0.15)
        elif subsidised and self._chance(0.25):
            competitive = False  # a post created for the subsidy, not open to anyone
        low, high = WAGES.get(code[0], (1150, 1500))
        end, reason, follow_ended = self._placement_end(case, start)
        placement = _Placement(
            id=self._uuid(),
            employer=employer,
            start=start,
            end=end,
            follow_along_ended_on=follow_ended,
        )
        rows.placements.append(
            {
                **self._record(candidate.client_id, candidate.coach, min(start, today)),
                "id": placement.id,
                "case_id": case.id,
                "employer_id": employer.id,
                "vacancy_id": vacancy.id if vacancy else None,
                "specialist_id": candidate.coach.pk,
                "job_title": title,
                "isco_code": code,
                "competitive": competitive,
                "subsidised": subsidised,
                "start_date": start,
                "end_date": end,
                "end_reason": reason,
                "hours_per_week": _weighted(rng, HOURS),
                "hourly_wage": Decimal(rng.randint(low, high) // 5 * 5) / 100,
                "follow_along_ended_on": follow_ended,
            }
        )
        self._supports(case, placement, rows)
        return placement

    def _placement_end(
        self, case: _Case, start: dt.date
    ) -> tuple[dt.date | None, str, dt.date | None]:
        """(end, end reason, follow-along ended on): a job that ends has a reason; a client
        whose case ended in work chose to end the follow-along then."""
        rng, last = self.rng, self._last(case)
        if case.end_reason == CaseEndReason.EMPLOYED:
            return None, "", case.end
        if case.end is not None:
            end = self._day(min(start + dt.timedelta(days=14), last), last)
            reason = _weighted(rng, PLACEMENT_END_REASONS[:3])
            return max(end, start), reason, None
        months = (last - start).days / 30
        if (last - start).days > 21 and self._chance(min(0.4, 0.035 * months)):  # noqa: PLR2004
            end = self._day(start + dt.timedelta(days=21), last)
            return end, _weighted(rng, PLACEMENT_END_REASONS), None
        return None, "", None

    def _supports(self, case: _Case, placement: _Placement, rows: _Rows) -> None:
        """Follow-along from the first week: every few weeks, tapering after six months, as
        long as the client works and wants it — beyond a year for the older jobs (item 23)."""
        rng = self.rng
        stops = [self._last(case), placement.end, placement.follow_along_ended_on]
        stop = min(day for day in stops if day is not None)
        candidate = case.candidate
        # The first within days of the start (on the last day of a case that ends then).
        day = min(placement.start + dt.timedelta(days=rng.randint(3, 10)), stop)
        while day <= stop:
            with_whom = _weighted(
                rng, [(SupportWith.CLIENT, 55), (SupportWith.EMPLOYER, 15), (SupportWith.BOTH, 30)]
            )
            mode = _weighted(
                rng,
                [
                    (SupportMode.IN_PERSON, 50),
                    (SupportMode.PHONE, 30),
                    (SupportMode.MESSAGE, 15),
                    (SupportMode.VIDEO, 5),
                ],
            )
            rows.supports.append(
                {
                    **self._record(candidate.client_id, candidate.coach, day),
                    "placement_id": placement.id,
                    "date": day,
                    "with_whom": with_whom,
                    "mode": mode,
                    "specialist_id": candidate.coach.pk,
                    "content": _text(rng.choice(SUPPORT_TEXTS[with_whom]), candidate.language),
                }
            )
            if with_whom != SupportWith.CLIENT:
                kind = {
                    SupportMode.IN_PERSON: InteractionKind.VISIT,
                    SupportMode.MESSAGE: InteractionKind.EMAIL,
                }.get(mode, InteractionKind.PHONE)
                rows.contacts.append(
                    self.employers.contact(
                        placement.employer,
                        day,
                        kind,
                        InteractionPurpose.FOLLOW_ALONG,
                        candidate.coach,
                        rng=rng,
                    )
                )
            young = (day - placement.start).days < 180  # noqa: PLR2004
            day += dt.timedelta(days=rng.randint(18, 40) if young else rng.randint(30, 60))

    # --- the specialists' time ---

    def _time(self) -> int:
        """Each working day of the past eight weeks: client work, job development and
        follow-along mostly out in the community (about two thirds of the time: item 24),
        team meetings twice a week, records at the office."""
        rng, today = self.rng, self.today
        rows: list[dict[str, Any]] = []
        start = today - dt.timedelta(weeks=TIME_WEEKS)
        for number, coach in enumerate(self.coaches):
            for day in working_days(start, today):
                if self._chance(0.05):
                    continue  # leave or sick
                parts: list[tuple[str, int, float]] = [
                    (TimeActivity.CLIENT_WORK, rng.randint(150, 210), 0.75),
                    (TimeActivity.JOB_DEVELOPMENT, rng.randint(60, 120), 0.95),
                    (TimeActivity.FOLLOW_ALONG, rng.randint(45, 90), 0.85),
                    (TimeActivity.ADMIN, rng.randint(45, 75), 0.0),
                ]
                if day.weekday() in {1, 3}:
                    parts.append((TimeActivity.TEAM, 90 if day.weekday() == 1 else 60, 0.0))
                if number == 3 and day.weekday() == 4:  # noqa: PLR2004 - one has a side duty
                    parts.append((TimeActivity.OTHER_DUTIES, 60, 0.0))
                for activity, minutes, outside in parts:
                    away = round(minutes * outside / 5) * 5
                    for in_community, amount in ((True, away), (False, minutes - away)):
                        if amount >= 5:  # noqa: PLR2004 - the form's smallest entry
                            rows.append(
                                {
                                    "membership_id": coach.pk,
                                    "date": day,
                                    "activity": activity,
                                    "minutes": amount,
                                    "in_community": in_community,
                                    "created_at": self._moment(day),
                                }
                            )
        _insert(TimeEntry, rows)
        return len(rows)

    # --- fidelity reviews ---

    def _reviews(self) -> int:
        """Two completed reviews of the IPS pilot by its programme manager: a year ago (fair
        fidelity) and a month ago (good), with the suggestions the data gave for their periods
        (demo/ips.py runs this last, when every record is in)."""
        managers = self.staff.get(f"{self.programme_org_key()}:{Role.PROGRAMME_MANAGER}", [])
        if not managers:
            return 0
        manager = managers[0]
        reviews: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        for spec in REVIEWS:
            held = self.today - dt.timedelta(days=round(spec.months_ago * 30.4))
            # The six whole months before the review month (the review service's period rule).
            first_of_month = held.replace(day=1)
            start = add_months(first_of_month, -6)
            end = first_of_month - dt.timedelta(days=1)
            # What the data suggested when the review was opened, as the review service keeps
            # it; the reviewers' scores differ where they saw more than the records show. Left
            # out for benchmark-sized demos, where computing them would take most of the time.
            suggested: dict[int, int | None] = {}
            if self.case_count <= SUGGEST_UP_TO_CASES:
                suggested = indicators.compute(self.programme, start, end).suggestions()
            review_id = self._uuid()
            reviews.append(
                {
                    "id": review_id,
                    "programme_id": self.programme.pk,
                    "review_date": held,
                    "period_start": start,
                    "period_end": end,
                    "reviewers": spec.reviewers,
                    "status": ReviewStatus.COMPLETED,
                    "notes": spec.notes,
                    "organisation_id": manager.organisation_id,
                    "created_by_id": manager.pk,
                    "created_at": self._moment(held),
                    "completed_at": self._moment(held + dt.timedelta(days=6)),
                }
            )
            for item, (score, evidence) in enumerate(spec.scores, start=1):
                scores.append(
                    {
                        "review_id": review_id,
                        "item": item,
                        "score": score,
                        "suggested": suggested.get(item),
                        "evidence": evidence,
                    }
                )
        _insert(FidelityReview, reviews)
        _insert(FidelityScore, scores)
        return len(reviews)

    def programme_org_key(self) -> str:
        return next(
            key for key, org in self.orgs.items() if org.pk == self.programme.organisation_id
        )
