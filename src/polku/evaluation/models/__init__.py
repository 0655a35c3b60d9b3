"""The evaluation app's tables, one module per area."""

from polku.evaluation.models.comparison import (
    ComparisonGroup,
    ComparisonMember,
    ComparisonRun,
    RunStatus,
)
from polku.evaluation.models.entry import (
    SENSITIVE_FIELDS,
    EntryData,
    IscedLevel,
    LabourMarketStatus,
    SensitiveAnswer,
)
from polku.evaluation.models.outcomes import (
    EMPLOYED_STATUSES,
    OPEN_MARKET_STATUSES,
    POINT_MONTHS,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
)
from polku.evaluation.models.programme import (
    PERCENT_MEASURES,
    ProgrammeCost,
    ProgrammeTarget,
    TargetMeasure,
)
from polku.evaluation.models.savings import *  # noqa: F403

# Registered with the change audit (apps.py).
AUDITED = (
    Outcome,
    EntryData,
    ProgrammeTarget,
    ProgrammeCost,
    ComparisonGroup,
    SavingsRuleSet,  # noqa: F405
    SavingsRule,  # noqa: F405
)

__all__ = [
    "AUDITED",
    "EMPLOYED_STATUSES",
    "OPEN_MARKET_STATUSES",
    "PERCENT_MEASURES",
    "POINT_MONTHS",
    "SENSITIVE_FIELDS",
    "ComparisonGroup",
    "ComparisonMember",
    "ComparisonRun",
    "EntryData",
    "IscedLevel",
    "LabourMarketStatus",
    "Outcome",
    "OutcomePoint",
    "OutcomeSource",
    "OutcomeStatus",
    "ProgrammeCost",
    "ProgrammeTarget",
    "RunStatus",
    "SensitiveAnswer",
    "TargetMeasure",
]
