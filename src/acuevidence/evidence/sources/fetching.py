"""Polite, persistent HTTP GETs for the live clients: rate limit, retries, body checks.

Both NCBI E-utilities and ClinicalTrials.gov throttle heavy users, answer 429
or 5xx under load, and sometimes close a connection half-way through a large
body. :class:`Fetcher` waits between requests so as never to exceed the
allowed rate, and retries 429, 5xx, broken connections, timeouts and bodies
that fail the caller's completeness check, with exponential back-off
(``backoff * 2**attempt``, capped at ``max_backoff``) or the server's
``Retry-After`` when it gives one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A request failed for good: a non-retryable status, or retries exhausted."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry.

    ``max_backoff`` also caps a server's ``Retry-After``, so that a misbehaving
    server cannot stall a nightly job for hours; tests set it small.
    """

    attempts: int = 6
    backoff: float = 1.0
    max_backoff: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        wait = self.backoff * 2**attempt
        if retry_after is not None:
            wait = max(wait, retry_after)
        return min(wait, self.max_backoff)


class RateLimiter:
    """At most ``per_second`` request starts per second (a minimum interval between them)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.interval = 1.0 / per_second
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until another request may start."""
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


@dataclass
class FetchStats:
    """What a fetcher did, for progress reports and tests."""

    requests: int = 0
    retries: int = 0
    failures: list[str] = field(default_factory=list)


class Fetcher:
    """GET with rate limiting and retries; returns the complete body as bytes."""

    def __init__(
        self,
        client: httpx.Client,
        limiter: RateLimiter,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client, self.limiter, self.policy = client, limiter, policy
        self._sleep = sleep
        self.stats = FetchStats()

    def get(
        self,
        url: str,
        params: Mapping[str, Any],
        is_complete: Callable[[bytes], bool],
    ) -> bytes:
        """The body of ``url`` once it arrives whole (``is_complete(body)`` is true).

        Raises :class:`FetchError` on a 4xx other than 408/429, or when every
        attempt failed; the message says what went wrong last.
        """
        problem = ""
        for attempt in range(self.policy.attempts):
            if attempt:
                self.stats.retries += 1
            self.limiter.wait()
            self.stats.requests += 1
            retry_after = None
            try:
                response = self.client.get(url, params=dict(params))
                body = response.content
            except httpx.TransportError as exc:  # refused, reset, timeout, short body
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in RETRY_STATUSES:
                    problem = f"HTTP {response.status_code}"
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                elif response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code}: {body[:200]!r}")
                elif not is_complete(body):
                    problem = f"incomplete body ({len(body)} bytes)"
                else:
                    return body
            self.stats.failures.append(problem)
            if attempt + 1 < self.policy.attempts:
                self._sleep(self.policy.delay(attempt, retry_after))
        raise FetchError(f"{url}: gave up after {self.policy.attempts} attempts ({problem})")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds form; HTTP dates are ignored)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def later_date(current: str | None, candidate: object) -> str | None:
    """The later of two ISO dates (``candidate`` may be missing or not a string)."""
    if isinstance(candidate, str) and candidate and (current is None or candidate > current):
        return candidate
    return current
