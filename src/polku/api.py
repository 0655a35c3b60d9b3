"""The REST API's routes under /api/v1/."""

from rest_framework.routers import DefaultRouter

from polku.clients.api import (
    CareTeamMemberViewSet,
    ClientViewSet,
    ConsentViewSet,
    EpisodeViewSet,
    ProgrammeViewSet,
)
from polku.core.api import OrganisationViewSet
from polku.employers import api as employers_api
from polku.evaluation import api as evaluation_api
from polku.ips import api as ips_api
from polku.plans import api as plans_api

router = DefaultRouter(use_regex_path=False)
router.include_root_view = False
# The API speaks JSON only; ".json" suffix routes would double every path in the schema.
router.include_format_suffixes = False
router.register("clients", ClientViewSet, basename="client")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("consents", ConsentViewSet, basename="consent")
router.register("care-team-members", CareTeamMemberViewSet, basename="care-team-member")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("programmes", ProgrammeViewSet, basename="programme")

plans_api.register(router)
employers_api.register(router)
ips_api.register(router)
evaluation_api.register(router)
