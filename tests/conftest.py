from __future__ import annotations

from datetime import date

import pytest

from cyberspex.law.model import ReferenceData
from cyberspex.refdata.loader import load_reference_data

# A fixed date for every test that needs "today": the core never reads the clock.
AS_OF = date(2026, 11, 28)


@pytest.fixture(scope="session")
def data() -> ReferenceData:
    return load_reference_data()
