"""Machine-readable forms: definitions with citations, JSON Schemas, validation, recipient
packages and rendering. Pure: takes data, returns results or bytes."""

from __future__ import annotations
