"""``acuevidence fetch pubmed|ctgov ...``: import from the live APIs, resumably, with watermarks."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acuevidence.evidence.sources.ctgov_client import CtgovCheckpoint, CtgovClient
from acuevidence.evidence.sources.eutils import EutilsClient, PubmedCheckpoint
from acuevidence.evidence.sources.fetching import FetchError
from acuevidence.ingest import services
from acuevidence.ingest.models import ImportBatch, Watermark
from acuevidence.ingest.reporting import import_progress, print_summary


class Command(BaseCommand):
    help = (
        "Fetch and import records from PubMed (E-utilities) or ClinicalTrials.gov (API v2). "
        "An interrupted run resumes where it stopped; --watermark fetches only what is new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sources = parser.add_subparsers(dest="source", required=True)
        pubmed = sources.add_parser("pubmed", help="PubMed through E-utilities")
        pubmed.add_argument("--term", required=True, help='e.g. "acupuncture AND stroke"')
        pubmed.add_argument("--api-key", default=os.environ.get("NCBI_API_KEY"))
        pubmed.add_argument("--email", default=os.environ.get("NCBI_EMAIL"))
        pubmed.add_argument("--base-url", default=None, help="E-utilities base URL (tests)")
        ctgov = sources.add_parser("ctgov", help="ClinicalTrials.gov API v2")
        ctgov.add_argument("--condition")
        ctgov.add_argument("--intervention")
        ctgov.add_argument("--base-url", default=None, help="API base URL (tests)")
        for sub in (pubmed, ctgov):
            sub.add_argument("--since", help="only records added or updated on/after YYYY-MM-DD")
            sub.add_argument("--max", type=int, dest="max_records", help="stop after N records")
            sub.add_argument(
                "--watermark", action="store_true", help="only what is new since the last run"
            )
            sub.add_argument(
                "--restart", action="store_true", help="ignore an unfinished earlier run"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"] == "pubmed":
            origin = f"pubmed term={options['term']}"
        else:
            if not (options["condition"] or options["intervention"]):
                raise CommandError("fetch ctgov needs --condition and/or --intervention.")
            origin = (
                f"ctgov condition={options['condition']} intervention={options['intervention']}"
            )
        watermark = Watermark.objects.filter(name=origin).first() if options["watermark"] else None
        since = options["since"] or (watermark.value if watermark else None)
        batch = None if options["restart"] else self._unfinished(origin)
        if batch is None:
            batch = services.batch_start(source=options["source"], origin=origin)
        else:
            self.stdout.write(f"Resuming import #{batch.pk} from where it stopped.")
            batch.state = ImportBatch.State.RUNNING
        try:
            newest = self._run(options, batch, since)
        except (FetchError, ValueError) as exc:
            services.batch_finish(batch, failed=str(exc))
            raise CommandError(
                f"{exc}\nNothing already imported is lost; run the same command again to resume."
            ) from exc
        services.batch_finish(batch)
        if newest:
            Watermark.objects.update_or_create(name=origin, defaults={"value": newest})
        print_summary(batch, stream=self.stdout)

    def _unfinished(self, origin: str) -> ImportBatch | None:
        batch = ImportBatch.objects.filter(origin=origin).order_by("-started_at").first()
        if batch is not None and batch.state != ImportBatch.State.COMPLETED and batch.checkpoint:
            return batch
        return None

    def _save_checkpoint(self, batch: ImportBatch, checkpoint: Any) -> None:
        batch.checkpoint = checkpoint.to_dict()
        batch.save(update_fields=["checkpoint"])

    def _run(self, options: dict[str, Any], batch: ImportBatch, since: str | None) -> str | None:
        base = {"base_url": options["base_url"]} if options["base_url"] else {}
        if options["source"] == "pubmed":
            with EutilsClient(api_key=options["api_key"], email=options["email"], **base) as client:
                if batch.checkpoint:
                    checkpoint = PubmedCheckpoint.from_dict(batch.checkpoint)
                else:
                    checkpoint = client.search(options["term"], since=since)
                    self._save_checkpoint(batch, checkpoint)
                total = min(checkpoint.count, options["max_records"] or checkpoint.count)
                records = client.fetch(
                    checkpoint,
                    max_records=options["max_records"],
                    on_batch=lambda c: self._save_checkpoint(batch, c),
                )
                with import_progress("PubMed", total=total, stream=self.stdout) as progress:
                    services.batch_import(records, batch=batch, progress=progress)
                return client.newest_date
        with CtgovClient(**base) as client:
            if batch.checkpoint:
                checkpoint = CtgovCheckpoint.from_dict(batch.checkpoint)
            else:
                checkpoint = client.query(
                    condition=options["condition"],
                    intervention=options["intervention"],
                    since=since,
                )
            records = client.fetch(
                checkpoint,
                max_records=options["max_records"],
                on_page=lambda c: self._save_checkpoint(batch, c),
            )
            with import_progress("ClinicalTrials.gov", total=None, stream=self.stdout) as progress:
                services.batch_import(records, batch=batch, progress=progress)
            return client.newest_date
