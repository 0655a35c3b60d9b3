from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "polku.core"
    label = "core"
    verbose_name = _("Polku kernel")

    def ready(self) -> None:
        from polku.core import audit, auth, checks  # noqa: F401 - connects signal receivers and checks

        audit.register_models()
