"""The API documentation works in a real browser with no network but the instance itself.

Playwright drives Debian's Chromium against the live server; every request to any other
origin is refused by the test (as if the machine were offline). The page must list the API's
operations, load nothing from elsewhere, and trip no Content-Security-Policy violation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.e2e.browser import new_page


@pytest.fixture
def browser_page() -> Iterator[Any]:
    with new_page(locale="en-GB") as page:
        yield page


def test_the_api_documentation_lists_the_operations_offline_under_the_policy(
    transactional_db: None,  # noqa: ARG001  # the live server's database
    live_server: Any,
    browser_page: Any,
) -> None:
    base = live_server.url
    elsewhere: list[str] = []
    violations: list[str] = []

    def only_the_instance(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    browser_page.route("**/*", only_the_instance)
    browser_page.on(
        "console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None
    )
    browser_page.goto(f"{base}/api/v1/docs")
    browser_page.locator(".opblock-summary-path", has_text="/api/v1/routes").first.wait_for(timeout=15000)
    paths = set(browser_page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/routes", "/api/v1/cases", "/api/v1/tokens"} <= {p.replace("\u200b", "") for p in paths}
    # Opening an operation draws its parameters (Swagger UI's icons are data: images).
    browser_page.locator(".opblock-summary", has_text="/api/v1/routes").first.click()
    browser_page.locator(".parameters-container").first.wait_for(timeout=15000)
    browser_page.wait_for_timeout(500)
    assert elsewhere == []
    assert violations == []
