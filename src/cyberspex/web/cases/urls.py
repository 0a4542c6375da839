"""The case pages, mounted at the site root. All need the second factor except
``calendar_feed`` (``/ical/``), which a calendar application fetches with its secret token."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.cases import case_views, editor_views, views
from cyberspex.web.exchange import requested_party_views

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/retention/", case_views.case_retention, name="case_retention"),
    path("cases/<int:case_id>/attachments/", case_views.attachment_upload, name="attachment_upload"),
    path("cases/<int:case_id>/attachments/<int:attachment_id>/", case_views.attachment_download, name="attachment_download"),
    path("cases/<int:case_id>/attachments/<int:attachment_id>/remove/", case_views.attachment_remove, name="attachment_remove"),
    path("search/", case_views.search_page, name="search"),
    path("cases/<int:case_id>/routes/", views.route_advice, name="route_advice"),
    path("cases/<int:case_id>/requests/new/", editor_views.request_new, name="request_new"),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/edit/", editor_views.request_edit, name="request_edit"),
    path("requests/<int:request_id>/review/", editor_views.request_review, name="request_review"),
    path("requests/<int:request_id>/transition/", views.request_transition, name="request_transition"),
    path("requests/<int:request_id>/issue/", views.request_issue, name="request_issue"),
    path("requests/<int:request_id>/validate/", views.request_validate, name="request_validate"),
    path("requests/<int:request_id>/follow-up/", views.request_follow_up, name="request_follow_up"),
    path("requests/<int:request_id>/service/", views.request_service, name="request_service"),
    # The requesting side's supplement to an Article 8 requested Party (exchange/requested_party.py)
    path("requests/<int:request_id>/supplement/", requested_party_views.supplement, name="request_supplement"),
    path(
        "requests/<int:request_id>/deadlines/<int:deadline_id>/done/", views.request_deadline_done, name="request_deadline_done"
    ),
    path("requests/<int:request_id>/packages/<slug:package>.<slug:fmt>", views.request_download, name="request_download"),
    path("calendar/new/", views.calendar_create, name="calendar_create"),
    path("calendar/<int:feed_id>/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("ical/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),  # public prefix /ical/
]
