"""Demo data of the plans app: referral consents, joint assessments, shared plans, referrals,
encounters and notifications for the demo clients.

Called by generator.py once per batch of clients, after the batch's clients, episodes, consents
and care teams are in the database. Everything is decided in memory from what the client
generator knows (`Case`) and written with bulk inserts — no per-row service calls, no queries per
client — so `seed-demo --clients 100000` stays a matter of minutes.

The rows keep the rules the plans services enforce:
- an assessment round, a plan and its goals and actions are recorded by the organisation that
  registered the client; a domain entry by the organisation of its author, who works on the
  client, reads the round and whose role may read the domain's category;
- a referral is sent by someone of the registering organisation whose role may read every
  category it carries, to another organisation's service, only when a consent for referrals
  valid today shares each carried category with the receiving organisation; its events are
  stamped by the sender (sent, cancelled) and by members of the receiving organisation whose
  role may read the referral (the rest);
- an encounter is recorded by a member of the care team (or the registrar) in a category their
  role may read, under their own organisation.

Texts staff write (targets, action titles, notes) and the client's own words are in the
client's language: Finnish, Swedish, or English for everyone else. A separate random generator
seeded from `--seed` keeps the clients themselves exactly as they were before this extension.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from polku.clients.models import Client, Consent, ConsentCategory, ConsentMethod, Episode
from polku.core import access
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.demo.catalogue import SERVICE_SPECS, ServiceSpec, Text
from polku.plans.domains import LifeDomain, category_of
from polku.plans.models import (
    Action,
    ActionStatus,
    AgreementMethod,
    Assessment,
    AssessmentStatus,
    Attendance,
    DeclineReason,
    DomainEntry,
    Encounter,
    EncounterKind,
    Goal,
    GoalStatus,
    Notification,
    NotificationKind,
    Plan,
    PlanReview,
    PlanRevision,
    PlanStatus,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
    main_category,
)

C = DataCategory
D = LifeDomain
S = ReferralStatus
T = TypeVar("T")
BATCH = 2000
ALWAYS_CARRIED = (C.IDENTITY, C.CONTACT)

# --- What the plans say, in the client's language ---------------------------------------------


@dataclass(frozen=True)
class ActionText:
    title: Text
    # Who usually does it: a role on the care team; "key" is the key worker.
    who: str


@dataclass(frozen=True)
class GoalText:
    words: Text
    target: Text
    actions: tuple[ActionText, ...]


COACH, BENEFITS, NURSE, SOCIAL, KEY = (
    Role.EMPLOYMENT_SPECIALIST,
    Role.BENEFITS_COUNSELLOR,
    Role.HEALTH_PROFESSIONAL,
    Role.SOCIAL_WORKER,
    "key",
)

GOALS: dict[str, list[GoalText]] = {
    D.WORK: [
        GoalText(
            Text(
                "Haluan päästä töihin, mieluiten varastolle tai logistiikkaan.",
                "Jag vill börja jobba, helst på ett lager eller inom logistik.",
                "I want to get a job, preferably in a warehouse or in logistics.",
            ),
            Text(
                "Vähintään 20 h/vko palkkatyössä avoimilla työmarkkinoilla.",
                "Minst 20 h/vecka i lönearbete på den öppna arbetsmarknaden.",
                "Paid work of at least 20 hours a week in the open labour market.",
            ),
            (
                ActionText(
                    Text(
                        "Työnantajakontaktit: vähintään 6 työnantajaa kuukaudessa",
                        "Arbetsgivarkontakter: minst 6 arbetsgivare i månaden",
                        "Employer contacts: at least 6 employers a month",
                    ),
                    COACH,
                ),
                ActionText(
                    Text("Ansioluettelon päivitys", "Uppdatera cv:t", "Update the CV"), COACH
                ),
                ActionText(
                    Text(
                        "Palkkatuen hakeminen yhdessä työnantajan kanssa",
                        "Ansöka om lönesubvention med arbetsgivaren",
                        "Apply for pay subsidy with the employer",
                    ),
                    KEY,
                ),
            ),
        ),
        GoalText(
            Text(
                "Haluaisin palata kokiksi, ehkä aluksi osa-aikaisesti.",
                "Jag vill tillbaka till mitt yrke som kock, kanske deltid först.",
                "I'd like to go back to cooking, part-time at first.",
            ),
            Text(
                "Työkokeilu tai työsopimus ravintola-alalla; kolme työhakemusta kuukaudessa.",
                "Arbetsprövning eller anställning i restaurangbranschen; tre ansökningar i "
                "månaden.",
                "A work trial or a job in a restaurant; three job applications a month.",
            ),
            (
                ActionText(
                    Text(
                        "Työkokeilupaikan etsiminen",
                        "Söka en plats för arbetsprövning",
                        "Find a work trial placement",
                    ),
                    KEY,
                ),
                ActionText(
                    Text(
                        "Kolme työhakemusta kuukaudessa",
                        "Tre jobbansökningar i månaden",
                        "Three job applications a month",
                    ),
                    COACH,
                ),
            ),
        ),
    ],
    D.EDUCATION: [
        GoalText(
            Text(
                "Haluan oppia käyttämään tietokonetta, että voin hakea töitä itse.",
                "Jag vill lära mig använda datorn så att jag kan söka jobb själv.",
                "I want to learn to use a computer so I can apply for jobs myself.",
            ),
            Text(
                "Tekee työhakemuksen ja käyttää Työmarkkinatoria itsenäisesti.",
                "Skriver en ansökan och använder Jobbmarknaden självständigt.",
                "Writes an application and uses the Job Market Finland portal independently.",
            ),
            (
                ActionText(
                    Text(
                        "Ilmoittautuminen digitaitojen ryhmään",
                        "Anmälan till gruppen för digitala färdigheter",
                        "Enrol in the digital skills group",
                    ),
                    KEY,
                ),
                ActionText(
                    Text(
                        "Työnhakuportaalien harjoittelu",
                        "Öva på jobbportalerna",
                        "Practise with the job portals",
                    ),
                    COACH,
                ),
            ),
        ),
        GoalText(
            Text(
                "Haluaisin suorittaa trukkikortin ja hygieniapassin.",
                "Jag vill ta truckkort och hygienpass.",
                "I'd like to get a forklift licence and a hygiene passport.",
            ),
            Text(
                "Trukkikortti ja hygieniapassi suoritettu.",
                "Truckkort och hygienpass avklarade.",
                "Forklift licence and hygiene passport obtained.",
            ),
            (
                ActionText(
                    Text(
                        "Trukkikorttikurssille hakeminen",
                        "Ansöka till truckkortskursen",
                        "Apply for the forklift course",
                    ),
                    COACH,
                ),
                ActionText(
                    Text(
                        "Hygieniapassin testi",
                        "Hygienpasstestet",
                        "Take the hygiene passport test",
                    ),
                    KEY,
                ),
            ),
        ),
    ],
    D.LANGUAGE: [
        GoalText(
            Text(
                "Haluan puhua suomea niin hyvin, että pärjään työpaikalla.",
                "Jag vill tala finska så bra att jag klarar mig på jobbet.",
                "I want to speak Finnish well enough to manage at work.",
            ),
            Text(
                "Suomen kielen taso B1 (YKI-testi).",
                "Finska på nivå B1 (YKI-testet).",
                "Finnish at level B1 (National Certificate of Language Proficiency).",
            ),
            (
                ActionText(
                    Text(
                        "Suomen kielen kurssin aloitus",
                        "Börja kursen i finska",
                        "Start the Finnish course",
                    ),
                    KEY,
                ),
                ActionText(
                    Text(
                        "YKI-testiin ilmoittautuminen",
                        "Anmälan till YKI-testet",
                        "Register for the YKI test",
                    ),
                    KEY,
                ),
            ),
        ),
    ],
    D.FINANCES: [
        GoalText(
            Text(
                "Haluan saada velat järjestykseen, ettei ulosotto vie kaikkea.",
                "Jag vill få ordning på skulderna så att utsökningen inte tar allt.",
                "I want to sort out my debts so that enforcement doesn't take everything.",
            ),
            Text(
                "Maksusuunnitelma tehty ja velkajärjestelyhakemus jätetty.",
                "Betalningsplan gjord och ansökan om skuldsanering inlämnad.",
                "A payment plan made and a debt adjustment application filed.",
            ),
            (
                ActionText(
                    Text(
                        "Ajanvaraus velkaneuvontaan",
                        "Boka tid till skuldrådgivningen",
                        "Book an appointment with debt counselling",
                    ),
                    KEY,
                ),
                ActionText(
                    Text(
                        "Etuuksien tarkistus Kelassa",
                        "Kontroll av förmånerna hos FPA",
                        "Benefits check at Kela",
                    ),
                    BENEFITS,
                ),
            ),
        ),
        GoalText(
            Text(
                "Haluan tietää, mitä tukia minulle kuuluu, ettei rahat lopu kesken kuun.",
                "Jag vill veta vilka stöd jag har rätt till så att pengarna räcker månaden ut.",
                "I want to know which benefits I'm entitled to, so the money lasts the month.",
            ),
            Text(
                "Etuudet tarkistettu ja kuukausibudjetti laadittu yhdessä.",
                "Förmånerna kontrollerade och en månadsbudget gjord tillsammans.",
                "Benefits checked and a monthly budget drawn up together.",
            ),
            (
                ActionText(
                    Text(
                        "Kuukausibudjetin laatiminen",
                        "Göra en månadsbudget",
                        "Draw up a monthly budget",
                    ),
                    BENEFITS,
                ),
                ActionText(
                    Text(
                        "Asumistukihakemuksen päivitys",
                        "Uppdatera ansökan om bostadsbidrag",
                        "Update the housing allowance application",
                    ),
                    BENEFITS,
                ),
            ),
        ),
    ],
    D.HOUSING: [
        GoalText(
            Text(
                "Haluan oman vuokra-asunnon, nyt asun kaverin sohvalla.",
                "Jag vill ha en egen hyresbostad, nu bor jag på en väns soffa.",
                "I want a flat of my own; now I'm sleeping on a friend's sofa.",
            ),
            Text(
                "Asuntohakemus jätetty Helsingin kaupungille; vuokrasopimus allekirjoitettu.",
                "Bostadsansökan inlämnad till Helsingfors stad; hyresavtal undertecknat.",
                "A housing application filed with the City of Helsinki; a tenancy signed.",
            ),
            (
                ActionText(
                    Text(
                        "Asuntohakemuksen täyttäminen",
                        "Fylla i bostadsansökan",
                        "Fill in the housing application",
                    ),
                    SOCIAL,
                ),
                ActionText(
                    Text(
                        "Asumisneuvojan tapaaminen",
                        "Träffa boenderådgivaren",
                        "Meet the housing adviser",
                    ),
                    SOCIAL,
                ),
            ),
        ),
        GoalText(
            Text(
                "En halua menettää asuntoani vuokrarästien takia.",
                "Jag vill inte förlora min bostad på grund av hyresskulder.",
                "I don't want to lose my flat because of rent arrears.",
            ),
            Text(
                "Vuokrarästeille maksusopimus; ei häätöä.",
                "Avbetalningsavtal för hyresskulderna; ingen vräkning.",
                "A payment agreement for the rent arrears; no eviction.",
            ),
            (
                ActionText(
                    Text(
                        "Maksusopimus vuokranantajan kanssa",
                        "Avbetalningsavtal med hyresvärden",
                        "Payment agreement with the landlord",
                    ),
                    SOCIAL,
                ),
            ),
        ),
    ],
    D.MENTAL_HEALTH: [
        GoalText(
            Text(
                "Haluan nukkua paremmin ja jaksaa lähteä kotoa.",
                "Jag vill sova bättre och orka gå hemifrån.",
                "I want to sleep better and have the energy to leave home.",
            ),
            Text(
                "Säännöllinen unirytmi; BDI alle 14; vähintään kolme menoa viikossa.",
                "Regelbunden sömnrytm; BDI under 14; minst tre aktiviteter utanför hemmet i "
                "veckan.",
                "A regular sleep rhythm; BDI below 14; at least three outings a week.",
            ),
            (
                ActionText(
                    Text(
                        "Käynnit mielenterveyshoitajalla",
                        "Besök hos psykiatrisk sjukskötare",
                        "Visits to the mental health nurse",
                    ),
                    NURSE,
                ),
                ActionText(
                    Text("Lääkityksen arvio", "Bedömning av medicineringen", "Medication review"),
                    NURSE,
                ),
            ),
        ),
    ],
    D.SUBSTANCE_USE: [
        GoalText(
            Text(
                "Haluan vähentää juomista, että pystyn käymään töissä.",
                "Jag vill dricka mindre så att jag klarar av att jobba.",
                "I want to drink less so that I can hold down a job.",
            ),
            Text(
                "AUDIT-pisteet alle 8; ei poissaoloja päihteiden takia.",
                "AUDIT-poäng under 8; ingen frånvaro på grund av rusmedel.",
                "AUDIT score below 8; no absences because of substance use.",
            ),
            (
                ActionText(
                    Text(
                        "Arviokäynti päihdepoliklinikalla",
                        "Bedömningsbesök på missbrukarpolikliniken",
                        "Assessment visit at the substance-use clinic",
                    ),
                    NURSE,
                ),
                ActionText(
                    Text("Vertaistukiryhmä", "Kamratstödsgrupp", "Peer support group"),
                    KEY,
                ),
            ),
        ),
    ],
    D.PHYSICAL_HEALTH: [
        GoalText(
            Text(
                "Selkä on kipeä, haluan tietää mihin työhön vielä pystyn.",
                "Ryggen värker, jag vill veta vilket arbete jag ännu klarar.",
                "My back hurts; I want to know what work I can still do.",
            ),
            Text(
                "Terveystarkastus tehty ja työkyky arvioitu.",
                "Hälsogranskning gjord och arbetsförmågan bedömd.",
                "Health check done and work ability assessed.",
            ),
            (
                ActionText(
                    Text(
                        "Työttömien terveystarkastus",
                        "Hälsogranskning för arbetslösa",
                        "Health check for unemployed people",
                    ),
                    NURSE,
                ),
                ActionText(
                    Text(
                        "Lääkärinlausunto B kuntoutusta varten",
                        "Läkarutlåtande B för rehabilitering",
                        "Medical statement B for rehabilitation",
                    ),
                    NURSE,
                ),
            ),
        ),
    ],
    D.SOCIAL_RELATIONS: [
        GoalText(
            Text(
                "Haluan tavata ihmisiä, olen ollut paljon yksin.",
                "Jag vill träffa folk, jag har varit mycket ensam.",
                "I want to meet people; I've been alone a lot.",
            ),
            Text(
                "Osallistuu ryhmätoimintaan kerran viikossa.",
                "Deltar i gruppverksamhet en gång i veckan.",
                "Takes part in a group activity once a week.",
            ),
            (
                ActionText(
                    Text(
                        "Ryhmätoimintaan tutustuminen",
                        "Bekanta sig med gruppverksamheten",
                        "Try out a group activity",
                    ),
                    SOCIAL,
                ),
            ),
        ),
    ],
    D.DAILY_LIVING: [
        GoalText(
            Text(
                "Haluan saada päivärytmin kuntoon, nyt valvon öisin.",
                "Jag vill få ordning på dygnsrytmen, nu är jag vaken på nätterna.",
                "I want a proper daily rhythm; now I'm awake at night.",
            ),
            Text(
                "Kuntouttavassa työtoiminnassa kolmena päivänä viikossa klo 9 alkaen.",
                "Arbetsverksamhet tre dagar i veckan från kl. 9.",
                "Rehabilitative work activity three days a week from 9 a.m.",
            ),
            (
                ActionText(
                    Text(
                        "Aktivointisuunnitelman laatiminen",
                        "Göra en aktiveringsplan",
                        "Draw up the activation plan",
                    ),
                    SOCIAL,
                ),
                ActionText(
                    Text(
                        "Aloitus kuntouttavassa työtoiminnassa",
                        "Börja i arbetsverksamheten",
                        "Start rehabilitative work activity",
                    ),
                    SOCIAL,
                ),
            ),
        ),
    ],
}

# What the assessor writes: (strengths, barriers) per domain.
ENTRY_TEXTS: dict[str, tuple[Text, Text]] = {
    D.WORK: (
        Text(
            "Pitkä työhistoria varastotöistä; motivoitunut.",
            "Lång arbetshistoria från lagerarbete; motiverad.",
            "Long work history in warehouses; motivated.",
        ),
        Text(
            "Työttömänä yli kaksi vuotta; ei ajokorttia.",
            "Arbetslös i över två år; inget körkort.",
            "Unemployed for over two years; no driving licence.",
        ),
    ),
    D.EDUCATION: (
        Text(
            "Ammatillinen perustutkinto.",
            "Yrkesinriktad grundexamen.",
            "Vocational upper secondary qualification.",
        ),
        Text("Vähän digitaitoja.", "Svaga digitala färdigheter.", "Few digital skills."),
    ),
    D.LANGUAGE: (
        Text("Puhuu kolmea kieltä.", "Talar tre språk.", "Speaks three languages."),
        Text("Suomen taito A1–A2.", "Finska på nivå A1–A2.", "Finnish at level A1–A2."),
    ),
    D.FINANCES: (
        Text(
            "Hoitaa laskut ajallaan, kun tulot ovat tiedossa.",
            "Betalar räkningarna i tid när inkomsterna är kända.",
            "Pays bills on time when income is known.",
        ),
        Text(
            "Kulutusluottoja ulosotossa.",
            "Konsumtionskrediter hos utsökningen.",
            "Consumer loans in enforcement.",
        ),
    ),
    D.HOUSING: (
        Text(
            "Hyvä suhde vuokranantajaan.",
            "Bra relation till hyresvärden.",
            "Good relationship with the landlord.",
        ),
        Text(
            "Vuokrarästejä kolmelta kuukaudelta.",
            "Hyresskulder för tre månader.",
            "Three months of rent arrears.",
        ),
    ),
    D.MENTAL_HEALTH: (
        Text("Hakeutunut itse avun piiriin.", "Har själv sökt hjälp.", "Sought help on their own."),
        Text(
            "Univaikeuksia ja mielialan laskua.",
            "Sömnsvårigheter och nedstämdhet.",
            "Sleep problems and low mood.",
        ),
    ),
    D.SUBSTANCE_USE: (
        Text(
            "Tunnistaa itse alkoholin haitat.",
            "Ser själv alkoholens skadeverkningar.",
            "Recognises the harm alcohol does.",
        ),
        Text(
            "Runsasta alkoholin käyttöä viikonloppuisin.",
            "Hög alkoholkonsumtion på veckosluten.",
            "Heavy drinking at weekends.",
        ),
    ),
    D.PHYSICAL_HEALTH: (
        Text("Liikkuu päivittäin.", "Rör sig dagligen.", "Exercises daily."),
        Text(
            "Selkäkipu rajoittaa nostamista.",
            "Ryggsmärta begränsar lyft.",
            "Back pain limits lifting.",
        ),
    ),
    D.SOCIAL_RELATIONS: (
        Text(
            "Läheinen suhde sisareen.",
            "Nära relation till systern.",
            "Close relationship with a sister.",
        ),
        Text("Vähän sosiaalisia kontakteja.", "Få sociala kontakter.", "Few social contacts."),
    ),
    D.DAILY_LIVING: (
        Text("Pitää kodin siistinä.", "Håller hemmet i ordning.", "Keeps the home tidy."),
        Text("Päivärytmi kääntynyt.", "Dygnsrytmen har vänts.", "Day and night reversed."),
    ),
    D.LEGAL: (
        Text("Ei avoimia rikosasioita.", "Inga öppna brottmål.", "No open criminal cases."),
        Text("Sakkoja maksamatta.", "Obetalda böter.", "Unpaid fines."),
    ),
}
IMPROVED = Text(
    "Tilanne parantunut edellisestä arviosta.",
    "Läget har förbättrats sedan förra bedömningen.",
    "Better than at the previous assessment.",
)
WORSE = Text(
    "Tilanne heikentynyt edellisestä arviosta.",
    "Läget har försämrats sedan förra bedömningen.",
    "Worse than at the previous assessment.",
)

# Why the key worker refers, by the life domain the service answers.
REFERRAL_REASONS: dict[str, Text] = {
    D.WORK: Text(
        "Asiakas haluaa töihin ja toivoo tukea työnhakuun.",
        "Klienten vill arbeta och önskar stöd i jobbsökningen.",
        "The client wants to work and would like support with job search.",
    ),
    D.EDUCATION: Text(
        "Asiakas tarvitsee digitaitoja ja lisäkoulutusta työnhakuun.",
        "Klienten behöver digitala färdigheter och mer utbildning för jobbsökningen.",
        "The client needs digital skills and further training for job search.",
    ),
    D.LANGUAGE: Text(
        "Asiakkaan kielitaito on A2; tavoitteena B1 työelämää varten.",
        "Klientens språkkunskaper är på nivå A2; målet är B1 för arbetslivet.",
        "The client's language skills are at A2; the aim is B1 for working life.",
    ),
    D.FINANCES: Text(
        "Asiakkaalla on velkoja ulosotossa ja hän haluaa maksusuunnitelman.",
        "Klienten har skulder hos utsökningen och vill ha en betalningsplan.",
        "The client has debts in enforcement and wants a payment plan.",
    ),
    D.HOUSING: Text(
        "Asiakkaalla on vuokrarästejä ja häätöuhka.",
        "Klienten har hyresskulder och hotas av vräkning.",
        "The client has rent arrears and faces eviction.",
    ),
    D.MENTAL_HEALTH: Text(
        "Asiakas kertoo univaikeuksista ja mielialan laskusta.",
        "Klienten berättar om sömnsvårigheter och nedstämdhet.",
        "The client reports sleep problems and low mood.",
    ),
    D.SUBSTANCE_USE: Text(
        "Asiakas haluaa vähentää alkoholin käyttöä ja toivoo hoitoa.",
        "Klienten vill minska sitt alkoholbruk och önskar vård.",
        "The client wants to drink less and would like treatment.",
    ),
    D.PHYSICAL_HEALTH: Text(
        "Asiakkaan työkyky on arvioitava selkäkivun vuoksi.",
        "Klientens arbetsförmåga behöver bedömas på grund av ryggsmärta.",
        "The client's work ability needs assessing because of back pain.",
    ),
    D.SOCIAL_RELATIONS: Text(
        "Asiakas on yksinäinen ja toivoo ryhmätoimintaa.",
        "Klienten är ensam och önskar gruppverksamhet.",
        "The client is lonely and would like a group activity.",
    ),
    D.DAILY_LIVING: Text(
        "Asiakkaan päivärytmi on rikki; kuntouttava työtoiminta tukisi arkea.",
        "Klientens dygnsrytm är rubbad; arbetsverksamhet skulle stödja vardagen.",
        "The client's daily rhythm is broken; rehabilitative work activity would help.",
    ),
}
CONSENTED = Text(
    " Asiakas on antanut suostumuksen tietojen luovuttamiseen.",
    " Klienten har samtyckt till att uppgifterna lämnas ut.",
    " The client has consented to sharing the information.",
)
DECLINE_NOTES: dict[str, Text] = {
    DeclineReason.NOT_ELIGIBLE: Text(
        "Asiakas ei täytä palvelun saamisen edellytyksiä.",
        "Klienten uppfyller inte villkoren för tjänsten.",
        "The client does not meet the conditions for the service.",
    ),
    DeclineReason.NO_CAPACITY: Text(
        "Ryhmät ovat täynnä seuraavat kolme kuukautta.",
        "Grupperna är fulla de närmaste tre månaderna.",
        "The groups are full for the next three months.",
    ),
    DeclineReason.WRONG_SERVICE: Text(
        "Asiakkaalle sopii paremmin toinen palvelu; soitamme lähettäjälle.",
        "En annan tjänst passar klienten bättre; vi ringer avsändaren.",
        "Another service fits the client better; we will call the sender.",
    ),
    DeclineReason.CLIENT_REFUSED: Text(
        "Asiakas ei halunnut palvelua, kun soitimme.",
        "Klienten ville inte ha tjänsten när vi ringde.",
        "The client did not want the service when we called.",
    ),
    DeclineReason.UNREACHABLE: Text(
        "Asiakasta ei tavoitettu kolmella yrityksellä.",
        "Klienten nåddes inte efter tre försök.",
        "The client could not be reached after three attempts.",
    ),
    DeclineReason.OTHER: Text(
        "Asiakas on muuttanut pois Helsingistä.",
        "Klienten har flyttat från Helsingfors.",
        "The client has moved away from Helsinki.",
    ),
}
ENCOUNTER_NOTES: dict[str, list[Text]] = {
    C.EMPLOYMENT: [
        Text(
            "Käytiin läpi työpaikkailmoituksia; kaksi hakemusta lähetetty.",
            "Gick igenom platsannonser; två ansökningar skickade.",
            "Went through job ads; two applications sent.",
        ),
        Text(
            "Työnantajakäynti yhdessä asiakkaan kanssa.",
            "Besök hos en arbetsgivare tillsammans med klienten.",
            "Visited an employer together with the client.",
        ),
    ],
    C.EDUCATION: [
        Text(
            "Kurssivaihtoehdot käyty läpi.",
            "Gick igenom kursalternativen.",
            "Went through the course options.",
        ),
    ],
    C.BENEFITS: [
        Text(
            "Tarkistettiin työmarkkinatuki ja asumistuki.",
            "Kontrollerade arbetsmarknadsstödet och bostadsbidraget.",
            "Checked the labour market subsidy and housing allowance.",
        ),
    ],
    C.SOCIAL: [
        Text(
            "Kotikäynti; vuokrarästeistä sovittu.",
            "Hembesök; hyresskulderna avtalade.",
            "Home visit; rent arrears agreed.",
        ),
        Text(
            "Keskusteltu päivärytmistä ja ryhmätoiminnasta.",
            "Samtal om dygnsrytm och gruppverksamhet.",
            "Talked about the daily rhythm and group activities.",
        ),
    ],
    C.HEALTH: [
        Text(
            "Mieliala hieman parempi; uni edelleen katkonaista.",
            "Stämningsläget något bättre; sömnen fortfarande orolig.",
            "Mood slightly better; sleep still broken.",
        ),
        Text(
            "AUDIT-kysely tehty; seuraava käynti kahden viikon päästä.",
            "AUDIT-formuläret ifyllt; nästa besök om två veckor.",
            "AUDIT questionnaire done; next visit in two weeks.",
        ),
    ],
}
NO_SHOW_NOTE = Text(
    "Asiakas ei saapunut; uusi aika lähetetty tekstiviestillä.",
    "Klienten kom inte; ny tid skickad per sms.",
    "The client did not come; a new time was sent by text message.",
)
REFERRAL_ACTION = Text("Ohjaus: %s", "Remiss: %s", "Referral: %s")

# --- Distributions ----------------------------------------------------------------------------

# Share of clients with some need in each domain (0 = none): the long-term unemployed of the
# Helsinki pilot often have debts and health problems besides the missing job.
NEED_SHARE: dict[str, float] = {
    D.WORK: 1.0,
    D.EDUCATION: 0.4,
    D.LANGUAGE: 0.05,
    D.FINANCES: 0.5,
    D.HOUSING: 0.2,
    D.MENTAL_HEALTH: 0.35,
    D.SUBSTANCE_USE: 0.15,
    D.PHYSICAL_HEALTH: 0.3,
    D.SOCIAL_RELATIONS: 0.25,
    D.DAILY_LIVING: 0.2,
    D.LEGAL: 0.05,
}
# Who is best placed to assess, or answer for, a category.
SPECIALIST: dict[str, str] = {
    C.EMPLOYMENT: Role.EMPLOYMENT_SPECIALIST,
    C.EDUCATION: Role.EMPLOYMENT_SPECIALIST,
    C.BENEFITS: Role.BENEFITS_COUNSELLOR,
    C.SOCIAL: Role.SOCIAL_WORKER,
    C.HEALTH: Role.HEALTH_PROFESSIONAL,
}
REFERRAL_STATUSES = [
    (S.SENT, 14),
    (S.RECEIVED, 10),
    (S.ACCEPTED, 14),
    (S.DECLINED, 14),
    (S.FIRST_CONTACT, 16),
    (S.COMPLETED, 22),
    (S.CANCELLED, 10),
]
# The path to each status, and the days it takes at least.
PATHS: dict[str, tuple[list[str], int]] = {
    S.SENT: ([S.SENT], 0),
    S.RECEIVED: ([S.SENT, S.RECEIVED], 1),
    S.ACCEPTED: ([S.SENT, S.RECEIVED, S.ACCEPTED], 3),
    S.DECLINED: ([S.SENT, S.RECEIVED, S.DECLINED], 3),
    S.FIRST_CONTACT: ([S.SENT, S.RECEIVED, S.ACCEPTED, S.FIRST_CONTACT], 8),
    S.COMPLETED: ([S.SENT, S.RECEIVED, S.ACCEPTED, S.FIRST_CONTACT, S.COMPLETED], 40),
    S.CANCELLED: ([S.SENT, S.CANCELLED], 2),
}
OPEN = frozenset({S.SENT, S.RECEIVED, S.ACCEPTED})
DECLINE_REASONS = [
    (DeclineReason.NOT_ELIGIBLE, 25),
    (DeclineReason.NO_CAPACITY, 25),
    (DeclineReason.WRONG_SERVICE, 15),
    (DeclineReason.CLIENT_REFUSED, 15),
    (DeclineReason.UNREACHABLE, 15),
    (DeclineReason.OTHER, 5),
]
ATTENDANCE = [(Attendance.ATTENDED, 78), (Attendance.NO_SHOW, 14), (Attendance.CANCELLED, 8)]
DURATION = {
    EncounterKind.MEETING: (45, 60),
    EncounterKind.PHONE: (10, 30),
    EncounterKind.VIDEO: (30, 45),
    EncounterKind.HOME_VISIT: (60, 90),
    EncounterKind.NETWORK_MEETING: (60, 120),
}


@dataclass
class Case:
    """What the client generator decided about one client."""

    client: Client
    episode: Episode  # the current one (ended or not)
    recorder_key: str
    registrar: Membership
    general: set[str]  # org keys the service consent shares identity … benefits with today
    team: list[tuple[Membership, bool]]  # (membership, is key worker), in the order added
    # org keys the multi-agency consent shares employment, health and social data with today
    sensitive: set[str] = field(default_factory=set)


@dataclass
class PlanCounts:
    referral_consents: int = 0
    services: int = 0
    assessments: int = 0
    assessment_entries: int = 0
    plans: int = 0
    goals: int = 0
    actions: int = 0
    plan_revisions: int = 0
    referrals: int = 0
    referral_events: int = 0
    encounters: int = 0
    notifications: int = 0

    def add(self, other: PlanCounts) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in options], weights=[w for _, w in options])[0]


def _text(text: Text, language: str) -> str:
    return {"fi": text.fi, "sv": text.sv}.get(language, text.en)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# Values of these types go to the database as they are; the rest is adapted by the field.
_PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _insert(model: type[models.Model], rows: Sequence[models.Model | dict[str, Any]]) -> None:
    """Insert `rows` — model instances, or dicts of column values by attname — in batches of
    BATCH, one `executemany` per batch.

    The INSERT bulk_create sends, without its per-row query compilation, which for the ~50 rows
    per client this module adds took several times as long as everything else in the seeding.
    Like bulk_create it sends no signals. Primary keys the database assigns are left to it
    (where they are needed afterwards, use bulk_create, which returns them). Timestamps are
    stored as the demo gives them, also `auto_now_add` ones — a plan's history is dated when it
    happened, not when the demo was seeded — and `auto_now` ones are now. A dict leaves out
    only columns with a default.
    """
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    columns: list[Any] = [f for f in meta.concrete_fields if f is not meta.auto_field]
    now = timezone.now()
    converters: list[tuple[str, Callable[[Any], Any] | None, bool, Any]] = []
    for column in columns:
        kind = (column.target_field if column.is_relation else column).get_internal_type()
        prepare = None if kind in _PLAIN else partial(column.get_db_prep_save, connection=db)
        auto_now = bool(getattr(column, "auto_now", False))
        default = None if auto_now or not column.has_default() else column.get_default()
        converters.append((column.attname, prepare, auto_now, default))
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model only
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )

    def values(row: models.Model | dict[str, Any]) -> list[Any]:
        out = []
        for attname, prepare, auto_now, default in converters:
            if auto_now:
                value = now
            elif isinstance(row, dict):
                value = row.get(attname, default)
            else:
                value = getattr(row, attname)
            out.append(value if prepare is None or value is None else prepare(value))
        return out

    with db.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [values(row) for row in rows[start : start + BATCH]])


@dataclass
class _Rows:
    consents: list[Consent] = field(default_factory=list)
    # Rows nothing else refers to are plain dicts of column values: cheaper than models.
    consent_orgs: list[dict[str, Any]] = field(default_factory=list)
    scopes: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    plan_participants: list[dict[str, Any]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    reviews: list[PlanReview] = field(default_factory=list)
    revisions: list[PlanRevision] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    encounters: list[dict[str, Any]] = field(default_factory=list)
    encounter_people: list[dict[str, Any]] = field(default_factory=list)
    encounter_orgs: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    # Each revision's snapshot, built once the reviews it names have their ids.
    snapshots: list[tuple[PlanRevision, Callable[[], dict[str, Any]]]] = field(default_factory=list)

    def save(self) -> PlanCounts:
        """Insert the batch, parents before children."""
        pairs: list[tuple[Any, list[Any]]] = [
            (Consent, self.consents),
            (Consent.organisations.through, self.consent_orgs),
            (ConsentCategory, self.scopes),
            (Assessment, self.assessments),
            (DomainEntry, self.entries),
            (Plan, self.plans),
            (Plan.participants.through, self.plan_participants),
            (Goal, self.goals),
            (Action, self.actions),
            (PlanReview, self.reviews),
            (Referral, self.referrals),
            (ReferralEvent, self.events),
            (Encounter, self.encounters),
            (Encounter.participants.through, self.encounter_people),
            (Encounter.organisations.through, self.encounter_orgs),
            (Notification, self.notifications),
        ]
        for model, rows in pairs:
            if model is PlanReview:
                # Their ids go into the revisions' snapshots: bulk_create returns them.
                PlanReview.objects.bulk_create(rows, batch_size=BATCH)
            else:
                _insert(model, rows)
        for revision, build in self.snapshots:
            revision.snapshot = build()
        _insert(PlanRevision, self.revisions)
        return PlanCounts(
            referral_consents=len(self.consents),
            assessments=len(self.assessments),
            assessment_entries=len(self.entries),
            plans=len(self.plans),
            goals=len(self.goals),
            actions=len(self.actions),
            plan_revisions=len(self.revisions),
            referrals=len(self.referrals),
            referral_events=len(self.events),
            encounters=len(self.encounters),
            notifications=len(self.notifications),
        )


@dataclass
class _Plan:
    """A plan in the making: its goals with their actions, for the revision snapshots."""

    plan: Plan
    goals: list[tuple[Goal, list[Action]]]
    author: Membership
    participants: list[int] = field(default_factory=list)
    added: set[uuid.UUID] = field(default_factory=set)  # actions added with referrals
    reviews: list[PlanReview] = field(default_factory=list)


class PlansGenerator:
    """Adds the plans app's rows for batches of demo clients (see the module docstring)."""

    def __init__(
        self,
        *,
        seed: int,
        today: dt.date,
        orgs: dict[str, Organisation],
        staff: dict[str, list[Membership]],
        services: dict[str, Service],
    ) -> None:
        self.rng = random.Random(f"polku-demo-plans:{seed}")
        self.today = today
        self.orgs = orgs
        self.staff = staff
        self.services: list[tuple[ServiceSpec, Service]] = [
            (SERVICE_SPECS[key], service) for key, service in services.items()
        ]
        self.round_robin: dict[str, int] = {}
        self.org_keys = {org.pk: key for key, org in orgs.items()}
        self.members_of: dict[int, list[Membership]] = {}
        for members in staff.values():
            for membership in members:
                self.members_of.setdefault(membership.organisation_id, []).append(membership)
        self.receivers: dict[tuple[int, str], list[Membership]] = {}

    # --- helpers ---

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _moment(self, day: dt.date) -> dt.datetime:
        """A time of office hours in Helsinki (UTC+2/+3) on `day`, in UTC."""
        return dt.datetime(
            day.year,
            day.month,
            day.day,
            6 + self.rng.randint(0, 7),
            self.rng.randint(0, 59),
            tzinfo=dt.UTC,
        )

    def _day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def _next(self, members: list[Membership], key: str) -> Membership:
        index = self.round_robin.get(key, 0)
        self.round_robin[key] = index + 1
        return members[index % len(members)]

    def _coordinators(self, org_key: str) -> list[Membership]:
        return self.staff.get(f"{org_key}:{Role.COORDINATOR}", [])

    def _receivers(self, organisation_id: int, category: str) -> list[Membership]:
        """The receiving organisation's members who may read a referral of `category`, as
        plans.services.referrals.receiving_members finds them."""
        key = (organisation_id, category)
        if key not in self.receivers:
            self.receivers[key] = [
                m
                for m in self.members_of.get(organisation_id, [])
                if access.works_with_clients(m) and access.role_permits(m, category)
            ]
        return self.receivers[key]

    # --- per batch ---

    def add(self, cases: list[Case]) -> PlanCounts:
        rows = _Rows()
        for case in cases:
            self._client(case, rows)
        return rows.save()

    def _client(self, case: Case, rows: _Rows) -> None:
        rng, episode = self.rng, case.episode
        last_day = episode.end_date or self.today
        needs = self._needs(case)
        rounds, needs = self._assessments(case, needs, rows, last_day)
        self._encounters(case, rows, last_day)
        made = None
        if episode.end_date is None and rounds and rng.random() < 0.88:  # noqa: PLR2004
            made = self._plan(case, needs, rows, start=rounds[0].assessed_on)
        goals = [goal.domain for goal, _actions in made.goals] if made else []
        services = self._referral_services(case, goals, needs)
        # Most clients consent to referrals; some have not, and their pages show what is
        # missing. The consent of a client whose episode has ended ended with it.
        if services and rng.random() < (0.88 if episode.end_date is None else 0.5):
            since = (
                made.plan.created_at.date()
                if made
                else rounds[0].assessed_on
                if rounds
                else episode.start_date
            )
            self._referral_consent(case, services, since, rows)
            if made is not None:
                self._referrals(case, made, services, rows)
        if made is not None:
            self._reviews(case, made, rows)
            self._revisions(case, made, rows)

    def _needs(self, case: Case) -> dict[str, int]:
        rng = self.rng
        needs: dict[str, int] = {}
        for domain in LifeDomain.values:
            share = NEED_SHARE[domain]
            if domain == D.LANGUAGE and case.client.preferred_language not in {"fi", "sv"}:
                share = 0.9
            needs[domain] = rng.choice([1, 2, 2, 3]) if rng.random() < share else 0
        if sum(1 for d, n in needs.items() if n and d != D.WORK) == 0:
            needs[rng.choice([D.EDUCATION, D.FINANCES])] = 1
        return needs

    def _language(self, case: Case) -> str:
        language = case.client.preferred_language
        return language if language in {"fi", "sv"} else "en"

    # --- joint assessment ---

    def _contributors(self, case: Case) -> list[Membership]:
        """Who may add entries to a round the registering organisation opened: its own people
        (the registrar, its coordinators, team members from it) and the team members of
        organisations a consent of the client lets read employment data (the round)."""
        recorder = self.orgs[case.recorder_key]
        people = [case.registrar, *self._coordinators(case.recorder_key)]
        for membership, _key in case.team:
            key = self.org_keys[membership.organisation_id]
            if membership.organisation_id == recorder.pk or key in case.general | case.sensitive:
                people.append(membership)
        return list(dict.fromkeys(people))

    def _author(self, people: list[Membership], category: str) -> Membership | None:
        able = [m for m in people if access.role_permits(m, category)]
        if not able:
            return None
        specialists = [m for m in able if m.role == SPECIALIST.get(category)]
        return specialists[0] if specialists else able[0]

    def _assessments(
        self, case: Case, needs: dict[str, int], rows: _Rows, last_day: dt.date
    ) -> tuple[list[Assessment], dict[str, int]]:
        """One or two rounds (the second one differs); returns them and the latest needs."""
        rng, today = self.rng, self.today
        start = case.episode.start_date
        if rng.random() >= 0.9:  # noqa: PLR2004
            return [], needs
        first = self._day(start, min(start + dt.timedelta(days=21), last_day))
        days = [first]
        if (last_day - first).days > 150 and rng.random() < 0.6:  # noqa: PLR2004
            days.append(
                self._day(
                    first + dt.timedelta(days=90), min(first + dt.timedelta(days=200), last_day)
                )
            )
        people = self._contributors(case)
        language = self._language(case)
        rounds: list[Assessment] = []
        previous: dict[str, int] = {}
        for version, day in enumerate(days, start=1):
            completed = (today - day).days >= 7 or version < len(days)  # noqa: PLR2004
            assessment = Assessment(
                id=self._uuid(),
                client=case.client,
                episode=case.episode,
                version=version,
                assessed_on=day,
                status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.OPEN,
                recorded_by_id=case.registrar.organisation_id,
                created_by=case.registrar,
                created_at=self._moment(day),
            )
            if completed:
                done = min(day + dt.timedelta(days=rng.randint(0, 5)), today)
                assessment.completed_at = self._moment(done)
                assessment.completed_by = case.registrar
            rows.assessments.append(assessment)
            rounds.append(assessment)
            if version > 1:
                needs = self._changed(needs)
            for domain, need in needs.items():
                if need == 0 and rng.random() < 0.7:  # noqa: PLR2004 - no need, mostly not written
                    continue
                category = category_of(domain)
                author = self._author(people, category)
                if author is None:
                    continue
                strengths, barriers = ENTRY_TEXTS[domain]
                note = ""
                if domain in previous and previous[domain] != need:
                    note = _text(IMPROVED if need < previous[domain] else WORSE, language)
                rows.entries.append(
                    {
                        "id": self._uuid(),
                        "assessment_id": assessment.pk,
                        "client_id": case.client.pk,
                        "domain": domain,
                        "category": category,
                        "need": need,
                        "strengths": _text(strengths, language),
                        "barriers": _text(barriers, language) if need else "",
                        "notes": note,
                        "recorded_by_id": author.organisation_id,
                        "created_by_id": author.pk,
                        "created_at": self._moment(day),
                    }
                )
                previous[domain] = need
        return rounds, needs

    def _changed(self, needs: dict[str, int]) -> dict[str, int]:
        """The next round: most needs ease, a few grow, and at least one changes."""
        rng = self.rng
        changed = dict(needs)
        for domain, need in needs.items():
            roll = rng.random()
            if need and roll < 0.4:  # noqa: PLR2004
                changed[domain] = need - 1
            elif need < 3 and roll > 0.92:  # noqa: PLR2004
                changed[domain] = need + 1
        if changed == needs:
            changed[D.WORK] = max(needs[D.WORK] - 1, 1) if needs[D.WORK] > 1 else 2
        return changed

    # --- shared plan ---

    def _plan(self, case: Case, needs: dict[str, int], rows: _Rows, *, start: dt.date) -> _Plan:
        """The plan, drafted by the registrar soon after the first assessment and mostly
        agreed, with goals in work and up to three other domains of need."""
        rng, today = self.rng, self.today
        author = case.registrar  # the registering organisation's coordinator or social worker
        created = self._day(start, min(start + dt.timedelta(days=14), today))
        age = (today - created).days
        agreed = age >= 7 and rng.random() < 0.9  # noqa: PLR2004
        plan = Plan(
            id=self._uuid(),
            client=case.client,
            episode=case.episode,
            status=PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
            recorded_by_id=author.organisation_id,
            created_by=author,
            created_at=self._moment(created),
        )
        team_now = [m for m, _key in case.team]
        key_worker = next((m for m, key in case.team if key), author)
        present: list[Membership] = []
        if agreed:
            plan.agreed_on = self._day(created, min(created + dt.timedelta(days=10), today))
            plan.client_agreed = True
            plan.agreement_method = _weighted(
                rng,
                [
                    (AgreementMethod.IN_MEETING, 60),
                    (AgreementMethod.SIGNED, 30),
                    (AgreementMethod.PORTAL, 10),
                ],
            )
            if rng.random() < 0.15:  # noqa: PLR2004
                plan.participants_other = _text(
                    Text("Asiakkaan sisar", "Klientens syster", "The client's sister"),
                    self._language(case),
                )
            present = list(dict.fromkeys([author, key_worker, *team_now]))
            for membership in present:
                rows.plan_participants.append({"plan_id": plan.pk, "membership_id": membership.pk})
        rows.plans.append(plan)

        domains = self._goal_domains(needs, author)
        made = _Plan(plan=plan, goals=[], author=author, participants=[m.pk for m in present])
        language = self._language(case)
        for index, domain in enumerate(domains):
            # A minute apart: the plan lists goals and actions in the order they were written.
            at = plan.created_at + dt.timedelta(minutes=index)
            made.goals.append(
                self._goal(case, plan, domain, language, at=at, agreed=agreed, rows=rows)
            )
        return made

    def _reviews(self, case: Case, made: _Plan, rows: _Rows) -> None:
        """Every 90 days from the agreement; most past reviews held, the next one ahead."""
        rng, today, plan = self.rng, self.today, made.plan
        if plan.agreed_on is None:
            return
        due = plan.agreed_on + dt.timedelta(days=90)
        while True:
            held = due <= today and rng.random() < 0.85  # noqa: PLR2004
            review = PlanReview(
                plan=plan,
                client=case.client,
                due_on=due,
                held_on=min(due + dt.timedelta(days=rng.randint(0, 7)), today) if held else None,
                recorded_by_id=plan.recorded_by_id,
                created_by=plan.created_by,
                created_at=self._moment(plan.agreed_on),
            )
            rows.reviews.append(review)
            made.reviews.append(review)
            if due > today:
                return
            due += dt.timedelta(days=90)

    def _goal_domains(self, needs: dict[str, int], author: Membership) -> list[str]:
        """Work and the 1–3 other most pressing domains the author may write about."""
        rng = self.rng
        others = [
            d
            for d, n in needs.items()
            if n and d != D.WORK and d in GOALS and access.role_permits(author, category_of(d))
        ]
        rng.shuffle(others)
        others.sort(key=lambda d: -needs[d])
        return [D.WORK, *others[: rng.randint(1, 3)]] if others else [D.WORK, D.EDUCATION]

    def _goal(
        self,
        case: Case,
        plan: Plan,
        domain: str,
        language: str,
        *,
        at: dt.datetime,
        agreed: bool,
        rows: _Rows,
    ) -> tuple[Goal, list[Action]]:
        rng, today = self.rng, self.today
        created = at.date()
        text = rng.choice(GOALS[domain])
        category = category_of(domain)
        goal = Goal(
            id=self._uuid(),
            plan=plan,
            client=case.client,
            domain=domain,
            category=category,
            client_words=_text(text.words, language),
            target=_text(text.target, language),
            target_date=created + dt.timedelta(days=rng.randint(90, 270)),
            recorded_by_id=plan.recorded_by_id,
            created_by=plan.created_by,
            created_at=at,
        )
        actions: list[Action] = []
        chosen = text.actions[: rng.randint(1, len(text.actions))]
        age = (today - created).days
        for number, action_text in enumerate(chosen, start=1):
            responsible = self._responsible(case, action_text.who, category, plan)
            start = self._day(created, min(created + dt.timedelta(days=21), today))
            action = Action(
                id=self._uuid(),
                goal=goal,
                client=case.client,
                category=category,
                title=_text(action_text.title, language),
                responsible_organisation_id=responsible.organisation_id,
                responsible=responsible,
                start_date=start,
                recorded_by_id=plan.recorded_by_id,
                created_by=plan.created_by,
                created_at=at + dt.timedelta(seconds=number),
            )
            self._schedule(action, start, age if agreed else 0)
            actions.append(action)
            rows.actions.append(action)
        goal.status = self._goal_status(actions)
        rows.goals.append(goal)
        return goal, actions

    def _responsible(self, case: Case, who: str, category: str, plan: Plan) -> Membership:
        """The care-team member of the wanted role who may read the goal's category; else the
        key worker, else the plan's author (who may, having written the goal)."""
        current = [m for m, _key in case.team]
        for membership in current:
            if membership.role == who and access.role_permits(membership, category):
                return membership
        key_worker = next((m for m, key in case.team if key), None)
        if key_worker is not None and access.role_permits(key_worker, category):
            return key_worker
        assert plan.created_by is not None
        return plan.created_by

    def _schedule(self, action: Action, start: dt.date, age: int) -> None:
        """Done, overdue, due soon or later: a plan agreed long ago has more behind it."""
        rng, today = self.rng, self.today
        roll = rng.random()
        if age > 45 and roll < 0.35 and (today - start).days > 7:  # noqa: PLR2004
            action.due_date = self._day(start + dt.timedelta(days=7), today - dt.timedelta(days=1))
            action.status = ActionStatus.DONE
            action.completed_on = min(
                action.due_date + dt.timedelta(days=rng.randint(-5, 3)), today
            )
            action.completed_on = max(action.completed_on, start)
        elif age > 21 and roll < 0.5 and (today - start).days > 7:  # noqa: PLR2004 - overdue
            earliest = max(start + dt.timedelta(days=7), today - dt.timedelta(days=60))
            action.due_date = self._day(earliest, today - dt.timedelta(days=1))
            action.status = rng.choice([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
        elif roll < 0.75:  # noqa: PLR2004 - due within a week
            action.due_date = max(self._day(today, today + dt.timedelta(days=7)), start)
            action.status = ActionStatus.IN_PROGRESS if age else ActionStatus.PLANNED
        else:
            action.due_date = max(
                self._day(today + dt.timedelta(days=8), today + dt.timedelta(days=120)), start
            )
            action.status = ActionStatus.PLANNED
        if age == 0:
            action.status = ActionStatus.PLANNED
            action.completed_on = None
            action.due_date = max(action.due_date, today)

    def _goal_status(self, actions: list[Action]) -> str:
        statuses = {a.status for a in actions}
        if statuses == {ActionStatus.DONE}:
            return GoalStatus.ACHIEVED
        if statuses & {ActionStatus.DONE, ActionStatus.IN_PROGRESS}:
            return GoalStatus.IN_PROGRESS
        return GoalStatus.OPEN

    # --- revisions, in the snapshot format of plans.services.shared_plan.snapshot ---

    def _snapshot(
        self, made: _Plan, *, stage: str, reviews: Sequence[PlanReview]
    ) -> dict[str, Any]:
        """The plan as a revision keeps it at `stage`: "created" is the draft as first written
        (goals not started, actions planned, none of the actions referrals added later),
        "agreed" the same with the agreement, "now" the plan as it stands."""
        plan, now = made.plan, stage == "now"
        goals = [goal for goal, _actions in made.goals]
        actions = sorted(
            (a for _goal, goal_actions in made.goals for a in goal_actions),
            key=lambda a: (a.goal.created_at, a.created_at, str(a.pk)),
        )
        if not now:
            actions = [a for a in actions if a.pk not in made.added]
        agreed = stage != "created" and plan.agreed_on is not None
        return {
            "plan": {
                "status": plan.status if agreed else PlanStatus.DRAFT,
                "agreed_on": _iso(plan.agreed_on) if agreed else None,
                "participants": sorted(made.participants) if agreed else [],
                "participants_other": plan.participants_other if agreed else "",
                "client_agreed": plan.client_agreed if agreed else False,
                "agreement_method": plan.agreement_method if agreed else "",
                "agreement_note": plan.agreement_note if agreed else "",
                "reviews": [
                    {
                        "id": review.pk,
                        "due_on": _iso(review.due_on),
                        "held_on": _iso(review.held_on) if now else None,
                        "note": review.note,
                    }
                    for review in reviews
                ],
            },
            "goals": [
                {
                    "id": str(goal.pk),
                    "category": goal.category,
                    "recorded_by": goal.recorded_by_id,
                    "domain": goal.domain,
                    "client_words": goal.client_words,
                    "target": goal.target,
                    "target_date": _iso(goal.target_date),
                    "status": goal.status if now else GoalStatus.OPEN,
                }
                for goal in goals
            ],
            "actions": [
                {
                    "id": str(action.pk),
                    "goal": str(action.goal_id),
                    "category": action.category,
                    "recorded_by": action.recorded_by_id,
                    "title": action.title,
                    "description": action.description,
                    "responsible_organisation": action.responsible_organisation_id,
                    "responsible": action.responsible_id,
                    "start_date": _iso(action.start_date),
                    "due_date": _iso(action.due_date),
                    "status": action.status if now else ActionStatus.PLANNED,
                    "completed_on": _iso(action.completed_on) if now else None,
                }
                for action in actions
            ],
        }

    def _revisions(self, case: Case, made: _Plan, rows: _Rows) -> None:
        """r1 the plan as drafted; r2 its agreement (with the first review date); then one
        revision for everything since (actions done, referrals added, reviews held), if
        anything happened: the last revision is always the plan as it stands.

        Snapshots name the reviews by their ids, known only once inserted: `_Rows.save`
        builds them after the reviews are in."""
        plan, author = made.plan, made.author
        actions = [action for _goal, goal_actions in made.goals for action in goal_actions]
        steps: list[tuple[str, dt.datetime, str]] = [("created", plan.created_at, "created")]
        last = plan.created_at
        if plan.agreed_on is not None:
            last = max(self._moment(plan.agreed_on), last)
            steps.append(("agreed", last, "agreed"))
        changes = [a.created_at for a in actions if a.pk in made.added]
        changes += [self._moment(a.completed_on) for a in actions if a.completed_on]
        changes += [self._moment(r.held_on) for r in made.reviews if r.held_on]
        moved = any(a.status != ActionStatus.PLANNED for a in actions) or bool(changes)
        later_reviews = len(made.reviews) > 1
        if moved or later_reviews:
            change = "action_updated" if moved else "review_added"
            steps.append((change, max([last, *changes]), "now"))
        for number, (change, at, stage) in enumerate(steps, start=1):
            revision = PlanRevision(
                plan=plan,
                client=case.client,
                number=number,
                snapshot={},
                change=change,
                changed_by=author,
                recorded_by_id=author.organisation_id,
                created_at=at,
            )
            shown = (
                made.reviews if stage == "now" else made.reviews[:1] if stage == "agreed" else []
            )
            rows.revisions.append(revision)
            rows.snapshots.append(
                (revision, partial(self._snapshot, made, stage=stage, reviews=shown))
            )
        plan.revision = len(steps)

    # --- referrals ---

    def _referral_services(
        self, case: Case, goals: list[str], needs: dict[str, int]
    ) -> list[tuple[ServiceSpec, Service, Membership]]:
        """Up to three services answering the plan's goals and the client's clear needs, of
        other organisations, each with a sender of the registering organisation whose role may
        read everything the referral carries."""
        rng = self.rng
        wanted = [*goals, *(d for d, n in needs.items() if n >= 2 and d not in goals)]  # noqa: PLR2004
        on_team = {m.organisation_id for m, _key in case.team}
        language = case.client.preferred_language
        senders = [case.registrar, *self._coordinators(case.recorder_key)]
        chosen: list[tuple[ServiceSpec, Service, Membership]] = []
        for domain in wanted:
            options = [
                (spec, service)
                for spec, service in self.services
                if domain in spec.domains
                and service.organisation_id != case.registrar.organisation_id
                and not (spec.key == "ips-job-coaching" and service.organisation_id in on_team)
                and not (spec.key == "swedish-course" and language != "fi")
                and not (spec.key == "finnish-course" and language in {"fi", "sv"})
            ]
            if not options or rng.random() < 0.25:  # noqa: PLR2004
                continue
            spec, service = rng.choice(options)
            carried = _carried(service)
            sender = next(
                (m for m in senders if all(access.role_permits(m, c) for c in carried)), None
            )
            if sender is not None and all(service.pk != s.pk for _sp, s, _m in chosen):
                chosen.append((spec, service, sender))
        return chosen[:3]

    def _referral_consent(
        self,
        case: Case,
        services: list[tuple[ServiceSpec, Service, Membership]],
        day: dt.date,
        rows: _Rows,
    ) -> None:
        """A consent for referrals sharing what referrals to `services` carry with their
        organisations: valid today while the episode is open, ended with an ended episode."""
        rng = self.rng
        consent = Consent(
            id=self._uuid(),
            client=case.client,
            purpose=Purpose.REFERRAL,
            method=_weighted(
                rng,
                [
                    (ConsentMethod.WRITTEN, 50),
                    (ConsentMethod.ELECTRONIC, 30),
                    (ConsentMethod.VERBAL, 20),
                ],
            ),
            valid_from=day,
            valid_until=day + dt.timedelta(days=365) if rng.random() < 0.5 else None,  # noqa: PLR2004
            recorded_by_id=case.registrar.organisation_id,
            created_by=case.registrar,
            created_at=self._moment(day),
        )
        ended = case.episode.end_date
        if ended is not None:
            consent.valid_until = max(ended, day)
        elif consent.valid_until is not None and consent.valid_until < self.today:
            consent.valid_until = None  # renewed: referrals of an open episode need it today
        rows.consents.append(consent)
        categories: set[str] = set()
        for organisation_id in sorted({service.organisation_id for _s, service, _m in services}):
            rows.consent_orgs.append({"consent_id": consent.pk, "organisation_id": organisation_id})
        for _spec, service, _sender in services:
            categories |= set(_carried(service))
        for category in [c for c in C.values if c in categories]:
            rows.scopes.append({"consent_id": consent.pk, "category": category})

    def _referrals(
        self,
        case: Case,
        made: _Plan,
        services: list[tuple[ServiceSpec, Service, Membership]],
        rows: _Rows,
    ) -> None:
        """One referral to each service, sent after the plan and the consent, in a status
        spread from sent to completed; the open ones partly overdue."""
        rng, today = self.rng, self.today
        start = made.plan.created_at.date()
        language = self._language(case)
        actions_by_domain = {goal.domain: (goal, actions) for goal, actions in made.goals}
        for spec, service, sender in services:
            carried = _carried(service)
            category = main_category(carried)
            receivers = self._receivers(service.organisation_id, category)
            status = (
                _weighted(rng, REFERRAL_STATUSES)
                if receivers
                else rng.choice([S.SENT, S.SENT, S.CANCELLED])
            )
            available = (today - start).days
            while PATHS[status][1] > available:
                status = S.SENT if status in {S.RECEIVED, S.CANCELLED} else S.RECEIVED
                if status == S.SENT:
                    break
            path, least = PATHS[status]
            expected = service.expected_response_days
            longest = min(available, 2 * expected) if status in OPEN else available
            sent_day = today - dt.timedelta(days=rng.randint(least, max(least, longest)))
            domain = next((d for d in spec.domains if d in actions_by_domain), spec.domains[0])
            handler = self._next(receivers, f"handler:{service.pk}") if receivers else None
            referral = Referral(
                id=self._uuid(),
                client=case.client,
                service=service,
                receiving_organisation_id=service.organisation_id,
                category=category,
                carried_categories=carried,
                message=_text(REFERRAL_REASONS[domain], language) + _text(CONSENTED, language),
                status=status,
                expected_response_days=expected,
                sent_at=self._moment(sent_day),
                recorded_by_id=sender.organisation_id,
                created_by=sender,
                created_at=self._moment(sent_day),
            )
            referral.created_at = referral.sent_at
            self._events(referral, path, stampers=(sender, handler), sent_day=sent_day, rows=rows)
            if domain in actions_by_domain:
                self._referral_action(
                    made, referral, actions_by_domain[domain], spec=spec, rows=rows
                )
            rows.referrals.append(referral)
            self._notify(referral, receivers, rows)

    def _events(
        self,
        referral: Referral,
        path: list[str],
        *,
        stampers: tuple[Membership, Membership | None],
        sent_day: dt.date,
        rows: _Rows,
    ) -> None:
        """Stamp each step of `path` on ordered days between sending and today: the sender
        sends and cancels, the handler of the receiving organisation does the rest."""
        rng, today = self.rng, self.today
        sender, handler = stampers
        span = (today - sent_day).days
        later = _step_days(rng, path, span=span, expected=referral.expected_response_days)
        at = referral.sent_at
        days = [0, *later]
        for step, (status, offset) in enumerate(zip(path, days, strict=True)):
            if step:
                at = max(
                    self._moment(sent_day + dt.timedelta(days=offset)), at + dt.timedelta(minutes=5)
                )
            by = sender if status in {S.SENT, S.CANCELLED} else handler
            assert by is not None
            rows.events.append(
                {
                    "referral_id": referral.pk,
                    "status": status,
                    "at": at,
                    "by_id": by.pk,
                    "organisation_id": by.organisation_id,
                }
            )
            if status == S.RECEIVED:
                referral.received_at = at
            elif status in {S.ACCEPTED, S.DECLINED}:
                referral.decided_at, referral.handler = at, by
                if status == S.DECLINED:
                    reason = _weighted(rng, DECLINE_REASONS)
                    referral.decline_reason = reason
                    referral.decline_note = _text(
                        DECLINE_NOTES[reason], self._language_of(referral)
                    )
            elif status == S.FIRST_CONTACT:
                referral.first_contact_on = at.date()
            elif status in {S.COMPLETED, S.CANCELLED}:
                referral.closed_at = at
            if status in {S.RECEIVED, S.ACCEPTED, S.FIRST_CONTACT, S.COMPLETED}:
                referral.handler = by

    def _language_of(self, referral: Referral) -> str:
        language = referral.client.preferred_language
        return language if language in {"fi", "sv"} else "en"

    def _referral_action(
        self,
        made: _Plan,
        referral: Referral,
        goal_actions: tuple[Goal, list[Action]],
        *,
        spec: ServiceSpec,
        rows: _Rows,
    ) -> None:
        """The plan's step for the referral, owned by the receiving organisation."""
        goal, actions = goal_actions
        language = self._language_of(referral)
        name = {"fi": spec.name.fi, "sv": spec.name.sv}.get(language, spec.name.en)
        statuses: dict[str, str] = {
            S.COMPLETED: ActionStatus.DONE,
            S.DECLINED: ActionStatus.CANCELLED,
            S.CANCELLED: ActionStatus.CANCELLED,
            S.ACCEPTED: ActionStatus.IN_PROGRESS,
            # The step was getting there: done at the first contact.
            S.FIRST_CONTACT: ActionStatus.DONE,
        }
        status = statuses.get(referral.status, ActionStatus.PLANNED)
        sent = referral.sent_at.date()
        action = Action(
            id=self._uuid(),
            goal=goal,
            client=referral.client,
            category=goal.category,
            title=(_text(REFERRAL_ACTION, language) % name)[:200],
            responsible_organisation_id=referral.receiving_organisation_id,
            responsible=referral.handler
            if referral.handler is not None and access.role_permits(referral.handler, goal.category)
            else None,
            start_date=sent,
            due_date=sent + dt.timedelta(days=referral.expected_response_days),
            status=status,
            completed_on=referral.first_contact_on if status == ActionStatus.DONE else None,
            recorded_by_id=goal.recorded_by_id,
            created_by=referral.created_by,
            created_at=referral.sent_at,
        )
        actions.append(action)
        rows.actions.append(action)
        made.added.add(action.id)
        referral.action = action

    def _notify(self, referral: Referral, receivers: list[Membership], rows: _Rows) -> None:
        """As referral_send and referral_transition do: the receiving organisation's members
        hear of a new referral, the sender of the answer. Read once acted upon."""
        read = referral.received_at or referral.decided_at or referral.closed_at
        for member in receivers:
            rows.notifications.append(
                {
                    "recipient_id": member.pk,
                    "kind": NotificationKind.REFERRAL_RECEIVED,
                    "referral_id": referral.pk,
                    "action_id": None,
                    "created_at": referral.sent_at,
                    "read_at": read if referral.status != S.SENT else None,
                }
            )
        if referral.decided_at is not None:
            recent = (self.today - referral.decided_at.date()).days < 7  # noqa: PLR2004
            rows.notifications.append(
                {
                    "recipient_id": referral.created_by_id,
                    "kind": NotificationKind.REFERRAL_ANSWERED,
                    "referral_id": referral.pk,
                    "action_id": None,
                    "created_at": referral.decided_at,
                    "read_at": None if recent else referral.decided_at + dt.timedelta(hours=20),
                }
            )

    # --- encounters ---

    def _encounters(self, case: Case, rows: _Rows, last_day: dt.date) -> None:
        rng = self.rng
        start = case.episode.start_date
        span = (last_day - start).days
        people = list(dict.fromkeys([*(m for m, _key in case.team), case.registrar]))
        # A few at the start, then about one every two months; some clients have none yet.
        count = rng.randint(1, 3) + min(span // 60, 6) if rng.random() < 0.9 else 0  # noqa: PLR2004
        language = self._language(case)
        for _ in range(count):
            author = rng.choice(people)
            category = self._encounter_category(author)
            others = [
                m
                for m in people
                if m.organisation_id != author.organisation_id and access.role_permits(m, category)
            ]
            if others and rng.random() < 0.1:  # noqa: PLR2004
                kind = EncounterKind.NETWORK_MEETING
            elif category == C.SOCIAL and rng.random() < 0.3:  # noqa: PLR2004
                kind = EncounterKind.HOME_VISIT
            else:
                kind = _weighted(
                    rng,
                    [
                        (EncounterKind.MEETING, 60),
                        (EncounterKind.PHONE, 30),
                        (EncounterKind.VIDEO, 10),
                    ],
                )
            attendance = _weighted(rng, ATTENDANCE)
            day = self._day(start, last_day)
            note = ""
            if attendance == Attendance.NO_SHOW:
                note = _text(NO_SHOW_NOTE, language)
            elif attendance == Attendance.ATTENDED:
                note = _text(rng.choice(ENCOUNTER_NOTES[category]), language)
            low, high = DURATION[kind]
            encounter_id, started_at = self._uuid(), self._moment(day)
            rows.encounters.append(
                {
                    "id": encounter_id,
                    "client_id": case.client.pk,
                    "kind": kind,
                    "category": category,
                    "started_at": started_at,
                    "duration_minutes": rng.randint(low, high),
                    "attendance": attendance,
                    "notes": note,
                    "recorded_by_id": author.organisation_id,
                    "created_by_id": author.pk,
                    "created_at": started_at,
                }
            )
            present = [author, *(others if kind == EncounterKind.NETWORK_MEETING else [])]
            for membership in present:
                rows.encounter_people.append(
                    {"encounter_id": encounter_id, "membership_id": membership.pk}
                )
            for organisation_id in sorted({m.organisation_id for m in present}):
                rows.encounter_orgs.append(
                    {"encounter_id": encounter_id, "organisation_id": organisation_id}
                )

    def _encounter_category(self, author: Membership) -> str:
        """What the author's role talks about: a nurse's visit is health data, and so on."""
        rng = self.rng
        options: dict[str, list[tuple[str, int]]] = {
            Role.EMPLOYMENT_SPECIALIST: [(C.EMPLOYMENT, 80), (C.EDUCATION, 20)],
            Role.BENEFITS_COUNSELLOR: [(C.BENEFITS, 100)],
            Role.HEALTH_PROFESSIONAL: [(C.HEALTH, 100)],
            Role.SOCIAL_WORKER: [(C.SOCIAL, 70), (C.BENEFITS, 20), (C.EMPLOYMENT, 10)],
            Role.COORDINATOR: [(C.EMPLOYMENT, 80), (C.EDUCATION, 10), (C.BENEFITS, 10)],
            Role.EMPLOYER_LIAISON: [(C.EMPLOYMENT, 100)],
        }
        return _weighted(rng, options.get(author.role, [(C.EMPLOYMENT, 100)]))


def _carried(service: Service) -> list[str]:
    """Identity, contact and the service's categories, in DataCategory's order (the same as
    plans.services.referrals.carried_categories)."""
    wanted = set(ALWAYS_CARRIED) | set(service.referral_categories)
    return [category for category in C.values if category in wanted]


def _step_days(rng: random.Random, path: list[str], *, span: int, expected: int) -> list[int]:
    """Days after sending of each step after the first, within `span` days.

    Received within days, answered within days more; first contact within the service's
    expected time for about three in four referrals (the "timely" figure the report shows),
    later for the rest; completion or cancellation any time after.
    """
    later: list[int] = []
    reached = 0
    for status in path[1:]:
        if status == S.RECEIVED:
            reached += rng.randint(0, 2)
        elif status in {S.ACCEPTED, S.DECLINED}:
            reached += rng.randint(0, 3)
        elif status == S.FIRST_CONTACT:
            timely = rng.random() < 0.75  # noqa: PLR2004 - the demo's share on time
            total = rng.randint(1, expected) if timely else rng.randint(expected + 1, 2 * expected)
            reached = max(reached, total)
        else:
            reached += rng.randint(0, max(0, span - reached))
        reached = min(reached, span)
        later.append(reached)
    return later
