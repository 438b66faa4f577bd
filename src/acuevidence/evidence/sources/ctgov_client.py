"""Live ClinicalTrials.gov client: API v2 ``/studies`` by condition and intervention.

Pages are followed through ``nextPageToken``; each page goes through the same
code as a saved file (:func:`parse_ctgov_document`). The same retry and rate
rules as for PubMed apply (:mod:`.fetching`); ClinicalTrials.gov publishes no
fixed limit, so the default is a conservative 3 requests per second.

Resuming: :class:`CtgovCheckpoint` holds the query and the token of the next
page; it advances only after a whole page has been yielded. Watermark: with
``since`` (an ISO date) only studies whose last update was posted on or after
it are requested; :attr:`CtgovClient.newest_date` reports the latest
``lastUpdatePostDate`` seen, to store for the next run.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from acuevidence.evidence.records import StudyRecord
from acuevidence.evidence.sources.common import ParseResult
from acuevidence.evidence.sources.ctgov import parse_ctgov_document
from acuevidence.evidence.sources.fetching import Fetcher, RateLimiter, RetryPolicy, later_date

DEFAULT_BASE_URL = "https://clinicaltrials.gov/api/v2/"


@dataclass
class CtgovCheckpoint:
    """A ClinicalTrials.gov query and how far it got; JSON-serialisable via :meth:`to_dict`."""

    condition: str | None = None
    intervention: str | None = None
    term: str | None = None
    since: str | None = None
    page_token: str | None = None
    pages: int = 0
    records: int = 0
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CtgovCheckpoint:
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


class CtgovClient:
    """Search ClinicalTrials.gov and yield a record (or error) per study."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        page_size: int = 100,
        requests_per_second: float = 3.0,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.page_size = page_size
        self.client = httpx.Client(timeout=timeout, transport=transport)
        self.fetcher = Fetcher(
            self.client, RateLimiter(requests_per_second), retry or RetryPolicy()
        )
        self.newest_date: str | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> CtgovClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def query(
        *,
        condition: str | None = None,
        intervention: str | None = None,
        term: str | None = None,
        since: date | str | None = None,
    ) -> CtgovCheckpoint:
        """A fresh checkpoint for a query (no request is made until :meth:`fetch`)."""
        if not (condition or intervention or term):
            raise ValueError("give a condition, an intervention or a search term")
        since_text = since.isoformat() if isinstance(since, date) else since
        return CtgovCheckpoint(condition, intervention, term, since_text or None)

    def fetch(
        self,
        checkpoint: CtgovCheckpoint,
        *,
        max_records: int | None = None,
        on_page: Callable[[CtgovCheckpoint], None] | None = None,
    ) -> Iterator[ParseResult]:
        """Yield studies page by page from where ``checkpoint`` stands."""
        while not checkpoint.done:
            if max_records is not None and checkpoint.records >= max_records:
                return
            body = self.fetcher.get(self.base_url + "studies", self._params(checkpoint), _is_json)
            document = json.loads(body)
            page = f"{self.base_url}studies page {checkpoint.pages + 1}"
            for result in parse_ctgov_document(document, page, checkpoint.records + 1):
                if isinstance(result, StudyRecord):
                    self.newest_date = later_date(
                        self.newest_date, result.extra.get("last_update_posted")
                    )
                yield result
            checkpoint.records += (
                len(document.get("studies", [])) if isinstance(document, dict) else 0
            )
            checkpoint.pages += 1
            token = document.get("nextPageToken") if isinstance(document, dict) else None
            checkpoint.page_token = token or None
            checkpoint.done = not token
            if on_page is not None:
                on_page(checkpoint)

    def _params(self, checkpoint: CtgovCheckpoint) -> dict[str, Any]:
        params: dict[str, Any] = {"format": "json", "pageSize": self.page_size}
        for key, value in (
            ("query.cond", checkpoint.condition),
            ("query.intr", checkpoint.intervention),
            ("query.term", checkpoint.term),
            ("pageToken", checkpoint.page_token),
        ):
            if value:
                params[key] = value
        if checkpoint.since:
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{checkpoint.since},MAX]"
        if checkpoint.pages == 0:
            params["countTotal"] = "true"
        return params


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True
