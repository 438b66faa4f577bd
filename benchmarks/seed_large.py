"""Seed a large AcuEvidence site on PostgreSQL for the load benchmark (benchmarks/load.py).

    .venv/bin/python benchmarks/seed_large.py                 # 100,000 studies, 1,000,000 practitioners
    .venv/bin/python benchmarks/seed_large.py --studies 20000 --practitioners 100000 --fresh

Creates (with ``--fresh``: drops and re-creates) the database, runs the migrations, makes
the site's pages through the application's services (home page, condition hubs), then
bulk-loads published studies -- each with two arms, two results, one comparison and a
condition among ``--conditions`` -- and practitioners with a location and conditions, all
with PostgreSQL's COPY. Columns this script does not know (added by later migrations)
get their type's empty value, so the seeder keeps working as the schema grows.
Builds the directory search's listing entries, then VACUUM ANALYZE so the planner sees
the real sizes and index-only scans need no heap reads.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acuevidence_bench_site"
console = Console()

EMPTY_BY_TYPE = {
    "boolean": False,
    "jsonb": "[]",
    "json": "[]",
    "text": "",
    "character varying": "",
}
THERAPY_WORDS = ["acupuncture", "electroacupuncture", "moxibustion", "cupping", "acupressure"]
OUTCOMES = ["Pain intensity", "Function", "Quality of life", "Sleep quality", "Anxiety"]


def django_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuevidence.config.settings.dev",
        "DATABASE_URL": url,
        "PYTHONPATH": str(REPO / "src"),
    }


def database_prepare(url: str, *, fresh: bool) -> None:
    """Create the database (dropping it first with ``fresh``) and migrate it."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=django_env(url), check=True,
    )  # fmt: skip


def columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str, bool]]:
    rows = conn.execute(
        "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = 'public' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(name, kind, nullable) for name, kind, nullable in rows]


def copy_rows(
    conn: psycopg.Connection,
    table: str,
    rows: Iterator[dict[str, Any]],
    *,
    skip: Sequence[str] = (),
) -> int:
    """COPY ``rows`` into ``table``; columns missing from a row get NULL or their empty value."""
    cols = [c for c in columns(conn, table) if c[0] not in skip]
    names = ", ".join(f'"{name}"' for name, _, _ in cols)
    count = 0
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    row[name] if name in row else (None if nullable else EMPTY_BY_TYPE.get(kind))
                    for name, kind, nullable in cols
                ]
            )
            count += 1
    return count


