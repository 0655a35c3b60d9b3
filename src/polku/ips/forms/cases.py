"""Input shapes of starting and ending an IPS case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Episode
from polku.core.models import Membership
from polku.ips.forms.common import ProfessionalField, date_field
from polku.ips.models import CaseEndReason

if TYPE_CHECKING:
    _Episodes = forms.ModelChoiceField[Episode]
else:
    _Episodes = forms.ModelChoiceField


class EpisodeField(_Episodes):
    def label_from_instance(self, obj: Episode) -> str:
        return _("%(programme)s, from %(date)s") % {
            "programme": obj.programme.name,
            "date": date_format(obj.start_date, "SHORT_DATE_FORMAT"),
        }


class CaseStartForm(forms.Form):
    episode = EpisodeField(
        label=_("Programme episode"),
        queryset=Episode.objects.none(),
        empty_label=None,
        help_text=_("The IPS case belongs to one of the client's open programme episodes."),
    )
    specialist = ProfessionalField(
        label=_("Employment specialist"),
        queryset=Membership.objects.none(),
        help_text=_("Joins the client's care team if not on it yet."),
    )
    start_date = date_field(
        _("Entry date"),
        help_text=_(
            "The day the client started IPS. Rapid job search is measured from it: the first "
            "face-to-face contact with an employer within 30 days."
        ),
    )

    def __init__(
        self,
        *args: Any,
        episodes: QuerySet[Episode],
        specialists: list[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        episode = self.fields["episode"]
        assert isinstance(episode, forms.ModelChoiceField)
        episode.queryset = episodes
        specialist = self.fields["specialist"]
        assert isinstance(specialist, forms.ModelChoiceField)
        specialist.queryset = Membership.objects.filter(pk__in=[m.pk for m in specialists])
        specialist.queryset = specialist.queryset.select_related("user", "organisation").order_by(
            "user__last_name", "user__first_name", "pk"
        )


class CaseEndForm(forms.Form):
    end_date = date_field(_("End date"))
    end_reason = forms.ChoiceField(
        label=_("Why the case ended"),
        choices=[("", _("Choose a reason")), *CaseEndReason.choices],
        help_text=_(
            "Follow-along support of the client's jobs does not end with the case: it ends only "
            "when the client chooses so, recorded for each job."
        ),
    )
