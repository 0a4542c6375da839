"""Messages to a removed peer (federation/trust.py): `peers remove` cancels those not yet
delivered, with the reason "peer removed" and their count in its audit record, so that they leave
the backlog; adding the peer again may send them (`peers add --requeue`, or `outbox retry` one by
one), and until then a later message of the same request waits behind them. The command, the
administrator's page and the services say the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings

from cyberspex.cli.main import main
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.errors import ApplicationError
from cyberspex.web.federation import outbox, selectors, trust
from cyberspex.web.federation.models import OutboxMessage, OutboxState
from tests.web.conftest import Org
from tests.web.federation.remote import Remote
from tests.web.federation.test_outbox import Played
from tests.web.helpers import NOW, verified_session

pytestmark = pytest.mark.django_db
PAGE = "/administration/federation/"


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _enqueue(remote: Remote, request: str = "") -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue(
            peer=trust.trusted_peer(remote.instance_id), organisation="7", kind="order", payload={}, now=NOW, request=request
        )  # type: ignore[arg-type]


def _state(message: OutboxMessage) -> tuple[str, str]:
    message.refresh_from_db()
    return message.state, message.last_error


def _details(action: str) -> dict[str, object]:
    return AuditEntry.objects.filter(details__action=action).order_by("-seq").first().details  # type: ignore[union-attr]


def test_removing_a_peer_cancels_its_undelivered_messages_which_leave_the_backlog(remote: Remote) -> None:
    pending, failed, delivered = _enqueue(remote), _enqueue(remote), _enqueue(remote)
    OutboxMessage.objects.filter(pk=failed.pk).update(state=OutboxState.FAILED, last_error="HTTP 404 unknown_organisation")
    OutboxMessage.objects.filter(pk=delivered.pk).update(state=OutboxState.DELIVERED)
    other = Remote("other.example")
    trust.add(other.document(), now=NOW)
    to_other = _enqueue(other)
    assert selectors.backlog(NOW)["backlog"] == 3
    removed = trust.remove(remote.instance_id, now=NOW)
    assert removed.cancelled == 2
    assert _state(pending) == _state(failed) == (OutboxState.CANCELLED, "peer removed")
    assert _state(delivered)[0] == OutboxState.DELIVERED
    assert _state(to_other)[0] == OutboxState.PENDING  # another peer's messages are not touched
    assert selectors.backlog(NOW)["backlog"] == 1
    assert _details("peer_removed")["cancelled_messages"] == 2
    assert outbox.deliver_due(Played(other.receipt), clock=lambda: NOW).delivered == 1  # only other's


def test_a_cancelled_message_is_sent_again_only_once_its_peer_is_trusted_again(remote: Remote) -> None:
    cancelled = _enqueue(remote)
    trust.remove(remote.instance_id, now=NOW)
    with pytest.raises(ApplicationError, match="not trusted: add its identity document again first") as refused:
        outbox.retry(str(cancelled.pk), now=NOW)
    assert refused.value.status == 409
    added = trust.add(remote.document(), now=NOW)
    assert (added.created, added.cancelled, added.requeued) == (True, 1, 0)  # offered, not sent
    assert _state(cancelled)[0] == OutboxState.CANCELLED
    assert _details("peer_added")["cancelled_messages"] == 1
    outbox.retry(str(cancelled.pk), now=NOW)
    assert _state(cancelled)[0] == OutboxState.PENDING
    assert _details("federation_message_requeued")["was"] == "cancelled"


def test_adding_the_peer_again_with_requeue_sends_its_cancelled_messages_in_their_order(remote: Remote) -> None:
    first, second = _enqueue(remote, request="FR/1"), _enqueue(remote, request="FR/1")
    trust.remove(remote.instance_id, now=NOW)
    added = trust.add(remote.document(), now=NOW, requeue=True)
    assert (added.cancelled, added.requeued) == (0, 2)
    assert _details("peer_added")["requeued_messages"] == 2
    sent: list[bytes] = []
    transport = Played(lambda envelope: sent.append(envelope) or remote.receipt(envelope))
    assert outbox.deliver_due(transport, clock=lambda: NOW).delivered == 2
    assert [_state(m)[0] for m in (first, second)] == [OutboxState.DELIVERED] * 2


def test_a_later_message_of_a_request_waits_behind_a_cancelled_one_until_it_is_retried(remote: Remote) -> None:
    earlier = _enqueue(remote, request="FR/2")
    trust.remove(remote.instance_id, now=NOW)
    trust.add(remote.document(), now=NOW)
    later = _enqueue(remote, request="FR/2")
    transport = Played(remote.receipt)
    assert outbox.deliver_due(transport, clock=lambda: NOW).delivered == 0
    outbox.retry(str(earlier.pk), now=NOW)
    assert outbox.deliver_due(transport, clock=lambda: NOW).delivered == 2
    assert _state(later)[0] == OutboxState.DELIVERED


@override_settings(DEBUG=True)  # no audit keys needed
def test_the_commands_say_how_many_messages_are_cancelled_and_how_to_send_them_again(
    remote: Remote, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _enqueue(remote)
    document = tmp_path / "remote.json"
    document.write_text(remote.document(), encoding="utf-8")
    assert main(["peers", "remove", remote.instance_id]) == 0
    assert "1 message(s) not delivered to it are cancelled" in capsys.readouterr().out
    assert main(["peers", "add", str(document)]) == 0
    assert "1 message(s) cancelled when it was removed are not sent: `peers add FILE --requeue`" in capsys.readouterr().out
    assert main(["peers", "add", str(document), "--requeue"]) == 0
    assert "1 message(s) cancelled when it was removed will be sent" in capsys.readouterr().out
    assert OutboxMessage.objects.get().state == OutboxState.PENDING


def test_the_page_shows_the_cancelled_messages_and_re_adds_the_peer_with_them(remote: Remote, fr: Org) -> None:
    from tests.web.federation.test_administration_pages import ADD, _upload  # noqa: PLC0415

    cancelled = _enqueue(remote, request="FR-2026-9")
    administrator = Client()
    verified_session(administrator, fr[Role.ADMINISTRATOR])
    removal = administrator.post(f"/administration/federation/peers/{remote.instance_id}/remove/", {"confirm": "on"}, follow=True)
    page = removal.content.decode()
    assert "remote.example is no longer trusted; 1 message(s) not delivered to it are cancelled." in page
    assert str(cancelled.pk) in page.split('id="cancelled"')[1]
    assert "the peer is not trusted" in page  # no "Retry now" for a removed peer
    answer = administrator.post(ADD, _upload(remote.document(), requeue="on"), follow=True)
    assert "1 cancelled message(s) will be sent on the worker&#x27;s next pass." in answer.content.decode()
    assert _state(cancelled)[0] == OutboxState.PENDING
    assert "No cancelled message." in answer.content.decode()
