"""Pages of log-in and the second factor. ``login`` and ``logout`` are public; the ``mfa/``
pages need a log-in (password) but not yet the second factor (see middleware.py)."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("mfa/", views.mfa_verify, name="mfa"),
    path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
]
