"""Static files as ``cyberspex serve`` serves them: collected under names that carry a hash of
their content, written so into the pages by ``{% static %}``, and answered before any session
or database work with a year of immutable caching, ETag/304, and nothing outside the collected
files (web/static_files.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

IMMUTABLE = {"public", "max-age=31536000", "immutable"}


def directives(cache_control: str) -> set[str]:
    return {part.strip() for part in cache_control.split(",")}


@pytest.fixture
def collected(tmp_path: Path) -> Iterator[Path]:
    """The static files collected into a folder of the test's own, as ``serve`` does, and served
    from there only (not found anew at each request, as in the other tests)."""
    root = tmp_path / "static"
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={**settings.STORAGES, "staticfiles": manifest},
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def stylesheet(client: Client) -> str:
    page = client.get("/glossary/").content.decode()
    found = re.search(r'href="(/static/site\.[0-9a-f]{12}\.css)"', page)
    assert found, "the page names the style sheet by its hashed name"
    return found[1]


@pytest.mark.django_db
def test_pages_name_static_files_by_a_hash_of_their_content(collected: Path) -> None:
    client = Client()
    url = stylesheet(client)
    assert (collected / url.removeprefix("/static/")).read_bytes() == (
        Path(settings.STATICFILES_DIRS[0]) / "site.css"
    ).read_bytes()


@pytest.mark.django_db
@pytest.mark.usefixtures("collected")
def test_a_hashed_file_may_be_kept_a_year_and_is_sent_without_any_database_work() -> None:
    client = Client()
    url = stylesheet(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert directives(response["Cache-Control"]) == IMMUTABLE
    assert response["Content-Type"].startswith("text/css")
    assert b":focus-visible" in body(response)
    assert queries.captured_queries == []
    assert not Session.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("collected")
def test_a_hashed_file_asked_again_with_its_etag_is_not_sent_again() -> None:
    client = Client()
    url = stylesheet(client)
    etag = client.get(url)["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert body(again) == b""


@pytest.mark.django_db
@pytest.mark.usefixtures("collected")
def test_a_file_asked_by_its_plain_name_is_kept_a_minute_only() -> None:
    response = Client().get("/static/site.css")
    assert response.status_code == 200
    assert directives(response["Cache-Control"]) == {"public", "max-age=60"}


@pytest.mark.django_db
@pytest.mark.usefixtures("collected")
@pytest.mark.parametrize(
    "path",
    ["/static/", "/static/ninja/", "/static/../settings.py", "/static/%2e%2e/settings.py", "/static/missing.css"],
)
def test_nothing_but_a_collected_file_is_served(path: str) -> None:
    assert Client().get(path).status_code == 404


@pytest.mark.django_db
def test_the_api_documentation_loads_swagger_ui_by_hashed_names(collected: Path) -> None:
    page = Client().get("/api/v1/docs").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert [re.sub(r"\.[0-9a-f]{12}\.", ".", s) for s in scripts] == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    for script in scripts:
        assert (collected / script.removeprefix("/static/")).is_file()
        assert directives(Client().get(script)["Cache-Control"]) == IMMUTABLE
