from django.urls import path

from liaison.handover import board_views, views

app_name = "handover"

urlpatterns = [
    path("dispatch/", views.dispatch, name="dispatch"),
    path(
        "dispatch/ready/<id:jurisdiction_id>/<str:disposition>/",
        views.ready_group,
        name="ready_group",
    ),
    path("dispatch/batches/<id:pk>/", views.batch, name="batch"),
    path("dispatch/batches/<id:pk>/depart/", views.depart, name="depart"),
    path(
        "dispatch/batches/<id:pk>/remove/<id:arrival_pk>/",
        views.remove_member,
        name="remove_member",
    ),
    path("dispatch/batches/<id:pk>/manifest/", views.manifest_page, name="manifest"),
    path("dispatch/batches/<id:pk>/manifest.pdf", views.manifest_download, name="manifest_pdf"),
    path("dispatch/incidents/<id:pk>/resolve/", views.resolve_incident, name="resolve_incident"),
    path("dispatch/arrivals/<id:arrival_pk>/left-city/", views.see_off, name="see_off"),
    path("dispatch/arrivals/<id:arrival_pk>/hospital/", views.to_hospital, name="to_hospital"),
    path("receiving/", views.receiving, name="receiving"),
    path("receiving/batches/<id:pk>/", views.receiving_batch, name="receiving_batch"),
    path("receiving/batches/<id:pk>/incident/", views.report_incident, name="report_incident"),
    path("receiving/arrivals/<id:arrival_pk>/", views.quarantine, name="quarantine"),
    path("receiving/arrivals/<id:arrival_pk>/release/", views.release, name="release"),
    path(
        "receiving/arrivals/<id:arrival_pk>/hospital/",
        views.receiving_hospital,
        name="receiving_hospital",
    ),
    path("board/", views.board, name="board"),
    path("board/arrivals/<id:pk>/", board_views.board_traveler, name="board_traveler"),
    path("board/<str:group>/", views.board_group, name="board_group"),
]
