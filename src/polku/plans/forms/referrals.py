"""Input shapes for the referral pages. The rules (consent, transitions, dates) live in the
services; these forms check types and offer only the choices that make sense."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core.forms import DateInput
from polku.plans.models import DeclineReason, ReferralStatus, Service
from polku.plans.selectors.referral_report import period
from polku.plans.services.referrals import MESSAGE_MAX_LENGTH


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.name} — {obj.organisation.name}"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        empty_label=_("Choose a service"),
        help_text=_("Services of other organisations that take referrals."),
    )
    message = forms.CharField(
        label=_("Reason for the referral"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the client needs and what you hope the service does. The receiving "
            "organisation reads this."
        ),
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"),
        required=False,
        choices=[("", _("Choose a reason")), *DeclineReason.choices],
        help_text=_("Only when declining."),
    )
    decline_note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, when declining: what the sender should know."),
    )
    first_contact_on = forms.DateField(
        label=_("Date of the first contact"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when recording the first contact."),
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, ReferralStatus(s).label) for s in statuses]
        if ReferralStatus.DECLINED not in statuses:
            del self.fields["decline_reason"], self.fields["decline_note"]
        if ReferralStatus.FIRST_CONTACT not in statuses:
            del self.fields["first_contact_on"]
        else:
            self.fields["first_contact_on"].initial = timezone.localdate()


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Waiting for first contact")),
            ("", _("All")),
            *ReferralStatus.choices,
        ],
    )


class ReportForm(forms.Form):
    date_from = forms.DateField(label=_("Sent from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Sent until"), required=False, widget=DateInput())

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period (referral_report.period: the last twelve months by default)."""
        data = self.cleaned_data if self.is_valid() else {}
        return period(data.get("date_from"), data.get("date_to"))
