from __future__ import annotations

from datetime import date

import pytest

from cyberspex.law.model import ReferenceData
from cyberspex.refdata.loader import load_reference_data

# A fixed date for every test that needs "today": the core never reads the clock.
AS_OF = date(2026, 11, 28)


def pytest_configure(config: pytest.Config) -> None:  # noqa: ARG001  # pytest's hook signature
    """Static files as found in the source, under their own names: the tests run without
    ``collectstatic``. Hashed names and their caching are tested with a collected copy
    (tests/web/test_static_files.py) and by ``cyberspex serve`` itself (tests/security/test_serve.py)."""
    from django.conf import settings  # noqa: PLC0415  # pytest-django has configured Django by now

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = True  # found where they are, at each request
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(scope="session")
def data() -> ReferenceData:
    return load_reference_data()
