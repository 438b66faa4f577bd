"""Property-based conformance of the live API to its own OpenAPI schema (schemathesis).

A real HTTP server (pytest-django's ``live_server``) serves a small published
corpus; schemathesis reads ``/api/schema/`` from it and, for every operation,
sends generated requests that fit the schema and requests that do not. Every
response must be documented (status code, content type, body shape) and none
may be a server error. The example budget is small so the run stays well under
a minute. (Schemathesis's own pytest plugin is not used: its lazy-fixture mode
does not run under pytest 9, so the operations are driven with Hypothesis here.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

MAX_EXAMPLES = 6

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _exercise(operation: Any, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate()

    run()


def test_api_conforms_to_its_schema_and_never_fails(
    live_server: Any, corpus: Any, practitioners: Any, settings: Any
) -> None:
    settings.ACUEVIDENCE_API_ANON_RATE = "100000/min"
    cache.clear()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        _exercise(operation, GenerationMode.POSITIVE)
        try:
            _exercise(operation, GenerationMode.NEGATIVE)
        except Unsatisfiable:
            # Nothing in this operation's schema can be violated (e.g. a free-form string).
            continue
