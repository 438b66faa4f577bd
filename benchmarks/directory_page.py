"""Where an uncached directory search page spends its time: SQL versus the app server.

Requests ``/practitioners/?place=<ZIP>&radius=25`` through Django's test client (no
page cache: each URL once) against a seeded database and prints, per page, the total
time, the time inside SQL and the number of queries, as median and p95 over random
US ZIP codes.

    .venv/bin/python benchmarks/seed_large.py          # once: the large site
    .venv/bin/python benchmarks/directory_page.py      # or --database-url postgres://...

The load test (``benchmarks/load.py``) measures the same pages under 50 connections;
this script says how much of each request is database and how much is Python.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acuevidence_bench_site"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "acuevidence.config.settings.test"
    import django

    django.setup()
    import zipcodes
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rich.console import Console
    from rich.table import Table

    standard = [z["zip_code"] for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD"]
    places = random.Random(7).sample(standard, args.pages)
    client = Client(HTTP_HOST="localhost")
    client.get(f"/practitioners/?place={places[0]}&radius=25&warm=1")  # imports, choices cache
    totals, in_sql, queries = [], [], []
    for place in places:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(f"/practitioners/?place={place}&radius=25")
            totals.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{place}: HTTP {response.status_code}")
        in_sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries.append(len(captured.captured_queries))

    table = Table(title=f"Uncached directory search pages, {args.pages} US ZIP codes, 25 mi")
    for column in ("", "median", "p95"):
        table.add_column(column, justify="left" if not column else "right")
    table.add_row("whole page, ms", f"{statistics.median(totals):.1f}", f"{p95(totals):.1f}")
    table.add_row("in SQL, ms", f"{statistics.median(in_sql):.1f}", f"{p95(in_sql):.1f}")
    table.add_row("queries", f"{statistics.median(queries):.0f}", f"{max(queries)}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
