"""Typed readers for settings taken from the environment (documented in docs/configuration.md)."""

from __future__ import annotations

import os
import re
from pathlib import Path


class ConfigurationError(Exception):
    """An environment variable holds a value that cannot be used."""


def env_str(name: str, default: str = "") -> str:
    """``NAME`` or, when ``NAME_FILE`` is set, the content of that file (for secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigurationError(f"{name}_FILE: cannot read {path!r}: {error.strerror}") from None
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Only ``True`` and ``False`` are accepted, so a typo cannot flip a security switch."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw not in ("True", "False"):
        raise ConfigurationError(f"{name} must be True or False, not {raw!r}")
    return raw == "True"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


_HEADER_NAME = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")


def env_proxy_header(name: str) -> str:
    """An HTTP header name such as ``X-Forwarded-Proto``, as the WSGI ``environ`` key
    ``HTTP_X_FORWARDED_PROTO``; empty when unset."""
    raw = env_str(name).strip()
    if not raw:
        return ""
    if not _HEADER_NAME.match(raw):
        raise ConfigurationError(f"{name} must be an HTTP header name such as X-Forwarded-Proto, not {raw!r}")
    return "HTTP_" + raw.upper().replace("-", "_")
