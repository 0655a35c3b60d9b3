from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "polku.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from polku.clients.models import CareTeamMember, Client, Consent, ConsentCategory, Episode
        from polku.core import audit

        audit.register(Client)
        audit.register(Episode)
        audit.register(Consent, m2m_fields={"organisations"})
        audit.register(ConsentCategory)
        audit.register(CareTeamMember)
