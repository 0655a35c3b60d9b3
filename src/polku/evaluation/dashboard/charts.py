"""The dashboard's charts as inline SVG (`polku.reports.charts`). Each draws only figures the
page's tables show, and the page shows every figure in a table beside it (WCAG 1.1.1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.evaluation.dashboard import figures
from polku.evaluation.dashboard.selectors import TargetLine
from polku.reports.charts import Series, bar_chart, line_chart

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Room above the highest bar, so a bar past its target still fits.
HEADROOM = 1.1

# Short names under the bars, where the tables' long ones would run into each other; the
# tables beside the charts give the full names.
SHORT_TARGETS: dict[str, StrOrPromise] = {
    "participants": gettext_lazy("Participants"),
    "work_or_training_at_exit": gettext_lazy("Work or training"),
    "hiring_employers": gettext_lazy("Employers"),
    "employed_at_exit": gettext_lazy("Employed"),
}
SHORT_STATUSES: dict[str, StrOrPromise] = {
    "employed": gettext_lazy("Employed"),
    "education": gettext_lazy("Education"),
    "job_seeking": gettext_lazy("Job seeking"),
    "rehabilitation": gettext_lazy("Rehabilitation"),
    "outside": gettext_lazy("Outside"),
    "unknown": gettext_lazy("Unknown"),
    "not_recorded": gettext_lazy("Not recorded"),
}


def targets_chart(targets: Sequence[TargetLine]) -> str:
    """How far each measure with a target and a shown actual has come: the actual over the
    target, 100 % meaning reached; "" when no measure has both."""
    shown = {str(SHORT_TARGETS[t.measure]): t.progress for t in targets if t.progress is not None}
    if not shown:
        return ""
    return bar_chart(
        shown,
        title=_("Progress towards the targets"),
        description=_(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "Each bar is the actual as a share of its target; the dashed line at 100 % is the "
            "target. The figures are in the table beside the chart."
        ),
        x_label=_("Target"),
        y_label=_("Share of the target reached"),
        y_limits=(0, max(1.0, *shown.values()) * HEADROOM),
        percent=True,
        reference=1.0,
    )


def flows_chart(flows: figures.Flows) -> str:
    """Participants who entered and who left in each month, counting months from the first
    one shown; months whose counts are not shown are not drawn. "" when nothing is drawn."""
    entered = [
        (float(i + 1), float(v)) for i, v in enumerate(flows.entered_values) if v is not None
    ]
    left = [(float(i + 1), float(v)) for i, v in enumerate(flows.left_values) if v is not None]
    if not flows.months or not (entered or left):
        return ""
    return line_chart(
        [Series(_("Entered"), entered), Series(_("Left"), left)],
        title=_("Participants in and out by month"),
        description=_(
            "The number of participants who entered and who left the programme in each "
            "calendar month. Months with fewer than 5 are not drawn. The figures are in the "
            "table beside the chart."
        ),
        x_label=_("Month"),
        y_label=_("Participants"),
        y_limits=(0, max(v for _x, v in entered + left) * HEADROOM or 1),
        x_tick_labels={
            float(i + 1): formats.date_format(line.month.first_day, "n/Y")
            for i, line in enumerate(flows.months)
        },
    )


def distribution_chart(distribution: figures.Distribution) -> str:
    """The situation at exit of everyone who has left, as shares by status group; "" when no
    share is shown."""
    shares = {
        str(SHORT_STATUSES[key]): cell.share
        for key, cell in zip(figures.STATUS_KEYS, distribution.total.cells, strict=True)
    }
    shown = {label: share for label, share in shares.items() if share is not None}
    if not shown:
        return ""
    return bar_chart(
        shown,
        title=_("Situation at exit"),
        description=_(
            "The share of the participants who have left in each situation at exit. Shares "
            "of fewer than 5 people are not drawn. The figures, also by gender and age band, "
            "are in the tables beside the chart."
        ),
        x_label=_("Situation at exit"),
        y_label=_("Share of those who have left"),
        y_limits=(0, 1),
        percent=True,
        width=9.5,  # seven groups side by side
    )
