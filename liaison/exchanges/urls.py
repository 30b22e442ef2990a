from django.urls import path

from liaison.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("", views.conferences, name="conferences"),
    path("new/", views.plan, name="plan"),
    path("<id:pk>/", views.detail, name="conference"),
    path("<id:pk>/edit/", views.revise, name="revise"),
    path("<id:pk>/questions/", views.add_question, name="add_question"),
    path("<id:pk>/materials/", views.add_material, name="add_material"),
    path("<id:pk>/materials/<id:material_id>/", views.material, name="material"),
    path("<id:pk>/follow-ups/", views.add_follow_up, name="add_follow_up"),
    path("<id:pk>/finalize/", views.finalize, name="finalize"),
    path("<id:pk>/minutes/", views.minutes_page, name="minutes"),
    path("<id:pk>/minutes.pdf", views.minutes_download, name="minutes_pdf"),
]
