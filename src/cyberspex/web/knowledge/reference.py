"""The reference data the platform uses now, and its version.

Every page, API endpoint and service of the web platform takes its reference data from
``current_reference()``, never from ``refdata.loader.load_reference_data()`` directly: the
published curation changes are part of the data, and ``data_version()`` names the exact data a
result was computed from, so caches key on it and a publication takes effect at once."""

from __future__ import annotations

import functools
import hashlib

from cyberspex.law.model import ReferenceData
from cyberspex.refdata.loader import data_root, load_reference_data


@functools.cache
def shipped_fingerprint() -> str:
    """SHA-256 over the reference data files shipped with this release (names and contents)."""
    digest = hashlib.sha256()
    root = data_root()
    names = ["sources.yaml", "instruments.yaml", "eu.yaml", "cets224-register.yaml", "ranking.yaml"]
    names += ["providers.yaml", "implementation.yaml"]
    names += sorted(f"states/{e.name}" for e in (root / "states").iterdir() if e.name.endswith(".yaml"))
    for name in names:
        path = root
        for part in name.split("/"):
            path = path / part
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def data_version() -> str:
    """The version of the reference data in use: the shipped files' fingerprint."""
    return f"shipped-{shipped_fingerprint()[:12]}"


def current_reference() -> ReferenceData:
    """The reference data in use."""
    return load_reference_data()
