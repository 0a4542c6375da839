"""Curated changes applied on top of the shipped reference data, before it is validated.

A curated change is a :class:`Patch` of one YAML document of ``data/``: the document's file
name, a key path inside it and the new value, with the source that supports the value (its URL,
title, kind and as-of date), who verified it and why it was made. The loader applies the
published patches, in order, to the raw documents BEFORE schema validation and the cross-file
checks (``refdata/loader.py::read_raw``), so a curated value is judged by exactly the rules a
shipped one is. Each patch's source becomes an entry of ``sources.yaml`` under its
``source_id`` (``curation-<n>``), so every curated value keeps a complete provenance.

Key paths are dotted: ``cets224.consent``. A segment ``[X]`` inside a list selects the item
whose ``code`` (or ``route``) is ``X``, or the item at index ``X`` when ``X`` is a number:
``cets224.positions[R-7-2]``. A new value of ``None`` removes the key (or the list item); a
list item that does not exist yet is appended. Nothing here reads the clock or imports Django.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

SOURCE_KINDS = ("official", "secondary")
_ITEM = re.compile(r"^\[(.+)\]$")
_SEGMENT = re.compile(r"[^.\[\]]+|\[[^\]]+\]")


@dataclass(frozen=True)
class Patch:
    """One published (or proposed) curated change of one document.

    ``value`` is plain YAML data (dates as ISO text); ``value_json`` keeps it hashable."""

    source_id: str  # e.g. "curation-12": the id of the source entry this patch adds to sources.yaml
    file: str  # e.g. "states/FR.yaml"
    path: str  # e.g. "cets224.consent"
    value_json: str  # the new value, as JSON ("null" removes)
    source_url: str
    source_title: str
    source_kind: str  # "official" or "secondary" (sources.yaml ``kind``)
    as_of: str  # ISO date the source was consulted
    verified_by: str = ""
    reason: str = ""

    @classmethod
    def make(cls, *, value: Any, **fields: str) -> Patch:
        return cls(value_json=json.dumps(value, sort_keys=True, ensure_ascii=False), **fields)

    @property
    def value(self) -> Any:
        return json.loads(self.value_json)

    def source_entry(self) -> dict[str, Any]:
        """The entry this patch adds to sources.yaml."""
        entry: dict[str, Any] = {
            "title": self.source_title,
            "url": self.source_url,
            "as_of": self.as_of,
            "kind": self.source_kind,
        }
        note = f"curated change {self.source_id}"
        if self.verified_by:
            note += f", verified by {self.verified_by}"
        entry["as_of_note"] = note
        if self.source_kind == "secondary":
            entry["kind_note"] = "a secondary source named in a curated change"
        return entry

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["value"] = self.value
        del out["value_json"]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Patch:
        fields = {k: str(data.get(k, "")) for k in ("source_id", "file", "path", "source_url", "source_title")}
        fields |= {k: str(data.get(k, "")) for k in ("source_kind", "as_of", "verified_by", "reason")}
        return cls.make(value=data.get("value"), **fields)


class PatchError(ValueError):
    """A patch cannot be applied to its document: the message names the key path and why."""


def fingerprint(patches: Sequence[Patch]) -> str:
    """SHA-256 over the patches in order: two lists of equal patches have the same fingerprint."""
    import hashlib  # noqa: PLC0415  # loads OpenSSL: only when patches are fingerprinted, not at start-up

    digest = hashlib.sha256()
    for patch in patches:
        digest.update(json.dumps(patch.as_dict(), sort_keys=True, ensure_ascii=False).encode() + b"\0")
    return digest.hexdigest()


def segments(path: str) -> list[str]:
    """``cets224.positions[R-7-2]`` -> ``["cets224", "positions", "[R-7-2]"]``."""
    parts = _SEGMENT.findall(path)
    if not parts or "".join(p if p.startswith("[") else f".{p}" for p in parts).lstrip(".") != path:
        raise PatchError(f"{path!r} is not a key path (keys separated by dots, list items as [code])")
    return parts


def _index(items: list[Any], segment: str) -> int | None:
    """The index of the list item a ``[X]`` segment selects, or None if there is none (yet)."""
    match = _ITEM.match(segment)
    if match is None:
        raise PatchError(f"{segment!r}: a list item is selected as [code] or [index]")
    wanted = match[1]
    if wanted.isdigit():
        return int(wanted) if int(wanted) < len(items) else None
    for index, item in enumerate(items):
        if isinstance(item, dict) and wanted in (item.get("code"), item.get("route")):
            return index
    return None


def get(document: Any, path: str) -> Any:
    """The value at ``path`` in ``document``, or None when it is absent."""
    current = document
    for segment in segments(path):
        if isinstance(current, dict):
            current = current.get(segment)
        elif isinstance(current, list):
            found = _index(current, segment)
            current = current[found] if found is not None else None
        else:
            return None
        if current is None:
            return None
    return current


def apply(document: Any, path: str, value: Any) -> Any:
    """A copy of ``document`` with ``value`` at ``path`` (None removes it). Missing mappings
    on the way are created; a path through a value that is not a mapping or list is refused."""
    result = copy.deepcopy(document) if document is not None else {}
    parts = segments(path)
    parent = result
    for depth, segment in enumerate(parts[:-1]):
        child = _child(parent, segment, parts[: depth + 1])
        if child is None:
            if value is None:
                return result  # removing something already absent
            child = {} if not _ITEM.match(parts[depth + 1]) else []
            _put(parent, segment, child, parts[: depth + 1])
        parent = child
    _put(parent, parts[-1], copy.deepcopy(value), parts)
    return result


def _where(parts: list[str]) -> str:
    return "".join(p if p.startswith("[") else f".{p}" for p in parts).lstrip(".")


def _child(parent: Any, segment: str, parts: list[str]) -> Any:
    if isinstance(parent, dict):
        if _ITEM.match(segment):
            raise PatchError(f"{_where(parts)}: {_where(parts[:-1]) or 'the document'} is a mapping, not a list")
        return parent.get(segment)
    if isinstance(parent, list):
        found = _index(parent, segment)
        return parent[found] if found is not None else None
    raise PatchError(f"{_where(parts)}: {_where(parts[:-1]) or 'the document'} holds a single value, not keys")


def _put(parent: Any, segment: str, value: Any, parts: list[str]) -> None:
    if isinstance(parent, dict):
        if _ITEM.match(segment):
            raise PatchError(f"{_where(parts)}: {_where(parts[:-1]) or 'the document'} is a mapping, not a list")
        if value is None:
            parent.pop(segment, None)
        else:
            parent[segment] = value
        return
    if isinstance(parent, list):
        found = _index(parent, segment)
        if value is None:
            if found is not None:
                del parent[found]
        elif found is None:
            parent.append(value)
        else:
            parent[found] = value
        return
    raise PatchError(f"{_where(parts)}: {_where(parts[:-1]) or 'the document'} holds a single value, not keys")


def apply_all(name: str, document: Any, patches: Sequence[Patch]) -> Any:
    """``document`` (the raw content of file ``name``) with every patch of that file applied in
    order; for ``sources.yaml`` also with the source entry of every patch."""
    for patch in patches:
        if patch.file == name:
            document = apply(document, patch.path, patch.value)
    if name == "sources.yaml":
        document = copy.deepcopy(document) if isinstance(document, dict) else document
        if isinstance(document, dict):
            shipped = set(document)
            for patch in patches:
                if not patch.source_id.startswith("curation-") or patch.source_id in shipped:
                    raise PatchError(f"{patch.source_id}: a curated change's source id is curation-<n>, not a shipped id")
                document[patch.source_id] = patch.source_entry()
    return document
