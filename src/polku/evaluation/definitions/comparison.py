"""Definitions of the comparison-group figures: the group, matching, balance, the effect and
its interval, and the difference in differences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "comparison"
SECTION_TITLE = _("Comparison groups")
DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        key="comparison-group",
        title=_("Comparison group"),
        text=_(
            "People who did not take part in the programme, imported from a register extract, "
            "with the same background and outcomes as the participants: gender, age, months "
            "unemployed, education and months in work before, as at a reference date that "
            "plays the part of the participants' entry date; months in work in the 12 months "
            "after it, and whether employed 6 and 12 months after. The rows are pseudonymous."
        ),
        records=_(
            "Comparison group members as imported from the CSV file (one row each). The "
            "participants are the programme's participants, counted once each with the data "
            "of their first entry: entry data, placements and follow-up outcomes. For "
            "participants, employed 6 and 12 months after is the follow-up 6 and 12 months "
            "after leaving; a register extract should measure it in the same way."
        ),
        source=_("Issue 6, comparison groups; ../shared/domain/OUTCOME_CONTRACTS.md"),
    ),
    Definition(
        key="comparison-psm",
        title=_("Propensity score matching"),
        text=_(
            "A logistic regression of taking part on the chosen covariates gives each person "
            "a propensity score, the estimated probability of taking part. Each participant "
            "is matched to the comparison group member with the nearest score (on the logit "
            "scale), without or with replacement. Rows missing the outcome or any chosen "
            "covariate are left out, and their number is shown. Gender enters as an "
            "indicator of being a woman."
        ),
        records=_(
            "Participants of the programme (treated) and the members of the comparison group "
            "(control), on the columns chosen for the run."
        ),
        source=_("Rosenbaum and Rubin 1983, Biometrika 70(1): 41–55"),
    ),
    Definition(
        key="comparison-caliper",
        title=_("Caliper"),
        text=_(
            "The largest distance allowed between a participant and their match, in standard "
            "deviations of the logit of the propensity score; 0.2 is the usual choice. A "
            "participant with no comparison group member that close stays unmatched and is "
            "left out of the effect. Without a caliper every participant is matched."
        ),
        records=_("The propensity scores of the run."),
        source=_("Austin 2011, Pharmaceutical Statistics 10(2): 150–161"),
    ),
    Definition(
        key="comparison-smd",
        title=_("Standardised mean difference (SMD)"),
        text=_(
            "The difference of a covariate's means between participants and the comparison "
            "group, divided by the pooled standard deviation, before matching and among the "
            "matched. An absolute value above 0.1 after matching is flagged: the groups "
            "still differ on that covariate, and the effect may be biased by it."
        ),
        records=_("The covariates of the rows in the matching."),
        source=_("Austin 2009, Statistics in Medicine 28(25): 3083–3107"),
    ),
    Definition(
        key="comparison-att",
        title=_("Average effect on the participants (ATT)"),
        text=_(
            "The mean outcome of the matched participants less the mean outcome of their "
            "matches: how much better (or worse) the participants did than similar people "
            "who did not take part. In months for months in work, in percentage points for "
            "being employed. It rests on the assumption that the covariates capture "
            "everything that made people take part and also affects the outcome."
        ),
        records=_("The outcome of the matched participants and of their matches."),
        source=_("Imbens and Wooldridge 2009, Journal of Economic Literature 47(1): 5–86"),
    ),
    Definition(
        key="comparison-bootstrap",
        title=_("Bootstrap confidence interval"),
        text=_(
            "The run draws the chosen number of resamples of the participants and the "
            "comparison group with replacement, repeats the matching in each and takes the "
            "2.5th and 97.5th percentiles of the effects as the 95 per cent interval. The same "
            "data and choices always give the same interval (a fixed random seed)."
        ),
        records=_("The rows in the matching."),
        source=_("Efron and Tibshirani 1993, An Introduction to the Bootstrap"),
    ),
    Definition(
        key="comparison-did",
        title=_("Difference in differences"),
        text=_(
            "The change in the participants' mean months in work from the 12 months before "
            "entry to the 12 months after, less the same change in the comparison group. It "
            "removes differences between the groups that stay the same over time, assuming "
            "both groups would have changed alike without the programme. The interval comes "
            "from a regression of the change on taking part."
        ),
        records=_(
            "Participants and comparison group members with months in work known both "
            "before and after (entry data and placements for participants)."
        ),
        source=_("Angrist and Pischke 2009, Mostly Harmless Econometrics, chapter 5"),
    ),
)
