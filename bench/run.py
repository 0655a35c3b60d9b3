"""Foundation benchmarks: seeding and the hot read paths at 100 000 clients.

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
    if connection.vendor == "postgresql":
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
