"""HTTP behaviour shared by the read endpoints: ETags, conditional GET and caching.

Every successful GET carries a strong ETag (a hash of the body) and a short
public ``Cache-Control``; a client that sends ``If-None-Match`` with the current
ETag gets ``304 Not Modified`` without the body.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

View = Callable[..., HttpResponse]


def conditional_get(view: View) -> View:
    """Add an ETag to GET responses and answer matching ``If-None-Match`` with 304."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            return response
        set_response_etag(response)
        patch_cache_control(
            response, public=True, max_age=getattr(settings, "ACUEVIDENCE_API_MAX_AGE", 60)
        )
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper
