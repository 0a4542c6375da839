"""Fixtures and options of the whole suite.

The suite runs in parallel (pytest-xdist, ``make test``: one worker process per core, tests
shared out with work stealing, so one file's tests may run on several workers) and serially
(``-n 0``) alike. To stay safe in parallel, a test keeps what it
writes and starts to itself: files under ``tmp_path`` (never a fixed folder), a port from the
system (``tests.reliability.serving.free_port``, ``live_server``), a PostgreSQL database or role
named after its process (``os.getpid()``: each worker is a process of its own), the environment
changed with ``monkeypatch`` only, and caches warmed or cleared by fixtures, not at import.
See "Tests in parallel" in docs/testing.md.
"""

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-passed",
        action="store_true",
        help="fail the run (exit status 5) when no test passed: none collected, or every one skipped (make test, .ci/run)",
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``--require-passed``, a run that passed no test is not a success: e.g. a path that
    matches nothing, or a phase of .ci/run whose every test skipped for want of a service."""
    if not session.config.getoption("--require-passed") or hasattr(session.config, "workerinput"):
        return  # not asked, or an xdist worker: the controller, which sees every report, decides
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    passed = len(reporter.stats.get("passed", [])) if reporter is not None else 0
    if exitstatus == pytest.ExitCode.OK and passed == 0:
        if reporter is not None:
            reporter.write("\n")
            reporter.write_sep("=", "error: --require-passed: no test passed (none collected, or every one skipped)", red=True)
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


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
