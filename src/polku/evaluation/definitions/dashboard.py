"""Definitions of the programme dashboard's figures (`polku.evaluation.dashboard`).

Participants are those of `polku.evaluation.cohort.participant_frame` (ESF+ participants,
../shared/domain/ESF_INDICATORS.md); disclosure control is that of the IPS outcomes
(`polku.core.disclosure`, `polku.ips.outcomes.selectors`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "dashboard"
SECTION_TITLE = _("Programme dashboard")

COHORT = _(
    "Each person counts once per programme: the first episode's Episode.start_date is the entry, "
    "the last episode's Episode.end_date the exit (none while an episode is open). Follow-up "
    "ends on the last day of the previous month."
)
DISCLOSURE = _(
    "Disclosure control (Polku, as the IPS outcomes): a gender, age band, provider, provider "
    "sector or calendar month of entry of 1–4 participants is left out of every figure and "
    "named, the same groups as on the time-to-employment and provider pages, so that no "
    "difference between pages or periods describes them; counts of 1–4 are shown as <5 and "
    "further counts are hidden where a sum would give them away; a share is shown only of at "
    "least 5 people."
)

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "dashboard-participants",
        _("Participants"),
        _(
            "The people who entered the programme in the chosen months (the first month of "
            "entry to the last), counted once each."
        ),
        COHORT,
        DISCLOSURE,
    ),
    Definition(
        "dashboard-targets",
        _("Targets"),
        _(
            "The programme's targets as a programme manager set them. Participants default "
            "to the programme's target number of participants until a target is set. "
            "Progress is the actual as a share of the target."
        ),
        _("ProgrammeTarget (programme, measure, value); Programme.target_participants."),
        _(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "The programme's own targets (issue 6: e.g. 350 participants, 50 % in work or "
            "training at exit, 60 employers hiring)."
        ),
    ),
    Definition(
        "dashboard-in-out",
        _("Participants in and out by month"),
        _(
            "Of the participants, how many entered and how many left in each calendar month. "
            "A month with 1–4 is shown as <5 and not drawn."
        ),
        COHORT,
        DISCLOSURE,
    ),
    Definition(
        "dashboard-work-or-training",
        _("In work or training at exit"),
        _(
            "Of the participants who have left, those whose recorded situation at exit is "
            "employed (full- or part-time, self-employed or subsidised) or in education or "
            "training. Participants whose situation at exit is not yet recorded count in the "
            "denominator but not as in work or training."
        ),
        _("Outcome of the last episode with point = exit: status."),
        _(
            "The programme's target; the statuses follow ESF+ EECR02 and EECR04 "
            "(../shared/domain/ESF_INDICATORS.md)."
        ),
    ),
    Definition(
        "dashboard-employed-at-exit",
        _("Employed at exit"),
        _(
            "Of the participants who have left, those whose recorded situation at exit is "
            "employed: full- or part-time on the open labour market, self-employed or in "
            "subsidised employment."
        ),
        _("Outcome of the last episode with point = exit: status."),
        _("ESF+ EECR04, employed upon leaving (../shared/domain/ESF_INDICATORS.md)."),
    ),
    Definition(
        "dashboard-hiring-employers",
        _("Employers who hired a participant"),
        _(
            "The distinct employers of the jobs the participants started from their entry "
            "up to 28 days after their final exit. Shown once at least 5 participants held "
            "such jobs."
        ),
        _("JobPlacement (client, employer, start_date) of the participants' clients."),
        _("The programme's target; the 28 days are the ESF+ reference period after leaving."),
    ),
    Definition(
        "dashboard-outcome-groups",
        _("Situation at exit"),
        _(
            "The participants who have left, by their recorded situation at exit in seven "
            "groups: employed; in education or training; job seeking; rehabilitation, "
            "pension or sick leave; outside the labour force; unknown; and not yet recorded. "
            "By gender and by age band at entry."
        ),
        _(
            "Outcome of the last episode with point = exit: status; Client.gender; the age at "
            "the entry from Client.date_of_birth."
        ),
        DISCLOSURE,
    ),
    Definition(
        "dashboard-referrals",
        _("Referral timeliness"),
        _(
            "Of all the referrals sent in the chosen months, across every organisation (the "
            "referral report cannot be limited to one programme): the median days from "
            "sending to the first contact, and the share contacted within the service's "
            "expected response time."
        ),
        _("Referral (sent_at, first_contact_on, expected_response_days, status)."),
        _("Polku's referral timeliness report (plans)."),
    ),
    Definition(
        "dashboard-fidelity",
        _("IPS fidelity"),
        _("The total score and band of the programme's most recent completed fidelity review."),
        _("FidelityReview and its item scores."),
        _("The IPS-25 fidelity scale (../shared/domain/IPS.md)."),
    ),
    Definition(
        "dashboard-time-to-job",
        _("Median time to the first job"),
        _(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "The Kaplan–Meier median of the days from entry to the first job, by gender, with "
            "its 95 % confidence interval; participants without a job are censored at their "
            "exit or at the end of follow-up. Shown when at least 5 of the group found a job. "
            "The curves are on the time-to-employment page."
        ),
        _(
            "Episode start and end dates; JobPlacement.start_date from the entry up to 28 days "
            "after the exit."
        ),
        _("Kaplan, E. L. & Meier, P. (1958), as the time-to-employment page."),
    ),
    Definition(
        "dashboard-savings",
        _("Savings"),
        _(
            "The municipal and state shares of labour market subsidy avoided because "
            "participants found work, against the programme's cost over the same months, "
            "as the savings page calculates them."
        ),
        _("The savings page's records: participants' jobs, months unemployed, programme costs."),
        _("../shared/domain/BENEFITS_AND_SAVINGS.md"),
    ),
)
