from django.urls import path

from liaison.arrivals import views

app_name = "arrivals"

urlpatterns = [
    path("", views.arrival_list, name="list"),
    path("declare/", views.staff_declare, name="declare"),
    path("<id:pk>/", views.arrival_detail, name="detail"),
    path(
        "<id:pk>/conflicts/<id:conflict_pk>/resolve/",
        views.resolve_conflict,
        name="resolve_conflict",
    ),
    path("flights/", views.flights, name="flights"),
    path("flights/import/", views.import_manifest, name="import_manifest"),
    path("flights/<id:pk>/", views.flight, name="flight"),
]
