from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpsConfig(AppConfig):
    name = "polku.ips"
    label = "ips"
    verbose_name = _("IPS job coaching")

    def ready(self) -> None:
        from polku.core import audit
        from polku.ips import models as m

        for model in (
            m.IpsCase,
            m.CareerProfile,
            m.BenefitsCounselling,
            m.JobSearchPlan,
            m.JobSearchActivity,
            m.JobPlacement,
            m.FollowAlongSupport,
            m.TimeEntry,
            m.FidelityReview,
            m.FidelityScore,
        ):
            audit.register(model)
