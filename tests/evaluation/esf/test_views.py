"""The ESF+ report page, its XLSX and PDF, and the definitions page, as a programme manager uses
them; who may not; and what a bad choice answers."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.evaluation.definitions import esf as esf_definitions
from polku.evaluation.esf.indicators import INDICATORS
from polku.evaluation.esf.selectors import esf_report
from polku.ips.outcomes.periods import Month
from tests.evaluation.esf import scenario
from tests.factories import EpisodeFactory, MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

Login = Callable[[Membership], HttpClient]
QUERY = {"programme": "", "from": "2025-01", "to": "2025-06"}
SHORT_PERIOD = "Choose a period of at least 6 whole months, or the programme's whole run."


def _query(world: scenario.World, **changes: str) -> dict[str, str]:
    return {**QUERY, "programme": world.programme.code, **changes}


def _manager(world: scenario.World) -> Membership:
    """A programme manager of the organisation responsible for the world's programme."""
    return MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=world.organisation)


def _rows(html: str, testid: str) -> list[list[str]]:
    """The text of each body row's cells of the table with `data-testid`."""
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


def test_the_page_shows_every_indicator_by_gender_with_a_link_to_its_definition(
    login: Login,
) -> None:
    world = scenario.build()
    response = login(_manager(world)).get(reverse("evaluation:esf"), _query(world))
    assert response.status_code == 200
    html = response.content.decode()
    output = _rows(html, "esf-table-output")
    assert output[0] == ["EECO01", "Total number of participants", "5", "4", "1", "1", "11"]
    assert output[2] == ["EECO03", "Long-term unemployed", "2", "2", "0", "0", "4"]
    immediate = _rows(html, "esf-table-immediate")
    assert immediate[3] == [
        "EECR04",
        "Participants in employment, including self-employment, upon leaving",
        "2",
        "1",
        "0",
        "0",
        "3",
    ]
    entities = _rows(html, "esf-table-entities")
    assert entities[0][2] == "not collected"
    assert entities[1][:3] == [
        "EECO19",
        "Number of micro, small and medium-sized enterprises supported",
        "3",
    ]
    quality = _rows(html, "esf-quality-output")
    assert quality[0][0].startswith("Entry data missing")
    assert quality[0][1:] == ["1", "0", "0", "0", "1"]
    for indicator in INDICATORS:
        assert f'href="/evaluation/definitions/#{indicator.code}"' in html
    assert "contains counts under 5 people" in html
    assert "ESF pilot, period 2025-01 – 2025-06." in html


def test_the_page_is_not_written_to_the_read_access_log(login: Login) -> None:
    world = scenario.build()
    before = AccessLogEntry.objects.count()
    login(_manager(world)).get(reverse("evaluation:esf"), _query(world))
    assert AccessLogEntry.objects.count() == before


def test_the_page_speaks_finnish(login: Login) -> None:
    world = scenario.build()
    http = login(_manager(world))
    response = http.get(reverse("evaluation:esf"), _query(world), HTTP_ACCEPT_LANGUAGE="fi")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fi"' in html
    assert "Osallistujien kokonaismäärä" in html
    assert "Naiset" in html


def test_with_one_programme_and_no_choice_the_page_shows_its_whole_run(login: Login) -> None:
    programme = ProgrammeFactory(name="Only one", start_date=dt.date(2024, 6, 1))
    for start in (dt.date(2024, 6, 3), dt.date(2026, 1, 5)):
        EpisodeFactory(programme=programme, start_date=start)
    ProgrammeFactory(name="Another organisation's")  # not offered: not this organisation's
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=programme.organisation)
    response = login(manager).get(reverse("evaluation:esf"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only one, period 2024-06 – to date." in html
    assert _rows(html, "esf-table-output")[0][-1] == "2"


def test_with_several_programmes_and_no_choice_the_page_asks_which(login: Login) -> None:
    world = scenario.build()
    ProgrammeFactory(organisation=world.organisation)
    response = login(_manager(world)).get(reverse("evaluation:esf"))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Choose a programme to see its ESF+ indicators." in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.ORGANISATION_ADMIN, Role.AUDITOR],
)
@pytest.mark.parametrize("name", ["esf", "esf_xlsx", "esf_pdf", "definitions"])
def test_other_roles_are_refused(login: Login, role: str, name: str) -> None:
    world = scenario.build()
    response = login(MembershipFactory(role=role)).get(reverse(f"evaluation:{name}"), _query(world))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"programme": "nope"}, "programme", "Select a valid choice."),
        ({"from": "2025-13"}, "from", "Enter a month as YYYY-MM, for example 2024-03."),
        ({"to": "2025-06-30"}, "to", "Enter a month as YYYY-MM, for example 2024-03."),
        (
            {"from": "2025-06", "to": "2025-01"},
            "to",
            "The end of the period must not be before its start.",
        ),
        ({"from": "2025-03", "to": "2025-03"}, "from", SHORT_PERIOD),
        ({"from": "2025-02", "to": "2025-06"}, "from", SHORT_PERIOD),
    ],
)
@pytest.mark.parametrize("name", ["esf", "esf_xlsx", "esf_pdf"])
def test_a_bad_choice_answers_the_page_with_the_fields_error(
    login: Login, changes: dict[str, str], field: str, message: str, name: str
) -> None:
    world = scenario.build()
    response = login(_manager(world)).get(reverse(f"evaluation:{name}"), _query(world, **changes))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.context["form"].errors[field][0]


