"""How an envelope reaches a peer. The services know only :class:`Transport`: ``send`` takes the
envelope (a compact JWS, bytes) and the peer, and returns the peer's signed receipt (bytes), or
raises :class:`TransportError`, retryable or not. The built-in transport is HTTPS
(:class:`HttpsTransport`); another one (an e-CODEX/Domibus gateway adapter) is a class with the
same method named by the setting FEDERATION_TRANSPORT (docs/federation.md)."""

from __future__ import annotations

import http.client
import ipaddress
import json
import ssl
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

from cyberspex.web.federation.models import Peer

MESSAGES_PATH = "/federation/v1/messages"
CONTENT_TYPE = "application/jose"
MAX_RECEIPT_BYTES = 64 * 1024
# Refusals of the peer that may pass by themselves: its clock, or it is busy or failing.
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
RETRYABLE_CODES = frozenset({"clock"})


class TransportError(Exception):
    """The envelope did not reach the peer, or the peer refused it. ``retryable``: whether sending
    it again later may succeed (the worker backs off and retries), or not (the message waits for
    an operator: `cyberspex outbox retry ID`)."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class Transport(Protocol):
    def send(self, envelope: bytes, peer: Peer) -> bytes:
        """Deliver ``envelope`` to ``peer``; return its receipt (a compact JWS) or raise TransportError."""
        ...


def configured() -> Transport:
    """The transport FEDERATION_TRANSPORT names."""
    transport: Transport = import_string(settings.FEDERATION_TRANSPORT)()
    return transport


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A peer that answers with a redirection has not received the message: no envelope is sent elsewhere."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class HttpsTransport:
    """``POST {base_url}/federation/v1/messages`` with the envelope; the receipt is the answer.
    TLS certificates are verified; plain http:// only to the loopback interface, or when
    FEDERATION_ALLOW_HTTP is on (tests on a closed network)."""

    def __init__(self) -> None:
        context = ssl.create_default_context()
        self._opener = urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPSHandler(context=context))

    def url(self, peer: Peer) -> str:
        parts = urlsplit(peer.base_url)
        if parts.scheme == "http" and not (_loopback(parts.hostname or "") or settings.FEDERATION_ALLOW_HTTP):
            raise TransportError(
                f"the peer's address {peer.base_url} is not HTTPS (plain http:// only to the loopback interface)",
                retryable=False,
            )
        if parts.scheme not in ("http", "https"):
            raise TransportError(f"the peer's address {peer.base_url} is not HTTPS", retryable=False)
        return peer.base_url.rstrip("/") + MESSAGES_PATH

    def send(self, envelope: bytes, peer: Peer) -> bytes:
        request = urllib.request.Request(  # noqa: S310  # the scheme is checked by url()
            self.url(peer), data=envelope, method="POST", headers={"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        )
        try:
            with self._opener.open(request, timeout=settings.FEDERATION_TIMEOUT_SECONDS) as response:
                body: bytes = response.read(MAX_RECEIPT_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise _refusal(error) from None
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise TransportError(f"the peer cannot be reached: {reason}", retryable=True) from None
        if len(body) > MAX_RECEIPT_BYTES:
            raise TransportError("the peer's receipt is larger than a receipt can be", retryable=False)
        return body


def _refusal(error: urllib.error.HTTPError) -> TransportError:
    """The peer's refusal: its status and its reason, as the receiving endpoint states it."""
    try:
        answer = json.loads(error.read(MAX_RECEIPT_BYTES))
        code, detail = str(answer.get("error", "")), str(answer.get("detail", ""))
    except (ValueError, AttributeError, OSError):
        code, detail = "", ""
    retryable = error.code in RETRYABLE_STATUSES or code in RETRYABLE_CODES
    text = f"the peer refused the message: HTTP {error.code}" + (f" {code}" if code else "") + (f": {detail}" if detail else "")
    return TransportError(text[:1000], retryable=retryable, status=error.code)
