"""Fixtures shared by the federation tests."""

from __future__ import annotations

import pytest

from cyberspex.web.federation import trust
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW


@pytest.fixture
def remote() -> Remote:
    """A peer instance played by the test, trusted by this one."""
    remote = Remote()
    trust.add(remote.document(), now=NOW)
    return remote