def test_the_xlsx_holds_the_report_and_the_definitions(login: Login) -> None:
    world = scenario.build()
    response = login(_manager(world)).get(reverse("evaluation:esf_xlsx"), _query(world, lang="en"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="esf-{world.programme.code}-2025-01-2025-06-en.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["ESF+ indicators", "Definitions"]
    sheet = book["ESF+ indicators"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    facts = {row[0]: row[1] for row in rows[1:6]}
    assert facts["Programme"] == f"ESF pilot ({world.programme.code})"
    assert facts["Period"] == "2025-01 – 2025-06"
    assert facts["Generated by"] == world_manager_organisation(response)
    assert "contains counts under 5 people" in facts["Note"]
    by_code = {row[0]: row for row in rows if row[0]}
    assert by_code["EECO01"][2:7] == [5, 4, 1, 1, 11]
    assert by_code["EECR06"][2:7] == [0, 1, 0, 0, 1]
    assert by_code["EECO19"][6] == 3
    assert by_code["EECO18"][7] == "not collected"
    leavers = next(row for row in rows if row[1] == "Participants who left in the period")
    assert leavers[2:7] == [4, 3, 0, 1, 8]
    definitions = [row for row in book["Definitions"].iter_rows(values_only=True) if row[0]]
    keys = [row[0] for row in definitions]
    assert [d.key for d in esf_definitions.DEFINITIONS] == keys[-len(esf_definitions.DEFINITIONS) :]


def world_manager_organisation(response: object) -> str:
    membership: Membership = response.wsgi_request.membership  # type: ignore[attr-defined]
    return str(membership.organisation.name)


def test_the_xlsx_is_written_in_swedish_on_request(login: Login) -> None:
    world = scenario.build()
    response = login(_manager(world)).get(reverse("evaluation:esf_xlsx"), _query(world, lang="sv"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["ESF+-indikatorer", "Definitioner"]


def test_a_programme_name_cannot_become_a_formula(login: Login) -> None:
    world = scenario.build()
    world.programme.name = world.programme.name_en = '=HYPERLINK("http://x.invalid")'
    world.programme.save()
    response = login(_manager(world)).get(reverse("evaluation:esf_xlsx"), _query(world, lang="en"))
    cell = load_workbook(io.BytesIO(response.content))["ESF+ indicators"]["B2"]
    assert cell.data_type == "s"
    assert str(cell.value).startswith("=HYPERLINK")


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


def test_the_pdf_holds_the_tables_and_the_definitions_in_finnish(
    login: Login, tmp_path: Path
) -> None:
    world = scenario.build()
    response = login(_manager(world)).get(reverse("evaluation:esf_pdf"), _query(world, lang="fi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "ESR+-indikaattoriraportti" in text
    assert re.search(r"EECO01\s+Osallistujien kokonaismäärä\s+5\s+4\s+1\s+1\s+11", text)
    assert "2025-01 – 2025-06" in text
    assert "Liite: määritelmät" in text
    assert "Vähintään 55-vuotiaat osallistujat" in text


def test_the_definitions_page_lists_every_esf_figure_under_its_anchor(login: Login) -> None:
    response = login(MembershipFactory(role=Role.EVALUATOR)).get(reverse("evaluation:definitions"))
    assert response.status_code == 200
    html = response.content.decode()
    for definition in esf_definitions.DEFINITIONS:
        assert f'id="{definition.key}"' in html
    assert "EntryData.labour_market_status = unemployed" in html
    assert "Regulation (EU) 2021/1057 (ESF+), Annex I, point 1" in html


# --- Who may make the report, and of what period (review: exact counts of any programme, any month)


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.EVALUATOR])
@pytest.mark.parametrize("name", ["esf", "esf_xlsx", "esf_pdf"])
def test_another_organisations_programme_is_refused(login: Login, role: str, name: str) -> None:
    world = scenario.build()
    outsider = MembershipFactory(role=role)  # of an organisation of its own
    response = login(outsider).get(reverse(f"evaluation:{name}"), _query(world))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        esf_report(outsider, programme=world.programme, period_from=scenario.PERIOD_FROM)


def test_the_choice_offers_only_the_organisations_own_programmes(login: Login) -> None:
    world = scenario.build()
    ProgrammeFactory(name="Elsewhere")
    response = login(_manager(world)).get(reverse("evaluation:esf"), _query(world))
    assert response.status_code == 200
    offered = response.context["form"].fields["programme"].queryset
    assert [p.code for p in offered] == [world.programme.code]
    assert "Elsewhere" not in response.content.decode()


def test_an_organisation_running_no_programme_is_told_so(login: Login) -> None:
    scenario.build()
    response = login(MembershipFactory(role=Role.EVALUATOR)).get(reverse("evaluation:esf"))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert 'data-testid="esf-no-programmes"' in response.content.decode()


def test_the_programmes_whole_run_is_a_period_however_short(login: Login) -> None:
    world = scenario.build()
    short = ProgrammeFactory(
        organisation=world.organisation,
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 5, 31),
    )
    http = login(_manager(world))
    url = reverse("evaluation:esf")
    assert http.get(url, {"programme": short.code}).status_code == 200
    whole = {"programme": short.code, "from": "2025-03", "to": "2025-05"}
    assert http.get(url, whole).status_code == 200
    part = http.get(url, {**whole, "from": "2025-04"})
    assert part.status_code == 400
    assert part.context["form"].errors["from"] == [SHORT_PERIOD]


def test_an_open_end_counts_to_the_current_month(login: Login) -> None:
    world = scenario.build()  # the programme has no end date
    http = login(_manager(world))
    this_month = Month.of(timezone.localdate())
    response = http.get(
        reverse("evaluation:esf"), _query(world, **{"from": str(this_month), "to": ""})
    )
    assert response.status_code == 400
    assert response.context["form"].errors["from"] == [SHORT_PERIOD]
    response = http.get(reverse("evaluation:esf"), _query(world, **{"from": "2025-01", "to": ""}))
    assert response.status_code == 200
