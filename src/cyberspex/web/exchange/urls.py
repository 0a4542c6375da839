"""The inbox pages of the receiving side, mounted at /inbox/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:delivery_id>/", views.item, name="item"),
    path("<int:delivery_id>/document.pdf", views.document, name="document"),
]
