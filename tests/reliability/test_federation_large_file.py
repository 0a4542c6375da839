"""A 1 GB produced file between two instances on loopback, broken once and resumed, arriving with
the same SHA-256 while the sender's memory stays bounded: the scenario of
tests/web/federation/test_two_instances_files.py (50 MB in `make test`) at the size issue 13
names, under `make soak` only (CYBERSPEX_FUZZ_PROFILE=soak); about 4 GB of free disk space in the
temporary directory (the sealed source, the staging, the file received)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.federation.test_two_instances_files import MB, assert_sent_resumed_and_equal, exchange_a_large_file

GB = 1024 * MB


@pytest.mark.skipif(os.environ.get("CYBERSPEX_FUZZ_PROFILE") != "soak", reason="1 GB across instances: `make soak` only")
def test_a_1_gb_file_broken_once_resumes_and_arrives_with_the_same_sha256_in_bounded_memory(tmp_path: Path) -> None:
    assert_sent_resumed_and_equal(exchange_a_large_file(tmp_path, GB), GB)
