"""Bearer-token authentication for the editors' write endpoints.

Tokens are Wagtail's ``APIToken`` (hashed, revocable, shown once); this adds the
rule that only users allowed to import studies may use the import endpoints.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.api.v3.auth import BearerTokenAuth

EDITOR_PERMISSION = "research.add_study"


class EditorToken(BearerTokenAuth):
    """``Authorization: Bearer <token>`` of an active user who may import studies."""

    openapi_description = (
        "A Wagtail API token (admin: Account > API tokens, or "
        "`manage.py api_tokens create --user USER --name NAME`) of an editor."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = super().authenticate(request, token)
        if api_token is None or not request.user.has_perm(EDITOR_PERMISSION):
            return None
        return api_token
