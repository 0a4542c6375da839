"""The inbox pages of the receiving side, mounted at /inbox/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import answer_views, decision_views, emergency_views, requested_party_views, views

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
    path("<int:delivery_id>/decisions", decision_views.decide, name="decide"),
    # The issuing authority replies to the consultation of an authority it notified (CETS 224 Art 7(5)(d)(i)).
    path("sent/<int:delivery_id>/consultation", decision_views.consultation_reply, name="consultation_reply"),
    # 24/7 points of contact and central authorities (exchange/emergency_views.py)
    path("<int:delivery_id>/emergency-check/", emergency_views.emergency_check, name="emergency_check"),
    path("<int:delivery_id>/hand-off/", emergency_views.hand_off, name="hand_off"),
    path("oral/new/", emergency_views.oral_new, name="oral_new"),
    path("oral/<int:oral_request_id>/", emergency_views.oral_detail, name="oral_detail"),
    path("oral/<int:oral_request_id>/confirm/", emergency_views.oral_confirm, name="oral_confirm"),
    # answers (exchange/answer_views.py)
    path("<int:delivery_id>/answer", answer_views.answer, name="answer"),
    path("<int:delivery_id>/messages", answer_views.message, name="message"),
    path("<int:delivery_id>/files/<int:file_id>", answer_views.produced_file, name="file"),
]
