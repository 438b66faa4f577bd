"""Rate limits for anonymous API clients (django-ninja throttling, per client address).

The rate comes from ``settings.ACUEVIDENCE_API_ANON_RATE`` (e.g. "120/min") and is
read on each request, so operators and tests can change it without a restart.
Authenticated editors are not limited by it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

DEFAULT_ANON_RATE = "120/min"


class AnonymousClientThrottle(AnonRateThrottle):
    def __init__(self) -> None:
        super().__init__(DEFAULT_ANON_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "ACUEVIDENCE_API_ANON_RATE", DEFAULT_ANON_RATE)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
