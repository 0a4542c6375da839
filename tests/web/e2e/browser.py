"""Debian's Chromium, driven by Playwright, as every browser test launches it.

Runs where /usr/bin/chromium exists (.ci/run installs it); on CI a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless as root, and no background connections: this machine's network is closed.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


@contextmanager
def new_page(**context: Any) -> Iterator[Any]:
    """A page of a fresh browser context (``context``: Playwright's ``new_context`` options)."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_context(**context).new_page()
        finally:
            browser.close()
