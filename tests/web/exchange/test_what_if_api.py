"""The request API takes the what-if switches (``assume_in_force``, ``assume_ratified``), so that an
order under the Second Additional Protocol can be rehearsed through the API on an exercise
instance: the route advice records them, and what is delivered is stamped as an exercise."""

from __future__ import annotations

from typing import Any

import pytest

from cyberspex.web.accounts.models import Role
from cyberspex.web.exchange.delivery import EXERCISE_MARK
from cyberspex.web.exchange.models import Delivery, DeliveryRole
from tests.web.conftest import Api, Org
from tests.web.helpers import form_data, make_case


def art7_body(provider_de: Org, **switches: Any) -> dict[str, Any]:
    return {
        "form_id": "2ap-7-order",
        "data": form_data("2ap-7-order", "DE"),
        "recipient_organisation": provider_de.organisation.pk,
        **switches,
    }


@pytest.mark.usefixtures("exercise_instance")
def test_an_art7_order_drafted_with_the_switches_through_the_api_records_them_and_is_delivered_as_an_exercise(
    rs: Org, provider_de: Org, bfj: Org, api: Api
) -> None:
    prosecutor = rs[Role.PROSECUTOR]
    body = art7_body(provider_de, assume_in_force=True, assume_ratified=["RS", "DE"])
    made = api.post(f"/cases/{make_case(prosecutor).pk}/requests", body, prosecutor)
    assert made.status_code == 201, made.json()
    switches = made.json()["route_advice"]["what_if"]
    assert switches["active"] is True
    assert switches["assume_in_force"] is True
    assert set(switches["assume_ratified"]) == {"RS", "DE"}
    issued = api.post(f"/requests/{made.json()['id']}/transitions", {"state": "issued"}, prosecutor)
    assert issued.status_code == 200, issued.json()
    deliveries = {d.role: d for d in Delivery.objects.filter(request_id=made.json()["id"])}
    assert {d.organisation for d in deliveries.values()} == {provider_de.organisation, bfj.organisation}
    assert deliveries[DeliveryRole.NOTIFIED].role == DeliveryRole.NOTIFIED
    assert all(d.exercise and d.content["exercise"] == EXERCISE_MARK for d in deliveries.values())


def test_without_the_switches_the_api_records_no_what_if(rs: Org, provider_de: Org, api: Api) -> None:
    prosecutor = rs[Role.PROSECUTOR]
    made = api.post(f"/cases/{make_case(prosecutor).pk}/requests", art7_body(provider_de), prosecutor)
    assert made.status_code == 201, made.json()
    assert made.json()["route_advice"]["what_if"]["active"] is False


def test_a_state_assumed_to_have_ratified_that_is_not_a_state_is_refused(rs: Org, provider_de: Org, api: Api) -> None:
    prosecutor = rs[Role.PROSECUTOR]
    case = make_case(prosecutor)
    refused = api.post(f"/cases/{case.pk}/requests", art7_body(provider_de, assume_ratified=["XX"]), prosecutor)
    assert refused.status_code == 422, refused.json()
    assert "XX" in refused.json()["message"]
    assert not case.requests.exists()
