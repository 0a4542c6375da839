"""Signed packages: every delivered package is signed by the issuing organisation's Ed25519 key,
held by the instance, as a detached JWS (RFC 7515 Appendix F; algorithm "Ed25519", RFC 9864)
over the canonical JSON of the package and the SHA-256 of the document rendered from it.

Recipients verify with the public key in the directory; :func:`verify` says "verified" or "not
verified" and why. JOSE and the curve come from ``joserfc`` and ``cryptography``; nothing here
is home-made cryptography, only the choice of what is signed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.exchange.models import SigningKey
from cyberspex.web.exchange.sealing import SealBroken, seal, unseal

ALGORITHM = "Ed25519"  # RFC 9864: EdDSA with Ed25519, fully specified
PURPOSE = "signing key"


def canonical(value: Any) -> bytes:
    """The canonical JSON of ``value``: keys sorted, no insignificant space, UTF-8 (the subset of
    RFC 8785 that the packages need: they hold strings, integers, booleans, lists and objects)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed_payload(*, content: dict[str, Any], document_sha256: str, manifest: dict[str, Any]) -> bytes:
    """What is signed: the package, the SHA-256 of its document and who it was delivered to, when."""
    return canonical({"package": content, "document_sha256": document_sha256, "delivery": manifest})


@transaction.atomic
def current_key(organisation: Organisation, now: datetime) -> SigningKey:
    """The organisation's current key; the first is made on first use."""
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # one key made at a time
    key = SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    return key or _new_key(organisation, now)


def _new_key(organisation: Organisation, now: datetime) -> SigningKey:
    jwk = OKPKey.generate_key("Ed25519")
    public = jwk.as_dict(private=False)
    key_id = f"{organisation.pk}-{now:%Y%m%d}-{secrets.token_hex(4)}"
    private = json.dumps(jwk.as_dict(private=True)).encode()
    return SigningKey.objects.create(
        organisation=organisation,
        key_id=key_id,
        public_key=str(public["x"]),
        private_key_sealed=seal(private, purpose=f"{PURPOSE}:{key_id}"),
        created_at=now,
    )


@transaction.atomic
def rotate(organisation: Organisation, now: datetime) -> SigningKey:
    """Retire the current key (it still verifies what it signed) and make a new one."""
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True).update(retired_at=now)
    return _new_key(organisation, now)


def public_jwk(key: SigningKey) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": key.public_key, "kid": key.key_id, "alg": ALGORITHM, "use": "sig"}


def sign(key: SigningKey, payload: bytes) -> str:
    """A detached compact JWS: ``header..signature``."""
    private = OKPKey.import_key(json.loads(unseal(bytes(key.private_key_sealed), purpose=f"{PURPOSE}:{key.key_id}")))
    token = jws.serialize_compact({"alg": ALGORITHM, "kid": key.key_id}, payload, private, algorithms=[ALGORITHM])
    header, _payload, signature = token.split(".")
    return f"{header}..{signature}"


@dataclass(frozen=True)
class Verification:
    verified: bool
    reason: str  # why, in a sentence the recipient can act on
    key_id: str = ""
    signer: str = ""  # the organisation whose key signed it


def verify(signature: str, payload: bytes, *, signer: Organisation) -> Verification:
    """Whether ``signature`` is ``signer``'s signature of ``payload``, with the key it names."""
    parts = signature.split(".")
    if len(parts) != 3 or parts[1] != "":
        return Verification(False, _("the signature is not a detached JWS"))
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, UnicodeDecodeError):
        return Verification(False, _("the signature's header cannot be read"))
    key_id = str(header.get("kid", "")) if isinstance(header, dict) else ""
    key = SigningKey.objects.filter(key_id=key_id).select_related("organisation").first()
    if key is None:
        return Verification(False, _("the key %(key)s is not in the directory") % {"key": repr(key_id)}, key_id)
    if key.organisation_id != signer.pk:
        return Verification(
            False,
            _("the key %(key)s belongs to %(owner)s, not to %(signer)s")
            % {"key": repr(key_id), "owner": key.organisation.name, "signer": signer.name},
            key_id,
        )
    public = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": key.public_key})
    try:
        jws.deserialize_compact(f"{parts[0]}.{_b64(payload)}.{parts[2]}", public, algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        return Verification(
            False, _("the signature does not match: the package or its document was changed after signing"), key_id, signer.name
        )
    values = {"signer": signer.name, "key": key_id, "retired": f"{key.retired_at:%Y-%m-%d}" if key.retired_at else ""}
    text = (
        _("signed by %(signer)s with the key %(key)s (a key retired on %(retired)s, valid for what it signed before)")
        if key.retired_at
        else _("signed by %(signer)s with the key %(key)s")
    )
    return Verification(True, text % values, key_id, signer.name)


__all__ = ["SealBroken", "Verification", "canonical", "current_key", "public_jwk", "rotate", "sha256", "sign", "verify"]
