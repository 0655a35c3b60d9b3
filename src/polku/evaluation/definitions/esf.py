"""Definitions of the ESF+ indicator report's figures: every code and every data-quality line.

The rules come from Regulation (EU) 2021/1057 (ESF+), Annex I, as summarised in
../shared/domain/ESF_INDICATORS.md; the records are those `evaluation.esf.queries` counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from polku.evaluation.definitions.base import Definition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SECTION_KEY = "esf"
SECTION_TITLE = _("ESF+ indicators")

OUTPUT = _("Regulation (EU) 2021/1057 (ESF+), Annex I, point 1: common output indicators")
IMMEDIATE = _(
    "Regulation (EU) 2021/1057 (ESF+), Annex I, point 2: common immediate result indicators; "
    "the reference period is the four weeks after leaving"
)
LONGER = _(
    "Regulation (EU) 2021/1057 (ESF+), Annex I, point 3: common longer-term result indicators"
)
QUALITY = _("Polku: a data-quality line beside the ESF+ indicators, not reported to the EU")

# Which participants each group counts, and from which records.
AT_ENTRY = _(
    "Participants whose first entry falls in the period: of each person's episodes in the "
    "programme, the one with the earliest Episode.start_date, where that date is in the period."
)
AT_LEAVING = _(
    "Participants whose final exit falls in the period: each person's last ended episode in the "
    "programme (Episode.end_date in the period, and no episode of the person in the programme "
    "still open or ending later)."
)
ENTRY_DATA = _("The entry data are those of the first episode (EntryData of that episode).")


def _output(key: str, title: StrOrPromise, text: StrOrPromise, records: StrOrPromise) -> Definition:
    return Definition(key, title, text, records, OUTPUT)


DEFINITIONS: tuple[Definition, ...] = (
    _output(
        "EECO01",
        _("EECO01 Total number of participants"),
        _(
            "People who took part in the programme and entered it in the period, each counted "
            "once even with several episodes. Broken down by gender: women, men, non-binary, and "
            "not disclosed as its own column."
        ),
        _(
            "Episode (programme, client, start_date): the first episode per person and "
            "programme with start_date in the period; Client.gender."
        ),
    ),
    _output(
        "EECO02",
        _("EECO02 Unemployed, including long-term unemployed"),
        _("Participants who were unemployed at entry."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.labour_market_status = unemployed."
        ),
    ),
    _output(
        "EECO03",
        _("EECO03 Long-term unemployed"),
        _(
            "Participants unemployed at entry for more than 12 continuous months, or more than 6 "
            "months if under 25 years of age at entry. A subset of EECO02."
        ),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.labour_market_status = unemployed and Episode.months_unemployed above 12, "
            "or above 6 where the age at Episode.start_date (from Client.date_of_birth) is "
            "under 25."
        ),
    ),
    _output(
        "EECO04",
        _("EECO04 Inactive"),
        _("Participants neither working nor looking for work at entry."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.labour_market_status = inactive."
        ),
    ),
    _output(
        "EECO05",
        _("EECO05 Employed, including self-employed"),
        _("Participants in work, including self-employment, at entry."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.labour_market_status = employed."
        ),
    ),
    _output(
        "EECO06",
        _("EECO06 Children below 18 years of age"),
        _("Participants under 18 years of age on the day they entered."),
        _(
            "First episode per person and programme with Episode.start_date in the period; age "
            "on Episode.start_date from Client.date_of_birth under 18."
        ),
    ),
    _output(
        "EECO07",
        _("EECO07 Young people between 18 and 29 years of age"),
        _("Participants aged 18 to 29 on the day they entered."),
        _(
            "First episode per person and programme with Episode.start_date in the period; age "
            "on Episode.start_date from Client.date_of_birth 18–29."
        ),
    ),
    _output(
        "EECO08",
        _("EECO08 Participants 55 years of age and above"),
        _("Participants aged 55 or more on the day they entered."),
        _(
            "First episode per person and programme with Episode.start_date in the period; age "
            "on Episode.start_date from Client.date_of_birth 55 or more."
        ),
    ),
    _output(
        "EECO09",
        _("EECO09 Lower secondary education or less (ISCED 0–2)"),
        _("Participants whose highest education at entry is ISCED 2011 level 0, 1 or 2."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.isced_level 0–2."
        ),
    ),
    _output(
        "EECO10",
        _("EECO10 Upper secondary or post-secondary education (ISCED 3–4)"),
        _("Participants whose highest education at entry is ISCED 2011 level 3 or 4."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.isced_level 3 or 4."
        ),
    ),
    _output(
        "EECO11",
        _("EECO11 Tertiary education (ISCED 5–8)"),
        _("Participants whose highest education at entry is ISCED 2011 level 5 to 8."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.isced_level 5–8."
        ),
    ),
    _output(
        "EECO12",
        _("EECO12 Participants with disabilities"),
        _(
            "Participants who agreed to give sensitive characteristics and said they have a "
            "disability. Those who did not want to say are counted on a line of their own."
        ),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.sensitive_consent = yes and EntryData.disability = yes."
        ),
    ),
    _output(
        "EECO13",
        _("EECO13 Third-country nationals"),
        _(
            "Participants who agreed to give sensitive characteristics and are not citizens of "
            "an EU member state (stateless persons included)."
        ),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.sensitive_consent = yes and EntryData.third_country_national = yes."
        ),
    ),
    _output(
        "EECO14",
        _("EECO14 Participants with a foreign background"),
        _(
            "Participants who agreed to give sensitive characteristics and have a foreign "
            "background (national definition: both parents born abroad). A person can be in "
            "EECO13 without being in EECO14, and the other way round."
        ),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.sensitive_consent = yes and EntryData.foreign_background = yes."
        ),
    ),
    _output(
        "EECO15",
        _("EECO15 Minorities"),
        _(
            "Participants who agreed to give sensitive characteristics and belong to a minority, "
            "including marginalised communities such as the Roma."
        ),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.sensitive_consent = yes and EntryData.minority = yes."
        ),
    ),
    _output(
        "EECO16",
        _("EECO16 Homeless or affected by housing exclusion"),
        _(
            "Participants who agreed to give sensitive characteristics and are homeless or "
            "affected by housing exclusion."
        ),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.sensitive_consent = yes and EntryData.homeless = yes."
        ),
    ),
    _output(
        "EECO17",
        _("EECO17 Participants from rural areas"),
        _("Participants living in a rural area at entry."),
        _(
            "First episode per person and programme with Episode.start_date in the period; "
            "EntryData.rural_area = yes."
        ),
    ),
    Definition(
        "EECO18",
        _("EECO18 Public administrations or public services supported"),
        _(
            "Entities, not people. Not collected: the programmes support people, and Polku "
            "records no support given to a public administration or public service as such."
        ),
        _("No records."),
        OUTPUT,
    ),
    Definition(
        "EECO19",
        _("EECO19 Micro, small and medium-sized enterprises supported"),
        _(
            "Entities, not people: employers of size class micro (under 10 employees), small "
            "(10–49) or medium (50–249) that received an employer service (recruitment help, job "
            "tailoring, wage subsidy advice, training) in force during the period from an "
            "organisation that runs or provides the programme. Each employer counts once."
        ),
        _(
            "EmployerAgreement with start_date on or before the period's last day and end_date "
            "empty or on or after its first day, whose organisation is the programme's "
            "organisation or the organisation of one of the programme's episodes; "
            "Employer.size_class micro, small or medium."
        ),
        OUTPUT,
    ),
    Definition(
        "EECR01",
        _("EECR01 Engaged in job searching upon leaving"),
        _(
            "Participants who left in the period and were looking for work upon leaving. Where "
            "several labour-market events happen in the four weeks after leaving, only the last "
            "counts: someone who found a job on day 20 counts in EECR04, someone who took a job "
            "and was looking for work again within the four weeks counts here. Exclusive with "
            "EECR04."
        ),
        _("The final exit's Outcome at point exit: status = job seeking."),
        IMMEDIATE,
    ),
    Definition(
        "EECR02",
        _("EECR02 In education or training upon leaving"),
        _(
            "Participants who left in the period and were in education or training upon "
            "leaving. May go with any other result."
        ),
        _(
            "The final exit's Outcome at point exit: status = in education or training, or "
            "in_education = yes."
        ),
        IMMEDIATE,
    ),
    Definition(
        "EECR03",
        _("EECR03 Gaining a qualification upon leaving"),
        _(
            "Participants who left in the period having gained a qualification. May go with any "
            "other result."
        ),
        _("The final exit's Outcome at point exit: gained_qualification = yes."),
        IMMEDIATE,
    ),
    Definition(
        "EECR04",
        _("EECR04 In employment, including self-employment, upon leaving"),
        _(
            "Participants who left in the period and were in work upon leaving: employed full- "
            "or part-time, self-employed, or in subsidised employment. Exclusive with EECR01."
        ),
        _(
            "The final exit's Outcome at point exit: status employed full-time, employed "
            "part-time, self-employed or subsidised employment."
        ),
        IMMEDIATE,
    ),
    Definition(
        "EECR05",
        _("EECR05 In employment six months after leaving"),
        _(
            "Participants who left in the period and were in work, including self-employment "
            "and subsidised employment, six months after leaving."
        ),
        _(
            "The final exit's Outcome at point 6 months after exit: status employed full-time, "
            "employed part-time, self-employed or subsidised employment."
        ),
        LONGER,
    ),
    Definition(
        "EECR06",
        _("EECR06 Improved labour market situation six months after leaving"),
        _(
            "Participants who were employed at entry, left in the period, and six months later "
            "had moved from precarious to stable work, from under-employment to full "
            "employment, or to a job needing higher skills or with more responsibility. Applies "
            "only to those employed at entry."
        ),
        _(
            "First episode's EntryData.labour_market_status = employed, and the final exit's "
            "Outcome at point 6 months after exit: improved_situation = yes."
        ),
        LONGER,
    ),
    Definition(
        "esf-entry-data-missing",
        _("Entry data missing"),
        _(
            "Participants counted in EECO01 whose first episode has no ESF+ entry data. They "
            "count in EECO01 and in the age groups (EECO06–08), which come from the client, but "
            "in no other output indicator. Complete the entry data to count them."
        ),
        _("First episode per person and programme in the period without an EntryData row."),
        QUALITY,
    ),
    Definition(
        "esf-isced-unknown",
        _("Level of education not recorded"),
        _("Participants with entry data whose level of education is not recorded."),
        _("First episode's EntryData.isced_level empty."),
        QUALITY,
    ),
    Definition(
        "esf-months-unemployed-missing",
        _("Length of unemployment not recorded"),
        _(
            "Participants unemployed at entry whose months of unemployment are not recorded, so "
            "whether they are long-term unemployed (EECO03) cannot be decided. They are not "
            "counted in EECO03."
        ),
        _(
            "First episode's EntryData.labour_market_status = unemployed and "
            "Episode.months_unemployed empty."
        ),
        QUALITY,
    ),
    Definition(
        "esf-rural-unknown",
        _("Rural area not recorded"),
        _(
            "Participants with entry data for whom it is not recorded whether they live in a "
            "rural area."
        ),
        _("First episode's EntryData.rural_area empty."),
        QUALITY,
    ),
    Definition(
        "esf-sensitive-not-asked",
        _("No consent to give sensitive characteristics"),
        _(
            "Participants with entry data who did not agree to give sensitive characteristics. "
            "Such data are special-category data under the GDPR and are held only with explicit "
            "consent, so these participants are in none of EECO12–16."
        ),
        _("First episode's EntryData.sensitive_consent = no."),
        QUALITY,
    ),
    *(
        Definition(
            key,
            title,
            _(
                "Participants who agreed to give sensitive characteristics but did not want to "
                "answer this question. They are counted here, never guessed."
            ),
            records,
            QUALITY,
        )
        for key, title, records in (
            (
                "esf-declined-disability",
                _("Did not want to say: disability"),
                _("First episode's EntryData.disability = did not want to say."),
            ),
            (
                "esf-declined-third-country-national",
                _("Did not want to say: third-country national"),
                _("First episode's EntryData.third_country_national = did not want to say."),
            ),
            (
                "esf-declined-foreign-background",
                _("Did not want to say: foreign background"),
                _("First episode's EntryData.foreign_background = did not want to say."),
            ),
            (
                "esf-declined-minority",
                _("Did not want to say: minority"),
                _("First episode's EntryData.minority = did not want to say."),
            ),
            (
                "esf-declined-homeless",
                _("Did not want to say: homelessness or housing exclusion"),
                _("First episode's EntryData.homeless = did not want to say."),
            ),
        )
    ),
    Definition(
        "esf-leavers",
        _("Participants who left in the period"),
        _(
            "The participants the result indicators describe: those whose final exit from the "
            "programme falls in the period. Someone who left and came back is not a leaver "
            "until the final exit."
        ),
        AT_LEAVING,
        QUALITY,
    ),
    Definition(
        "esf-exit-not-recorded",
        _("Situation upon leaving not recorded"),
        _(
            "Participants who left in the period and whose situation upon leaving is not "
            "recorded: they are in none of EECR01–04."
        ),
        _("The final exit has no Outcome at point exit, or its status is empty."),
        QUALITY,
    ),
    Definition(
        "esf-employed-at-entry",
        _("Employed at entry, of those who left"),
        _(
            "Participants who left in the period and were employed at entry: EECR06 applies to "
            "them only."
        ),
        _("First episode's EntryData.labour_market_status = employed, for each leaver."),
        QUALITY,
    ),
    Definition(
        "esf-month-6-not-recorded",
        _("Situation six months after leaving not recorded"),
        _(
            "Participants who left in the period and whose situation six months later is not "
            "recorded, including those whose follow-up is not yet due: they are in neither "
            "EECR05 nor EECR06."
        ),
        _("The final exit has no Outcome at point 6 months after exit, or its status is empty."),
        QUALITY,
    ),
    Definition(
        "esf-employers-supported",
        _("Employers with an employer service in the period"),
        _(
            "Every employer, of any size, with an employer service in force during the period "
            "from an organisation that runs or provides the programme: the base of EECO19."
        ),
        _(
            "EmployerAgreement in force during the period whose organisation runs or provides "
            "the programme; each Employer once."
        ),
        QUALITY,
    ),
    Definition(
        "esf-employer-size-unknown",
        _("Employer size class not recorded"),
        _(
            "Employers with an employer service in the period whose size class is not in the "
            "employer register: they cannot be counted in EECO19 until it is recorded."
        ),
        _("As above, with Employer.size_class empty."),
        QUALITY,
    ),
)

# The period rules, shown once above the section's definitions.
NOTES = (AT_ENTRY, AT_LEAVING, ENTRY_DATA)
