"""The WSGI application. ``cyberspex serve`` loads it once in gunicorn's master process
(``--preload``), before the workers are forked: what is loaded here is shared by every worker
and loaded by none on its first request. Nothing here opens a database connection or starts a
thread (a connection or a thread does not survive a fork: gunicorn_conf closes connections
before each fork all the same)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberspex.web.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Load what a process's first request would otherwise load: the URL configuration with every
    view and the API, every template of the platform (compiled once, kept by Django's cached
    loader), the translations, and the shipped reference data."""
    from django.conf import settings  # noqa: PLC0415  # only once Django is set up
    from django.template.loader import get_template  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415

    from cyberspex.refdata.loader import load_reference_data  # noqa: PLC0415

    reverse("healthz")  # imports the URL configuration and builds its lookup tables
    templates = Path(settings.BASE_DIR) / "templates"
    for template in sorted(templates.rglob("*.html")):
        get_template(template.relative_to(templates).as_posix())
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()
    load_reference_data()


warm_up()
