"""CyberSPEX: route advice, forms and case tooling for cross-border electronic evidence."""

from __future__ import annotations

__version__ = "0.1.0"
