"""Health endpoints for load balancers and orchestrators, and a minimal view for benchmarks.

- ``/healthz``: the process is alive and serving (no dependency is touched), for
  liveness probes: restart the process when this fails.
- ``/readyz``: the database (and the replica, when configured) and the cache answer, for
  readiness probes: take the server out of rotation while this fails.
- ``/ops/ping``: the cheapest possible Django view, the ceiling the load benchmark
  compares every page with.
"""

from __future__ import annotations

import sys
import time
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from acuevidence.ops.middleware import is_database_outage, outage_response


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database(alias: str) -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; its text is reported
        connections[alias].close()
        return f"{type(exc).__name__}: {exc}".strip()[:200]
    return None


def _check_cache() -> str | None:
    key = f"ops:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # e.g. Redis down: report, do not crash
        return f"{type(exc).__name__}: {exc}".strip()[:200]
    return None if found == "1" else "value written was not read back"


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every database alias and the cache answer, 503 (with what failed) otherwise."""
    started = time.perf_counter()
    checks = {f"database:{alias}": _check_database(alias) for alias in connections.settings}
    checks["cache"] = _check_cache()
    ready = all(error is None for error in checks.values())
    response = JsonResponse(
        {
            "status": "ready" if ready else "unavailable",
            "checks": {name: error or "ok" for name, error in checks.items()},
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = "10"
    return response


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("pong\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponseBase:
    """``handler500``: the outage page for database errors raised outside views, else 500.html."""
    if is_database_outage(sys.exc_info()[1]):
        return outage_response()
    return HttpResponse(render_to_string("500.html"), status=500)
