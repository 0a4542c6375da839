"""The personas of the web tests (tests/web/conftest.py) are available here as well."""

from tests.web.conftest import Api, api, clock, de, fr, provider  # noqa: F401  # re-exported fixtures

__all__ = ["Api"]
