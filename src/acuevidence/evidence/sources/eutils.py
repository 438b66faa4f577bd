"""Live PubMed client: E-utilities ``esearch`` on the history server, then ``efetch`` in batches.

NCBI's usage rules: at most 3 requests per second without an API key and 10
with one; identify the caller with ``tool`` and ``email``. The search result
is kept on NCBI's history server (``WebEnv`` + ``query_key``) and fetched in
batches of ``batch_size``; each batch goes through :func:`parse_pubmed`, so
the client yields exactly what parsing a file would.

Resuming: :class:`PubmedCheckpoint` says how far a run got. The client moves
``retstart`` forward only after a whole batch has been yielded, so a caller
that saves ``checkpoint.to_dict()`` after each batch (``on_batch``) and
crashes re-fetches at most one batch; the importer's upsert makes that
harmless. Watermark: pass ``since`` (entrez date, inclusive) and store
:attr:`EutilsClient.newest_date` after the run for the next one.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from lxml import etree

from acuevidence.evidence.records import StudyRecord
from acuevidence.evidence.sources.common import ParseResult
from acuevidence.evidence.sources.fetching import (
    Fetcher,
    FetchError,
    RateLimiter,
    RetryPolicy,
    later_date,
)
from acuevidence.evidence.sources.pubmed import parse_pubmed

DEFAULT_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


@dataclass
class PubmedCheckpoint:
    """Where a PubMed run stands; JSON-serialisable through :meth:`to_dict`."""

    term: str
    webenv: str
    query_key: str
    count: int
    retstart: int = 0
    since: str | None = None
    until: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PubmedCheckpoint:
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})

    @property
    def done(self) -> bool:
        return self.retstart >= self.count


class EutilsClient:
    """Search and fetch PubMed records over HTTP.

    ``base_url`` points at E-utilities (tests use a local server);
    ``requests_per_second`` defaults to NCBI's limit (3, or 10 with a key).
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None = None,
        email: str | None = None,
        tool: str = "acuevidence",
        batch_size: int = 200,
        requests_per_second: float | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.batch_size = batch_size
        self.identity = {"tool": tool, **({"email": email} if email else {})}
        if api_key:
            self.identity["api_key"] = api_key
        rate = requests_per_second or (10.0 if api_key else 3.0)
        self.client = httpx.Client(timeout=timeout, transport=transport)
        self.fetcher = Fetcher(self.client, RateLimiter(rate), retry or RetryPolicy())
        self.newest_date: str | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> EutilsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(
        self, term: str, *, since: date | str | None = None, until: date | str | None = None
    ) -> PubmedCheckpoint:
        """Run ``esearch`` with ``usehistory=y``; ``since``/``until`` filter on the entrez date."""
        params: dict[str, Any] = {"db": "pubmed", "term": term, "usehistory": "y", "retmax": 0}
        since_text, until_text = _ncbi_date(since), _ncbi_date(until)
        if since_text or until_text:
            params.update(datetype="edat", mindate=since_text or "1800/01/01")
            params["maxdate"] = until_text or "3000/12/31"
        body = self.fetcher.get(
            self.base_url + "esearch.fcgi",
            {**params, **self.identity},
            _closes(b"</eSearchResult>"),
        )
        root = etree.fromstring(body)
        error = root.findtext("ERROR")
        if error:
            raise FetchError(f"esearch refused {term!r}: {error}")
        webenv, query_key = root.findtext("WebEnv"), root.findtext("QueryKey")
        if not webenv or not query_key:
            raise FetchError("esearch answered without WebEnv/QueryKey (history server off?)")
        return PubmedCheckpoint(
            term=term,
            webenv=webenv,
            query_key=query_key,
            count=int(root.findtext("Count") or 0),
            since=since_text or None,
            until=until_text or None,
        )

    def fetch(
        self,
        checkpoint: PubmedCheckpoint,
        *,
        max_records: int | None = None,
        on_batch: Callable[[PubmedCheckpoint], None] | None = None,
    ) -> Iterator[ParseResult]:
        """Yield the records of a search from ``checkpoint.retstart`` on, batch by batch.

        ``record_number`` counts from the start of the search, so error reports
        stay meaningful across resumed runs. ``on_batch`` is called with the
        advanced checkpoint after every batch.
        """
        limit = checkpoint.count if max_records is None else min(checkpoint.count, max_records)
        while checkpoint.retstart < limit:
            size = min(self.batch_size, limit - checkpoint.retstart)
            params = {
                "db": "pubmed",
                "query_key": checkpoint.query_key,
                "WebEnv": checkpoint.webenv,
                "retstart": checkpoint.retstart,
                "retmax": size,
                "retmode": "xml",
                **self.identity,
            }
            body = self.fetcher.get(
                self.base_url + "efetch.fcgi", params, _closes(b"</PubmedArticleSet>")
            )
            for result in parse_pubmed(_named_stream(body, f"efetch@{checkpoint.retstart}")):
                number = checkpoint.retstart + (result.record_number or 0)
                if isinstance(result, StudyRecord):
                    self.newest_date = later_date(self.newest_date, result.extra.get("entrez_date"))
                yield dataclasses.replace(result, record_number=number)
            checkpoint.retstart += size
            if on_batch is not None:
                on_batch(checkpoint)


def _ncbi_date(value: date | str | None) -> str:
    """E-utilities want ``YYYY/MM/DD``; accept a date or ``YYYY-MM-DD``."""
    if value is None or value == "":
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text.replace("-", "/")


def _closes(end_tag: bytes) -> Callable[[bytes], bool]:
    """A completeness check: the body ends with the root's closing tag."""
    return lambda body: body.rstrip().endswith(end_tag)


def _named_stream(body: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(body)
    stream.name = name
    return stream
