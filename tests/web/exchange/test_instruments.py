"""One exchange per instrument, end to end on one instance with two or more organisations: the
issuing side issues, every recipient the route names receives its package at the same moment,
acts, and the issuing side sees the outcome. Each test checks the clocks (what runs, from when,
until when, and when it is closed) and the records both sides see (receipts, decisions, the
state of the request, the produced file's SHA-256)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import OrganisationKind, Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import decisions, emergency, requested_party, selectors
from cyberspex.web.exchange.answers import Upload, answer_create, answers_of_request
from cyberspex.web.exchange.models import Delivery, DeliveryRole, DeliveryStatus, Function
from tests.web.conftest import Org
from tests.web.exchange.conftest import organisation
from tests.web.exchange.orders import art7_issued, epoc_issued
from tests.web.helpers import NOW, form_data, make_case, move, verified_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("produced")]
CSV = b"account,ip,first_seen\nj.doe.1987@mail.example.com,203.0.113.7,2026-09-14T08:12:00Z\n"
DIGEST = hashlib.sha256(CSV).hexdigest()
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def drafted(issuer: Org, form_id: str, state: str, to: Org, what_if: WhatIf | None = None, **changes: object) -> Request:
    data = form_data(form_id, state) | changes
    made, _ = services.request_draft(
        user=issuer[Role.PROSECUTOR],
        case_id=make_case(issuer[Role.PROSECUTOR]).pk,
        form_id=form_id,
        data=data,
        now=NOW,
        what_if=what_if,
        recipient_organisation=to.organisation.pk,
    )
    return made


def received(request: Request) -> dict[str, Delivery]:
    return {d.role: d for d in Delivery.objects.filter(request=request)}


def due(request: Request) -> dict[str, tuple[timedelta, bool]]:
    """Each clock of the request: how long after issue it falls due, and whether it is still running."""
    return {d.rule: (d.due_at - NOW, d.done_at is None) for d in Request.objects.get(pk=request.pk).deadlines.all()}


def answer(responder: Org, delivery: Delivery, outcome: str = "data", *, at: timedelta = 2 * DAY, **reason: str):  # type: ignore[no-untyped-def]
    files = [Upload("connection-logs.csv", CSV)] if outcome in ("data", "partial") else []
    return answer_create(
        user=responder[Role.RESPONDER],
        delivery_id=delivery.pk,
        outcome=outcome,
        reason_code=reason.get("code", ""),
        reason=reason.get("text", ""),
        files=files,
        now=NOW + at,
    )


def the_issuer_sees_the_file(issuer: Org, request: Request) -> None:
    (seen,) = answers_of_request(user=issuer[Role.PROSECUTOR], request_id=request.pk)
    assert [f.sha256 for f in seen.files.all()] == [DIGEST]


def test_article_6_a_registrar_discloses_registration_data_within_the_time_frame_the_request_sets(
    rs: Org, rehearsal: WhatIf
) -> None:
    registrar = organisation("reg", "Beispiel Domains eG", OrganisationKind.REGISTRAR, "DE", [Function.REGISTRAR])
    request = move(rs[Role.PROSECUTOR], drafted(rs, "2ap-6-request", "DE", registrar, rehearsal), "issued")
    delivery = received(request)[DeliveryRole.ADDRESSEE]
    assert (delivery.organisation, delivery.package, delivery.delivered_at) == (registrar.organisation, "provider", NOW)
    assert due(request) == {}  # Art 6(3)(d): the time frame is the request's own; the Protocol fixes none
    client = Client()
    verified_session(client, rs[Role.PROSECUTOR])
    assert "No deadline with a fixed period runs for this request now" in client.get(f"/requests/{request.pk}/").content.decode()

    answer(registrar, delivery, at=3 * DAY)
    assert Request.objects.get(pk=request.pk).state == State.ANSWERED
    assert [r.kind for r in selectors.receipts_of(delivery)] == ["delivered", "answered"]
    the_issuer_sees_the_file(rs, request)


def test_article_7_without_notification_the_provider_alone_receives_it_and_its_30_days_close_with_the_answer(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    request = move(
        rs[Role.PROSECUTOR], drafted(rs, "2ap-7-order", "DE", provider_de, rehearsal, notification_made=False), "issued"
    )
    assert set(received(request)) == {DeliveryRole.ADDRESSEE}
    assert not Delivery.objects.filter(organisation=bfj.organisation).exists()
    assert due(request) == {"cets224.art7.7.fallback": (30 * DAY, True)}  # Art 7(7): 30 days from receipt

    answer(provider_de, received(request)[DeliveryRole.ADDRESSEE], at=5 * DAY)
    assert due(request) == {"cets224.art7.7.fallback": (30 * DAY, False)}
    closed = Request.objects.get(pk=request.pk).deadlines.get()
    assert closed.done_at == NOW + 5 * DAY
    the_issuer_sees_the_file(rs, request)


def test_article_7_with_notification_the_authority_may_stop_disclosure_and_the_issuer_alone_reads_why(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    request = art7_issued(rs, provider_de, rehearsal)
    deliveries = received(request)
    to_provider, to_authority = deliveries[DeliveryRole.ADDRESSEE], deliveries[DeliveryRole.NOTIFIED]
    assert to_provider.delivered_at == to_authority.delivered_at == NOW  # Art 7(5)(a): at the same time
    assert "summary_of_facts" in to_authority.content
    assert "summary_of_facts" not in to_provider.content

    decisions.consult(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_authority.pk,
        message="Is the account holder a German resident?",
        now=NOW + HOUR,
    )
    assert list(selectors.messages_visible(to_provider)) == []  # Art 7(5)(b): never shown to the provider
    decisions.instruct_non_disclosure(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_authority.pk,
        grounds=["7.5.c.i"],
        reasons="Disclosure would prejudice a German investigation of the same group.",
        now=NOW + DAY,
    )
    to_provider.refresh_from_db()
    assert to_provider.status == DeliveryStatus.BLOCKED
    assert "prejudice" not in to_provider.blocked_reason  # the provider is told of the instruction, not its reasons
    with pytest.raises(ApplicationError) as refused:
        answer(provider_de, to_provider)
    assert refused.value.status == 409
    seen = selectors.issuer_view(request).deliveries
    assert any("prejudice" in d.reasons for delivery in seen for d in delivery.decisions.all())  # Art 7(5)(d)
    assert Request.objects.get(pk=request.pk).state == State.ISSUED


def test_article_8_the_service_clock_starts_at_completeness_the_return_clock_at_service(
    rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    request = move(rs[Role.PROSECUTOR], drafted(rs, "2ap-8-order", "DE", bfj, rehearsal), "issued")
    to_party = received(request)[DeliveryRole.REQUESTED_PARTY]
    assert to_party.package == "authority"
    assert due(request) == {}  # nothing runs until the requested Party has all the information

    requested_party.completeness_check(
        user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_party.pk, complete=True, missing=[], reasons="", now=NOW + 2 * DAY
    )
    assert due(request) == {"cets224.art8.6.a.serve": (47 * DAY, True)}  # Art 8(6)(a): 45 days from completeness

    served = requested_party.serve_provider(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_party.pk,
        provider_organisation_id=provider_de.organisation.pk,
        now=NOW + 10 * DAY,
    )
    assert (served.role, served.package, served.organisation) == (DeliveryRole.SERVED, "provider", provider_de.organisation)
    assert due(request) == {
        "cets224.art8.6.a.serve": (47 * DAY, False),
        "cets224.art8.6.a.ii.traffic": (55 * DAY, True),  # the example asks for traffic data: 45 days from service
    }
    answer(provider_de, served, at=20 * DAY)
    assert answers_of_request(user=rs[Role.PROSECUTOR], request_id=request.pk) == []  # not before it is passed back
    requested_party.pass_back(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_party.pk, now=NOW + 21 * DAY)
    the_issuer_sees_the_file(rs, request)


def test_article_9_a_24_7_contact_checks_the_emergency_and_hands_it_to_the_provider(
    rs: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    contact = organisation("c247", "BKA 24/7-Kontaktstelle", OrganisationKind.CONTACT_247, "DE", [Function.CONTACT_247])
    request = move(rs[Role.PROSECUTOR], drafted(rs, "2ap-9-request", "DE", contact, rehearsal), "issued")
    to_contact = received(request)[DeliveryRole.CONTACT_247]
    assert to_contact.delivered_at == NOW
    points = [p["field"] for p in emergency.checklist(to_contact)]
    emergency.emergency_check(
        user=contact[Role.CONTACT_247], delivery_id=to_contact.pk, accepted=True, reasons="", checked=points, now=NOW + HOUR
    )
    handed = emergency.hand_off(
        user=contact[Role.CONTACT_247], delivery_id=to_contact.pk, organisation_id=provider_de.organisation.pk, now=NOW + 2 * HOUR
    )
    assert (handed.role, handed.organisation, handed.signed_by) == (
        DeliveryRole.SERVED,
        provider_de.organisation,
        contact.organisation,
    )
    assert selectors.verification(handed).verified
    kinds = [d.kind for d in Delivery.objects.get(pk=to_contact.pk).decisions.order_by("at")]
    assert kinds == ["emergency_accepted", "handed_off"]


def test_an_epoc_with_the_enforcing_authority_notified_runs_its_ten_days_and_the_review_then_closes_them(
    fr: Org, provider_de: Org, bfj: Org
) -> None:
    request = epoc_issued(fr, provider_de)
    deliveries = received(request)
    assert set(deliveries) == {DeliveryRole.ADDRESSEE, DeliveryRole.ENFORCING}
    assert deliveries[DeliveryRole.ENFORCING].organisation == bfj.organisation
    assert due(request) == {
        "reg.epoc.art10.2.with_notification": (10 * DAY, True),  # Art 10(2)
        "reg.epoc.art12.1.review": (10 * DAY, True),  # Art 12(1): from receipt of the notification
    }
    decisions.no_ground(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=deliveries[DeliveryRole.ENFORCING].pk, now=NOW + 3 * DAY)
    assert due(request)["reg.epoc.art12.1.review"] == (10 * DAY, False)
    answer(provider_de, deliveries[DeliveryRole.ADDRESSEE], at=10 * DAY)
    assert all(not running for _due, running in due(request).values())
    assert Request.objects.get(pk=request.pk).state == State.ANSWERED
    the_issuer_sees_the_file(fr, request)


def test_an_epoc_for_subscriber_data_goes_to_the_designated_establishment_alone_with_ten_days(fr: Org, provider_ie: Org) -> None:
    enforcing_ie = organisation(
        "eie", "Irish enforcing authority", OrganisationKind.NOTIFIED_AUTHORITY, "IE", [Function.ENFORCING_AUTHORITY]
    )
    request = move(fr[Role.PROSECUTOR], drafted(fr, "eu-epoc", "IE", provider_ie), "issued")
    assert set(received(request)) == {DeliveryRole.ADDRESSEE}  # Art 8(1): no notification for subscriber data
    assert not Delivery.objects.filter(organisation=enforcing_ie.organisation).exists()
    assert due(request) == {"reg.epoc.art10.3.normal": (10 * DAY, True)}
    answer(provider_ie, received(request)[DeliveryRole.ADDRESSEE], "no_data", code="identifier_not_found", at=DAY)
    assert Request.objects.get(pk=request.pk).state == State.ANSWERED
    assert due(request) == {"reg.epoc.art10.3.normal": (10 * DAY, False)}


def test_an_epoc_pr_is_answered_preserved_and_its_60_days_keep_running_for_the_production_to_follow(
    fr: Org, provider_ie: Org
) -> None:
    request = move(fr[Role.PROSECUTOR], drafted(fr, "eu-epoc-pr", "IE", provider_ie), "issued")
    assert due(request) == {"reg.epoc_pr.art11.1.duration": (60 * DAY, True)}  # Art 11(1)
    delivery = received(request)[DeliveryRole.ADDRESSEE]
    with pytest.raises(ApplicationError, match="does not answer this order"):
        answer(provider_ie, delivery, "data")
    answer(provider_ie, delivery, "preserved", at=HOUR)
    assert Request.objects.get(pk=request.pk).state == State.ACKNOWLEDGED
    assert due(request) == {"reg.epoc_pr.art11.1.duration": (60 * DAY, True)}
    assert [r.kind for r in selectors.receipts_of(delivery)] == ["delivered", "answered"]


def test_an_epoc_for_traffic_data_under_the_art_8_2_exception_goes_to_the_addressee_alone_with_art_10_3(
    fr: Org, provider_de: Org, bfj: Org
) -> None:
    judge = fr[Role.JUDGE]  # traffic data: a prosecutor may not issue it alone (Art 4(2))
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "traffic"
    data |= {"issuing_authority_type": "judge_court", "art5_4_ground": "max_penalty_3_years"}
    data |= {"enforcing_notified": False, "notification_exception": True}  # Art 8(2): offence and person in France
    made, _ = services.request_draft(
        user=judge,
        case_id=make_case(judge).pk,
        form_id="eu-epoc",
        data=data,
        now=NOW,
        recipient_organisation=provider_de.organisation.pk,
    )
    request = move(judge, made, "issued")
    assert set(received(request)) == {DeliveryRole.ADDRESSEE}
    assert not Delivery.objects.filter(organisation=bfj.organisation).exists()
    assert due(request) == {"reg.epoc.art10.3.normal": (10 * DAY, True)}  # Art 10(3), not 10(2) nor the Art 12 review
    answer(provider_de, received(request)[DeliveryRole.ADDRESSEE], at=4 * DAY)
    assert due(request) == {"reg.epoc.art10.3.normal": (10 * DAY, False)}
    the_issuer_sees_the_file(fr, request)
