"""The outcomes page and its PDF: who may see them, what they show (and never show), the
choice of programme and period with its field errors, the PDF in fi, sv and en."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from polku.clients.models import Client, Gender
from polku.core.models import AccessLogEntry
from polku.core.roles import Role
from polku.ips.outcomes import formatting, selectors
from polku.ips.outcomes.periods import follow_up_end as real_follow_up_end
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.ips.test_outcomes import (
    TODAY,
    D,
    enter,
    job,
    jobs_world,
    probe_world,
    twenty_twenty_two,
)
from tests.plans.test_shared_plan_views import pdf_text

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
URL = reverse("ips:outcomes")
PDF_URL = reverse("ips:outcomes_pdf")


@pytest.fixture(autouse=True)
def _followed_up_to_the_scenarios_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenarios' known answers hold on TODAY: follow-up ends there, whatever the date."""
    monkeypatch.setattr(selectors, "follow_up_end", lambda: TODAY)


def _text(response: Any) -> str:
    """The page's text without tags, whitespace collapsed."""
    html = response.content.decode().replace("&nbsp;", " ")
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _manager() -> Any:
    return MembershipFactory(role=Role.PROGRAMME_MANAGER)


def test_a_programme_manager_sees_the_outcomes_with_chart_and_tables(login: Login) -> None:
    world = jobs_world()
    response = login(_manager()).get(URL, {"programme": world.programme.pk})
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    assert "Cases in the cohort 10" in text
    assert "Cases with a competitive job since entry 10 (100%)" in text
    # The chart, an image with its title, beside the table of the same numbers.
    assert '<svg role="img"' in html
    assert "Competitive employment rate by months since entry" in html
    assert "Months since entry" in text
    # Months as rows, the cases followed up beside: in month 1 (1 February) one of the ten
    # had started a job.
    month_1 = r'<th scope="row">1</th>\s*<td>10</td>\s*<td>&lt;5</td>'
    assert re.search(month_1, html)
    assert "Median length of the ended jobs 6.0 weeks" in text
    assert "Jobs still going on (share of all) 5 (50%)" in text
    assert "Employers with three or more jobs 2" in text
    assert "How these figures are computed" in text
    assert "counts once per case" in text
    assert "ips-outcomes.css" in html


def test_the_month_table_shows_its_denominator_and_only_the_months_reached(
    login: Login,
) -> None:
    """Regression: the rates seemed to fall over time, each month being worked out over the
    cases followed up that long; and months no case had reached printed "0 / 0". The ten
    entered on 1 January 2024: month 18 (1 July 2025) is after the end of follow-up."""
    world = jobs_world()
    response = login(_manager()).get(URL, {"programme": world.programme.pk})
    html = response.content.decode()
    text = _text(response)
    assert (
        "Months since entry Cases followed up at least this many months "
        "All cases: competitive job, of cases followed up "
        "All cases: any job, of cases followed up "
        "Women: competitive job / followed up"
    ) in text
    assert re.search(r'<th scope="row">17</th>\s*<td>10</td>', html)
    assert '<th scope="row">18</th>' not in html
    assert "0 / 0" not in text
    # The breakdowns: months 6 and 12, each said to be of the cases followed up that long.
    assert "Competitive job within 6 months, of cases followed up at least 6 months" in text
    assert "Competitive job within 12 months, of cases followed up at least 12 months" in text
    assert "within 18 months" not in text
    assert "Gender Cases Competitive job since entry" in text
    assert "Women 10 10 (100%)" in text


def test_a_small_gender_is_left_out_and_the_others_are_shown_in_full(login: Login) -> None:
    """Regression (P1): the women's figures were hidden ("≥5") to protect two people of
    another gender; those two are left out instead, and the page says so."""
    programme = twenty_twenty_two()
    response = login(_manager()).get(URL, {"programme": programme.pk})
    html = response.content.decode()
    text = _text(response)
    note = "Groups of fewer than 5 cases — here: gender other — are left out of every figure."
    assert f'<p class="notice" data-testid="outcomes-left-out">{note}</p>' in html
    assert "Cases in the cohort 40" in text
    assert "Women 20 10 (50%) 10 (50%)" in text
    assert "Men 20 10 (50%) 10 (50%)" in text
    figures = text[text.index("Cases in the cohort") : text.index("How these figures")]
    assert "≥5" not in figures
    assert '<th scope="row">Other</th>' not in html


