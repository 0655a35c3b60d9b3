"""Definitions of the time-to-employment and provider-comparison figures
(`evaluation:survival`, `evaluation:providers`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "survival"
SECTION_TITLE = _("Time to employment and provider comparison")

_FRAME = _(
    "Programme episodes (start and end dates, provider organisation and its sector), clients' "
    "gender and date of birth, ESF+ entry data (education level) and the job placements "
    "recorded in Polku; one row per person and programme."
)
_OUTCOMES = _(
    "Outcome records at exit and 6 months after exit (situation, in education or training), "
    "with the programme episodes and the providers' sectors."
)

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        key="km-participants",
        title=_("Participants followed"),
        text=_(
            "People who entered the programme in the chosen months, each counted once per "
            "programme: the first entry starts the time, the provider is the organisation "
            "responsible for the last episode. Groups of fewer than 5 people in gender, age "
            "band, provider, provider sector, programme or calendar month of entry are left "
            "out of every figure (the same groups as on the dashboard), so that no figure, "
            "and no difference between pages or periods, describes a few recognisable "
            "people; the page names those groups but never their size. Curves, medians, "
            "shares and rates are shown only for groups of at least 10 people."
        ),
        records=_FRAME,
        source=_(
            "ESF+ participant definition (Regulation (EU) 2021/1057 Annex I); disclosure "
            "threshold of 5 as in Statistics Finland's practice."
        ),
    ),
    Definition(
        key="km-curve",
        title=_("Share found work (Kaplan–Meier curve)"),
        text=_(
            "The estimated share of participants who had started their first job by each month "
            "since entry, 1 − S(t), where S is the Kaplan–Meier estimate of still being "
            "without a job. It uses everyone: a person still searching counts for as long as "
            "they have been followed. The curve ends where fewer than 5 people are still "
            "followed. A month is 30.44 days."
        ),
        records=_(
            "The first job is the first job placement starting on or after the entry date and "
            "at the latest 28 days after the exit."
        ),
        source=_("Kaplan and Meier (1958); lifelines KaplanMeierFitter."),
    ),
    Definition(
        key="km-censoring",
        title=_("Censored"),
        text=_(
            "People whose time to a first job is not known: they left the programme without a "
            "job, or are still searching at the end of follow-up (the last day of the previous "
            "month). Their time counts up to that day and no further."
        ),
        records=_("Episode end dates; the end of follow-up."),
    ),
    Definition(
        key="km-median",
        title=_("Median time to first job"),
        text=_(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "The time by which half of the participants had found work according to the curve. "
            '"Not reached" means the curve does not reach 50 %: fewer than half had found work '
            "within the time followed."
        ),
        records=_("The Kaplan–Meier curve."),
    ),
    Definition(
        key="km-ci",
        # xgettext:no-python-format  (the "%" is a per cent sign)
        title=_("95 % confidence interval"),
        text=_(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "The range within which the true value lies with 95 % confidence, given the number "
            "of people: the curve's shaded band, and the interval of the median (where its "
            'upper end is "not reached", the curve\'s upper band does not reach 50 %). A wide '
            "interval means few people and an uncertain figure."
        ),
        records=_("The Kaplan–Meier curve and its Greenwood variance."),
        source=_("Greenwood's formula with the log(−log) transformation (lifelines)."),
    ),
    Definition(
        key="km-share",
        title=_("In work by 3, 6 and 12 months"),
        text=_(
            "The curve's value at 3, 6 and 12 months after entry: the estimated share who had "
            "started a first job by then. Not shown where fewer than 5 people were followed "
            "that long."
        ),
        records=_("The Kaplan–Meier curve."),
    ),
    Definition(
        key="cox-model",
        title=_("Cox model"),
        text=_(
            "A proportional hazards model of the time to the first job on gender, age band, "
            "provider sector, years unemployed before entry and education level (ISCED) at "
            "entry, each compared with a reference group (women, age 30–54, public providers). "
            "People whose education level or time unemployed is unknown are left out of the "
            "model; its n says how many are in it."
        ),
        records=_FRAME,
        source=_("Cox (1972); lifelines CoxPHFitter."),
    ),
    Definition(
        key="cox-hr",
        title=_("Hazard ratio"),
        text=_(
            "How much faster people with a characteristic find work than the reference group, "
            "the others being equal: above 1 sooner, below 1 later, 1 no difference. A p-value "
            "under 0.05 means a difference this large would rarely arise by chance alone. An "
            "association, not proof of cause."
        ),
        records=_("The Cox model."),
    ),
    Definition(
        key="provider-rates",
        title=_("Outcome rates by provider"),
        text=_(
            "Of the participants whose outcome is recorded, the share employed at exit (ESF+ "
            "statuses employed, self-employed or subsidised), in work or training at exit, "
            "employed 6 months after exit, and who found a job at any time from entry until 28 "
            "days after the exit (every participant). Each rate's n is the people it is the "
            "share of."
        ),
        records=_OUTCOMES,
        source=_(
            "../shared/domain/ESF_INDICATORS.md (EECR01–EECR05); "
            "../shared/domain/OUTCOME_CONTRACTS.md (Helsinki 2019 provider trial)."
        ),
    ),
    Definition(
        key="provider-wilson",
        title=_("Wilson interval"),
        text=_(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "The 95 % confidence interval of a rate, by Wilson's score method, which stays "
            "within 0–100 % and is reliable for small groups and for rates near 0 or 100 %."
        ),
        records=_("The rate's numerator and denominator."),
        source=_("Wilson (1927)."),
    ),
    Definition(
        key="provider-adjusted",
        title=_("Case-mix-adjusted rate"),
        text=_(
            "Providers serve different people. The adjusted rate is the rate a sector's "
            "providers would have had with the whole cohort's mix of gender, age, months "
            "unemployed and education level: a logistic regression of the outcome on the "
            "sector and these characteristics, averaged over every participant. Participants "
            "whose characteristics or outcome are unknown are left out."
        ),
        records=_OUTCOMES,
        source=_("Logistic regression with marginal standardisation (statsmodels)."),
    ),
    Definition(
        key="provider-odds-ratio",
        title=_("Odds ratio against public providers"),
        text=_(
            "The odds of the outcome with a sector's providers divided by the odds with public "
            "providers, for people alike in case mix: above 1 better, below 1 worse, 1 no "
            "difference; an interval that includes 1 shows no clear difference."
        ),
        records=_("The adjusted comparison's logistic regression."),
    ),
)
