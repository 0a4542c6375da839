"""Argument handling shared by the commands: one-line errors, exit status 2."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from cyberspex.law.model import ReferenceData

USAGE_ERROR = 2
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """A bad command-line value: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and exit with status 2.

    Made with ``declare`` (a function that adds its arguments), a parser is built when it is
    first used, not when it is made: a subcommand's parser is then only built if that
    subcommand is the one run. Building an argparse parser costs a command about as much as
    the rest of its argument handling (gettext looks up its translations for each one)."""

    def __init__(self, *args: Any, declare: Callable[[Parser], None] | None = None, **kwargs: Any) -> None:
        if declare is None:
            super().__init__(*args, **kwargs)
        else:
            self.__dict__["_deferred"] = (args, kwargs, declare)

    def _build(self) -> bool:
        """Build a deferred parser now; False if it was built already."""
        deferred = self.__dict__.pop("_deferred", None)
        if deferred is None:
            return False
        args, kwargs, declare = deferred
        super().__init__(*args, **kwargs)
        declare(self)
        return True

    def __getattr__(self, name: str) -> Any:
        # Only called for an attribute not found: on a deferred parser, any use builds it.
        if self._build():
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        self._build()
        return super().parse_known_args(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every argument declared, and without a width the
        # formatter imports shutil (and with it bz2, lzma and fnmatch) to ask the terminal's:
        # the same width, found without them.
        formatter: Callable[..., argparse.HelpFormatter] = self.formatter_class  # every HelpFormatter takes a width
        return formatter(prog=self.prog, width=terminal_columns() - 2)


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size().columns`` finds it: $COLUMNS, else
    the width of the terminal on standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def today() -> date:
    """The current date in UTC: the only clock read, and it happens in the interface."""
    return datetime.now(UTC).date()


def parse_date(value: str, option: str) -> date:
    if not _DATE.match(value):
        raise UsageError(f"invalid {option} {value!r}: expected a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise UsageError(f"invalid {option} {value!r}: {error}") from None


def state_code(data: ReferenceData, value: str, option: str) -> str:
    code = data.state_code(value)
    if code is None:
        raise UsageError(
            f"unknown State code {value!r} for {option}: expected an ISO 3166-1 alpha-2 code "
            "such as FR, DE or US ('cyberspex states' lists them)"
        )
    return code


def fail(prog: str, message: str, status: int = USAGE_ERROR) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return status
