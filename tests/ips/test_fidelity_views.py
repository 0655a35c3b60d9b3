"""The IPS programme pages: who sees them, the computed indicators with their period, the
review workflow through the forms, and the PDF and XLSX reports read back."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from polku.core.models import Membership
from polku.core.roles import Role
from polku.ips.fidelity.indicators import add_months, default_period
from polku.ips.fidelity.services import (
    ScoreInput,
    fidelity_review_complete,
    fidelity_review_create,
    fidelity_scores_update,
)
from polku.ips.models import FidelityReview, FidelityScore, ReviewStatus, TimeActivity
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory
from tests.ips.test_fidelity_indicators import World, make_world

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
TODAY = timezone.localdate


@dataclass
class Scene:
    world: World
    manager: Membership

    def review(self, *, days_ago: int = 0, score: int | None = None) -> FidelityReview:
        """A review dated `days_ago`, of the six whole months before its month (and today's
        month so far, for a review today); with `score`, every item scored so and the review
        completed."""
        date = TODAY() - dt.timedelta(days=days_ago)
        start, end = review_period(date)
        review = fidelity_review_create(
            actor=self.manager,
            programme=self.world.programme,
            review_date=date,
            period_start=start,
            period_end=end,
            reviewers="Reviewer One, Reviewer Two",
        )
        if score is not None:
            fidelity_scores_update(
                actor=self.manager,
                review=review,
                scores=[ScoreInput(n, score, f"Evidence {n}") for n in range(1, 26)],
            )
            review = fidelity_review_complete(actor=self.manager, review=review)
        return review


def review_period(date: dt.date) -> tuple[dt.date, dt.date]:
    """Whole months before `date`: the default period on today, else the six months before
    the month of `date`."""
    if date == TODAY():
        return default_period(date)
    first = date.replace(day=1)
    return add_months(first, -6), first - dt.timedelta(days=1)


@pytest.fixture
def scene() -> Scene:
    """A programme with one open case and a week of time records: 75 % outside the office."""
    world = make_world()
    world.programme.name_en = world.programme.name = "Helsinki IPS pilot"
    world.programme.code = "helsinki-ips"
    world.programme.save()
    world.case(start=TODAY() - dt.timedelta(days=300))
    world.time(300, outside=True, date=TODAY() - dt.timedelta(days=3))
    world.time(100, activity=TimeActivity.ADMIN, date=TODAY() - dt.timedelta(days=3))
    manager = MembershipFactory(organisation=world.city, role=Role.PROGRAMME_MANAGER)
    return Scene(world=world, manager=manager)


def _detail(scene: Scene) -> str:
    return reverse("ips:programme_detail", kwargs={"pk": scene.world.programme.pk})


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PROGRAMME_MANAGER, 200),
        (Role.EVALUATOR, 200),
        (Role.EMPLOYMENT_SPECIALIST, 200),
        (Role.COORDINATOR, 200),
        (Role.EMPLOYER_LIAISON, 200),
        (Role.SOCIAL_WORKER, 403),
        (Role.HEALTH_PROFESSIONAL, 403),
        (Role.BENEFITS_COUNSELLOR, 403),
        (Role.ORGANISATION_ADMIN, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_programme_staff_read_the_programme_pages_and_others_are_refused(
    scene: Scene, login: Login, role: str, status: int
) -> None:
    review = scene.review(score=4)
    http = login(MembershipFactory(organisation=OrganisationFactory(), role=role))
    for url in [
        reverse("ips:programme"),
        _detail(scene),
        reverse("ips:fidelity_review", kwargs={"review_id": review.pk}),
        reverse("ips:fidelity_xlsx", kwargs={"review_id": review.pk}),
    ]:
        assert http.get(url).status_code == status, url


def test_signed_out_visitors_are_sent_to_sign_in(scene: Scene, client: HttpClient) -> None:
    response = client.get(reverse("ips:programme"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_names_programmes_with_ips_cases_and_hides_small_counts(
    scene: Scene, login: Login
) -> None:
    ProgrammeFactory(name="No IPS here", name_en="No IPS here")
    scene.review(days_ago=40, score=4)
    page = login(scene.manager).get(reverse("ips:programme")).content.decode()
    assert "Helsinki IPS pilot" in page
    assert "No IPS here" not in page
    assert "&lt;5" in page  # one open case
    assert "100 · " in page  # the latest completed review: 25 × 4
    assert "Good fidelity" in page


def test_the_list_reads_every_programmes_latest_review_in_one_query(
    scene: Scene, login: Login, django_assert_max_num_queries: Any
) -> None:
    """No query per programme (N+1): the latest completed reviews come in one."""
    http = login(scene.manager)
    url = reverse("ips:programme")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(url).status_code == 200
        return len(captured)

    scene.review(days_ago=40, score=4)
    one = queries()
    for number in range(6):
        other = make_world()
        other.case(start=TODAY() - dt.timedelta(days=100))
        for days_ago, score in ((400, 3), (10, 4 if number % 2 else 5)):
            date = TODAY() - dt.timedelta(days=days_ago)
            start, end = review_period(date)
            review = fidelity_review_create(
                actor=scene.manager,
                programme=other.programme,
                review_date=date,
                period_start=start,
                period_end=end,
                reviewers="Reviewer One",
            )
            fidelity_scores_update(
                actor=scene.manager,
                review=review,
                scores=[ScoreInput(n, score) for n in range(1, 26)],
            )
            fidelity_review_complete(actor=scene.manager, review=review)
    assert queries() == one
    # The session, user and membership; the programmes; their completed reviews; the
    # notifications badge; the session's save.
    with django_assert_max_num_queries(9):
        page = http.get(url).content.decode()
    assert page.count("Exemplary fidelity") == 3  # the latest of those with 125
    assert page.count("Good fidelity") == 4  # 100: three of them and the scene's
    assert "Fair fidelity" not in page  # the older reviews are not the latest


def test_the_programme_page_shows_the_computed_indicators_by_item(
    scene: Scene, login: Login, django_assert_max_num_queries: Any
) -> None:
    http = login(scene.manager)
    # The session and membership, the programme, about two queries per indicator and the
    # reviews: constant, whatever the number of clients.
    with django_assert_max_num_queries(45):
        response = http.get(_detail(scene))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Item 24: Community-based services" in page
    assert "Share of time outside the office" in page
    assert "75 %" in page
    assert "Suggested score: 5" in page
    assert "Item 7" not in page  # reviewer only: in the table, without a panel
    assert "no suggestion from data" in page
    # One case: a count of people under five; one specialist: staff, shown as it is.
    assert "<dt>IPS cases in the period</dt><dd>&lt;5</dd>" in page
    assert "<dt>Their employment specialists</dt><dd>1</dd>" in page
    assert "<dt>Placements started in the period</dt><dd>0</dd>" in page
    assert "<dt>Minutes recorded</dt><dd>400</dd>" in page  # staff time: shown
    assert "<dt>Open cases at the end of the period</dt><dd>&lt;5</dd>" in page
    assert "<dt>Mean open cases per specialist</dt><dd>– <span" in page
    assert "The suggestion rests on fewer than 5 cases, placements or referrals" in page
    assert "Open a fidelity review" in page


def test_the_period_can_be_chosen_and_is_validated(scene: Scene, login: Login) -> None:
    http = login(scene.manager)
    old = {"start": "2020-01-01", "end": "2020-06-30"}
    page = http.get(_detail(scene), old).content.decode()
    assert "<dt>Period</dt><dd>01/01/2020 – 30/06/2020</dd>" in page
    assert "<dt>IPS cases in the period</dt><dd>0</dd>" in page
    page = http.get(_detail(scene), {"start": "2025-06-01", "end": "2025-01-31"}).content.decode()
    assert "The period must end on or after the day it starts." in page
    assert "<dt>IPS cases in the period</dt><dd>&lt;5</dd>" in page  # the default period instead
    future = (TODAY() + dt.timedelta(days=2)).isoformat()
    page = http.get(_detail(scene), {"end": future}).content.decode()
    assert "The period cannot end after today." in page
    # The rule is in the help text: whole months, at least three.
    assert "The first day of a month." in page
    assert "The last day of a month, or today." in page


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            {"start": "2025-01-02", "end": "2025-06-30"},
            "start",
            "Start the period on the first day of a month.",
        ),
        (
            {"start": "2025-01-01", "end": "2025-06-29"},
            "end",
            "End the period on the last day of a month, or today.",
        ),
        (
            {"start": "2025-01-01", "end": "2025-02-28"},
            "start",
            "The period must be at least three months long.",
        ),
    ],
)
def test_periods_are_whole_months_of_at_least_three(
    scene: Scene, login: Login, period: dict[str, str], field: str, message: str
) -> None:
    """Periods a day apart would let a reader subtract one from the other and single out a
    client; so a period is whole months (the running one up to today) and at least three."""
    page = login(scene.manager).get(_detail(scene), period).content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in page
    start, end = default_period()
    assert f"<dt>Period</dt><dd>{start:%d/%m/%Y} – {end:%d/%m/%Y}</dd>" in page  # the default


def test_a_malformed_date_is_a_field_error_in_the_users_language(
    scene: Scene, login: Login, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fi"
    page = login(scene.manager).get(_detail(scene), {"start": "eilen"}).content.decode()
    assert "Syötä oikea päivämäärä." in page


def test_a_programme_without_ips_cases_is_not_found(scene: Scene, login: Login) -> None:
    other = ProgrammeFactory()
    url = reverse("ips:programme_detail", kwargs={"pk": other.pk})
    assert login(scene.manager).get(url).status_code == 404


def test_a_reviewer_opens_scores_and_completes_a_review_through_the_pages(
    scene: Scene, login: Login
) -> None:
    http = login(scene.manager)
    new = reverse("ips:fidelity_review_new", kwargs={"pk": scene.world.programme.pk})
    assert http.get(new).status_code == 200
    refused = http.post(
        new,
        {
            "review_date": TODAY().isoformat(),
            "period_start": "2025-01-15",
            "period_end": "2025-03-31",
            "reviewers": "Reviewer One, Reviewer Two",
        },
    )
    assert "Start the period on the first day of a month." in refused.content.decode()
    assert FidelityReview.objects.count() == 0
    start, end = default_period()
    response = http.post(
        new,
        {
            "review_date": TODAY().isoformat(),
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "reviewers": "Reviewer One, Reviewer Two",
        },
    )
    review = FidelityReview.objects.get()
    scores_url = reverse("ips:fidelity_scores", kwargs={"review_id": review.pk})
    assert response.status_code == 302
    assert response["Location"] == scores_url
    form = http.get(scores_url).content.decode()
    assert "Item 24: Community-based services" in form
    assert "Use the suggestion (5)" in form

    # "Use the suggestion" on item 24 saves what was typed and takes the suggestion for 24.
    data = {f"score_{n}": "" for n in range(1, 26)} | {"score_1": "4", "evidence_1": "15–18"}
    response = http.post(scores_url, data | {"use_suggestion": "24"})
    assert response.status_code == 302
    assert response["Location"] == f"{scores_url}#item-24"
    rows = {row.item: (row.score, row.evidence) for row in review.scores.all()}
    assert rows[1] == (4, "15–18")
    assert rows[24] == (5, "")
    assert rows[2] == (None, "")  # suggested 5, but not chosen

    detail = reverse("ips:fidelity_review", kwargs={"review_id": review.pk})
    complete = reverse("ips:fidelity_complete", kwargs={"review_id": review.pk})
    page = http.post(complete, follow=True).content.decode()
    assert "Not scored yet: 2, 3, 4, 5, 6, 7" in page
    assert FidelityReview.objects.get().status == ReviewStatus.DRAFT

    all_scored = {f"score_{n}": "5" for n in range(1, 26)} | {"notes": "Keep going"}
    response = http.post(scores_url, all_scored)
    assert response["Location"] == detail
    page = http.post(complete, follow=True).content.decode()
    assert "The review was completed." in page
    assert "125 / 125" in page
    assert "Exemplary fidelity" in page
    # Completed: read-only.
    response = http.get(scores_url, follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "can no longer be changed" in response.content.decode()


def test_an_invalid_score_is_shown_with_the_item_and_nothing_changes(
    scene: Scene, login: Login
) -> None:
    review = scene.review()
    url = reverse("ips:fidelity_scores", kwargs={"review_id": review.pk})
    response = login(scene.manager).post(url, {"score_3": "7", "score_1": "4"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#item-3"' in page
    assert "Item 3, score: Select a valid choice." in page
    assert list(review.scores.exclude(score=None)) == []


def test_only_the_reviewing_organisation_edits_and_other_roles_cannot(
    scene: Scene, login: Login
) -> None:
    review = scene.review()
    scores = reverse("ips:fidelity_scores", kwargs={"review_id": review.pk})
    complete = reverse("ips:fidelity_complete", kwargs={"review_id": review.pk})
    elsewhere = MembershipFactory(organisation=OrganisationFactory(), role=Role.EVALUATOR)
    http = login(elsewhere)
    assert http.get(scores).status_code == 403
    assert http.post(complete).status_code == 403
    specialist = login(scene.world.coach, HttpClient())
    assert specialist.get(scores).status_code == 403
    new = reverse("ips:fidelity_review_new", kwargs={"pk": scene.world.programme.pk})
    assert specialist.get(new).status_code == 403
    assert specialist.get(complete).status_code == 405
    page = specialist.get(reverse("ips:fidelity_review", kwargs={"review_id": review.pk}))
    assert "Score the items" not in page.content.decode()


def test_the_reviews_chart_and_table_show_the_completed_reviews(scene: Scene, login: Login) -> None:
    scene.review(days_ago=365, score=3)
    scene.review(days_ago=30, score=4)
    scene.review()  # a draft: listed, not charted
    page = login(scene.manager).get(_detail(scene)).content.decode()
    assert page.count('<svg role="img"') == 1
    assert "Fidelity reviews over time" in page
    assert "Fair fidelity" in page  # 75
    assert "Good fidelity" in page  # 100
    assert "0 / 25" in page  # the draft
    assert "115–125" in page  # the band legend
    assert "73 or less" in page


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF, with pdftotext (poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def test_the_pdf_report_holds_the_review_chart_and_indicators(
    scene: Scene, login: Login, tmp_path: Path
) -> None:
    scene.review(days_ago=200, score=3)
    review = scene.review(days_ago=10, score=4)
    url = reverse("ips:fidelity_pdf", kwargs={"review_id": review.pk})
    response = login(scene.manager).get(url, {"lang": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    date = review.review_date.isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="fidelity-helsinki-ips-{date}-en.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    assert "IPS fidelity review" in text
    assert "Helsinki IPS pilot" in text
    assert "Reviewer One, Reviewer Two" in text
    assert "100 / 125" in text
    assert "Good fidelity" in text
    assert "Rapid job search for a competitive job" in text
    assert "Evidence 17" in text
    assert "Fidelity reviews over time" in text
    assert "Months since the first review" in text  # the chart's axis, as text
    assert "Item 24: Community-based services" in text
    assert "Share of time outside the office" in text
    # One case: shown as fewer than five, and the figures resting on it not at all.
    assert re.search(r"IPS cases in the period\s+<5\n", text)
    assert re.search(r"Share of cases with benefits counselling\s+– \(fewer than 5\)", text)
    assert re.search(r"Specialists with open cases\s+1\n", text)  # staff: as it is


def test_the_pdf_speaks_the_chosen_language(scene: Scene, login: Login, tmp_path: Path) -> None:
    review = scene.review(score=4)
    url = reverse("ips:fidelity_pdf", kwargs={"review_id": review.pk})
    http = login(scene.manager)
    finnish = http.get(url, {"lang": "fi"})
    assert finnish["Content-Disposition"].endswith(f'-{review.review_date}-fi.pdf"')
    text = pdf_text(finnish.content, tmp_path)
    assert review.review_date.strftime("%-d.%-m.%Y") in text  # Finnish date format
    assert "Tila" in text  # "Status", from the Finnish catalogue
    assert "Valmis" in text  # "Completed"
    unknown = http.get(url, {"lang": "de"})
    assert unknown["Content-Disposition"].endswith('-fi.pdf"')  # the default language


def test_the_xlsx_report_holds_the_items_total_band_and_indicators(
    scene: Scene, login: Login
) -> None:
    review = scene.review()
    fidelity_scores_update(
        actor=scene.manager,
        review=review,
        scores=[ScoreInput(n, 4, '=HYPERLINK("http://x")' if n == 2 else "") for n in range(1, 26)],
    )
    url = reverse("ips:fidelity_xlsx", kwargs={"review_id": review.pk})
    response = login(scene.manager).get(url, {"lang": "en"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'-{review.review_date}-en.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Review", "Indicators"]
    rows = [tuple(row) for row in workbook["Review"].iter_rows(values_only=True)]
    header = rows.index(("Item", "Section", "Title", "Suggested", "Score", "Evidence"))
    items = rows[header + 1 : header + 26]
    assert items[0] == (1, "Staffing", "Caseload size", 5, 4, None)
    assert items[1][5] == '=HYPERLINK("http://x")'  # kept as text, never a formula
    assert workbook["Review"].cell(row=header + 3, column=6).data_type == "s"
    assert items[23] == (24, "Services", "Community-based services", 5, 4, None)
    assert ("Total (25–125)", None, None, None, 100, None) in rows
    assert ("Band", None, None, None, "Good fidelity", None) in rows
    indicators = [tuple(row) for row in workbook["Indicators"].iter_rows(values_only=True)]
    share = next(r for r in indicators if r[0] == 24 and r[2] == "Share of time outside the office")
    assert share[3] == 0.75
    assert share[4] == 5
    minutes = next(r for r in indicators if r[0] == 24 and r[2] == "Minutes recorded")
    assert minutes[3] == 400  # staff time: as it is
    # One case: counts of people under five as "<5", what rests on them not at all.
    assert indicators[1][0].startswith('Counts of fewer than 5 people show "<5"')
    assert indicators[2] == (
        "Item", "Title", "Figure", "Value", "Suggested", "How computed", "Note",
    )  # fmt: skip
    row = {(r[0], r[2]): r for r in indicators[3:]}
    assert row[12, "Cases in the period"][3] == "<5"
    assert row[12, "Share of cases with benefits counselling"][3:5] == ("–", 1)
    assert row[12, "Share of cases with benefits counselling"][6] == (
        "fewer than 5; The suggestion rests on fewer than 5 cases, placements or referrals, so "
        "the figures behind it are not shown."
    )
    assert row[1, "Open cases at the end of the period"][3] == "<5"
    assert row[1, "Specialists with open cases"][3] == 1  # staff: as it is


def test_the_xlsx_report_leaves_out_control_characters_saved_before_they_were_refused(
    scene: Scene, login: Login
) -> None:
    """A vertical tab in evidence made the workbook fail (500); the services refuse control
    characters now, and text saved before is written without them."""
    review = scene.review()
    FidelityScore.objects.filter(review=review, item=2).update(evidence="line\x0bbreak\x01")
    FidelityReview.objects.filter(pk=review.pk).update(notes="Summary\x1b")
    http = login(scene.manager)
    url = reverse("ips:fidelity_xlsx", kwargs={"review_id": review.pk})
    response = http.get(url, {"lang": "en"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content))["Review"].iter_rows(values_only=True))
    assert next(r for r in rows if r[0] == 2)[5] == "linebreak"
    assert "Summary" in [r[0] for r in rows]
    pdf = http.get(reverse("ips:fidelity_pdf", kwargs={"review_id": review.pk}))
    assert pdf.status_code == 200


def test_evidence_with_control_characters_is_a_field_error_on_the_form(
    scene: Scene, login: Login
) -> None:
    review = scene.review()
    url = reverse("ips:fidelity_scores", kwargs={"review_id": review.pk})
    response = login(scene.manager).post(url, {"score_2": "3", "evidence_2": "line\x0bbreak"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Item 2, evidence: The text contains invisible control characters. Remove them and try "
        "again." in page
    )
    assert review.scores.get(item=2).score is None
