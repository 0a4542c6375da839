"""Issued requests that reach an authority besides the addressee: an Art 7 order with the
Art 7(5)(a) notification (Serbia to a provider in Germany, rehearsed), and an EPOC for traffic data
with the notification of the enforcing authority (France to a provider in Germany)."""

from __future__ import annotations

from datetime import datetime

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from cyberspex.web.exchange.models import Delivery, DeliveryRole
from tests.web.conftest import Org
from tests.web.helpers import NOW, form_data, make_case, move


def art7_issued(rs: Org, provider_de: Org, what_if: WhatIf, *, now: datetime = NOW) -> Request:
    case = make_case(rs[Role.PROSECUTOR], now=now)
    data = form_data("2ap-7-order", "DE")
    data["notification_made"] = True
    made, _ = services.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=case.pk,
        form_id="2ap-7-order",
        data=data,
        now=now,
        what_if=what_if,
        recipient_organisation=provider_de.organisation.pk,
    )
    return move(rs[Role.PROSECUTOR], made, "issued", now=now)


def epoc_issued(fr: Org, provider_de: Org, *, now: datetime = NOW, reference: str = "PAR-2026-00412") -> Request:
    """An EPOC for traffic data, issued by a judge (Regulation (EU) 2023/1543 Art 4(2)), the
    enforcing authority of Germany notified at the same time (Art 8(1)), in a new case."""
    case = make_case(fr[Role.JUDGE], reference, now=now)
    data = form_data("eu-epoc", "DE")
    data["addressee"]["name"] = provider_de.organisation.name
    data["issuing_authority_type"] = "judge_court"
    data["art5_4_ground"] = "max_penalty_3_years"
    data["data_sought"]["category"] = "traffic"
    data["data_sought"]["description"] = "Connection logs (IP addresses, dates and times) of the account"
    data["enforcing_notified"] = True
    data["enforcing_authority"] = {
        "name": "Bundesamt für Justiz",
        "address": "Adenauerallee 99-103, 53113 Bonn",
        "country": "DE",
        "contact": {"person": "Referat III 2", "phone": "+49228000000", "email": "enforcing@bfj.example"},
    }
    made, _ = services.request_draft(
        user=fr[Role.JUDGE],
        case_id=case.pk,
        form_id="eu-epoc",
        data=data,
        now=now,
        recipient_organisation=provider_de.organisation.pk,
    )
    return move(fr[Role.JUDGE], made, "issued", now=now)


def delivery(request: Request, role: DeliveryRole) -> Delivery:
    return Delivery.objects.get(request=request, role=role)
