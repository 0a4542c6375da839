"""The inbox pages of the receiving side, mounted at /inbox/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import answer_views, views

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:delivery_id>/", views.item, name="item"),
    path("<int:delivery_id>/document.pdf", views.document, name="document"),
    # answers (exchange/answer_views.py)
    path("<int:delivery_id>/answer", answer_views.answer, name="answer"),
    path("<int:delivery_id>/messages", answer_views.message, name="message"),
    path("<int:delivery_id>/files/<int:file_id>", answer_views.produced_file, name="file"),
]
