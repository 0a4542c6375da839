"""Static files, served by the instance itself (a bare ``cyberspex serve`` is styled, and the
API documentation loads Swagger UI from it), cheaply and cacheably.

``cyberspex serve`` collects them into ``STATIC_ROOT`` under names that carry a hash of their
content (Django's ``ManifestStaticFilesStorage``; ``{% static %}`` writes those names into the
pages). WhiteNoise serves them before any other middleware runs (no session, no database):
a hashed name with ``Cache-Control: public, max-age=31536000, immutable`` (its content never
changes under that name), an unhashed one for a minute; ``ETag``/``Last-Modified`` with 304
answers, ``HEAD``; only files found when the process started, so no directory listing and no
path outside ``STATIC_ROOT``.
"""

from __future__ import annotations

from whitenoise.middleware import WhiteNoiseMiddleware

ONE_YEAR = 365 * 24 * 60 * 60


class StaticFiles(WhiteNoiseMiddleware):  # type: ignore[misc]  # whitenoise ships no type information
    """WhiteNoise, with a year (the customary longest lifetime) for files whose name carries a
    hash instead of its ten years."""

    FOREVER = ONE_YEAR
