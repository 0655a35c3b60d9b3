"""The demo service catalogue: Helsinki-like services of the demo organisations (data.py).

Sixteen services a key worker in a Helsinki employment programme refers people to, with their
places. Addresses are real streets of Helsinki with their postal codes and approximate
coordinates; every contact detail is fictitious (`.invalid` domains, unassigned numbers).
Identifiers are derived from the service keys, so the same catalogue gets the same HSDS ids on
every run and an export can be compared between runs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from polku.core.categories import DataCategory
from polku.core.models import Organisation
from polku.plans.domains import LifeDomain
from polku.plans.models import Location, Service, ServiceAtLocation, ServiceKind

C = DataCategory
D = LifeDomain
K = ServiceKind

# Namespace of the demo's HSDS ids: uuid5(namespace, "service:<key>") and so on.
HSDS_NAMESPACE = uuid.UUID("6f1d2f7e-3c1b-4c55-9d0a-2b7e5d9c4a10")


@dataclass(frozen=True)
class Text:
    fi: str
    sv: str
    en: str


@dataclass(frozen=True)
class LocationSpec:
    key: str
    org: str
    name: str
    address: str
    postal_code: str
    latitude: str
    longitude: str
    accessibility: str = "Step-free entrance; accessible toilet; induction loop at reception."
    city: str = "Helsinki"
    is_virtual: bool = False


@dataclass(frozen=True)
class ServiceSpec:
    key: str
    org: str
    kind: str
    name: Text
    description: Text
    eligibility: Text
    referral_categories: tuple[str, ...]
    # The life domains whose needs this service answers (plans.py picks referrals by them).
    domains: tuple[str, ...]
    expected_response_days: int
    languages: tuple[str, ...]
    schedule: str
    fees: str
    phone: str
    locations: tuple[str, ...]


LOCATIONS = [
    LocationSpec(
        "employment-kalasatama",
        "employment",
        "Työllisyyspalvelut Kalasatama",
        "Sörnäisten rantatie 27",
        "00500",
        "60.186950",
        "24.971900",
    ),
    LocationSpec(
        "employment-itakeskus",
        "employment",
        "Työllisyyspalvelut Itäkeskus",
        "Turunlinnantie 8",
        "00930",
        "60.209800",
        "25.081400",
    ),
    LocationSpec(
        "social-kallio",
        "social",
        "Kallion sosiaaliasema",
        "Toinen linja 4",
        "00530",
        "60.183700",
        "24.948900",
    ),
    LocationSpec(
        "social-kontula",
        "social",
        "Kontulan sosiaali- ja asumisneuvonta",
        "Ostostie 4",
        "00940",
        "60.235700",
        "25.082600",
    ),
    LocationSpec(
        "social-malmi",
        "social",
        "Malmin kuntouttavan työtoiminnan keskus",
        "Kirkonkyläntie 14",
        "00700",
        "60.251300",
        "25.012000",
    ),
    LocationSpec(
        "health-kalasatama",
        "health",
        "Kalasataman terveys- ja hyvinvointikeskus",
        "Kalasatamantori 1",
        "00580",
        "60.187300",
        "24.977600",
    ),
    LocationSpec(
        "health-itakeskus",
        "health",
        "Itäkeskuksen päihdepoliklinikka",
        "Kajaaninlinnantie 4",
        "00900",
        "60.211300",
        "25.082900",
    ),
    LocationSpec(
        "kela-toolo",
        "kela",
        "Kela Töölö",
        "Nordenskiöldinkatu 12",
        "00250",
        "60.190800",
        "24.913300",
    ),
    LocationSpec(
        "kela-online",
        "kela",
        "Kela – verkossa ja puhelimessa",
        "",
        "",
        "",
        "",
        accessibility="Online and by phone; sign-language interpreting on request.",
        city="",
        is_virtual=True,
    ),
    LocationSpec(
        "ips-sornainen",
        "ips",
        "Työpolku Sörnäinen",
        "Hämeentie 11",
        "00530",
        "60.182000",
        "24.957200",
    ),
    LocationSpec(
        "provider_a-pasila",
        "provider_a",
        "Uraverkko Pasila",
        "Ratapihantie 11",
        "00520",
        "60.199500",
        "24.933000",
    ),
    LocationSpec(
        "provider_b-malmi",
        "provider_b",
        "Osaamispolku Malmi",
        "Ala-Malmin tori 1",
        "00700",
        "60.251000",
        "25.009500",
    ),
    LocationSpec(
        "provider_b-online",
        "provider_b",
        "Osaamispolku verkossa",
        "",
        "",
        "",
        "",
        accessibility="Online classes with captions; loan laptops available.",
        city="",
        is_virtual=True,
    ),
    LocationSpec(
        "social_enterprise-herttoniemi",
        "social_enterprise",
        "Arjen Työ Herttoniemi",
        "Sahaajankatu 20",
        "00880",
        "60.199000",
        "25.053000",
        accessibility="Workshop on the ground floor; step-free access from the yard.",
    ),
]

_OFFICE = "Mon–Thu 8.30–16.00, Fri 8.30–15.00"
_FREE = "Free of charge"

SERVICES = [
    ServiceSpec(
        key="debt-counselling",
        org="social",
        kind=K.DEBT_COUNSELLING,
        name=Text(
            "Talous- ja velkaneuvonta",
            "Ekonomi- och skuldrådgivning",
            "Financial and debt counselling",
        ),
        description=Text(
            "Neuvontaa talouden suunnitteluun, velkojen järjestelyyn ja ulosottoon. Autamme "
            "laatimaan maksusuunnitelman ja hakemaan velkajärjestelyä.",
            "Rådgivning om hushållsekonomi, skuldsanering och utsökning. Vi hjälper dig att göra "
            "en betalningsplan och ansöka om skuldsanering.",
            "Advice on budgeting, debt settlement and enforcement. We help to draw up a payment "
            "plan and to apply for debt adjustment.",
        ),
        eligibility=Text(
            "Helsinkiläiset, joilla on velka- tai maksuvaikeuksia.",
            "Helsingforsbor med skulder eller betalningssvårigheter.",
            "Helsinki residents with debts or payment difficulties.",
        ),
        referral_categories=(C.BENEFITS,),
        domains=(D.FINANCES,),
        expected_response_days=21,
        languages=("fi", "sv", "en"),
        schedule=_OFFICE,
        fees=_FREE,
        phone="+358 9 0000 1101",
        locations=("social-kallio", "social-kontula"),
    ),
    ServiceSpec(
        key="housing-advice",
        org="social",
        kind=K.HOUSING,
        name=Text("Asumisneuvonta", "Boenderådgivning", "Housing advice"),
        description=Text(
            "Apua vuokrarästeihin, häätöuhkaan ja asunnon hakemiseen. Asumisneuvoja neuvottelee "
            "tarvittaessa vuokranantajan kanssa.",
            "Hjälp med hyresskulder, vräkningshot och bostadssökning. Boenderådgivaren förhandlar "
            "vid behov med hyresvärden.",
            "Help with rent arrears, threat of eviction and finding a home. The housing adviser "
            "negotiates with the landlord when needed.",
        ),
        eligibility=Text(
            "Helsinkiläiset, joiden asuminen on uhattuna tai jotka ovat asunnottomia.",
            "Helsingforsbor vars boende är hotat eller som är bostadslösa.",
            "Helsinki residents whose housing is at risk or who are homeless.",
        ),
        referral_categories=(C.SOCIAL,),
        domains=(D.HOUSING,),
        expected_response_days=14,
        languages=("fi", "sv", "en"),
        schedule=_OFFICE,
        fees=_FREE,
        phone="+358 9 0000 1102",
        locations=("social-kontula",),
    ),
    ServiceSpec(
        key="rehabilitative-work",
        org="social",
        kind=K.REHABILITATIVE_WORK,
        name=Text(
            "Kuntouttava työtoiminta",
            "Arbetsverksamhet i rehabiliteringssyfte",
            "Rehabilitative work activity",
        ),
        description=Text(
            "Työtoimintaa 1–4 päivänä viikossa, 4–8 tuntia päivässä, verstaissa ja "
            "kierrätyskeskuksessa. Tavoitteena arjen rytmi ja työelämävalmiudet.",
            "Arbetsverksamhet 1–4 dagar i veckan, 4–8 timmar om dagen, i verkstäder och på "
            "återvinningscentralen. Målet är en dagsrytm och färdigheter för arbetslivet.",
            "Work activity 1–4 days a week, 4–8 hours a day, in workshops and at the recycling "
            "centre, to build a daily rhythm and readiness for work.",
        ),
        eligibility=Text(
            "Pitkään työttömänä olleet, joilla on aktivointisuunnitelma (laki kuntouttavasta "
            "työtoiminnasta 189/2001).",
            "Långtidsarbetslösa med en aktiveringsplan (lag om arbetsverksamhet i "
            "rehabiliteringssyfte 189/2001).",
            "Long-term unemployed people with an activation plan (Act on Rehabilitative Work "
            "Activity 189/2001).",
        ),
        referral_categories=(C.SOCIAL,),
        domains=(D.DAILY_LIVING, D.SOCIAL_RELATIONS),
        expected_response_days=30,
        languages=("fi", "sv"),
        schedule="Mon–Fri 8.00–15.00",
        fees="Free of charge; expense allowance €9 a day",
        phone="+358 9 0000 1103",
        locations=("social-malmi",),
    ),
    ServiceSpec(
        key="substance-use-outpatient",
        org="health",
        kind=K.SUBSTANCE_USE,
        name=Text(
            "Päihdepoliklinikka",
            "Missbrukarpoliklinik",
            "Substance-use outpatient clinic",
        ),
        description=Text(
            "Avohoitoa alkoholi-, huume- ja peliriippuvuuteen: arvio, korvaushoidon "
            "tarpeen selvitys ja säännölliset hoitokäynnit.",
            "Öppenvård vid alkohol-, drog- och spelberoende: bedömning, utredning av behovet "
            "av substitutionsbehandling och regelbundna besök.",
            "Outpatient care for alcohol, drug and gambling dependence: assessment, evaluation "
            "for substitution treatment and regular visits.",
        ),
        eligibility=Text(
            "Täysi-ikäiset helsinkiläiset. Ei lähetettä terveyskeskuslääkäriltä tarvita.",
            "Myndiga helsingforsbor. Ingen remiss från hälsocentralläkare behövs.",
            "Adult Helsinki residents. No referral from a health-centre doctor is needed.",
        ),
        referral_categories=(C.HEALTH,),
        domains=(D.SUBSTANCE_USE,),
        expected_response_days=7,
        languages=("fi", "sv", "en"),
        schedule="Mon–Fri 8.00–15.30; walk-in Mon and Wed 8.00–11.00",
        fees=_FREE,
        phone="+358 9 0000 1201",
        locations=("health-itakeskus",),
    ),
    ServiceSpec(
        key="mental-health-nurse",
        org="health",
        kind=K.MENTAL_HEALTH,
        name=Text(
            "Mielenterveyshoitajan vastaanotto",
            "Mottagning hos psykiatrisk sjukskötare",
            "Mental health nurse",
        ),
        description=Text(
            "Lyhytterapeuttisia käyntejä masennukseen, ahdistukseen ja uupumukseen. Hoitaja "
            "arvioi tarvittaessa psykiatrisen hoidon tarpeen.",
            "Korta terapeutiska besök vid depression, ångest och utmattning. Sjukskötaren "
            "bedömer vid behov behovet av psykiatrisk vård.",
            "Brief therapeutic visits for depression, anxiety and exhaustion. The nurse "
            "assesses the need for psychiatric care when needed.",
        ),
        eligibility=Text(
            "Täysi-ikäiset helsinkiläiset, joilla on lieviä tai keskivaikeita oireita.",
            "Myndiga helsingforsbor med lindriga eller medelsvåra symtom.",
            "Adult Helsinki residents with mild or moderate symptoms.",
        ),
        referral_categories=(C.HEALTH,),
        domains=(D.MENTAL_HEALTH,),
        expected_response_days=14,
        languages=("fi", "sv", "en"),
        schedule=_OFFICE,
        fees=_FREE,
        phone="+358 9 0000 1202",
        locations=("health-kalasatama",),
    ),
    ServiceSpec(
        key="health-check",
        org="health",
        kind=K.HEALTH,
        name=Text(
            "Työttömien terveystarkastus",
            "Hälsogranskning för arbetslösa",
            "Health check for unemployed people",
        ),
        description=Text(
            "Terveydenhoitajan ja lääkärin tarkastus työ- ja toimintakyvyn arvioimiseksi, "
            "tarvittaessa lausunto kuntoutusta varten.",
            "Granskning hos hälsovårdare och läkare för att bedöma arbets- och funktionsförmågan, "
            "vid behov utlåtande för rehabilitering.",
            "A check-up by a public health nurse and a doctor to assess work ability, with a "
            "statement for rehabilitation when needed.",
        ),
        eligibility=Text(
            "Työttömät helsinkiläiset, joilla ei ole työterveyshuoltoa.",
            "Arbetslösa helsingforsbor utan företagshälsovård.",
            "Unemployed Helsinki residents without occupational health care.",
        ),
        referral_categories=(C.HEALTH,),
        domains=(D.PHYSICAL_HEALTH,),
        expected_response_days=30,
        languages=("fi", "sv", "en"),
        schedule=_OFFICE,
        fees=_FREE,
        phone="+358 9 0000 1203",
        locations=("health-kalasatama",),
    ),
    ServiceSpec(
        key="kela-vocational-rehabilitation",
        org="kela",
        kind=K.VOCATIONAL_REHABILITATION,
        name=Text(
            "Kelan ammatillinen kuntoutus",
            "FPA:s yrkesinriktade rehabilitering",
            "Kela vocational rehabilitation",
        ),
        description=Text(
            "Työhönvalmennus, työkokeilu ja uravalmennus, kun sairaus uhkaa työkykyä. Kela "
            "maksaa kuntoutuksen ajalta kuntoutusrahaa.",
            "Arbetsträning, arbetsprövning och karriärcoachning när en sjukdom hotar "
            "arbetsförmågan. FPA betalar rehabiliteringspenning under rehabiliteringen.",
            "Job coaching, work trials and career coaching when an illness threatens work "
            "ability. Kela pays a rehabilitation allowance during rehabilitation.",
        ),
        eligibility=Text(
            "16–67-vuotiaat, joiden työkyky on heikentynyt sairauden vuoksi; lääkärinlausunto B.",
            "16–67-åringar vars arbetsförmåga har försämrats av sjukdom; läkarutlåtande B.",
            "People aged 16–67 whose work ability is reduced by illness; medical statement B.",
        ),
        referral_categories=(C.BENEFITS, C.EMPLOYMENT),
        domains=(D.WORK, D.PHYSICAL_HEALTH),
        expected_response_days=30,
        languages=("fi", "sv", "en"),
        schedule="Service by phone Mon–Fri 8.00–16.00",
        fees="Free of charge; rehabilitation allowance paid",
        phone="+358 20 000 1301",
        locations=("kela-toolo", "kela-online"),
    ),
    ServiceSpec(
        key="kela-benefits-advice",
        org="kela",
        kind=K.BENEFITS,
        name=Text("Kelan etuusneuvonta", "FPA:s förmånsrådgivning", "Kela benefits advice"),
        description=Text(
            "Henkilökohtainen ajanvarausaika työttömyysturvasta, asumistuesta ja "
            "toimeentulotuesta.",
            "Personlig tidsbokning om utkomstskydd för arbetslösa, bostadsbidrag och utkomststöd.",
            "A personal appointment on unemployment benefits, housing allowance and basic social "
            "assistance.",
        ),
        eligibility=Text(
            "Kaikki Suomessa asuvat.",
            "Alla som bor i Finland.",
            "Everyone living in Finland.",
        ),
        referral_categories=(C.BENEFITS,),
        domains=(D.FINANCES,),
        expected_response_days=7,
        languages=("fi", "sv", "en"),
        schedule="Appointments Mon–Fri 9.00–16.00",
        fees=_FREE,
        phone="+358 20 000 1302",
        locations=("kela-toolo", "kela-online"),
    ),
    ServiceSpec(
        key="ips-job-coaching",
        org="ips",
        kind=K.JOB_COACHING,
        name=Text("IPS-työhönvalmennus", "IPS-jobbcoachning", "IPS job coaching"),
        description=Text(
            "Yksilöllinen työhönvalmennus suoraan avoimille työmarkkinoille: nopea työnhaku, "
            "asiakkaan toiveet ja tuki myös työn alettua (IPS, Individual Placement and Support).",
            "Individuell jobbcoachning direkt till den öppna arbetsmarknaden: snabb jobbsökning, "
            "klientens önskemål och stöd även efter anställningen (IPS).",
            "Individual Placement and Support: rapid job search in the open labour market "
            "following the client's preferences, with support continuing after hiring.",
        ),
        eligibility=Text(
            "Työttömät, jotka haluavat töihin ja saavat mielenterveys- tai päihdepalveluja.",
            "Arbetslösa som vill arbeta och får psykiatri- eller missbrukarvård.",
            "Unemployed people who want to work and receive mental health or substance-use "
            "services.",
        ),
        referral_categories=(C.EMPLOYMENT, C.EDUCATION),
        domains=(D.WORK,),
        expected_response_days=7,
        languages=("fi", "sv", "en"),
        schedule="Mon–Fri 8.00–16.00, evenings by appointment",
        fees=_FREE,
        phone="+358 9 0000 1401",
        locations=("ips-sornainen",),
    ),
    ServiceSpec(
        key="work-trial",
        org="employment",
        kind=K.WORK_TRIAL,
        name=Text("Työkokeilu", "Arbetsprövning", "Work trial"),
        description=Text(
            "1–6 kuukauden työkokeilu työpaikalla ammatinvalinnan tai työhön paluun tueksi. "
            "Työkokeilusta ei makseta palkkaa; työttömyysetuus ja kulukorvaus maksetaan.",
            "Arbetsprövning på en arbetsplats i 1–6 månader för att välja yrke eller återvända "
            "till arbetet. Ingen lön; arbetslöshetsförmån och kostnadsersättning betalas.",
            "A work trial of 1–6 months at a workplace to choose a career or return to work. "
            "No wage; the unemployment benefit and an expense allowance are paid.",
        ),
        eligibility=Text(
            "Työttömät työnhakijat, joille työkokeilu on kirjattu työllistymissuunnitelmaan.",
            "Arbetslösa arbetssökande med arbetsprövning i sysselsättningsplanen.",
            "Unemployed jobseekers whose employment plan includes a work trial.",
        ),
        referral_categories=(C.EMPLOYMENT,),
        domains=(D.WORK,),
        expected_response_days=21,
        languages=("fi", "sv", "en"),
        schedule=_OFFICE,
        fees="Free of charge; expense allowance €9 a day",
        phone="+358 9 0000 1501",
        locations=("employment-kalasatama", "employment-itakeskus"),
    ),
    ServiceSpec(
        key="pay-subsidy",
        org="employment",
        kind=K.PAY_SUBSIDY,
        name=Text("Palkkatuki", "Lönesubvention", "Pay subsidy"),
        description=Text(
            "Työnantajalle maksettava tuki työttömän palkkauskustannuksiin, 50–100 % "
            "tilanteen mukaan. Työllisyyspalvelut etsivät työnantajan yhdessä asiakkaan kanssa.",
            "Stöd till arbetsgivaren för lönekostnaderna för en arbetslös, 50–100 % beroende på "
            "situationen. Sysselsättningstjänsterna söker arbetsgivaren tillsammans med klienten.",
            "A subsidy to the employer for the wage costs of an unemployed person, 50–100 % "
            "depending on the case. Employment services find the employer with the client.",
        ),
        eligibility=Text(
            "Työttömät, joiden työllistymistä vaikeuttaa pitkä työttömyys tai vamma.",
            "Arbetslösa vars sysselsättning försvåras av lång arbetslöshet eller en "
            "funktionsnedsättning.",
            "Unemployed people whose employment is hindered by long unemployment or disability.",
        ),
        referral_categories=(C.EMPLOYMENT,),
        domains=(D.WORK,),
        expected_response_days=30,
        languages=("fi", "sv", "en"),
        schedule=_OFFICE,
        fees="No cost to the client",
        phone="+358 9 0000 1502",
        locations=("employment-kalasatama",),
    ),
    ServiceSpec(
        key="finnish-course",
        org="provider_b",
        kind=K.EDUCATION,
        name=Text(
            "Suomea työelämään (A2–B1)",
            "Finska för arbetslivet (A2–B1)",
            "Finnish for working life (A2–B1)",
        ),
        description=Text(
            "Työvoimakoulutuksena järjestettävä suomen kielen kurssi, 20 tuntia viikossa, "
            "4 kuukautta, sisältää työssäoppimisjakson.",
            "Kurs i finska som arbetskraftsutbildning, 20 timmar i veckan i 4 månader, med en "
            "period av lärande i arbetet.",
            "A Finnish course as labour market training, 20 hours a week for 4 months, with a "
            "period of on-the-job learning.",
        ),
        eligibility=Text(
            "Maahan muuttaneet työnhakijat, joiden suomen taito on vähintään A1.",
            "Inflyttade arbetssökande med kunskaper i finska på minst nivå A1.",
            "Jobseekers who moved to Finland, with Finnish at level A1 or above.",
        ),
        referral_categories=(C.EDUCATION,),
        domains=(D.LANGUAGE,),
        expected_response_days=21,
        languages=("fi", "en"),
        schedule="Classes Mon–Thu 9.00–14.00",
        fees=_FREE,
        phone="+358 9 0000 1601",
        locations=("provider_b-malmi", "provider_b-online"),
    ),
    ServiceSpec(
        key="swedish-course",
        org="provider_b",
        kind=K.EDUCATION,
        name=Text(
            "Ruotsia työelämään",
            "Svenska för arbetslivet",
            "Swedish for working life",
        ),
        description=Text(
            "Ruotsin kielen kurssi asiakaspalvelu- ja hoitoalan työnhakijoille, 12 viikkoa.",
            "Kurs i svenska för arbetssökande inom kundtjänst och vård, 12 veckor.",
            "A 12-week Swedish course for jobseekers in customer service and care work.",
        ),
        eligibility=Text(
            "Työnhakijat, jotka tarvitsevat ruotsia työssään.",
            "Arbetssökande som behöver svenska i arbetet.",
            "Jobseekers who need Swedish at work.",
        ),
        referral_categories=(C.EDUCATION,),
        domains=(D.LANGUAGE,),
        expected_response_days=21,
        languages=("fi", "sv"),
        schedule="Classes Tue and Thu 13.00–16.00",
        fees=_FREE,
        phone="+358 9 0000 1602",
        locations=("provider_b-online",),
    ),
    ServiceSpec(
        key="digital-skills",
        org="provider_b",
        kind=K.EDUCATION,
        name=Text(
            "Digitaidot työnhakuun",
            "Digitala färdigheter för jobbsökning",
            "Digital skills for job search",
        ),
        description=Text(
            "Pienryhmä: sähköinen asiointi, työnhakuportaalit, CV ja videohaastattelu.",
            "Smågrupp: e-tjänster, jobbportaler, cv och videointervju.",
            "Small group: online services, job portals, CV and video interviews.",
        ),
        eligibility=Text(
            "Työnhakijat, jotka tarvitsevat tukea digitaalisissa palveluissa.",
            "Arbetssökande som behöver stöd med digitala tjänster.",
            "Jobseekers who need support with digital services.",
        ),
        referral_categories=(C.EDUCATION,),
        domains=(D.EDUCATION,),
        expected_response_days=14,
        languages=("fi", "en"),
        schedule="Groups start every month; Mon and Wed 10.00–13.00",
        fees=_FREE,
        phone="+358 9 0000 1603",
        locations=("provider_b-malmi",),
    ),
    ServiceSpec(
        key="career-coaching",
        org="provider_a",
        kind=K.JOB_COACHING,
        name=Text("Uravalmennus", "Karriärcoachning", "Career coaching"),
        description=Text(
            "Kolmen kuukauden valmennus: osaamisen kartoitus, uravaihtoehdot, "
            "koulutusmahdollisuudet ja työnhaku.",
            "Tre månaders coachning: kartläggning av kompetens, karriäralternativ, "
            "utbildningsmöjligheter och jobbsökning.",
            "Three months of coaching: skills mapping, career options, education opportunities "
            "and job search.",
        ),
        eligibility=Text(
            "Yli 30-vuotiaat työttömät, joiden ammattitaito on vanhentunut.",
            "Arbetslösa över 30 år vars yrkeskunskap har föråldrats.",
            "Unemployed people over 30 whose skills have become outdated.",
        ),
        referral_categories=(C.EMPLOYMENT, C.EDUCATION),
        domains=(D.WORK, D.EDUCATION),
        expected_response_days=14,
        languages=("fi", "en"),
        schedule=_OFFICE,
        fees=_FREE,
        phone="+358 9 0000 1701",
        locations=("provider_a-pasila",),
    ),
    ServiceSpec(
        key="social-enterprise-training",
        org="social_enterprise",
        kind=K.JOB_COACHING,
        name=Text(
            "Työvalmennus sosiaalisessa yrityksessä",
            "Arbetsträning i ett socialt företag",
            "Job training in a social enterprise",
        ),
        description=Text(
            "Palkkatyötä ja valmennusta kierrätys-, puutyö- ja kiinteistöhuoltotiimeissä; "
            "tavoitteena siirtyminen avoimille työmarkkinoille.",
            "Lönearbete och coachning i team för återvinning, snickeri och fastighetsskötsel; "
            "målet är den öppna arbetsmarknaden.",
            "Paid work and coaching in recycling, carpentry and property-maintenance teams, "
            "aiming at the open labour market.",
        ),
        eligibility=Text(
            "Pitkäaikaistyöttömät, joilla on oikeus palkkatukeen.",
            "Långtidsarbetslösa med rätt till lönesubvention.",
            "Long-term unemployed people eligible for pay subsidy.",
        ),
        referral_categories=(C.EMPLOYMENT,),
        domains=(D.WORK,),
        expected_response_days=14,
        languages=("fi", "sv", "en"),
        schedule="Mon–Fri 7.30–15.30",
        fees="No cost to the client; wage paid",
        phone="+358 9 0000 1801",
        locations=("social_enterprise-herttoniemi",),
    ),
]

SERVICE_SPECS = {spec.key: spec for spec in SERVICES}


def _hsds_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{key}")


def _coordinate(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def create(orgs: dict[str, Organisation]) -> dict[str, Service]:
    """Create the demo catalogue for the demo organisations (keyed as in data.ORGANISATIONS).

    Returns the services by their key in SERVICES. A few dozen rows: plain inserts.
    """
    locations = Location.objects.bulk_create(
        [
            Location(
                hsds_id=_hsds_id("location", spec.key),
                organisation=orgs[spec.org],
                name=spec.name,
                address=spec.address,
                postal_code=spec.postal_code,
                city=spec.city,
                latitude=_coordinate(spec.latitude),
                longitude=_coordinate(spec.longitude),
                accessibility=spec.accessibility,
                is_virtual=spec.is_virtual,
            )
            for spec in LOCATIONS
        ]
    )
    by_key = {spec.key: location for spec, location in zip(LOCATIONS, locations, strict=True)}
    services: dict[str, Service] = {}
    for spec in SERVICES:
        services[spec.key] = Service.objects.create(
            hsds_id=_hsds_id("service", spec.key),
            organisation=orgs[spec.org],
            name=spec.name.fi,
            name_fi=spec.name.fi,
            name_sv=spec.name.sv,
            name_en=spec.name.en,
            description=spec.description.fi,
            description_fi=spec.description.fi,
            description_sv=spec.description.sv,
            description_en=spec.description.en,
            eligibility=spec.eligibility.fi,
            eligibility_fi=spec.eligibility.fi,
            eligibility_sv=spec.eligibility.sv,
            eligibility_en=spec.eligibility.en,
            kind=spec.kind,
            languages=list(spec.languages),
            email=f"{spec.key}@demo.polku.invalid",
            phone=spec.phone,
            url=f"https://palvelut.demo.polku.invalid/{spec.key}",
            schedule=spec.schedule,
            fees=spec.fees,
            expected_response_days=spec.expected_response_days,
            referral_categories=list(spec.referral_categories),
        )
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(
                hsds_id=_hsds_id("service_at_location", f"{spec.key}@{location}"),
                service=services[spec.key],
                location=by_key[location],
            )
            for spec in SERVICES
            for location in spec.locations
        ]
    )
    return services
