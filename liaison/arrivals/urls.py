from django.urls import path

from liaison.arrivals import views

app_name = "arrivals"

urlpatterns = [
    path("", views.arrival_list, name="list"),
    path("declare/", views.staff_declare, name="declare"),
    path("<int:pk>/", views.arrival_detail, name="detail"),
    path("flights/", views.flights, name="flights"),
    path("flights/import/", views.import_manifest, name="import_manifest"),
    path("flights/<int:pk>/", views.flight, name="flight"),
]
