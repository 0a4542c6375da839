"""The request page of an issued Article 8 order offers to record service on the provider
(CETS 224 Art 8(6)(a)); the deadline list then shows the provider's return clock."""

from __future__ import annotations

import pytest
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from tests.web.conftest import Org
from tests.web.helpers import NOW, form_data, make_case, move
from tests.web.pages.conftest import logged_in

# The Protocol is not in force yet: its orders are drafted under what-if assumptions, which only an
# instance in exercise mode may issue.
pytestmark = pytest.mark.usefixtures("exercise_instance")

IN_FORCE = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))


def issued_article_8_order(org: Org) -> Request:
    prosecutor = org[Role.PROSECUTOR]
    made, _ = services.request_draft(
        user=prosecutor,
        case_id=make_case(prosecutor).pk,
        form_id="2ap-8-order",
        data=form_data("2ap-8-order", "US"),
        now=NOW,
        what_if=IN_FORCE,
    )
    return move(prosecutor, made, "issued")


def test_before_service_the_page_shows_the_45_days_to_serve_and_a_button_to_record_service(browser: Client, fr: Org) -> None:
    order = issued_article_8_order(fr)
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(f"/requests/{order.pk}/").content.decode()
    assert "Record service on the provider" in page
    assert "CETS 224 Art 8(6)(a)</td>" in page
    assert "CETS 224 Art 8(6)(a)(ii)" not in page


def test_recording_service_on_the_page_starts_the_providers_45_days_for_traffic_data(browser: Client, fr: Org) -> None:
    order = issued_article_8_order(fr)
    logged_in(browser, fr[Role.PROSECUTOR])
    response = browser.post(f"/requests/{order.pk}/service/", {"service-served_at": "2026-11-28T09:00", "service-note": ""})
    assert response["Location"] == f"/requests/{order.pk}/"
    page = browser.get(f"/requests/{order.pk}/").content.decode()
    assert "2027-01-12 10:00 CET" in page  # 45 days after service on 2026-11-28 09:00 UTC, shown in Brussels time
    assert "CETS 224 Art 8(6)(a)(ii)" in page
    assert "Record service on the provider" not in page
    assert "Served on the provider" in page


def test_a_service_date_in_the_future_is_refused_on_the_page(browser: Client, fr: Org) -> None:
    order = issued_article_8_order(fr)
    logged_in(browser, fr[Role.PROSECUTOR])
    response = browser.post(f"/requests/{order.pk}/service/", {"service-served_at": "2026-12-05T09:00"})
    assert response.status_code == 422
    assert "in advance" in response.content.decode()
    assert Request.objects.get(pk=order.pk).served_at is None
