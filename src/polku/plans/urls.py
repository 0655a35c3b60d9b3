"""The plans app's pages: each area's module lists its own paths (names prefixed by area)."""

from django.urls import URLPattern

from polku.plans.views import (
    assessments,
    catalogue,
    encounters,
    notifications,
    referrals,
    shared_plan,
    timeline,
)

app_name = "plans"

urlpatterns: list[URLPattern] = [
    *assessments.urlpatterns,
    *shared_plan.urlpatterns,
    *catalogue.urlpatterns,
    *referrals.urlpatterns,
    *encounters.urlpatterns,
    *timeline.urlpatterns,
    *notifications.urlpatterns,
]
