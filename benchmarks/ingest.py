"""Ingestion benchmark: records/s and peak memory per stage, ours beside ``pubmed_parser``.

    python benchmarks/ingest.py                      # 30,000 records, made if missing
    python benchmarks/ingest.py --records 5000 --repeat 3

Every stage runs in its own fresh interpreter (``--stage NAME FILE``), so its
peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its
own and not the largest of all stages. The file is the synthetic MEDLINE
update file from ``ingest_data.py``; both parsers read the same gzipped bytes
in the same run. "Fields" counts what a stage gets out of the first article
plus whether DeleteCitation entries come out as records.

Adding a stage (e.g. the Django import, later): write a function
``def stage_x(path: Path) -> StageResult`` and add it to :data:`STAGES`; the
table picks it up.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_data import write_medline_file

DEFAULT_DIR = Path("var/benchmarks")


@dataclass
class StageResult:
    records: int
    seconds: float
    fields: int
    deletes_as_records: bool
    peak_rss_mb: float = 0.0


def stage_parse_acuevidence(path: Path) -> StageResult:
    """Our streaming parser, consuming records one at a time as the importer does."""
    from acuevidence.evidence.records import StudyRecord
    from acuevidence.evidence.sources.pubmed import parse_pubmed

    started = time.perf_counter()
    count, first, deletes = 0, None, False
    for result in parse_pubmed(path):
        count += 1
        if isinstance(result, StudyRecord):
            first = first or result
            deletes = deletes or result.deleted
    seconds = time.perf_counter() - started
    assert first is not None
    data = first.to_json()
    fields = sum(1 for key, value in data.items() if value not in (None, "", [], {}, False))
    fields += len([v for v in data["extra"].values() if v]) - 1  # "extra" counted per item
    fields += bool(first.abstract_sections)  # labelled sections beside the flat abstract
    return StageResult(count, seconds, fields, deletes)


def stage_parse_pubmed_parser(path: Path) -> StageResult:
    """``pubmed_parser.parse_medline_xml`` with its defaults, consumed the same way."""
    import pubmed_parser as pp

    started = time.perf_counter()
    count, first, deletes = 0, None, False
    for record in pp.parse_medline_xml(str(path)):
        count += 1
        first = first or record
        deletes = deletes or bool(record.get("delete"))
    seconds = time.perf_counter() - started
    assert first is not None
    fields = sum(1 for value in first.values() if value not in (None, "", [], False))
    return StageResult(count, seconds, fields, deletes)


def stage_import_acuevidence(path: Path) -> StageResult:
    """Parse and import into a fresh database (SQLite in a temp dir, or ``BENCH_DATABASE_URL``).

    Runs the real import service: matching, upserts, history, quarantine and
    extraction of every abstract, one transaction per record.
    """
    import os
    import tempfile

    workdir = tempfile.mkdtemp(prefix="acuevidence-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "acuevidence.config.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every SQL query in memory
    os.environ["ACUEVIDENCE_VAR_DIR"] = workdir
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from acuevidence.evidence.sources.pubmed import parse_pubmed
    from acuevidence.ingest import services

    started = time.perf_counter()
    batch = services.batch_start(source="pubmed", origin=str(path))
    services.batch_import(parse_pubmed(path), batch=batch)
    services.batch_finish(batch)
    seconds = time.perf_counter() - started
    return StageResult(batch.processed, seconds, 0, batch.withdrawn > 0 or batch.unchanged > 0)


STAGES: dict[str, tuple[str, Callable[[Path], StageResult]]] = {
    "parse-acuevidence": ("parse: acuevidence.sources.pubmed", stage_parse_acuevidence),
    "parse-pubmed_parser": ("parse: pubmed_parser", stage_parse_pubmed_parser),
    "import-acuevidence": ("parse + import into the database", stage_import_acuevidence),
}


def run_stage_here(name: str, path: Path) -> None:
    """Worker mode: run one stage in this process and print its result as JSON."""
    result = STAGES[name][1](path)
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(asdict(result)))


def run_stage(name: str, path: Path) -> StageResult:
    """Run one stage in a fresh interpreter so its memory peak is its own."""
    output = subprocess.run(
        [sys.executable, __file__, "--stage", name, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return StageResult(**json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description="Ingestion benchmark")
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; the median is shown")
    parser.add_argument("--file", type=Path, help="an existing MEDLINE .xml.gz to use instead")
    parser.add_argument("--skip-import", action="store_true", help="parse stages only")
    parser.add_argument("--stage", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage_here(args.stage[0], Path(args.stage[1]))
        return
    path = args.file or DEFAULT_DIR / f"medline_{args.records}.xml.gz"
    if not path.exists():
        write_medline_file(path, args.records)
    table = Table(title=f"Ingestion: {path.name} ({path.stat().st_size / 1e6:.1f} MB gzipped)")
    for column in ("stage", "records", "seconds", "records/s", "peak RSS MB", "fields", "deletes"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for name, (label, _) in STAGES.items():
        if args.skip_import and name.startswith("import"):
            continue
        repeat = 1 if name.startswith("import") else args.repeat
        runs = [run_stage(name, path) for _ in range(repeat)]
        seconds = statistics.median(r.seconds for r in runs)
        best = runs[0]
        table.add_row(
            label,
            f"{best.records:,}",
            f"{seconds:.2f}",
            f"{best.records / seconds:,.0f}",
            f"{max(r.peak_rss_mb for r in runs):.0f}",
            str(best.fields),
            "yes" if best.deletes_as_records else "no",
        )
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
