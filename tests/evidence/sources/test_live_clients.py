"""Live clients against a real HTTP server on 127.0.0.1 that serves the fixtures.

The server can be told to misbehave on upcoming requests: answer 429 with
Retry-After, answer 500, answer slowly, or close the connection half-way
through the body. Back-off values are tiny so the file stays fast; only the
rate-limit and Retry-After checks take about a second each, because that is
what they measure.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from acuevidence.evidence.records import StudyRecord
from acuevidence.evidence.sources.ctgov_client import CtgovCheckpoint, CtgovClient
from acuevidence.evidence.sources.eutils import EutilsClient, PubmedCheckpoint
from acuevidence.evidence.sources.fetching import FetchError, RetryPolicy

pytestmark = pytest.mark.live

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
QUICK = RetryPolicy(attempts=4, backoff=0.01, max_backoff=2.0)
FAST_RATE = 1000.0


def _articles() -> list[bytes]:
    """The six journal articles of two fixtures, as efetch would return them one by one."""
    texts = [
        (FIXTURES / "pubmed_rct_structured.xml").read_bytes(),
        gzip.decompress((FIXTURES / "medline_update_with_deletes.xml.gz").read_bytes()),
    ]
    return [
        m.group(0)
        for t in texts
        for m in re.finditer(rb"<PubmedArticle>.*?</PubmedArticle>", t, re.S)
    ]


ARTICLES = _articles()
HEADER = b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'


@dataclass
class Fault:
    """What the server does to one request instead of answering normally."""

    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    truncate: bool = False


@dataclass
class Hit:
    at: float
    path: str
    params: dict[str, str]


@dataclass
class FakeApis:
    """State shared with the request handler: queued faults and a log of requests."""

    faults: deque[Fault] = field(default_factory=deque)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if path.endswith("/esearch.fcgi"):
            body = (
                f"<?xml version='1.0'?><eSearchResult><Count>{len(ARTICLES)}</Count><RetMax>0</RetMax>"
                "<RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>MCID_test_env</WebEnv>"
                "<IdList/></eSearchResult>"
            )
            return 200, "text/xml", body.encode()
        if path.endswith("/efetch.fcgi"):
            if params.get("WebEnv") != "MCID_test_env":
                return (
                    400,
                    "text/xml",
                    b"<eFetchResult><ERROR>Unknown WebEnv</ERROR></eFetchResult>",
                )
            start, size = int(params["retstart"]), int(params["retmax"])
            chosen = ARTICLES[start : start + size]
            return (
                200,
                "text/xml",
                HEADER + b"<PubmedArticleSet>\n" + b"\n".join(chosen) + b"\n</PubmedArticleSet>\n",
            )
        if path.endswith("/studies"):
            name = (
                "ctgov_search_page2.json" if params.get("pageToken") else "ctgov_search_page1.json"
            )
            if params.get("pageToken") not in (None, "NF0g5JGBlPMuwQY"):
                return 400, "application/json", b'{"message": "bad page token"}'
            return 200, "application/json", (FIXTURES / name).read_bytes()
        return 404, "text/plain", b"not found"


class Handler(BaseHTTPRequestHandler):
    apis: FakeApis

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        with self.apis.lock:
            self.apis.hits.append(Hit(time.monotonic(), url.path, params))
            fault = self.apis.faults.popleft() if self.apis.faults else Fault()
        try:
            time.sleep(fault.delay)
            if fault.status:
                self.send_response(fault.status)
                if fault.retry_after:
                    self.send_header("Retry-After", fault.retry_after)
                self.send_header("Content-Length", "5")
                self.end_headers()
                self.wfile.write(b"busy\n")
                return
            status, kind, body = self.apis.answer(url.path, params)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if fault.truncate else body)
            if fault.truncate:
                self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (timeouts)

    def log_message(self, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def apis() -> Iterator[tuple[FakeApis, str]]:
    state = FakeApis()
    handler = type("BoundHandler", (Handler,), {"apis": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def eutils(base: str, **options: object) -> EutilsClient:
    settings: dict[str, object] = {
        "retry": QUICK,
        "requests_per_second": FAST_RATE,
        "batch_size": 2,
    }
    settings.update(options)
    return EutilsClient(base_url=base + "/entrez/eutils/", **settings)  # type: ignore[arg-type]


def pmids(results: list) -> list[str | None]:
    return [r.pmid for r in results if isinstance(r, StudyRecord)]


ALL_PMIDS = ["39100001", "18200002", "2300003", "41600101", "41600102", "41600103"]


def test_esearch_history_then_efetch_in_batches(apis):
    state, base = apis
    with eutils(base, api_key="k3y", email="editor@example.org") as client:
        checkpoint = client.search("acupuncture AND stroke", since="2024-01-01")
        results = list(client.fetch(checkpoint))
    assert pmids(results) == ALL_PMIDS
    assert [r.record_number for r in results] == [1, 2, 3, 4, 5, 6]
    search, *fetches = state.hits
    assert search.params["usehistory"] == "y"
    assert (search.params["mindate"], search.params["datetype"]) == ("2024/01/01", "edat")
    assert [f.params["retstart"] for f in fetches] == ["0", "2", "4"]
    assert all(
        h.params["api_key"] == "k3y" and h.params["tool"] == "acuevidence" for h in state.hits
    )
    assert all(h.params["email"] == "editor@example.org" for h in state.hits)
    assert client.newest_date == "2026-01-30"  # for the watermark


def test_max_records_stops_early(apis):
    _, base = apis
    with eutils(base) as client:
        results = list(client.fetch(client.search("acupuncture"), max_records=3))
    assert pmids(results) == ALL_PMIDS[:3]


def test_429_with_retry_after_is_honoured(apis):
    state, base = apis
    state.faults.extend([Fault(status=429, retry_after="1")])
    with eutils(base) as client:
        started = time.monotonic()
        checkpoint = client.search("acupuncture")
        elapsed = time.monotonic() - started
    assert checkpoint.count == 6
    assert elapsed >= 0.9
    assert client.fetcher.stats.retries == 1


def test_500_broken_body_and_slow_answer_are_retried(apis):
    state, base = apis
    with eutils(base, timeout=0.75, retry=RetryPolicy(attempts=6, backoff=0.01)) as client:
        checkpoint = client.search("acupuncture")
        state.faults.extend(
            [Fault(status=500), Fault(truncate=True), Fault(delay=1.5), Fault(status=503)]
        )
        results = list(client.fetch(checkpoint))
    assert pmids(results) == ALL_PMIDS
    kinds = [f.split(":")[0] for f in client.fetcher.stats.failures]
    assert {"HTTP 500", "RemoteProtocolError", "ReadTimeout", "HTTP 503"} <= set(kinds)
    assert client.fetcher.stats.retries == len(kinds) >= 4


def test_backoff_grows_exponentially(apis):
    state, base = apis
    state.faults.extend([Fault(status=500)] * 3)
    with eutils(base, retry=RetryPolicy(attempts=4, backoff=0.05, max_backoff=5)) as client:
        client.search("acupuncture")
    gaps = [b.at - a.at for a, b in itertools.pairwise(state.hits)]
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095 and gaps[2] >= 0.195


def test_gives_up_after_the_last_attempt_with_a_clear_error(apis):
    state, base = apis
    state.faults.extend([Fault(status=502)] * 4)
    with (
        eutils(base) as client,
        pytest.raises(FetchError, match=r"gave up after 4 attempts \(HTTP 502\)"),
    ):
        client.search("acupuncture")


def test_client_errors_are_not_retried(apis):
    state, base = apis
    with eutils(base) as client:
        checkpoint = client.search("acupuncture")
        checkpoint.webenv = "expired"
        with pytest.raises(FetchError, match="HTTP 400"):
            list(client.fetch(checkpoint))
    assert len(state.hits) == 2


def test_without_a_key_at_most_three_requests_per_second(apis):
    state, base = apis
    with eutils(base, requests_per_second=None, batch_size=2) as client:
        started = time.monotonic()
        list(client.fetch(client.search("acupuncture")))  # 1 search + 3 fetches
        elapsed = time.monotonic() - started
    assert len(state.hits) == 4
    assert elapsed >= 3 / 3.0 - 0.05
    starts = [h.at for h in state.hits]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 1 / 3 - 0.03


def test_with_a_key_ten_requests_per_second(apis):
    state, base = apis
    with eutils(base, requests_per_second=None, api_key="k3y") as client:
        started = time.monotonic()
        list(client.fetch(client.search("acupuncture")))
        elapsed = time.monotonic() - started
    assert client.fetcher.limiter.interval == pytest.approx(0.1)
    assert elapsed >= 3 / 10.0 - 0.05
    starts = [h.at for h in state.hits]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.1 - 0.03


def test_interrupted_run_resumes_from_the_saved_checkpoint(apis):
    state, base = apis
    saved: list[dict] = []
    with eutils(base) as client:
        checkpoint = client.search("acupuncture")
        run = client.fetch(checkpoint, on_batch=lambda c: saved.append(c.to_dict()))
        first = [next(run) for _ in range(3)]  # crash part-way through the second batch
    assert saved[-1]["retstart"] == 2
    with eutils(base) as client:
        resumed = list(client.fetch(PubmedCheckpoint.from_dict(json.loads(json.dumps(saved[-1])))))
    assert pmids(first) == ALL_PMIDS[:3]
    assert (
        pmids(resumed) == ALL_PMIDS[2:]
    )  # the interrupted batch is fetched again, nothing is lost
    assert [r.record_number for r in resumed] == [3, 4, 5, 6]
    assert sum(h.path.endswith("esearch.fcgi") for h in state.hits) == 1


def ctgov(base: str) -> CtgovClient:
    return CtgovClient(
        base_url=base + "/api/v2/", retry=QUICK, requests_per_second=FAST_RATE, page_size=2
    )


def test_ctgov_follows_page_tokens_with_condition_and_intervention(apis):
    state, base = apis
    with ctgov(base) as client:
        checkpoint = client.query(
            condition="stroke", intervention="acupuncture", since="2024-01-01"
        )
        results = list(client.fetch(checkpoint))
    assert [r.nct_id for r in results if isinstance(r, StudyRecord)] == [
        "NCT05900011",
        "NCT05900012",
        "NCT05900013",
    ]
    assert [r.record_number for r in results] == [1, 2, 3]
    first, second = state.hits
    assert (first.params["query.cond"], first.params["query.intr"]) == ("stroke", "acupuncture")
    assert first.params["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2024-01-01,MAX]"
    assert "pageToken" not in first.params and second.params["pageToken"] == "NF0g5JGBlPMuwQY"
    assert checkpoint.done and checkpoint.pages == 2
    assert client.newest_date == "2025-06-30"


def test_ctgov_retries_truncated_json_and_429(apis):
    state, base = apis
    state.faults.extend([Fault(truncate=True), Fault(status=429, retry_after="0")])
    with ctgov(base) as client:
        results = list(client.fetch(client.query(condition="stroke")))
    assert len(results) == 3
    assert client.fetcher.stats.retries == 2


def test_ctgov_resumes_from_the_page_token(apis):
    state, base = apis
    saved: list[dict] = []
    with ctgov(base) as client:
        run = client.fetch(
            client.query(condition="stroke"), on_page=lambda c: saved.append(c.to_dict())
        )
        list(zip(range(3), run, strict=False))  # crash on the second page's first study
    with ctgov(base) as client:
        checkpoint = CtgovCheckpoint.from_dict(saved[-1])
        rest = list(client.fetch(checkpoint))
    assert saved == [checkpoint.to_dict() | {"page_token": "NF0g5JGBlPMuwQY", "done": False,
                                             "pages": 1, "records": 2}]  # fmt: skip
    assert [r.nct_id for r in rest if isinstance(r, StudyRecord)] == ["NCT05900013"]
    assert rest[0].record_number == 3
    assert state.hits[-1].params["pageToken"] == "NF0g5JGBlPMuwQY"


def test_ctgov_query_needs_something_to_search_for():
    with pytest.raises(ValueError, match="condition"):
        CtgovClient.query()
