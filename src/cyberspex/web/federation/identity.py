"""The instance's identity document: who it is (CYBERSPEX_INSTANCE_ID), where peers reach it
(CYBERSPEX_BASE_URL), the organisations it hosts and its public keys, signed by every key it
publishes (so a peer that knew only the retired key accepts the document that brings the new one)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange.signing import canonical
from cyberspex.web.federation import keys, trail
from cyberspex.web.federation.models import InstanceKey

DOCUMENT_TYPE = "cyberspex-identity+jws"
MAX_URL = 500  # Peer.base_url


def hosted_organisations() -> list[dict[str, Any]]:
    """The organisations this instance hosts, as its identity document lists them."""
    hosted = Organisation.objects.filter(peer__isnull=True).order_by("pk")  # not the mirrors of peers' organisations
    return [
        {"id": str(pk), "name": name, "kind": kind, "state": country, "functions": list(functions)}
        for pk, name, kind, country, functions in hosted.values_list("pk", "name", "kind", "country", "functions")
    ]


def document(now: datetime) -> dict[str, Any]:
    """The signed identity document (JWS JSON serialisation; its payload the canonical JSON below)."""
    keys.current_key(now)
    published = keys.published_keys(now)
    content = {
        "id": settings.CYBERSPEX_INSTANCE_ID,
        "base_url": settings.CYBERSPEX_BASE_URL,
        "organisations": hosted_organisations(),
        "keys": [keys.public_jwk(key) for key in published],
        "issued_at": now.isoformat(),
    }
    return keys.sign_general(published, canonical(content), DOCUMENT_TYPE)


@transaction.atomic
def rotate_key(now: datetime) -> tuple[InstanceKey, InstanceKey | None]:
    """`cyberspex instance rotate-key`: a new current key; the old one verifies for the overlap."""
    new, old = keys.rotate(now)
    details = {"action": "instance_key_rotated", "retired": old.key_id if old else "", "not_after": _iso(old)}
    trail.record(now, Event.CHANGE, "instance_key", new.key_id, details)
    return new, old


def _iso(key: InstanceKey | None) -> str:
    return key.not_after.isoformat() if key is not None and key.not_after else ""


@dataclass(frozen=True)
class Identity:
    """A peer's identity document, read and its self-signatures verified."""

    instance_id: str
    base_url: str
    organisations: list[dict[str, Any]]
    keys: list[dict[str, Any]]
    issued_at: datetime
    signed_by: list[str]  # the key ids whose signatures verified
    text: str  # the document as received


def _invalid(why: str) -> ApplicationError:
    return ApplicationError(f"not an identity document: {why}", status=422, field="document")


def read(text: str, now: datetime) -> Identity:
    """Read an identity document and verify that every signature is by a key it publishes."""
    try:
        outer = json.loads(text)
        content = json.loads(keys.unb64(str(outer["payload"]))) if isinstance(outer, dict) else None
    except (ValueError, KeyError, UnicodeDecodeError, RecursionError, keys.BadSignature):
        raise _invalid("not a JWS JSON serialisation") from None
    if not isinstance(content, dict):
        raise _invalid("its payload is not a JSON object")
    instance_id, base_url = content.get("id"), content.get("base_url")
    if not isinstance(instance_id, str) or not 0 < len(instance_id) <= 200:
        raise _invalid("'id' must be 1 to 200 characters")
    if (
        not isinstance(base_url, str)
        or len(base_url) > MAX_URL
        or urlsplit(base_url).scheme not in ("http", "https")
        or not urlsplit(base_url).netloc
    ):
        raise _invalid(f"'base_url' must be an http(s) address of at most {MAX_URL} characters")
    organisations = _organisations(content.get("organisations"))
    published = _keys(content.get("keys"))
    try:
        issued_at = datetime.fromisoformat(str(content.get("issued_at")))
        signed_by = keys.verify_general(outer, published, now)
    except ValueError:
        raise _invalid("'issued_at' must be an ISO 8601 time") from None
    except keys.BadSignature as error:
        raise _invalid(f"its signature does not verify with the keys it publishes ({error})") from None
    if issued_at.tzinfo is None:
        raise _invalid("'issued_at' must carry a time zone")
    return Identity(instance_id, base_url.rstrip("/"), organisations, published, issued_at, signed_by, text)


def _organisations(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise _invalid("'organisations' must be a list")
    found = []
    for item in value:
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in ("id", "name", "kind", "state")):
            raise _invalid("each organisation needs 'id', 'name', 'kind' and 'state' (text)")
        functions = item.get("functions", [])  # what it does in an exchange (absent from older documents)
        if not isinstance(functions, list) or not all(isinstance(f, str) and len(f) <= 32 for f in functions):
            raise _invalid("an organisation's 'functions' must be a list of words")
        found.append({f: str(item[f]) for f in ("id", "name", "kind", "state")} | {"functions": functions})
    return found


def _keys(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise _invalid("'keys' must list at least one key")
    found = []
    for jwk in value:
        if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            raise _invalid("each key must be an Ed25519 JWK (kty OKP, crv Ed25519)")
        if not isinstance(jwk.get("kid"), str) or not isinstance(jwk.get("x"), str):
            raise _invalid("each key needs 'kid' and 'x'")
        not_after = jwk.get("not_after")
        try:
            if not_after is not None and datetime.fromisoformat(str(not_after)).tzinfo is None:
                raise ValueError
        except ValueError:
            raise _invalid("a key's 'not_after' must be null or an ISO 8601 time with a zone") from None
        found.append({k: jwk[k] for k in ("kty", "crv", "x", "kid") if k in jwk} | {"not_after": not_after})
    return found
