"""The inbox pages of the receiving side, mounted at /inbox/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import answer_views, requested_party_views, views

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:delivery_id>/", views.item, name="item"),
    path("<int:delivery_id>/document.pdf", views.document, name="document"),
    # The Article 8 requested Party (exchange/requested_party.py)
    path("<int:delivery_id>/completeness", requested_party_views.completeness, name="rp_completeness"),
    path("<int:delivery_id>/service", requested_party_views.service, name="rp_service"),
    path("<int:delivery_id>/execution", requested_party_views.execution, name="rp_execution"),
    path("<int:delivery_id>/pass-back", requested_party_views.pass_back, name="rp_pass_back"),
    # answers (exchange/answer_views.py)
    path("<int:delivery_id>/answer", answer_views.answer, name="answer"),
    path("<int:delivery_id>/messages", answer_views.message, name="message"),
    path("<int:delivery_id>/files/<int:file_id>", answer_views.produced_file, name="file"),
]
