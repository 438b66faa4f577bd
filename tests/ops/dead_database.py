"""A database that cannot be reached (a closed port on loopback), for outage tests.

Connecting to it raises Django's real ``OperationalError``: nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import path

from tests.ops.pgcluster import free_port


def query_dead_database() -> None:
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "nothing",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": str(free_port()),
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def view_needing_the_database(request: HttpRequest) -> HttpResponse:
    query_dead_database()
    return HttpResponse("unreachable")


class DeadDatabaseMiddleware:
    """Queries the dead database before any view runs (as session or auth middleware would)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        query_dead_database()
        return self.get_response(request)


urlpatterns = [path("needs-database/", view_needing_the_database)]
handler500 = "acuevidence.ops.views.server_error"
