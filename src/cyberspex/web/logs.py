"""Log records without exception messages: a message may quote what a user typed (a database
error quotes the value it refused), and logs must hold no personal data. The traceback's frames
and the exception types are kept, which is what finding the fault needs."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class Formatter(logging.Formatter):
    """A formatter whose tracebacks name each exception's type, never its message."""

    def formatException(self, ei: ExcInfo) -> str:  # logging's name
        _type, error, _tb = ei
        if error is None:
            return ""
        chain: list[BaseException] = []
        current: BaseException | None = error
        while current is not None and current not in chain:
            chain.append(current)
            current = current.__cause__ or current.__context__
        parts = []
        for index, link in enumerate(reversed(chain)):
            if index:
                parts.append("\nWhile handling the above, another exception occurred:\n")
            frames = "".join(traceback.format_tb(link.__traceback__))
            parts.append(f"Traceback (most recent call last):\n{frames}{type(link).__module__}.{type(link).__qualname__}")
        return "".join(parts)

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full traceback text on the record: never reuse it.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached
