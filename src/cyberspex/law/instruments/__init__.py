"""One module per instrument; rules appear in article order inside each module."""

from __future__ import annotations
