"""Security headers on every response: Content-Security-Policy and Permissions-Policy.

Django's ``SecurityMiddleware`` already sends HSTS (when configured), ``Referrer-Policy``,
``X-Content-Type-Options`` and ``Cross-Origin-Opener-Policy``; this middleware adds what
Django 5.2 lacks. The policy allows no inline script or style at all: pages load their
scripts and style sheets from ``/static/`` only (the API documentation too, whose Swagger UI
files ship with django-ninja and are served by the instance).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "worker-src 'none'",
        "manifest-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
"""The policy of every page."""

# Swagger UI draws its icons as SVG ``data:`` images from its own style sheet; nothing else
# differs from the site's policy.
API_DOCS_PATH = "/api/v1/docs"
API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("img-src 'self'", "img-src 'self' data:")

# Nothing on the platform needs a sensor, a camera or a payment handler.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        policy = API_DOCS_POLICY if request.path == API_DOCS_PATH else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware
