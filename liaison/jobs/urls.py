from django.urls import path

from liaison.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.overview, name="overview"),
]
