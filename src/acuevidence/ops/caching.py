"""Whole-page caching for anonymous readers, emptied the moment anything is published.

What is cached: complete responses to anonymous GET/HEAD requests (no session or
messages cookie) with status 200, that set no cookie and are not marked private or
no-store, outside ``ACUEVIDENCE_PAGE_CACHE_EXEMPT`` (admin, accounts, health checks).
The key is the full URL (host, path, query string) plus a *generation* number kept in
the shared cache.

Invalidation: publishing changes what many pages show (a study appears on its page, the
listing, its condition hubs, the home page's highlights, the feeds and the API), so
rather than track which keys a publication touches, :func:`page_cache_invalidate` bumps
the generation and every earlier entry becomes unreachable at once (entries then expire
by their timeout). It runs after the publishing transaction commits, so a request
served between the publish and the commit cannot cache the old content under the new
generation. It is connected to Wagtail's ``published``/``unpublished`` signals (studies,
which ``research.services.study_publish`` and the review workflow publish as snippets)
and ``page_published``/``page_unpublished`` (home, articles, condition hubs), and to the
saves and deletions of directory listings; services that change public data another
way call :func:`page_cache_invalidate` themselves.

With Redis configured (``REDIS_URL``) the cache and the generation are shared by every
app server; with the default local-memory cache each process has its own, which is
right for one server (``make demo``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_response_headers

log = logging.getLogger(__name__)

GENERATION_KEY = "ops:pages:generation"
CACHE_HEADER = "X-Page-Cache"


def page_cache_seconds() -> int:
    """How long a page stays cached; 0 turns the page cache off."""
    return int(getattr(settings, "ACUEVIDENCE_PAGE_CACHE_SECONDS", 0))


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from the old one
        cache.add(GENERATION_KEY, 2, timeout=None)
    log.info("page cache invalidated")


def page_cache_invalidate() -> None:
    """Make every cached page stale, once the current transaction (if any) commits."""
    transaction.on_commit(_bump_generation)


def _key(request: HttpRequest, generation: int) -> str:
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"ops:page:{generation}:{request.method}:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(
        tuple(getattr(settings, "ACUEVIDENCE_PAGE_CACHE_EXEMPT", ()))
    )


def _cacheable_response(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


class PageCacheMiddleware:
    """Serves cached pages to anonymous readers before sessions, auth or views run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = page_cache_seconds()
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, _generation())
        cached = cache.get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            if "Cache-Control" not in response:
                # Browsers and proxies may keep it briefly; editors' changes show on reload.
                patch_response_headers(response, cache_timeout=min(seconds, 60))
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, timeout=seconds)
            response[CACHE_HEADER] = "miss"
        return response


def _invalidate_on_signal(**kwargs: Any) -> None:
    page_cache_invalidate()


def connect_invalidation() -> None:
    """Connect publication and directory changes to :func:`page_cache_invalidate`."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, published, unpublished

    for signal in (published, unpublished, page_published, page_unpublished):
        signal.connect(_invalidate_on_signal, dispatch_uid=f"ops-page-cache-{id(signal)}")
    for model in apps.get_app_config("directory").get_models():
        for signal in (post_save, post_delete):
            signal.connect(
                _invalidate_on_signal,
                sender=model,
                dispatch_uid=f"ops-page-cache-{model._meta.label}-{id(signal)}",
            )
