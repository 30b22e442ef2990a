from django.urls import path

from liaison.duty import flight_views, views

app_name = "duty"

urlpatterns = [
    path("", views.now, name="now"),
    path("roster/", views.roster, name="roster"),
    path("shifts/<id:pk>/", views.shift, name="shift"),
    path("templates/", views.templates, name="templates"),
    path("languages/", views.languages, name="languages"),
    path("flights/", flight_views.schedule, name="flights"),
    path("flights/<id:pk>/", flight_views.scheduled_flight, name="flight"),
    path("log/", views.duty_log, name="log"),
    path("log/<id:pk>/correct/", views.correct, name="correct"),
]
