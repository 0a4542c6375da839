"""The built-in HTTPS transport (federation/transport.py): where it may send, and how it reads
the peer's answers — a receipt, a refusal that may pass (retry later) or one that will not."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from cyberspex.web.federation import transport
from cyberspex.web.federation.models import Peer
from cyberspex.web.federation.transport import HttpsTransport, TransportError
from tests.reliability.serving import free_port


class Answer(BaseHTTPRequestHandler):
    """Answers each POST with what ``server.answer`` says: (status, headers, body)."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.received.append((self.path, self.headers.get("Content-Type"), self.rfile.read(length)))  # type: ignore[attr-defined]
        status, headers, body = self.server.answer  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def peer_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _peer(base_url: str) -> Peer:
    return Peer(instance_id="remote.example", base_url=base_url)


def _refused(
    server: ThreadingHTTPServer, status: int, body: dict[str, str], headers: dict[str, str] | None = None
) -> TransportError:
    server.answer = (status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode())  # type: ignore[attr-defined]
    with pytest.raises(TransportError) as refused:
        HttpsTransport().send(b"envelope", _peer(f"http://127.0.0.1:{server.server_port}"))
    return refused.value


def test_the_envelope_is_posted_to_the_peers_messages_address_and_its_answer_is_the_receipt(
    peer_server: ThreadingHTTPServer,
) -> None:
    peer_server.answer = (200, {"Content-Type": "application/jose"}, b"the.receipt.jws")  # type: ignore[attr-defined]
    receipt = HttpsTransport().send(b"the.envelope.jws", _peer(f"http://127.0.0.1:{peer_server.server_port}/"))
    assert receipt == b"the.receipt.jws"
    assert peer_server.received == [("/federation/v1/messages", "application/jose", b"the.envelope.jws")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (503, "", True),
        (429, "", True),
        (400, "clock", True),
        (400, "malformed", False),
        (401, "signature", False),
        (404, "unknown_organisation", False),
    ],
)
def test_a_refusal_says_whether_sending_again_may_succeed(
    peer_server: ThreadingHTTPServer, status: int, code: str, retryable: bool
) -> None:
    error = _refused(peer_server, status, {"error": code, "detail": "why"} if code else {})
    assert (error.status, error.retryable) == (status, retryable)
    assert str(error).startswith(f"the peer refused the message: HTTP {status}")


def test_a_redirection_is_not_followed(peer_server: ThreadingHTTPServer) -> None:
    error = _refused(peer_server, 307, {}, {"Location": "https://elsewhere.example/federation/v1/messages"})
    assert (error.status, error.retryable) == (307, False)
    assert len(peer_server.received) == 1  # type: ignore[attr-defined]


def test_a_peer_that_does_not_answer_is_retried_later() -> None:
    with pytest.raises(TransportError, match="cannot be reached") as refused:
        HttpsTransport().send(b"envelope", _peer(f"http://127.0.0.1:{free_port()}"))
    assert refused.value.retryable


@pytest.mark.parametrize("base_url", ["http://remote.example", "http://10.0.0.9:8000", "ftp://remote.example"])
def test_plain_http_is_refused_for_good_except_to_the_loopback_interface(base_url: str) -> None:
    with pytest.raises(TransportError, match="is not HTTPS") as refused:
        HttpsTransport().url(_peer(base_url))
    assert not refused.value.retryable


@pytest.mark.parametrize("base_url", ["https://remote.example", "http://127.0.0.1:8000", "http://[::1]:8000", "http://localhost"])
def test_https_and_the_loopback_interface_are_allowed(base_url: str) -> None:
    assert HttpsTransport().url(_peer(base_url)) == f"{base_url}/federation/v1/messages"


@override_settings(FEDERATION_ALLOW_HTTP=True)
def test_plain_http_elsewhere_only_when_the_setting_allows_it() -> None:
    assert HttpsTransport().url(_peer("http://remote.example")) == "http://remote.example/federation/v1/messages"


def test_the_transport_is_the_class_the_setting_names() -> None:
    assert isinstance(transport.configured(), HttpsTransport)
