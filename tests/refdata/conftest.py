"""Fixtures of the reference-data tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cyberspex.refdata.loader import data_root


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(Path(str(data_root())), target)
    return target
