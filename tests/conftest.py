from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from datetime import date

import pytest

from cyberspex.law.model import ReferenceData
from cyberspex.refdata.loader import load_reference_data

# The reference-data cache (refdata/cache.py) of the tests goes to a folder of their own, never
# the user's ~/.cache; set before anything loads the data, and inherited by the commands the
# tests run in subprocesses.
if "CYBERSPEX_CACHE_DIR" not in os.environ:
    os.environ["CYBERSPEX_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="cyberspex-test-cache-")
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# A fixed date for every test that needs "today": the core never reads the clock.
AS_OF = date(2026, 11, 28)


@pytest.fixture(scope="session")
def data() -> ReferenceData:
    return load_reference_data()
