"""Reference data: the YAML shipped in ``cyberspex/data``, validated and turned into the core's model."""

from __future__ import annotations
