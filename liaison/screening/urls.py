from django.urls import path

from liaison.screening import views

app_name = "screening"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/flights/", views.desk_flights, name="desk_flights"),
    path("desk/<id:pk>/", views.desk_arrival, name="desk_arrival"),
    path("sampling/", views.sampling, name="sampling"),
    path("lab/", views.lab, name="lab"),
    path("lab/files/<id:pk>/", views.lab_preview, name="lab_preview"),
    path("lab/files/<id:pk>/save/", views.lab_save, name="lab_save"),
    path("arrivals/<id:pk>/timeline/", views.timeline, name="timeline"),
]
