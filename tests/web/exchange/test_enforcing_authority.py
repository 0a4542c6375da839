"""The enforcing authority notified of an EPOC for traffic data (Regulation (EU) 2023/1543 Art 8):
its review clock (Art 12(1): 10 days) is the request's deadline from the route advice, seen by both
sides; raising a ground for refusal blocks the addressee, which is told not to transfer the data and
never the reasons; confirming that no ground is raised closes the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.cases.models import Request
from cyberspex.web.exchange import decisions
from cyberspex.web.exchange.decision_clock import decision_clock
from cyberspex.web.exchange.models import Decision, DeliveryRole, DeliveryStatus
from tests.web.conftest import Api, Org
from tests.web.exchange.orders import delivery, epoc_issued
from tests.web.helpers import NOW, verified_session

pytestmark = pytest.mark.django_db

REASONS = "The account belongs to a journalist; source protection applies. Reasons-3391"


@pytest.fixture
def epoc(fr: Org, provider_de: Org, bfj: Org) -> Request:  # noqa: ARG001  # bfj receives it
    return epoc_issued(fr, provider_de)


def page(user, path: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    verified_session(client, user)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_an_epoc_for_traffic_data_reaches_the_addressee_and_the_enforcing_authority(
    epoc: Request, provider_de: Org, bfj: Org
) -> None:
    assert delivery(epoc, DeliveryRole.ADDRESSEE).organisation == provider_de.organisation
    assert delivery(epoc, DeliveryRole.ENFORCING).organisation == bfj.organisation


def test_the_review_clock_is_the_route_advice_deadline_of_art_12_1(epoc: Request, fr: Org, bfj: Org, api: Api) -> None:
    to_authority = delivery(epoc, DeliveryRole.ENFORCING)
    clock = decision_clock(to_authority, NOW + timedelta(days=3))
    assert clock is not None
    assert clock.deadline is not None
    assert clock.deadline.rule == "reg.epoc.art12.1.review"
    assert clock.due_at == NOW + timedelta(days=10)
    assert clock.left == timedelta(days=7)
    assert clock.period.verified
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        body = api.get(f"/inbox/{to_authority.pk}/decisions", bfj[Role.NOTIFIED_AUTHORITY]).json()
        authority_page = page(bfj[Role.NOTIFIED_AUTHORITY], f"/inbox/{to_authority.pk}/")
        issuer_page = page(fr[Role.JUDGE], f"/requests/{epoc.pk}/")
    assert body["clock"]["from_route_advice"]
    assert body["clock"]["left_seconds"] == 7 * 86400
    assert body["clock"]["citation"] == "Regulation (EU) 2023/1543 Art 12(1)"
    assert [g["code"] for g in body["grounds"]] == ["12.1.a", "12.1.b", "12.1.c", "12.1.d"]
    for html in (authority_page, issuer_page):
        assert "Decision clock" in html
        assert "3\xa0days" in html
        assert "1\xa0week" in html


def test_without_an_advice_deadline_the_clock_comes_from_the_reference(epoc: Request) -> None:
    epoc.deadlines.filter(rule__startswith="reg.epoc.art12").delete()
    clock = decision_clock(delivery(epoc, DeliveryRole.ENFORCING), NOW)
    assert clock is not None
    assert clock.deadline is None
    assert clock.due_at == NOW + timedelta(days=10)
    epoc.data["emergency"] = "life"
    epoc.save(update_fields=["data"])
    clock = decision_clock(delivery(epoc, DeliveryRole.ENFORCING), NOW)
    assert clock is not None
    assert clock.due_at == NOW + timedelta(hours=96)


def test_a_ground_for_refusal_blocks_the_addressee_and_its_reasons_reach_the_issuing_side_only(
    epoc: Request, fr: Org, provider_de: Org, bfj: Org, api: Api
) -> None:
    to_authority, to_addressee = delivery(epoc, DeliveryRole.ENFORCING), delivery(epoc, DeliveryRole.ADDRESSEE)
    answer = api.post(
        f"/inbox/{to_authority.pk}/decisions",
        {"kind": "ground_for_refusal", "grounds": ["12.1.a"], "reasons": REASONS},
        bfj[Role.NOTIFIED_AUTHORITY],
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["kind"] == "ground_for_refusal"
    assert answer.json()["late"] is False

    to_addressee.refresh_from_db()
    assert to_addressee.status == DeliveryStatus.BLOCKED
    assert "Art 12(1)" in to_addressee.blocked_reason
    assert "Do not transfer the data" in to_addressee.blocked_reason
    assert "not yet verified" in to_addressee.blocked_reason
    addressee_page = page(provider_de[Role.RESPONDER], f"/inbox/{to_addressee.pk}/")
    addressee_api = api.get(f"/inbox/{to_addressee.pk}", provider_de[Role.RESPONDER]).content.decode()
    assert "Do not transfer the data" in addressee_page
    assert "Reasons-3391" not in addressee_page + addressee_api

    issuer_page = page(fr[Role.JUDGE], f"/requests/{epoc.pk}/")
    assert "Reasons-3391" in issuer_page
    assert "12.1.a" in issuer_page
    review = epoc.deadlines.get(rule="reg.epoc.art12.1.review")
    assert review.done_at == NOW
    assert "enforcing authority decided" in review.done_reason


def test_no_ground_leaves_the_addressee_free_and_closes_the_review_clock(epoc: Request, bfj: Org) -> None:
    to_authority = delivery(epoc, DeliveryRole.ENFORCING)
    taken = decisions.no_ground(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_authority.pk, now=NOW + timedelta(days=2))
    assert taken.blocked is None
    assert not taken.late
    assert delivery(epoc, DeliveryRole.ADDRESSEE).status == DeliveryStatus.DELIVERED
    assert delivery(epoc, DeliveryRole.ENFORCING).status == DeliveryStatus.DECIDED
    assert epoc.deadlines.get(rule="reg.epoc.art12.1.review").done_at == NOW + timedelta(days=2)


def test_a_ground_raised_after_the_time_limit_is_recorded_as_late(epoc: Request, bfj: Org) -> None:
    to_authority = delivery(epoc, DeliveryRole.ENFORCING)
    taken = decisions.raise_ground_for_refusal(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_authority.pk,
        grounds=["12.1.c"],
        reasons=REASONS,
        now=NOW + timedelta(days=11),
    )
    assert taken.late
    assert AuditEntry.objects.order_by("-seq").first().details["late"] is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"kind": "ground_for_refusal", "grounds": ["12.1.a"], "reasons": ""}, 422, "reasons"),
        ({"kind": "ground_for_refusal", "grounds": ["7.5.c.i"], "reasons": REASONS}, 422, "grounds"),
        ({"kind": "non_disclosure", "grounds": ["7.5.c.i"], "reasons": REASONS}, 409, "kind"),
        ({"kind": "no_objection"}, 409, "kind"),
    ],
)
def test_what_the_enforcing_authority_cannot_decide_is_refused_and_changes_nothing(
    epoc: Request, bfj: Org, api: Api, *, body: dict[str, object], status: int, field: str
) -> None:
    to_authority = delivery(epoc, DeliveryRole.ENFORCING)
    answer = api.post(f"/inbox/{to_authority.pk}/decisions", body, bfj[Role.NOTIFIED_AUTHORITY])
    assert answer.status_code == status
    assert answer.json()["field"] == field
    assert not Decision.objects.exists()
    assert delivery(epoc, DeliveryRole.ADDRESSEE).status == DeliveryStatus.DELIVERED
    assert epoc.deadlines.get(rule="reg.epoc.art12.1.review").done_at is None
    assert AuditEntry.objects.order_by("-seq").first().details["action"] == "decision_refused"  # type: ignore[union-attr]


def test_refusals_by_another_organisation_a_role_without_the_right_and_a_second_decision(
    epoc: Request, fr: Org, provider_de: Org, bfj: Org, api: Api
) -> None:
    to_authority, to_addressee = delivery(epoc, DeliveryRole.ENFORCING), delivery(epoc, DeliveryRole.ADDRESSEE)
    assert api.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "no_ground"}, fr[Role.JUDGE]).status_code == 404
    assert api.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "no_ground"}, bfj[Role.RESPONDER]).status_code == 403
    assert api.post(f"/inbox/{to_addressee.pk}/decisions", {"kind": "no_ground"}, provider_de[Role.RESPONDER]).status_code == 403
    assert not Decision.objects.exists()
    assert api.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "no_ground"}, bfj[Role.NOTIFIED_AUTHORITY]).status_code == 201
    second = api.post(
        f"/inbox/{to_authority.pk}/decisions",
        {"kind": "ground_for_refusal", "grounds": ["12.1.a"], "reasons": REASONS},
        bfj[Role.NOTIFIED_AUTHORITY],
    )
    assert second.status_code == 409
    assert delivery(epoc, DeliveryRole.ADDRESSEE).status == DeliveryStatus.DELIVERED
    refused = [e.details["status"] for e in AuditEntry.objects.order_by("seq") if e.details.get("action") == "decision_refused"]
    assert refused == [404, 403, 403, 409]
