"""Middleware for running the site in production: request ids, outages, form rate limits, CSP.

Order in ``settings.MIDDLEWARE`` (outermost first): ``RequestIdMiddleware`` first so every
log line and response carries the id; ``ContentSecurityPolicyMiddleware`` before the page
cache so cached pages get the header too; ``PublicFormRateLimitMiddleware`` after the
session and authentication middleware; ``DatabaseOutageMiddleware`` anywhere (it only
handles exceptions raised by views; :func:`acuevidence.ops.views.server_error` handles
those raised by other middleware).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from acuevidence.config.db_routers import pin_to_primary, replica_configured, unpin
from acuevidence.directory.services import rate_limit_hit
from acuevidence.ops.logs import request_id_var

access_log = logging.getLogger("acuevidence.access")
outage_log = logging.getLogger("acuevidence.outage")

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is reused only when it looks like one (no header injection, bounded length).
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's ``X-Request-ID`` or a new one) and logs it.

    The id is returned in the ``X-Request-ID`` response header, attached to every log record
    written while the request is served, and ends the request with one access-log line
    (method, path, status, duration).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def is_database_outage(exc: BaseException | None) -> bool:
    """True for the errors a lost or unreachable database raises (not for bad SQL)."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and isinstance(exc.__cause__, OperationalError)
    )


def outage_response() -> HttpResponse:
    """A plain 503 page with Retry-After; rendered without touching the database."""
    retry_after = int(getattr(settings, "ACUEVIDENCE_OUTAGE_RETRY_AFTER", 30))
    response = HttpResponse(
        render_to_string("ops/unavailable.html", {"retry_after": retry_after}), status=503
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Answers 503 with Retry-After, not a traceback, while the database is unreachable.

    Nothing is kept between requests: Django opens a fresh connection for the next request
    (``CONN_HEALTH_CHECKS`` drops broken persistent ones), so the site recovers by itself as
    soon as the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        outage_log.error("database unavailable: %s", exception, extra={"path": request.path})
        return outage_response()


class PublicFormRateLimitMiddleware:
    """Limits form submissions (POST) per client address on the public site.

    Every POST outside the exempt prefixes (the editors' admin, which has its own login
    protection, and the API, which has its own throttle) counts against
    ``ACUEVIDENCE_FORM_RATE_LIMIT`` = (submissions, window in seconds), so a new public
    form is limited without anyone remembering to add a decorator. Over the limit the
    client gets a 429 page with Retry-After instead of the form's action.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = getattr(settings, "ACUEVIDENCE_FORM_RATE_LIMIT", None)
        if (
            limit
            and request.method == "POST"
            and not request.path.startswith(
                tuple(getattr(settings, "ACUEVIDENCE_FORM_RATE_LIMIT_EXEMPT", ()))
            )
        ):
            count, window = limit
            client = request.META.get("REMOTE_ADDR", "unknown")
            if rate_limit_hit(key=f"form:{client}", limit=count, window=window):
                response = HttpResponse(
                    render_to_string("ops/rate_limited.html", {"minutes": max(1, window // 60)}),
                    status=429,
                )
                response["Retry-After"] = str(window)
                return response
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (``ACUEVIDENCE_PERMISSIONS_POLICY``): the browser features
    pages may use (location, for "near me" in the directory) and those they may not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = getattr(settings, "ACUEVIDENCE_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a looser policy for the editors' admin only.

    The public site gets ``CONTENT_SECURITY_POLICY`` as configured (no inline scripts or
    styles). Wagtail's and Django's admin screens still use inline styles and scripts, so
    under ``ACUEVIDENCE_CSP_ADMIN_PREFIXES`` the policy adds ``'unsafe-inline'`` and
    ``blob:`` images (image previews); those screens are behind a login.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "ACUEVIDENCE_CSP_ADMIN_PREFIXES", ()))
        if not report_only and prefixes and request.path_info.startswith(prefixes):
            parts.update = {
                **(parts.update or {}),
                "script-src": ["'unsafe-inline'"],
                "style-src": ["'unsafe-inline'"],
                "img-src": ["blob:"],
            }
        return parts


PIN_COOKIE = "acuevidence_primary"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReplicaPinningMiddleware:
    """Decides per request whether reads may go to the replica (see ``config.db_routers``).

    Requests that may write, admin requests and requests from a client that wrote a
    moment ago (the pin cookie) read from the primary; a request that may write (POST,
    PUT, PATCH, DELETE) sets the cookie for ``ACUEVIDENCE_REPLICA_PIN_SECONDS``, so the
    page it redirects to is read from the primary too. Without a replica it does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_configured():
            return self.get_response(request)
        unpin()
        primary_paths = tuple(getattr(settings, "ACUEVIDENCE_PRIMARY_PATHS", ()))
        if (
            request.method not in _SAFE_METHODS
            or request.path.startswith(primary_paths)
            or PIN_COOKIE in request.COOKIES
        ):
            pin_to_primary()
        try:
            response = self.get_response(request)
            if request.method not in _SAFE_METHODS:
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=int(getattr(settings, "ACUEVIDENCE_REPLICA_PIN_SECONDS", 10)),
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            unpin()
