from __future__ import annotations

from django.urls import path

from cyberspex.web.federation import views

app_name = "federation"

urlpatterns = [path("v1/messages", views.messages, name="messages")]
