"""Regression tests of the security review of the plans app (tag h9): one test, or a few, per
problem found and fixed. Each docstring names what could happen before the fix."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import tracemalloc
import uuid
import zipfile
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from polku.clients.models import Client, Consent
from polku.core import disclosure
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.plans import hsds
from polku.plans.domains import LifeDomain
from polku.plans.models import (
    Action,
    Location,
    PlanRevision,
    Referral,
    ReferralStatus,
    Service,
    ServiceAtLocation,
)
from polku.plans.selectors import shared_plan as plan_selectors
from polku.plans.selectors import timeline as timeline_selectors
from polku.plans.selectors.referral_report import Report, referral_report
from polku.plans.services import catalogue as catalogue_services
from polku.plans.services import referrals as referral_services
from polku.plans.services import shared_plan as plan_services
from polku.plans.views import catalogue as catalogue_views
from polku.plans.views import shared_plan as plan_views
from polku.reports import pdf as pdf_render
from tests.api.test_api import api_for, problem_of
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.plans.referrals_support import ServiceFactory, action_for, debt_world
from tests.plans.test_shared_plan_services import World, make_plan, make_world

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
C = DataCategory
TODAY = timezone.localdate


def _plan_url(name: str, client_id: uuid.UUID, plan_id: uuid.UUID) -> str:
    return reverse(f"plans:{name}", kwargs={"client_id": client_id, "plan_id": plan_id})


# --- HSDS import: a zip member that lies about its size -------------------------------------


def _lying_zip(payload_bytes: int, declared: int) -> bytes:
    """A zip whose services.csv inflates to `payload_bytes` but whose central directory says
    `declared`: a zip bomb the size check (which trusts the header) lets through."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", b"0" * payload_bytes)
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)  # uncompressed size
    struct.pack_into("<I", data, 22, declared)  # and in the local header
    return bytes(data)


