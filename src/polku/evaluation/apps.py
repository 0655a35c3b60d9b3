from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "polku.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from polku.core import audit
        from polku.evaluation import models as m

        for model in m.AUDITED:
            audit.register(model)
