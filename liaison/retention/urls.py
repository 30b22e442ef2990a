from django.urls import path

from liaison.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("holds/", views.place_hold, name="place_hold"),
    path("holds/<id:pk>/lift/", views.lift_hold, name="lift_hold"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<id:pk>/resolve/", views.resolve, name="resolve"),
]
