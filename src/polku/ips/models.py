"""IPS job coaching with the client, the specialists' time, and fidelity reviews.

Every client record here is personal data under the access policy: employment data, except
benefits counselling, which is benefits data. The practice rules cited come from
../shared/domain/IPS.md (the IPS-25 fidelity scale and the eight principles).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client, Episode, Programme
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation, PersonalDataModel
from polku.employers.models import Employer, Vacancy, validate_isco_code

C = DataCategory

# IPS fidelity item 1: at most 20 clients per employment specialist.
CASELOAD_LIMIT = 20


class CaseEndReason(models.TextChoices):
    EMPLOYED = "employed", _("Working; follow-along ended by the client's choice")
    EDUCATION = "education", _("Started education or training")
    CLIENT_CHOICE = "client_choice", _("The client chose to stop")
    MOVED = "moved", _("Moved away")
    UNREACHABLE = "unreachable", _("Could not be reached despite outreach")
    OTHER = "other", _("Other reason")


class IpsCase(PersonalDataModel):
    """A client's time with an employment specialist: the IPS caseload's unit. Its start is the
    client's entry, from which rapid job search is measured (item 15)."""

    record_category = C.EMPLOYMENT
    personal_data = {"start_date": C.EMPLOYMENT, "end_date": C.EMPLOYMENT}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="ips_cases", verbose_name=_("client")
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="ips_cases", verbose_name=_("episode")
    )
    specialist = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="ips_cases",
        verbose_name=_("employment specialist"),
    )
    start_date = models.DateField(_("entry date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=CaseEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("IPS case")
        verbose_name_plural = _("IPS cases")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_date__isnull=True), name="ips_one_open_case"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="ips_case_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["specialist", "end_date"])]

    def __str__(self) -> str:
        return f"{self.client_id} · {self.start_date}"


class Disclosure(models.TextChoices):
    """Item 13: the client's informed choice about telling employers of a condition."""

    UNDECIDED = "undecided", _("Not decided yet")
    DISCLOSE = "disclose", _("Tell the employer")
    PARTLY = "partly", _("Tell some things, agreed together")
    NOT_DISCLOSE = "not_disclose", _("Do not tell the employer")


class HoursPreference(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    EITHER = "either", _("Either")


class CareerProfile(PersonalDataModel):
    """The vocational profile. Each update is a new version, so the profile's growth over time is
    visible (item 14, ongoing work-based assessment); the latest is current."""

    record_category = C.EMPLOYMENT
    personal_data = {
        "work_history": C.EMPLOYMENT,
        "education": C.EMPLOYMENT,
        "preferred_occupations": C.EMPLOYMENT,
        "preferred_hours": C.EMPLOYMENT,
        "preferred_places": C.EMPLOYMENT,
        "strengths": C.EMPLOYMENT,
        "barriers": C.EMPLOYMENT,
        "support_needs": C.EMPLOYMENT,
        "disclosure": C.EMPLOYMENT,
        "disclosure_notes": C.EMPLOYMENT,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="career_profiles", verbose_name=_("client")
    )
    work_history = models.TextField(_("work history"), blank=True)
    education = models.TextField(_("education"), blank=True)
    # ISCO-08 group codes the client would like to work in.
    preferred_occupations = models.JSONField(_("preferred occupations"), default=list, blank=True)
    preferred_hours = models.CharField(
        _("preferred hours"),
        max_length=10,
        choices=HoursPreference.choices,
        default=HoursPreference.EITHER,
    )
    preferred_places = models.CharField(_("preferred places of work"), max_length=300, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    barriers = models.TextField(_("barriers"), blank=True)
    support_needs = models.TextField(_("support needs"), blank=True)
    disclosure = models.CharField(
        _("disclosure preference"),
        max_length=15,
        choices=Disclosure.choices,
        default=Disclosure.UNDECIDED,
    )
    disclosure_notes = models.TextField(_("what may be told, and how"), blank=True)

    class Meta:
        verbose_name = _("career profile")
        verbose_name_plural = _("career profiles")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.client_id} · {self.created_at:%Y-%m-%d}"


class BenefitsCounselling(PersonalDataModel):
    """Work-incentive (benefits) counselling given to the client (item 12)."""

    record_category = C.BENEFITS
    personal_data = {"date": C.BENEFITS, "topics": C.BENEFITS, "notes": C.BENEFITS}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="benefits_counselling"
    )
    date = models.DateField(_("date"))
    counsellor = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("counsellor")
    )
    # Topic codes from forms.BENEFIT_TOPICS (earnings and benefit adjustment, housing allowance…).
    topics = models.JSONField(_("topics"), default=list, blank=True)
    calculation_made = models.BooleanField(
        _("a work-incentive calculation was made"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("benefits counselling")
        verbose_name_plural = _("benefits counselling")
        ordering = ["-date"]


class JobSearchPlan(PersonalDataModel):
    """The agreed job search plan; a new plan replaces the previous one (latest is current)."""

    record_category = C.EMPLOYMENT
    personal_data = {"goal": C.EMPLOYMENT, "steps": C.EMPLOYMENT, "agreed_on": C.EMPLOYMENT}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="job_search_plans")
    agreed_on = models.DateField(_("agreed on"))
    goal = models.TextField(_("goal"))
    target_occupations = models.JSONField(_("target occupations"), default=list, blank=True)
    steps = models.TextField(_("steps"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("job search plan")
        verbose_name_plural = _("job search plans")
        ordering = ["-agreed_on", "-created_at"]


class ActivityKind(models.TextChoices):
    EMPLOYER_MEETING = "employer_meeting", _("Face-to-face contact with an employer")
    INTERVIEW = "interview", _("Job interview")
    EMPLOYER_CALL = "employer_call", _("Phone or e-mail contact with an employer")
    APPLICATION = "application", _("Job application")
    WORK_TRIAL = "work_trial", _("Visit or trial day at a workplace")
    OTHER = "other", _("Other job-search activity")


# Item 15 counts the first face-to-face contact with an employer about a competitive job, by the
# client or by the specialist on the client's behalf.
FACE_TO_FACE_KINDS = frozenset(
    {ActivityKind.EMPLOYER_MEETING, ActivityKind.INTERVIEW, ActivityKind.WORK_TRIAL}
)


class JobSearchActivity(PersonalDataModel):
    record_category = C.EMPLOYMENT
    personal_data = {"date": C.EMPLOYMENT, "kind": C.EMPLOYMENT, "notes": C.EMPLOYMENT}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="job_search_activities"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vacancy"),
    )
    specialist_present = models.BooleanField(_("the specialist took part"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("job-search activity")
        verbose_name_plural = _("job-search activities")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["client", "kind", "date"])]


class PlacementEndReason(models.TextChoices):
    QUIT = "quit", _("Quit")
    FIRED = "fired", _("Dismissed")
    TEMPORARY_ENDED = "temporary_ended", _("Temporary job ended")
    PROMOTED = "promoted", _("Promoted or changed job")


class JobPlacement(PersonalDataModel):
    """A job the client got. Competitive (item 21): open to anyone, paid at least the minimum or
    collectively agreed wage, not set aside for people with disabilities. Follow-along support
    is time-unlimited by default (item 23): it ends only when recorded, by the client's choice."""

    record_category = C.EMPLOYMENT
    personal_data = {
        "job_title": C.EMPLOYMENT,
        "start_date": C.EMPLOYMENT,
        "end_date": C.EMPLOYMENT,
        "hours_per_week": C.EMPLOYMENT,
        "hourly_wage": C.EMPLOYMENT,
        "end_reason": C.EMPLOYMENT,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="placements")
    case = models.ForeignKey(
        IpsCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("IPS case"),
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="placements", verbose_name=_("employer")
    )
    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("vacancy"),
    )
    specialist = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialist")
    )
    job_title = models.CharField(_("job title"), max_length=200)
    isco_code = models.CharField(
        _("occupation (ISCO-08)"), max_length=4, validators=[validate_isco_code]
    )
    competitive = models.BooleanField(
        _("competitive job"),
        help_text=_(
            "Open to anyone, paid at least the minimum or collectively agreed wage, and not set "
            "aside for people with disabilities."
        ),
    )
    subsidised = models.BooleanField(_("wage subsidy"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=PlacementEndReason.choices, blank=True
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    hourly_wage = models.DecimalField(
        _("hourly wage (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
    )
    follow_along_ended_on = models.DateField(
        _("follow-along ended on"),
        null=True,
        blank=True,
        help_text=_("Leave empty: support goes on as long as the client wants it."),
    )

    class Meta:
        verbose_name = _("job placement")
        verbose_name_plural = _("job placements")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="placement_end_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["client", "start_date"])]

    def __str__(self) -> str:
        return self.job_title


class SupportWith(models.TextChoices):
    CLIENT = "client", _("With the client")
    EMPLOYER = "employer", _("With the employer")
    BOTH = "both", _("With the client and the employer")


class SupportMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    MESSAGE = "message", _("Message")


class FollowAlongSupport(PersonalDataModel):
    """Support after a placement (items 22 and 23)."""

    record_category = C.EMPLOYMENT
    personal_data = {"date": C.EMPLOYMENT, "content": C.EMPLOYMENT}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(JobPlacement, on_delete=models.PROTECT, related_name="supports")
    # The placement's client, kept on the row so the access policy can scope it directly.
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=10, choices=SupportWith.choices)
    mode = models.CharField(_("how"), max_length=10, choices=SupportMode.choices)
    specialist = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialist")
    )
    content = models.TextField(_("content"))

    class Meta:
        verbose_name = _("follow-along support")
        verbose_name_plural = _("follow-along supports")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["placement", "date"])]


