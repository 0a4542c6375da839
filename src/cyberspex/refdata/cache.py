"""A cache file for data built from the shipped files, so that each run does not read and
validate them again.

A cached value is stored with the *key* it was built for: a fingerprint of every reference-data
file (path, size and modification time in nanoseconds), of the code that reads and builds them
(the modules' files, and those of pydantic and pycountry), of the package version and of the
Python version. A value is used only if its key is the one computed now, so a changed, added or
removed file, an edited module or an upgrade makes the next run build the data afresh and
replace the file. A file that cannot be read, is truncated or corrupt (its length and CRC-32 are
checked before anything is unpickled) is ignored and rebuilt; a directory that cannot be
created or written leaves the program working without a cache.

Where: ``$CYBERSPEX_CACHE_DIR``, else ``$XDG_CACHE_HOME/cyberspex``, else ``~/.cache/cyberspex``;
created with mode 0700. Files are written to a temporary file and renamed into place, so a
reader sees either the old file or the new one, never a part.

Standard library only, and imported by ``refdata/loader.py`` at start-up: keep it cheap.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import cyberspex

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

T = TypeVar("T")

FORMAT = b"cyberspex-cache/1"
_PACKAGE = Path(cyberspex.__file__).resolve().parent
# The code whose output is cached: a change to any of these files changes the key.
_CODE = (
    _PACKAGE / "law" / "model.py",
    _PACKAGE / "law" / "record.py",
    _PACKAGE / "refdata" / "cache.py",
    _PACKAGE / "refdata" / "check.py",
    _PACKAGE / "refdata" / "loader.py",
    _PACKAGE / "refdata" / "overlay.py",
    _PACKAGE / "refdata" / "schema.py",
    _PACKAGE / "refdata" / "yamlio.py",
)
# Libraries whose version changes what is built (validation and coercion; the other States'
# names): the files of their installed packages are part of the key, found without importing them.
_LIBRARIES = ("pydantic", "pydantic_core", "pycountry", "yaml")


def directory() -> Path | None:
    """Where the cache files go (not created here); None if there is no home directory to put them in."""
    if explicit := os.environ.get("CYBERSPEX_CACHE_DIR"):
        return Path(explicit)
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg) / "cyberspex"
    try:
        return Path.home() / ".cache" / "cyberspex"
    except RuntimeError:  # no HOME and no password entry for this user
        return None


def _library_files() -> list[str]:
    found = []
    for name in _LIBRARIES:
        for entry in sys.path:
            candidate = Path(entry or ".") / name / "__init__.py"
            if candidate.is_file():
                found.append(str(candidate))
                break
        else:
            found.append(f"{name}: not found")
    return found


def _stat_line(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path} missing"
    return f"{path} {info.st_size} {info.st_mtime_ns}"


def key(root: Traversable) -> str | None:
    """The fingerprint of the reference data under ``root`` and of what builds it; None if it
    cannot be computed (e.g. the data is inside a zip file), in which case nothing is cached."""
    if not isinstance(root, Path):
        return None
    lines = [f"cyberspex {cyberspex.__version__}", f"python {sys.version}", f"data {root.resolve()}"]
    try:
        for folder in (root, root / "states"):
            with os.scandir(folder) as entries:
                files = sorted((e.name, e.stat()) for e in entries if e.name.endswith(".yaml") and e.is_file())
            prefix = "" if folder == root else "states/"
            lines += [f"{prefix}{name} {info.st_size} {info.st_mtime_ns}" for name, info in files]
    except OSError:
        return None
    lines += [_stat_line(str(path)) for path in _CODE]
    lines += [_stat_line(path) for path in _library_files()]
    return "\n".join(lines)


def _private(info: os.stat_result) -> bool:
    """Ours, and not writable by anyone else."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _header(name: str, key: str, payload: bytes) -> bytes:
    return b"\n".join([FORMAT, name.encode(), key.encode(), f"{len(payload)} {zlib.crc32(payload)}".encode(), b"--"]) + b"\n"


def _content(name: str) -> bytes | None:
    """The bytes of the cache file ``name`` if it and its folder are private to this user."""
    if (folder := directory()) is None:
        return None
    try:
        folder_info = os.stat(folder)
        if not (stat.S_ISDIR(folder_info.st_mode) and _private(folder_info)):
            return None
        with open(folder / f"{name}.pickle", "rb") as file:
            return file.read() if _private(os.fstat(file.fileno())) else None
    except OSError:
        return None


def _payload(content: bytes, name: str, key: str) -> bytes | None:
    """The pickled value in ``content`` if it was stored with ``key`` and is whole."""
    prefix = b"\n".join([FORMAT, name.encode(), key.encode()]) + b"\n"
    if not content.startswith(prefix):
        return None
    sizes, separator, payload = content[len(prefix) :].partition(b"\n--\n")
    whole = separator and sizes == f"{len(payload)} {zlib.crc32(payload)}".encode()
    return payload if whole else None


def read(name: str, key: str, kind: type[T]) -> T | None:
    """The value cached under ``name`` if it was stored with ``key`` and is a ``kind``; None otherwise
    (no file, another key, a truncated or corrupt file, a directory or file not private to this user)."""
    content = _content(name)
    payload = _payload(content, name, key) if content is not None else None
    if payload is None:
        return None
    # Unpickling runs code named in the file, so it is only done with a file this program wrote:
    # it lies in a directory owned by this user and writable by no one else, its owner is this
    # user (both checked by _content), and its length and CRC-32 match what was written. Reading
    # the cache costs a few milliseconds where reading and validating the YAML files costs tens.
    try:
        value = pickle.loads(payload)  # noqa: S301  # see above: our own file in a private directory
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None  # written by another version of the code with the same key: built afresh
    return value if isinstance(value, kind) else None


def _pickled(value: object) -> bytes:
    """``value`` pickled. The legal core's records (law/record.py) pickle as their class and
    their fields, so unpickling calls each constructor once with its fields in order: several
    times faster than setting each field of a frozen object one by one (about 3 ms instead of
    18 for the reference data, measured on a loaded machine)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def write(name: str, key: str, value: object) -> bool:
    """Store ``value`` under ``name`` with ``key``, atomically (a temporary file renamed into
    place). False if the directory cannot be created or written, or is not private to this user:
    the program then works without a cache."""
    if (folder := directory()) is None:
        return False
    payload = _pickled(value)
    temporary: Path | None = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(folder)):
            return False
        import tempfile  # noqa: PLC0415  # only when a cache file is written

        handle, path = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        temporary = Path(path)
        with os.fdopen(handle, "wb") as file:
            file.write(_header(name, key, payload))
            file.write(payload)
        os.replace(temporary, folder / f"{name}.pickle")
        temporary = None
    except OSError:
        return False
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return True
