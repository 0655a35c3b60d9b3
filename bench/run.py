"""Benchmarks: seeding, the hot read paths and the evaluation estimators at 100 000 clients.

Usage: `make bench` (PostgreSQL at $BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/polku_bench, which is dropped and recreated), or
`python bench/run.py --clients 20000 --sqlite` for a quick run. Results are written to
bench/results/<date>-<vendor>-<clients>.json and printed. Timings are medians of repeated runs;
they are measurements, never assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent


def _prepare_database(args: argparse.Namespace) -> str:
    if args.sqlite:
        path = Path(tempfile.mkdtemp(prefix="polku-bench-")) / "bench.sqlite3"
        return f"sqlite:///{path}"
    url = args.database_url
    if args.reuse:
        return str(url)
    import psycopg  # noqa: PLC0415 - only needed for the PostgreSQL run

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return str(url)


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def _evaluation_timings(repeat: int, results: dict[str, Any]) -> dict[str, float]:
    """The evaluation app's heavy reads (issue 6): the ESF+ indicator report (set-based SQL),
    the participants' frame, Kaplan–Meier by gender, and matching against the demo's comparison
    group with a 200-resample bootstrap. Sizes go to `results["evaluation"]`."""
    from polku.clients.models import Programme  # noqa: PLC0415
    from polku.core.models import Membership  # noqa: PLC0415
    from polku.core.roles import Role  # noqa: PLC0415
    from polku.evaluation.cohort import participant_frame  # noqa: PLC0415
    from polku.evaluation.comparison.frames import TREATED, covariate_column, frames  # noqa: PLC0415
    from polku.evaluation.comparison.parameters import DEFAULTS  # noqa: PLC0415
    from polku.evaluation.esf.selectors import esf_programmes, esf_report  # noqa: PLC0415
    from polku.evaluation.estimators.matching import psm  # noqa: PLC0415
    from polku.evaluation.estimators.survival import kaplan_meier  # noqa: PLC0415
    from polku.evaluation.models import ComparisonGroup  # noqa: PLC0415

    manager = Membership.objects.get(user__username="manager", role=Role.PROGRAMME_MANAGER)
    programmes = list(Programme.objects.order_by("code"))
    pilot = next(p for p in programmes if p.code == "ips-pilot")
    group = ComparisonGroup.objects.get(programme=pilot)
    # Heavy steps are repeated fewer times: a bootstrap of 200 matchings takes a while.
    few = min(repeat, 3)
    reporting = list(esf_programmes(manager))

    frame = participant_frame(manager, programmes=programmes)

    def time_to_job_by_gender() -> None:
        kaplan_meier(frame, duration="days_to_job", event="job_found", group="gender")

    outcome = DEFAULTS["outcome"]
    covariates = [covariate_column(name) for name in DEFAULTS["covariates"]]
    sides = frames(manager, group, outcome=outcome, covariates=DEFAULTS["covariates"])

    def matching() -> Any:
        return psm(
            sides.matching,
            treatment=TREATED,
            outcome=outcome,
            covariates=covariates,
            caliper=DEFAULTS["caliper"],
            replacement=False,
            bootstrap=200,
        )

    timings = {
        "esf_report_ips_pilot": _median(lambda: esf_report(manager, programme=pilot), repeat),
        # The programmes of the manager's organisation: the IPS pilot and the outcome trial.
        "esf_reports_of_the_managers_programmes": _median(
            lambda: [esf_report(manager, programme=p) for p in reporting], repeat
        ),
        "participant_frame_all_programmes": _median(
            lambda: participant_frame(manager, programmes=programmes), few
        ),
        "participant_frame_ips_pilot": _median(
            lambda: participant_frame(manager, programmes=[pilot]), few
        ),
        "kaplan_meier_by_gender": _median(time_to_job_by_gender, repeat),
        "kaplan_meier_by_gender_with_frame": _median(
            lambda: kaplan_meier(
                participant_frame(manager, programmes=programmes),
                duration="days_to_job",
                event="job_found",
                group="gender",
            ),
            few,
        ),
        "psm_frames_ips_pilot_and_comparison_group": _median(
            lambda: frames(manager, group, outcome=outcome, covariates=DEFAULTS["covariates"]),
            few,
        ),
        "psm_bootstrap_200": _median(matching, few),
    }
    result = matching()
    results["evaluation"] = {
        "participants_all_programmes": len(frame),
        "participants_ips_pilot": sides.participants,
        "comparison_group_members": sides.members,
        "psm_outcome": outcome,
        "psm_covariates": list(DEFAULTS["covariates"]),
        "psm_rows": len(sides.matching),
        "psm_matched_treated": result.n_matched_treated,
        "psm_att": round(result.att, 3),
        "psm_interval": [round(result.lower, 3), round(result.upper, 3)],
    }
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep an already seeded PostgreSQL bench database."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_bench"
        ),
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _prepare_database(args)
    os.environ.setdefault("POLKU_SECRET_KEY", "benchmark-only-key-" + "x" * 32)
    os.environ.setdefault("POLKU_DATA_DIR", tempfile.mkdtemp(prefix="polku-bench-data-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "polku.settings"
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from polku.clients import selectors  # noqa: PLC0415
    from polku.clients.models import Client  # noqa: PLC0415
    from polku.core import access_log  # noqa: PLC0415
    from polku.core.models import AccessAction, Membership  # noqa: PLC0415
    from polku.demo import generator  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed_seconds: float | None = None
    if generator.database_is_empty():
        generator.seed(clients=args.clients, seed=2026)
        seed_seconds = round(time.perf_counter() - started, 1)
    # Planner statistics, as a database in use has them: without them SQLite picks the
    # programme index for the ESF+ report's NOT EXISTS and takes minutes instead of a second.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    coordinator = Membership.objects.get(user__username="coordinator", role="coordinator")
    coach = Membership.objects.get(user__username="coach")
    sample = Client.objects.order_by("reference")[args.clients // 2]
    fifty = list(Client.objects.values_list("pk", flat=True)[:50])

    def list_page(viewer: Membership, search: str = "") -> None:
        filters = selectors.ClientFilters(search=search)
        qs = selectors.with_list_details(
            selectors.clients_visible_to(viewer, filters=filters), viewer
        )
        rows = list(qs[:25])
        qs.count()
        selectors.log_list(viewer, rows)

    results = {
        "date": dt.date.today().isoformat(),  # noqa: DTZ011
        "vendor": connection.vendor,
        "clients": args.clients,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "seed_seconds": seed_seconds,
        "ms_median": {
            "coordinator_list_page_25_with_count_and_log": _median(
                lambda: list_page(coordinator), args.repeat
            ),
            "coach_list_page_25_with_count_and_log": _median(lambda: list_page(coach), args.repeat),
            "coordinator_search_by_name": _median(
                lambda: list_page(coordinator, sample.last_name), args.repeat
            ),
            "coordinator_client_detail_with_log": _median(
                lambda: selectors.client_detail(coordinator, sample.pk), args.repeat
            ),
            "access_log_append_50_rows": _median(
                lambda: access_log.record_clients(
                    coach, fifty, category="identity", purpose="service", action=AccessAction.LIST
                ),
                args.repeat,
            ),
        },
    }
    results["ms_median"].update(_evaluation_timings(args.repeat, results))
    rows = access_log.verify().checked
    results["ms_median"]["access_log_verify_per_1000_rows"] = round(
        _median(access_log.verify, 3) / max(rows, 1) * 1000, 3
    )
    results["access_log_rows"] = rows
    out = ROOT / "results" / f"{results['date']}-{results['vendor']}-{args.clients}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))  # noqa: T201
    print(f"written to {out.relative_to(ROOT.parent)}")  # noqa: T201


if __name__ == "__main__":
    main()