def test_when_every_group_is_small_the_page_says_why(login: Login) -> None:
    programme = ProgrammeFactory()
    for _ in range(4):
        enter(programme, D(2024, 1, 15), gender=Gender.WOMAN)
        enter(programme, D(2024, 1, 15), gender=Gender.MAN)
    text = _text(login(_manager()).get(URL, {"programme": programme.pk}))
    assert (
        "Every case that entered this programme in the chosen period is in a gender or age" in text
    )
    assert "here: gender women, men" in text
    assert "No IPS cases entered" not in text
    assert "Cases in the cohort" not in text


def test_percentages_keep_their_space_in_finnish(login: Login) -> None:
    """Regression: "8%" beside "46,3 %" — one format: "100 %" in Finnish, "100%" in English."""
    world = jobs_world()
    response = login(_manager()).get(
        URL, {"programme": world.programme.pk}, HTTP_ACCEPT_LANGUAGE="fi"
    )
    html = response.content.decode()
    assert "(100\u00a0%)" in html
    assert "(50\u00a0%)" in html
    assert re.search(r"\(\d+%\)", html) is None


def test_the_page_names_no_client_and_logs_no_read(login: Login) -> None:
    world = jobs_world()
    response = login(_manager()).get(URL, {"programme": world.programme.pk})
    html = response.content.decode()
    for client in Client.objects.all():
        assert client.first_name not in html
        assert client.last_name not in html
        assert client.reference not in html
        assert str(client.pk) not in html
    assert AccessLogEntry.objects.count() == 0


def test_the_only_programme_is_chosen_without_asking(login: Login) -> None:
    world = jobs_world()
    response = login(_manager()).get(URL)
    assert f'<option value="{world.programme.pk}" selected>' in response.content.decode()
    assert "Cases in the cohort 10" in _text(response)


def test_with_several_programmes_the_page_asks_which(login: Login) -> None:
    jobs_world()
    enter(ProgrammeFactory(name="Second pilot"), D(2024, 1, 1))
    response = login(_manager()).get(URL)
    text = _text(response)
    assert "Choose a programme to see its outcomes." in text
    assert "Second pilot" in text
    assert "Cases in the cohort" not in text


def test_no_programme_with_cases_says_so(login: Login) -> None:
    response = login(_manager()).get(URL)
    assert response.status_code == 200
    assert "No programme has IPS cases yet." in _text(response)


def test_a_period_ending_before_it_starts_is_a_field_error_and_shows_nothing(
    login: Login,
) -> None:
    world = jobs_world()
    response = login(_manager()).get(
        URL,
        {
            "programme": str(world.programme.pk),
            "entered_from": "2024-02",
            "entered_to": "2024-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'id="id_entered_to_error"' in html
    assert "The end of the period must not be before its start." in html
    assert "Cases in the cohort" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"programme": "999999"},
        {"programme": "99999999999999999999"},
        {"programme": "x"},
        {"programme": "1", "entered_from": "yesterday"},
        {"programme": "1", "entered_to": "2024-13"},
    ],
)
def test_bad_choices_are_field_errors(login: Login, query: dict[str, str]) -> None:
    jobs_world()
    response = login(_manager()).get(URL, query)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert "Cases in the cohort" not in response.content.decode()


def test_a_period_chooses_the_cohort_on_the_page(login: Login) -> None:
    world = jobs_world()
    enter(world.programme, D(2025, 1, 1))
    response = login(_manager()).get(
        URL,
        {
            "programme": str(world.programme.pk),
            "entered_from": "2024-12",
            "entered_to": "2025-01",
        },
    )
    text = _text(response)
    assert "cases entering from 01/12/2024 to 31/01/2025, followed up to 30/06/2025" in text
    assert "Fewer than 5 cases entered this programme in the chosen period" in text
    assert "Cases in the cohort" not in text
    assert "entered_from=2024-12&amp;entered_to=2025-01&amp;lang=fi" in response.content.decode()


