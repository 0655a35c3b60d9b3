"""The employer dashboard: employers who have hired programme clients towards the target, the
newly hiring employers by month, and employer contacts per specialist per week. Aggregates
only (selectors/dashboard.py): no client data, nothing in the read-access log."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from polku.core import disclosure
from polku.core.decorators import acting_membership, membership_required
from polku.employers.forms.dashboard import DashboardForm
from polku.employers.permissions import DASHBOARD_ROLES
from polku.employers.selectors import dashboard as selectors
from polku.employers.views.common import area
from polku.reports.charts import bar_chart


def _hiring_chart(hiring: selectors.Hiring) -> str:
    """Bars of the employers who had hired by each month's end, on a scale up to the target.
    A month whose total the table leaves out has no bar, so the chart reveals nothing the table
    hides; "" when no month's total is shown."""
    shown = [
        (m.month, m.total_number)
        for m in hiring.months
        if m.month is not None and m.total_number is not None
    ]
    if not shown:
        return ""
    latest, latest_total = shown[-1]
    months = [m.month for m in hiring.months if m.month is not None]
    return bar_chart(
        {
            formats.date_format(m.month, "M"): math.nan
            if m.total_number is None
            else m.total_number
            for m in hiring.months
            if m.month is not None
        },
        title=_("Employers who have hired programme clients, by month"),
        description=_(
            "%(total)d employers of the target %(target)d by the end of %(month)s. The table "
            "below gives the numbers for each month."
        )
        % {
            "total": latest_total,
            "target": hiring.target,
            "month": formats.date_format(latest, "YEAR_MONTH_FORMAT"),
        },
        x_label=_("%(first)s – %(last)s")
        % {
            "first": formats.date_format(months[0], "YEAR_MONTH_FORMAT"),
            "last": formats.date_format(months[-1], "YEAR_MONTH_FORMAT"),
        },
        y_label=_("Employers (target %(target)d)") % {"target": hiring.target},
        y_limits=(0, max(hiring.target, latest_total)),
    )


def _contacts_chart(weeks: selectors.ContactWeeks) -> str:
    count = len(weeks.specialists) or 1
    values = {
        _("wk %(week)d") % {"week": monday.isocalendar()[1]}: total.face_to_face / count
        for monday, total in zip(weeks.weeks, weeks.totals, strict=True)
    }
    return bar_chart(
        values,
        title=_("Face-to-face job development contacts per specialist, by week"),
        description=_(
            "The mean per specialist in each of the last %(count)d weeks; the last week is "
            "still under way. The table below gives each specialist's numbers."
        )
        % {"count": len(weeks.weeks)},
        x_label=_("ISO week"),
        y_label=_("Contacts per specialist"),
    )


@require_GET
@membership_required(DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    form = DashboardForm(request.GET)
    programme = form.cleaned_data["programme"] if form.is_valid() else None
    hiring = selectors.hiring_employers(viewer, programme=programme)
    weeks = selectors.contacts_per_week(viewer, programme=programme)
    return render(
        request,
        "employers/dashboard.html",
        {
            "form": form,
            "programme": programme,
            "hiring": hiring,
            "hiring_percent": None if hiring.progress is None else round(hiring.progress * 100),
            "hiring_chart": _hiring_chart(hiring),
            "small_count": disclosure.SMALL,
            "weeks": weeks,
            "week_numbers": [monday.isocalendar()[1] for monday in weeks.weeks],
            "contacts_chart": _contacts_chart(weeks),
        }
        | area(request, "dashboard"),
    )


urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard, name="dashboard"),
]
