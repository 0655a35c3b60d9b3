from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "polku.plans"
    label = "plans"
    verbose_name = _("Plans and referrals")

    def ready(self) -> None:
        from polku.core import audit
        from polku.plans import models as m

        for model in (
            m.Assessment,
            m.DomainEntry,
            m.Goal,
            m.Action,
            m.PlanReview,
            m.Referral,
            m.Service,
            m.Location,
            m.ServiceAtLocation,
        ):
            audit.register(model)
        audit.register(m.Plan, m2m_fields={"participants"})
        audit.register(m.Encounter, m2m_fields={"participants", "organisations"})
