from django.urls import path

from liaison.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.cases, name="cases"),
    path("overdue/", views.overdue, name="overdue"),
    path("by-country/", views.by_country, name="by_country"),
    path("by-mission/", views.by_mission, name="by_mission"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<id:case_id>/", views.case_detail, name="case"),
    path(
        "cases/<id:case_id>/attachments/<id:attachment_id>/",
        views.case_attachment,
        name="case_attachment",
    ),
    path("missions/", views.missions, name="missions"),
    path("missions/<id:mission_id>/", views.mission_detail, name="mission"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/decide/", views.decide_notifications, name="decide_notifications"),
    path(
        "notifications/<id:notification_id>/",
        views.notification_detail,
        name="notification",
    ),
]
