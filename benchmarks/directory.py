"""Directory radius-search latency on PostgreSQL with 1,000,000 synthetic practitioners.

Creates (or reuses) its own database ``acuevidence_bench``, loads synthetic
practitioners at real US ZIP-code centroids (``zipcodes``; every ZIP equally
likely, so density follows the ZIP grid) with PostgreSQL COPY, then times the
search exactly as the listing page runs it: count, one page of rows, and the
page's practitioners with their badges (``selectors.practitioner_search`` +
``Paginator`` + ``selectors.search_hits``). Origins are random ZIP centroids; one
untimed 100-mile search per origin warms the cache first. The search reads the
``ListingEntry`` table, built after the COPY by ``acuevidence directory reindex``.

    .venv/bin/python benchmarks/directory.py                 # load if empty, then measure
    .venv/bin/python benchmarks/directory.py --recreate      # drop and reload
    .venv/bin/python benchmarks/directory.py --count 100000 --queries 50

Connection: ``--server postgres://postgres@127.0.0.1:5432`` (the default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BENCH_DB = "acuevidence_bench"
FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
]
LAST = ["Lopez", "Kim", "Nguyen", "Smith", "Patel", "Cohen", "Okafor", "Rossi", "Wang", "Silva"]
LANGUAGES = ["Spanish", "Mandarin", "Cantonese", "Korean", "Vietnamese", "Tagalog"]


def database_prepare(server: str, *, recreate: bool) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def django_setup(server: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{BENCH_DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "acuevidence.config.settings.test"
    import django

    django.setup()


def zip_centroids() -> list[tuple[float, float, str, str, str]]:
    import zipcodes

    return [
        (float(z["lat"]), float(z["long"]), z["zip_code"], z["city"], z["state"])
        for z in zipcodes.list_all()
        if z["lat"] and z["long"] and z["zip_code_type"] == "STANDARD"
    ]


def copy_rows(cursor: object, table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def load(count: int, seed: int) -> None:
    """Bulk-load ``count`` practitioners with locations, conditions, therapies and licences."""
    from django.db import connection

    from acuevidence.directory.models import VERIFICATION_VALID_FOR
    from acuevidence.research.models import Condition, Therapy
    from acuevidence.research.services import vocabulary_sync

    vocabulary_sync()
    rng = random.Random(seed)
    zips = zip_centroids()
    conditions = list(Condition.objects.values_list("pk", flat=True))
    therapies = list(Therapy.objects.filter(is_control=False).values_list("pk", flat=True))
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    with connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor, for COPY
        start = time.perf_counter()

        def practitioners() -> Iterator[tuple]:
            for i in range(1, count + 1):
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
                langs = ["English", *rng.sample(LANGUAGES, k=rng.choice((0, 0, 1, 2)))]
                yield (
                    i,
                    name,
                    f"bench-{i}",
                    "L.Ac.",
                    "",
                    json.dumps(langs),
                    rng.random() < 0.3,
                    "[]",
                    "",
                    "",
                    True,
                    True,
                    now,
                    now,
                )

        copy_rows(
            cur,
            "directory_practitioner",
            [
                "id",
                "name",
                "slug",
                "credentials",
                "bio",
                "languages",
                "telehealth",
                "insurance_accepted",
                "website",
                "email",
                "is_published",
                "is_demo",
                "created_at",
                "updated_at",
            ],
            practitioners(),
        )

        def locations() -> Iterator[tuple]:
            lid = 0
            for i in range(1, count + 1):
                for _ in range(1 + (rng.random() < 0.15)):
                    lat, lon, code, city, state = rng.choice(zips)
                    lid += 1
                    yield (
                        lid,
                        i,
                        "",
                        "",
                        city,
                        state,
                        code,
                        "US",
                        lat + rng.uniform(-0.02, 0.02),
                        lon + rng.uniform(-0.02, 0.02),
                    )

        copy_rows(
            cur,
            "directory_location",
            [
                "id",
                "practitioner_id",
                "name",
                "address",
                "city",
                "region",
                "postal_code",
                "country",
                "latitude",
                "longitude",
            ],
            locations(),
        )
        copy_rows(
            cur,
            "directory_practitioner_conditions",
            ["practitioner_id", "condition_id"],
            (
                (i, c)
                for i in range(1, count + 1)
                for c in rng.sample(conditions, rng.randint(1, 4))
            ),
        )
        copy_rows(
            cur,
            "directory_practitioner_therapies",
            ["practitioner_id", "therapy_id"],
            ((i, t) for i in range(1, count + 1) for t in rng.sample(therapies, rng.randint(1, 3))),
        )
        # 80 % verified against the roster between 1 and 500 days ago: the events, and each
        # licence's badge date as directory.services.licence_verify keeps it.
        verified_days_ago = {
            i: rng.randint(1, 500) for i in range(1, count + 1) if rng.random() < 0.8
        }
        copy_rows(
            cur,
            "directory_licence",
            [
                "id",
                "practitioner_id",
                "jurisdiction",
                "board",
                "number",
                "licence_type",
                "status",
                "issued_on",
                "expires_on",
                "verified_until",
            ],
            (
                (
                    i,
                    i,
                    "Bench",
                    "Bench Board",
                    f"B{i}",
                    "Licensed Acupuncturist",
                    "active",
                    today - dt.timedelta(days=400),
                    today + dt.timedelta(days=rng.randint(-60, 700)),
                    (
                        (now - dt.timedelta(days=verified_days_ago[i])).date()
                        + VERIFICATION_VALID_FOR
                        if i in verified_days_ago
                        else None
                    ),
                )
                for i in range(1, count + 1)
            ),
        )
        copy_rows(
            cur,
            "directory_verificationevent",
            ["licence_id", "method", "result", "performed_at", "evidence_note"],
            (
                (i, "roster", "verified", now - dt.timedelta(days=days), "bench")
                for i, days in verified_days_ago.items()
            ),
        )
        for table in (
            "directory_practitioner",
            "directory_location",
            "directory_licence",
            "directory_verificationevent",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        print(f"loaded {count:,} practitioners in {time.perf_counter() - start:.0f} s")
    reindex()


def reindex() -> None:
    """Build the listing entries the search reads (``acuevidence directory reindex``)."""
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("directory", "reindex")
    print(f"listing entries built in {time.perf_counter() - start:.0f} s")


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def measure(queries: int, seed: int) -> list[tuple[str, float, float, float]]:
    from acuevidence.directory import selectors
    from acuevidence.directory.places import Place
    from acuevidence.evidence.geo import Unit
    from acuevidence.research.models import Condition, Therapy

    rng = random.Random(seed)
    origins = [
        Place(code, lat, lon) for lat, lon, code, _, _ in rng.sample(zip_centroids(), queries)
    ]
    pain = Condition.objects.get(slug="chronic-low-back-pain")
    acupuncture = Therapy.objects.get(slug="acupuncture")
    scenarios: list[tuple[str, Callable[[Place], selectors.SearchCriteria]]] = [
        ("25 mi, no filters", lambda o: selectors.SearchCriteria(origin=o, radius=25)),
        (
            "25 mi, no filters, by name",
            lambda o: selectors.SearchCriteria(origin=o, radius=25, sort="name"),
        ),
        (
            "25 mi, condition + verified",
            lambda o: selectors.SearchCriteria(
                origin=o, radius=25, condition=pain, verified_only=True
            ),
        ),
        (
            "25 mi, condition + therapy + language + telehealth",
            lambda o: selectors.SearchCriteria(
                origin=o,
                radius=25,
                condition=pain,
                therapy=acupuncture,
                language="Spanish",
                telehealth=True,
            ),
        ),
        ("5 mi, no filters", lambda o: selectors.SearchCriteria(origin=o, radius=5)),
        ("100 mi, no filters", lambda o: selectors.SearchCriteria(origin=o, radius=100)),
        (
            "100 mi, condition + verified",
            lambda o: selectors.SearchCriteria(
                origin=o, radius=100, condition=pain, verified_only=True
            ),
        ),
        (
            "50 km, verified only",
            lambda o: selectors.SearchCriteria(
                origin=o, radius=50, unit=Unit.KM, verified_only=True
            ),
        ),
    ]
    # Warm-up, untimed: read the index pages around every origin once, as a server that
    # has been answering searches has them in memory; otherwise the first scenario pays
    # for the cold cache and the others do not.
    for origin in origins:
        selectors.search_page(
            criteria=selectors.SearchCriteria(origin=origin, radius=100), number=1, per_page=20
        )
    results = []
    for label, make in scenarios:
        timings, found = [], []
        for origin in origins:
            criteria = make(origin)
            start = time.perf_counter()
            page = selectors.search_page(criteria=criteria, number=1, per_page=20)
            selectors.search_hits(rows=list(page.object_list), criteria=criteria)
            timings.append((time.perf_counter() - start) * 1000)
            found.append(page.paginator.count)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        results.append((label, statistics.median(timings), p95, statistics.median(found)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--recreate", action="store_true")
    parser.add_argument(
        "--reindex", action="store_true", help="rebuild the listing entries before measuring"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    database_prepare(args.server, recreate=args.recreate)
    django_setup(args.server)
    from django.core.management import call_command

    from acuevidence.directory.models import Practitioner

    call_command("migrate", verbosity=0)
    have = Practitioner.objects.count()
    if have == 0:
        load(args.count, args.seed)
    elif have != args.count:
        parser.error(
            f"{BENCH_DB} holds {have:,} practitioners; use --recreate to load {args.count:,}"
        )
    elif args.reindex:
        reindex()
    vacuum_analyze()  # fresh statistics and visibility map, whatever migrate just wrote
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Directory radius search, {args.count:,} practitioners, "
        f"{args.queries} random US ZIP origins (ms per search page)"
    )
    for column in ("search", "median ms", "p95 ms", "median results"):
        table.add_column(column, justify="left" if column == "search" else "right")
    for label, median, p95, found in measure(args.queries, args.seed):
        table.add_row(label, f"{median:.1f}", f"{p95:.1f}", f"{found:,.0f}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
