"""Encryption at rest for what the exchange keeps: organisations' private signing keys and the
files providers produce. AES-256-GCM (``cryptography``) under ``DATA_KEY``; the purpose of each
blob is bound to it as associated data, so a sealed key cannot be opened as a file or moved to
another record."""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12


class SealBroken(Exception):
    """The blob was changed, or sealed under another key or for another purpose."""


def _key() -> bytes:
    configured: str = settings.DATA_KEY
    if configured:
        return base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
    # No DATA_KEY (a demo or a development instance): a key derived from SECRET_KEY, which
    # `cyberspex serve` keeps in the data directory. Production sets DATA_KEY (docs/configuration.md).
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"cyberspex data key").derive(settings.SECRET_KEY.encode())


def seal(plain: bytes, *, purpose: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(_key()).encrypt(nonce, plain, purpose.encode())


def unseal(blob: bytes, *, purpose: str) -> bytes:
    try:
        return AESGCM(_key()).decrypt(bytes(blob[:NONCE_BYTES]), bytes(blob[NONCE_BYTES:]), purpose.encode())
    except InvalidTag:
        raise SealBroken(
            f"the sealed {purpose.split(':', maxsplit=1)[0]} cannot be opened: changed, or sealed under another key"
        ) from None