def test_a_zip_member_that_understates_its_size_is_never_inflated_in_full() -> None:
    """Before: `archive.read` inflated the member in one call, up to 2 GiB, before noticing it
    was longer than its header said: some 60 kB of upload held ~150 MB (a 20 MB upload,
    gigabytes) of memory on a two-core server, per member."""
    data = _lying_zip(64 * 1024 * 1024, declared=100)
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        source = hsds.read(data, "catalogue.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(error) for error in source.errors] == ["services.csv: The file cannot be unpacked."]
    assert source.tables == {}
    assert peak < 16 * 1024 * 1024


def test_an_honest_zip_still_imports() -> None:
    organisation = OrganisationFactory()
    rows = (
        "id,organization_id,name\r\n"
        f"7d7f5d7a-0000-4000-8000-000000000009,{organisation.hsds_id},Budget advice\r\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", rows)
    report = catalogue_services.catalogue_import(
        actor=None, data=buffer.getvalue(), filename="catalogue.zip"
    )
    assert report.ok, report.lines()
    assert Service.objects.filter(name_fi="Budget advice").count() == 1


# --- HSDS import: another organisation's service-at-location ---------------------------------


def test_an_organisation_admin_cannot_take_over_another_organisations_link_by_its_id() -> None:
    """Before: a link (service_at_locations row) was matched by its HSDS id whoever owned it,
    and only its new service and location were checked: an admin could re-point another
    organisation's link to their own service, removing the other's service from its place."""
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    mine_service = ServiceFactory(organisation=admin.organisation)
    mine_location = Location.objects.create(organisation=admin.organisation, name="Our office")
    other = OrganisationFactory()
    their_link = ServiceAtLocation.objects.create(
        service=ServiceFactory(organisation=other),
        location=Location.objects.create(organisation=other, name="Their office"),
    )
    before = (their_link.service_id, their_link.location_id)
    text = (
        "id,service_id,location_id\r\n"
        f"{their_link.hsds_id},{mine_service.hsds_id},{mine_location.hsds_id}\r\n"
    )
    report = catalogue_services.catalogue_import(
        actor=admin, data=text.encode(), filename="service_at_locations.csv"
    )
    assert not report.written
    assert [str(error) for error in report.errors] == [
        "service_at_locations.csv, line 2, id: A record with this id belongs to another "
        "organisation."
    ]
    their_link.refresh_from_db()
    assert (their_link.service_id, their_link.location_id) == before


def test_an_organisation_admin_still_links_their_own_records() -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    link = ServiceAtLocation.objects.create(
        service=ServiceFactory(organisation=admin.organisation),
        location=Location.objects.create(organisation=admin.organisation, name="Office"),
    )
    other_place = Location.objects.create(organisation=admin.organisation, name="Branch")
    text = (
        "id,service_id,location_id\r\n"
        f"{link.hsds_id},{link.service.hsds_id},{other_place.hsds_id}\r\n"
    )
    report = catalogue_services.catalogue_import(
        actor=admin, data=text.encode(), filename="service_at_locations.csv"
    )
    assert report.written, report.lines()
    link.refresh_from_db()
    assert link.location == other_place


# --- Import previews wait in the shared cache --------------------------------------------------


def test_a_new_import_preview_replaces_the_sessions_waiting_file(login: Login) -> None:
    """Before: every preview stashed its file (up to 20 MB) in the database cache for half an
    hour, and previewing again left the previous one there: uploads could pile up."""
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    http = login(admin)
    tokens = []
    for number in (1, 2):
        upload = io.BytesIO(
            (
                "id,organization_id,name\r\n"
                f"7d7f5d7a-0000-4000-8000-00000000000{number},"
                f"{admin.organisation.hsds_id},Service {number}\r\n"
            ).encode()
        )
        upload.name = "services.csv"
        assert http.post("/catalogue/import/", {"file": upload}).status_code == 200
        tokens.append(http.session[catalogue_views.IMPORT_SESSION_KEY])
    first, second = tokens
    assert first != second
    assert cache.get(catalogue_views.IMPORT_CACHE_PREFIX + first) is None
    assert cache.get(catalogue_views.IMPORT_CACHE_PREFIX + second) is not None


# --- The timeliness report ---------------------------------------------------------------------


def _referrals_to(service: Service, count: int, *, client: Client, **fields: object) -> None:
    for _ in range(count):
        Referral.objects.create(
            client=client,
            service=service,
            receiving_organisation=service.organisation,
            category=C.EMPLOYMENT,
            carried_categories=[C.IDENTITY, C.CONTACT, C.EMPLOYMENT],
            message="Please see the client.",
            expected_response_days=14,
            sent_at=timezone.now() - dt.timedelta(days=3),
            recorded_by=client.recorded_by,
            **fields,
        )


def _report() -> Report:
    return referral_report(date_from=TODAY() - dt.timedelta(days=30), date_to=TODAY())


def test_a_hidden_organisation_count_cannot_be_added_up_from_its_services() -> None:
    """Before: organisations' counts were protected against the grand total, but the services
    of an organisation hidden as "≥5" were shown exactly: they add up to it, and the grand
    total then gives away the small one ("<5") — 9 in all, 6 at Beta, so 3 at Alpha."""
    client = ClientFactory()
    alpha, beta = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
    _referrals_to(ServiceFactory(organisation=alpha, name="Alpha help"), 3, client=client)
    _referrals_to(ServiceFactory(organisation=beta, name="Beta help"), 6, client=client)
    report = _report()
    organisations = {line.label: line.n for line in report.organisations}
    assert organisations == {"Alpha": "<5", "Beta": "≥5"}
    assert report.total.n == "9"
    services = {line.label: (line.n, line.stats) for line in report.services}
    assert services == {
        "Alpha help": (disclosure.NOT_SHOWN, None),
        "Beta help": (disclosure.NOT_SHOWN, None),
    }


def test_a_median_of_fewer_than_five_waits_is_not_shown() -> None:
    """Before: a group of five or more referrals showed its median and 90th percentile even
    when only one or two had been contacted: of one referral, they are that person's wait."""
    client = ClientFactory()
    service = ServiceFactory(name="Small clinic")
    _referrals_to(service, 5, client=client)
    first = Referral.objects.order_by("pk")[0]
    Referral.objects.filter(pk=first.pk).update(
        first_contact_on=TODAY(), status=ReferralStatus.FIRST_CONTACT
    )
    (line,) = _report().services
    assert line.n == "5"
    assert line.stats is not None
    assert (line.stats.contacted, line.stats.median_days, line.stats.p90_days) == (1, None, None)
    assert line.stats.share_declined == 0


def test_the_report_csv_neutralises_formulas_from_the_catalogue(login: Login) -> None:
    """Before: service and organisation names, which any organisation's catalogue editors
    write (or import), went into the CSV as they were: a name like =HYPERLINK(...) runs as a
    formula in the spreadsheet of whoever opens the report."""
    client = ClientFactory()
    organisation = OrganisationFactory(name="@SUM(1+1)")
    service = ServiceFactory(organisation=organisation, name='=HYPERLINK("http://x.invalid")')
    _referrals_to(service, 6, client=client)
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    response = login(coordinator).get(reverse("plans:referral_report"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://x.invalid")' in cells
    assert "'@SUM(1+1)" in cells
    assert not any(cell[:1] in {"=", "+", "-", "@"} for cell in cells)


# --- The plan PDF ---------------------------------------------------------------------------


def test_the_plan_pdf_is_not_exported_by_a_get(login: Login) -> None:
    """Before: the PDF (an export, logged as such) answered GET too: a link or an <img> on any
    site made a signed-in professional's browser print the client's plan and write an export
    of it, in their name, to the access log the client reads."""
    world = make_world()
    plan, *_ = make_plan(world)
    http = login(world.key_worker)
    url = _plan_url("plan_pdf", world.client.pk, plan.pk)
    assert http.get(url).status_code == 405
    assert not AccessLogEntry.objects.filter(membership_id=world.key_worker.pk).exists()


def test_the_pdf_renderer_reads_no_file_outside_polkus_static_files() -> None:
    """Before: the fetcher allowed every file: URL, so markup that ever slipped into the
    printed HTML (<link rel="attachment" href="file:///...">) would embed any file the server
    process can read into the PDF."""
    fetcher = pdf_render.LocalFilesOnly()
    for url in (
        "file:///etc/passwd",
        "file://localhost/etc/hostname",
        (pdf_render.STATIC_DIR / "..").as_uri() + "/settings.py",
    ):
        with pytest.raises(ValueError, match="outside Polku's static files"):
            fetcher.fetch(url)
    pdf = plan_views.render_pdf(
        '<p>x</p><link rel="attachment" href="file:///etc/hostname"><img src="file:///etc/passwd">'
    )
    assert pdf.startswith(b"%PDF")
    assert b"/EmbeddedFile" not in pdf


# --- Actions: the person responsible -------------------------------------------------------


def test_the_api_cannot_name_any_organisations_member_responsible_for_an_action() -> None:
    """Before: the API took any active professional of any organisation as the person
    responsible (the form offers only the care team's organisations): they were then sent
    notifications about the client's action, and named on the client's plan."""
    world = make_world()
    _plan, work, *_ = make_plan(world)
    stranger = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    api = api_for(world.key_worker)
    response = api.post(
        "/api/v1/actions/",
        {
            "goal": str(work.pk),
            "title": "Meet an employer",
            "responsible_organisation": stranger.organisation_id,
            "responsible": stranger.pk,
        },
        format="json",
    )
    assert set(problem_of(response, 400)["errors"]) == {"responsible"}
    assert not Action.objects.filter(responsible=stranger).exists()

    cv = Action.objects.get(title="Write a CV")
    response = api.patch(
        f"/api/v1/actions/{cv.pk}/",
        {"responsible_organisation": stranger.organisation_id, "responsible": stranger.pk},
        format="json",
    )
    assert set(problem_of(response, 400)["errors"]) == {"responsible"}
    cv.refresh_from_db()
    assert cv.responsible == world.key_worker

    # A professional of an organisation on the care team may still be named.
    response = api.patch(
        f"/api/v1/actions/{cv.pk}/",
        {"responsible_organisation": world.health.organisation_id, "responsible": world.health.pk},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_a_person_named_earlier_stays_when_the_action_is_otherwise_changed() -> None:
    world = make_world()
    _plan, _work, _mood, cv, _therapy = make_plan(world)
    former = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    Action.objects.filter(pk=cv.pk).update(
        responsible=former, responsible_organisation=former.organisation
    )
    cv.refresh_from_db()
    updated = plan_services.action_update(
        actor=world.key_worker,
        action=cv,
        title="Write a CV and a cover letter",
        responsible_organisation=former.organisation,
        responsible=former,
    )
    assert (updated.title, updated.responsible) == ("Write a CV and a cover letter", former)


# --- Referrals: the plan action they carry out -------------------------------------------------


def test_a_referral_carries_out_only_an_action_the_sender_may_read() -> None:
    """Before: the service checked only that the action was the client's; the API offered
    every action readable by its own row. A sender could tie a referral to (and the receiver
    would see the id of) an action of another organisation the sender may not read."""
    world = debt_world()
    clinic = OrganisationFactory(name="Clinic")
    hidden = action_for(world.client, recorded_by=clinic, domain=LifeDomain.MENTAL_HEALTH)
    with pytest.raises(ValidationError) as error:
        referral_services.referral_send(
            actor=world.coordinator,
            client=world.client,
            service=world.debt,
            message="Debts; needs a repayment plan.",
            action=hidden,
        )
    assert set(error.value.message_dict) == {"action"}
    assert not Referral.objects.exists()

    response = api_for(world.coordinator).post(
        "/api/v1/referrals/",
        {
            "client": str(world.client.pk),
            "service": world.debt.pk,
            "message": "Debts; needs a repayment plan.",
            "action": str(hidden.pk),
        },
        format="json",
    )
    assert set(problem_of(response, 400)["errors"]) == {"action"}

    own = action_for(world.client, domain=LifeDomain.FINANCES)
    referral = referral_services.referral_send(
        actor=world.coordinator,
        client=world.client,
        service=world.debt,
        message="Debts; needs a repayment plan.",
        action=own,
    )
    assert referral.action == own


# --- The plan's history: an action under a goal the viewer may not read ------------------------


def test_the_history_shows_an_action_only_under_a_goal_the_viewer_may_read() -> None:
    """Before: the plan page left out actions under hidden goals, but the history (page and
    API) showed them by their own row, named after the hidden goal's life domain."""
    world = make_world()
    plan, _work, mood, *_ = make_plan(world)
    # An action of the registering organisation under the clinic's mental-health goal, which
    # the coordinator may not read (no consent shares health data with City employment).
    Action.objects.create(
        goal=mood,
        client=world.client,
        category=mood.category,
        title="Ask about the sleep clinic",
        responsible_organisation=world.coordinator.organisation,
        recorded_by=world.coordinator.organisation,
    )
    plan_services.goal_add(
        actor=world.key_worker,
        plan=plan,
        domain="education",
        client_words="Finish the forklift course",
        target="Licence",
    )
    history = plan_selectors.plan_history(world.coordinator, world.client.pk, plan.pk)
    names = [change.name for view in history.revisions for change in view.item_changes]
    assert not any("sleep clinic" in name or "Mental health" in name for name in names)
    assert any("Finish the forklift course" in str(view.item_changes) for view in history.revisions)

    response = api_for(world.coordinator).get(f"/api/v1/plans/{plan.pk}/revisions/")
    assert response.status_code == 200
    latest = response.json()[-1]["snapshot"]
    assert [a["title"] for a in latest["actions"]] == ["Write a CV"]
    assert {g["domain"] for g in latest["goals"]} == {"work", "education"}

    # The health professional reads the goal, and so sees the action.
    health_history = plan_selectors.plan_history(world.health, world.client.pk, plan.pk)
    assert any(
        "Ask about the sleep clinic" in change.name
        for view in health_history.revisions
        for change in view.item_changes
    )


# --- The timeline: plan revisions and reviews belong to their plan ----------------------------


def _replace_consent(world: World, categories: list[str]) -> None:
    clinic = world.health.organisation
    Consent.objects.filter(client=world.client, organisations=clinic).update(
        withdrawn_at=timezone.now()
    )
    ConsentFactory(client=world.client, organisations=[clinic], categories=categories)


def _revision_numbers(viewer: Membership, client: Client) -> list[int]:
    page = timeline_selectors.timeline_page(
        viewer,
        client,
        filters=timeline_selectors.TimelineFilters(
            types=frozenset({timeline_selectors.TimelineType.PLAN})
        ),
    )
    return sorted(item.params["number"] for item in page.items if item.event == "revision")


def test_the_timeline_shows_plan_revisions_as_the_plan_pages_do() -> None:
    """Before: the timeline judged each revision by the organisation that made the change,
    not the plan's: an organisation that lost access to the plan still saw its revisions
    ("Plan revision 4") on the timeline, and the plan's own organisation did not see the
    revisions others made."""
    world = make_world()
    plan, *_ = make_plan(world)
    by_clinic = set(
        PlanRevision.objects.filter(plan=plan, recorded_by=world.health.organisation).values_list(
            "number", flat=True
        )
    )
    assert by_clinic  # the clinic added a goal and an action
    all_numbers = sorted(PlanRevision.objects.filter(plan=plan).values_list("number", flat=True))
    assert _revision_numbers(world.key_worker, world.client) == all_numbers
    assert _revision_numbers(world.health, world.client) == all_numbers

    # The client no longer shares employment data (the plan) with the clinic.
    _replace_consent(world, [C.IDENTITY, C.HEALTH])
    with pytest.raises(plan.DoesNotExist):
        plan_selectors.plan_get(world.health, world.client, plan.pk)
    assert _revision_numbers(world.health, world.client) == []
    organisations = timeline_selectors.organisations_on_timeline(world.health, world.client)
    page = timeline_selectors.timeline_page(world.health, world.client)
    assert {item.type for item in page.items} <= {"assessment", "action", "encounter"}
    assert set(organisations) <= {world.health.organisation}


def test_the_api_timeline_logs_no_plan_for_a_viewer_who_lost_the_plan() -> None:
    world = make_world()
    make_plan(world)
    _replace_consent(world, [C.IDENTITY, C.HEALTH])
    response = api_for(world.health).get(
        "/api/v1/timeline/", {"client": str(world.client.pk), "type": "plan"}
    )
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert not AccessLogEntry.objects.filter(
        membership_id=world.health.pk, category=C.EMPLOYMENT, purpose=Purpose.SERVICE
    ).exists()