def test_an_empty_period_says_so(login: Login) -> None:
    world = jobs_world()
    response = login(_manager()).get(
        URL,
        {
            "programme": str(world.programme.pk),
            "entered_from": "2020-01",
            "entered_to": "2020-12",
        },
    )
    assert "No IPS cases entered this programme in the chosen period." in _text(response)


def test_the_period_is_chosen_with_month_pickers(login: Login) -> None:
    world = jobs_world()
    response = login(_manager()).get(URL, {"programme": world.programme.pk})
    html = response.content.decode()
    for name in ("entered_from", "entered_to"):
        assert re.search(rf'<input type="month" name="{name}"[^>]*id="id_{name}"', html)
    text = _text(response)
    assert "First month of entry" in text
    assert "as YYYY-MM (for example 2024-03)" in text


@pytest.mark.parametrize("bound", ["entered_from", "entered_to"])
@pytest.mark.parametrize("day", ["2024-03-01", "2024-03-31", "2024-03-05"])
def test_a_period_chosen_to_the_day_is_a_field_error_and_shows_nothing(
    login: Login, bound: str, day: str
) -> None:
    """Regression: days 1–5 against days 1–6 of entry singled out the sixth entrant."""
    programme = probe_world()
    http = login(_manager())
    response = http.get(URL, {"programme": str(programme.pk), bound: day})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'id="id_{bound}_error"' in html
    assert "Enter a month as YYYY-MM, for example 2024-03." in html
    assert "Cases in the cohort" not in html
    assert "outcomes/pdf/" not in html
    pdf = http.get(PDF_URL, {"programme": str(programme.pk), bound: day, "lang": "en"})
    assert pdf.status_code == 400
    assert "Enter a month as YYYY-MM, for example 2024-03." in pdf.content.decode()


