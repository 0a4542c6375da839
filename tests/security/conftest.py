"""The personas of the web tests (tests/web/conftest.py), for the security tests."""

from __future__ import annotations

from tests.web.conftest import Api, api, clock, de, fr, produced_files, provider, rate_counters

__all__ = ["Api", "api", "clock", "de", "fr", "produced_files", "provider", "rate_counters"]
