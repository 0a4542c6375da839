"""Results computed from the reference data, kept once per data version and arguments."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

from django.utils import translation

from cyberspex.web.knowledge.reference import data_version

P = ParamSpec("P")
R = TypeVar("R")


def per_data_version(maxsize: int = 256, *, per_language: bool = True) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Memoise a function of hashable arguments on (data version, active language, arguments).

    Results hold translated text, so the active language is part of the key; a computation of
    the legal core that holds no text of the interface may say ``per_language=False`` and be
    kept once for every language.

    A publication changes the data version, so nothing computed from older data is served
    after it. The oldest entries are dropped beyond ``maxsize``. Thread-safe; the value is
    computed outside the lock (two threads may compute it once each, never a wrong one)."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        entries: OrderedDict[Hashable, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            language = translation.get_language() if per_language else None
            key = (data_version(), language, args, tuple(sorted(kwargs.items())))
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    return entries[key]  # type: ignore[no-any-return]
            value = function(*args, **kwargs)
            with lock:
                entries[key] = value
                while len(entries) > maxsize:
                    entries.popitem(last=False)
            return value

        wrapper.cache_clear = entries.clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
