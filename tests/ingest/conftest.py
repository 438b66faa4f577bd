"""The local HTTP server speaking E-utilities and ClinicalTrials.gov v2, shared with the client tests."""

from tests.evidence.sources.test_live_clients import apis  # noqa: F401 (fixture)
