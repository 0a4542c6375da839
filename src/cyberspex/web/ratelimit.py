"""Counters per client address in fixed one-minute windows, kept in Django's cache: the public
route advisor's limit (public/throttle.py) and the federation endpoints' (federation/throttle.py).
With the default in-process cache each server process counts separately: a limit is then per
process (docs/configuration.md); a shared cache (``CACHES``) makes it per instance."""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def window(now: float | None = None) -> int:
    """The number of the current window."""
    return int(time.time() if now is None else now) // WINDOW_SECONDS


def seconds_left(now: float | None = None) -> int:
    """Seconds until the current window ends (at least 1): what a ``Retry-After`` says."""
    return WINDOW_SECONDS - int(time.time() if now is None else now) % WINDOW_SECONDS


def _key(name: str, address: str, now: float | None) -> str:
    return f"cyberspex.{name}.{address}.{window(now)}"


def _bump(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: this is the first one again
        cache.set(key, 1, timeout=timeout)
        return 1


def hit(name: str, address: str, *, now: float | None = None) -> int:
    """Count one event of ``name`` from ``address`` in the current window; return the window's count."""
    return _bump(_key(name, address, now), WINDOW_SECONDS * 2)


def count(name: str, address: str, *, now: float | None = None) -> int:
    """How many events of ``name`` from ``address`` the current window has counted (reads only)."""
    return int(cache.get(_key(name, address, now), 0))


def first(name: str, address: str, *, now: float | None = None) -> bool:
    """True for the first call of the window for ``name`` and ``address``, False for every later one."""
    return bool(cache.add(_key(name, address, now), 1, timeout=WINDOW_SECONDS * 2))


CARRIED_SECONDS = 7 * 24 * 3600  # a count carried over windows is forgotten after a week without events


def carry(name: str, address: str) -> int:
    """Count one event of ``name`` from ``address`` across windows, until :func:`take` takes the count."""
    return _bump(f"cyberspex.{name}.{address}", CARRIED_SECONDS)


def take(name: str, address: str) -> int:
    """The count :func:`carry` has kept for ``name`` and ``address``, set back to zero."""
    key = f"cyberspex.{name}.{address}"
    taken = int(cache.get(key, 0))
    if taken:
        cache.delete(key)
    return taken