def next_id(conn: psycopg.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


def sequences_reset(conn: psycopg.Connection, tables: Sequence[str]) -> None:
    for table in tables:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def conditions_seed(conn: psycopg.Connection, count: int) -> list[int]:
    existing = [r[0] for r in conn.execute("SELECT id FROM research_condition ORDER BY id")]
    missing = max(0, count - len(existing))
    start = next_id(conn, "research_condition")
    copy_rows(
        conn,
        "research_condition",
        (
            {"id": start + i, "name": f"Benchmark condition {start + i}",
             "slug": f"bench-condition-{start + i}", "synonyms": "[]", "mesh_id": "",
             "summary": "", "parent_id": None}
            for i in range(missing)
        ),
    )  # fmt: skip
    return [
        r[0]
        for r in conn.execute("SELECT id FROM research_condition ORDER BY id LIMIT %s", [count])
    ]


def studies_seed(conn: psycopg.Connection, count: int, condition_ids: list[int]) -> int:
    rng = random.Random(20261122)
    now = datetime.now(tz=UTC)
    start = next_id(conn, "research_study")
    therapy_ids = [r[0] for r in conn.execute("SELECT id FROM research_therapy ORDER BY id")]

    def studies() -> Iterator[dict[str, Any]]:
        for i in range(start, start + count):
            therapy = THERAPY_WORDS[i % len(THERAPY_WORDS)]
            yield {
                "id": i, "live": True, "has_unpublished_changes": False,
                "first_published_at": now, "last_published_at": now, "expired": False,
                "locked": False, "title": f"Benchmark trial {i}: {therapy} versus usual care",
                "slug": f"bench-study-{i}", "short_title": f"Trial {i}", "pmid": str(30000000 + i),
                "registry_ids": "[]", "authors": json.dumps(["Bench A", "Bench B"]),
                "journal": "Benchmark Journal", "year": 1995 + i % 30, "design": "rct",
                "status": "ongoing" if i % 10 == 0 else "completed", "sample_size": 60 + i % 200,
                "abstract": f"A randomized trial of {therapy} in {60 + i % 200} adults.",
                "source": "manual", "withdrawn": False,
                "key_finding": f"{therapy.capitalize()} may reduce pain a little.",
                "highlight": f"Trial {i}: {therapy} for adults, {60 + i % 200} people.",
                "created_at": now, "updated_at": now,
            }  # fmt: skip

    copy_rows(conn, "research_study", studies())
    copy_rows(
        conn, "research_study_conditions",
        ({"study_id": i, "condition_id": condition_ids[i % len(condition_ids)]}
         for i in range(start, start + count)),
        skip=["id"],
    )  # fmt: skip
    if therapy_ids:
        copy_rows(
            conn, "research_study_therapies",
            ({"study_id": i, "therapy_id": therapy_ids[i % len(therapy_ids)]}
             for i in range(start, start + count)),
            skip=["id"],
        )  # fmt: skip

    def arms() -> Iterator[dict[str, Any]]:
        for i in range(start, start + count):
            n = 30 + i % 100
            for order, label in enumerate(("intervention group", "control group")):
                yield {"sort_order": order, "confirmed": True, "label": label, "n": n,
                       "study_id": i, "span_start": None, "span_end": None}  # fmt: skip

    def results() -> Iterator[dict[str, Any]]:
        for i in range(start, start + count):
            outcome = OUTCOMES[i % len(OUTCOMES)]
            for order, label in enumerate(("intervention group", "control group")):
                yield {
                    "sort_order": order, "confirmed": True, "arm_label": label,
                    "outcome_label": outcome, "timepoint": "8 weeks", "kind": "mean_sd",
                    "n": 30 + i % 100, "mean": round(rng.uniform(2, 8), 2),
                    "sd": round(rng.uniform(1, 3), 2), "study_id": i,
                }  # fmt: skip

    def comparisons() -> Iterator[dict[str, Any]]:
        for i in range(start, start + count):
            estimate = round(rng.uniform(-2.5, 0.5), 2)
            yield {
                "sort_order": 0, "confirmed": True, "outcome_label": OUTCOMES[i % len(OUTCOMES)],
                "is_primary": True, "timepoint": "8 weeks",
                "intervention_arm": "intervention group", "control_arm": "control group",
                "measure": "MD", "estimate": estimate, "ci_lower": round(estimate - 0.9, 2),
                "ci_upper": round(estimate + 0.9, 2), "p_value": 0.04, "p_relation": "=",
                "study_id": i, "certainty": "low", "certainty_domains": "{}",
            }  # fmt: skip

    copy_rows(conn, "research_arm", arms(), skip=["id"])
    copy_rows(conn, "research_result", results(), skip=["id"])
    copy_rows(conn, "research_comparison", comparisons(), skip=["id"])
    return count


def practitioners_seed(conn: psycopg.Connection, count: int, condition_ids: list[int]) -> int:
    """Practitioners spread over the continental US, each with a location and two conditions."""
    rng = random.Random(7)
    now = datetime.now(tz=UTC)
    start = next_id(conn, "directory_practitioner")
    first = ["Alex", "Sam", "Jordan", "Lee", "Mei", "Ravi", "Ana", "Kenji", "Noor", "Eli"]
    last = ["Chen", "Garcia", "Smith", "Nguyen", "Patel", "Kim", "Okafor", "Rossi", "Li", "Cohen"]
    copy_rows(
        conn, "directory_practitioner",
        ({"id": i, "name": f"{first[i % 10]} {last[(i // 10) % 10]} {i}",
          "slug": f"bench-practitioner-{i}", "credentials": "L.Ac.", "languages": '["en"]',
          "insurance_accepted": "[]", "telehealth": i % 3 == 0, "is_published": True,
          "is_demo": True, "created_at": now, "updated_at": now}
         for i in range(start, start + count)),
    )  # fmt: skip
    copy_rows(
        conn, "directory_location",
        ({"practitioner_id": i, "city": f"City {i % 5000}", "region": "XX", "country": "US",
          "latitude": round(rng.uniform(25.0, 49.0), 5),
          "longitude": round(rng.uniform(-124.0, -67.0), 5)}
         for i in range(start, start + count)),
        skip=["id"],
    )  # fmt: skip
    copy_rows(
        conn, "directory_practitioner_conditions",
        ({"practitioner_id": i, "condition_id": condition_ids[(i + k) % len(condition_ids)]}
         for i in range(start, start + count) for k in (0, 7)),
        skip=["id"],
    )  # fmt: skip
    return count


def pages_ensure(url: str, conditions: int) -> None:
    """Home page, indexes and one hub per condition, made by the application's services."""
    code = (
        "import django; django.setup()\n"
        "from acuevidence.research.services import vocabulary_sync\n"
        "from acuevidence.content.services import site_pages_ensure, condition_hubs_ensure\n"
        "from acuevidence.research.models import Condition\n"
        "vocabulary_sync(); site_pages_ensure(hostname='127.0.0.1')\n"
        f"condition_hubs_ensure(conditions=Condition.objects.order_by('id')[:{conditions}])\n"
    )
    subprocess.run([sys.executable, "-c", code], env=django_env(url), check=True)


def listing_reindex(url: str) -> None:
    """Build the directory search's listing entries for the practitioners COPY loaded."""
    subprocess.run(
        [sys.executable, "manage.py", "directory", "reindex"],
        cwd=REPO,
        env=django_env(url),
        check=True,
    )


def timed(label: str, timings: list[tuple[str, float, str]], fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = fn()
    rows = len(result) if isinstance(result, list) else result
    timings.append((label, time.perf_counter() - started, "" if rows is None else f"{rows:,}"))
    console.print(f"{label}: {timings[-1][1]:.1f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--conditions", type=int, default=200)
    parser.add_argument("--practitioners", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    args = parser.parse_args(argv)

    timings: list[tuple[str, float, str]] = []
    timed(
        "create and migrate", timings, lambda: database_prepare(args.database_url, fresh=args.fresh)
    )
    timed("vocabularies and site pages", timings, lambda: pages_ensure(args.database_url, 0))
    with psycopg.connect(args.database_url) as conn:
        condition_ids = timed("conditions", timings, lambda: conditions_seed(conn, args.conditions))
        conn.commit()
    timed("condition hubs", timings, lambda: pages_ensure(args.database_url, args.conditions))
    with psycopg.connect(args.database_url) as conn:
        timed("studies (COPY)", timings, lambda: studies_seed(conn, args.studies, condition_ids))
        timed(
            "practitioners (COPY)",
            timings,
            lambda: practitioners_seed(conn, args.practitioners, condition_ids),
        )
        sequences_reset(conn, [
            "research_condition", "research_study", "research_study_conditions", "research_arm",
            "research_result", "research_comparison", "directory_practitioner",
            "directory_location", "directory_practitioner_conditions",
        ])  # fmt: skip
        conn.commit()
    timed("listing entries (reindex)", timings, lambda: listing_reindex(args.database_url))
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        timed("VACUUM ANALYZE", timings, lambda: conn.execute("VACUUM ANALYZE") and None)
    table = Table(title=f"Seeded {args.database_url.rsplit('/', 1)[-1]}")
    for column in ("stage", "seconds", "rows"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    for label, seconds, rows in timings:
        table.add_row(label, f"{seconds:.1f}", rows)
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
