"""Demo data of the employers app: a Helsinki-region employer register with workplaces, contact
persons, agreed services and vacancies, and the specialists' and liaison's employer contacts.

Called by demo/ips.py once, after every client batch (ips.py needs the register for placements
and job-search activities). Deterministic for a seed and an anchor date, from a random generator
of its own so that the clients and their plans stay exactly as they were before this extension.

The rows keep the rules the employers services enforce: every Business ID validates (the check
digit is computed, and numbers whose remainder is 1 are never issued) and is unique; ISCO codes
come from the shipped fixture; industries are NACE sections; a vacancy's workplace and a
contact's person belong to its employer; no contact is dated in the future.

Employer names are invented (surnames and words, not brands); contact details are fictitious:
e-mails under `example.invalid`, phone numbers in an unassigned range, as in catalogue.py.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, TypeVar

from faker import Faker

from polku.core.classifications import occupations
from polku.core.models import Country, Membership, Organisation
from polku.core.roles import Role
from polku.core.validators import ytunnus_check_digit
from polku.demo.catalogue import Text
from polku.demo.plans import _insert
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
    EmployerServiceKind,
    InteractionKind,
    InteractionPurpose,
    SizeClass,
    Vacancy,
    VacancyStatus,
    WorkingTime,
)

T = TypeVar("T")
BATCH = 2000
WEEKS_OF_CONTACTS = 26
# Employers: 60 for the smallest demo, about 100 for the default 350 clients, 120 at 540 clients;
# then slowly more, up to a few hundred for national-scale benchmarks.
FEW_EMPLOYERS, MANY_EMPLOYERS, MOST_EMPLOYERS = 60, 120, 320
CLIENTS_PER_EMPLOYER, CLIENTS_PER_EMPLOYER_AT_SCALE = 9, 100

# --- Occupations (ISCO-08 minor groups of the shipped fixture) and what employers call them ---

JOB_TITLES: dict[str, Text] = {
    "251": Text("Ohjelmistokehittäjä", "Programvaruutvecklare", "Software developer"),
    "351": Text("IT-tukihenkilö", "IT-supporttekniker", "IT support technician"),
    "411": Text("Toimistoavustaja", "Kontorsassistent", "Office assistant"),
    "413": Text("Tallentaja", "Inmatare", "Data entry clerk"),
    "422": Text("Asiakaspalvelija", "Kundtjänstmedarbetare", "Customer service agent"),
    "432": Text("Varastokirjuri", "Lagerkontorist", "Stock clerk"),
    "441": Text("Arkistoavustaja", "Arkivassistent", "Archive assistant"),
    "512": Text("Kokki", "Kock", "Cook"),
    "513": Text("Tarjoilija", "Servitör", "Waiter"),
    "515": Text("Kiinteistönhoitaja", "Fastighetsskötare", "Caretaker"),
    "522": Text("Myyjä", "Försäljare", "Shop assistant"),
    "523": Text("Kassamyyjä", "Kassör", "Cashier"),
    "524": Text("Tuote-esittelijä", "Produktdemonstratör", "Product demonstrator"),
    "531": Text("Koulunkäynninohjaaja", "Skolgångsbiträde", "Teaching assistant"),
    "532": Text("Hoiva-avustaja", "Vårdbiträde", "Care assistant"),
    "541": Text("Vartija", "Väktare", "Security guard"),
    "711": Text("Rakennustyöntekijä", "Byggnadsarbetare", "Construction worker"),
    "712": Text("Laatoittaja", "Plattsättare", "Tiler"),
    "713": Text("Rakennusmaalari", "Byggnadsmålare", "Painter"),
    "721": Text("Hitsaaja", "Svetsare", "Welder"),
    "723": Text("Polkupyöränkorjaaja", "Cykelreparatör", "Bicycle mechanic"),
    "732": Text("Painotyöntekijä", "Tryckeriarbetare", "Print worker"),
    "741": Text("Sähköasentaja", "Elmontör", "Electrician"),
    "751": Text("Leipuri", "Bagare", "Baker"),
    "752": Text("Puuseppä", "Snickare", "Joiner"),
    "821": Text("Kokoonpanija", "Montör", "Assembler"),
    "832": Text("Jakelukuljettaja", "Distributionsförare", "Delivery driver"),
    "833": Text("Kuorma-autonkuljettaja", "Lastbilschaufför", "Truck driver"),
    "834": Text("Trukinkuljettaja", "Truckförare", "Forklift driver"),
    "911": Text("Siivooja", "Städare", "Cleaner"),
    "912": Text("Ikkunanpesijä", "Fönsterputsare", "Window cleaner"),
    "931": Text("Rakennusapulainen", "Byggmedhjälpare", "Construction labourer"),
    "932": Text("Tuotantotyöntekijä", "Produktionsarbetare", "Production worker"),
    "933": Text("Varastotyöntekijä", "Lagerarbetare", "Warehouse worker"),
    "941": Text("Keittiöapulainen", "Köksbiträde", "Kitchen assistant"),
    "961": Text("Kierrätystyöntekijä", "Återvinningsarbetare", "Recycling worker"),
    "962": Text("Lähetti", "Bud", "Courier"),
}


@dataclass(frozen=True)
class IndustrySpec:
    """A NACE section as the demo fills it: how common, how big, what it is called, whom it
    employs (ISCO code, weight), who deals with the programme, what it asks of applicants."""

    section: str
    weight: int
    sizes: tuple[int, int, int, int]  # micro, small, medium, large
    names: tuple[str, ...]  # "{S}" a surname, "{W}" a word
    jobs: tuple[tuple[str, int], ...]
    place: Text  # what a workplace is called
    contact_title: Text
    requirements: Text
    description: Text


GENERIC_SIZES = (30, 35, 22, 13)
INDUSTRIES: list[IndustrySpec] = [
    IndustrySpec(
        "G",
        18,
        GENERIC_SIZES,
        (
            "Kauppa {S} Oy",
            "Lähikauppa {W}",
            "Rautakauppa {S} Oy",
            "{W} Market Oy",
            "Kodintarvike {W} Oy",
            "Kukkakauppa {W}",
            "Urheiluliike {W} Oy",
        ),
        (("522", 40), ("523", 20), ("933", 20), ("432", 10), ("524", 10)),
        Text("Myymälä", "Butik", "Shop"),
        Text("Myymäläpäällikkö", "Butikschef", "Store manager"),
        Text(
            "Asiakaspalveluhenkisyys; kassakokemus on eduksi.",
            "Serviceinriktad; erfarenhet av kassaarbete är en fördel.",
            "A service mindset; till experience is an advantage.",
        ),
        Text(
            "Asiakaspalvelua, hyllytystä ja kassatyötä vaihtelevissa vuoroissa.",
            "Kundservice, varupåfyllning och kassaarbete i varierande skift.",
            "Customer service, shelf stocking and till work in varying shifts.",
        ),
    ),
    IndustrySpec(
        "I",
        15,
        (40, 40, 15, 5),
        (
            "Ravintola {W}",
            "Kahvila {W}",
            "Lounasravintola {W}",
            "Bistro {W}",
            "{W} Catering Oy",
            "Hotelli {W}",
            "Pizzeria {W}",
        ),
        (("512", 30), ("513", 30), ("941", 30), ("911", 10)),
        Text("Ravintola", "Restaurang", "Restaurant"),
        Text("Ravintolapäällikkö", "Restaurangchef", "Restaurant manager"),
        Text(
            "Hygieniapassi; ravintola-alan kokemus on eduksi.",
            "Hygienpass; erfarenhet av restaurangbranschen är en fördel.",
            "Hygiene passport; restaurant experience is an advantage.",
        ),
        Text(
            "Keittiö- ja salityötä lounas- ja iltavuoroissa.",
            "Köks- och serveringsarbete i lunch- och kvällsskift.",
            "Kitchen and dining-room work in lunch and evening shifts.",
        ),
    ),
    IndustrySpec(
        "H",
        12,
        GENERIC_SIZES,
        (
            "Kuljetus {S} Oy",
            "{W} Logistiikka Oy",
            "Varastopalvelu {W} Oy",
            "Muuttopalvelu {S} Oy",
            "{W} Terminaali Oy",
            "Pikakuljetus {S} Oy",
        ),
        (("933", 35), ("832", 25), ("833", 15), ("834", 15), ("432", 10)),
        Text("Terminaali", "Terminal", "Terminal"),
        Text("Terminaalipäällikkö", "Terminalchef", "Terminal manager"),
        Text(
            "Trukkikortti tai B-ajokortti; hyvä fyysinen kunto.",
            "Truckkort eller B-körkort; god fysisk kondition.",
            "Forklift licence or driving licence B; good physical condition.",
        ),
        Text(
            "Keräilyä, pakkaamista ja jakelua aamu- ja iltavuoroissa.",
            "Plockning, packning och distribution i morgon- och kvällsskift.",
            "Picking, packing and deliveries in morning and evening shifts.",
        ),
    ),
    IndustrySpec(
        "N",
        14,
        GENERIC_SIZES,
        (
            "Siivouspalvelu {S} Oy",
            "Kiinteistöhuolto {W} Oy",
            "{W} Puhtauspalvelut Oy",
            "Ikkunanpesu {S} Oy",
            "Vartiointi {W} Oy",
            "Toimitilapalvelu {W} Oy",
        ),
        (("911", 45), ("912", 10), ("515", 20), ("541", 15), ("962", 10)),
        Text("Toimipiste", "Verksamhetsställe", "Branch"),
        Text("Palveluesihenkilö", "Arbetsledare", "Service supervisor"),
        Text(
            "Oma-aloitteisuus ja tarkkuus; alan kokemus on eduksi.",
            "Självständighet och noggrannhet; erfarenhet av branschen är en fördel.",
            "Initiative and accuracy; experience in the trade is an advantage.",
        ),
        Text(
            "Toimisto- ja kiinteistökohteiden ylläpitoa aamupainotteisesti.",
            "Underhåll av kontor och fastigheter, främst på morgonen.",
            "Upkeep of offices and properties, mostly in the mornings.",
        ),
    ),
    IndustrySpec(
        "Q",
        12,
        (15, 35, 35, 15),
        (
            "Hoivakoti {W}",
            "Palvelutalo {W}",
            "Kotihoito {S} Oy",
            "{W} Hoiva Oy",
            "Senioritalo {W}",
            "Lääkärikeskus {W} Oy",
        ),
        (("532", 45), ("911", 20), ("941", 20), ("422", 15)),
        Text("Yksikkö", "Enhet", "Unit"),
        Text("Yksikön esihenkilö", "Enhetschef", "Unit manager"),
        Text(
            "Hygieniapassi; halu tehdä hoivatyötä ja hyvät vuorovaikutustaidot.",
            "Hygienpass; vilja att arbeta inom omsorg och goda sociala färdigheter.",
            "Hygiene passport; a wish to do care work and good people skills.",
        ),
        Text(
            "Avustavia tehtäviä asukkaiden arjessa, ruokahuollossa ja siisteydessä.",
            "Assisterande uppgifter i de boendes vardag, i måltidsservicen och städningen.",
            "Assisting residents in daily life, with meals and with cleaning.",
        ),
    ),
    IndustrySpec(
        "F",
        8,
        (35, 40, 20, 5),
        (
            "Rakennus {S} Oy",
            "{W} Remontti Oy",
            "Maalaus {S} Oy",
            "Sähköasennus {W} Oy",
            "Laatoitus {S} Oy",
            "{W} Talotekniikka Oy",
        ),
        (("711", 30), ("931", 30), ("713", 15), ("712", 10), ("741", 15)),
        Text("Toimisto", "Kontor", "Office"),
        Text("Vastaava työnjohtaja", "Ansvarig arbetsledare", "Site manager"),
        Text(
            "Työturvallisuuskortti; rakennusalan kokemus on eduksi.",
            "Arbetarskyddskort; erfarenhet av byggbranschen är en fördel.",
            "Occupational safety card; construction experience is an advantage.",
        ),
        Text(
            "Avustavia rakennus- ja korjaustöitä työmailla pääkaupunkiseudulla.",
            "Assisterande bygg- och renoveringsarbete på byggen i huvudstadsregionen.",
            "Assisting with building and renovation work on sites in the capital region.",
        ),
    ),
    IndustrySpec(
        "C",
        8,
        GENERIC_SIZES,
        (
            "Leipomo {W} Oy",
            "{W} Metalli Oy",
            "Puusepänliike {S} Oy",
            "Konepaja {W} Oy",
            "Painotalo {W} Oy",
            "{W} Elintarvike Oy",
        ),
        (("932", 35), ("821", 20), ("751", 20), ("721", 10), ("752", 10), ("732", 5)),
        Text("Tuotanto", "Produktion", "Plant"),
        Text("Tuotantopäällikkö", "Produktionschef", "Production manager"),
        Text(
            "Tarkkuus ja kädentaidot; vuorotyö sopii.",
            "Noggrannhet och händighet; skiftarbete passar.",
            "Accuracy and manual skills; shift work suits you.",
        ),
        Text(
            "Tuotantolinjan tehtäviä, pakkaamista ja laadun tarkastusta.",
            "Uppgifter vid produktionslinjen, packning och kvalitetskontroll.",
            "Production line tasks, packing and quality checks.",
        ),
    ),
    IndustrySpec(
        "J",
        5,
        (25, 40, 25, 10),
        (
            "{W} Solutions Oy",
            "Koodipaja {W} Oy",
            "{W} Data Oy",
            "Asiakaspalvelukeskus {W} Oy",
            "{W} Digital Oy",
        ),
        (("251", 30), ("351", 30), ("422", 30), ("413", 10)),
        Text("Toimisto", "Kontor", "Office"),
        Text("HR-asiantuntija", "HR-specialist", "HR specialist"),
        Text(
            "Hyvät tietotekniset taidot; englannin kieli työkielenä.",
            "Goda datakunskaper; engelska som arbetsspråk.",
            "Good computer skills; English as a working language.",
        ),
        Text(
            "Käyttäjätukea, testausta ja asiakaspalvelua puhelimessa ja chatissa.",
            "Användarstöd, testning och kundtjänst i telefon och chatt.",
            "User support, testing and customer service by phone and chat.",
        ),
    ),
    IndustrySpec(
        "O",
        3,
        (0, 10, 40, 50),
        ("Palvelukeskus {W}", "Asukaspalvelut {W}", "Seutuarkisto {W}"),
        (("411", 40), ("422", 30), ("441", 20), ("911", 10)),
        Text("Palvelupiste", "Serviceställe", "Service point"),
        Text("Henkilöstöasiantuntija", "Personalspecialist", "HR adviser"),
        Text(
            "Hyvä suomen kielen taito; ruotsin kielen taito on eduksi.",
            "Goda kunskaper i finska; kunskaper i svenska är en fördel.",
            "Good Finnish; Swedish is an advantage.",
        ),
        Text(
            "Asiakasneuvontaa, arkistointia ja toimiston tukitehtäviä.",
            "Kundrådgivning, arkivering och stöduppgifter på kontoret.",
            "Customer advice, archiving and office support tasks.",
        ),
    ),
    IndustrySpec(
        "P",
        3,
        (0, 15, 45, 40),
        ("Ammattiopisto {W}", "Koulukeskus {W}", "Kansalaisopisto {W}"),
        (("531", 40), ("941", 25), ("515", 20), ("411", 15)),
        Text("Toimipaikka", "Verksamhetsställe", "Campus"),
        Text("Henkilöstöasiantuntija", "Personalspecialist", "HR adviser"),
        Text(
            "Kokemus lasten tai nuorten kanssa toimimisesta on eduksi.",
            "Erfarenhet av att arbeta med barn eller unga är en fördel.",
            "Experience of working with children or young people is an advantage.",
        ),
        Text(
            "Avustavia tehtäviä opetuksessa, keittiössä ja kiinteistön hoidossa.",
            "Assisterande uppgifter i undervisningen, köket och fastighetsskötseln.",
            "Assisting with teaching, in the kitchen and with the upkeep of the buildings.",
        ),
    ),
]
INDUSTRY = {spec.section: spec for spec in INDUSTRIES}

# Swedish-speaking employers: (section, name pattern).
SWEDISH_NAMES: list[tuple[str, str]] = [
    ("F", "{S} Bygg Ab"),
    ("I", "Café {W}"),
    ("I", "Restaurang {W}"),
    ("N", "Städservice {S} Ab"),
    ("H", "{S} Logistik Ab"),
    ("G", "Handelsboden {W} Ab"),
    ("Q", "Vårdhemmet {W}"),
]
# Social enterprises (Finnish "yhteiskunnallinen yritys"): (section, name pattern, jobs).
SOCIAL_ENTERPRISES: list[tuple[str, str, tuple[tuple[str, int], ...]]] = [
    ("E", "Kierrätyskeskus {W} Oy", (("961", 40), ("933", 30), ("522", 30))),
    ("C", "Työpaja {W} Oy", (("752", 40), ("932", 40), ("723", 20))),
    ("I", "Kahvila {W} – yhteiskunnallinen yritys", (("941", 50), ("513", 50))),
    ("N", "Siivousosuuskunta {W}", (("911", 80), ("515", 20))),
    ("S", "Pyöräverstas {W} Oy", (("723", 70), ("522", 30))),
]
SOCIAL_ENTERPRISE_PLACE = Text("Työpaja", "Verkstad", "Workshop")
SOCIAL_ENTERPRISE_CONTACT = Text("Toiminnanjohtaja", "Verksamhetsledare", "Executive director")
SOCIAL_ENTERPRISE_DESCRIPTION = Text(
    "Palkkatyötä tiimissä työvalmentajan tuella; tehtävät sovitetaan tekijän mukaan.",
    "Lönearbete i ett team med stöd av en arbetscoach; uppgifterna anpassas efter den anställda.",
    "Paid work in a team with a job coach's support; tasks are fitted to the worker.",
)
SOCIAL_ENTERPRISE_REQUIREMENTS = Text(
    "Ei aiempaa kokemusta vaadita; perehdytämme.",
    "Ingen tidigare erfarenhet krävs; vi ger introduktion.",
    "No previous experience needed; we provide induction.",
)
WORDS_FI = [
    "Kaisla",
    "Kanerva",
    "Lyhty",
    "Majakka",
    "Helmi",
    "Kide",
    "Sointu",
    "Ahjo",
    "Tähti",
    "Ruska",
    "Otava",
    "Kotka",
    "Vilja",
    "Pihlaja",
    "Kuura",
    "Kivijalka",
    "Tammi",
    "Saaristo",
    "Lempi",
    "Aallokko",
    "Kajo",
    "Virta",
    "Haapa",
    "Merituuli",
    "Kielo",
    "Satama",
    "Koivu",
    "Lähde",
    "Kompassi",
    "Linna",
    "Paja",
    "Puro",
    "Routa",
    "Sisu",
    "Taimi",
    "Vaahtera",
    "Valo",
    "Vire",
    "Ilta",
    "Aamu",
]
WORDS_SV = [
    "Fyren",
    "Ankaret",
    "Solrosen",
    "Lotsen",
    "Kajen",
    "Skären",
    "Linden",
    "Måsen",
    "Vågen",
    "Holmen",
]
MANAGER = Text("Toimitusjohtaja", "Verkställande direktör", "Managing director")

# Districts of the three cities with their postal codes: (Finnish name, Swedish name, code).
DISTRICTS: dict[str, list[tuple[str, str, str]]] = {
    "Helsinki": [
        ("Kallio", "Berghäll", "00530"),
        ("Pasila", "Böle", "00520"),
        ("Itäkeskus", "Östra centrum", "00930"),
        ("Malmi", "Malm", "00700"),
        ("Vuosaari", "Nordsjö", "00980"),
        ("Herttoniemi", "Hertonäs", "00800"),
        ("Kamppi", "Kampen", "00100"),
        ("Sörnäinen", "Sörnäs", "00580"),
        ("Pitäjänmäki", "Sockenbacka", "00370"),
        ("Kontula", "Gårdsbacka", "00940"),
    ],
    "Espoo": [
        ("Leppävaara", "Alberga", "02600"),
        ("Tapiola", "Hagalund", "02100"),
        ("Matinkylä", "Mattby", "02230"),
        ("Espoon keskus", "Esbo centrum", "02770"),
        ("Otaniemi", "Otnäs", "02150"),
    ],
    "Vantaa": [
        ("Tikkurila", "Dickursby", "01300"),
        ("Myyrmäki", "Myrbacka", "01600"),
        ("Aviapolis", "Aviapolis", "01510"),
        ("Koivukylä", "Björkby", "01360"),
        ("Hakunila", "Håkansböle", "01200"),
    ],
}
MUNICIPALITY_WEIGHTS = [("Helsinki", 65), ("Espoo", 20), ("Vantaa", 15)]

AGREEMENT_KINDS = [
    (EmployerServiceKind.RECRUITMENT_HELP, 40),
    (EmployerServiceKind.WAGE_SUBSIDY_ADVICE, 30),
    (EmployerServiceKind.JOB_TAILORING, 25),
    (EmployerServiceKind.TRAINING, 5),
]
AGREEMENT_TEXTS: dict[str, Text] = {
    EmployerServiceKind.RECRUITMENT_HELP: Text(
        "Autamme hakijoiden löytämisessä ja haastatteluissa; esittelemme sopivat hakijat.",
        "Vi hjälper till att hitta sökande och med intervjuerna; vi presenterar lämpliga sökande.",
        "We help find applicants and with interviews, and introduce suitable candidates.",
    ),
    EmployerServiceKind.WAGE_SUBSIDY_ADVICE: Text(
        "Palkkatuen ehdot ja hakeminen käydään läpi ennen jokaista rekrytointia.",
        "Villkoren för lönesubvention och ansökan gås igenom före varje rekrytering.",
        "Pay subsidy terms and the application are gone through before each hire.",
    ),
    EmployerServiceKind.JOB_TAILORING: Text(
        "Työtehtäviä räätälöidään: osa-aikaiset tehtävät erotellaan kokoaikaisista.",
        "Arbetsuppgifter skräddarsys: deltidsuppgifter skiljs från heltidstjänsterna.",
        "Jobs are tailored: part-time tasks are carved out of full-time posts.",
    ),
    EmployerServiceKind.TRAINING: Text(
        "Työyhteisövalmennus: mielenterveys ja monimuotoinen työyhteisö.",
        "Utbildning för arbetsgemenskapen: psykisk hälsa och mångfald på jobbet.",
        "Training for the work community: mental health and a diverse workplace.",
    ),
}
ADJUSTMENTS: list[Text] = [
    Text(
        "Lyhennetty työaika aluksi mahdollinen (20 h/vko).",
        "Kortare arbetstid i början möjlig (20 h/vecka).",
        "Shorter hours at first are possible (20 h/week).",
    ),
    Text(
        "Työtehtäviä voidaan räätälöidä tekijän vahvuuksien mukaan.",
        "Arbetsuppgifterna kan anpassas efter den anställdas styrkor.",
        "Tasks can be tailored to the worker's strengths.",
    ),
    Text(
        "Perehdytys työparin kanssa ensimmäiset kaksi viikkoa.",
        "Introduktion med en arbetskamrat de två första veckorna.",
        "Induction with a work buddy for the first two weeks.",
    ),
    Text(
        "Joustava aloitusaika aamuisin; rauhallinen taukotila.",
        "Flexibel starttid på morgonen; ett lugnt pausrum.",
        "Flexible start in the mornings; a quiet break room.",
    ),
]
NOTES = [
    Text(
        "Kiinnostunut rekrytoimaan kokeilun kautta; yhteyshenkilö vastaa nopeasti.",
        "Intresserad av att rekrytera via prövning; kontaktpersonen svarar snabbt.",
        "Interested in hiring through a trial; the contact person answers quickly.",
    ),
    Text(
        "Rekrytoi keväisin ja ennen joulua.",
        "Rekryterar på våren och före jul.",
        "Hires in spring and before Christmas.",
    ),
    Text(
        "Aiempi yhteistyö sujunut hyvin; toivoo tietoa palkkatuesta.",
        "Tidigare samarbete har gått bra; önskar information om lönesubvention.",
        "Earlier cooperation went well; would like information on pay subsidy.",
    ),
]

# What a contact achieved, by purpose; none of them names a client (the forms say so).
OUTCOMES: dict[str, list[Text]] = {
    InteractionPurpose.JOB_DEVELOPMENT: [
        Text(
            "Esittelin IPS-työhönvalmennuksen; kiinnostusta varastotehtäviin.",
            "Presenterade IPS-jobbcoachningen; intresse för lageruppgifter.",
            "Presented IPS job coaching; interest in warehouse tasks.",
        ),
        Text(
            "Kartoitimme tulevat rekrytointitarpeet; uusi käynti sovittu kuukauden päähän.",
            "Kartlade kommande rekryteringsbehov; nytt besök om en månad.",
            "Mapped upcoming hiring needs; next visit agreed in a month.",
        ),
        Text(
            "Työnantaja harkitsee osa-aikaista paikkaa; lähetän hakijan tiedot sovitusti.",
            "Arbetsgivaren överväger en deltidstjänst; jag skickar uppgifter om en sökande.",
            "The employer is considering a part-time post; I will send an applicant's details.",
        ),
        Text(
            "Tutustuimme työpaikkaan ja työtehtäviin; hyvä kuva työyhteisöstä.",
            "Bekantade oss med arbetsplatsen och uppgifterna; en bra bild av arbetsgemenskapen.",
            "Toured the workplace and the tasks; a good picture of the work community.",
        ),
        Text(
            "Ei rekrytointitarvetta nyt; yhteydenotto keväällä.",
            "Inget rekryteringsbehov nu; kontakt på våren.",
            "No hiring needs now; contact again in spring.",
        ),
        Text(
            "Keskustelimme tehtävien räätälöinnistä kahteen osa-aikaiseen työhön.",
            "Diskuterade att skräddarsy uppgifter till två deltidsjobb.",
            "Discussed tailoring tasks into two part-time jobs.",
        ),
    ],
    InteractionPurpose.EMPLOYER_SERVICE: [
        Text(
            "Palkkatuen hakeminen käyty läpi esihenkilön kanssa.",
            "Gick igenom ansökan om lönesubvention med chefen.",
            "Went through the pay subsidy application with the manager.",
        ),
        Text(
            "Sovittiin rekrytointiavusta kahteen tehtävään.",
            "Avtalade om rekryteringshjälp till två tjänster.",
            "Agreed recruitment help for two posts.",
        ),
        Text(
            "Työyhteisövalmennuksen ajankohta sovittu.",
            "Tidpunkten för utbildningen av arbetsgemenskapen avtalad.",
            "Date agreed for the training of the work community.",
        ),
    ],
    InteractionPurpose.FOLLOW_ALONG: [
        Text(
            "Seurantakäynti: työ sujuu hyvin, työvuorot sopivat.",
            "Uppföljningsbesök: arbetet går bra, skiften passar.",
            "Follow-along visit: the work is going well, the shifts suit.",
        ),
        Text(
            "Sovittiin perehdytyksen jatkamisesta ja tuntimäärän nostosta.",
            "Avtalade om fortsatt introduktion och fler timmar.",
            "Agreed to continue the induction and to increase the hours.",
        ),
        Text(
            "Esihenkilön palaute hyvää; seuraava tapaaminen kuukauden päästä.",
            "Bra respons från chefen; nästa möte om en månad.",
            "Good feedback from the supervisor; next meeting in a month.",
        ),
    ],
}
EVENT_OUTCOME = Text(
    "Rekrytointitapahtuma: tavattiin työnantajan edustajat ja sovittiin jatkosta.",
    "Rekryteringsevenemang: träffade arbetsgivarens representanter och avtalade fortsättning.",
    "Recruitment event: met the employer's representatives and agreed next steps.",
)


@dataclass
class EmployerCounts:
    employers: int = 0
    social_enterprises: int = 0
    workplaces: int = 0
    contact_persons: int = 0
    agreements: int = 0
    vacancies: int = 0
    contacts: int = 0

    def add(self, other: EmployerCounts) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class EmployerInfo:
    """What the IPS generator needs to know of an employer it places clients with."""

    id: uuid.UUID
    section: str
    language: str  # "fi" or "sv": what the employer writes in
    social: bool
    jobs: tuple[tuple[str, int], ...]
    active: bool = True
    people: list[int] = field(default_factory=list)  # EmployerPerson ids
    vacancies: list[VacancyInfo] = field(default_factory=list)


@dataclass(frozen=True)
class VacancyInfo:
    id: uuid.UUID
    employer_id: uuid.UUID
    isco_code: str
    title: str
    status: str
    created: dt.date
    deadline: dt.date | None


@dataclass
class Register:
    """The demo's employer register, as the IPS generator uses it."""

    employers: list[EmployerInfo]
    # The active ones, which new contacts, activities and placements name (as the services
    # allow), and those of them that hire an ISCO code, with the weight they give it.
    active: list[EmployerInfo] = field(default_factory=list)
    by_occupation: dict[str, list[tuple[EmployerInfo, int]]] = field(default_factory=dict)

    def index(self) -> None:
        self.active = [info for info in self.employers if info.active]
        for info in self.active:
            for code, weight in info.jobs:
                self.by_occupation.setdefault(code, []).append((info, weight))


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in options], weights=[w for _, w in options])[0]


