"""The OpenAPI schema and the documentation page, served from the project (no CDN)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_every_endpoint(client):
    schema = client.get("/api/schema/").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/conditions/",
        "/api/v1/studies/",
        "/api/v1/studies/{slug}/",
        "/api/v1/highlights/",
        "/api/v1/practitioners/",
        "/api/v1/imports/identifier/",
        "/api/v1/imports/file/",
    ):
        assert path in schema["paths"], path
    assert "EditorToken" in schema["components"]["securitySchemes"]
    practitioner = schema["components"]["schemas"]["PractitionerOut"]["properties"]
    assert "email" not in practitioner and "user" not in practitioner


def test_docs_page_loads_swagger_ui_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/") for s in sources), sources
    assert '"validatorUrl": null' in html
