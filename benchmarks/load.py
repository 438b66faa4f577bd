"""Load test: gunicorn on loopback against the large site, driven by wrk at 50 connections.

    .venv/bin/python benchmarks/seed_large.py          # once: the large site
    .venv/bin/python benchmarks/load.py                 # the table for docs/benchmarks.md

Starts gunicorn (production settings without the HTTPS redirect, ``--workers`` sync
workers, persistent database connections, the page cache on Redis when ``REDIS_URL`` is
set) on a free port, warms each URL up, then runs ``wrk`` (Debian package) against the
home page, a condition hub, a study page, a directory search, an API list and the
minimal view ``/ops/ping`` (the ceiling), then directory searches near 200 different
ZIP codes with a counter in each URL so none is answered from the page cache,
printing requests/s, median and p95 latency
and errors (socket errors plus non-2xx/3xx answers). Targets (issue 9): each page at
least 40% of the ceiling's requests/s, p95 under 100 ms, zero errors. Then it runs the
study page again and kills one worker with SIGKILL half-way, reporting the errors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acuevidence_bench_site"
console = Console()

# Prints one JSON line with the numbers wrk's own summary lacks (p95) or spreads out.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# Requests that each name a different place (200 ZIP codes, each with a counter), so no
# answer comes from the page cache: the directory search's own cost under load.
WRK_MANY_PLACES = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
request = function()
  n = n + 1
  local place = places[(n % #places) + 1]
  return wrk.format("GET", "/practitioners/?radius=25&place=" .. place .. "&n=" .. tid .. "-" .. n)
end
"""


def many_places_script(workdir: Path, count: int = 200) -> Path:
    """A wrk script that searches the directory near ``count`` random US ZIP codes in turn."""
    import random

    import zipcodes

    standard = [z["zip_code"] for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD"]
    chosen = random.Random(7).sample(standard, count)
    script = workdir / "many_places.lua"
    listing = ", ".join(f'"{code}"' for code in chosen)
    script.write_text(f"places = {{{listing}}}\n" + WRK_MANY_PLACES + WRK_REPORT)
    return script


@dataclass(frozen=True)
class Result:
    name: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    error_kinds: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_paths(database_url: str) -> dict[str, str]:
    """The URLs to load, picked from the seeded data (a hub and a study in the middle)."""
    with psycopg.connect(database_url) as conn:
        study = conn.execute(
            "SELECT slug FROM research_study WHERE live AND NOT withdrawn ORDER BY id "
            "OFFSET (SELECT COUNT(*) / 2 FROM research_study) LIMIT 1"
        ).fetchone()
        hub = conn.execute(
            "SELECT p.url_path FROM wagtailcore_page p JOIN content_conditionpage c "
            "ON c.page_ptr_id = p.id ORDER BY p.id OFFSET 10 LIMIT 1"
        ).fetchone()
    if not study or not hub:
        raise SystemExit("the database has no studies or hubs: run benchmarks/seed_large.py first")
    hub_path = "/" + hub[0].split("/", 2)[-1]  # url_path is /home/conditions/<slug>/
    return {
        "minimal view (ceiling)": "/ops/ping",
        "home page": "/",
        "condition hub": hub_path,
        "study page": f"/studies/{study[0]}/",
        "API list": "/api/v1/studies/?limit=20",
        # Last: when it is slow it ties up the workers for the runs after it.
        "directory search": "/practitioners/?place=Denver%2C+CO&radius=25",
    }


def gunicorn_start(database_url: str, port: int, workers: int, workdir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuevidence.config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-" + "k" * 40),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "ACUEVIDENCE_VAR_DIR": str(workdir),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO / "src"),
    }
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "acuevidence.config.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--preload", "--backlog", "2048", "--graceful-timeout", "5",
         "--error-logfile", str(workdir / "gunicorn.log")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not become healthy in 120 s; see " + str(workdir))


def wrk(
    base: str, path: str, *, seconds: int, connections: int, threads: int, script: Path
) -> dict:
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(script), base + path],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_pids(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")

    paths = sample_paths(args.database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="acuevidence-load-") as tmp:
        workdir = Path(tmp)
        script = workdir / "report.lua"
        script.write_text(WRK_REPORT)
        server = gunicorn_start(args.database_url, port, args.workers, workdir)

        def measure(name: str, path: str, lua: Path = script) -> Result:
            stats = wrk(base, path, seconds=args.seconds, connections=args.connections,
                        threads=2, script=lua)  # fmt: skip
            kinds = {k: stats[k] for k in ("connect", "read", "write", "status", "timeout")}
            return Result(name, path, stats["requests"] / max(stats["seconds"], 1e-9),
                          stats["p50_ms"], stats["p95_ms"], sum(kinds.values()),
                          ", ".join(f"{k} {n}" for k, n in kinds.items() if n))  # fmt: skip

        try:
            for path in paths.values():  # warm up: imports, connections, the page cache
                for _ in range(3):
                    status = httpx.get(base + path, timeout=30).status_code
                if status >= 400:
                    raise SystemExit(f"{path} answers {status}; fix it before measuring")
            results = []
            for name, path in paths.items():
                if name == "directory search":
                    break
                results.append(measure(name, path))

            killed = worker_pids(server.pid)[0]
            killer = subprocess.Popen(
                [sys.executable, "-c", f"import os, time, signal; time.sleep({args.seconds / 2}); "
                 f"os.kill({killed}, signal.SIGKILL)"]
            )  # fmt: skip
            chaos = wrk(base, paths["study page"], seconds=args.seconds,
                        connections=args.connections, threads=2, script=script)  # fmt: skip
            killer.wait()
            results.append(measure("directory search", paths["directory search"]))
            results.append(
                measure(
                    "directory search, 200 places, uncached",
                    "/practitioners/",
                    many_places_script(workdir),
                )
            )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    ceiling = results[0].rps
    table = Table(title=f"{args.connections} connections, {args.workers} gunicorn workers, "
                        f"{args.seconds} s each, cache: {'Redis' if os.environ.get('REDIS_URL') else 'local memory'}")  # fmt: skip
    for column in (
        "page",
        "requests/s",
        "% of ceiling",
        "median ms",
        "p95 ms",
        "errors",
        "targets",
    ):
        table.add_column(column, justify="left" if column in ("page", "targets") else "right")
    for r in results:
        share = r.rps / ceiling
        met = [share >= 0.4 or r is results[0], r.p95_ms < 100, r.errors == 0]
        table.add_row(r.name, f"{r.rps:,.0f}", f"{share:.0%}", f"{r.p50_ms:.1f}",
                      f"{r.p95_ms:.1f}", f"{r.errors} ({r.error_kinds})" if r.errors else "0",
                      "met" if all(met) else "NOT met")  # fmt: skip
    console.print(table)
    chaos_errors = sum(chaos[k] for k in ("connect", "read", "write", "status", "timeout"))
    console.print(
        f"Worker killed (SIGKILL, pid {killed}) half-way through {args.seconds} s on the study "
        f"page: {chaos['requests']:,} requests, {chaos_errors} errors "
        f"(connect {chaos['connect']}, read {chaos['read']}, write {chaos['write']}, "
        f"status {chaos['status']}, timeout {chaos['timeout']}), p95 {chaos['p95_ms']:.1f} ms."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