def _text(text: Text, language: str) -> str:
    return {"fi": text.fi, "sv": text.sv}.get(language, text.en)


def _ascii(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


def employer_count(clients: int) -> int:
    """60–120 employers for demos up to 540 clients, then a few hundred at most."""
    if clients <= (MANY_EMPLOYERS - FEW_EMPLOYERS) * CLIENTS_PER_EMPLOYER:
        return FEW_EMPLOYERS + clients // CLIENTS_PER_EMPLOYER
    extra = (clients - (MANY_EMPLOYERS - FEW_EMPLOYERS) * CLIENTS_PER_EMPLOYER) // (
        CLIENTS_PER_EMPLOYER_AT_SCALE
    )
    return min(MOST_EMPLOYERS, MANY_EMPLOYERS + extra)


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday from `start` to `end`, both included."""
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]  # noqa: PLR2004 - Saturday is 5


class EmployersGenerator:
    """Creates the register (see the module docstring)."""

    def __init__(
        self,
        *,
        seed: int,
        today: dt.date,
        orgs: dict[str, Organisation],
        staff: dict[str, list[Membership]],
    ) -> None:
        self.rng = random.Random(f"polku-demo-employers:{seed}")
        self.today = today
        self.orgs = orgs
        self.coaches = staff[f"ips:{Role.EMPLOYMENT_SPECIALIST}"]
        self.liaisons = staff.get(f"employment:{Role.EMPLOYER_LIAISON}", [])
        self.faker = {"fi": Faker("fi_FI"), "sv": Faker("sv_SE")}
        for index, faker in enumerate(self.faker.values()):
            faker.seed_instance(f"polku-demo-employers:{seed}:{index}")
        self.names: set[str] = set()
        self.business_ids: set[str] = set()
        self.counts = EmployerCounts()

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

    def business_id(self) -> str:
        """A unique Y-tunnus that validates: seven digits and their check digit (YTJ)."""
        while True:
            digits = f"{self.rng.randint(100_000, 3_299_999):07d}"
            check = ytunnus_check_digit(digits)
            if check is None:  # remainder 1: never issued
                continue
            code = f"{digits}-{check}"
            if code not in self.business_ids:
                self.business_ids.add(code)
                return code

    def _name(self, pattern: str, language: str) -> str:
        faker = self.faker[language]
        words = WORDS_SV if language == "sv" else WORDS_FI
        for attempt in range(100):
            name = pattern.format(S=faker.last_name(), W=self.rng.choice(words))
            if attempt > 50:  # noqa: PLR2004 - a crowded pattern: number it
                name = f"{name} {attempt}"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError(pattern)

    # --- the register ---

    def create(self, clients: int) -> Register:
        rng = self.rng
        total = employer_count(clients)
        socials = max(3, round(total * 0.05))
        swedish = max(3, round(total * 0.08))
        plan: list[tuple[str, str, str, bool, tuple[tuple[str, int], ...] | None]] = []
        for index in range(socials):
            section, pattern, jobs = SOCIAL_ENTERPRISES[index % len(SOCIAL_ENTERPRISES)]
            plan.append((section, pattern, "fi", True, jobs))
        for _ in range(swedish):
            section, pattern = rng.choice(SWEDISH_NAMES)
            plan.append((section, pattern, "sv", False, None))
        weights = [spec.weight for spec in INDUSTRIES]
        for _ in range(total - len(plan)):
            spec = rng.choices(INDUSTRIES, weights=weights)[0]
            plan.append((spec.section, rng.choice(spec.names), "fi", False, None))
        rng.shuffle(plan)

        employers: list[Employer] = []
        infos: list[EmployerInfo] = []
        for section, pattern, language, social, own_jobs in plan:
            industry = INDUSTRY.get(section)
            info = EmployerInfo(
                id=self._uuid(),
                section=section,
                language=language,
                social=social,
                jobs=own_jobs or (industry.jobs if industry else ()),
            )
            employers.append(self._employer(info, pattern, industry))
            infos.append(info)
        Employer.objects.bulk_create(employers, batch_size=BATCH)
        self.counts.employers = len(employers)
        self.counts.social_enterprises = sum(1 for info in infos if info.social)

        locations = self._places(employers, infos)
        self._people(employers, infos)
        self._agreements(employers, infos)
        self._vacancies(employers, infos, locations)
        register = Register(employers=infos)
        register.index()
        return register

    def _employer(self, info: EmployerInfo, pattern: str, spec: IndustrySpec | None) -> Employer:
        rng = self.rng
        sizes = spec.sizes if spec else (40, 50, 10, 0)
        size = rng.choices(list(SizeClass.values), weights=sizes)[0]
        language = info.language
        name = self._name(pattern, language)
        info.active = not self._chance(0.03)  # a few no longer work with the programme
        registrar = self._registrar()
        created = self.today - dt.timedelta(days=rng.randint(30, 740))
        return Employer(
            id=info.id,
            name=name,
            country=Country.FINLAND,
            business_id=self.business_id(),
            industry=info.section,
            size_class=size,
            is_social_enterprise=info.social,
            website=f"https://www.{_ascii(name.split(' – ')[0]).replace('.', '')}.example"
            if self._chance(0.6)
            else "",
            notes=_text(rng.choice(NOTES), language) if self._chance(0.3) else "",
            is_active=info.active,
            registered_by_id=registrar.organisation_id,
            created_by=registrar,
            created_at=self._moment(created),
        )

    def _registrar(self) -> Membership:
        """Liaisons register most employers, coaches the ones they find themselves."""
        if self.liaisons and self._chance(0.55):
            return self.rng.choice(self.liaisons)
        return self.rng.choice(self.coaches)

    def _places(
        self, employers: list[Employer], infos: list[EmployerInfo]
    ) -> dict[uuid.UUID, list[EmployerLocation]]:
        rng = self.rng
        rows: list[EmployerLocation] = []
        for employer, info in zip(employers, infos, strict=True):
            large = employer.size_class in {SizeClass.MEDIUM, SizeClass.LARGE}
            count = _weighted(rng, [(1, 40), (2, 35), (3, 25)] if large else [(1, 70), (2, 25)])
            spec = INDUSTRY.get(info.section)
            place = spec.place if spec else SOCIAL_ENTERPRISE_PLACE
            language = info.language
            used: set[str] = set()
            for _ in range(count):
                municipality = _weighted(rng, MUNICIPALITY_WEIGHTS)
                district_fi, district_sv, postal_code = rng.choice(DISTRICTS[municipality])
                district = district_sv if language == "sv" else district_fi
                if district in used:
                    continue
                used.add(district)
                street = self.faker["fi"].street_name()
                rows.append(
                    EmployerLocation(
                        employer_id=employer.pk,
                        name=f"{_text(place, language)} {district}",
                        street_address=f"{street} {rng.randint(1, 60)}",
                        postal_code=postal_code,
                        municipality=municipality,
                    )
                )
        EmployerLocation.objects.bulk_create(rows, batch_size=BATCH)
        self.counts.workplaces = len(rows)
        by_employer: dict[uuid.UUID, list[EmployerLocation]] = {}
        for row in rows:
            by_employer.setdefault(row.employer_id, []).append(row)
        return by_employer

    def _people(self, employers: list[Employer], infos: list[EmployerInfo]) -> None:
        rng = self.rng
        rows: list[EmployerPerson] = []
        for employer, info in zip(employers, infos, strict=True):
            language = info.language
            faker = self.faker[language]
            spec = INDUSTRY.get(info.section)
            titles = [spec.contact_title if spec else SOCIAL_ENTERPRISE_CONTACT, MANAGER]
            for index in range(_weighted(rng, [(1, 55), (2, 45)])):
                first, last = faker.first_name(), faker.last_name()
                rows.append(
                    EmployerPerson(
                        employer_id=employer.pk,
                        name=f"{first} {last}",
                        title=_text(titles[index], language),
                        phone=f"+358 9 0000 {rng.randint(2000, 9999)}",
                        email=f"{_ascii(first)}.{_ascii(last)}@example.invalid",
                        is_primary=index == 0,
                    )
                )
        EmployerPerson.objects.bulk_create(rows, batch_size=BATCH)
        self.counts.contact_persons = len(rows)
        by_id = {info.id: info for info in infos}
        for row in rows:
            by_id[row.employer_id].people.append(row.pk)

    def _agreements(self, employers: list[Employer], infos: list[EmployerInfo]) -> None:
        rng, today = self.rng, self.today
        rows: list[dict[str, Any]] = []
        for employer, info in zip(employers, infos, strict=True):
            if not self._chance(0.4):
                continue
            language = info.language
            kinds = {_weighted(rng, AGREEMENT_KINDS) for _ in range(rng.randint(1, 2))}
            for kind in sorted(kinds):
                start = today - dt.timedelta(days=rng.randint(7, 540))
                end = (
                    start + dt.timedelta(days=rng.randint(180, 365)) if self._chance(0.5) else None
                )
                by = self._registrar()
                rows.append(
                    {
                        "id": self._uuid(),
                        "employer_id": employer.pk,
                        "kind": kind,
                        "start_date": start,
                        "end_date": end,
                        "description": _text(AGREEMENT_TEXTS[kind], language),
                        "organisation_id": by.organisation_id,
                        "agreed_by_id": by.pk,
                        "created_at": self._moment(start),
                    }
                )
        _insert(EmployerAgreement, rows)
        self.counts.agreements = len(rows)

    def _vacancies(
        self,
        employers: list[Employer],
        infos: list[EmployerInfo],
        locations: dict[uuid.UUID, list[EmployerLocation]],
    ) -> None:
        """One to three a year per employer: most recent ones open with the deadline ahead,
        older ones filled or closed, a few drafts."""
        rng = self.rng
        rows: list[dict[str, Any]] = []
        for employer, info in zip(employers, infos, strict=True):
            for _ in range(_weighted(rng, [(1, 45), (2, 35), (3, 20)])):
                if not info.jobs:
                    continue
                code = _weighted(rng, info.jobs)
                row, vacancy = self._vacancy(employer, info, code, locations.get(employer.pk, []))
                rows.append(row)
                info.vacancies.append(vacancy)
        _insert(Vacancy, rows)
        self.counts.vacancies = len(rows)

    def _vacancy(
        self,
        employer: Employer,
        info: EmployerInfo,
        code: str,
        places: list[EmployerLocation],
    ) -> tuple[dict[str, Any], VacancyInfo]:
        rng, today = self.rng, self.today
        assert code in occupations(), code
        language = info.language
        # ICT employers write in English when English is the working language.
        english = info.section == "J" and self._chance(0.4)
        text_language = "en" if english else language
        roll = rng.random()
        deadline: dt.date | None
        if roll < 0.55:  # noqa: PLR2004 - open, deadline ahead
            created = today - dt.timedelta(days=rng.randint(0, 30))
            deadline = today + dt.timedelta(days=rng.randint(3, 40))
            status = VacancyStatus.OPEN
        elif roll < 0.6:  # noqa: PLR2004 - a draft not yet published
            created = today - dt.timedelta(days=rng.randint(0, 10))
            deadline = None
            status = VacancyStatus.DRAFT
        else:
            created = today - dt.timedelta(days=rng.randint(45, 365))
            deadline = created + dt.timedelta(days=rng.randint(14, 45))
            status = VacancyStatus.FILLED if self._chance(0.55) else VacancyStatus.CLOSED
        if not info.active and status in {VacancyStatus.OPEN, VacancyStatus.DRAFT}:
            status = VacancyStatus.CLOSED  # the employer left the register
        working_time = _weighted(
            rng,
            [(WorkingTime.FULL_TIME, 40), (WorkingTime.PART_TIME, 35), (WorkingTime.EITHER, 25)],
        )
        hours: Decimal | None = {
            WorkingTime.FULL_TIME: Decimal("37.5"),
            WorkingTime.PART_TIME: Decimal(rng.choice([15, 20, 24, 25, 30])),
        }.get(working_time)
        if english:
            languages = ["en"] if self._chance(0.4) else ["fi", "en"]
        elif language == "sv":
            languages = ["sv", "fi"]
        else:
            languages = _weighted(rng, [(["fi"], 70), (["fi", "en"], 20), (["fi", "sv"], 10)])
        spec = INDUSTRY.get(info.section)
        title = _text(JOB_TITLES[code], text_language)
        start = deadline + dt.timedelta(days=rng.randint(7, 30)) if deadline else None
        vacancy_id = self._uuid()
        row = {
            "id": vacancy_id,
            "employer_id": employer.pk,
            "title": title,
            "isco_code": code,
            "description": _text(
                spec.description if spec else SOCIAL_ENTERPRISE_DESCRIPTION, text_language
            ),
            "requirements": _text(
                spec.requirements if spec else SOCIAL_ENTERPRISE_REQUIREMENTS, text_language
            ),
            "languages": languages,
            "working_time": working_time,
            "hours_per_week": hours,
            "location_id": rng.choice(places).pk if places else None,
            "positions": _weighted(rng, [(1, 70), (2, 20), (3, 10)]),
            "start_date": start if self._chance(0.8) else None,
            "deadline": deadline,
            "status": status,
            "adjustments": _text(rng.choice(ADJUSTMENTS), text_language)
            if self._chance(0.6)
            else "",
            "created_by_id": self._registrar().pk,
            "created_at": self._moment(created),
        }
        vacancy = VacancyInfo(
            id=vacancy_id,
            employer_id=employer.pk,
            isco_code=code,
            title=title,
            status=status,
            created=created,
            deadline=deadline,
        )
        return row, vacancy

    # --- employer contacts ---

    def contacts(self, register: Register) -> list[dict[str, Any]]:
        """Each coach's and liaison's employer contacts over the past 26 weeks.

        Coaches visit four to seven employers face to face each week to develop jobs (IPS item
        17), mostly from a portfolio of their own, and phone or e-mail a few more; once a month
        or so a recruitment event. The liaison serves employers: agreements, subsidies.
        """
        rng, today = self.rng, self.today
        monday = today - dt.timedelta(days=today.weekday())
        first = monday - dt.timedelta(weeks=WEEKS_OF_CONTACTS - 1)
        employers = register.active
        rows: list[dict[str, Any]] = []
        for coach in self.coaches:
            portfolio = rng.sample(employers, min(len(employers), 30))
            for week in range(WEEKS_OF_CONTACTS):
                days = working_days(first + dt.timedelta(weeks=week), today)[:5]
                if not days:
                    continue
                share = len(days) / 5
                for _ in range(round(rng.randint(4, 7) * share)):
                    info = rng.choice(portfolio) if self._chance(0.8) else rng.choice(employers)
                    purpose = (
                        InteractionPurpose.EMPLOYER_SERVICE
                        if self._chance(0.08)
                        else InteractionPurpose.JOB_DEVELOPMENT
                    )
                    rows.append(
                        self.contact(info, rng.choice(days), InteractionKind.VISIT, purpose, coach)
                    )
                for _ in range(round(rng.randint(2, 5) * share)):
                    info = rng.choice(portfolio)
                    kind = InteractionKind.PHONE if self._chance(0.6) else InteractionKind.EMAIL
                    purpose = _weighted(
                        rng,
                        [
                            (InteractionPurpose.JOB_DEVELOPMENT, 65),
                            (InteractionPurpose.EMPLOYER_SERVICE, 35),
                        ],
                    )
                    rows.append(self.contact(info, rng.choice(days), kind, purpose, coach))
                if self._chance(0.2):
                    info = rng.choice(employers)
                    rows.append(
                        self.contact(
                            info,
                            rng.choice(days),
                            InteractionKind.EVENT,
                            InteractionPurpose.JOB_DEVELOPMENT,
                            coach,
                        )
                    )
        for liaison in self.liaisons:
            for week in range(WEEKS_OF_CONTACTS):
                days = working_days(first + dt.timedelta(weeks=week), today)[:5]
                for _ in range(rng.randint(2, 5) if days else 0):
                    kind = _weighted(
                        rng,
                        [
                            (InteractionKind.VISIT, 40),
                            (InteractionKind.PHONE, 30),
                            (InteractionKind.EMAIL, 20),
                            (InteractionKind.EVENT, 10),
                        ],
                    )
                    purpose = _weighted(
                        rng,
                        [
                            (InteractionPurpose.EMPLOYER_SERVICE, 55),
                            (InteractionPurpose.JOB_DEVELOPMENT, 45),
                        ],
                    )
                    info = rng.choice(employers)
                    rows.append(self.contact(info, rng.choice(days), kind, purpose, liaison))
        return rows

    def contact(
        self,
        info: EmployerInfo,
        day: dt.date,
        kind: str,
        purpose: str,
        by: Membership,
        *,
        rng: random.Random | None = None,
    ) -> dict[str, Any]:
        """One employer contact row; the outcome in the employer's language."""
        rng = rng or self.rng
        language = info.language
        if kind == InteractionKind.EVENT:
            outcome = _text(EVENT_OUTCOME, language)
        else:
            outcome = _text(rng.choice(OUTCOMES[purpose]), language)
        person = rng.choice(info.people) if info.people and rng.random() < 0.8 else None  # noqa: PLR2004
        moment = dt.datetime(
            day.year, day.month, day.day, 6 + rng.randint(0, 8), rng.randint(0, 59), tzinfo=dt.UTC
        )
        return {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "employer_id": info.id,
            "date": day,
            "kind": kind,
            "purpose": purpose,
            "specialist_id": by.pk,
            "organisation_id": by.organisation_id,
            "person_id": person,
            "outcome": outcome,
            "created_at": moment,
        }


def save_contacts(rows: list[dict[str, Any]]) -> int:
    _insert(EmployerInteraction, rows)
    return len(rows)
