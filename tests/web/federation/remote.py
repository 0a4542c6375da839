"""A remote instance played by the tests: its own Ed25519 key, its signed identity document, the
envelopes it sends and the receipts it signs, made with joserfc as another instance would."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from joserfc import jws
from joserfc.jwk import OKPKey

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.exchange import signing
from cyberspex.web.exchange.signing import canonical
from cyberspex.web.federation import envelope, inbox, trust
from cyberspex.web.federation.keys import b64
from tests.web.helpers import NOW


class Remote:
    def __init__(self, instance_id: str = "remote.example", *, organisations: list[dict[str, str]] | None = None) -> None:
        self.instance_id = instance_id
        self.key = OKPKey.generate_key("Ed25519")
        self.kid = f"{instance_id}-1"
        self.organisations = organisations or [
            {"id": "7", "name": "Remote provider", "kind": "provider", "state": "IE", "functions": ["provider"]}
        ]

    def jwk(self, not_after: str | None = None) -> dict[str, Any]:
        return {**self.key.as_dict(private=False), "kid": self.kid, "alg": "Ed25519", "use": "sig", "not_after": not_after}

    def sign(self, payload: bytes, typ: str, key: OKPKey | None = None, kid: str | None = None) -> str:
        header = {"alg": "Ed25519", "kid": kid or self.kid, "typ": typ}
        return jws.serialize_compact(header, payload, key or self.key, algorithms=["Ed25519"])

    def document(self, *, issued_at: datetime = NOW, keys: list[dict[str, Any]] | None = None, **content: Any) -> str:
        """Its identity document, self-signed (the JWS JSON serialisation)."""
        body = {
            "id": self.instance_id,
            "base_url": "https://remote.example",
            "organisations": self.organisations,
            "keys": keys or [self.jwk()],
            "issued_at": issued_at.isoformat(),
            **content,
        }
        protected, payload, signature = self.sign(canonical(body), "cyberspex-identity+jws").split(".")
        return json.dumps({"payload": payload, "signatures": [{"protected": protected, "signature": signature}]})

    def envelope_content(self, *, sent_at: datetime = NOW, **overrides: Any) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "from": self.instance_id,
            "to": settings.CYBERSPEX_INSTANCE_ID,
            "organisation": "1",
            "kind": "notification",
            "request": "R-1",
            "payload": {"text": "an order"},
            "sent_at": sent_at.isoformat(),
            "files": [],
            **overrides,
        }

    def envelope(self, content: dict[str, Any]) -> bytes:
        return self.sign(canonical(content), envelope.ENVELOPE_TYPE).encode()

    def receipt(self, sent: bytes, *, received_at: datetime = NOW, **overrides: Any) -> bytes:
        """The receipt it answers for the envelope ``sent`` (as this instance's worker sent it)."""
        content = json.loads(jws.extract_compact(sent).payload)
        facts = {
            "message": content["id"],
            "sha256": envelope.content_sha256(content),
            "received_at": received_at.isoformat(),
            "receiver": self.instance_id,
            "sender": content["from"],
            **overrides,
        }
        return self.sign(canonical(facts), envelope.RECEIPT_TYPE).encode()


def tampered(token: bytes, **changes: Any) -> bytes:
    """``token`` with its payload changed and its signature kept."""
    header, _payload, signature = token.decode().split(".")
    content = {**json.loads(jws.extract_compact(token).payload), **changes}
    return f"{header}.{b64(canonical(content))}.{signature}".encode()


class Issuer:
    """The issuing instance a.example, played: its organisation "3" signs with its own key, and
    delivers request 41 (its delivery 51) to an organisation of this instance."""

    request = "a.example/request/41"

    def __init__(self) -> None:
        self.remote = Remote(
            "a.example", organisations=[{"id": "3", "name": "Parquet de Paris", "kind": "issuing_authority", "state": "FR"}]
        )
        self.key = OKPKey.generate_key("Ed25519")
        trust.add(self.remote.document(), now=NOW)

    def delivery(
        self,
        recipient: Organisation,
        *,
        role: str = "addressee",
        package: str = "provider",
        form: str = "eu-epoc",
        **changes: Any,
    ) -> dict[str, Any]:
        """The ``delivery`` payload of request 41 of ``form`` (its route of the same name) to ``recipient`` as ``role``."""
        content = {"addressee": {"name": recipient.name}, "data_sought": {"category": "subscriber"}}
        document = b"%PDF-1.7 the order"
        signed = {
            "request": 41,
            "recipient": 12,
            "role": role,
            "package": package,
            "delivered_at": NOW.isoformat(),
            "exercise": False,
        }
        payload = signing.signed_payload(content=content, document_sha256=signing.sha256(document), manifest=signed)
        token = jws.serialize_compact({"alg": "Ed25519", "kid": "3-a-1"}, payload, self.key, algorithms=["Ed25519"])
        header, _, signature = token.split(".")
        route = "2ap-8" if form == "2ap-8-order" else form
        return {
            "delivery": 51,
            "request": {"id": 41, "form_id": form, "route_id": route, "state": "DE"},
            "role": role,
            "package": package,
            "content": content,
            "document": base64.b64encode(document).decode(),
            "document_sha256": signing.sha256(document),
            "language": "en",
            "exercise": False,
            "signature": f"{header}..{signature}",
            "key_id": "3-a-1",
            "manifest": signed,
            "signer": {"id": "3", "jwk": {**self.key.as_dict(private=False), "kid": "3-a-1"}},
            **changes,
        }

    def send(
        self, recipient: Organisation, payload: dict[str, Any], message_id: str | None = None, *, kind: str = "delivery"
    ) -> inbox.Stored:
        content = self.remote.envelope_content(organisation=str(recipient.pk), kind=kind, request=self.request, payload=payload)
        if message_id:
            content["id"] = message_id
        return inbox.receive(self.remote.envelope(content), now=NOW)
