from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "polku.employers"
    label = "employers"
    verbose_name = _("Employers")

    def ready(self) -> None:
        from polku.core import audit
        from polku.employers import models as m

        for model in (
            m.Employer,
            m.EmployerLocation,
            m.EmployerPerson,
            m.EmployerInteraction,
            m.Vacancy,
            m.EmployerAgreement,
        ):
            audit.register(model)
