"""The endpoints other instances call are throttled per client address (federation/throttle.py):
an address whose requests are refused too often in a minute is answered 429 with Retry-After
until the minute ends, and its refusals are audited once a minute with the count of the others,
so that junk cannot grow the audit trail without bound; a trusted peer's signed messages are
throttled only above the generous FEDERATION_REQUESTS_PER_MINUTE."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.federation.models import InboxMessage
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db
URL = "/federation/v1/messages"
JUNK = b"not an envelope"
AT = NOW + timedelta(seconds=15)  # 45 seconds before the minute ends


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hosted() -> Organisation:
    return Organisation.objects.create(name="Provider here", kind="provider", country="IE")


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _post(client: Client, body: bytes) -> Any:
    return client.post(URL, data=body, content_type="application/jose")


def _refusal_records() -> list[dict[str, Any]]:
    return [e.details for e in AuditEntry.objects.filter(details__action="federation_message_refused").order_by("seq")]


@override_settings(FEDERATION_REFUSALS_PER_MINUTE=3)
def test_an_address_refused_too_often_is_answered_429_with_retry_after_until_the_minute_ends(
    clock: time_machine.Coordinates,
) -> None:
    junk = _from("192.0.2.7")
    assert [_post(junk, JUNK).status_code for _ in range(3)] == [400, 400, 400]
    throttled = _post(junk, JUNK)
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "45"
    assert throttled.json()["error"] == "throttled"
    assert _post(_from("192.0.2.8"), JUNK).status_code == 400  # another address is not throttled
    clock.shift(timedelta(seconds=45))
    assert _post(junk, JUNK).status_code == 400  # the next minute


@override_settings(FEDERATION_REFUSALS_PER_MINUTE=30)
def test_a_flood_of_junk_from_one_address_writes_one_audit_record_a_minute_with_the_count_of_the_others(
    clock: time_machine.Coordinates,
) -> None:
    junk = _from("192.0.2.7")
    answers = [_post(junk, JUNK).status_code for _ in range(200)]
    assert answers == [400] * 30 + [429] * 170
    [first] = _refusal_records()
    assert (first["address"], first["refusal"], first["earlier_refusals"]) == ("192.0.2.7", "malformed", 0)
    clock.shift(timedelta(minutes=1))
    _post(junk, JUNK)
    _post(junk, JUNK)
    records = _refusal_records()
    assert len(records) == 2  # 202 refusals, two minutes: two records
    assert records[1]["earlier_refusals"] == 199  # all the others of the first minute, counted


@override_settings(FEDERATION_REQUESTS_PER_MINUTE=5)
def test_a_trusted_peers_signed_messages_are_throttled_only_above_the_requests_per_minute(
    remote: Remote, hosted: Organisation, clock: time_machine.Coordinates
) -> None:
    peer = _from("198.51.100.4")
    for _ in range(5):
        _post(_from("192.0.2.7"), JUNK)  # junk from elsewhere changes nothing for the peer
    sent = [_post(peer, remote.envelope(remote.envelope_content(organisation=str(hosted.pk)))) for _ in range(6)]
    assert [a.status_code for a in sent] == [200] * 5 + [429]
    assert sent[-1]["Retry-After"] == "45"
    assert InboxMessage.objects.count() == 5
    clock.shift(timedelta(seconds=45))
    assert _post(peer, remote.envelope(remote.envelope_content(organisation=str(hosted.pk)))).status_code == 200


@override_settings(FEDERATION_REFUSALS_PER_MINUTE=2)
@pytest.mark.usefixtures("clock")
def test_the_file_endpoints_are_throttled_and_audited_the_same_way() -> None:
    junk = _from("192.0.2.7")
    url = f"/federation/v1/files/{'0' * 8}-0000-4000-8000-{'0' * 12}/{'a' * 64}"
    assert [junk.get(url).status_code for _ in range(3)] == [400, 400, 429]
    assert junk.put(f"{url}/0", data=b"x", content_type="application/octet-stream").status_code == 429
    assert _post(junk, JUNK).status_code == 429  # one count for every endpoint
    records = [e.details for e in AuditEntry.objects.filter(details__action="federation_file_refused")]
    assert [(r["address"], r["earlier_refusals"]) for r in records] == [("192.0.2.7", 0)]


@override_settings(FEDERATION_REFUSALS_PER_MINUTE=2)
@pytest.mark.usefixtures("clock")
def test_the_refusals_of_what_a_trusted_peer_signed_are_audited_one_by_one_up_to_the_limit_and_never_throttle_it(
    remote: Remote, hosted: Organisation
) -> None:
    peer = _from("198.51.100.4")
    late = [
        remote.envelope(remote.envelope_content(organisation=str(hosted.pk), sent_at=NOW - timedelta(hours=1))) for _ in range(4)
    ]
    assert [_post(peer, body).json()["error"] for body in late] == ["clock"] * 4  # never 429
    # One by one up to the limit, then counted (a captured envelope sent again and again).
    assert [(r["refusal"], r["peer"]) for r in _refusal_records()] == [("clock", remote.instance_id)] * 2
    assert _post(peer, remote.envelope(remote.envelope_content(organisation=str(hosted.pk)))).status_code == 200
