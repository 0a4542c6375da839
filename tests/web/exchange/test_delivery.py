"""Issuing a request addressed to an organisation on the instance delivers it, signed, to every
recipient its route names, each with the package it may see."""

from __future__ import annotations

import pytest

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Case
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import decisions, selectors
from cyberspex.web.exchange.models import Delivery, DeliveryRole, DeliveryStatus, ReceiptKind
from tests.web.conftest import Org
from tests.web.helpers import NOW, form_data, make_case, move

pytestmark = pytest.mark.django_db


def art7_order(rs: Org, provider_de: Org, what_if: WhatIf, *, notified: bool = True, case: Case | None = None):  # type: ignore[no-untyped-def]
    case = case or make_case(rs[Role.PROSECUTOR])
    data = form_data("2ap-7-order", "DE")
    data["notification_made"] = notified
    made, _ = services.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=case.pk,
        form_id="2ap-7-order",
        data=data,
        now=NOW,
        what_if=what_if,
        recipient_organisation=provider_de.organisation.pk,
    )
    return made


def test_an_art7_order_goes_to_the_provider_and_at_the_same_time_to_the_notified_authority(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    order = art7_order(rs, provider_de, rehearsal)
    move(rs[Role.PROSECUTOR], order, "issued")
    deliveries = {d.role: d for d in Delivery.objects.filter(request=order)}
    assert set(deliveries) == {DeliveryRole.ADDRESSEE, DeliveryRole.NOTIFIED}
    to_provider, to_authority = deliveries[DeliveryRole.ADDRESSEE], deliveries[DeliveryRole.NOTIFIED]
    assert to_provider.organisation == provider_de.organisation
    assert to_authority.organisation == bfj.organisation
    assert to_provider.delivered_at == to_authority.delivered_at == NOW
    assert "summary_of_facts" not in to_provider.content
    assert "summary_of_facts" in to_authority.content
    assert to_provider.exercise
    assert to_provider.content["exercise"].startswith("EXERCISE")
    assert [r.kind for r in to_provider.receipts.all()] == [ReceiptKind.DELIVERED]


@pytest.mark.usefixtures("bfj")
def test_without_notification_only_the_provider_receives_the_order(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    order = art7_order(rs, provider_de, rehearsal, notified=False)
    move(rs[Role.PROSECUTOR], order, "issued")
    assert [d.organisation for d in Delivery.objects.filter(request=order)] == [provider_de.organisation]


@pytest.mark.usefixtures("bfj")
def test_a_delivered_package_verifies_and_a_tampered_one_does_not(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    order = art7_order(rs, provider_de, rehearsal)
    move(rs[Role.PROSECUTOR], order, "issued")
    delivery = Delivery.objects.get(request=order, role=DeliveryRole.ADDRESSEE)
    assert selectors.verification(delivery).verified

    delivery.content["data_sought"] = "everything"
    assert not selectors.verification(delivery).verified
    assert "changed after signing" in selectors.verification(delivery).reason

    delivery.refresh_from_db()
    delivery.document = bytes(delivery.document) + b"%tampered"
    assert not selectors.verification(delivery).verified


def test_an_addressee_that_is_not_a_provider_of_that_state_is_refused_at_drafting(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    case = make_case(rs[Role.PROSECUTOR])
    with pytest.raises(ApplicationError, match="is not a service provider"):
        services.request_draft(
            user=rs[Role.PROSECUTOR],
            case_id=case.pk,
            form_id="2ap-7-order",
            data=form_data("2ap-7-order", "DE"),
            now=NOW,
            what_if=rehearsal,
            recipient_organisation=bfj.organisation.pk,
        )
    with pytest.raises(ApplicationError, match="not in FR"):
        services.request_draft(
            user=rs[Role.PROSECUTOR],
            case_id=case.pk,
            form_id="2ap-7-order",
            data=form_data("2ap-7-order", "FR"),
            now=NOW,
            what_if=rehearsal,
            recipient_organisation=provider_de.organisation.pk,
        )


def test_the_provider_sees_its_item_and_the_other_organisations_do_not(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    order = art7_order(rs, provider_de, rehearsal)
    move(rs[Role.PROSECUTOR], order, "issued")
    assert [d.role for d in selectors.inbox(user=provider_de[Role.RESPONDER])] == [DeliveryRole.ADDRESSEE]
    assert [d.role for d in selectors.inbox(user=bfj[Role.NOTIFIED_AUTHORITY])] == [DeliveryRole.NOTIFIED]
    assert list(selectors.inbox(user=rs[Role.PROSECUTOR])) == []
    notified = Delivery.objects.get(request=order, role=DeliveryRole.NOTIFIED)
    with pytest.raises(ApplicationError):
        selectors.delivery_get(user=provider_de[Role.RESPONDER], delivery_id=notified.pk)


@pytest.mark.usefixtures("bfj")
def test_the_recipient_reads_signature_not_verified_when_the_stored_package_was_changed(
    rs: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    from django.test import Client  # noqa: PLC0415

    from tests.web.helpers import verified_session  # noqa: PLC0415

    order = art7_order(rs, provider_de, rehearsal)
    move(rs[Role.PROSECUTOR], order, "issued")
    delivery = Delivery.objects.get(request=order, role=DeliveryRole.ADDRESSEE)
    client = Client()
    verified_session(client, provider_de[Role.RESPONDER])
    assert "Signature verified" in client.get(f"/inbox/{delivery.pk}/").content.decode()

    Delivery.objects.filter(pk=delivery.pk).update(content={**delivery.content, "legal_grounds": "none at all"})
    page = client.get(f"/inbox/{delivery.pk}/").content.decode()
    assert "Signature not verified" in page
    assert "changed after signing" in page


def test_a_package_signed_with_another_organisations_key_is_not_verified(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    from cyberspex.web.exchange import signing  # noqa: PLC0415

    order = art7_order(rs, provider_de, rehearsal)
    move(rs[Role.PROSECUTOR], order, "issued")
    delivery = Delivery.objects.get(request=order, role=DeliveryRole.ADDRESSEE)
    forged_key = signing.current_key(bfj.organisation, NOW)
    delivery.signature = signing.sign(forged_key, selectors.delivering.payload(delivery))
    result = selectors.verification(delivery)
    assert not result.verified
    assert "belongs to Bundesamt für Justiz" in result.reason


@pytest.mark.usefixtures("bfj")
def test_the_issuing_side_cannot_set_the_outcome_of_a_request_its_recipient_answers_on_the_platform(
    rs: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    from cyberspex.web.cases.selectors import transitions_allowed  # noqa: PLC0415

    order = move(rs[Role.PROSECUTOR], art7_order(rs, provider_de, rehearsal), "issued")
    assert set(transitions_allowed(user=rs[Role.PROSECUTOR], request=order)) <= {"withdrawn", "closed", "lapsed"}
    with pytest.raises(ApplicationError, match="its recipient's answer sets it") as refused:
        move(rs[Role.PROSECUTOR], order, "answered")
    assert refused.value.status == 409
    move(rs[Role.PROSECUTOR], order, "withdrawn")


def test_withdrawing_an_issued_order_withdraws_what_its_recipients_may_still_act_on(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    order = move(rs[Role.PROSECUTOR], art7_order(rs, provider_de, rehearsal), "issued")
    notified = Delivery.objects.get(request=order, role=DeliveryRole.NOTIFIED)
    move(rs[Role.PROSECUTOR], order, "withdrawn")
    assert set(order.deliveries.values_list("status", flat=True)) == {DeliveryStatus.WITHDRAWN}
    with pytest.raises(ApplicationError, match="withdrew this request") as refused:
        decisions.no_objection(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=notified.pk, now=NOW)
    assert refused.value.status == 409