def test_the_month_field_error_is_in_the_users_language(login: Login) -> None:
    world = jobs_world()
    http = login(_manager())
    with translation.override("fi"):
        expected = gettext("Enter a month as YYYY-MM, for example 2024-03.")
    response = http.get(
        URL,
        {"programme": str(world.programme.pk), "entered_from": "2024-03-05"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert expected in response.content.decode()


def test_reports_on_any_two_days_of_a_month_are_the_same(
    login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: followed up to the day, the page of 5 April beside that of 6 April told
    whether the person who entered on 6 March had a job within a month."""
    programme = probe_world()
    http = login(_manager())
    pages = {}
    for day in (D(2024, 4, 5), D(2024, 4, 6), D(2024, 5, 1), D(2024, 5, 2)):
        monkeypatch.setattr(selectors, "follow_up_end", lambda day=day: real_follow_up_end(day))
        text = _text(http.get(URL, {"programme": str(programme.pk)}))
        pages[day] = text[text.index("Cases in the cohort") : text.index("How these figures")]
    assert pages[D(2024, 4, 5)] == pages[D(2024, 4, 6)]
    assert pages[D(2024, 5, 1)] == pages[D(2024, 5, 2)]
    assert "Cases in the cohort 6" in pages[D(2024, 5, 1)]


@pytest.mark.parametrize(
    "role",
    [
        Role.PROGRAMME_MANAGER,
        Role.EVALUATOR,
        Role.EMPLOYMENT_SPECIALIST,
        Role.COORDINATOR,
        Role.EMPLOYER_LIAISON,
    ],
)
def test_ips_programme_staff_see_the_outcomes(login: Login, role: str) -> None:
    world = jobs_world()
    http = login(MembershipFactory(role=role))
    assert http.get(URL, {"programme": world.programme.pk}).status_code == 200
    pdf = http.get(PDF_URL, {"programme": str(world.programme.pk), "lang": "en"})
    assert pdf.status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        Role.SOCIAL_WORKER,
        Role.HEALTH_PROFESSIONAL,
        Role.BENEFITS_COUNSELLOR,
        Role.ORGANISATION_ADMIN,
        Role.AUDITOR,
    ],
)
def test_others_get_403(login: Login, role: str) -> None:
    world = jobs_world()
    http = login(MembershipFactory(role=role))
    assert http.get(URL, {"programme": world.programme.pk}).status_code == 403
    assert http.get(PDF_URL, {"programme": world.programme.pk}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: HttpClient) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_pages_answer_get_only(login: Login) -> None:
    http = login(_manager())
    assert http.post(URL).status_code == 405
    assert http.post(PDF_URL).status_code == 405


def test_the_page_takes_a_constant_number_of_queries(
    login: Login, django_assert_max_num_queries: Any
) -> None:
    world = jobs_world()
    http = login(_manager())
    http.get(URL, {"programme": world.programme.pk})  # the session warmed up
    # Session, user and membership (middleware); the programme chosen (the form); the cases
    # with their first jobs and the cohort's placements (the report); the unread notifications
    # (the navigation); the programmes to choose from (the select); the session saved (three
    # statements). None per case or per job.
    with django_assert_max_num_queries(11):
        http.get(URL, {"programme": world.programme.pk})
    for _ in range(10):
        case = enter(world.programme, D(2024, 1, 1), gender=Gender.MAN)
        job(case, D(2024, 5, 1))
    with django_assert_max_num_queries(11):
        http.get(URL, {"programme": world.programme.pk})


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_pdf_is_the_report_in_the_chosen_language(
    login: Login, tmp_path: Path, language: str
) -> None:
    world = jobs_world()
    response = login(_manager()).get(
        PDF_URL, {"programme": str(world.programme.pk), "lang": language}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ips-outcomes-{world.programme.code}-2025-06-{language}.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    with translation.override(language):
        title = gettext("IPS outcomes")
        computed = gettext("How these figures are computed")
        months_label = gettext("Months since entry")
        women = gettext("Women")  # "Naiset", "Kvinnor": groups of people, plural
        hundred = formatting.percent(1.0)  # "100 %" in Finnish and Swedish, "100%" in English
    assert title in text
    assert computed in text
    assert months_label in text  # the chart's axis and the table's column
    assert women in text  # the gender breakdown, in the language asked for
    assert f"({hundred})".replace("\u00a0", " ") in text  # pdftotext gives a plain space
    assert world.programme.name in text
    for client in Client.objects.all():
        assert client.last_name not in text


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_pdf_names_the_groups_left_out(login: Login, tmp_path: Path, language: str) -> None:
    programme = twenty_twenty_two()
    response = login(_manager()).get(PDF_URL, {"programme": str(programme.pk), "lang": language})
    with translation.override(language):
        note = selectors.outcomes_report(programme).left_out_note
    assert note is not None
    text = re.sub(r"\s+", " ", pdf_text(response.content, tmp_path))
    assert note in text


def test_the_pdf_file_name_says_its_language(login: Login) -> None:
    """Regression: the file name was the same in every language."""
    world = jobs_world()
    http = login(_manager())
    names = {
        http.get(PDF_URL, {"programme": str(world.programme.pk), "lang": language})[
            "Content-Disposition"
        ]
        for language in ("fi", "sv", "en")
    }
    assert len(names) == 3


def test_the_pdf_with_bad_choices_answers_the_page_with_its_errors(login: Login) -> None:
    world = jobs_world()
    response = login(_manager()).get(
        PDF_URL,
        {
            "programme": str(world.programme.pk),
            "entered_from": "2025-01",
            "entered_to": "2024-01",
        },
    )
    assert response.status_code == 400
    assert "The end of the period must not be before its start." in response.content.decode()


def test_the_pdf_language_falls_back_to_english(login: Login, tmp_path: Path) -> None:
    world = jobs_world()
    response = login(_manager()).get(PDF_URL, {"programme": str(world.programme.pk), "lang": "de"})
    assert response.status_code == 200
    assert "How these figures are computed" in pdf_text(response.content, tmp_path)
