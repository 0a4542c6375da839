"""Fixtures shared by the federation tests."""

from __future__ import annotations

import pytest

from cyberspex.web.federation import trust

# The exchange tests' organisations and their peer b.example, as fixtures here too (test_issuer_actions.py).
from tests.web.exchange.conftest import bfj, rehearsal, rs  # noqa: F401
from tests.web.exchange.test_remote import peer_b  # noqa: F401
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW


@pytest.fixture
def remote() -> Remote:
    """A peer instance played by the test, trusted by this one."""
    remote = Remote()
    trust.add(remote.document(), now=NOW)
    return remote
