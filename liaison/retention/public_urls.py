"""The traveler's own data behind their private link (PIPL art. 45 and 46)."""

from django.urls import path

from liaison.retention import public_views

app_name = "your_data"

urlpatterns = [
    path("status/<str:token>/your-data/", public_views.your_data, name="page"),
    path("status/<str:token>/your-data.json", public_views.download, name="download"),
    path("status/<str:token>/correction/", public_views.correction, name="correction"),
]
