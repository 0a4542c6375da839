"""Pages of log-in, the second factor and one's account. ``login``, ``logout`` and ``enrol``
(a one-time enrolment link) are public; the ``mfa/`` pages need a log-in (password) but not
yet the second factor (see middleware.py); the others need both."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.accounts import kept, manage, preference_views, profile, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("enrol/<str:token>/", views.enrolment_link, name="enrol"),
    path("mfa/", views.mfa_verify, name="mfa"),
    path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("mfa/recovery/", views.mfa_recovery, name="mfa_recovery"),
    path("session/keep-alive/", kept.keep_alive, name="keep_alive"),
    path("tokens/", manage.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", manage.token_revoke_view, name="token_revoke"),
    path("password/", manage.password, name="password"),
    path("preferences/", preference_views.preferences, name="preferences"),
    path("recovery-codes/", manage.recovery_codes, name="recovery_codes"),
    path("administration/", manage.administration, name="administration"),
    path("administration/profile/", profile.organisation_profile, name="organisation_profile"),
    path("administration/users/<int:user_id>/<slug:action>/", manage.member_action, name="member_action"),
]
