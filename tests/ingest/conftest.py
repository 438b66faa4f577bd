"""A local HTTP server speaking E-utilities and ClinicalTrials.gov v2, for the fetch command."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from tests.evidence.sources.test_live_clients import FakeApis, Handler


@pytest.fixture
def live_apis() -> Iterator[tuple[FakeApis, str]]:
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
