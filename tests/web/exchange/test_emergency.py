"""A 24/7 point of contact receives an emergency request (CETS 224 Art 9), checks its emergency
facts, hands it off to the provider, and the provider sees only what was passed on; an oral
request is recorded and later confirmed in writing (Art 9(4)); every refusal leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import OrganisationKind, Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import emergency, selectors
from cyberspex.web.exchange.delivery import deliver_to
from cyberspex.web.exchange.models import (
    Decision,
    DecisionKind,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Function,
    OralRequest,
    ReceiptKind,
)
from tests.web.conftest import Api, Org
from tests.web.exchange.conftest import organisation
from tests.web.helpers import NOW, form_data, make_case, move, verified_session

pytestmark = pytest.mark.django_db
ART9_POINTS = ["emergency_facts", "offences", "provider", "data_sought"]
LATER = NOW + timedelta(hours=2, minutes=5)


@pytest.fixture
def contact_de(db: None) -> Org:  # noqa: ARG001
    return organisation("c247", "BKA 24/7-Kontaktstelle", OrganisationKind.CONTACT_247, "DE", [Function.CONTACT_247])


@pytest.fixture
def central_de(db: None) -> Org:  # noqa: ARG001
    return organisation(
        "cde", "Bundesamt für Justiz, Zentralstelle", OrganisationKind.CENTRAL_AUTHORITY, "DE", [Function.CENTRAL_AUTHORITY]
    )


def issued(rs: Org, to: Org, what_if: WhatIf, form_id: str = "2ap-9-request") -> Request:
    made, _ = services.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=make_case(rs[Role.PROSECUTOR]).pk,
        form_id=form_id,
        data=form_data(form_id, "DE"),
        now=NOW,
        what_if=what_if,
        recipient_organisation=to.organisation.pk,
    )
    return move(rs[Role.PROSECUTOR], made, "issued")


def received(request: Request) -> Delivery:
    return Delivery.objects.get(request=request, role=DeliveryRole.CONTACT_247)


def accept(contact: Org, delivery: Delivery) -> Decision:
    return emergency.emergency_check(
        user=contact[Role.CONTACT_247], delivery_id=delivery.pk, accepted=True, reasons="", checked=ART9_POINTS, now=LATER
    )


def refused(call, status: int, match: str | None = None) -> ApplicationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match=match) as error:
        call()
    assert error.value.status == status, error.value.message
    return error.value


def test_an_art9_request_is_checked_handed_off_and_the_provider_sees_only_what_was_passed_on(
    rs: Org, contact_de: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    delivery = received(issued(rs, contact_de, rehearsal))
    assert delivery.organisation == contact_de.organisation
    assert emergency.elapsed(delivery.delivered_at, LATER) == "2 h 05 min"
    points = emergency.checklist(delivery)
    assert [p["field"] for p in points] == ART9_POINTS
    assert points[0]["citation"] == "CETS 224 Art 9(3)(e)"
    assert all(p["present"] for p in points)

    decision = accept(contact_de, delivery)
    assert (decision.kind, decision.grounds) == (DecisionKind.EMERGENCY_ACCEPTED, ART9_POINTS)
    child = emergency.hand_off(
        user=contact_de[Role.CONTACT_247], delivery_id=delivery.pk, organisation_id=provider_de.organisation.pk, now=LATER
    )

    assert (child.role, child.parent, child.signed_by) == (DeliveryRole.SERVED, delivery, contact_de.organisation)
    assert {"provider", "data_sought"} <= set(child.content)
    assert not {"emergency_facts", "offences", "issuing_authority"} & set(child.content)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DECIDED
    assert [r.kind for r in delivery.receipts.order_by("pk")][-2:] == [ReceiptKind.DECIDED, ReceiptKind.SERVED]

    seen = selectors.inbox_item(user=provider_de[Role.RESPONDER], delivery_id=child.pk, now=LATER)
    assert seen.verification.verified
    assert seen.answerable
    # The issuing side sees the check, the hand-off and the provider's delivery.
    view = selectors.issuer_view(delivery.request)
    assert {d.organisation for d in view.deliveries} == {contact_de.organisation, provider_de.organisation}
    kinds = [d.kind for d in Decision.objects.filter(delivery=delivery).order_by("pk")]
    assert kinds == [DecisionKind.EMERGENCY_ACCEPTED, DecisionKind.HANDED_OFF]


def test_the_contact_may_pass_on_more_fields_but_never_fewer_than_the_data_sought(
    rs: Org, contact_de: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    delivery = received(issued(rs, contact_de, rehearsal))
    accept(contact_de, delivery)
    hand = {
        "user": contact_de[Role.CONTACT_247],
        "delivery_id": delivery.pk,
        "organisation_id": provider_de.organisation.pk,
        "now": LATER,
    }
    refused(lambda: emergency.hand_off(**hand, fields=["provider"]), 422, "data are sought")
    refused(lambda: emergency.hand_off(**hand, fields=["data_sought", "password"]), 422, "password")
    child = emergency.hand_off(**hand, fields=["provider", "data_sought", "emergency_facts"])
    assert "emergency_facts" in child.content


def test_an_emergency_not_accepted_needs_reasons_and_is_not_handed_off(
    rs: Org, contact_de: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    delivery = received(issued(rs, contact_de, rehearsal))
    user = contact_de[Role.CONTACT_247]
    check = {"user": user, "delivery_id": delivery.pk, "checked": [], "now": LATER}
    refused(lambda: emergency.emergency_check(**check, accepted=False, reasons=" "), 422, "reasons")
    refused(lambda: emergency.emergency_check(**check, accepted=True, reasons=""), 422, "emergency_facts")
    assert not Decision.objects.exists()

    decision = emergency.emergency_check(**check, accepted=False, reasons="No risk to a person is described.")
    assert decision.kind == DecisionKind.EMERGENCY_NOT_ACCEPTED
    refused(lambda: emergency.emergency_check(**check, accepted=False, reasons="again"), 409, "already checked")
    refused(
        lambda: emergency.hand_off(user=user, delivery_id=delivery.pk, organisation_id=provider_de.organisation.pk, now=LATER),
        409,
        "accept the emergency",
    )
    assert Delivery.objects.filter(parent=delivery).count() == 0


def test_refusals_wrong_organisation_404_wrong_role_403_out_of_order_409_wrong_target_422(
    rs: Org, contact_de: Org, provider_de: Org, provider_ie: Org, rehearsal: WhatIf
) -> None:
    delivery = received(issued(rs, contact_de, rehearsal))
    args = {"delivery_id": delivery.pk, "accepted": True, "reasons": "", "checked": ART9_POINTS, "now": LATER}
    refused(lambda: emergency.emergency_check(user=provider_de[Role.RESPONDER], **args), 404)
    refused(lambda: emergency.emergency_check(user=rs[Role.PROSECUTOR], **args), 404)
    refused(lambda: emergency.emergency_check(user=contact_de[Role.RESPONDER], **args), 403)
    hand = {"user": contact_de[Role.CONTACT_247], "delivery_id": delivery.pk, "now": LATER}
    refused(lambda: emergency.hand_off(**hand, organisation_id=provider_de.organisation.pk), 409)
    accept(contact_de, delivery)
    refused(lambda: emergency.hand_off(**hand, organisation_id=provider_ie.organisation.pk), 422, "not a provider in DE")
    refused(lambda: emergency.hand_off(**hand, organisation_id=rs.organisation.pk), 422, "cannot receive")
    refused(lambda: emergency.hand_off(**hand, organisation_id=contact_de.organisation.pk), 422, "another organisation")
    refused(lambda: emergency.hand_off(**hand, organisation_id=999999), 422, "no organisation")
    emergency.hand_off(**hand, organisation_id=provider_de.organisation.pk)
    refused(lambda: emergency.hand_off(**hand, organisation_id=provider_de.organisation.pk), 409, "already passed")
    assert Delivery.objects.filter(parent=delivery).count() == 1


@pytest.mark.usefixtures("bfj")
def test_an_item_received_as_another_role_is_not_checked_here(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    order = issued(rs, provider_de, rehearsal, "2ap-7-order")
    to_provider = Delivery.objects.get(request=order, role=DeliveryRole.ADDRESSEE)
    refused(
        lambda: emergency.emergency_check(
            user=provider_de[Role.CONTACT_247], delivery_id=to_provider.pk, accepted=True, reasons="", checked=[], now=LATER
        ),
        409,
        "addressee",
    )


def test_an_art10_request_received_by_the_contact_goes_to_the_central_authority_whole(
    rs: Org, contact_de: Org, central_de: Org, rehearsal: WhatIf
) -> None:
    request = issued(rs, central_de, rehearsal, "2ap-10-request")
    assert Delivery.objects.get(request=request).role == DeliveryRole.CENTRAL
    # Through a 24/7 point of contact under an Art 10(9) declaration (not routed by the platform yet).
    delivery = deliver_to(
        request,
        organisation=contact_de.organisation,
        role=DeliveryRole.CONTACT_247,
        package="authority",
        by=rs[Role.PROSECUTOR],
        now=NOW,
        exercise=True,
        signer=rs.organisation,
        signatories=lambda _language: (),
    )
    emergency.emergency_check(
        user=contact_de[Role.CONTACT_247],
        delivery_id=delivery.pk,
        accepted=True,
        reasons="",
        checked=["emergency_facts", "offences", "assistance_sought"],
        now=LATER,
    )
    Delivery.objects.filter(request=request, role=DeliveryRole.CENTRAL).delete()  # as if it had reached only the contact
    child = emergency.hand_off(
        user=contact_de[Role.CONTACT_247], delivery_id=delivery.pk, organisation_id=central_de.organisation.pk, now=LATER
    )
    assert (child.role, child.package) == (DeliveryRole.CENTRAL, "authority")
    assert "emergency_facts" in child.content
    assert selectors.verification(child).verified


# -- oral requests -------------------------------------------------------------------------------


def take_call(contact: Org, **changes: object) -> OralRequest:
    facts = {
        "caller_name": "Inspector Ana Ruiz",
        "caller_authority": "Guardia Civil, 24/7 point of contact",
        "caller_state": "es",
        "caller_phone": "+34910000001",
        "called_at": NOW,
        "asked": "Subscriber data and last log-in IP of j.doe.1987@mail.example.com at Beispiel Mail GmbH",
        "emergency_facts": "A 14-year-old girl is held by the account holder; messages threaten her life.",
        "callback_verified": True,
    }
    return emergency.oral_intake_create(user=contact[Role.CONTACT_247], now=LATER, **{**facts, **changes})  # type: ignore[arg-type]


def test_an_oral_request_is_recorded_then_confirmed_by_a_note_of_the_written_confirmation(contact_de: Org) -> None:
    oral = take_call(contact_de)
    assert (oral.caller_state, oral.taken_by, oral.callback_verified) == ("ES", contact_de[Role.CONTACT_247], True)
    listed = list(emergency.oral_requests(user=contact_de[Role.CENTRAL_AUTHORITY]))
    assert listed == [oral]
    assert listed[0].confirmed_at is None  # written confirmation outstanding
    assert emergency.elapsed(oral.called_at, LATER) == "2 h 05 min"

    done = emergency.oral_intake_confirm(
        user=contact_de[Role.CONTACT_247],
        oral_request_id=oral.pk,
        now=LATER,
        note="E-mail from punto247@guardiacivil.example with the signed request",
        confirmation_date=LATER.date(),
    )
    assert (done.confirmed_at, done.confirmation_date) == (LATER, LATER.date())
    refused(
        lambda: emergency.oral_intake_confirm(
            user=contact_de[Role.CONTACT_247], oral_request_id=oral.pk, now=LATER, note="again", confirmation_date=LATER.date()
        ),
        409,
        "already confirmed",
    )


def test_an_oral_request_is_confirmed_by_the_written_request_delivered_on_the_platform(
    rs: Org, contact_de: Org, rehearsal: WhatIf
) -> None:
    oral = take_call(contact_de)
    written = received(issued(rs, contact_de, rehearsal))
    done = emergency.oral_intake_confirm(
        user=contact_de[Role.CONTACT_247], oral_request_id=oral.pk, now=LATER, delivery_id=written.pk
    )
    assert done.confirmation_delivery == written


def test_oral_requests_refuse_bad_input_and_the_wrong_people(contact_de: Org, provider_de: Org) -> None:
    refused(lambda: take_call(provider_de), 403, "not a 24/7 point of contact")
    refused(lambda: take_call(contact_de, caller_state="Spain"), 422, "two-letter")
    refused(lambda: take_call(contact_de, emergency_facts="  "), 422, "emergency facts")
    refused(lambda: take_call(contact_de, called_at=LATER + timedelta(hours=1)), 422, "future")
    refused(
        lambda: emergency.oral_intake_create(
            user=contact_de[Role.RESPONDER],
            now=LATER,
            caller_name="x",
            caller_authority="x",
            caller_state="ES",
            called_at=NOW,
            asked="x",
            emergency_facts="x",
            callback_verified=False,
        ),
        403,
    )
    assert not OralRequest.objects.exists()
    oral = take_call(contact_de)
    confirm = {"oral_request_id": oral.pk, "now": LATER}
    refused(lambda: emergency.oral_intake_confirm(user=contact_de[Role.CONTACT_247], **confirm), 422, "note")
    refused(
        lambda: emergency.oral_intake_confirm(
            user=contact_de[Role.CONTACT_247], **confirm, note="mail", confirmation_date=(NOW - timedelta(days=2)).date()
        ),
        422,
        "between the call and today",
    )
    refused(
        lambda: emergency.oral_intake_confirm(
            user=contact_de[Role.RESPONDER], **confirm, note="m", confirmation_date=LATER.date()
        ),
        403,
    )
    refused(
        lambda: emergency.oral_intake_confirm(
            user=provider_de[Role.CONTACT_247], **confirm, note="m", confirmation_date=LATER.date()
        ),
        404,
    )
    oral.refresh_from_db()
    assert oral.confirmed_at is None


# -- the API -------------------------------------------------------------------------------------


def test_the_api_checks_hands_off_and_records_oral_requests(
    api: Api, rs: Org, contact_de: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    delivery = received(issued(rs, contact_de, rehearsal))
    user = contact_de[Role.CONTACT_247]
    answer = api.post(f"/inbox/{delivery.pk}/emergency-check", {"accepted": True, "checked": ART9_POINTS}, user)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["kind"] == "emergency_accepted"
    answer = api.post(f"/inbox/{delivery.pk}/hand-off", {"organisation_id": provider_de.organisation.pk}, user)
    assert answer.status_code == 201, answer.json()
    assert "emergency_facts" not in answer.json()["content_fields"]
    assert api.post(f"/inbox/{delivery.pk}/hand-off", {"organisation_id": provider_de.organisation.pk}, user).status_code == 409
    assert api.post(f"/inbox/{delivery.pk}/emergency-check", {"accepted": True}, provider_de[Role.RESPONDER]).status_code == 404

    body = {
        "caller_name": "Inspector Ana Ruiz",
        "caller_authority": "Guardia Civil",
        "caller_state": "ES",
        "called_at": NOW.isoformat(),
        "asked": "Subscriber data",
        "emergency_facts": "A child's life is at risk.",
        "callback_verified": True,
    }
    made = api.post("/oral-requests", body, user)
    assert made.status_code == 201, made.json()
    assert made.json()["confirmation_outstanding"] is True
    assert [o["id"] for o in api.get("/oral-requests", user).json()] == [made.json()["id"]]
    confirmed = api.post(f"/oral-requests/{made.json()['id']}/confirmation", {"delivery_id": delivery.pk}, user)
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["confirmation_outstanding"] is False
    assert api.post("/oral-requests", body, provider_de[Role.CONTACT_247]).status_code == 403


# -- the pages -----------------------------------------------------------------------------------


def test_the_contact_sees_elapsed_time_checks_and_hands_off_on_the_pages(
    client: Client, rs: Org, contact_de: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    delivery = received(issued(rs, contact_de, rehearsal))
    verified_session(client, contact_de[Role.CONTACT_247])
    inbox = client.get("/inbox/").content.decode()
    assert " ago" in inbox
    assert "Oral emergency requests" in inbox
    page = client.get(f"/inbox/{delivery.pk}/").content.decode()
    assert "Time since receipt" in page
    assert "CETS 224 Art 9(3)(e)" in page

    refused_page = client.post(f"/inbox/{delivery.pk}/emergency-check/", {"accepted": "yes", "checked": ["provider"]})
    assert refused_page.status_code == 422
    assert "emergency_facts" in refused_page.content.decode()
    done = client.post(f"/inbox/{delivery.pk}/emergency-check/", {"accepted": "yes", "checked": ART9_POINTS})
    assert done.status_code == 302
    page = client.get(f"/inbox/{delivery.pk}/").content.decode()
    assert "Emergency accepted" in page
    assert provider_de.organisation.name in page  # offered as the provider to hand off to
    handed = client.post(f"/inbox/{delivery.pk}/hand-off/", {"organisation_id": provider_de.organisation.pk})
    assert handed.status_code == 302
    child = Delivery.objects.get(parent=delivery)

    provider = Client()
    verified_session(provider, provider_de[Role.RESPONDER])
    seen = provider.get(f"/inbox/{child.pk}/").content.decode()
    assert "Signature verified" in seen
    assert delivery.content["emergency_facts"][:40] not in seen


def test_an_oral_request_is_taken_and_confirmed_on_the_pages(client: Client, contact_de: Org) -> None:
    verified_session(client, contact_de[Role.CONTACT_247])
    assert client.get("/inbox/oral/new/").status_code == 200
    made = client.post(
        "/inbox/oral/new/",
        {
            "caller_name": "Inspector Ana Ruiz",
            "caller_authority": "Guardia Civil",
            "caller_state": "ES",
            "called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "asked": "Subscriber data",
            "emergency_facts": "A child's life is at risk.",
        },
    )
    assert made.status_code == 302, made.content.decode()
    oral = OralRequest.objects.get()
    page = client.get(f"/inbox/oral/{oral.pk}/").content.decode()
    assert "Written confirmation outstanding" in page
    assert "not verified by call-back" in page
    assert "Guardia Civil" in client.get("/inbox/").content.decode()
    confirmed = client.post(
        f"/inbox/oral/{oral.pk}/confirm/",
        {"note": "Signed e-mail received", "confirmation_date": timezone.localdate().isoformat()},
    )
    assert confirmed.status_code == 302, confirmed.content.decode()
    assert "Confirmed in writing" in client.get(f"/inbox/oral/{oral.pk}/").content.decode()
    assert client.post(f"/inbox/oral/{oral.pk}/confirm/", {"note": "again", "confirmation_date": "2026-01-01"}).status_code == 409
