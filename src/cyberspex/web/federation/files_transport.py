"""How chunks of a file reach a peer. The sending side knows only :class:`FileTransport`: ask
which chunks the peer holds (to resume), and put one chunk with its signed header. The built-in
one speaks HTTPS to the peer's ``/federation/v1/files/`` (docs/federation.md "Files"), with the
same address rules as the messages' transport; another (an e-CODEX gateway adapter) is named by
FEDERATION_FILE_TRANSPORT."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from cyberspex.web.federation.models import Peer
from cyberspex.web.federation.transport import MESSAGES_PATH, HttpsTransport, TransportError, _refusal

FILES_PATH = "/federation/v1/files"
SIGNATURE_HEADER = "X-CyberSPEX-Signature"
MAX_ANSWER_BYTES = 1024 * 1024  # the list of chunks held, for a file of many chunks


class FileTransport(Protocol):
    def held(self, peer: Peer, message: str, sha256: str, signature: str) -> dict[str, Any]:
        """What the peer holds of the file: ``{"received": [indexes], "complete": bool, ...}``."""
        ...

    def put(self, peer: Peer, message: str, sha256: str, *, index: int, chunk: bytes, signature: str) -> dict[str, Any]:
        """Put one chunk; the peer's answer ``{"received": n, "chunks": n, "complete": bool}``."""
        ...


def configured() -> FileTransport:
    """The transport FEDERATION_FILE_TRANSPORT names."""
    transport: FileTransport = import_string(settings.FEDERATION_FILE_TRANSPORT)()
    return transport


class HttpsFileTransport(HttpsTransport):
    """``GET`` and ``PUT {base_url}/federation/v1/files/<message>/<sha256>[/<index>]``, the
    signed header in ``X-CyberSPEX-Signature``."""

    def _file_url(self, peer: Peer, *parts: str) -> str:
        return self.url(peer).removesuffix(MESSAGES_PATH) + "/".join([FILES_PATH, *parts])

    def _call(self, method: str, url: str, signature: str, body: bytes | None = None) -> dict[str, Any]:
        headers = {SIGNATURE_HEADER: signature, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/octet-stream"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310  # checked by url()
        try:
            with self._opener.open(request, timeout=settings.FEDERATION_TIMEOUT_SECONDS) as response:
                raw: bytes = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise _refusal(error) from None
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise TransportError(f"the peer cannot be reached: {reason}", retryable=True) from None
        try:
            answer = json.loads(raw) if len(raw) <= MAX_ANSWER_BYTES else None
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise TransportError("the peer's answer is not the JSON object expected", retryable=False)
        return answer

    def held(self, peer: Peer, message: str, sha256: str, signature: str) -> dict[str, Any]:
        return self._call("GET", self._file_url(peer, message, sha256), signature)

    def put(self, peer: Peer, message: str, sha256: str, *, index: int, chunk: bytes, signature: str) -> dict[str, Any]:
        return self._call("PUT", self._file_url(peer, message, sha256, str(index)), signature, chunk)
