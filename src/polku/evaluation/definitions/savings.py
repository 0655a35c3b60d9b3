"""Definitions of the savings figures (evaluation/savings/). The rules and amounts come from
../shared/domain/BENEFITS_AND_SAVINGS.md and the rule sets' own sources."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "savings"
SECTION_TITLE = _("Cost savings")

SOURCE = _(
    "../shared/domain/BENEFITS_AND_SAVINGS.md; the shares and amounts are those of the chosen "
    "rule set, whose sources the savings page lists."
)
COHORT = _(
    "Episode (programme, client, start_date, end_date, days_on_labour_market_subsidy): each "
    "person's first entry and final exit in the programme; JobPlacement (client, start_date, "
    "end_date) from the entry to 28 days after the final exit, up to the report date."
)

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "savings-people",
        _("People in work who contribute"),
        _(
            "Participants who entered in the period, had days on labour market subsidy "
            "recorded at entry, and were in work on at least one weekday for which the rule set "
            "gives a saving. No amount is shown unless at least 5 people contribute to it."
        ),
        COHORT,
        SOURCE,
    ),
    Definition(
        "savings-municipal",
        _("Savings to the municipality"),
        _(
            "For every weekday a participant was in work: the benefit that would have been paid "
            "that day, times the municipal share of the rule in force that day at the "
            "participant's cumulative count of paid benefit days. The count starts from the days "
            "on subsidy at entry and grows by one every weekday. Summed by month; each month "
            "rounded to cents."
        ),
        COHORT,
        SOURCE,
    ),
    Definition(
        "savings-state",
        _("Savings to the state"),
        _(
            "As the municipal savings, with the state's share of the rule in force; each "
            "month's state savings are its total less its municipal savings."
        ),
        COHORT,
        SOURCE,
    ),
    Definition(
        "savings-total",
        _("Savings in total"),
        _("Savings to the municipality and to the state together: the benefits not paid."),
        COHORT,
        SOURCE,
    ),
    Definition(
        "savings-cost",
        _("Programme cost"),
        _(
            "The costs recorded for the programme for the months from the first month of entry "
            "to the report date (staff, purchased services and other costs), as programme "
            "managers entered them."
        ),
        _("ProgrammeCost (programme, month, amount)."),
        _("Entered by the programme's managers."),
    ),
    Definition(
        "savings-net",
        _("Municipal savings less programme cost"),
        _(
            "Savings to the municipality less the programme's cost over the same months; "
            "positive when the savings alone paid for the programme. Only for rule sets in euros."
        ),
        _("The two figures above."),
        SOURCE,
    ),
    Definition(
        "savings-projection",
        _("Projection"),
        _(
            "What the model would save if scaled up: participants × employment rate people in "
            "work, each starting at the given days on subsidy and staying in work the given "
            "months (21.5 paid days a month), under the rules in force on the report date. Left "
            "empty, the rate, the months and the days are the programme's own: the share of "
            "participants with a job counted, the mean months in work of those in work, and the "
            "median days on subsidy at entry."
        ),
        _("The inputs of the projection form; the programme's figures as above."),
        SOURCE,
    ),
)
