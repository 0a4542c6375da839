"""The published knowledge base as files: every reference-data document with the published
curated changes applied, and a manifest naming the data version, the date and each file's SHA-256.

The web platform offers it as a zip (``GET /api/v1/curation/export``); ``cyberspex data export``
writes the same files into a directory from the shipped data and the patches of a JSON file.
A document no change touches is exported byte for byte as shipped."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from cyberspex.refdata.loader import data_root, raw_document
from cyberspex.refdata.overlay import Patch, fingerprint

MANIFEST = "manifest.json"
PATCHES = "patches.json"  # the changes applied, readable by ``cyberspex data export --changes``
FORMAT = "cyberspex-reference-data-export/1"


def document_names(root: Traversable | None = None) -> list[str]:
    """The reference-data documents: the top-level YAML files and those of ``states/``."""
    root = root or data_root()
    names = sorted(e.name for e in root.iterdir() if e.name.endswith(".yaml"))
    names += sorted(f"states/{e.name}" for e in (root / "states").iterdir() if e.name.endswith(".yaml"))
    return names


def shipped_fingerprint(root: Traversable | None = None) -> str:
    """SHA-256 over the shipped reference-data documents (names and contents)."""
    root = root or data_root()
    digest = hashlib.sha256()
    for name in document_names(root):
        digest.update(name.encode() + b"\0" + _read_bytes(root, name) + b"\0")
    return digest.hexdigest()


def version_name(shipped: str, number: int, changes_fingerprint: str) -> str:
    """The name of a data version: the shipped fingerprint, then the number of publications and
    the fingerprint of their changes, e.g. ``shipped-0123456789ab+curated-4-89abcdef01``."""
    base = f"shipped-{shipped[:12]}"
    return base if number == 0 else f"{base}+curated-{number}-{changes_fingerprint[:10]}"


def _read_bytes(root: Traversable, name: str) -> bytes:
    path = root
    for part in name.split("/"):
        path = path / part
    return path.read_bytes()


def documents(patches: Sequence[Patch] = (), root: Traversable | None = None) -> dict[str, bytes]:
    """Each document's content with ``patches`` applied (a touched document is written anew as YAML)."""
    root = root or data_root()
    touched = {p.file for p in patches} | ({"sources.yaml"} if patches else set())
    out = {}
    for name in document_names(root):
        if name in touched:
            document = raw_document(name, patches, root)
            header = f"# {name} with the published curated changes applied (cyberspex data export)\n"
            out[name] = (header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)).encode()
        else:
            out[name] = _read_bytes(root, name)
    return out


def manifest(files: dict[str, bytes], *, data_version: str, on: date, patches: Sequence[Patch]) -> dict[str, Any]:
    """What the export holds: its format, data version, date, the changes applied and each file's SHA-256."""
    return {
        "format": FORMAT,
        "data_version": data_version,
        "date": on.isoformat(),
        "changes": [{"source_id": p.source_id, "file": p.file, "path": p.path} for p in patches],
        "changes_fingerprint": fingerprint(patches),
        "files": {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)} for name, content in files.items()
        },
    }


def _manifest_bytes(content: dict[str, Any]) -> bytes:
    return (json.dumps(content, indent=2, ensure_ascii=False) + "\n").encode()


def _patches_bytes(patches: Sequence[Patch]) -> bytes:
    return (json.dumps({"changes": [p.as_dict() for p in patches]}, indent=2, ensure_ascii=False) + "\n").encode()


def export_zip(patches: Sequence[Patch], *, data_version: str, on: date) -> bytes:
    files = documents(patches)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"data/{name}", content)
        archive.writestr(PATCHES, _patches_bytes(patches))
        archive.writestr(MANIFEST, _manifest_bytes(manifest(files, data_version=data_version, on=on, patches=patches)))
    return buffer.getvalue()


def export_dir(out: Path, patches: Sequence[Patch], *, data_version: str, on: date) -> dict[str, Any]:
    """Write ``out/data/<document>`` and ``out/manifest.json``; return the manifest."""
    files = documents(patches)
    for name, content in files.items():
        target = out / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    listing = manifest(files, data_version=data_version, on=on, patches=patches)
    (out / MANIFEST).write_bytes(_manifest_bytes(listing))
    (out / PATCHES).write_bytes(_patches_bytes(patches))
    return listing


def read_patches(text: str) -> list[Patch]:
    """Patches from a JSON file: a list of objects (or ``{"changes": [...]}``) with the fields of
    ``Patch``, the value under ``value`` (as ``GET /api/v1/curation/export`` lists them in
    ``patches.json``). ValueError naming what is wrong."""
    loaded = json.loads(text)
    items = loaded.get("changes") if isinstance(loaded, dict) else loaded
    if not isinstance(items, list):
        raise ValueError("expected a list of changes (or an object with a 'changes' list)")
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"change {index}: expected an object")
        missing = [k for k in ("source_id", "file", "path", "source_url", "source_kind", "as_of") if not item.get(k)]
        if missing:
            raise ValueError(f"change {index}: missing {', '.join(missing)}")
        out.append(Patch.from_dict(item))
    return out
