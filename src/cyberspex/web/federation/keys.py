"""The instance's Ed25519 keys and the JWS operations of the federation: compact JWS with the
payload attached (envelopes, receipts) and the JWS JSON serialisation with one signature per
published key (the identity document). JOSE and the curve are ``joserfc``'s and ``cryptography``'s,
as for the organisations' signatures (exchange/signing.py), whose canonical JSON and sealing are reused."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from cyberspex.web.exchange.sealing import seal, unseal
from cyberspex.web.exchange.signing import ALGORITHM
from cyberspex.web.federation.models import InstanceKey

PURPOSE = "instance signing key"


class BadSignature(Exception):
    """A JWS that cannot be read, names a key that is not trusted, or does not verify."""


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise BadSignature("not base64url") from error


def current_key(now: datetime) -> InstanceKey:
    """The key that signs now; the first one is made on first use."""
    key = InstanceKey.objects.filter(current=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _new_key(now)
    except IntegrityError:  # another process made it first (one current key: a constraint)
        return InstanceKey.objects.get(current=True)


def _new_key(now: datetime) -> InstanceKey:
    jwk = OKPKey.generate_key("Ed25519")
    key_id = f"instance-{now:%Y%m%d}-{secrets.token_hex(4)}"
    private = json.dumps(jwk.as_dict(private=True)).encode()
    return InstanceKey.objects.create(
        key_id=key_id,
        public_key=str(jwk.as_dict(private=False)["x"]),
        private_key_sealed=seal(private, purpose=f"{PURPOSE}:{key_id}"),
        created_at=now,
    )


def rotate(now: datetime) -> tuple[InstanceKey, InstanceKey | None]:
    """Retire the current key (published and verifying for FEDERATION_KEY_OVERLAP_DAYS more) and
    make a new one. Returns the new key and the retired one. Runs inside the caller's transaction."""
    old = InstanceKey.objects.select_for_update().filter(current=True).first()
    if old is not None:
        old.current, old.retired_at = False, now
        old.not_after = now + timedelta(days=settings.FEDERATION_KEY_OVERLAP_DAYS)
        old.save(update_fields=["current", "retired_at", "not_after"])
    return _new_key(now), old


def published_keys(now: datetime) -> list[InstanceKey]:
    """The current key first, then the retired keys still within their overlap."""
    keys = InstanceKey.objects.filter(Q(current=True) | Q(not_after__gt=now))
    return sorted(keys, key=lambda k: (not k.current, -k.created_at.timestamp()))


def public_jwk(key: InstanceKey) -> dict[str, Any]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": key.public_key,
        "kid": key.key_id,
        "alg": ALGORITHM,
        "use": "sig",
        "not_after": key.not_after.isoformat() if key.not_after else None,
    }


def _private(key: InstanceKey) -> OKPKey:
    return OKPKey.import_key(json.loads(unseal(bytes(key.private_key_sealed), purpose=f"{PURPOSE}:{key.key_id}")))


def sign_compact(key: InstanceKey, payload: bytes, typ: str) -> str:
    """A compact JWS with its payload attached."""
    header = {"alg": ALGORITHM, "kid": key.key_id, "typ": typ}
    return jws.serialize_compact(header, payload, _private(key), algorithms=[ALGORITHM])


def sign_general(keys: Iterable[InstanceKey], payload: bytes, typ: str) -> dict[str, Any]:
    """The JWS JSON serialisation (RFC 7515 §7.2.1) of ``payload`` with one signature per key."""
    encoded = b64(payload)
    signatures = []
    for key in keys:
        token = sign_compact(key, payload, typ)
        protected, _payload, signature = token.split(".")
        signatures.append({"protected": protected, "signature": signature})
    return {"payload": encoded, "signatures": signatures}


def header_of(protected: str) -> dict[str, Any]:
    try:
        header = json.loads(unb64(protected))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadSignature("the header cannot be read") from error
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise BadSignature(f"the header must name the algorithm {ALGORITHM} and a key id")
    return header


def usable(jwk: Mapping[str, Any], now: datetime) -> bool:
    """Whether a peer's key verifies at ``now``: current, or retired but within its overlap."""
    not_after = jwk.get("not_after")
    return not_after is None or datetime.fromisoformat(str(not_after)) > now


def _registry() -> jws.JWSRegistry:
    """joserfc's registry, its payload limit (128,000 bytes by default, below an envelope that
    carries a request's document) raised to the largest envelope the endpoint reads."""
    registry = jws.JWSRegistry(algorithms=[ALGORITHM])
    registry.max_payload_length = settings.FEDERATION_MAX_MESSAGE_BYTES
    return registry


def verify_compact(token: str, keys: Iterable[Mapping[str, Any]], now: datetime) -> tuple[dict[str, Any], bytes]:
    """The header and payload of a compact JWS signed by one of ``keys`` (JWKs) usable at ``now``."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise BadSignature("not a compact JWS with its payload")
    header = header_of(parts[0])
    found = next((k for k in keys if k.get("kid") == header["kid"]), None)
    if found is None or not usable(found, now):
        raise BadSignature(f"the key {header['kid']!r} is not trusted")
    try:
        public = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": str(found.get("x", ""))})
        verified = jws.deserialize_compact(token, public, algorithms=[ALGORITHM], registry=_registry())
    except (JoseError, ValueError) as error:
        raise BadSignature("the signature does not verify") from error
    return header, verified.payload


def signed_by_any(document: Mapping[str, Any], keys: Iterable[Mapping[str, Any]], now: datetime) -> bool:
    """Whether one of the signatures of the JWS JSON ``document`` verifies with one of ``keys``
    (the same key material, not only the same key id)."""
    trusted = list(keys)
    for member in document.get("signatures") or []:
        try:
            verify_compact(
                f"{member.get('protected', '')}.{document.get('payload', '')}.{member.get('signature', '')}", trusted, now
            )
        except BadSignature:
            continue
        return True
    return False


def verify_general(document: Mapping[str, Any], keys: Iterable[Mapping[str, Any]], now: datetime) -> list[str]:
    """The key ids whose signatures of the JWS JSON ``document`` verify with ``keys``; every
    signature must verify with a key of ``keys`` (BadSignature otherwise)."""
    payload, signatures = document.get("payload"), document.get("signatures")
    if not isinstance(payload, str) or not isinstance(signatures, list) or not signatures:
        raise BadSignature("not a JWS JSON serialisation with signatures")
    kids = []
    for member in signatures:
        if not isinstance(member, dict) or not isinstance(member.get("protected"), str):
            raise BadSignature("a signature without its protected header")
        header, _payload = verify_compact(f"{member['protected']}.{payload}.{member.get('signature', '')}", keys, now)
        kids.append(str(header["kid"]))
    return kids
