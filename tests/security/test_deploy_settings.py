"""Production settings pass Django's deployment check, and HTTPS behind a proxy is trusted only
when configured.

The production environment below is the one docs/configuration.md shows ("Production
set-up"); each test runs Django in a separate process with exactly that environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "q8Yz3vW-Nf0rT2kLm9PxA7sD4hJ6uB1cE5gR8iO0pK3nV6wX9yZ2aQ5tU7eH1jM4oI8",
    "ALLOWED_HOSTS": "cyberspex.example.org",
    "SITE_ROOT": "https://cyberspex.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cyberspex.example.org",
    "TRUSTED_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
    "SECURE_HSTS_PRELOAD": "True",
}


def django(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", *PRODUCTION)}
    environment = {**base, "DJANGO_SETTINGS_MODULE": "cyberspex.web.settings", "CYBERSPEX_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=environment, timeout=120, check=False)


def test_the_production_settings_pass_djangos_deployment_check_with_no_warning(tmp_path: Path) -> None:
    run = django(tmp_path, "-m", "django", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert run.returncode == 0, run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout


def test_the_deployment_check_does_bite_when_https_is_not_configured(tmp_path: Path) -> None:
    without_https = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_") and k != "SITE_ROOT"}
    run = django(tmp_path, "-m", "django", "check", "--deploy", "--fail-level", "WARNING", **without_https)
    assert run.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in run.stderr


SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE]))"
)


def test_by_default_no_proxy_header_is_trusted_and_no_https_is_forced(tmp_path: Path) -> None:
    run = django(tmp_path, "-c", SHOW)
    assert json.loads(run.stdout) == [None, 0, False, False]


def test_the_proxy_header_hsts_and_the_redirect_are_taken_from_the_environment(tmp_path: Path) -> None:
    run = django(tmp_path, "-c", SHOW, **PRODUCTION)
    assert json.loads(run.stdout) == [["HTTP_X_FORWARDED_PROTO", "https"], 31536000, True, True]


@pytest.mark.parametrize("value", ["X-Forwarded-Proto: https", "X_Forwarded_Proto", "X Forwarded"])
def test_a_proxy_header_that_is_not_a_header_name_is_refused(tmp_path: Path, value: str) -> None:
    run = django(tmp_path, "-c", SHOW, TRUSTED_PROXY_SSL_HEADER=value)
    assert run.returncode != 0
    assert "TRUSTED_PROXY_SSL_HEADER must be an HTTP header name such as X-Forwarded-Proto" in run.stderr


HTTPS_BEHIND_A_PROXY = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": False,
}


@pytest.mark.django_db
def test_behind_the_proxy_https_pages_get_hsts_plain_http_is_redirected_and_the_health_check_is_not() -> None:
    from django.test import Client, override_settings  # noqa: PLC0415  # Django is configured by pytest-django

    with override_settings(**HTTPS_BEHIND_A_PROXY):
        client = Client()
        secure = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
        plain = client.get("/accounts/login/")
        health = client.get("/healthz")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/accounts/login/")
    assert health.status_code == 200
    assert "Strict-Transport-Security" not in plain.headers
