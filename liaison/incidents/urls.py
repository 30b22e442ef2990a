from django.urls import path

from liaison.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<id:pk>/assign/", views.assign, name="assign"),
    path("<id:pk>/act/", views.act, name="act"),
    path("<id:pk>/move/", views.move, name="move"),
    path("chain/", views.chain_settings, name="chain"),
    path("handovers/", views.handover_list, name="handovers"),
    path("handovers/<id:pk>/", views.handover, name="handover"),
]
