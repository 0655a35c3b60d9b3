"""The shared plan: one active plan per episode, its goals, parallel actions and reviews."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client, Episode
from polku.core.categories import ROW_CATEGORY, DataCategory
from polku.core.models import Membership, Organisation, PersonalDataModel
from polku.plans.domains import LifeDomain

C = DataCategory


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    CLOSED = "closed", _("Closed")


class AgreementMethod(models.TextChoices):
    IN_MEETING = "meeting", _("Agreed in the meeting")
    SIGNED = "signed", _("Signed on paper")
    PORTAL = "portal", _("Accepted in the client portal")


class Plan(PersonalDataModel):
    """The one shared plan of an episode. Every change adds a PlanRevision."""

    record_category = C.EMPLOYMENT
    personal_data = {"agreement_note": C.EMPLOYMENT, "participants_other": C.EMPLOYMENT}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="plans", verbose_name=_("client")
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="plans", verbose_name=_("episode")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # The agreement meeting
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    participants = models.ManyToManyField(
        Membership, blank=True, related_name="+", verbose_name=_("participants")
    )
    participants_other = models.CharField(
        _("other participants"),
        max_length=300,
        blank=True,
        help_text=_("People present who do not use Polku, e.g. a family member."),
    )
    client_agreed = models.BooleanField(_("the client agreed to the plan"), default=False)
    agreement_method = models.CharField(
        _("how the client agreed"), max_length=10, choices=AgreementMethod.choices, blank=True
    )
    agreement_note = models.TextField(_("note on the agreement"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=~Q(status="closed"),
                name="plan_one_active_per_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} · plan r{self.revision}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    CANCELLED = "cancelled", _("Cancelled")


class Goal(PersonalDataModel):
    """A goal of the plan in one life domain, readable as that domain's category."""

    personal_data = {"client_words": ROW_CATEGORY, "target": ROW_CATEGORY}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    category = models.CharField(max_length=20, choices=DataCategory.choices, editable=False)
    client_words = models.TextField(
        _("the goal in the client's own words"),
    )
    target = models.CharField(
        _("measurable target"),
        max_length=300,
        help_text=_("How everyone will know the goal is reached."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["client", "category"])]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.domain}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(PersonalDataModel):
    """A step towards a goal, owned by one organisation (and person); actions run in parallel.
    Readable as its goal's category."""

    personal_data = {"title": ROW_CATEGORY, "description": ROW_CATEGORY}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, choices=DataCategory.choices, editable=False)
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "category"]),
            models.Index(fields=["responsible", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} · action"


class PlanReview(PersonalDataModel):
    """A review date of the plan; held when the team has gone through it."""

    record_category = C.EMPLOYMENT
    personal_data = {"note": C.EMPLOYMENT}

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("review date"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.plan_id} · review {self.due_on}"


class PlanRevision(models.Model):
    """A frozen copy of the plan after one change: its goals and actions, each item tagged with
    its data category so that a viewer sees only the parts of history they may read now."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField()
    change = models.CharField(_("change"), max_length=40)
    changed_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · r{self.number}"
