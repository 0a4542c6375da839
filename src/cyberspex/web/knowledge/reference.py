"""The reference data the platform uses now, and its version.

Every page, API endpoint and service of the web platform takes its reference data from
``current_reference()``, never from ``refdata.loader.load_reference_data()`` directly: the
published curation changes are part of the data, and ``data_version()`` names the exact data a
result was computed from, so caches key on it and a publication takes effect at once.

The version is read from the database (one indexed query: the number of the latest published
curation Version), so every process of the platform sees a publication as soon as it is committed."""

from __future__ import annotations

import functools
import threading
from typing import Any

from django.db import connection

from cyberspex.law.model import ReferenceData
from cyberspex.refdata import export
from cyberspex.refdata.loader import load_reference_data, load_reference_data_with
from cyberspex.refdata.overlay import Patch


@functools.cache
def shipped_fingerprint() -> str:
    """SHA-256 over the reference data files shipped with this release (names and contents)."""
    return export.shipped_fingerprint()


def version_name(number: int, fingerprint: str) -> str:
    """The data version after the publication numbered ``number`` whose patches have ``fingerprint``."""
    return export.version_name(shipped_fingerprint(), number, fingerprint)


@functools.cache
def _latest_publication_sql() -> tuple[str, tuple[Any, ...]]:
    """The ORM's SQL for the latest Version's number and fingerprint, compiled once."""
    from cyberspex.web.knowledge.models import Version  # noqa: PLC0415  # models need the app registry

    latest = Version.objects.order_by("-number").values_list("number", "fingerprint")[:1]
    return latest.query.sql_with_params()


def latest_publication() -> tuple[int, str]:
    """The number and patch fingerprint of the latest published curation Version, (0, "") if none
    (one indexed query, read at every call so that a publication is seen at once).

    The query's SQL is compiled once: compiling it again at every call cost more than running it,
    most of a cached route answer (bench/route_api.py)."""
    sql, params = _latest_publication_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return (int(found[0]), str(found[1])) if found else (0, "")


def data_version() -> str:
    """The version of the reference data in use: the shipped files' fingerprint, the number of the
    latest publication and its patches' fingerprint, e.g. ``shipped-0123456789ab+curated-4-89abcdef01``."""
    return version_name(*latest_publication())


def published_patches(upto: int) -> list[Patch]:
    """The patches of the changes published by Versions 1..``upto``, in the order of publication."""
    from cyberspex.web.knowledge.curation import patch_of  # noqa: PLC0415  # curation imports this module
    from cyberspex.web.knowledge.models import Version  # noqa: PLC0415

    versions = Version.objects.filter(number__lte=upto).select_related("change").order_by("number")
    return [patch_of(v.change) for v in versions]


_PUBLISHED: dict[str, ReferenceData] = {}
_LOCK = threading.Lock()


def reference_at(number: int, fingerprint: str) -> ReferenceData:
    """The shipped data with the changes of publications 1..``number`` applied, kept per data version."""
    if number == 0:
        return load_reference_data()
    key = version_name(number, fingerprint)
    with _LOCK:
        if key in _PUBLISHED:
            return _PUBLISHED[key]
    built = load_reference_data_with(published_patches(number))
    with _LOCK:
        _PUBLISHED[key] = built
        while len(_PUBLISHED) > 4:
            del _PUBLISHED[next(iter(_PUBLISHED))]
    return built


def current_reference() -> ReferenceData:
    """The reference data in use: the shipped data with every published curation change."""
    return reference_at(*latest_publication())