class TimeActivity(models.TextChoices):
    CLIENT_WORK = "client_work", _("Work with clients")
    JOB_DEVELOPMENT = "job_development", _("Job development with employers")
    FOLLOW_ALONG = "follow_along", _("Follow-along support")
    TEAM = "team", _("Team meetings and supervision")
    ADMIN = "admin", _("Administration and records")
    OTHER_DUTIES = "other_duties", _("Duties other than employment services")


class TimeEntry(models.Model):
    """A specialist's time on one day and activity: informs items 2 (only employment work) and
    24 (at least 65 % of time in the community, outside the office). Staff data, not client
    data."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="ips_time", verbose_name=_("specialist")
    )
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=20, choices=TimeActivity.choices)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    in_community = models.BooleanField(_("outside the office"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-date"]
        indexes = [models.Index(fields=["membership", "date"])]

    def __str__(self) -> str:
        return f"{self.membership_id} · {self.date} · {self.activity}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class FidelityReview(models.Model):
    """A review of one programme's IPS service against the 25-item scale; the reviewers decide
    every score, Polku only suggests (IPS.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="fidelity_reviews"
    )
    review_date = models.DateField(_("review date"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    reviewers = models.CharField(_("reviewers"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    notes = models.TextField(_("summary and recommendations"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fidelity review")
        verbose_name_plural = _("fidelity reviews")
        ordering = ["-review_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="fidelity_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.review_date}"


class FidelityScore(models.Model):
    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="scores")
    item = models.PositiveSmallIntegerField(
        _("item"), validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # What the data suggested when the review was opened, kept beside the reviewers' score.
    suggested = models.PositiveSmallIntegerField(_("suggested from data"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("fidelity item score")
        verbose_name_plural = _("fidelity item scores")
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="fidelity_one_score_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
