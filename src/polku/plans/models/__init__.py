"""The plans app's tables, one module per area."""

from polku.plans.models.assessments import Assessment, AssessmentStatus, DomainEntry
from polku.plans.models.catalogue import (
    Location,
    Service,
    ServiceAtLocation,
    ServiceKind,
    ServiceStatus,
    main_category,
)
from polku.plans.models.encounters import Attendance, Encounter, EncounterKind
from polku.plans.models.notifications import Notification, NotificationKind
from polku.plans.models.plans import (
    Action,
    ActionStatus,
    AgreementMethod,
    Goal,
    GoalStatus,
    Plan,
    PlanReview,
    PlanRevision,
    PlanStatus,
)
from polku.plans.models.referrals import (
    OPEN_STATUSES,
    TRANSITIONS,
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Action",
    "ActionStatus",
    "AgreementMethod",
    "Assessment",
    "AssessmentStatus",
    "Attendance",
    "DeclineReason",
    "DomainEntry",
    "Encounter",
    "EncounterKind",
    "Goal",
    "GoalStatus",
    "Location",
    "Notification",
    "NotificationKind",
    "Plan",
    "PlanReview",
    "PlanRevision",
    "PlanStatus",
    "Referral",
    "ReferralEvent",
    "ReferralStatus",
    "Service",
    "ServiceAtLocation",
    "ServiceKind",
    "ServiceStatus",
    "main_category",
]
