"""The inbox pages of the receiving side, mounted at /inbox/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import emergency_views, views

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:delivery_id>/", views.item, name="item"),
    path("<int:delivery_id>/document.pdf", views.document, name="document"),
    # 24/7 points of contact and central authorities (exchange/emergency_views.py)
    path("<int:delivery_id>/emergency-check/", emergency_views.emergency_check, name="emergency_check"),
    path("<int:delivery_id>/hand-off/", emergency_views.hand_off, name="hand_off"),
    path("oral/new/", emergency_views.oral_new, name="oral_new"),
    path("oral/<int:oral_request_id>/", emergency_views.oral_detail, name="oral_detail"),
    path("oral/<int:oral_request_id>/confirm/", emergency_views.oral_confirm, name="oral_confirm"),
]
